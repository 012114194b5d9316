"""Continuous Learning points (RULES §3) as pure functions over plain data: no ORM, clock or I/O.

The selectors aggregate the ledger in SQL and hand the sums to these functions; the page, the API,
the batch recompute and any as-of query decide with the same code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from math import ceil
from typing import TYPE_CHECKING

from core.dates import add_months
from core.policy import row_in_force
from core.words import plural, with_article

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

VIEWED, DOWNLOADED, ASSESSMENT_PASSED = "viewed", "downloaded", "assessment_passed"

# (how, session.via_assessment) pairs that register points (RULES 3.2): a view of an ordinary
# session, or a passed assessment of a session that prepares for one. A download never does.
COUNTING_WAYS = ((VIEWED, False), (ASSESSMENT_PASSED, True))


@dataclass(frozen=True)
class PolicyRow:
    id: int
    kind: str
    label: str
    effective_from: date
    effective_to: date | None
    required_points: int
    window_months: int
    pace_days: int


@dataclass(frozen=True)
class Holding:
    """The facts of one partner specialization that the points rules need."""

    id: int
    partner_id: int
    specialization: str
    kind: str
    anniversary: date
    last_renewed_on: date | None = None
    retired_on: date | None = None
    renewed_on: date | None = None  # the day the last renewal was approved


@dataclass(frozen=True)
class Window:
    """The renewal cycle the points of `as_of` belong to. Points count from `start` to `end`, both
    inclusive; `counted_until` is the last day already counted (`as_of`, or `end` if earlier)."""

    anniversary: date
    start: date | None
    end: date
    counted_until: date
    policy: PolicyRow | None

    @property
    def exclusive_start(self) -> date | None:
        return self.start - timedelta(days=1) if self.start else None


@dataclass(frozen=True)
class Forecast:
    needed: int
    days_left: int
    weekly_pace_needed: float | None
    recent_points: int
    pace_days: int | None
    recent_weekly_pace: float | None
    on_track: bool
    summary: str


@dataclass(frozen=True)
class Progress:
    partner_specialization_id: int
    partner_id: int
    specialization: str
    kind: str
    collected: int
    required: int
    met: bool
    window_start: date | None
    window_end: date
    counted_until: date
    anniversary: date
    days_to_anniversary: int
    policy: int | None
    policy_label: str
    retired: bool
    display: str
    reasons: list[str]
    forecast: Forecast

    @property
    def percent(self) -> int:
        if not self.required:
            return 100
        return min(100, round(100 * self.collected / self.required))


def policy_for(policies: Iterable[PolicyRow], kind: str, anniversary: date) -> PolicyRow | None:
    """The row in force for a renewal on `anniversary` (the anniversary selects it, RULES 3.4)."""
    return row_in_force((row for row in policies if row.kind == kind), anniversary)


def _window_months(policies: Iterable[PolicyRow], kind: str, anniversary: date, policy: PolicyRow | None) -> int | None:
    """The look-back in months: the policy's, or (no requirement) the nearest row's of that kind."""
    if policy is not None:
        return policy.window_months
    rows = [r for r in policies if r.kind == kind]
    if not rows:
        return None
    return min(rows, key=lambda r: abs((r.effective_from - anniversary).days)).window_months


def cycle_end(
    *, anniversary: date, last_renewed_on: date | None, as_of: date, renewed_on: date | None = None
) -> tuple[date, date | None]:
    """(the anniversary whose points `as_of` collects, the renewal before it when known).

    After the last renewal the cycle runs to the current anniversary (also in the days after it, until
    the partner renews). A renewal approved early (`renewed_on`, before the anniversary it renewed) starts the
    next cycle on the day of the approval: from then on `as_of` collects towards the new anniversary (0 points
    until the window opens the day after the renewed anniversary). Before it, `as_of` belongs to a renewed
    cycle: the one whose anniversary is the first yearly date on or after `as_of`.
    """
    if last_renewed_on is None or as_of > last_renewed_on or (renewed_on is not None and as_of >= renewed_on):
        return anniversary, last_renewed_on
    years = 0
    while add_months(last_renewed_on, -12 * (years + 1)) >= as_of:
        years += 1
    return add_months(last_renewed_on, -12 * years), None


def window_for(holding: Holding, policies: Iterable[PolicyRow], as_of: date) -> Window:
    """RULES 3.5: `(previous renewal, anniversary]`, never more than the policy's months before it."""
    end, previous = cycle_end(
        anniversary=holding.anniversary,
        last_renewed_on=holding.last_renewed_on,
        as_of=as_of,
        renewed_on=holding.renewed_on,
    )
    policy = policy_for(policies, holding.kind, end)
    months = _window_months(policies, holding.kind, end, policy)
    starts = [d + timedelta(days=1) for d in (previous, add_months(end, -months) if months else None) if d]
    return Window(
        anniversary=end, start=max(starts) if starts else None, end=end, counted_until=min(as_of, end), policy=policy
    )


