from rest_framework import serializers

from core.api import StrictSerializerMixin

from .models import FollowUp, MeasurementDate, SurveyResponse


class FollowUpSerializer(serializers.ModelSerializer):
    recorded_by = serializers.StringRelatedField(allow_null=True)  # the FK is nullable
    partner = serializers.IntegerField(source="response.partner_id", read_only=True)

    class Meta:
        model = FollowUp
        fields = ["id", "response", "partner", "recorded_on", "note", "recorded_by"]


class SurveyResponseSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="territory.code", read_only=True)
    partner_name = serializers.CharField(source="partner.legal_name", read_only=True)
    follow_up = serializers.SerializerMethodField()

    class Meta:
        model = SurveyResponse
        fields = [
            "id",
            "partner",
            "partner_name",
            "country",
            "customer",
            "received_on",
            "score",
            "valid",
            "reference",
            "follow_up",
        ]

    def get_follow_up(self, obj) -> dict | None:
        follow = getattr(obj, "follow_up", None)
        return {"recorded_on": follow.recorded_on, "note": follow.note} if follow else None


class SurveyResponseInputSerializer(StrictSerializerMixin, serializers.Serializer):
    partner = serializers.IntegerField()
    country = serializers.CharField(max_length=10)
    customer = serializers.CharField(max_length=200)
    received_on = serializers.DateField()
    score = serializers.IntegerField(required=False, allow_null=True, help_text="1–10; null = unrated")
    valid = serializers.BooleanField(default=True)
    reference = serializers.CharField(max_length=60, required=False, allow_blank=True)


class ValidityInputSerializer(StrictSerializerMixin, serializers.Serializer):
    valid = serializers.BooleanField()


class FollowUpInputSerializer(StrictSerializerMixin, serializers.Serializer):
    response = serializers.IntegerField()
    recorded_on = serializers.DateField(required=False, help_text="Defaults to today")
    note = serializers.CharField()


class ImportInputSerializer(StrictSerializerMixin, serializers.Serializer):
    file = serializers.FileField()
    dry_run = serializers.BooleanField(default=True)


class ImportResultSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    rows = serializers.IntegerField()
    created = serializers.IntegerField()
    ok = serializers.BooleanField()
    errors = serializers.ListField(child=serializers.DictField())


class MeasurementDateSerializer(serializers.ModelSerializer):
    class Meta:
        model = MeasurementDate
        fields = ["id", "fiscal_year", "date"]


class MeasurementDateInputSerializer(StrictSerializerMixin, serializers.Serializer):
    date = serializers.DateField()
