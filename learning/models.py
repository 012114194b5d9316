"""Knowledge sessions, the Continuous Learning points policy and the append-only points ledger (RULES §3).

CE-credit models (individual certifications) live in `ce_*.py` modules of this app.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from core.models import EffectiveDatedPolicy
from core.words import plural
from partners.access import TenantQuerySet
from specializations.models import SpecializationKind

from .rules import COUNTING_WAYS

SESSION_POINTS = [(1, "1 point"), (5, "5 points"), (10, "10 points"), (20, "20 points")]
# Where ledger lines came from, as a person says it (the `source` column holds the code).
SOURCES = {"form": "form", "csv": "CSV upload", "api": "API", "admin": "admin", "demo": "demo data"}


class KnowledgeSession(models.Model):
    """A catalogue session worth 1, 5, 10 or 20 points (RULES 3.1), connected to specializations
    directly or through their architectures (RULES 3.3)."""

    code = models.CharField(max_length=40, unique=True, help_text="Catalogue code, used in CSV uploads and the API")
    title = models.CharField(max_length=200)
    focus_area = models.ForeignKey("specializations.FocusArea", on_delete=models.PROTECT, related_name="sessions")
    specializations = models.ManyToManyField(
        "specializations.Specialization", blank=True, related_name="knowledge_sessions"
    )
    architectures = models.ManyToManyField(
        "specializations.Architecture", blank=True, related_name="knowledge_sessions"
    )
    points = models.PositiveSmallIntegerField(choices=SESSION_POINTS)
    duration_hours = models.DecimalField(max_digits=5, decimal_places=1, help_text="About one point per hour")
    via_assessment = models.BooleanField(
        default=False, help_text="Points are registered when the individual passes the online assessment"
    )
    is_active = models.BooleanField(default=True, help_text="Offered in the catalogue (and in plans)")

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(points__in=[p for p, _ in SESSION_POINTS]),
                name="knowledge_session_points_1_5_10_20",
                violation_error_message="A knowledge session is worth 1, 5, 10 or 20 points.",
            ),
            models.CheckConstraint(
                condition=Q(duration_hours__gt=0),
                name="knowledge_session_duration_positive",
                violation_error_message="The duration must be more than zero hours.",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({plural(self.points, 'point')})"


class PointsPolicy(EffectiveDatedPolicy):
    """Required points per specialization kind, effective-dated by the renewal's anniversary (RULES 3.4, 3.5).

    Both ends are inclusive; `effective_to` empty means open-ended. No row for an anniversary means
    no points requirement. Rows are never rewritten once they applied: add a new period instead.
    """

    kind = models.CharField(max_length=20, choices=SpecializationKind.choices)
    label = models.CharField(max_length=100, help_text="How the verdict names this policy, e.g. 'Transitional 2016'")
    effective_from = models.DateField(help_text="First anniversary this row applies to")
    effective_to = models.DateField(null=True, blank=True, help_text="Last anniversary (inclusive); empty: open")
    required_points = models.PositiveIntegerField()
    window_months = models.PositiveSmallIntegerField(
        default=12, help_text="Points count in the calendar months before the anniversary (and after the last renewal)"
    )
    pace_days = models.PositiveSmallIntegerField(
        default=90, help_text="Days of recent learning the forecast's pace uses"
    )

    class Meta:
        ordering = ["kind", "effective_from"]
        verbose_name_plural = "points policies"
        constraints = [
            models.UniqueConstraint(fields=["kind", "effective_from"], name="points_policy_unique_start"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=models.F("effective_from")),
                name="points_policy_period_ordered",
                violation_error_message="The period cannot end before it starts.",
            ),
            models.CheckConstraint(condition=Q(window_months__gte=1), name="points_policy_window_positive"),
        ]

    def __str__(self):
        end = self.effective_to or "open"
        return f"{self.get_kind_display()} {plural(self.required_points, 'point')} ({self.label}, {self.effective_from}–{end})"

    def clean(self):
        if not self.kind or not self.effective_from:
            return
        overlapping = (
            PointsPolicy.objects.filter(kind=self.kind)
            .exclude(pk=self.pk)
            .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=self.effective_from))
        )
        if self.effective_to is not None:
            overlapping = overlapping.filter(effective_from__lte=self.effective_to)
        other = overlapping.first()
        if other:
            raise ValidationError({"effective_from": f"This period overlaps {other}. End that period first."})


class LearningHow(models.TextChoices):
    VIEWED = "viewed", "Viewed (started)"
    DOWNLOADED = "downloaded", "Downloaded"
    ASSESSMENT_PASSED = "assessment_passed", "Passed the online assessment"


class LearningRecordQuerySet(TenantQuerySet):
    individual_lookup = "individual"

    def effective(self):
        """Entries that stand: not a reversal and not reversed."""
        return self.filter(reversal_of__isnull=True).exclude(
            pk__in=LearningRecord.objects.filter(reversal_of__isnull=False).values("reversal_of")
        )

    def counting(self):
        """Entries of a kind that registers points (a view, or a passed assessment: RULES 3.2)."""

        q = Q(pk__in=[])
        for how, via_assessment in COUNTING_WAYS:
            q |= Q(how=how, session__via_assessment=via_assessment)
        return self.filter(q)


class LearningRecord(models.Model):
    """One line of the append-only points ledger: who did which session, when and how.

    A correction is a new row that reverses an earlier one (`reversal_of`) with a reason; nothing is
    deleted or edited. `client_record_id` is unique per partner, so re-sending a record adds nothing.
    """

    # Indexes: the partner leads `learning_partner_day` and the client-id constraint, so it needs none of its own;
    # `learning_record_reversed_once` serves every lookup by `reversal_of`; nothing reads by `recorded_by`.
    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.CASCADE, related_name="learning_records", db_index=False
    )
    individual = models.ForeignKey("partners.Individual", on_delete=models.PROTECT, related_name="learning_records")
    session = models.ForeignKey(KnowledgeSession, on_delete=models.PROTECT, related_name="records")
    occurred_on = models.DateField()
    how = models.CharField(max_length=20, choices=LearningHow.choices)
    client_record_id = models.CharField(
        "client record ID", max_length=100, help_text="The sender's id; a repeat is recognised, not added"
    )
    reversal_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversals", db_index=False
    )
    reason = models.CharField(max_length=300, blank=True, help_text="Why an entry is reversed")
    source = models.CharField(max_length=10, default="form", help_text="form, csv, api, admin")
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )

    objects = LearningRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["partner", "occurred_on"], name="learning_partner_day")]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "client_record_id"],
                name="learning_record_client_id_per_partner",
                violation_error_message="This client record id was already used.",
            ),
            models.UniqueConstraint(
                fields=["reversal_of"],
                condition=Q(reversal_of__isnull=False),
                name="learning_record_reversed_once",
                violation_error_message="This entry has already been reversed.",
            ),
            models.CheckConstraint(
                condition=Q(reversal_of__isnull=True) | ~Q(reason=""),
                name="learning_reversal_has_reason",
                violation_error_message="A reversal needs a reason.",
            ),
        ]

    def __str__(self):
        prefix = "Reversal of " if self.reversal_of_id else ""
        return f"{prefix}{self.individual} {self.get_how_display().lower()} {self.session.title} on {self.occurred_on}"

    @property
    def source_label(self) -> str:
        return SOURCES.get(self.source, self.source)

    @property
    def signed_points(self) -> int:
        """The session's points as this line moves them: negative on a reversal."""
        return -self.session.points if self.reversal_of_id else self.session.points
