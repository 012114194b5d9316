"""RULES §3 as pure functions, checked against the points table the data migration ships."""

from datetime import date
from decimal import Decimal

import pytest

from core.dates import add_months
from learning import rules
from learning.selectors import policy_rows


@pytest.fixture
def policies(db):
    return policy_rows()


def holding(kind="architecture", anniversary=date(2017, 6, 30), last_renewed_on=None, retired_on=None, renewed_on=None):
    return rules.Holding(
        id=1,
        partner_id=1,
        specialization="Advanced Security Architecture",
        kind=kind,
        anniversary=anniversary,
        last_renewed_on=last_renewed_on,
        retired_on=retired_on,
        renewed_on=renewed_on,
    )


def verdict(policies, collected, **kw):
    h = holding(**kw)
    as_of = kw.get("anniversary", date(2017, 6, 30))
    return rules.progress(h, rules.window_for(h, policies, as_of), collected=collected, recent_points=0, as_of=as_of)


@pytest.mark.parametrize(
    "kind, anniversary, required",
    [
        ("architecture", date(2017, 6, 30), 100),
        ("technology", date(2017, 6, 30), 80),
        ("express", date(2017, 6, 30), 40),
        ("architecture", date(2016, 12, 1), 50),
        ("technology", date(2016, 12, 1), 40),
        ("express", date(2016, 12, 1), 20),
    ],
)
def test_every_row_of_the_points_table(policies, kind, anniversary, required):
    assert verdict(policies, required - 1, kind=kind, anniversary=anniversary).met is False
    met = verdict(policies, required, kind=kind, anniversary=anniversary)
    assert met.met and met.required == required and met.display == f"{required}/{required}"


@pytest.mark.parametrize(
    "anniversary, required, label",
    [
        (date(2016, 10, 30), 0, "No requirement"),
        (date(2016, 10, 31), 50, "Transitional"),
        (date(2017, 1, 28), 50, "Transitional"),
        (date(2017, 1, 29), 100, "Continuous Learning 2017"),
    ],
)
def test_transitional_boundaries_select_the_row_by_anniversary(policies, anniversary, required, label):
    p = verdict(policies, 0, anniversary=anniversary)
    assert p.required == required and p.policy_label.startswith(label)
    assert p.met is (required == 0)
    if required == 0:
        assert p.policy is None and "No points are required" in " ".join(p.reasons)


def test_the_verdict_names_the_policy_and_what_is_missing(policies):
    p = verdict(policies, 15, kind="express", anniversary=date(2016, 12, 1))
    assert p.display == "15/20" and not p.met
    assert "Transitional" in p.policy_label and p.policy is not None
    assert "5 points are still missing." in p.reasons


def test_window_is_exactly_twelve_calendar_months(policies):
    w = rules.window_for(holding(anniversary=date(2017, 6, 30)), policies, date(2017, 6, 30))
    assert (w.start, w.end) == (date(2016, 7, 1), date(2017, 6, 30))


def test_window_of_an_anniversary_on_29_february_clamps_to_28_february(policies):
    w = rules.window_for(holding(anniversary=date(2024, 2, 29)), policies, date(2024, 1, 1))
    assert (w.start, w.end, w.counted_until) == (date(2023, 3, 1), date(2024, 2, 29), date(2024, 1, 1))
    assert add_months(date(2024, 2, 29), -12) == date(2023, 2, 28)
    assert add_months(date(2023, 1, 31), 1) == date(2023, 2, 28)


def test_window_never_reaches_back_before_the_last_renewal(policies):
    h = holding(anniversary=date(2018, 6, 30), last_renewed_on=date(2017, 9, 1))
    w = rules.window_for(h, policies, date(2018, 1, 1))
    assert (w.start, w.end) == (date(2017, 9, 2), date(2018, 6, 30))


def test_as_of_on_or_before_the_last_renewal_looks_at_the_renewed_cycle(policies):
    h = holding(anniversary=date(2018, 6, 30), last_renewed_on=date(2017, 6, 30))
    assert rules.window_for(h, policies, date(2017, 6, 30)).end == date(2017, 6, 30)
    assert rules.window_for(h, policies, date(2017, 7, 1)).end == date(2018, 6, 30)
    older = rules.window_for(h, policies, date(2016, 3, 1))
    assert (older.start, older.end) == (date(2015, 7, 1), date(2016, 6, 30))


def test_an_early_approval_starts_the_next_cycle_on_the_day_of_the_approval(policies):
    """Renewed on 2017-05-10 for the 2017-06-30 anniversary: from that day the pages count towards 2018-06-30
    (0 points until its window opens on 2017-07-01); the day before still shows the renewed cycle."""
    h = holding(anniversary=date(2018, 6, 30), last_renewed_on=date(2017, 6, 30), renewed_on=date(2017, 5, 10))
    after = rules.window_for(h, policies, date(2017, 5, 10))
    assert (after.start, after.end, after.counted_until) == (date(2017, 7, 1), date(2018, 6, 30), date(2017, 5, 10))
    p = rules.progress(h, after, collected=0, recent_points=0, as_of=date(2017, 5, 10))
    assert (p.display, p.days_to_anniversary, p.forecast.days_left) == ("0/100", 416, 416)
    before = rules.window_for(h, policies, date(2017, 5, 9))
    assert (before.start, before.end) == (date(2016, 7, 1), date(2017, 6, 30))
    assert rules.renewed_cycle_day(last_renewed_on=date(2017, 6, 30), renewed_on=date(2017, 5, 10)) == date(2017, 5, 9)
    # Approved after the anniversary (or before renewed_on was kept): the renewed anniversary is its last day.
    assert rules.renewed_cycle_day(last_renewed_on=date(2017, 6, 30), renewed_on=date(2017, 7, 20)) == date(2017, 6, 30)
    assert rules.renewed_cycle_day(last_renewed_on=date(2017, 6, 30), renewed_on=None) == date(2017, 6, 30)
    assert rules.renewed_cycle_day(last_renewed_on=None, renewed_on=None) is None