def renewed_cycle_day(*, last_renewed_on: date | None, renewed_on: date | None) -> date | None:
    """The last day that shows the renewed cycle (its history), None before any renewal: the day before the
    approval when it came early, else the renewed anniversary itself."""
    if last_renewed_on is None:
        return None
    if renewed_on is not None and renewed_on <= last_renewed_on:
        return renewed_on - timedelta(days=1)
    return last_renewed_on


def record_counts(how: str, via_assessment: bool) -> bool:
    return (how, via_assessment) in COUNTING_WAYS


def _points(n: int) -> str:
    return plural(n, "point")


def how_note(how: str, via_assessment: bool, points: int) -> str:
    if record_counts(how, via_assessment):
        return f"Counts {_points(points)}."
    if how == DOWNLOADED:
        return "A download is not registered: no points."
    if how == VIEWED:
        return "This session prepares for an online assessment: points come when the assessment is passed."
    return "This session has no online assessment."


def forecast(*, needed: int, as_of: date, window: Window, recent_points: int) -> Forecast:
    """Points still needed, days left to the anniversary, the weekly pace needed and the recent pace."""
    days_left = max(0, (window.end - as_of).days)
    pace_days = window.policy.pace_days if window.policy else None
    recent_pace = round(recent_points * 7 / pace_days, 1) if pace_days else None
    if needed <= 0:
        return Forecast(
            0, days_left, None, recent_points, pace_days, recent_pace, True, "The required points are collected."
        )
    if days_left == 0:
        return Forecast(
            needed,
            0,
            None,
            recent_points,
            pace_days,
            recent_pace,
            False,
            f"The anniversary has passed with {_points(needed)} missing.",
        )
    pace_needed = round(needed * 7 / days_left, 1)
    on_track = recent_pace is not None and recent_pace >= pace_needed
    pace_text = (
        f"the last {plural(pace_days, 'day')} brought {_points(recent_points)} ({recent_pace:g} a week)"
        if pace_days
        else "no recent pace is known"
    )
    verdict = "on track" if on_track else "behind: plan the sessions below"
    return Forecast(
        needed,
        days_left,
        pace_needed,
        recent_points,
        pace_days,
        recent_pace,
        on_track,
        f"{_points(needed)} to go in {plural(days_left, 'day')} needs {pace_needed:g} points a week; "
        f"{pace_text}, so the partner is {verdict}.",
    )


