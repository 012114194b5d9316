from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from compliance.serializers import RequirementResultSerializer
from core import status
from core.api import StatusLabelField, StrictSerializerMixin
from core.models import Notice
from core.status import LIFECYCLE

from .models import NonComplianceIncident, RenewalApplication


class CredentialSchema(serializers.Serializer):
    kind = serializers.CharField(help_text="partnerspecialization or partnercertification")
    id = serializers.IntegerField()
    name = serializers.CharField()
    status = serializers.CharField()
    status_label = StatusLabelField(LIFECYCLE)
    anniversary = serializers.DateField()


@extend_schema_field(CredentialSchema)
class CredentialField(serializers.Field):
    """A credential as {kind, id, name, status, anniversary} (kind = model name, as in URLs)."""

    def to_representation(self, credential):
        if credential is None:
            return None
        return {
            "kind": credential._meta.model_name,
            "id": credential.pk,
            "name": str(credential),
            "status": credential.status,
            "status_label": status.label(status.LIFECYCLE, credential.status),
            "anniversary": credential.anniversary,
        }


class RenewalApplicationSerializer(serializers.ModelSerializer):
    credential = CredentialField(read_only=True)
    submitted_by = serializers.StringRelatedField(allow_null=True)  # the FK is nullable
    decided_by = serializers.StringRelatedField(allow_null=True)  # the FK is nullable

    class Meta:
        model = RenewalApplication
        fields = [
            "id",
            "partner",
            "credential",
            "cycle_anniversary",
            "status",
            "submitted_by",
            "submitted_at",
            "submitted_on",
            "verdict",
            "decided_by",
            "decided_at",
            "decision_note",
        ]


class RenewalSubmitSerializer(StrictSerializerMixin, serializers.Serializer):
    kind = serializers.CharField(help_text="partnerspecialization or partnercertification")
    credential = serializers.IntegerField(help_text="The credential's id")


class DecisionSerializer(StrictSerializerMixin, serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class IncidentSerializer(serializers.ModelSerializer):
    credential = CredentialField(read_only=True)
    acknowledged_by = serializers.StringRelatedField(allow_null=True)  # the FK is nullable
    extended_by = serializers.StringRelatedField(allow_null=True)  # the FK is nullable

    class Meta:
        model = NonComplianceIncident
        fields = [
            "id",
            "partner",
            "credential",
            "opened_on",
            "acknowledge_by",
            "acknowledged_at",
            "acknowledged_by",
            "extension_end",
            "extended_by",
            "flagged_for_revocation_on",
            "closed_on",
            "resolution",
            "unmet",
        ]


class ExtensionSerializer(StrictSerializerMixin, serializers.Serializer):
    until = serializers.DateField(help_text="Last day of the extension")


class NoticeSerializer(serializers.ModelSerializer):
    # None for a program-wide event (no partner).
    partner = serializers.IntegerField(source="event.partner_id", read_only=True, allow_null=True)
    kind = serializers.CharField(source="event.kind", read_only=True)

    class Meta:
        model = Notice
        fields = ["id", "partner", "kind", "recipient", "cc", "subject", "body_text", "status", "created_at", "sent_at"]


class DueSerializer(serializers.Serializer):
    credential = CredentialField()
    partner = serializers.IntegerField(source="credential.partner_id")
    partner_name = serializers.CharField(source="credential.partner.legal_name")
    days_left = serializers.IntegerField()
    last_day = serializers.DateField()
    submitted = serializers.SerializerMethodField(help_text="The submitted renewal application's id, if any")

    def get_submitted(self, row) -> int | None:
        return row.submitted.pk if row.submitted else None


class RequirementSerializer(serializers.Serializer):
    label = serializers.CharField()
    missing = serializers.CharField()


class RenewalViewSerializer(serializers.Serializer):
    credential = CredentialField()
    window_opens = serializers.DateField()
    last_day = serializers.DateField()
    compliant = serializers.SerializerMethodField()
    requirements = serializers.SerializerMethodField()
    unmet = RequirementSerializer(many=True)
    blockers = serializers.ListField(child=serializers.CharField())
    can_submit = serializers.BooleanField()
    history = RenewalApplicationSerializer(many=True)

    @extend_schema_field(RequirementResultSerializer(many=True))
    def get_requirements(self, view):
        return RequirementResultSerializer(view.verdict.requirements if view.verdict else [], many=True).data

    def get_compliant(self, view) -> bool | None:
        return None if view.verdict is None else bool(view.verdict.compliant)
