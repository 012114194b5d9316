"""The loyalty jobs of the daily run (each decides from the date whether there is work, and is idempotent):
tier placement, quarterly awards, lot expiry, expiry warnings."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Sum

from core import clock
from core.dates import add_months, fiscal_year
from core.events import event_record, events_record_many
from core.models import Event
from core.notices import notices_queue_many
from core.words import plural

from .. import fiscal, rules
from ..models import (
    Booking,
    CreditLot,
    CustomerAccount,
    LedgerEntry,
    LoyaltyPolicy,
    Tier,
    TierPlacement,
)

if TYPE_CHECKING:
    from datetime import date


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
        summary=f"{plural(len(placements), 'loyalty account')} placed in tiers for FY{year}",
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
                    summary=f"{plural(lot.amount, 'learning credit')} awarded to {account} for {quarter}; "
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
        summary=f"{plural(sum(r['left'] for r in rows), 'learning credit')} in {plural(len(rows), 'lot')} expired",
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
                summary=f"{plural(r['left'], 'learning credit')} of {account} expire{'s' if r['left'] == 1 else ''} on {r['expires_on']} ({due}-day warning)",
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
