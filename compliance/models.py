from pathlib import Path
from uuid import uuid4

from django.conf import settings
from django.db import models

from core.models import CredentialBase, CredentialStatus
from partners.access import TenantQuerySet

from .evidence_rules import file_size

# --- Certifications, requirement sets, policy rows and verdicts (issue 4) -------------------------


class CertificationTier(models.Model):
    """Registered, Premier, Silver, Gold (higher tiers may be added as data)."""

    name = models.CharField(max_length=40, unique=True)
    rank = models.PositiveSmallIntegerField(unique=True)
    counts_as_certified = models.BooleanField(
        default=True,
        help_text="Premier, Silver, Gold: a holding within the look-back makes a partner not new (RULES 5.6)",
    )

    class Meta:
        ordering = ["rank"]

    def __str__(self):
        return self.name


class CertificationQuerySet(TenantQuerySet):
    def active(self):
        return self.filter(status__in=[CredentialStatus.APPROVED, CredentialStatus.RECERT])


class PartnerCertification(CredentialBase):
    """The certification tier a partner holds in one territory (one row per partner and territory)."""

    partner = models.ForeignKey("partners.Partner", on_delete=models.CASCADE, related_name="certifications")
    territory = models.ForeignKey("partners.Territory", on_delete=models.PROTECT, related_name="certifications")
    tier = models.ForeignKey(CertificationTier, on_delete=models.PROTECT, related_name="certifications")
    tier_since = models.DateField(help_text="Holding the current tier since (e.g. the day Premier moved to Gold)")

    objects = CertificationQuerySet.as_manager()

    class Meta:
        ordering = ["partner__legal_name", "territory__name"]
        constraints = [models.UniqueConstraint(fields=["partner", "territory"], name="one_certification_per_territory")]

    def __str__(self):
        return f"{self.tier} · {self.territory} · {self.partner}"

    @property
    def credential_name(self) -> str:
        return self.tier.name


class CertificationChangeQuerySet(TenantQuerySet):
    partner_lookup = "certification__partner"