def progress(holding: Holding, window: Window, *, collected: int, recent_points: int, as_of: date) -> Progress:
    """The verdict for one partner specialization: collected/required with the reasons and a forecast."""
    policy = window.policy
    retired = holding.retired_on is not None and holding.retired_on <= window.end
    required = policy.required_points if policy else 0
    since = f"from {window.start}" if window.start else "so far"
    reasons = [f"{_points(collected)} collected {since} to {window.counted_until} for the renewal due {window.end}."]
    if retired:
        met = False
        reasons.append(
            f"{holding.specialization} is retired from {holding.retired_on}: it cannot be renewed, whatever the points."
        )
    elif policy is None:
        met = True
        reasons.append(f"No points are required for a renewal due {window.end} (no points policy covers that date).")
    else:
        met = collected >= required
        reasons.append(
            f"The {policy.label} policy requires {_points(required)} for "
            f"{with_article(holding.kind)} specialization renewed on {window.end}."
        )
        if not met:
            short = required - collected
            reasons.append(f"{_points(short)} {'is' if short == 1 else 'are'} still missing.")
    needed = 0 if retired else max(0, required - collected)
    return Progress(
        partner_specialization_id=holding.id,
        partner_id=holding.partner_id,
        specialization=holding.specialization,
        kind=holding.kind,
        collected=collected,
        required=required,
        met=met,
        window_start=window.start,
        window_end=window.end,
        counted_until=window.counted_until,
        anniversary=holding.anniversary,
        days_to_anniversary=(holding.anniversary - as_of).days,
        policy=policy.id if policy else None,
        policy_label=policy.label if policy else "No requirement",
        retired=retired,
        display=f"{collected}/{required}",
        reasons=reasons,
        forecast=forecast(needed=needed, as_of=as_of, window=window, recent_points=recent_points),
    )


@dataclass(frozen=True)
class PointsRequirement:
    """The points requirement of a renewal as the compliance verdict counts it (core.status reads it: met with no
    `next_step` is Met; met with a `next_step` and a `due` is Not met yet; not met is Missed)."""

    met: bool  # the points are collected, or they are not due yet
    next_step: str  # the shortfall and its deadline, e.g. "39 points by 2027-02-15"; empty once collected
    missing: str  # the shortfall once it is due (missed), or asked for now by a renewal application
    due: date | None
    pending: bool = False  # not met only because a renewal application asks for it before it is due


def points_requirement(
    progress: Any, *, name: str, anniversary: date, as_of: date, for_renewal: bool = False
) -> PointsRequirement:
    """The points fall due on the anniversary: before it, a shortfall is the next step (Not met yet), not a failure;
    on and after it, or when judging a renewal application (`for_renewal`), it is met only when the points are
    collected (else Missed). A retired specialization cannot be renewed: missed whatever the points."""
    retired = bool(getattr(progress, "retired", False))
    if retired:
        shortfall = f"{name} is retired: it cannot be renewed."
    else:
        short = max(0, progress.required - progress.collected)
        shortfall = "" if progress.met else f"{_points(short)} by {anniversary.isoformat()}"
    due_now = retired or as_of >= anniversary
    met = bool(progress.met) or not (for_renewal or due_now)
    pending = not met and not due_now
    return PointsRequirement(met, shortfall, "" if met else shortfall, anniversary if shortfall else None, pending)


# --- The plan: the connected sessions that close the gap with the fewest hours -----------------------


@dataclass(frozen=True)
class PlanOption:
    """One session one individual could still earn points with in this cycle (individual None: anyone)."""

    session_id: int
    title: str
    points: int
    hours: Decimal
    individual_id: int | None = None
    individual: str = ""


@dataclass(frozen=True)
class Plan:
    gap: int
    items: list[PlanOption] = field(default_factory=list)
    points: int = 0
    hours: Decimal = Decimal(0)

    @property
    def closes_gap(self) -> bool:
        return self.points >= self.gap


