"""One status language: every state a person reads, defined once, with a label, one sentence and a badge tone.

Pages, API serializers, CSV exports and notice emails all take their status words from here, so a credential
reads the same everywhere, and the help page (`/help/`, anchors `#<kind>-<value>`) explains the same sentences.

Three kinds of state:

- ``lifecycle``: where a credential is in its renewal cycle (the stored ``CredentialBase.status``):
  Approved, Re-Cert, Lapsed, Revoked.
- ``compliance``: whether a credential meets its requirements today (derived from a verdict):
  Compliant, On track, At risk, Not compliant.
- ``requirement``: one requirement of a verdict: Met, Not met yet, Missed.
- ``individual``: a person's own certification (CE credits, RULES §8): Active, Expires soon, Lapsed, Not started
  (``individual_value`` from its progress and the CE policy's expiring window).
- ``claim``: a CE claim for activity outside the catalogue: Pending, Earned, Rejected (the stored status).

The API, for the other parts of the portal (pure data and small functions; no ORM, no clock)::

    from core import status
    status.state("lifecycle", "recert")               # -> State(label="Re-Cert", sentence=..., tone="warn", ...)
    status.label("compliance", "at_risk")             # -> "At risk"
    status.compliance_value(compliant=..., at_risk=..., requirements=[...])   # -> "on_track"
    status.requirement_value(r)                       # r: a RequirementResult or its stored dict -> "not_met_yet"
    status.requirement_text(r)                        # -> "Not met yet: 39 points by 2027-02-15"
    status.requirement_shortfall(r)                   # -> "39 points by 2027-02-15" (no prefix)

In templates: ``{% load status %}{% status_badge "compliance" value %}`` renders the badge with its sentence as a
tooltip and a link to the help page; ``{% requirement_badge r %}`` the badge of one requirement with its text.
The API adds ``*_label`` fields next to the stable codes (``status`` / ``status_label``, ``compliance`` /
``compliance_label``, a requirement's ``state`` / ``state_label``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from .models import CredentialStatus

OK, WARN, BAD, NEUTRAL = "ok", "warn", "bad", "neutral"

LIFECYCLE, COMPLIANCE, REQUIREMENT = "lifecycle", "compliance", "requirement"
INDIVIDUAL, CLAIM = "individual", "claim"

COMPLIANT, ON_TRACK, AT_RISK, NOT_COMPLIANT = "compliant", "on_track", "at_risk", "not_compliant"
MET, NOT_MET_YET, MISSED = "met", "not_met_yet", "missed"
ACTIVE, EXPIRING, LAPSED, NOT_STARTED = "active", "expiring", "lapsed", "not_yet"


@dataclass(frozen=True)
class State:
    kind: str  # lifecycle / compliance / requirement
    value: str  # the stable code (API field value, stored status)
    label: str  # the word people read
    sentence: str  # what it means, one sentence
    tone: str  # ok / warn / bad / neutral: the badge colour

    @property
    def anchor(self) -> str:
        """The help page's anchor for this state: `/help/#<anchor>`."""
        return f"{self.kind}-{self.value}".replace("_", "-")


def _states(kind: str, rows: list[tuple[str, str, str, str]]) -> dict[str, State]:
    return {value: State(kind, value, label, sentence, tone) for value, label, sentence, tone in rows}


STATES: dict[str, dict[str, State]] = {
    LIFECYCLE: _states(
        LIFECYCLE,
        [
            (
                CredentialStatus.APPROVED.value,
                CredentialStatus.APPROVED.label,
                "The credential is held and its renewal window has not opened yet.",
                OK,
            ),
            (
                CredentialStatus.RECERT.value,
                CredentialStatus.RECERT.label,
                "The renewal window is open: the credential is still held, and the partner renews it by "
                "submitting a renewal once every requirement is met.",
                WARN,
            ),
            (
                CredentialStatus.LAPSED.value,
                CredentialStatus.LAPSED.label,
                "No renewal was submitted in time after the anniversary: the credential is no longer held "
                "until it is renewed.",
                BAD,
            ),
            (
                CredentialStatus.REVOKED.value,
                CredentialStatus.REVOKED.label,
                "The vendor withdrew the credential after a non-compliance that was not resolved; the partner "
                "must apply again.",
                BAD,
            ),
        ],
    ),
    COMPLIANCE: _states(
        COMPLIANCE,
        [
            (COMPLIANT, "Compliant", "Every requirement is met today.", OK),
            (
                ON_TRACK,
                "On track",
                "Nothing is missed today, but a requirement is not met yet and its deadline is still more than "
                "the at-risk horizon away.",
                OK,
            ),
            (
                AT_RISK,
                "At risk",
                "Nothing is missed today, but a requirement that is not met yet falls due soon (within the "
                "at-risk horizon).",
                WARN,
            ),
            (
                NOT_COMPLIANT,
                "Not compliant",
                "A requirement is missed today. The credential keeps its lifecycle status (for example Approved) "
                "while the partner acknowledges and fixes it; unresolved, it can be revoked.",
                BAD,
            ),
        ],
    ),
    REQUIREMENT: _states(
        REQUIREMENT,
        [
            (MET, "Met", "The requirement is met today.", OK),
            (
                NOT_MET_YET,
                "Not met yet",
                "The requirement is not met yet, and there is still time: the figure and the deadline say "
                "what is still needed by when.",
                WARN,
            ),
            (MISSED, "Missed", "The requirement is due and not met: the credential is not compliant until it is.", BAD),
        ],
    ),
    INDIVIDUAL: _states(
        INDIVIDUAL,
        [
            (ACTIVE, "Active", "The person holds the certification and its expiry is not near yet.", OK),
            (
                EXPIRING,
                "Expires soon",
                "The certification expires within the program's expiring window: renew it by a renewal path "
                "(CE credits, exams) before it lapses.",
                WARN,
            ),
            (
                LAPSED,
                "Lapsed",
                "The certification's period ended without a renewal; it counts for no role until it is renewed.",
                BAD,
            ),
            (NOT_STARTED, "Not started", "The certification's first period starts after this date.", NEUTRAL),
        ],
    ),
    CLAIM: _states(
        CLAIM,
        [
            ("pending", "Pending", "The CE claim waits for program staff to review it; it earns nothing yet.", WARN),
            ("earned", "Earned", "Program staff approved the CE claim: its credits count in its period.", OK),
            (
                "rejected",
                "Rejected",
                "Program staff rejected the CE claim (the reason is on it); it earns nothing.",
                BAD,
            ),
        ],
    ),
}

