from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from core.admin import ReadOnlyAdmin

from .models import (
    Booking,
    CreditLot,
    CustomerAccount,
    LedgerEntry,
    LoyaltyPolicy,
    Redemption,
    Tier,
    TierPlacement,
)
from .services.accounts import booking_record
from .services.redemptions import redemption_reverse


@admin.register(CustomerAccount)
class CustomerAccountAdmin(admin.ModelAdmin):
    list_display = ["name", "customer_number", "account_manager", "captain", "terms_accepted_on"]
    search_fields = ["name", "customer_number"]
    readonly_fields = ["terms_accepted_at", "terms_accepted_on", "terms_accepted_by"]
    raw_id_fields = ["account_manager", "captain"]


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["account", "fiscal_year", "kind", "net_amount", "reference"]
    list_filter = ["kind", "fiscal_year"]
    search_fields = ["account__name", "reference"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return

        obj.pk = booking_record(
            account=obj.account,
            fiscal_year=obj.fiscal_year,
            kind=obj.kind,
            net_amount=obj.net_amount,
            reference=obj.reference,
            actor=request.user,
        ).pk


@admin.register(LoyaltyPolicy)
class LoyaltyPolicyAdmin(admin.ModelAdmin):
    list_display = [
        "effective_from",
        "tier_years",
        "credit_validity_months",
        "voucher_min_days_before_expiry",
        "first_warning_days",
        "second_warning_days",
    ]


@admin.register(Tier)
class TierAdmin(admin.ModelAdmin):
    list_display = ["name", "min_average_bookings", "quarterly_award", "effective_from", "effective_to"]


@admin.register(TierPlacement)
class TierPlacementAdmin(admin.ModelAdmin):
    list_display = ["account", "fiscal_year", "tier", "average_bookings", "decided_on"]
    list_filter = ["fiscal_year", "tier"]
    readonly_fields = ["account", "fiscal_year", "tier", "average_bookings", "years", "explanation", "decided_on"]


# Lots, redemptions and the ledger are written by the services only (core.admin.ReadOnlyAdmin).


@admin.register(CreditLot)
class CreditLotAdmin(ReadOnlyAdmin):
    list_display = ["account", "amount", "issued_on", "expires_on", "fiscal_year", "quarter"]
    list_filter = ["fiscal_year", "quarter"]
    search_fields = ["account__name"]


@admin.register(Redemption)
class RedemptionAdmin(ReadOnlyAdmin):
    list_display = ["account", "kind", "amount", "description", "ordered_on", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["account__name", "description", "idempotency_key"]
    actions = ["reverse"]

    @admin.action(description="Reverse the selected redemptions (credits go back to their lots)")
    def reverse(self, request, queryset):

        for redemption in queryset:
            try:
                redemption_reverse(redemption=redemption, actor=request.user, reason="Reversed by program staff")
            except ValidationError as exc:
                self.message_user(request, f"{redemption}: {' '.join(exc.messages)}", messages.ERROR)
            else:
                self.message_user(request, f"{redemption}: reversed.", messages.SUCCESS)


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["occurred_on", "account", "kind", "amount", "lot", "memo"]
    list_filter = ["kind"]
    search_fields = ["account__name", "memo"]