def plan_fewest_hours(gap: int, options: Iterable[PlanOption]) -> Plan:
    """The options whose points reach `gap` with the fewest hours (then the fewest sessions).

    A 0/1 covering knapsack over points capped at the gap; options are tried in the given order, so
    the answer is deterministic. When even all options fall short, the plan takes them all.
    """
    if gap <= 0:
        return Plan(gap=max(gap, 0))
    options = list(options)
    if sum(o.points for o in options) < gap:
        return Plan(gap, options, sum(o.points for o in options), sum((o.hours for o in options), Decimal(0)))
    # best[p] = (tenths of hours, number of sessions, chosen indexes) reaching at least p points
    best: list[tuple[int, int, tuple[int, ...]] | None] = [None] * (gap + 1)
    best[0] = (0, 0, ())
    for index, option in enumerate(options):
        tenths = int(option.hours * 10)
        for reached in range(gap, -1, -1):
            current = best[reached]
            if current is None:
                continue
            target = min(gap, reached + option.points)
            candidate = (current[0] + tenths, current[1] + 1, current[2] + (index,))
            held = best[target]
            if held is None or candidate[:2] < held[:2]:
                best[target] = candidate
    final = best[gap]
    chosen = [options[i] for i in final[2]] if final is not None else []
    return Plan(gap, chosen, sum(o.points for o in chosen), sum((o.hours for o in chosen), Decimal(0)))


def plan_options(
    *, sessions: Iterable[Any], individuals: Iterable[Any], earned: set[tuple[int, int]], gap: int
) -> list[PlanOption]:
    """Options for the plan: each connected session for each individual who has not yet earned it in this
    cycle, at most as many copies of a session as could be useful. `sessions`: (id, title, points, hours);
    `individuals`: (id, name); `earned`: (individual id, session id) pairs already counted."""
    options = []
    for session_id, title, points, hours in sessions:
        copies = ceil(gap / points) if points else 0
        takers = (
            [(i, name) for i, name in individuals if (i, session_id) not in earned] if individuals else [(None, "")]
        )
        for individual_id, name in takers[:copies]:
            options.append(PlanOption(session_id, title, points, Decimal(hours), individual_id, name))
    return options


# --- The ledger, line by line ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerEntry:
    id: int
    individual_id: int
    session_id: int
    occurred_on: date
    how: str
    via_assessment: bool
    points: int
    reversal_of: int | None = None
    reversed: bool = False


def ledger_notes(entries: Iterable[Any], window: Window) -> dict[int, tuple[int, str]]:
    """For each entry (id) the points it brings to this cycle and why: once per individual per session
    per cycle (RULES 3.2 decision), only inside the window. A reversed entry shows the points it brought and
    its reversal takes them back as a negative line, so the lines add up to the total; a reversed entry whose
    reversal is not among these lines (recorded after the day shown) brings none."""
    entries = sorted(entries, key=lambda e: (e.occurred_on, e.id))
    reversed_here = {e.reversal_of for e in entries if e.reversal_of}
    notes: dict[int, tuple[int, str]] = {}
    earned: set[tuple[int, int]] = set()
    for e in entries:
        if e.reversal_of:
            continue  # below, once every entry it may reverse is known
        inside = not ((window.start and e.occurred_on < window.start) or e.occurred_on > window.end)
        counts = record_counts(e.how, e.via_assessment) and inside
        if e.reversed and e.id in reversed_here:
            brought = e.points if counts and (e.individual_id, e.session_id) not in earned else 0
            notes[e.id] = (brought, f"Counted {_points(brought)}; reversed later." if brought else "Reversed.")
        elif e.reversed:
            notes[e.id] = (0, "Reversed: no points.")
        elif not record_counts(e.how, e.via_assessment):
            notes[e.id] = (0, how_note(e.how, e.via_assessment, e.points))
        elif not inside:
            notes[e.id] = (0, "Outside this renewal's window.")
        elif (e.individual_id, e.session_id) in earned:
            notes[e.id] = (0, "Already earned by this individual in this cycle.")
        else:
            earned.add((e.individual_id, e.session_id))
            notes[e.id] = (e.points, f"Counts {_points(e.points)}.")
    for e in entries:
        if e.reversal_of:
            taken = notes.get(e.reversal_of, (0, ""))[0]
            notes[e.id] = (
                -taken,
                f"Reverses entry #{e.reversal_of}" + (f": {_points(taken)} taken back." if taken else "."),
            )
    return notes
