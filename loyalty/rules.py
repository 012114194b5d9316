"""Pure rules of the loyalty program (RULES 9): plain data in, verdicts with reasons out. No ORM, no clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from core.dates import add_months

from . import fiscal

VOUCHER, EVENT = "exam_voucher", "event_pass"


@dataclass(frozen=True)
class TierRow:
    id: int
    name: str
    min_average_bookings: Decimal
    quarterly_award: int


@dataclass(frozen=True)
class TierVerdict:
    tier: TierRow | None
    average: Decimal
    years: list[int]
    explanation: str


def place_in_tier(*, eligible_by_year: dict[int, Decimal], years: list[int], tiers: list[TierRow]) -> TierVerdict:
    """The highest tier whose threshold the average of eligible bookings over `years` reaches.

    A year without bookings counts as zero. WPAs and multi-year contracts are not in `eligible_by_year`.
    """
    total = sum((Decimal(eligible_by_year.get(y, 0)) for y in years), Decimal(0))
    average = (total / len(years)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    reached = [t for t in tiers if average >= t.min_average_bookings]
    tier = max(reached, key=lambda t: t.min_average_bookings) if reached else None
    span = ", ".join(f"FY{y}" for y in sorted(years))
    if tier:
        explanation = (
            f"The average of eligible product and service bookings over {span} is {average:,}, "
            f"which reaches the {tier.name} threshold of {tier.min_average_bookings:,} "
            f"({tier.quarterly_award} credits a quarter)."
        )
    else:
        lowest = min((t.min_average_bookings for t in tiers), default=None)
        explanation = f"The average of eligible product and service bookings over {span} is {average:,}, " + (
            f"below the lowest threshold of {lowest:,}, so no tier applies."
            if lowest is not None
            else "and no tier table is in force."
        )
    return TierVerdict(tier=tier, average=average, years=sorted(years), explanation=explanation)


def awards_start(terms_accepted_on: date) -> fiscal.FiscalQuarter:
    """Awards start in the fiscal quarter after the captain signed the terms (RULES 9.4)."""
    return fiscal.quarter_after(terms_accepted_on)


def is_active(terms_accepted_on: date | None, quarter: fiscal.FiscalQuarter) -> bool:
    return terms_accepted_on is not None and quarter >= awards_start(terms_accepted_on)


@dataclass(frozen=True)
class LotView:
    id: int
    expires_on: date
    remaining: int


@dataclass(frozen=True)
class Allocation:
    lot_id: int
    amount: int


@dataclass
class RedemptionVerdict:
    ok: bool
    allocations: list[Allocation] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)
    voucher_expires_on: date | None = None


def usable_from_expiry(*, kind: str, ordered_on: date, voucher_min_days: int) -> date:
    """The earliest expiry date a lot may have to pay for this order.

    A lot is usable up to and including its expiry day; an exam voucher needs credits that expire at
    least `voucher_min_days` days after the order (ordered 5 days before expiry: allowed; 4: not).
    """
    return ordered_on + timedelta(days=voucher_min_days) if kind == VOUCHER else ordered_on


def allocate(
    *,
    lots: list[LotView],
    amount: int,
    kind: str,
    ordered_on: date,
    event_date: date | None,
    voucher_min_days: int,
    voucher_validity_months: int,
) -> RedemptionVerdict:
    """Draw `amount` credits from the lots that expire first (FIFO by expiry, then lot id)."""
    if amount <= 0:
        return RedemptionVerdict(ok=False, reasons={"amount": "Redeem at least one credit."})
    if kind == EVENT and event_date is None:
        return RedemptionVerdict(ok=False, reasons={"event_date": "An event pass needs the date of the event."})
    if kind == EVENT and event_date is not None and event_date < ordered_on:
        return RedemptionVerdict(ok=False, reasons={"event_date": "The event has already taken place."})
    floor = usable_from_expiry(kind=kind, ordered_on=ordered_on, voucher_min_days=voucher_min_days)
    usable = sorted(
        (lot for lot in lots if lot.remaining > 0 and lot.expires_on >= floor), key=lambda lot: (lot.expires_on, lot.id)
    )
    available = sum(lot.remaining for lot in usable)
    if available < amount:
        if kind == VOUCHER:
            message = (
                f"Only {available} credits can pay for an exam voucher ordered on {ordered_on}: vouchers must be "
                f"ordered at least {voucher_min_days} days before the credits used expire "
                f"(credits expiring on or after {floor})."
            )
        else:
            message = f"Only {available} credits are available on {ordered_on}; {amount} were asked for."
        return RedemptionVerdict(ok=False, reasons={"amount": message})
    allocations, left = [], amount
    for lot in usable:
        take = min(lot.remaining, left)
        allocations.append(Allocation(lot_id=lot.id, amount=take))
        left -= take
        if left == 0:
            break
    voucher_expires_on = add_months(ordered_on, voucher_validity_months) if kind == VOUCHER else None
    return RedemptionVerdict(ok=True, allocations=allocations, voucher_expires_on=voucher_expires_on)


def warning_due(*, expires_on: date, as_of: date, warning_days: list[int]) -> int | None:
    """Which expiry warning (days before) is due on `as_of`: the nearest window entered, if any.

    A job that missed days sends only the latest warning due, never a stale 60-day one after the 30-day.
    """
    if as_of > expires_on:
        return None
    due = [d for d in warning_days if expires_on - timedelta(days=d) <= as_of]
    return min(due) if due else None
