"""The tables every app shares: the event log and its notices, the recompute queue, job locks, the daily runs, and the
abstract credential and effective-dated policy models. No app is imported here.

The concrete tables kept the names they had when they lived in `compliance` and `renewals`
(Meta.db_table), so moving them here moved no data.
"""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .event_kinds import kind_topic


class UpdatedAtQuerySet(models.QuerySet):
    """`.update(...)` (and so bulk_update) also sets `updated_at` on a model that has one (UpdatedAt)."""

    def update(self, **kwargs: Any) -> int:
        if "updated_at" not in kwargs and any(f.name == "updated_at" for f in self.model._meta.concrete_fields):
            kwargs["updated_at"] = timezone.now()
        return super().update(**kwargs)


class UpdatedAt(models.Model):
    """When the row last changed, for delta sync (`?updated_after=` on the API lists). Kept current by every
    write path: save() (also with update_fields) and, with UpdatedAtQuerySet, queryset.update()."""

    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("update_fields"):  # an empty list saves nothing, as in Django
            kwargs["update_fields"] = {*kwargs["update_fields"], "updated_at"}
        super().save(*args, **kwargs)


class Event(models.Model):
    """The audit trail and the outbox: services write one row in the same transaction as a change.

    `dedupe_key` is optional and unique when set: it names something that must happen once however
    often a job runs (e.g. `renewal-reminder:partnerspecialization:42:2026-08-01:30`); events that may
    repeat (a record saved twice) have none.

    On PostgreSQL the table also has a `txid` column outside this model (core/migrations/0008_event_txid.py):
    the writing transaction's id, filled by the column's default, which orders the event feed. `individual` is set on events about one person (her
    certifications, exams, claims, employment, roles): a partner's other members do not see them.
    """

    # db_index=False: the (partner, -occurred_at) index serves every lookup by partner, the timeline's order too.
    partner = models.ForeignKey(
        "partners.Partner", null=True, blank=True, on_delete=models.CASCADE, related_name="events", db_index=False
    )
    individual = models.ForeignKey(
        "partners.Individual",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The one person the event is about, if any: her personal record (partners.access decides who sees it)",
    )
    kind = models.CharField(max_length=60)  # indexed in Meta: equality only (no LIKE index)
    summary = models.CharField(max_length=300, help_text="One line a person reads on the timeline")
    payload = models.JSONField(default=dict, blank=True)
    occurred_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    dedupe_key = models.CharField(max_length=200, unique=True, null=True, blank=True)

    class Meta:
        db_table = "compliance_event"
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["partner", "-occurred_at"], name="compliance__partner_531e75_idx"),
            models.Index(fields=["kind"], name="event_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.summary}"

    @property
    def topic(self) -> str:
        """What the event is about, in words (the timeline shows this, never the kind's code)."""
        return kind_topic(self.kind)

    @property
    def sentence(self) -> str:
        """The summary as one line to which "by <actor>" can follow (no full stop of its own)."""
        return self.summary.rstrip(". ")


class Notice(models.Model):
    """One email to one recipient, delivered from the event log (see core/notices.py)."""

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

    class Meta:
        db_table = "compliance_notice"
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["event", "recipient"], name="one_notice_per_event_recipient")]

    def __str__(self) -> str:
        return f"{self.subject} → {self.recipient} ({self.status})"


class PendingRecompute(models.Model):
    """A partner whose compliance must be recomputed. One row per partner coalesces a burst of changes
    (10,000 learning records queue one recompute); the task deletes the row when it starts."""

    partner = models.OneToOneField("partners.Partner", on_delete=models.CASCADE, related_name="+")
    requested_at = models.DateTimeField()

    class Meta:
        db_table = "compliance_pendingrecompute"

    def __str__(self) -> str:
        return f"Recompute partner {self.partner_id} (asked {self.requested_at:%Y-%m-%d %H:%M})"


class JobLock(models.Model):
    """A row locked (SELECT ... FOR UPDATE) while a batch job runs, so two runs never overlap."""

    name = models.CharField(max_length=60, primary_key=True)

    class Meta:
        db_table = "renewals_joblock"

    def __str__(self) -> str:
        return self.name


