from django.conf import settings
from django.db import models

from partners.access import TenantQuerySet


class EventQuerySet(TenantQuerySet):
    pass


class Event(models.Model):
    """The audit trail and the outbox: services write one row in the same transaction as a change.

    `dedupe_key` is unique, so an event (and the notices hanging off it) happens once however
    often a job runs: e.g. `recert-notice:spec:42:2026-08-01`.
    """

    partner = models.ForeignKey("partners.Partner", null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=60, db_index=True)
    summary = models.CharField(max_length=300, help_text="One line a person reads on the timeline")
    payload = models.JSONField(default=dict, blank=True)
    occurred_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    dedupe_key = models.CharField(max_length=200, unique=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["partner", "-occurred_at"])]

    def __str__(self):
        return f"{self.kind}: {self.summary}"


class NoticeQuerySet(TenantQuerySet):
    partner_lookup = "event__partner"


class Notice(models.Model):
    """One email to one recipient, delivered from the event log (see compliance/services.py)."""

    PENDING, SENDING, SENT, FAILED, CANCELLED = "pending", "sending", "sent", "failed", "cancelled"
    STATUS_CHOICES = [(s, s.title()) for s in (PENDING, SENDING, SENT, FAILED, CANCELLED)]

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="notices")
    recipient = models.EmailField()
    cc = models.JSONField(default=list, blank=True)
    subject = models.CharField(max_length=200)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=STATUS_CHOICES, default=PENDING, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["event", "recipient"], name="one_notice_per_event_recipient")]

    def __str__(self):
        return f"{self.subject} → {self.recipient} ({self.status})"


class CredentialStatus(models.TextChoices):
    APPROVED = "approved", "Approved"
    RECERT = "recert", "Re-Cert"
    LAPSED = "lapsed", "Lapsed"
    REVOKED = "revoked", "Revoked"


class CredentialBase(models.Model):
    """What every credential a partner holds has: a territory, a status and a yearly anniversary.

    Concrete credentials: specializations.PartnerSpecialization and compliance.PartnerCertification.
    The renewal lifecycle (compliance) works on both through these fields.
    """

    partner = models.ForeignKey("partners.Partner", on_delete=models.CASCADE, related_name="+")
    territory = models.ForeignKey("partners.Territory", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=CredentialStatus.choices, default=CredentialStatus.APPROVED,
                              db_index=True)
    certified_on = models.DateField(help_text="First certified (start of the current holding)")
    anniversary = models.DateField(db_index=True, help_text="Next date by which the credential must be renewed")
    last_renewed_on = models.DateField(null=True, blank=True, help_text="Anniversary of the last renewal")
    status_changed_on = models.DateField(null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        abstract = True


class PendingRecompute(models.Model):
    """A partner whose compliance must be recomputed. One row per partner coalesces a burst of changes
    (10,000 learning records queue one recompute); the task deletes the row when it starts."""

    partner = models.OneToOneField("partners.Partner", on_delete=models.CASCADE, related_name="+")
    requested_at = models.DateTimeField()
