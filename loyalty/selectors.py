"""Reads of the loyalty program, always scoped to the asking user (another account's rows are a 404)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

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

if TYPE_CHECKING:
    from datetime import date

    from django.db.models import QuerySet

    from partners import access


def _valid(as_of: date, prefix: str = "ledger__") -> Q:
    """Entries up to `as_of` of lots still usable on `as_of` (so an expired lot counts for nothing,
    whether or not the expiry job has run yet)."""
    return Q(**{f"{prefix}occurred_on__lte": as_of, f"{prefix}lot__expires_on__gte": as_of})


def account_list(*, user: access.Actor, as_of: date) -> QuerySet[CustomerAccount]:
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


def account_get(*, user: access.Actor, pk: int | str, as_of: date) -> CustomerAccount:
    return get_object_or_404(account_list(user=user, as_of=as_of), pk=pk)


def lot_list(*, user: access.Actor, account: CustomerAccount | None, as_of: date) -> QuerySet[CreditLot]:
    """The account's lots (None: of every account the user may see) with what is left of each on `as_of`, the
    first to expire first."""
    qs = CreditLot.objects.visible_to(user)
    return (
        (qs.filter(account=account) if account is not None else qs)
        .annotate(
            remaining=Coalesce(
                Sum("entries__amount", filter=Q(entries__occurred_on__lte=as_of)), Value(0), output_field=IntegerField()
            )
        )
        .order_by("expires_on", "issued_on", "pk")
    )


def ledger_list(*, user: access.Actor, account: CustomerAccount | None = None) -> QuerySet[LedgerEntry]:
    qs = LedgerEntry.objects.visible_to(user).select_related("lot", "redemption")
    if account is not None:
        qs = qs.filter(account=account)
    return qs.order_by("-occurred_on", "-pk")


def redemption_list(*, user: access.Actor) -> QuerySet[Redemption]:
    return Redemption.objects.visible_to(user).select_related("account").order_by("-ordered_on", "-pk")


def redemption_get(*, user: access.Actor, pk: int | str) -> Redemption:
    return get_object_or_404(redemption_list(user=user), pk=pk)


def placement_list(*, user: access.Actor, account: CustomerAccount) -> QuerySet[TierPlacement]:
    return (
        TierPlacement.objects.visible_to(user).filter(account=account).select_related("tier").order_by("-fiscal_year")
    )


def policy_on(as_of: date) -> LoyaltyPolicy:
    """The loyalty figures in force on `as_of` (a ValidationError before the first row)."""
    return LoyaltyPolicy.in_force(as_of)