class CertificationChange(models.Model):
    """History of a certification: from `changed_on` the partner held `to_tier` (empty = lost/not certified).
    Answers "Premier moving to Gold" and "not Premier, Silver or Gold in the previous six months"."""

    certification = models.ForeignKey(PartnerCertification, on_delete=models.CASCADE, related_name="changes")
    from_tier = models.ForeignKey(CertificationTier, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_tier = models.ForeignKey(CertificationTier, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    changed_on = models.DateField()

    objects = CertificationChangeQuerySet.as_manager()

    class Meta:
        ordering = ["certification", "changed_on", "id"]

    def __str__(self):
        return f"{self.from_tier or '—'} → {self.to_tier or 'not certified'} on {self.changed_on}"


class RequirementSet(models.Model):
    """An effective-dated set of requirements for a tier. New applicants meet the latest set whose
    `new_from` is on or before the certification date; existing partners the latest whose `renewal_from`
    is on or before the renewal date (2015 Premier set: new from 2015-04-01, renewals from 2015-08-01)."""

    tier = models.ForeignKey(CertificationTier, on_delete=models.PROTECT, related_name="requirement_sets")
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    new_from = models.DateField()
    renewal_from = models.DateField()

    class Meta:
        ordering = ["tier__rank", "new_from"]

    def __str__(self):
        return self.name


class Requirement(models.Model):
    SPECIALIZATION, HYBRID_IT, SUPPORT, CSAT = "specialization", "hybrid_it", "support", "csat"
    KIND_CHOICES = [
        (SPECIALIZATION, "Specialization options"),
        (HYBRID_IT, "Hybrid IT services"),
        (SUPPORT, "Support"),
        (CSAT, "Customer satisfaction"),
    ]

    requirement_set = models.ForeignKey(RequirementSet, on_delete=models.CASCADE, related_name="requirements")
    kind = models.CharField(max_length=20, choices=KIND_CHOICES)
    label = models.CharField(max_length=120)
    position = models.PositiveSmallIntegerField(default=0)
    params = models.JSONField(default=dict, blank=True, help_text="Options of the kind (see compliance/rules.py)")

    class Meta:
        ordering = ["requirement_set", "position"]

    def __str__(self):
        return f"{self.requirement_set}: {self.label}"


class VerifiedQuerySet(TenantQuerySet):
    def in_force(self, as_of):
        return self.filter(verified_on__isnull=False, verified_on__lte=as_of)


class PartnerRecord(models.Model):
    """Something a partner admin records for a territory and program staff verify."""

    partner = models.ForeignKey("partners.Partner", on_delete=models.CASCADE, related_name="+")
    territory = models.ForeignKey("partners.Territory", on_delete=models.PROTECT, related_name="+")
    verified_on = models.DateField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VerifiedQuerySet.as_manager()

    class Meta:
        abstract = True


class HybridITService(PartnerRecord):
    CLOUD, POWERED_CLOUD, POWERED_MANAGED, PARTNER_CREATED = (
        "cloud",
        "powered_cloud",
        "powered_managed",
        "partner_created",
    )
    KIND_CHOICES = [
        (CLOUD, "Cloud Service"),
        (POWERED_CLOUD, "Powered Cloud Service"),
        (POWERED_MANAGED, "Powered Managed Service"),
        (PARTNER_CREATED, "Based Partner-Created Service"),
    ]

    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=KIND_CHOICES)
    provider_contract = models.CharField(max_length=200, blank=True, help_text="Provider contract reference")
    customer_sla = models.CharField("customer SLA", max_length=200, blank=True, help_text="End-customer SLA reference")
    description = models.TextField(blank=True, help_text="Marketing and/or technical description")
    lifecycle_process = models.CharField(
        max_length=200, blank=True, help_text="Hybrid IT resale lifecycle-management process reference"
    )
    withdrawn_on = models.DateField(null=True, blank=True, help_text="No longer sold from this day")

    class Meta:
        ordering = ["name"]
        verbose_name = "Hybrid IT service"

    def __str__(self):
        return self.name


class SupportAgreement(PartnerRecord):
    RESALE, ICPA = "resale", "icpa"
    KIND_CHOICES = [(RESALE, "Resale agreement"), (ICPA, "Indirect channel partner agreement")]

    kind = models.CharField(max_length=10, choices=KIND_CHOICES)
    reference = models.CharField(max_length=100)
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["-ends_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="agreement_ends_after_start",
                violation_error_message="The end date cannot be before the start date.",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.reference}"


class SupportCapability(PartnerRecord):
    CUSTOMER_SERVICE_8X5, PRE_SALES, POST_SALES, CALLBACK_24H = (
        "customer_service_8x5",
        "pre_sales",
        "post_sales",
        "callback_24h",
    )
    CODE_CHOICES = [
        (CUSTOMER_SERVICE_8X5, "8×5 customer service"),
        (PRE_SALES, "pre-sales support"),
        (POST_SALES, "post-sales support per the partner support agreement"),
        (CALLBACK_24H, "24-hour call back"),
    ]

    code = models.CharField(max_length=30, choices=CODE_CHOICES)
    description = models.CharField(max_length=300, blank=True, help_text="How the partner provides it")
    since = models.DateField()
    until = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "support capabilities"
        constraints = [
            models.UniqueConstraint(fields=["partner", "territory", "code"], name="one_capability_per_territory")
        ]

    def __str__(self):
        return self.get_code_display()


def evidence_path(evidence, filename):
    """An unguessable storage name: nothing of the uploaded name, a random hex and the detected type's extension."""
    return f"evidence/{evidence.partner_id}/{uuid4().hex}{Path(filename).suffix.lower()}"


class EvidenceFile(models.Model):
    """A document (PDF or image) a partner attaches to a Hybrid IT service, support agreement or support
    capability for program staff to verify. Exactly one of the three record links is set; `partner` is the
    record's, so `visible_to` scopes the files as it scopes the records."""

    partner = models.ForeignKey("partners.Partner", on_delete=models.CASCADE, related_name="+")
    hybrid_it_service = models.ForeignKey(
        HybridITService, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    support_agreement = models.ForeignKey(
        SupportAgreement, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    support_capability = models.ForeignKey(
        SupportCapability, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(upload_to=evidence_path, max_length=200)
    name = models.CharField(max_length=120, help_text="The uploaded file's name, made safe")
    content_type = models.CharField(max_length=40, help_text="Detected from the content, never from the name")
    size = models.PositiveBigIntegerField(help_text="Bytes")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    objects = TenantQuerySet.as_manager()

    RECORD_FIELDS = {
        "HybridITService": "hybrid_it_service",
        "SupportAgreement": "support_agreement",
        "SupportCapability": "support_capability",
    }

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = "evidence file"
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(hybrid_it_service__isnull=False, support_agreement=None, support_capability=None)
                    | models.Q(hybrid_it_service=None, support_agreement__isnull=False, support_capability=None)
                    | models.Q(hybrid_it_service=None, support_agreement=None, support_capability__isnull=False)
                ),
                name="evidence_of_one_record",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def size_text(self) -> str:
        return file_size(self.size)

    @property
    def record(self) -> PartnerRecord:
        return self.hybrid_it_service or self.support_agreement or self.support_capability  # type: ignore[return-value]


class VerdictQuerySet(TenantQuerySet):
    pass


class CredentialVerdict(models.Model):
    """The stored current verdict of one credential (a certification or a specialization), with the
    figures the portfolio shows, so the dashboard is one query whatever the number of partners."""

    credential_type = models.CharField(max_length=60, help_text="model label, e.g. compliance.partnercertification")
    credential_id = models.BigIntegerField()
    partner = models.ForeignKey("partners.Partner", on_delete=models.CASCADE, related_name="+")
    # No index: the country filter walks the portfolio order (a territory is never deleted under a credential).
    territory = models.ForeignKey("partners.Territory", on_delete=models.CASCADE, related_name="+", db_index=False)
    name = models.CharField(max_length=120, help_text="Tier or specialization name")
    partner_name = models.CharField(max_length=200, blank=True, help_text="Sort key: the partner's legal name")
    territory_name = models.CharField(max_length=100, blank=True, help_text="Sort key: the territory's name")
    # No index on tier (filtered case-insensitively: a B-tree on it serves no read), compliant or at_risk (two
    # values, the portfolio order serves them); status has a plain one (Re-Cert and lapsed are the few).
    tier = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=10, choices=CredentialStatus.choices)
    anniversary = models.DateField()
    as_of = models.DateField()
    compliant = models.BooleanField()
    at_risk = models.BooleanField(default=False)
    points = models.CharField(max_length=20, blank=True, help_text="collected/required")
    csat_count = models.IntegerField("CSAT responses counted", null=True, blank=True)
    csat_required = models.IntegerField("CSAT responses required", null=True, blank=True)
    requirement_set = models.CharField(max_length=100, blank=True)
    requirements = models.JSONField(default=list)
    digest = models.CharField(
        max_length=64, blank=True, help_text="Hash of the verdict: unchanged rows are not rewritten"
    )
    computed_at = models.DateTimeField()
    next_change_on = models.DateField(
        null=True, blank=True, help_text="The first day on which the date alone can change this verdict"
    )

    objects = VerdictQuerySet.as_manager()

    class Meta:
        ordering = ["partner_name", "territory_name", "name", "id"]
        indexes = [
            models.Index(fields=["partner_name", "territory_name", "name", "id"], name="verdict_portfolio_order"),
            models.Index(fields=["status"], name="verdict_status"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["credential_type", "credential_id"], name="one_verdict_per_credential")
        ]

    def __str__(self):
        return f"{self.name} · {self.partner_id}: {'compliant' if self.compliant else 'not compliant'}"


class VerdictChange(models.Model):
    """Every change of a credential's compliance status: from `as_of` on it was (not) compliant."""

    credential_type = models.CharField(max_length=60)
    credential_id = models.BigIntegerField()
    partner = models.ForeignKey("partners.Partner", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=120)
    as_of = models.DateField()
    compliant = models.BooleanField()
    requirement_set = models.CharField(max_length=100, blank=True)
    requirements = models.JSONField(default=list)
    recorded_at = models.DateTimeField()

    objects = VerdictQuerySet.as_manager()

    class Meta:
        ordering = ["credential_type", "credential_id", "-as_of"]
        constraints = [
            models.UniqueConstraint(
                fields=["credential_type", "credential_id", "as_of"], name="one_verdict_change_per_day"
            )
        ]

    def __str__(self):
        return f"{self.name} from {self.as_of}: {'compliant' if self.compliant else 'not compliant'}"
