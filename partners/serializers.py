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
    """An individual, with the associations the reader may see. Contact details are null for a former
    employee (partners.access.contact_visible_individuals): her former partner sees her name and dates only."""

    email = serializers.EmailField(read_only=True, allow_null=True)
    testing_number = serializers.CharField(read_only=True, allow_null=True)
    associations = AssociationSerializer(many=True, read_only=True)

    class Meta:
        model = Individual
        fields = ["id", "first_name", "last_name", "email", "testing_number", "associations"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not getattr(instance, "contact_visible", False):  # set by partners.selectors.individual_list
            data["email"] = data["testing_number"] = None
        return data


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
