"""The renewal lifecycle as pure functions (RULES 6 and 7): facts and a policy in, a decision out.

No ORM, no clock: the scan, the renewal page and the API all ask these functions, with `as_of`.
"Within N days" includes its last day; the consequence comes the day after (RULES, counting days).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from core.dates import add_years

APPROVED, RECERT, LAPSED, REVOKED = "approved", "recert", "lapsed", "revoked"
ACTIVE = (APPROVED, RECERT)

RECERT_STEP, REMINDER_STEP, LAPSE_STEP, RETIRE_STEP = "recert", "reminder", "lapse", "retire"
OPEN, CLOSE, FLAG = "open", "close", "flag"


@dataclass(frozen=True)
class Policy:
    id: int | None
    effective_from: date
    recert_window_days: int
    reminder_days: tuple[int, ...]
    lapse_after_days: int
    acknowledge_days: int


@dataclass(frozen=True)
class CredentialFacts:
    status: str
    anniversary: date
    status_changed_on: date | None = None
    has_live_renewal: bool = False  # a submitted or approved application for this anniversary
    retired_on: date | None = None  # the specialization's retirement date, if any


@dataclass(frozen=True)
class Step:
    action: str
    days: int | None = None  # for a reminder: days before the anniversary


@dataclass(frozen=True)
class IncidentFacts:
    acknowledged: bool
    acknowledge_by: date
    extension_end: date | None
    flagged: bool


def window_opens(anniversary: date, policy: Policy) -> date:
    return anniversary - timedelta(days=policy.recert_window_days)


def last_day_to_submit(anniversary: date, policy: Policy) -> date:
    return anniversary + timedelta(days=policy.lapse_after_days)


def renewal_step(facts: CredentialFacts, policy: Policy, as_of: date) -> Step | None:
    """What the daily scan does to one credential on `as_of` (None: nothing)."""
    if facts.status not in ACTIVE:
        return None
    if facts.retired_on is not None and as_of >= facts.retired_on:
        return Step(RETIRE_STEP)
    if as_of > last_day_to_submit(facts.anniversary, policy) and not facts.has_live_renewal:
        return Step(LAPSE_STEP)
    if facts.status == APPROVED:
        return Step(RECERT_STEP) if as_of >= window_opens(facts.anniversary, policy) else None
    if facts.has_live_renewal or as_of > facts.anniversary:
        return None
    # The latest reminder now due, if its day came after the credential entered Re-Cert (the
    # re-certification notice already said everything an earlier reminder would say).
    due = [d for d in sorted(policy.reminder_days) if facts.anniversary - timedelta(days=d) <= as_of]
    entered = facts.status_changed_on
    if due and (entered is None or facts.anniversary - timedelta(days=due[0]) > entered):
        return Step(REMINDER_STEP, due[0])
    return None


def submission_blockers(facts: CredentialFacts, policy: Policy, as_of: date) -> list[str]:
    """Why a renewal cannot be submitted now, apart from the requirements (empty: it can)."""
    if facts.retired_on is not None and as_of >= facts.retired_on:
        return [f"This specialization was retired on {facts.retired_on:%Y-%m-%d}; it cannot be renewed."]
    if facts.status == REVOKED:
        return ["This credential was revoked; apply for it again instead of renewing."]
    if facts.has_live_renewal:
        return ["A renewal for this anniversary has already been submitted."]
    opens = window_opens(facts.anniversary, policy)
    if facts.status == APPROVED and as_of < opens:
        return [
            f"The renewal window opens on {opens:%Y-%m-%d}, {policy.recert_window_days} days before "
            f"the anniversary on {facts.anniversary:%Y-%m-%d}."
        ]
    return []


def renewed_dates(*, status: str, anniversary: date, renewal_date: date, approved_on: date) -> dict:
    """The credential's dates after a renewal approved on `approved_on` (RULES 6.4, 3.5).

    In time: the anniversary moves one year on and the points window restarts after the old
    anniversary. After a lapse: a new period starts on the renewal date. Either way the pages show the next
    cycle from the approval on (`renewed_on`, learning.rules.cycle_end).
    """
    if status == LAPSED:
        return {
            "certified_on": renewal_date,
            "last_renewed_on": renewal_date,
            "anniversary": add_years(renewal_date, 1),
            "renewed_on": approved_on,
        }
    return {"last_renewed_on": anniversary, "anniversary": add_years(anniversary, 1), "renewed_on": approved_on}


def incident_step(incident: IncidentFacts | None, compliant: bool, as_of: date) -> str | None:
    """What happens to a credential's non-compliance on `as_of` (RULES 7).

    Flagged for revocation review: the day after the acknowledgement deadline when there is no
    extension (unacknowledged, or acknowledged but not extended), or the day after the extension
    ends while still non-compliant.
    """
    if incident is None:
        return None if compliant else OPEN
    if compliant:
        return CLOSE
    if incident.flagged:
        return None
    deadline = incident.extension_end if incident.extension_end else incident.acknowledge_by
    return FLAG if as_of > deadline else None
