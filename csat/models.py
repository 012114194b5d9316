from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from partners.access import TenantQuerySet


class SurveyResponseQuerySet(TenantQuerySet):
    pass


class SurveyResponse(models.Model):
    """One customer-satisfaction survey response about a partner in a territory. A response without a
    score is unrated; only valid, rated responses count towards the CSAT requirement (RULES 5)."""

    partner = models.ForeignKey("partners.Partner", on_delete=models.CASCADE, related_name="csat_responses")
    territory = models.ForeignKey("partners.Territory", on_delete=models.PROTECT, related_name="+")
    customer = models.CharField(max_length=200)
    received_on = models.DateField(db_index=True)
    score = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="1–10; empty means unrated",
    )
    valid = models.BooleanField(default=True)
    reference = models.CharField(max_length=60, blank=True, help_text="The survey vendor's response id")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SurveyResponseQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["partner", "territory", "received_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=10),
                name="csat_score_1_to_10",
                violation_error_message="The score must be 1 to 10.",
            ),
            models.UniqueConstraint(
                fields=["reference"],
                condition=~Q(reference=""),
                name="one_response_per_reference",
                violation_error_message="A response with this reference already exists.",
            ),
        ]

    def __str__(self):
        return f"{self.customer} on {self.received_on}: {self.score or 'unrated'}"


class FollowUpQuerySet(TenantQuerySet):
    partner_lookup = "response__partner"


class FollowUp(models.Model):
    """The partner's recorded follow-up of a low-score response."""

    response = models.OneToOneField(SurveyResponse, on_delete=models.CASCADE, related_name="follow_up")
    recorded_on = models.DateField()
    note = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_on", "-id"]
        verbose_name = "follow-up"

    def __str__(self):
        return f"Follow-up of {self.response} on {self.recorded_on}"


class MeasurementDate(models.Model):
    """The published CSAT measurement dates, two per fiscal year (August–July): by default the last day
    of January and of July. Staff edit them."""

    fiscal_year = models.PositiveSmallIntegerField(db_index=True, help_text="FY2026 runs 2025-08-01 to 2026-07-31")
    date = models.DateField(unique=True)

    class Meta:
        ordering = ["date"]

    def __str__(self):
        return f"FY{self.fiscal_year}: {self.date}"
