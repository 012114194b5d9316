"""Customer learning credits (RULES 9): accounts, bookings, tiers, placements, lots, the ledger, redemptions.

Customer accounts are the vendor's customers, not partners. Who sees an account: program staff (all),
its account manager, and its Team Captain (see LoyaltyQuerySet.visible_to).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from core.models import EffectiveDatedPolicy, UpdatedAt
from partners import access
from partners.access import TenantQuerySet, profile_of


class LoyaltyQuerySet(TenantQuerySet):
    """Scoped by customer account: `account_lookup` is the path from the model to its CustomerAccount."""

    account_lookup = "account"

    def visible_to(self, user):
        return access.customer_accounts_visible(self, user, account_lookup=self.account_lookup)


class AccountQuerySet(LoyaltyQuerySet):
    account_lookup = ""


class CustomerAccount(UpdatedAt):
    name = models.CharField(max_length=200)
    customer_number = models.CharField(max_length=40, unique=True, help_text="The vendor's customer id")
    account_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="loyalty_accounts",
        limit_choices_to={"profile__role": "account_manager"},
    )
    captain = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="captained_accounts",
        help_text="The Team Captain; needs a vendor login ID (profile)",
    )
    terms_accepted_at = models.DateTimeField(
        null=True, blank=True, help_text="Loyalty and credit terms, accepted together"
    )
    terms_accepted_on = models.DateField(null=True, blank=True, help_text="Program date of the acceptance")
    terms_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AccountQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @staticmethod
    def check_captain(captain):
        """A Team Captain needs a vendor login ID (RULES 9.4)."""
        if captain is None:
            return
        profile = profile_of(captain)
        if not (profile and profile.vendor_login_id):
            raise ValidationError({"captain": "A Team Captain needs a vendor login ID."})

    def clean(self):
        self.check_captain(self.captain)


class Booking(models.Model):
    """Net bookings of one kind in one fiscal year. WPAs and multi-year contracts are recorded, not tiered."""

    PRODUCT, SERVICE, WPA, MULTI_YEAR = "product", "service", "wpa", "multi_year"
    KIND_CHOICES = [
        (PRODUCT, "Product"),
        (SERVICE, "Service"),
        (WPA, "Whole-portfolio agreement"),
        (MULTI_YEAR, "Multi-year contract"),
    ]
    ELIGIBLE_KINDS = (PRODUCT, SERVICE)

    account = models.ForeignKey(CustomerAccount, on_delete=models.CASCADE, related_name="bookings")
    fiscal_year = models.PositiveIntegerField(help_text="Named by the year it ends: FY2027 = Aug 2026-Jul 2027")
    kind = models.CharField(max_length=12, choices=KIND_CHOICES)
    net_amount = models.DecimalField(max_digits=14, decimal_places=2)
    reference = models.CharField(max_length=100, blank=True)

    objects = LoyaltyQuerySet.as_manager()

    class Meta:
        ordering = ["-fiscal_year", "kind"]
        indexes = [models.Index(fields=["account", "fiscal_year"])]

    def __str__(self):
        return f"{self.account} FY{self.fiscal_year} {self.get_kind_display()} {self.net_amount}"

    @property
    def is_eligible(self):
        return self.kind in self.ELIGIBLE_KINDS


class LoyaltyPolicy(EffectiveDatedPolicy):
    """The figures of RULES 9 as an effective-dated row (the one in force on a date applies)."""

    effective_from = models.DateField(unique=True)
    tier_years = models.PositiveSmallIntegerField(default=3, help_text="Fiscal years averaged for the tier")
    credit_validity_months = models.PositiveSmallIntegerField(default=12)
    voucher_min_days_before_expiry = models.PositiveSmallIntegerField(default=5)
    voucher_validity_months = models.PositiveSmallIntegerField(default=12)
    first_warning_days = models.PositiveSmallIntegerField(default=60)
    second_warning_days = models.PositiveSmallIntegerField(default=30)
    expiring_soon_days = models.PositiveSmallIntegerField(default=90, help_text="Window of the account manager's list")

    class Meta:
        ordering = ["-effective_from"]
        verbose_name_plural = "loyalty policies"

    def __str__(self):
        return f"Loyalty policy from {self.effective_from}"

    @classmethod
    def in_force(cls, as_of):
        policy = cls.objects.in_force(as_of)
        if policy is None:
            raise ValidationError({"policy": f"No loyalty policy is in force on {as_of}."})
        return policy


class Tier(models.Model):
    """One row of the tier table, effective-dated: the rows in force on a date form the table."""

    name = models.CharField(max_length=40)
    min_average_bookings = models.DecimalField(
        max_digits=14, decimal_places=2, help_text="Lowest three-year average of eligible bookings"
    )
    quarterly_award = models.PositiveIntegerField(help_text="Credits awarded each quarter")
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-effective_from", "min_average_bookings"]
        constraints = [
            models.UniqueConstraint(fields=["name", "effective_from"], name="loyalty_tier_name_from_unique"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=models.F("effective_from")),
                name="loyalty_tier_dates_ordered",
            ),
        ]

    def __str__(self):
        return (
            f"{self.name} (≥ {self.min_average_bookings}: {self.quarterly_award}/quarter, from {self.effective_from})"
        )

    @classmethod
    def table(cls, as_of):
        return list(
            cls.objects.filter(Q(effective_from__lte=as_of), Q(effective_to__isnull=True) | Q(effective_to__gte=as_of))
        )


class TierPlacement(models.Model):
    """The tier an account holds for a fiscal year, decided in August from the three previous years."""

    account = models.ForeignKey(CustomerAccount, on_delete=models.CASCADE, related_name="placements")
    fiscal_year = models.PositiveIntegerField()
    tier = models.ForeignKey(
        Tier,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="placements",
        help_text="Empty: below the lowest threshold",
    )
    average_bookings = models.DecimalField(max_digits=14, decimal_places=2)
    years = models.JSONField(default=list, help_text="The fiscal years averaged")
    explanation = models.TextField()
    decided_on = models.DateField()

    objects = LoyaltyQuerySet.as_manager()

    class Meta:
        ordering = ["-fiscal_year"]
        constraints = [
            models.UniqueConstraint(fields=["account", "fiscal_year"], name="loyalty_one_placement_per_year")
        ]

    def __str__(self):
        return f"{self.account} FY{self.fiscal_year}: {self.tier.name if self.tier else 'no tier'}"


class CreditLot(models.Model):
    """Credits issued together; usable up to and including `expires_on`. What is left is derived from the ledger."""

    account = models.ForeignKey(CustomerAccount, on_delete=models.CASCADE, related_name="lots")
    amount = models.PositiveIntegerField()
    issued_on = models.DateField()
    expires_on = models.DateField(db_index=True)
    fiscal_year = models.PositiveIntegerField(help_text="Award quarter")
    quarter = models.PositiveSmallIntegerField()
    tier = models.ForeignKey(Tier, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    objects = LoyaltyQuerySet.as_manager()

    class Meta:
        ordering = ["expires_on", "issued_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["account", "fiscal_year", "quarter"], name="loyalty_one_award_per_quarter"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="loyalty_lot_amount_positive"),
        ]

    def __str__(self):
        return (
            f"{self.amount} credits for {self.account}, FY{self.fiscal_year} Q{self.quarter}, expires {self.expires_on}"
        )


class Redemption(models.Model):
    ILT, DIGITAL, CERT_PREP, VOUCHER, EVENT = "ilt", "digital", "cert_prep", "exam_voucher", "event_pass"
    KIND_CHOICES = [
        (ILT, "Instructor-led training"),
        (DIGITAL, "Digital learning"),
        (CERT_PREP, "Certification prep"),
        (VOUCHER, "Exam voucher"),
        (EVENT, "Event pass"),
    ]
    COMPLETED, REVERSED = "completed", "reversed"

    account = models.ForeignKey(CustomerAccount, on_delete=models.CASCADE, related_name="redemptions")
    kind = models.CharField(max_length=12, choices=KIND_CHOICES)
    amount = models.PositiveIntegerField()
    description = models.CharField(max_length=200)
    ordered_on = models.DateField(help_text="Order or registration date")
    event_date = models.DateField(null=True, blank=True, help_text="Event passes: the day of the event")
    voucher_expires_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=[(COMPLETED, "Completed"), (REVERSED, "Reversed")], default=COMPLETED
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    idempotency_key = models.CharField(max_length=100, blank=True)
    request_fingerprint = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LoyaltyQuerySet.as_manager()

    class Meta:
        ordering = ["-ordered_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="loyalty_redemption_idempotency_key",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="loyalty_redemption_amount_positive"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.description} ({self.amount})"


class LedgerEntry(models.Model):
    """Append-only. Every entry moves credits of one lot: + award / reversal, - redemption / expiry.

    A redemption's entries are its per-lot allocations. Balances are sums of entries.
    """

    AWARD, REDEMPTION, REVERSAL, EXPIRY = "award", "redemption", "reversal", "expiry"
    KIND_CHOICES = [(AWARD, "Award"), (REDEMPTION, "Redemption"), (REVERSAL, "Reversal"), (EXPIRY, "Expiry")]

    account = models.ForeignKey(CustomerAccount, on_delete=models.CASCADE, related_name="ledger")
    lot = models.ForeignKey(CreditLot, on_delete=models.PROTECT, related_name="entries")
    redemption = models.ForeignKey(
        Redemption, null=True, blank=True, on_delete=models.PROTECT, related_name="allocations"
    )
    kind = models.CharField(max_length=10, choices=KIND_CHOICES)
    amount = models.IntegerField(help_text="Signed credits")
    occurred_on = models.DateField()
    memo = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LoyaltyQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        verbose_name_plural = "ledger entries"
        indexes = [models.Index(fields=["account", "-occurred_on"])]
        constraints = [
            models.UniqueConstraint(fields=["lot"], condition=Q(kind="award"), name="loyalty_one_award_entry_per_lot"),
            models.UniqueConstraint(
                fields=["lot"], condition=Q(kind="expiry"), name="loyalty_one_expiry_entry_per_lot"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["award", "reversal"], amount__gt=0)
                | Q(kind__in=["redemption", "expiry"], amount__lt=0),
                name="loyalty_ledger_sign_matches_kind",
            ),
        ]

    def __str__(self):
        return f"{self.occurred_on} {self.get_kind_display()} {self.amount:+d}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("Ledger entries are append-only; record a reversal instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Ledger entries are append-only.")
