"""The fiscal calendar on its own (RULES 9.2, 9.3)."""

from datetime import date

import pytest

from core.dates import add_months, fiscal_year, fiscal_year_end, fiscal_year_start
from loyalty import fiscal
from loyalty.fiscal import FiscalQuarter


@pytest.mark.parametrize(
    "day, year",
    [
        (date(2026, 7, 31), 2026),
        (date(2026, 8, 1), 2027),
        (date(2026, 12, 31), 2027),
        (date(2027, 1, 1), 2027),
    ],
)
def test_fiscal_year_runs_august_to_july(day, year):
    assert fiscal_year(day) == year


def test_fiscal_year_bounds():
    assert fiscal_year_start(2027) == date(2026, 8, 1)
    assert fiscal_year_end(2027) == date(2027, 7, 31)
    assert fiscal.previous_fiscal_years(2027, 3) == [2026, 2025, 2024]


@pytest.mark.parametrize(
    "day, quarter, start, end, award_month",
    [
        (date(2026, 8, 1), 1, date(2026, 8, 1), date(2026, 10, 31), 10),
        (date(2026, 10, 31), 1, date(2026, 8, 1), date(2026, 10, 31), 10),
        (date(2026, 11, 1), 2, date(2026, 11, 1), date(2027, 1, 31), 1),
        (date(2027, 1, 31), 2, date(2026, 11, 1), date(2027, 1, 31), 1),
        (date(2027, 2, 1), 3, date(2027, 2, 1), date(2027, 4, 30), 4),
        (date(2027, 5, 1), 4, date(2027, 5, 1), date(2027, 7, 31), 7),
        (date(2027, 7, 31), 4, date(2027, 5, 1), date(2027, 7, 31), 7),
    ],
)
def test_quarters_and_award_months(day, quarter, start, end, award_month):
    q = fiscal.quarter_of(day)
    assert (q.year, q.number, q.start, q.end, q.award_month) == (2027, quarter, start, end, award_month)


def test_award_months_are_october_january_april_july():
    assert fiscal.award_months() == [10, 1, 4, 7]
    assert [m for m in range(1, 13) if fiscal.is_award_month(date(2027, m, 1))] == [1, 4, 7, 10]


@pytest.mark.parametrize(
    "day, after",
    [
        (date(2026, 10, 31), FiscalQuarter(2027, 2)),  # last day of Q1 -> Q2
        (date(2026, 11, 1), FiscalQuarter(2027, 3)),  # first day of Q2 -> Q3
        (date(2027, 7, 31), FiscalQuarter(2028, 1)),  # last day of the fiscal year -> Q1 of the next
        (date(2027, 8, 1), FiscalQuarter(2028, 2)),
    ],
)
def test_quarter_after(day, after):
    assert fiscal.quarter_after(day) == after


@pytest.mark.parametrize(
    "day, months, result",
    [
        (date(2026, 10, 15), 12, date(2027, 10, 15)),
        (date(2028, 2, 29), 12, date(2029, 2, 28)),  # leap day: clamped at month end
        (date(2027, 1, 31), 1, date(2027, 2, 28)),
        (date(2027, 1, 15), -12, date(2026, 1, 15)),
    ],
)
def test_add_months_clamps_at_month_end(day, months, result):
    assert add_months(day, months) == result


def test_quarters_order_and_label():
    assert FiscalQuarter(2026, 4) < FiscalQuarter(2027, 1)
    assert str(FiscalQuarter(2027, 2)) == "FY2027 Q2"
