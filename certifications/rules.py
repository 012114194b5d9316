"""Pure rules for individual certifications and CE credits (RULES §8). No ORM, clock or I/O.

Decisions taken here (also in the README):
- A period expires `period_years` calendar years after it starts, clamped at month end: a
  certification issued on 29 February 2024 expires on 28 February 2027.
- The periods of a certification follow each other without gap: a period counts the credits and
  exams whose activity ended (or exam was passed) from its first day until the day before the next
  period starts. While a lapsed certification is not renewed, its last period stays open, so
  credits earned after the expiry count towards the late renewal.
- A claim counts once it is Earned, from the day it was marked Earned (an `as_of` before that day
  does not see it).
- The closest path is a satisfied one if any; otherwise the one with the largest share done, where
  the CE part and each required exam weigh the same; ties go to the path listed first.
- Renewal: from the old expiry (the new period starts the next day and expires `period_years`
  after the old expiry) unless the certification had lapsed, in which case the new period starts
  on the renewal date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from core.dates import add_years
from core.status import ACTIVE, LAPSED, NOT_STARTED


@dataclass(frozen=True)
class PathRow:
    """A renewal path policy row."""

    pk: int
    level: str
    ce_credits: int
    exam_kind: str = ""
    exam_count: int = 0
    effective_from: date | None = None

    @property
    def label(self) -> str:
        text = f"{self.ce_credits} CE"
        if self.exam_count:
            text += f" + {_exams(self.exam_count, self.exam_kind)}"
        return text


@dataclass(frozen=True)
class Period:
    starts_on: date
    expires_on: date


@dataclass(frozen=True)
class Credit:
    ended_on: date
    credits: int
    earned_on: date


@dataclass(frozen=True)
class Exam:
    kind: str
    passed_on: date


@dataclass(frozen=True)
class PathProgress:
    path: PathRow
    credits: int
    exams: int
    met: bool
    share: float
    text: str  # "45/80 CE" or "40/40 CE + 0/1 professional exam"
    missing: str  # "" when met, else a sentence


@dataclass(frozen=True)
class Progress:
    as_of: date
    period: Period | None
    counted_until: date | None
    credits: int
    exams: dict = field(default_factory=dict)
    paths: tuple[PathProgress, ...] = ()
    closest: PathProgress | None = None
    days_left: int | None = None
    lapsed: bool = False
    renewable: bool = False
    summary: str = ""

    @property
    def days_lapsed(self) -> int:
        return -self.days_left if self.lapsed and self.days_left is not None else 0

    @property
    def status(self) -> str:
        """The code core.status's `individual` states are keyed by (Expires soon is derived from it for pages)."""
        if self.period is None:
            return NOT_STARTED
        return LAPSED if self.lapsed else ACTIVE


def _exams(count: int, kind: str) -> str:
    return f"{count} {kind} exam{'s' if count != 1 else ''}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def period_for(periods: list[Period], as_of: date) -> tuple[Period | None, date | None]:
    """The period `as_of` falls in, and the last day it counts credits up to `as_of`."""
    ordered = sorted(periods, key=lambda p: p.starts_on)
    for index, period in enumerate(ordered):
        following = ordered[index + 1] if index + 1 < len(ordered) else None
        if period.starts_on <= as_of and (following is None or as_of < following.starts_on):
            return period, as_of
    return None, None


def path_progress(path: PathRow, credits: int, exams: dict) -> PathProgress:
    passed = exams.get(path.exam_kind, 0) if path.exam_count else 0
    credits_ok = credits >= path.ce_credits
    exams_ok = passed >= path.exam_count
    # Progress towards each requirement, capped at it (the period's total is shown on its own).
    text = f"{min(credits, path.ce_credits)}/{path.ce_credits} CE"
    if path.exam_count:
        text += f" + {min(passed, path.exam_count)}/{_exams(path.exam_count, path.exam_kind)}"
    missing = []
    if not credits_ok:
        missing.append(_plural(path.ce_credits - credits, "more CE credit"))
    if not exams_ok:
        missing.append(_exams(path.exam_count - passed, f"more {path.exam_kind}"))
    share = (min(credits, path.ce_credits) / path.ce_credits if path.ce_credits else 1.0) + min(passed, path.exam_count)
    share /= 1 + path.exam_count
    sentence = f"Needs {' and '.join(missing)} for {path.label}." if missing else ""
    return PathProgress(
        path=path, credits=credits, exams=passed, met=not missing, share=share, text=text, missing=sentence
    )


