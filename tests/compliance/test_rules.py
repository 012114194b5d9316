"""The pure rules, table by table (no database)."""

from datetime import date

import pytest

from compliance import facts, rules
from compliance.next_change import renewal_cycle_days
from core import words
from core.dates import add_months
from core.policy import PolicyBook, PolicyRow

BOOK = PolicyBook(
    [
        PolicyRow("csat.new_lookback_months", date(2000, 1, 1), 6),
        PolicyRow("csat.followup_required", date(2000, 1, 1), 0),
        PolicyRow("csat.followup_required", date(2014, 11, 15), 1),
    ]
)
SETS = [
    facts.SetRow("p14", "Premier 2014", "Premier", date(2000, 1, 1), date(2000, 1, 1)),
    facts.SetRow("p15", "Premier 2015", "Premier", date(2015, 4, 1), date(2015, 8, 1)),
    facts.SetRow("g14", "Gold", "Gold", date(2000, 1, 1), date(2000, 1, 1)),
]


@pytest.mark.parametrize(
    "day, months, expected",
    [
        (date(2025, 1, 31), 12, date(2026, 1, 31)),
        (date(2024, 2, 29), -12, date(2023, 2, 28)),
        (date(2025, 8, 31), 6, date(2026, 2, 28)),
        (date(2026, 1, 31), -6, date(2025, 7, 31)),
    ],
)
def test_add_months_clamps_at_month_end(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    "renewal, on, code",
    [
        (False, date(2015, 3, 31), "p14"),
        (False, date(2015, 4, 1), "p15"),
        (True, date(2015, 7, 31), "p14"),
        (True, date(2015, 8, 1), "p15"),
        (True, date(2015, 4, 1), "p14"),
    ],
)
def test_requirement_set_select_around_the_2015_transition(renewal, on, code):
    assert rules.requirement_set_select(SETS, tier="Premier", renewal=renewal, on=on).code == code


def test_no_requirement_set_for_a_tier_without_one():
    assert rules.requirement_set_select(SETS, tier="Registered", renewal=False, on=date(2020, 1, 1)) is None


@pytest.mark.parametrize(
    "previous_end, new",
    [
        (None, True),
        (date(2025, 3, 31), True),
        (date(2025, 4, 1), False),
        (date(2025, 9, 30), False),
    ],
)
def test_new_means_not_certified_within_the_previous_six_months(previous_end, new):
    holding = facts.Holding(tier="Premier", start=date(2025, 10, 1), previous_end=previous_end)
    assert rules.csat_is_new(holding, BOOK) is new


def test_policy_book_picks_the_row_in_force():
    assert BOOK.value("csat.followup_required", date(2014, 11, 14)) == 0
    assert BOOK.value("csat.followup_required", date(2014, 11, 15)) == 1
    with pytest.raises(LookupError):
        BOOK.value("csat.unknown", date(2015, 1, 1))


def test_the_csat_policy_reads_as_words_not_keys():
    always = date(2000, 1, 1)
    figures = {"csat.low_score_max": 6, "csat.new_responses": 10, "csat.recert_responses": 1}
    book = PolicyBook(
        [PolicyRow(k, always, figures.get(k, 12)) for k in rules.CSAT_KEYS if k != "csat.followup_required"]
        + [PolicyRow("csat.followup_required", always, 0), PolicyRow("csat.followup_required", date(2014, 11, 15), 1)]
    )
    text = book.cite(rules.CSAT_KEYS, date(2015, 1, 1), rules.csat_policy_words)
    assert text.startswith("CSAT policy from 2014-11-15: 1 valid response at each measurement, received in the 12")
    assert "10 at a new certification's first measurement" in text
    assert text.endswith("a score of 6 or less needs a recorded follow-up.") and "csat." not in text
    before = book.cite(rules.CSAT_KEYS, date(2014, 11, 14), rules.csat_policy_words)
    assert before.startswith("CSAT policy from 2000-01-01: ") and "follow-up" not in before


def test_sentences_join_and_pluralize_as_a_person_writes():
    assert rules.join_words(["a", "b", "c"], "or") == "a, b or c"
    assert rules.plural(1, "more CSAT response") == "1 more CSAT response"
    assert rules.plural(3, "more CSAT response") == "3 more CSAT responses"
    assert [words.with_article(w) for w in ("architecture", "express", "technology", "hour", "SLA", "user")] == [
        "an architecture",
        "an express",
        "a technology",
        "an hour",
        "an SLA",
        "a user",
    ]
    assert words.sentences(["12 points collected.", "3 points are still missing", ""]) == (
        "12 points collected. 3 points are still missing."
    )
    assert words.signed(-12) == "\u221212" and words.signed(0) == "0"


def test_the_day_an_early_renewal_was_approved_can_change_a_stored_verdict():
    """From `renewed_on` the points cycle is the next one (learning.rules.cycle_end): the recompute must look then."""
    days = renewal_cycle_days(
        anniversary=date(2027, 8, 1),
        last_renewed_on=date(2026, 8, 1),
        as_of=date(2026, 5, 1),
        renewed_on=date(2026, 6, 2),
    )
    assert date(2026, 6, 2) in days and date(2026, 8, 2) in days
