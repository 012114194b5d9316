"""The loyalty rules as pure functions (RULES 9)."""

from datetime import date
from decimal import Decimal

import pytest

from loyalty import rules
from loyalty.fiscal import FiscalQuarter
from loyalty.rules import LotView

TIERS = [rules.TierRow(1, "Tier 1", Decimal("250000"), 25), rules.TierRow(2, "Tier 2", Decimal("1000000"), 75)]


def _allocate(lots, amount, kind="ilt", ordered_on=date(2027, 1, 10), event_date=None):
    return rules.allocate(
        lots=lots,
        amount=amount,
        kind=kind,
        ordered_on=ordered_on,
        event_date=event_date,
        voucher_min_days=5,
        voucher_validity_months=12,
    )


def test_tier_is_the_highest_threshold_reached_by_the_three_year_average():
    verdict = rules.place_in_tier(
        eligible_by_year={2024: Decimal("900000"), 2025: Decimal("1200000"), 2026: Decimal("900000")},
        years=[2026, 2025, 2024],
        tiers=TIERS,
    )
    assert verdict.tier.name == "Tier 2" and verdict.average == Decimal("1000000.00")
    assert "FY2024, FY2025, FY2026" in verdict.explanation and "Tier 2" in verdict.explanation


def test_missing_year_counts_as_zero_and_below_lowest_threshold_has_no_tier():
    verdict = rules.place_in_tier(eligible_by_year={2026: Decimal("700000")}, years=[2026, 2025, 2024], tiers=TIERS)
    assert verdict.tier is None and verdict.average == Decimal("233333.33")
    assert "below the lowest threshold" in verdict.explanation


@pytest.mark.parametrize(
    "accepted_on, first_active",
    [
        (date(2026, 10, 31), FiscalQuarter(2027, 2)),  # last day of Q1: awards from Q2 (January)
        (date(2026, 11, 1), FiscalQuarter(2027, 3)),  # first day of Q2: awards from Q3 (April)
    ],
)
def test_awards_start_in_the_quarter_after_the_signature(accepted_on, first_active):
    assert rules.awards_start(accepted_on) == first_active
    assert rules.is_active(accepted_on, first_active)
    assert not rules.is_active(accepted_on, FiscalQuarter(first_active.year, first_active.number - 1))
    assert not rules.is_active(None, first_active)


def test_fifo_across_three_lots_with_one_partly_spent():
    lots = [LotView(3, date(2027, 7, 15), 100), LotView(1, date(2027, 1, 15), 10), LotView(2, date(2027, 4, 15), 100)]
    verdict = _allocate(lots, 60)
    assert verdict.ok
    assert [(a.lot_id, a.amount) for a in verdict.allocations] == [(1, 10), (2, 50)]


@pytest.mark.parametrize("ordered_on, ok", [(date(2027, 1, 10), True), (date(2027, 1, 11), False)])
def test_exam_voucher_needs_credits_expiring_at_least_five_days_after_the_order(ordered_on, ok):
    lots = [LotView(1, date(2027, 1, 15), 100)]
    verdict = _allocate(lots, 20, kind="exam_voucher", ordered_on=ordered_on)
    assert verdict.ok is ok
    if ok:
        assert verdict.voucher_expires_on == date(2028, 1, 10)
    else:
        assert "at least 5 days before the credits used expire" in verdict.reasons["amount"]


def test_event_pass_registered_the_day_before_expiry_for_a_later_event():
    lots = [LotView(1, date(2027, 1, 15), 100)]
    assert _allocate(lots, 40, kind="event_pass", ordered_on=date(2027, 1, 14), event_date=date(2027, 6, 5)).ok
    assert _allocate(lots, 40, kind="event_pass", ordered_on=date(2027, 1, 15), event_date=date(2027, 6, 5)).ok
    late = _allocate(lots, 40, kind="event_pass", ordered_on=date(2027, 1, 16), event_date=date(2027, 6, 5))
    assert not late.ok
    assert "event_date" in _allocate(lots, 40, kind="event_pass", ordered_on=date(2027, 1, 14)).reasons


def test_not_enough_credits_says_how_many_are_available():
    verdict = _allocate([LotView(1, date(2027, 1, 15), 30)], 31)
    assert not verdict.ok and "Only 30 credits" in verdict.reasons["amount"]


@pytest.mark.parametrize(
    "as_of, due",
    [
        (date(2027, 2, 13), None),
        (date(2027, 2, 14), 60),
        (date(2027, 3, 15), 60),
        (date(2027, 3, 16), 30),
        (date(2027, 4, 15), 30),
        (date(2027, 4, 16), None),
    ],
)
def test_expiry_warning_due(as_of, due):
    assert rules.warning_due(expires_on=date(2027, 4, 15), as_of=as_of, warning_days=[60, 30]) == due
