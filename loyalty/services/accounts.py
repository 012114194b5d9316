"""Customer accounts: opening one, the captain accepting the terms, bookings (what tiers are computed from)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from core import clock
from core.events import event_record
from partners import access

from .. import rules
from ..models import (
    Booking,
    CustomerAccount,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@transaction.atomic
def account_create(
    *,
    name: str,
    customer_number: str,
    account_manager: User | None = None,
    captain: User | None = None,
    actor: access.Actor,
) -> CustomerAccount:
    access.require(actor, "loyalty.account.create")
    CustomerAccount.check_captain(captain)
    if CustomerAccount.objects.filter(customer_number=customer_number).exists():
        raise ValidationError({"customer_number": "An account with this customer number already exists."})
    account = CustomerAccount.objects.create(
        name=name, customer_number=customer_number, account_manager=account_manager, captain=captain
    )
    event_record(
        kind="loyalty.account_created",
        summary=f"Loyalty account {name} ({customer_number}) created",
        actor=actor,
        payload={"account": account.pk},
    )
    return account


@transaction.atomic
def terms_accept(*, account: CustomerAccount, actor: access.Actor) -> CustomerAccount:
    """The Team Captain accepts the loyalty and the credit terms together (one signature). Anyone else who
    sees the account is told so as a validation error (a 400, as the page and the API always answered)."""
    account = CustomerAccount.objects.select_for_update().get(pk=account.pk)
    if not access.can(actor, "loyalty.terms.accept", obj=account):
        raise ValidationError({"terms": access.ACTIONS["loyalty.terms.accept"][1]})
    CustomerAccount.check_captain(actor)
    if account.terms_accepted_at:
        raise ValidationError({"terms": f"The terms were already accepted on {account.terms_accepted_on}."})
    account.terms_accepted_at = clock.now()
    account.terms_accepted_on = clock.to_program_date(account.terms_accepted_at)
    captain = access.person(actor)
    assert captain is not None  # the captain (loyalty.terms.accept refuses anyone else)
    account.terms_accepted_by = captain
    account.save(update_fields=["terms_accepted_at", "terms_accepted_on", "terms_accepted_by"])
    start = rules.awards_start(account.terms_accepted_on)
    event_record(
        kind="loyalty.terms_accepted",
        actor=actor,
        dedupe_key=f"loyalty:terms:{account.pk}",
        summary=f"{captain.get_username()} accepted the loyalty and credit terms for {account}; awards start in {start}",
        payload={"account": account.pk, "awards_start": str(start)},
    )
    return account


@transaction.atomic
def booking_record(
    *,
    account: CustomerAccount,
    fiscal_year: int,
    kind: str,
    net_amount: Decimal,
    reference: str = "",
    actor: access.Actor,
) -> Booking:
    access.require(actor, "loyalty.booking.record", obj=account)
    if kind not in dict(Booking.KIND_CHOICES):
        raise ValidationError({"kind": "Unknown booking kind."})
    booking = Booking.objects.create(
        account=account, fiscal_year=fiscal_year, kind=kind, net_amount=net_amount, reference=reference
    )
    event_record(
        kind="loyalty.booking_recorded",
        actor=actor,
        summary=f"{booking.get_kind_display()} booking of {Decimal(str(net_amount)):,.2f} for {account}, FY{fiscal_year}",
        payload={"account": account.pk, "booking": booking.pk},
    )
    return booking
