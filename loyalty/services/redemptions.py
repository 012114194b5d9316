"""Redemptions: spending learning credits on the lots that expire first (idempotent by key), and reversals."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum

from core import clock
from core.events import event_record
from core.words import plural
from partners import access

from .. import rules
from ..models import (
    CreditLot,
    CustomerAccount,
    LedgerEntry,
    LoyaltyPolicy,
    Redemption,
)

if TYPE_CHECKING:
    from datetime import date


class IdempotencyConflict(Exception):
    """The idempotency key was used before with a different request."""


def _fingerprint(**fields: object) -> str:
    return hashlib.sha256(json.dumps(fields, sort_keys=True, default=str).encode()).hexdigest()


def redemption_create(
    *,
    account: CustomerAccount,
    kind: str,
    amount: int,
    description: str,
    actor: access.Actor,
    event_date: date | None = None,
    idempotency_key: str = "",
) -> tuple[Redemption, bool]:
    """Spend credits, drawing on the lots that expire first. Returns (redemption, created).

    The same idempotency key with the same request returns the first redemption (spent once); with a
    different request it raises IdempotencyConflict. Concurrent redemptions are serialised by row locks:
    the account first, then its lots in primary-key order.
    """
    access.require(actor, "loyalty.redeem", obj=account)
    if kind not in dict(Redemption.KIND_CHOICES):
        raise ValidationError({"kind": "Unknown redemption kind."})
    fingerprint = _fingerprint(
        account=account.pk, kind=kind, amount=amount, description=description, event_date=event_date
    )
    with transaction.atomic():
        account = CustomerAccount.objects.select_for_update().get(pk=account.pk)
        if idempotency_key:
            first = Redemption.objects.filter(account=account, idempotency_key=idempotency_key).first()
            if first is not None:
                if first.request_fingerprint != fingerprint:
                    raise IdempotencyConflict("This idempotency key was already used for a different redemption.")
                return first, False
        today = clock.today()
        policy = LoyaltyPolicy.in_force(today)
        lots = list(CreditLot.objects.select_for_update().filter(account=account, expires_on__gte=today).order_by("pk"))
        left = dict(
            LedgerEntry.objects.filter(lot__in=lots).values("lot").annotate(s=Sum("amount")).values_list("lot", "s")
        )
        verdict = rules.allocate(
            lots=[rules.LotView(id=lot.pk, expires_on=lot.expires_on, remaining=left.get(lot.pk, 0)) for lot in lots],
            amount=amount,
            kind=kind,
            ordered_on=today,
            event_date=event_date,
            voucher_min_days=policy.voucher_min_days_before_expiry,
            voucher_validity_months=policy.voucher_validity_months,
        )
        if not verdict.ok:
            raise ValidationError(verdict.reasons)
        redemption = Redemption.objects.create(
            account=account,
            kind=kind,
            amount=amount,
            description=description,
            ordered_on=today,
            event_date=event_date if kind == Redemption.EVENT else None,
            voucher_expires_on=verdict.voucher_expires_on,
            requested_by=access.person(actor),
            idempotency_key=idempotency_key,
            request_fingerprint=fingerprint,
        )
        LedgerEntry.objects.bulk_create(
            [
                LedgerEntry(
                    account=account,
                    lot_id=a.lot_id,
                    redemption=redemption,
                    kind=LedgerEntry.REDEMPTION,
                    amount=-a.amount,
                    occurred_on=today,
                    memo=description[:200],
                )
                for a in verdict.allocations
            ]
        )
        event_record(
            kind="loyalty.redeemed",
            actor=actor,
            summary=f"{plural(amount, 'credit')} of {account} redeemed for {redemption.get_kind_display().lower()}: "
            f"{description}",
            payload={
                "account": account.pk,
                "redemption": redemption.pk,
                "allocations": {a.lot_id: a.amount for a in verdict.allocations},
            },
        )
    return redemption, True


@transaction.atomic
def redemption_reverse(*, redemption: Redemption, actor: access.Actor, reason: str) -> Redemption:
    """Return a redemption's credits to the lots they came from. Exam vouchers are non-refundable."""
    access.require(actor, "loyalty.redemption.reverse", obj=redemption.account)
    redemption = Redemption.objects.select_for_update().get(pk=redemption.pk)
    if redemption.kind == Redemption.VOUCHER:
        raise ValidationError({"redemption": "Exam vouchers are non-refundable."})
    if redemption.status == Redemption.REVERSED:
        raise ValidationError({"redemption": "This redemption was already reversed."})
    today = clock.today()
    allocations = list(redemption.allocations.select_related("lot").order_by("lot_id"))
    if any(entry.lot.expires_on < today for entry in allocations):
        raise ValidationError({"redemption": "Some of the credits used have expired; they cannot be returned."})
    list(CreditLot.objects.select_for_update().filter(pk__in=[e.lot_id for e in allocations]).order_by("pk"))
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(
                account_id=redemption.account_id,
                lot_id=e.lot_id,
                redemption=redemption,
                kind=LedgerEntry.REVERSAL,
                amount=-e.amount,
                occurred_on=today,
                memo=reason[:200],
            )
            for e in allocations
        ]
    )
    redemption.status = Redemption.REVERSED
    redemption.save(update_fields=["status"])
    event_record(
        kind="loyalty.redemption_reversed",
        actor=actor,
        dedupe_key=f"loyalty:reversal:{redemption.pk}",
        summary=f"Redemption '{redemption.description}' reversed: {reason}",
        payload={"account": redemption.account_id, "redemption": redemption.pk},
    )
    return redemption
