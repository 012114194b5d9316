"""The CE rules as pure functions, against RULES.md §8 and the seed's table."""

from datetime import date

import pytest

from certifications.rules import (
    ClaimFacts,
    Credit,
    Exam,
    PathRow,
    Period,
    certificate_problem,
    claim_refusals,
    progress,
    reminder_due,
    renewed_period,
)
from core.dates import add_years

# The Expert row of RULES 8.1 / the seed: 120 CE; or 40 CE + 1 technology exam; or 40 CE + 2 professional
# exams; or 80 CE + 1 professional exam.
EXPERT = [
    PathRow(pk=1, level="expert", ce_credits=120),
    PathRow(pk=2, level="expert", ce_credits=40, exam_kind="technology", exam_count=1),
    PathRow(pk=3, level="expert", ce_credits=40, exam_kind="professional", exam_count=2),
    PathRow(pk=4, level="expert", ce_credits=80, exam_kind="professional", exam_count=1),
]
PROFESSIONAL = [
    PathRow(pk=5, level="professional", ce_credits=80),
    PathRow(pk=6, level="professional", ce_credits=40, exam_kind="professional", exam_count=1),
]
PERIOD = Period(date(2024, 3, 10), date(2027, 3, 10))
IN_PERIOD = date(2025, 5, 1)
AS_OF = date(2026, 6, 1)


def _credits(total):
    return [Credit(ended_on=IN_PERIOD, credits=total, earned_on=IN_PERIOD)] if total else []


def _exams(**kinds):
    return [Exam(kind=kind, passed_on=IN_PERIOD) for kind, n in kinds.items() for _ in range(n)]


def _progress(credits, exams, paths=EXPERT, as_of=AS_OF, periods=(PERIOD,)):
    return progress(periods=list(periods), credits=credits, exams=exams, paths=paths, as_of=as_of)


@pytest.mark.parametrize(
    "credits, exams, met_path",
    [
        (120, {}, 1),
        (40, {"technology": 1}, 2),
        (40, {"professional": 2}, 3),
        (80, {"professional": 1}, 4),
    ],
)
def test_every_expert_path_met(credits, exams, met_path):
    result = _progress(_credits(credits), _exams(**exams))
    assert result.renewable
    assert {p.path.pk for p in result.paths if p.met} == {met_path}
    assert result.closest.path.pk == met_path and result.closest.missing == ""


@pytest.mark.parametrize(
    "credits, exams, path, text, missing",
    [
        (119, {}, 1, "119/120 CE", "Needs 1 more CE credit for 120 CE."),
        (
            39,
            {"technology": 1},
            2,
            "39/40 CE + 1/1 technology exam",
            "Needs 1 more CE credit for 40 CE + 1 technology exam.",
        ),
        (40, {}, 2, "40/40 CE + 0/1 technology exam", "Needs 1 more technology exam for 40 CE + 1 technology exam."),
        (
            39,
            {"professional": 2},
            3,
            "39/40 CE + 2/2 professional exams",
            "Needs 1 more CE credit for 40 CE + 2 professional exams.",
        ),
        (
            40,
            {"professional": 1},
            3,
            "40/40 CE + 1/2 professional exams",
            "Needs 1 more professional exam for 40 CE + 2 professional exams.",
        ),
        (
            79,
            {"professional": 1},
            4,
            "79/80 CE + 1/1 professional exam",
            "Needs 1 more CE credit for 80 CE + 1 professional exam.",
        ),
    ],
)
def test_every_expert_path_one_credit_or_one_exam_short(credits, exams, path, text, missing):
    result = _progress(_credits(credits), _exams(**exams))
    row = next(p for p in result.paths if p.path.pk == path)
    assert not row.met
    assert row.text == text
    assert row.missing == missing


def test_one_credit_short_on_every_path_is_not_renewable_and_names_the_closest():
    # 79 CE and one professional exam: 120 CE (79/120), 40+1 tech (40/40, 0/1), 40+2 prof (40/40, 1/2), 80+1 prof.
    result = _progress(_credits(79), _exams(professional=1))
    assert not result.renewable
    assert [p.text for p in result.paths] == [
        "79/120 CE",
        "40/40 CE + 0/1 technology exam",
        "40/40 CE + 1/2 professional exams",
        "79/80 CE + 1/1 professional exam",
    ]
    assert result.closest.path.pk == 4  # 79/80 and the exam: the least left to do
    assert "Closest path 80 CE + 1 professional exam is at 79/80 CE + 1/1 professional exam" in result.summary


def test_progress_formats_of_the_issue():
    result = _progress(_credits(45), [], paths=PROFESSIONAL)
    assert [p.text for p in result.paths] == ["45/80 CE", "40/40 CE + 0/1 professional exam"]


def test_an_exam_of_another_kind_does_not_count():
    result = _progress(_credits(40), _exams(professional=1), paths=[EXPERT[1]])
    assert result.paths[0].text == "40/40 CE + 0/1 technology exam"


def test_credits_the_day_before_and_after_a_period_boundary():
    first = Period(date(2023, 3, 10), date(2026, 3, 10))
    second = Period(date(2026, 3, 11), date(2029, 3, 10))  # renewed on time: starts the day after the old expiry
    day_before = Credit(ended_on=date(2026, 3, 10), credits=7, earned_on=date(2026, 3, 10))
    day_after = Credit(ended_on=date(2026, 3, 11), credits=11, earned_on=date(2026, 3, 11))
    old = progress(
        periods=[first, second], credits=[day_before, day_after], exams=[], paths=PROFESSIONAL, as_of=date(2026, 3, 10)
    )
    new = progress(
        periods=[first, second], credits=[day_before, day_after], exams=[], paths=PROFESSIONAL, as_of=date(2026, 3, 11)
    )
    assert (old.period, old.credits, old.days_left) == (first, 7, 0)
    assert (new.period, new.credits, new.days_left) == (second, 11, 1095)


