"""When can the date alone change a stored verdict? Pure functions, like rules.py: plain facts in, a date out.

The nightly recompute (services/recompute.py) evaluates only the credentials whose facts changed and those whose
`next_change_on` has come. So the day given here must never be later than the first day on which the stored row
(compliant, at risk, the figures and the reasons shown) can differ with no fact changed; earlier only costs a
recompute. Facts that change by themselves (a record saved, a status moved by the renewal scan) are not the
date's business: the recompute queue and the stored row's own columns tell those.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from core.dates import add_months

if TYPE_CHECKING:
    from collections.abc import Iterable

    from .facts import Agreement, Capability, HybridService, Verdict

NEVER = date.max  # no day by the date alone: only a change of facts recomputes the verdict
DAY = timedelta(days=1)
NOT_IN_FORCE = "no CSAT policy in force"  # rules.csat_not_in_force: its evidence names the day itself


def first_after(as_of: date, days: Iterable[date | None]) -> date:
    """The earliest of `days` after `as_of` (NEVER when none is)."""
    return min((d for d in days if d is not None and d > as_of), default=NEVER)


def record_days(
    services: Iterable[HybridService], agreements: Iterable[Agreement], capabilities: Iterable[Capability]
) -> list[date | None]:
    """The days a partner's records in a territory come into or go out of force or count as verified: a service
    is withdrawn, an agreement starts or has ended, a capability starts or has ended."""
    days: list[date | None] = []
    for s in services:
        days += [s.verified_on, s.withdrawn_on]
    for a in agreements:
        days += [a.verified_on, a.starts_on, a.ends_on + DAY]
    for c in capabilities:
        days += [c.verified_on, c.since, c.until + DAY if c.until else None]
    return days


def renewal_cycle_days(
    *, anniversary: date, last_renewed_on: date | None, as_of: date, renewed_on: date | None = None
) -> list[date]:
    """The days on which as_of moves to another points cycle (learning.rules.cycle_end): the day the last renewal
    was approved, the day after the last renewal, and, before it, the day after each yearly date back from it."""
    if last_renewed_on is None:
        return [anniversary]
    days, years = [anniversary, *([renewed_on] if renewed_on else [])], 0
    while (day := add_months(last_renewed_on, -12 * years)) >= as_of:
        days.append(day + DAY)
        years += 1
    return days


def next_change_on(*, verdict: Verdict, as_of: date, horizon_days: int, days: Iterable[date | None]) -> date:
    """The first day after `as_of` on which the date alone can change this verdict as stored.

    `days`: the fact days the verdict hangs on (the credential's anniversary, its records' days, the renewal
    cycle's days, the program's measurement dates and the days policy rows and requirement sets come into force,
    when an individual certification enters or leaves the at-risk window). From the verdict itself: a shortfall
    due on a day is at risk from `horizon_days` before it and falls due on it; a verdict that names its own day
    changes every day.
    """
    found = list(days)
    for r in verdict.requirements:
        if r.due:
            found += [r.due - timedelta(days=horizon_days), r.due, r.due + DAY]
        if r.policy == NOT_IN_FORCE:
            found.append(as_of + DAY)
    return first_after(as_of, found)
