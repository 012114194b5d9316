from rest_framework import serializers

from core.api import StrictSerializerMixin
from core.models import Event

from .models import Association, Individual, Partner, Territory


class TerritorySerializer(serializers.ModelSerializer):
    countries = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Territory
        fields = ["id", "code", "name", "kind", "countries"]


class PartnerSerializer(serializers.ModelSerializer):
    territories = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Partner
        fields = [
            "id",
            "legal_name",
            "vendor_partner_id",
            "is_registered",
            "registered_on",
            "territories",
            "created_at",
        ]


class PartnerInputSerializer(StrictSerializerMixin, serializers.Serializer):
    legal_name = serializers.CharField(max_length=200)
    vendor_partner_id = serializers.CharField(max_length=40)
    is_registered = serializers.BooleanField(default=False)
    registered_on = serializers.DateField(required=False, allow_null=True)
    territories = serializers.ListField(child=serializers.CharField(max_length=10), required=False)


class AssociationSerializer(serializers.ModelSerializer):
    partner_name = serializers.CharField(source="partner.legal_name", read_only=True)

    class Meta:
        model = Association
        fields = ["partner", "partner_name", "start", "end"]


class IndividualSerializer(serializers.ModelSerializer):
    associations = AssociationSerializer(many=True, read_only=True)

    class Meta:
        model = Individual
        fields = ["id", "first_name", "last_name", "email", "testing_number", "associations"]


class IndividualInputSerializer(StrictSerializerMixin, serializers.Serializer):
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    email = serializers.EmailField()
    testing_number = serializers.CharField(max_length=40)
    partner = serializers.IntegerField(required=False, help_text="Partner id; defaults to your own partner")
    start = serializers.DateField(required=False, help_text="Association start; defaults to today")


class IndividualUpdateSerializer(StrictSerializerMixin, serializers.Serializer):
    first_name = serializers.CharField(max_length=100, required=False)
    last_name = serializers.CharField(max_length=100, required=False)
    email = serializers.EmailField(required=False)


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.StringRelatedField(allow_null=True)  # the FK is nullable

    class Meta:
        model = Event
        fields = ["id", "kind", "summary", "payload", "occurred_at", "actor"]