def progress(
    *, periods: list[Period], credits: list[Credit], exams: list[Exam], paths: list[PathRow], as_of: date
) -> Progress:
    """Progress of one certification on `as_of`: the period, what counts in it, every path, the closest."""
    period, until = period_for(periods, as_of)
    if period is None or until is None:
        return Progress(
            as_of=as_of, period=None, counted_until=None, credits=0, summary=f"Not certified yet on {as_of}."
        )
    earned = sum(c.credits for c in credits if period.starts_on <= c.ended_on <= until and c.earned_on <= as_of)
    passed: dict[str, int] = {}
    for exam in exams:
        if period.starts_on <= exam.passed_on <= until:
            passed[exam.kind] = passed.get(exam.kind, 0) + 1
    rows = tuple(path_progress(p, earned, passed) for p in paths)
    closest = max(rows, key=lambda r: (r.met, r.share), default=None)
    days_left = (period.expires_on - as_of).days
    lapsed = days_left < 0
    renewable = any(r.met for r in rows)
    if lapsed:
        when = f"Lapsed on {period.expires_on + timedelta(days=1)} ({_plural(-days_left, 'day')} ago)."
    else:
        when = f"Expires on {period.expires_on} ({_plural(days_left, 'day')} left)."
    if closest is None:
        what = "No renewal path is in force for this level."
    elif renewable:
        what = f"Renewal path met: {closest.path.label} ({closest.text})."
    else:
        what = f"Closest path {closest.path.label} is at {closest.text}. {closest.missing}"
    return Progress(
        as_of=as_of,
        period=period,
        counted_until=until,
        credits=earned,
        exams=passed,
        paths=rows,
        closest=closest,
        days_left=days_left,
        lapsed=lapsed,
        renewable=renewable,
        summary=f"{when} {what}",
    )


def renewed_period(*, current: Period, renewed_on: date, years: int) -> Period:
    """The next period: from the old expiry, or from the renewal date after a lapse."""
    if renewed_on > current.expires_on:
        return Period(starts_on=renewed_on, expires_on=add_years(renewed_on, years))
    return Period(starts_on=current.expires_on + timedelta(days=1), expires_on=add_years(current.expires_on, years))


@dataclass(frozen=True)
class ClaimFacts:
    started_on: date
    ended_on: date
    activity_expires_on: date | None
    code_already_claimed: bool
    attended_in_full: bool


def claim_refusals(facts: ClaimFacts, *, today: date) -> dict[str, str]:
    """Why a claim cannot be accepted, field -> message (empty when it can)."""
    errors = {}
    if facts.ended_on < facts.started_on:
        errors["ended_on"] = "The end date cannot be before the start date."
    if facts.started_on > today:
        errors["started_on"] = f"The start date cannot be in the future (today is {today})."
    if facts.ended_on > today:
        errors["ended_on"] = f"The end date cannot be in the future (today is {today})."
    if facts.activity_expires_on and facts.ended_on > facts.activity_expires_on:
        errors["activity"] = (
            f"This activity expired on {facts.activity_expires_on}; a completion after that date earns no credits."
        )
    if facts.code_already_claimed:
        errors["validation_code"] = "This certificate validation code has already been claimed."
    if not facts.attended_in_full:
        errors["attended_in_full"] = "Credits are earned only when the activity was attended for its full duration."
    return errors


def reminder_due(*, expires_on: date, as_of: date, reminder_days: list[int]) -> int | None:
    """The reminder (days before expiry) due on `as_of`: the most urgent one whose day has come,
    until the expiry day itself; None when none is due. A missed daily run catches up next day."""
    days_left = (expires_on - as_of).days
    if days_left < 0:
        return None
    due = [d for d in reminder_days if days_left <= d]
    return min(due) if due else None


PDF_MAGIC = b"%PDF-"
PDF_TRAILER = b"%%EOF"
PDF_TAIL_BYTES = 1024


def certificate_problem(*, size: int, head: bytes, tail: bytes, max_bytes: int) -> str:
    """Why an uploaded completion certificate is refused ("" when it is accepted).

    Judged by content, never by name: a PDF starts with `%PDF-` and ends with a `%%EOF` marker
    in its last kilobyte.
    """
    if size > max_bytes:
        return (
            f"The certificate is {size / 1_048_576:.1f} MB; the largest file accepted is {max_bytes / 1_048_576:g} MB."
        )
    if size == 0:
        return "The certificate file is empty."
    if not head.startswith(PDF_MAGIC) or PDF_TRAILER not in tail:
        return "The certificate is not a PDF document (its content is not PDF, whatever its name)."
    return ""
