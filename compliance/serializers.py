from rest_framework import serializers
from rest_framework.reverse import reverse

from core import clock, status
from core.api import StatusLabelField, StrictSerializerMixin
from core.status import LIFECYCLE

from .models import (
    CredentialVerdict,
    EvidenceFile,
    HybridITService,
    PartnerCertification,
    SupportAgreement,
    SupportCapability,
    VerdictChange,
)
from .services.records import RECORD_FIELDS


class RequirementResultSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    met = serializers.BooleanField()
    evidence = serializers.ListField(child=serializers.CharField())
    missing = serializers.CharField()
    next_step = serializers.CharField()
    due = serializers.DateField(allow_null=True)
    policy = serializers.CharField()
    state = serializers.SerializerMethodField(
        help_text="met, not_met_yet (short, with time left: see next_step and due) or missed (core.status)"
    )
    state_label = serializers.SerializerMethodField(
        help_text='In words with the shortfall, as the pages show it: "Not met yet: 39 points by 2027-02-15"'
    )

    def get_state(self, obj) -> str:
        return status.requirement_value(obj)

    def get_state_label(self, obj) -> str:
        return status.requirement_text(obj)


class VerdictSerializer(serializers.Serializer):
    """A live verdict: {credential, verdict} pairs from compliance.selectors."""

    credential_type = serializers.CharField()
    credential_id = serializers.IntegerField()
    partner = serializers.IntegerField()
    country = serializers.CharField()
    name = serializers.CharField()
    status = serializers.CharField()
    status_label = StatusLabelField(LIFECYCLE, source="status")
    anniversary = serializers.DateField()
    as_of = serializers.DateField()
    compliant = serializers.BooleanField()
    requirement_set = serializers.CharField()
    requirements = RequirementResultSerializer(many=True)
    recorded_compliant = serializers.BooleanField(allow_null=True, help_text="The stored status on as_of")


def verdict_data(credential, verdict, recorded=None) -> dict:
    return {
        "credential_type": credential._meta.label_lower,
        "credential_id": credential.pk,
        "partner": credential.partner_id,
        "country": credential.territory.code,
        "name": verdict.facts.get("name", str(credential)),
        "status": credential.status,
        "anniversary": credential.anniversary,
        "as_of": verdict.as_of,
        "compliant": verdict.compliant,
        "requirement_set": verdict.requirement_set,
        "requirements": verdict.requirements,
        "recorded_compliant": recorded,
    }


def stored_verdict_data(credential, row: CredentialVerdict, on, recorded=None) -> dict:
    """verdict_data from a stored verdict that holds on `on` (selectors.verdicts_stored_current)."""
    return {
        "credential_type": credential._meta.label_lower,
        "credential_id": credential.pk,
        "partner": credential.partner_id,
        "country": credential.territory.code,
        "name": row.name,
        "status": credential.status,
        "anniversary": credential.anniversary,
        "as_of": on,
        "compliant": row.compliant,
        "requirement_set": row.requirement_set,
        "requirements": row.requirements,
        "recorded_compliant": recorded,
    }


STORED_REQUIREMENT_FIELDS = tuple(f for f in RequirementResultSerializer().fields if f not in ("state", "state_label"))


def _stored_requirement(req: dict) -> dict:
    return {
        **{k: req.get(k) for k in STORED_REQUIREMENT_FIELDS},
        "state": status.requirement_value(req),
        "state_label": status.requirement_text(req),
    }


def stored_rows_data(rows, on) -> list[dict]:
    """What VerdictSerializer(many=True) writes for the stored rows of selectors.partner_verdicts_stored (tests hold
    the two equal), without its per-field machinery: the stored requirements are JSON already, dates as text."""
    on_text = on.isoformat()
    return [
        {
            "credential_type": r.credential_type,
            "credential_id": r.credential_id,
            "partner": r.partner_id,
            "country": r.country,
            "name": r.name,
            "status": r.status,
            "status_label": status.label(LIFECYCLE, r.status),
            "anniversary": r.anniversary.isoformat(),
            "as_of": on_text,
            "compliant": r.compliant,
            "requirement_set": r.requirement_set,
            "requirements": [_stored_requirement(req) for req in r.requirements],
            "recorded_compliant": r.recorded_compliant,
        }
        for r in rows
    ]


COMPUTED_AT = serializers.DateTimeField()  # the field ModelSerializer maps computed_at to, without building them all


class PortfolioSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="territory.code", read_only=True)
    status_label = StatusLabelField(LIFECYCLE, source="status")
    days_left = serializers.SerializerMethodField()
    compliance = serializers.SerializerMethodField(
        help_text="compliant, on_track, at_risk or not_compliant (core.status), from compliant, at_risk and the "
        "requirements"
    )
    compliance_label = serializers.SerializerMethodField(help_text="The compliance in words; see /help/.")
    unmet = serializers.SerializerMethodField()

    class Meta:
        model = CredentialVerdict
        fields = [
            "id",
            "partner",
            "partner_name",
            "country",
            "credential_type",
            "credential_id",
            "name",
            "tier",
            "status",
            "status_label",
            "anniversary",
            "days_left",
            "compliant",
            "at_risk",
            "compliance",
            "compliance_label",
            "points",
            "csat_count",
            "csat_required",
            "unmet",
            "requirement_set",
            "as_of",
            "computed_at",
        ]

    def get_days_left(self, obj) -> int:
        return (obj.anniversary - clock.today()).days

    def get_compliance(self, obj) -> str:
        if hasattr(obj, "not_met_yet"):  # read by the database (selectors.portfolio_rows)
            return status.compliance_value(compliant=obj.compliant, at_risk=obj.at_risk, not_met_yet=obj.not_met_yet)
        return status.compliance_value(compliant=obj.compliant, at_risk=obj.at_risk, requirements=obj.requirements)

    def get_compliance_label(self, obj) -> str:
        return status.label(status.COMPLIANCE, self.get_compliance(obj))

    def get_unmet(self, obj) -> list[str]:
        if hasattr(obj, "unmet_labels"):  # read by the database (selectors.portfolio_rows)
            return obj.unmet_labels
        return [r["label"] for r in obj.requirements if not r["met"]]

    def to_representation(self, obj) -> dict:
        """What ModelSerializer writes (tests hold the two equal), without its per-field machinery: a page is 50
        rows, and DRF's generic path cost more than reading them."""
        return {
            "id": obj.id,
            "partner": obj.partner_id,
            "partner_name": obj.partner_name,
            "country": obj.territory.code,
            "credential_type": obj.credential_type,
            "credential_id": obj.credential_id,
            "name": obj.name,
            "tier": obj.tier,
            "status": obj.status,
            "status_label": status.label(status.LIFECYCLE, obj.status),
            "anniversary": obj.anniversary.isoformat(),
            "days_left": self.get_days_left(obj),
            "compliant": obj.compliant,
            "at_risk": obj.at_risk,
            "compliance": self.get_compliance(obj),
            "compliance_label": self.get_compliance_label(obj),
            "points": obj.points,
            "csat_count": obj.csat_count,
            "csat_required": obj.csat_required,
            "unmet": self.get_unmet(obj),
            "requirement_set": obj.requirement_set,
            "as_of": obj.as_of.isoformat(),
            "computed_at": COMPUTED_AT.to_representation(obj.computed_at),
        }


class VerdictChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = VerdictChange
        fields = ["credential_type", "credential_id", "name", "as_of", "compliant", "requirement_set", "requirements"]


class CertificationSerializer(serializers.ModelSerializer):
    tier = serializers.CharField(source="tier.name")
    country = serializers.CharField(source="territory.code")
    status_label = StatusLabelField(LIFECYCLE, source="status")

    class Meta:
        model = PartnerCertification
        fields = [
            "id",
            "partner",
            "country",
            "tier",
            "tier_since",
            "status",
            "status_label",
            "certified_on",
            "anniversary",
            "last_renewed_on",
        ]


class CertificationInputSerializer(StrictSerializerMixin, serializers.Serializer):
    partner = serializers.IntegerField()
    country = serializers.CharField(max_length=10)
    tier = serializers.CharField(max_length=40)
    on = serializers.DateField(help_text="Certified (or moved to this tier) on")
    anniversary = serializers.DateField(required=False)


class EvidenceFileSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.StringRelatedField(allow_null=True)  # the FK is nullable
    download = serializers.SerializerMethodField()

    class Meta:
        model = EvidenceFile
        fields = ["id", "name", "content_type", "size", "uploaded_by", "uploaded_at", "download"]
        extra_kwargs = {"size": {"help_text": "Bytes"}}

    def get_download(self, obj) -> str:
        """The document itself (only to those who may see the record)."""
        return reverse("v1:evidence-file-download", kwargs={"pk": obj.pk}, request=self.context.get("request"))


class EvidenceUploadSerializer(StrictSerializerMixin, serializers.Serializer):
    file = serializers.ListField(
        child=serializers.FileField(),
        min_length=1,
        help_text="One or more documents (repeat the part): PDF or images (PNG, JPEG, GIF, WebP), judged by their "
        "content; EVIDENCE_MAX_BYTES each (10 MB by default), EVIDENCE_MAX_FILES on a record (20 by default)",
    )


class _RecordSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="territory.code", read_only=True)
    verified_by = serializers.StringRelatedField(allow_null=True)  # the FK is nullable
    evidence = EvidenceFileSerializer(many=True, read_only=True)


class HybridITServiceSerializer(_RecordSerializer):
    class Meta:
        model = HybridITService
        fields = [
            "id",
            "partner",
            "country",
            "name",
            "kind",
            "provider_contract",
            "customer_sla",
            "description",
            "lifecycle_process",
            "withdrawn_on",
            "verified_on",
            "verified_by",
            "evidence",
        ]


class SupportAgreementSerializer(_RecordSerializer):
    class Meta:
        model = SupportAgreement
        fields = [
            "id",
            "partner",
            "country",
            "kind",
            "reference",
            "starts_on",
            "ends_on",
            "verified_on",
            "verified_by",
            "evidence",
        ]


class SupportCapabilitySerializer(_RecordSerializer):
    class Meta:
        model = SupportCapability
        fields = [
            "id",
            "partner",
            "country",
            "code",
            "description",
            "since",
            "until",
            "verified_on",
            "verified_by",
            "evidence",
        ]


def input_serializer_for(model):
    """The input serializer of a partner record: its editable fields plus partner and country, strict."""

    class Input(StrictSerializerMixin, serializers.ModelSerializer):
        partner = serializers.IntegerField(required=False, help_text="Defaults to your own partner")
        country = serializers.CharField(max_length=10)

        class Meta:
            ref_name = f"{model.__name__}Input"

    Input.Meta.model = model
    Input.Meta.fields = ["partner", "country", *RECORD_FIELDS[model.__name__]]
    Input.__name__ = f"{model.__name__}InputSerializer"
    return Input
