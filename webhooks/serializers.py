from rest_framework import serializers

from core.api import StrictSerializerMixin
from core.event_kinds import KINDS

from .models import Attempt, Delivery, Endpoint

KIND_CHOICES = sorted(KINDS)


class EndpointSerializer(serializers.ModelSerializer):
    kinds = serializers.ListField(child=serializers.CharField(), help_text="Event kinds wanted; empty: every kind")

    class Meta:
        model = Endpoint
        fields = [
            "id",
            "url",
            "description",
            "kinds",
            "enabled",
            "partner",
            "failing_since",
            "disabled_reason",
            "previous_secret_expires_at",
            "created_at",
            "updated_at",
        ]


class EndpointWithSecretSerializer(EndpointSerializer):
    secret = serializers.CharField(help_text="The signing secret (whsec_...): shown this once, keep it")

    class Meta(EndpointSerializer.Meta):
        fields = [*EndpointSerializer.Meta.fields, "secret"]


class EndpointInputSerializer(StrictSerializerMixin, serializers.Serializer):
    url = serializers.URLField(max_length=500)
    description = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=KIND_CHOICES), required=False, default=list, max_length=len(KINDS)
    )
    enabled = serializers.BooleanField(required=False, default=True)
    partner = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, help_text="Whose events; empty: the whole program"
    )


class EndpointUpdateSerializer(StrictSerializerMixin, serializers.Serializer):
    url = serializers.URLField(max_length=500, required=False)
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)
    kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=KIND_CHOICES), required=False, max_length=len(KINDS)
    )
    enabled = serializers.BooleanField(required=False)


class SecretSerializer(serializers.Serializer):
    secret = serializers.CharField(help_text="The new signing secret: shown this once")
    previous_secret_expires_at = serializers.DateTimeField(help_text="Until then the old secret signs too")


class AttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attempt
        fields = ["attempted_at", "status_code", "duration_ms", "succeeded", "response", "error"]


class DeliverySerializer(serializers.ModelSerializer):
    attempts_made = AttemptSerializer(many=True, read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "endpoint",
            "event",
            "message_id",
            "kind",
            "status",
            "attempts",
            "next_attempt_at",
            "delivered_at",
            "created_at",
            "attempts_made",
        ]
