"""Writes of the loyalty program: one function per use case, atomic, each recording an event."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum

from core import clock
from core.dates import add_months, fiscal_year
from core.events import event_record, events_record_many
from core.models import Event
from core.notices import notices_queue_many
from partners import access

from . import fiscal, rules
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

if TYPE_CHECKING:
    from datetime import date

    from django.contrib.auth.models import User


class IdempotencyConflict(Exception):
    """The idempotency key was used before with a different request."""


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
        summary=f"{booking.get_kind_display()} booking of {net_amount} for {account}, FY{fiscal_year}",
        payload={"account": account.pk, "booking": booking.pk},
    )
    return booking


def _tier_rows(as_of: date) -> list[rules.TierRow]:
    return [
        rules.TierRow(
            id=t.pk, name=t.name, min_average_bookings=t.min_average_bookings, quarterly_award=t.quarterly_award
        )
        for t in Tier.table(as_of)
    ]


@transaction.atomic
def tiers_place(*, as_of: date) -> int:
    """Place every account without a placement for the fiscal year of `as_of` (the August job).

    From August 1 on, each account is placed once per fiscal year from the previous fiscal years'
    eligible bookings, so the outcome is known before the October award. A constant number of queries.
    """
    policy = LoyaltyPolicy.in_force(as_of)
    year = fiscal_year(as_of)
    years = fiscal.previous_fiscal_years(year, policy.tier_years)
    accounts = list(CustomerAccount.objects.exclude(placements__fiscal_year=year).values_list("pk", flat=True))
    if not accounts:
        return 0
    sums: dict[int, dict[int, Decimal]] = {pk: {} for pk in accounts}
    for row in (
        Booking.objects.filter(account__in=accounts, fiscal_year__in=years, kind__in=Booking.ELIGIBLE_KINDS)
        .values("account", "fiscal_year")
        .annotate(total=Sum("net_amount"))
    ):
        sums[row["account"]][row["fiscal_year"]] = row["total"]
    tiers = _tier_rows(as_of)
    placements = []
    for pk in accounts:
        verdict = rules.place_in_tier(eligible_by_year=sums[pk], years=years, tiers=tiers)
        placements.append(
            TierPlacement(
                account_id=pk,
                fiscal_year=year,
                tier_id=verdict.tier.id if verdict.tier else None,
                average_bookings=verdict.average,
                years=verdict.years,
                explanation=verdict.explanation,
                decided_on=as_of,
            )
        )
    TierPlacement.objects.bulk_create(placements, ignore_conflicts=True)
    event_record(
        kind="loyalty.tiers_placed",
        dedupe_key=f"loyalty:tiers-placed:{year}:{as_of}",
        summary=f"{len(placements)} loyalty accounts placed in tiers for FY{year}",
        payload={"fiscal_year": year, "accounts": accounts},
    )
    return len(placements)


@transaction.atomic
def awards_issue(*, as_of: date) -> int:
    """In an award month, issue each active account its tier's award, once per account per quarter.

    The unique constraint (account, fiscal year, quarter) on CreditLot is the guarantee: the lots are
    inserted in one statement that skips conflicts, so running the job again, or twice at once, issues
    nothing more. Lots and ledger entries are written in bulk; each captain gets an event and a notice.
    """
    if not fiscal.is_award_month(as_of):
        return 0
    quarter = fiscal.quarter_of(as_of)
    policy = LoyaltyPolicy.in_force(as_of)
    this_quarter = CreditLot.objects.filter(fiscal_year=quarter.year, quarter=quarter.number)
    placements = {
        p.account_id: p
        for p in (
            TierPlacement.objects.filter(
                fiscal_year=quarter.year,
                tier__isnull=False,
                tier__quarterly_award__gt=0,
                account__terms_accepted_on__isnull=False,
            )
            .exclude(account__in=this_quarter.values("account"))
            .select_related("account__captain", "tier")
        )
        if rules.is_active(p.account.terms_accepted_on, quarter)
    }
    if not placements:
        return 0
    tiers = {pk: p.tier for pk, p in placements.items() if p.tier is not None}  # every one (tier__isnull=False)
    expires_on = add_months(as_of, policy.credit_validity_months)
    CreditLot.objects.bulk_create(
        [
            CreditLot(
                account_id=pk,
                amount=tier.quarterly_award,
                issued_on=as_of,
                expires_on=expires_on,
                fiscal_year=quarter.year,
                quarter=quarter.number,
                tier=tier,
            )
            for pk, tier in tiers.items()
        ],
        ignore_conflicts=True,
    )
    lots = list(
        this_quarter.filter(account__in=list(placements)).exclude(entries__kind=LedgerEntry.AWARD).order_by("pk")
    )
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(
                account_id=lot.account_id,
                lot=lot,
                kind=LedgerEntry.AWARD,
                amount=lot.amount,
                occurred_on=as_of,
                memo=f"{quarter} award, {tiers[lot.account_id].name}",
            )
            for lot in lots
        ]
    )
    now, by_key = clock.now(), {}
    for lot in lots:
        account = placements[lot.account_id].account
        by_key[f"loyalty:award:{account.pk}:{quarter.year}:{quarter.number}"] = (account, lot)
    with transaction.atomic():  # one INSERT of events and one of notices, whatever the number of accounts
        created = events_record_many(
            [
                Event(
                    kind="loyalty.award_issued",
                    dedupe_key=key,
                    occurred_at=now,
                    summary=f"{lot.amount} learning credits awarded to {account} for {quarter}; "
                    f"they expire on {lot.expires_on}",
                    payload={"account": account.pk, "lot": lot.pk},
                )
                for key, (account, lot) in by_key.items()
            ]
        )
        awarded = [(event, *by_key[str(event.dedupe_key)]) for event in created]  # every one has its key
        notices_queue_many(
            [
                (
                    event,
                    [account.captain.email],
                    "loyalty_award",
                    {"account": account, "lot": lot, "quarter": str(quarter)},
                    (),
                )
                for event, account, lot in awarded
                if account.captain is not None
            ]
        )
    return len(lots)


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
            summary=f"{amount} credits of {account} redeemed for {redemption.get_kind_display().lower()}: "
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


@transaction.atomic
def lots_expire(*, as_of: date) -> int:
    """Record in the ledger what is left of every lot whose last usable day is before `as_of`.

    Set-based and idempotent (one expiry entry per lot, a unique constraint).
    """
    rows = list(
        LedgerEntry.objects.filter(lot__expires_on__lt=as_of)
        .values("lot", "account", "lot__expires_on")
        .annotate(left=Sum("amount"))
        .filter(left__gt=0)
    )
    if not rows:
        return 0
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(
                account_id=r["account"],
                lot_id=r["lot"],
                kind=LedgerEntry.EXPIRY,
                amount=-r["left"],
                occurred_on=r["lot__expires_on"] + timedelta(days=1),
                memo=f"Expired after {r['lot__expires_on']}",
            )
            for r in rows
        ],
        ignore_conflicts=True,
    )
    event_record(
        kind="loyalty.lots_expired",
        dedupe_key=f"loyalty:lots-expired:{as_of}",
        summary=f"{sum(r['left'] for r in rows)} learning credits in {len(rows)} lots expired",
        payload={"lots": {r["lot"]: r["left"] for r in rows}},
    )
    return len(rows)


@transaction.atomic
def expiry_warnings_send(*, as_of: date) -> int:
    """Warn captains 60 and 30 days before credits expire, once each (the event's dedupe key)."""
    policy = LoyaltyPolicy.in_force(as_of)
    days = [policy.first_warning_days, policy.second_warning_days]
    rows = (
        CreditLot.objects.filter(
            expires_on__gte=as_of, expires_on__lte=as_of + timedelta(days=max(days)), entries__occurred_on__lte=as_of
        )
        .values("account", "expires_on")
        .annotate(left=Sum("entries__amount"))
        .filter(left__gt=0)
        .order_by("account", "expires_on")
    )
    accounts = CustomerAccount.objects.select_related("captain").in_bulk({r["account"] for r in rows})
    now, by_key = clock.now(), {}
    for r in rows:
        due = rules.warning_due(expires_on=r["expires_on"], as_of=as_of, warning_days=days)
        if due is not None:
            account = accounts[r["account"]]
            by_key[f"loyalty:expiry-warning:{account.pk}:{r['expires_on']}:{due}"] = (account, r, due)
    created = events_record_many(
        [
            Event(
                kind="loyalty.expiry_warned",
                dedupe_key=key,
                occurred_at=now,
                summary=f"{r['left']} learning credits of {account} expire on {r['expires_on']} ({due}-day warning)",
                payload={"account": account.pk, "expires_on": str(r["expires_on"]), "credits": r["left"], "days": due},
            )
            for key, (account, r, due) in by_key.items()
        ]
    )
    warned = [(event, *by_key[str(event.dedupe_key)]) for event in created]  # every one has its key
    notices = notices_queue_many(
        [
            (
                event,
                [account.captain.email],
                "loyalty_expiry_warning",
                {
                    "account": account,
                    "credits": r["left"],
                    "expires_on": r["expires_on"],
                    "days": (r["expires_on"] - as_of).days,
                    "voucher_days": policy.voucher_min_days_before_expiry,
                },
                (),
            )
            for event, account, r, due in warned
            if account.captain is not None
        ]
    )
    return len(notices)


def loyalty_jobs_run(*, as_of: date) -> dict:
    """Run every loyalty job for one day, in order. Each decides from `as_of` whether there is work; before
    the loyalty program's first policy row there is none."""
    if LoyaltyPolicy.objects.in_force(as_of) is None:
        return {"placed": 0, "expired": 0, "awarded": 0, "warned": 0}
    return {
        "placed": tiers_place(as_of=as_of),
        "expired": lots_expire(as_of=as_of),
        "awarded": awards_issue(as_of=as_of),
        "warned": expiry_warnings_send(as_of=as_of),
    }
