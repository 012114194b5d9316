"""Individual certifications, exams, CE activities and CE credit claims (RULES §8).

Personal rows (certifications, their periods, exams, claims) are seen by program staff, the
account managers and admins of the individual's CURRENT partner, and the individual themselves.
Program data (policy, renewal paths, the activity catalogue) is seen by every user with a role.
"""

from __future__ import annotations

from uuid import uuid4

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.models import EffectiveDatedPolicy, EffectiveDatedQuerySet, UpdatedAt
from partners import access
from partners.access import TenantQuerySet, role_of


class Level(models.TextChoices):
    ASSOCIATE = "associate", "Associate"
    SPECIALIST = "specialist", "Specialist"
    PROFESSIONAL = "professional", "Professional"
    EXPERT = "expert", "Expert"


class ExamKind(models.TextChoices):
    ASSOCIATE = "associate", "associate"
    SPECIALIST = "specialist", "specialist"
    PROFESSIONAL = "professional", "professional"
    TECHNOLOGY = "technology", "technology"


class ProgramQuerySet(models.QuerySet):
    """Program data: visible to everyone with a role in the program."""

    def visible_to(self, user):
        return self if role_of(user) else self.none()


class CePolicyQuerySet(ProgramQuerySet, EffectiveDatedQuerySet):  # type: ignore[override]  # stubs: as_manager() return types of two querysets
    pass


class CePolicy(EffectiveDatedPolicy):
    """The figures of the CE program, effective-dated. The row in force on a period's start applies."""

    effective_from = models.DateField(unique=True)
    effective_to = models.DateField(null=True, blank=True)
    period_years = models.PositiveSmallIntegerField(help_text="Years a certification period lasts (RULES 8.1)")
    first_reminder_days = models.PositiveSmallIntegerField(help_text="First reminder, days before expiry")
    second_reminder_days = models.PositiveSmallIntegerField(help_text="Second reminder, days before expiry")
    expiring_window_days = models.PositiveSmallIntegerField(
        help_text="A partner admin sees certifications expiring within this many days"
    )
    certificate_max_bytes = models.PositiveIntegerField(help_text="Largest completion certificate accepted")

    objects = CePolicyQuerySet.as_manager()  # type: ignore[misc,assignment]  # stubs: a subclass's own as_manager() manager

    class Meta:
        db_table = "learning_cepolicy"
        ordering = ["-effective_from"]
        verbose_name = "CE policy"
        verbose_name_plural = "CE policies"

    def __str__(self):
        return f"CE policy from {self.effective_from}"


class CeRenewalPath(models.Model):
    """One way to renew a level: `ce_credits` plus `exam_count` exams of `exam_kind` (RULES 8.1).

    The paths in force on a period's expiry date apply to that period.
    """

    level = models.CharField(max_length=20, choices=Level.choices, db_index=True)
    ce_credits = models.PositiveSmallIntegerField("CE credits")
    exam_kind = models.CharField(max_length=20, choices=ExamKind.choices, blank=True)
    exam_count = models.PositiveSmallIntegerField(default=0)
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in which the paths are shown")
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        db_table = "learning_cerenewalpath"
        ordering = ["level", "position", "pk"]
        verbose_name = "CE renewal path"
        constraints = [
            models.CheckConstraint(
                condition=Q(exam_count=0, exam_kind="") | Q(exam_count__gt=0) & ~Q(exam_kind=""),
                name="ce_path_exam_kind_with_count",
                violation_error_message="A path with exams says which kind of exam, and only then.",
            ),
        ]

    def __str__(self):
        text = f"{self.get_level_display()}: {self.ce_credits} CE"
        if self.exam_count:
            text += f" + {self.exam_count} {self.exam_kind} exam{'s' if self.exam_count > 1 else ''}"
        return text


class CeActivity(models.Model):
    """An item of the CE catalogue. A completion after `expires_on` earns nothing (RULES 8.2)."""

    class Type(models.TextChoices):
        ONLINE_VIDEOS = "online_videos", "Online videos"
        ONLINE_COURSE = "online_course", "Online course"
        INSTRUCTOR_LED = "instructor_led", "Instructor-led course"
        EVENT = "event", "Event"
        OTHER = "other", "Other"

    title = models.CharField(max_length=200)
    activity_type = models.CharField(max_length=20, choices=Type.choices)
    credits = models.PositiveSmallIntegerField()
    cost = models.DecimalField(max_digits=9, decimal_places=2, default=0)
    currency = models.CharField(max_length=3, default="USD")
    expires_on = models.DateField(help_text="Completions after this date earn nothing")

    objects = ProgramQuerySet.as_manager()

    class Meta:
        db_table = "learning_ceactivity"
        ordering = ["title"]
        verbose_name = "CE activity"
        verbose_name_plural = "CE activities"
        constraints = [models.UniqueConstraint(fields=["title", "expires_on"], name="ce_activity_title_expiry")]

    def __str__(self):
        return f"{self.title} ({self.credits} CE)"


