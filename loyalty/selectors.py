"""Reads of the loyalty program, always scoped to the asking user (another account's rows are a 404)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from core.dates import fiscal_year

from .models import (
    CreditLot,
    CustomerAccount,
    LedgerEntry,
    LoyaltyPolicy,
    Redemption,
    TierPlacement,
)


def _valid(as_of, prefix="ledger__"):
    """Entries up to `as_of` of lots still usable on `as_of` (so an expired lot counts for nothing,
    whether or not the expiry job has run yet)."""
    return Q(**{f"{prefix}occurred_on__lte": as_of, f"{prefix}lot__expires_on__gte": as_of})


def account_list(*, user, as_of):
    """Accounts with this fiscal year's tier, the balance and the credits expiring within the window."""
    policy = LoyaltyPolicy.in_force(as_of)
    soon = as_of + timedelta(days=policy.expiring_soon_days)
    placement = TierPlacement.objects.filter(account=OuterRef("pk"), fiscal_year=fiscal_year(as_of))
    return (
        CustomerAccount.objects.visible_to(user)
        .select_related("account_manager", "captain")
        .annotate(
            balance=Coalesce(Sum("ledger__amount", filter=_valid(as_of)), Value(0), output_field=IntegerField()),
            expiring_soon=Coalesce(
                Sum("ledger__amount", filter=_valid(as_of) & Q(ledger__lot__expires_on__lte=soon)),
                Value(0),
                output_field=IntegerField(),
            ),
            tier_name=Subquery(placement.values("tier__name")[:1]),
            tier_average=Subquery(placement.values("average_bookings")[:1]),
        )
        .order_by("name")
    )


def account_get(*, user, pk, as_of) -> CustomerAccount:
    return get_object_or_404(account_list(user=user, as_of=as_of), pk=pk)


def lot_list(*, user, account, as_of):
    """The account's lots with what is left of each on `as_of`, the first to expire first."""
    return (
        CreditLot.objects.visible_to(user)
        .filter(account=account)
        .annotate(
            remaining=Coalesce(
                Sum("entries__amount", filter=Q(entries__occurred_on__lte=as_of)), Value(0), output_field=IntegerField()
            )
        )
        .order_by("expires_on", "issued_on", "pk")
    )


def ledger_list(*, user, account=None):
    qs = LedgerEntry.objects.visible_to(user).select_related("lot", "redemption")
    if account is not None:
        qs = qs.filter(account=account)
    return qs.order_by("-occurred_on", "-pk")


def redemption_list(*, user):
    return Redemption.objects.visible_to(user).select_related("account").order_by("-ordered_on", "-pk")


def redemption_get(*, user, pk) -> Redemption:
    return get_object_or_404(redemption_list(user=user), pk=pk)


def placement_list(*, user, account):
    return (
        TierPlacement.objects.visible_to(user).filter(account=account).select_related("tier").order_by("-fiscal_year")
    )