class DailyRun(models.Model):
    """One start of the daily run for a date (config/daily.py): its partner-range chunks, counted as they finish,
    and the summary its final step records. At most one run of a date is running at a time."""

    RUNNING, DONE, FAILED = "running", "done", "failed"
    STATE_CHOICES = [(s, s.title()) for s in (RUNNING, DONE, FAILED)]

    as_of = models.DateField()
    state = models.CharField(max_length=10, choices=STATE_CHOICES, default=RUNNING)
    CHANGED, FULL, NONE = "changed", "full", "none"
    RECOMPUTE_CHOICES = [
        (CHANGED, "The verdicts that can have changed"),
        (FULL, "Every verdict (after a policy change)"),
        (NONE, "None: the scan read the verdicts as stored"),
    ]

    recompute = models.CharField(max_length=8, choices=RECOMPUTE_CHOICES, default=CHANGED)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    chunks_total = models.PositiveIntegerField(default=0)
    chunks_done = models.PositiveIntegerField(default=0)
    chunks = models.JSONField(
        default=dict, blank=True, help_text="Each finished chunk's counts ([name, count] pairs), by partner ids lo-hi"
    )
    summary = models.JSONField(
        default=list, blank=True, help_text="The chunks' counts added up, then the final step's ([name, count] pairs)"
    )
    error = models.TextField(blank=True, help_text="Why a chunk gave up after its retries")

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["as_of"], condition=Q(state="running"), name="one_running_daily_run_per_date"
            )
        ]

    def __str__(self) -> str:
        return f"Daily run {self.as_of} ({self.state}, {self.chunks_done}/{self.chunks_total} chunks)"

    @property
    def totals(self) -> dict:
        return dict(self.summary)


class CredentialStatus(models.TextChoices):
    APPROVED = "approved", "Approved"
    RECERT = "recert", "Re-Cert"
    LAPSED = "lapsed", "Lapsed"
    REVOKED = "revoked", "Revoked"


ACTIVE_STATUSES = (CredentialStatus.APPROVED, CredentialStatus.RECERT)


class CredentialBase(UpdatedAt):
    """What every credential a partner holds has: a territory, a status and a yearly anniversary.

    Concrete credentials: specializations.PartnerSpecialization and compliance.PartnerCertification.
    The renewal lifecycle works on both through these fields. Each concrete model sets its own
    tenant-scoped manager (partners.access.TenantQuerySet).
    """

    partner = models.ForeignKey("partners.Partner", on_delete=models.CASCADE, related_name="+")
    territory = models.ForeignKey("partners.Territory", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=10, choices=CredentialStatus.choices, default=CredentialStatus.APPROVED, db_index=True
    )
    certified_on = models.DateField(help_text="First certified (start of the current holding)")
    anniversary = models.DateField(db_index=True, help_text="Next date by which the credential must be renewed")
    last_renewed_on = models.DateField(null=True, blank=True, help_text="Anniversary of the last renewal")
    renewed_on = models.DateField(
        null=True,
        blank=True,
        help_text="Program date the last renewal was approved: from then on the next cycle's points are shown",
    )
    status_changed_on = models.DateField(null=True, blank=True)

    class Meta(UpdatedAt.Meta):
        abstract = True

    @property
    def credential_name(self) -> str:
        """The name of what is held (the tier, the specialization); each concrete credential says it."""
        raise NotImplementedError

    @property
    def title(self) -> str:
        """The credential as people name it, with its country: "Premier · Germany"."""
        return f"{self.credential_name} · {self.territory.name}"


_M = TypeVar("_M", bound=models.Model)


class EffectiveDatedQuerySet(models.QuerySet[_M]):
    def in_force(self, day: date, **match: Any) -> _M | None:
        """The row in force on `day`: the latest that started on or before it (and, where the table has
        an end, has not ended before it), among the rows matching `match` (e.g. key=..., kind=...)."""
        qs = self.filter(effective_from__lte=day, **match)
        if any(f.name == "effective_to" for f in self.model._meta.get_fields()):
            qs = qs.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))
        return qs.order_by("-effective_from").first()


class EffectiveDatedPolicy(models.Model):
    """An effective-dated row of program figures (RULES: every figure is data). Staff add a row to change
    a figure from a day on; the row in force on a day is `Model.objects.in_force(day)`."""

    effective_from = models.DateField()

    objects = EffectiveDatedQuerySet.as_manager()

    class Meta:
        abstract = True


class Policy(EffectiveDatedPolicy):
    """One effective-dated program figure (RULES: every figure is data). The row in force on a date is the
    one with the latest `effective_from` on or before it; staff add a row to change a figure. Read through core.selectors.policy_book()."""

    key = models.CharField(max_length=60, db_index=True)
    effective_from = models.DateField()
    value = models.IntegerField()
    description = models.CharField(max_length=200, blank=True)

    class Meta:
        db_table = "compliance_policy"
        ordering = ["key", "effective_from"]
        verbose_name_plural = "policies"
        constraints = [models.UniqueConstraint(fields=["key", "effective_from"], name="one_policy_value_per_day")]

    def __str__(self) -> str:
        return f"{self.key} = {self.value} from {self.effective_from}"