class PersonalQuerySet(TenantQuerySet):
    """Rows about one individual, seen through the individual's current partner (and by the individual)."""

    partner_lookup = "individual__associations__partner"
    individual_lookup = "individual"

    def visible_to(self, user):
        return access.personal_visible(self, user, individual_lookup=self.individual_lookup)


class IndividualCertification(UpdatedAt):
    """A certification an individual holds. `period_starts_on`/`expires_on` mirror the current period."""

    individual = models.ForeignKey("partners.Individual", on_delete=models.CASCADE, related_name="ce_certifications")
    track = models.CharField(max_length=100, help_text="e.g. CCNP Enterprise")
    level = models.CharField(max_length=20, choices=Level.choices)
    certified_on = models.DateField(help_text="First certified")
    period_starts_on = models.DateField()
    expires_on = models.DateField(db_index=True, help_text="Last day of the current period")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PersonalQuerySet.as_manager()

    class Meta:
        db_table = "learning_individualcertification"
        ordering = ["expires_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["individual", "track", "level"],
                name="ce_one_certification_per_track",
                violation_error_message="This individual already holds this certification.",
            ),
        ]

    def __str__(self):
        return f"{self.track} ({self.get_level_display()})"


class CertificationPeriodQuerySet(PersonalQuerySet):
    individual_lookup = "certification__individual"


class CertificationPeriod(models.Model):
    """One renewal period. Periods of a certification follow each other without gap or overlap:
    a period runs from `starts_on` until the day before the next period starts (open while current)."""

    certification = models.ForeignKey(IndividualCertification, on_delete=models.CASCADE, related_name="periods")
    starts_on = models.DateField()
    expires_on = models.DateField()
    renewed_on = models.DateField(null=True, blank=True)
    renewal_path = models.ForeignKey(CeRenewalPath, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    objects = CertificationPeriodQuerySet.as_manager()

    class Meta:
        db_table = "learning_certificationperiod"
        ordering = ["certification", "starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["certification", "starts_on"], name="ce_one_period_per_start"),
            models.CheckConstraint(
                condition=Q(expires_on__gt=models.F("starts_on")), name="ce_period_expires_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.certification}: {self.starts_on} to {self.expires_on}"


class ExamPass(models.Model):
    """An exam an individual passed. Exams count towards the period in which they were passed."""

    individual = models.ForeignKey("partners.Individual", on_delete=models.CASCADE, related_name="ce_exams")
    kind = models.CharField(max_length=20, choices=ExamKind.choices)
    exam_code = models.CharField(max_length=40, blank=True, help_text="e.g. 350-401 ENCOR")
    passed_on = models.DateField()

    objects = PersonalQuerySet.as_manager()

    class Meta:
        db_table = "learning_exampass"
        ordering = ["-passed_on", "pk"]
        verbose_name = "exam pass"
        verbose_name_plural = "exam passes"

    def __str__(self):
        return f"{self.get_kind_display()} exam {self.exam_code} passed {self.passed_on}".replace("  ", " ")


def certificate_path(claim, filename):
    """Never the uploaded name: a fresh random name under the individual's folder."""
    return f"ce/certificates/{claim.individual_id}/{uuid4().hex}.pdf"


class CeClaim(UpdatedAt):
    """A submitted CE item (RULES 8.3): Pending until staff mark it Earned or Rejected (with a reason)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        EARNED = "earned", "Earned"
        REJECTED = "rejected", "Rejected"

    individual = models.ForeignKey("partners.Individual", on_delete=models.CASCADE, related_name="ce_claims")
    activity = models.ForeignKey(CeActivity, null=True, blank=True, on_delete=models.PROTECT, related_name="claims")
    course_name = models.CharField(max_length=200, blank=True, help_text="When the course is not in the catalogue")
    started_on = models.DateField()
    ended_on = models.DateField(db_index=True)
    validation_code = models.CharField(
        max_length=60,
        unique=True,
        error_messages={"unique": "This certificate validation code has already been claimed."},
    )
    certificate = models.FileField(upload_to=certificate_path, max_length=200)
    credits = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    rejection_reason = models.TextField(blank=True)
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    earned_on = models.DateField(null=True, blank=True, help_text="Program date on which it was marked Earned")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = PersonalQuerySet.as_manager()

    class Meta:
        db_table = "learning_ceclaim"
        ordering = ["-submitted_at", "-pk"]
        verbose_name = "CE claim"
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__gte=models.F("started_on")),
                name="ce_claim_end_after_start",
                violation_error_message="The end date cannot be before the start date.",
            ),
            models.CheckConstraint(
                condition=~Q(activity__isnull=True, course_name=""),
                name="ce_claim_names_course",
                violation_error_message="Choose an activity or give the course name.",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected", rejection_reason=""),
                name="ce_claim_rejection_has_reason",
                violation_error_message="A rejection needs a reason.",
            ),
            models.CheckConstraint(
                condition=Q(status="earned", earned_on__isnull=False) | ~Q(status="earned"),
                name="ce_claim_earned_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.credits} CE, {self.get_status_display()})"

    @property
    def title(self):
        return self.activity.title if self.activity is not None else self.course_name
