"""The renewal lifecycle of every credential: policy, renewal applications, non-compliance incidents.

Credentials are every concrete subclass of compliance.models.CredentialBase (partner
specializations, partner certifications). They are referenced generically by content type and
object id: the lifecycle treats all of them alike, the verdict contract keys them the same way
(`(label_lower, pk)`), and a new kind of credential needs no schema change here. Each row also
carries its partner as a real foreign key, so tenancy, cascades and joins stay plain.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from core.models import EffectiveDatedPolicy, UpdatedAt
from partners.access import TenantQuerySet


class RenewalPolicy(EffectiveDatedPolicy):
    """Effective-dated notice schedule (RULES 6 and 7); the default row is a data migration."""

    effective_from = models.DateField(unique=True)
    recert_window_days = models.PositiveIntegerField(help_text="Approved becomes Re-Cert this many days before")
    reminder_days = models.JSONField(help_text="Reminders this many days before the anniversary, e.g. [30, 7]")
    lapse_after_days = models.PositiveIntegerField(help_text="Lost when no renewal by this many days after")
    acknowledge_days = models.PositiveIntegerField(help_text="Days a partner has to acknowledge non-compliance")

    class Meta:
        ordering = ["-effective_from"]
        verbose_name_plural = "renewal policies"

    def __str__(self):
        return f"Renewal policy from {self.effective_from}"

    def clean(self):
        days = self.reminder_days
        if not isinstance(days, list) or not all(isinstance(d, int) and d > 0 for d in days):
            raise ValidationError({"reminder_days": "Give a list of whole numbers of days, e.g. [30, 7]."})


class CredentialRef(models.Model):
    """The credential a row is about (abstract)."""

    partner = models.ForeignKey("partners.Partner", on_delete=models.CASCADE, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    credential = GenericForeignKey("content_type", "object_id")

    class Meta:
        abstract = True


class RenewalApplicationQuerySet(TenantQuerySet):
    pass


class RenewalApplication(UpdatedAt, CredentialRef):
    SUBMITTED, APPROVED, REJECTED = "submitted", "approved", "rejected"
    STATUS_CHOICES = [(SUBMITTED, "Submitted"), (APPROVED, "Approved"), (REJECTED, "Rejected")]

    cycle_anniversary = models.DateField(help_text="The anniversary this application renews")
    status = models.CharField(max_length=10, choices=STATUS_CHOICES, default=SUBMITTED, db_index=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField()
    submitted_on = models.DateField(help_text="Program date of the submission")
    verdict = models.JSONField(default=dict, help_text="The requirements as evaluated at submission")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    objects = RenewalApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "cycle_anniversary"],
                condition=~Q(status="rejected"),
                name="one_live_renewal_per_cycle",
                violation_error_message="A renewal for this anniversary has already been submitted.",
            ),
        ]

    def __str__(self):
        return f"Renewal of {self.credential} for {self.cycle_anniversary} ({self.get_status_display()})"


class IncidentQuerySet(TenantQuerySet):
    def open(self):
        return self.filter(closed_on__isnull=True)


class NonComplianceIncident(CredentialRef):
    """A credential found non-compliant (RULES 7): acknowledge, extension, revocation review."""

    COMPLIANT, REVOKED, ENDED = "compliant", "revoked", "ended"
    RESOLUTION_CHOICES = [
        (COMPLIANT, "Compliant again"),
        (REVOKED, "Credential revoked"),
        (ENDED, "Credential no longer held"),
    ]

    opened_on = models.DateField()
    acknowledge_by = models.DateField(help_text="Last day to acknowledge")
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    extension_end = models.DateField(null=True, blank=True, help_text="Last day of the extension")
    extended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    flagged_for_revocation_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    resolution = models.CharField(max_length=10, choices=RESOLUTION_CHOICES, blank=True)
    unmet = models.JSONField(default=list, blank=True, help_text="The unmet requirements when it opened")

    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = "non-compliance incident"
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=Q(closed_on__isnull=True),
                name="one_open_incident_per_credential",
            ),
        ]

    def __str__(self):
        return f"Non-compliance of {self.credential} from {self.opened_on}"

    @property
    def is_open(self):
        return self.closed_on is None