@pytest.mark.parametrize(
    ("as_of", "for_renewal", "met", "pending", "next_step"),
    [
        (date(2017, 3, 1), False, True, False, "61 points by 2017-06-30"),  # Not met yet
        (date(2017, 3, 1), True, False, True, "61 points by 2017-06-30"),  # a renewal asks for it early
        (date(2017, 6, 30), False, False, False, "61 points by 2017-06-30"),  # Missed
    ],
)
def test_points_requirement_is_not_met_yet_until_the_anniversary(policies, as_of, for_renewal, met, pending, next_step):
    h = holding()
    p = rules.progress(h, rules.window_for(h, policies, as_of), collected=39, recent_points=0, as_of=as_of)
    found = rules.points_requirement(p, name="x", anniversary=h.anniversary, as_of=as_of, for_renewal=for_renewal)
    assert (found.met, found.pending, found.next_step, found.due) == (met, pending, next_step, date(2017, 6, 30))


@pytest.mark.parametrize(
    "how, via_assessment, counts",
    [
        ("viewed", False, True),
        ("downloaded", False, False),
        ("viewed", True, False),
        ("assessment_passed", True, True),
        ("downloaded", True, False),
    ],
)
def test_view_counts_download_does_not_assessment_only_on_pass(how, via_assessment, counts):
    assert rules.record_counts(how, via_assessment) is counts


def test_retired_specialization_cannot_be_met_whatever_the_points(policies):
    p = verdict(policies, 500, retired_on=date(2017, 3, 1))
    assert p.retired and not p.met and p.forecast.needed == 0
    assert "cannot be renewed" in " ".join(p.reasons)
    assert not verdict(policies, 500, retired_on=date(2017, 7, 1)).retired


def test_forecast_pace_needed_against_recent_pace(policies):
    h = holding(anniversary=date(2017, 6, 30))
    w = rules.window_for(h, policies, date(2017, 3, 2))  # 120 days left
    behind = rules.progress(h, w, collected=40, recent_points=9, as_of=date(2017, 3, 2)).forecast
    assert (behind.needed, behind.days_left, behind.weekly_pace_needed) == (60, 120, 3.5)
    assert behind.recent_weekly_pace == 0.7 and not behind.on_track
    ahead = rules.progress(h, w, collected=40, recent_points=60, as_of=date(2017, 3, 2)).forecast
    assert ahead.on_track and "on track" in ahead.summary


def test_plan_takes_the_fewest_hours_then_the_fewest_sessions():
    opts = [
        rules.PlanOption(1, "Long", 20, Decimal("25")),
        rules.PlanOption(2, "A", 10, Decimal("10")),
        rules.PlanOption(3, "B", 10, Decimal("10")),
        rules.PlanOption(4, "Tiny", 5, Decimal("4")),
        rules.PlanOption(5, "Tiny 2", 1, Decimal("1")),
    ]
    plan = rules.plan_fewest_hours(15, opts)
    assert [o.session_id for o in plan.items] == [2, 4] and plan.hours == 14 and plan.closes_gap
    assert rules.plan_fewest_hours(0, opts).items == []
    short = rules.plan_fewest_hours(100, opts)
    assert not short.closes_gap and short.points == 46


def test_plan_options_skip_sessions_an_individual_already_earned():
    options = rules.plan_options(
        sessions=[(7, "S", 10, Decimal(10))], individuals=[(1, "Ann"), (2, "Bo"), (3, "Cy")], earned={(1, 7)}, gap=15
    )
    assert [(o.individual_id, o.session_id) for o in options] == [(2, 7), (3, 7)]


def _entry(pk, day, *, reversal_of=None, reversed_=False, person=1, session=7):
    return rules.LedgerEntry(pk, person, session, day, "viewed", False, 12, reversal_of, reversed_)


WINDOW = rules.Window(
    anniversary=date(2027, 1, 31),
    start=date(2026, 2, 1),
    end=date(2027, 1, 31),
    counted_until=date(2027, 1, 31),
    policy=None,
)


def test_a_reversal_takes_the_points_back_as_a_negative_line():
    # Recorded, reversed, recorded again (dated before the reversal): the lines add up to what counts, 12.
    notes = rules.ledger_notes(
        [
            _entry(1, date(2026, 3, 1), reversed_=True),
            _entry(2, date(2026, 3, 1)),
            _entry(3, date(2026, 4, 1), reversal_of=1),
        ],
        WINDOW,
    )
    assert notes == {
        1: (12, "Counted 12 points; reversed later."),
        2: (12, "Counts 12 points."),
        3: (-12, "Reverses entry #1: 12 points taken back."),
    }
    assert sum(points for points, _ in notes.values()) == 12


def test_a_reversal_of_a_line_that_brought_nothing_takes_nothing_back():
    notes = rules.ledger_notes(
        [
            _entry(1, date(2026, 3, 1)),
            _entry(2, date(2026, 3, 2), reversed_=True),  # the same session again: it brought nothing
            _entry(3, date(2026, 4, 1), reversal_of=2),
            _entry(4, date(2026, 5, 1), reversed_=True),  # its reversal is not among these lines
        ],
        WINDOW,
    )
    assert notes[2] == (0, "Reversed.") and notes[3] == (0, "Reverses entry #2.")
    assert notes[4] == (0, "Reversed: no points.")
    assert sum(points for points, _ in notes.values()) == 12