KIND_TITLES = {
    LIFECYCLE: "Credential status",
    COMPLIANCE: "Compliance",
    REQUIREMENT: "Requirement",
    INDIVIDUAL: "Individual certification",
    CLAIM: "CE claim",
}


def state(kind: str, value: str) -> State:
    """The state of `kind` with code `value`; an unknown code is shown as itself, neutral (never an error)."""
    found = STATES.get(kind, {}).get(value)
    return found or State(kind, value, str(value).replace("_", " ").capitalize(), "", NEUTRAL)


def label(kind: str, value: str) -> str:
    return state(kind, value).label


def choices(kind: str) -> list[tuple[str, str]]:
    """(code, label) pairs, for filters and OpenAPI enums."""
    return [(s.value, s.label) for s in STATES[kind].values()]


# --- Deriving a state from a verdict ------------------------------------------------------------------------


def _get(requirement: Any, name: str) -> Any:
    """A field of a requirement: a compliance RequirementResult or its stored JSON dict."""
    if isinstance(requirement, Mapping):
        return requirement.get(name)
    return getattr(requirement, name, None)


def _due(requirement: Any) -> date | None:
    due = _get(requirement, "due")
    return date.fromisoformat(due) if isinstance(due, str) else due


def requirement_value(requirement: Any) -> str:
    """Met, Not met yet (met today but a shortfall with a deadline ahead: its `next_step` and `due`; or, judging a
    renewal application, not met but not due yet: `pending`), or Missed."""
    if not _get(requirement, "met"):
        return NOT_MET_YET if _get(requirement, "pending") else MISSED
    if _get(requirement, "next_step") and _due(requirement):
        return NOT_MET_YET
    return MET


def requirement_shortfall(requirement: Any) -> str:
    """What is still needed by when ("39 points by 2027-02-15"), or what is missing; empty when met."""
    value = requirement_value(requirement)
    if value == NOT_MET_YET:
        return str(_get(requirement, "next_step") or _get(requirement, "missing") or "")
    if value == MISSED:
        return str(_get(requirement, "missing") or _get(requirement, "next_step") or "")
    return ""


def requirement_text(requirement: Any) -> str:
    """The label with the shortfall: "Met", "Not met yet: 39 points by 2027-02-15", "Missed: …"."""
    shortfall = requirement_shortfall(requirement)
    word = label(REQUIREMENT, requirement_value(requirement))
    return f"{word}: {shortfall.rstrip('.')}" if shortfall else word


def compliance_value(
    *, compliant: bool, at_risk: bool, requirements: Iterable[Any] = (), not_met_yet: bool | None = None
) -> str:
    """From a verdict's own fields (`compliant`, `at_risk` as computed by the verdict with the program's
    at-risk horizon, and its requirements): Not compliant, At risk, On track (a requirement is not met yet, its
    deadline beyond the horizon) or Compliant. `not_met_yet`, when the caller already knows it (the database read
    it from the stored requirements), stands for looking through `requirements`."""
    if not compliant:
        return NOT_COMPLIANT
    if at_risk:
        return AT_RISK
    if not_met_yet is None:
        not_met_yet = any(requirement_value(r) == NOT_MET_YET for r in requirements)
    if not_met_yet:
        return ON_TRACK
    return COMPLIANT


def individual_value(*, status: str, days_left: int | None, window: int) -> str:
    """A person's certification from its progress (`status`: active, lapsed or not_yet; `days_left` to its expiry)
    and the CE policy's expiring window in days: Expires soon when active and at most `window` days are left."""
    if status == ACTIVE and days_left is not None and days_left <= window:
        return EXPIRING
    return status


def chart_labels() -> list[str]:
    """The portfolio chart's three counts (compliant and not at risk, at risk, not compliant) in these words: a
    stored verdict row tells Compliant from On track only by its requirements, so the first count is both."""
    words = STATES[COMPLIANCE]
    return [
        f"{words[COMPLIANT].label} or {words[ON_TRACK].label.lower()}",
        words[AT_RISK].label,
        words[NOT_COMPLIANT].label,
    ]


def compliance_label(*, compliant: bool, at_risk: bool, requirements: Iterable[Any] = ()) -> str:
    return label(COMPLIANCE, compliance_value(compliant=compliant, at_risk=at_risk, requirements=requirements))