def test_credits_before_the_first_period_do_not_count():
    before = Credit(ended_on=date(2024, 3, 9), credits=30, earned_on=date(2024, 3, 9))
    first_day = Credit(ended_on=date(2024, 3, 10), credits=5, earned_on=date(2024, 3, 10))
    assert _progress([before, first_day], []).credits == 5
    assert _progress([before], [], as_of=date(2024, 3, 9)).status == "not_yet"


def test_a_claim_counts_from_the_day_it_was_earned():
    late = Credit(ended_on=date(2025, 1, 10), credits=20, earned_on=date(2025, 2, 1))
    assert _progress([late], [], as_of=date(2025, 1, 31)).credits == 0
    assert _progress([late], [], as_of=date(2025, 2, 1)).credits == 20


def test_a_lapsed_period_keeps_counting_until_renewed():
    after_expiry = Credit(ended_on=date(2027, 4, 1), credits=80, earned_on=date(2027, 4, 2))
    result = _progress([after_expiry], [], paths=PROFESSIONAL, as_of=date(2027, 4, 10))
    assert result.lapsed and result.renewable and result.days_left == -31 and result.days_lapsed == 31
    assert result.summary.startswith("Lapsed on 2027-03-11 (31 days ago).")


def test_29_february_plus_three_years_is_28_february():
    assert add_years(date(2024, 2, 29), 3) == date(2027, 2, 28)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)
    assert add_years(date(2023, 3, 10), 3) == date(2026, 3, 10)


def test_renewal_from_the_old_expiry_or_from_the_renewal_date_after_a_lapse():
    on_time = renewed_period(current=PERIOD, renewed_on=date(2027, 3, 10), years=3)
    early = renewed_period(current=PERIOD, renewed_on=date(2026, 1, 5), years=3)
    late = renewed_period(current=PERIOD, renewed_on=date(2027, 3, 11), years=3)
    assert on_time == early == Period(date(2027, 3, 11), date(2030, 3, 10))
    assert late == Period(date(2027, 3, 11), date(2030, 3, 11))
    leap = renewed_period(current=Period(date(2024, 2, 29), date(2027, 2, 28)), renewed_on=date(2028, 2, 29), years=3)
    assert leap == Period(date(2028, 2, 29), date(2031, 2, 28))


TODAY = date(2026, 5, 20)


@pytest.mark.parametrize(
    "start, end, expires, code_used, attended, fields",
    [
        (date(2026, 5, 2), date(2026, 5, 1), None, False, True, {"ended_on"}),
        (date(2026, 5, 21), date(2026, 5, 21), None, False, True, {"started_on", "ended_on"}),
        (date(2026, 5, 19), date(2026, 5, 21), None, False, True, {"ended_on"}),
        (date(2026, 4, 1), date(2026, 4, 2), date(2026, 4, 1), False, True, {"activity"}),
        (date(2026, 4, 1), date(2026, 4, 1), date(2026, 4, 1), False, True, set()),  # the expiry day itself is in time
        (date(2026, 4, 1), date(2026, 4, 1), None, True, True, {"validation_code"}),
        (date(2026, 4, 1), date(2026, 4, 1), None, False, False, {"attended_in_full"}),
        (date(2026, 5, 20), date(2026, 5, 20), None, False, True, set()),  # today is not in the future
    ],
)
def test_claim_refusals(start, end, expires, code_used, attended, fields):
    errors = claim_refusals(ClaimFacts(start, end, expires, code_used, attended), today=TODAY)
    assert set(errors) == fields


def test_claim_refusal_messages_are_clear():
    errors = claim_refusals(ClaimFacts(date(2026, 4, 2), date(2026, 4, 3), date(2026, 4, 2), True, True), today=TODAY)
    assert errors["activity"] == ("This activity expired on 2026-04-02; a completion after that date earns no credits.")
    assert errors["validation_code"] == "This certificate validation code has already been claimed."


MB = 1_048_576


@pytest.mark.parametrize(
    "size, head, tail, expected",
    [
        (1000, b"%PDF-", b"...%%EOF\n", ""),
        (10 * MB, b"%PDF-", b"%%EOF", ""),
        (10 * MB + 1, b"%PDF-", b"%%EOF", "The certificate is 10.0 MB; the largest file accepted is 10 MB."),
        (11 * MB, b"%PDF-", b"%%EOF", "The certificate is 11.0 MB; the largest file accepted is 10 MB."),
        (
            20,
            b"Hello",
            b"world\n",
            "The certificate is not a PDF document (its content is not PDF, whatever its name).",
        ),
        (
            20,
            b"%PDF-",
            b"truncated",
            "The certificate is not a PDF document (its content is not PDF, whatever its name).",
        ),
        (0, b"", b"", "The certificate file is empty."),
    ],
)
def test_certificate_is_judged_by_content_and_size(size, head, tail, expected):
    assert certificate_problem(size=size, head=head, tail=tail, max_bytes=10 * MB) == expected


@pytest.mark.parametrize("days_left, due", [(91, None), (90, 90), (31, 90), (30, 30), (0, 30), (-1, None)])
def test_reminder_due(days_left, due):
    expires = date(2026, 9, 1)
    as_of = date.fromordinal(expires.toordinal() - days_left)
    assert reminder_due(expires_on=expires, as_of=as_of, reminder_days=[90, 30]) == due
