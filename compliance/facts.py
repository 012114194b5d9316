"""The plain data the compliance rules take and give: requirement rows and sets, the facts about a partner in
a territory (gathered by compliance.selectors), and the verdict with its reasons. No logic beyond shaping."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

# --- Verdicts -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequirementResult:
    key: str
    label: str
    met: bool
    evidence: list[str]
    missing: str
    policy: str
    next_step: str = ""
    due: date | None = None
    count: int | None = None  # e.g. valid CSAT responses counted
    required: int | None = None
    # Not met, but not due yet: only judging a renewal application asks for it now (core.status: "Not met yet").
    # Never stored: a stored verdict is judged for today, where such a requirement is met with a next step.
    pending: bool = False


@dataclass
class Verdict:
    compliant: bool
    requirements: list[RequirementResult]
    requirement_set: str
    as_of: date
    facts: dict = field(default_factory=dict)  # figures the portfolio shows (points, csat_count, csat_required)
    next_change: date | None = None  # when asked for: the first day the date alone can change it (next_change.py)

    @property
    def unmet(self) -> list[RequirementResult]:
        return [r for r in self.requirements if not r.met]

    def requirements_json(self) -> list[dict]:
        return [
            {
                "key": r.key,
                "label": r.label,
                "met": r.met,
                "evidence": list(r.evidence),
                "missing": r.missing,
                "policy": r.policy,
                "next_step": r.next_step,
                "due": r.due.isoformat() if r.due else None,
                "count": r.count,
                "required": r.required,
            }
            for r in self.requirements
        ]

    def at_risk(self, *, horizon_days: int) -> bool:
        """Not compliant, or a shortfall falls due within `horizon_days`."""
        if not self.compliant:
            return True
        limit = self.as_of + timedelta(days=horizon_days)
        return any(r.next_step and r.due and r.due <= limit for r in self.requirements)


def verdict_of(
    *, requirements: list[RequirementResult], requirement_set: str, as_of: date, facts: dict[str, Any] | None = None
) -> Verdict:
    return Verdict(
        compliant=all(r.met for r in requirements),
        requirements=requirements,
        requirement_set=requirement_set,
        as_of=as_of,
        facts=facts or {},
    )


# --- Requirement sets -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequirementRow:
    kind: str
    label: str
    params: dict


@dataclass(frozen=True)
class SetRow:
    code: str
    name: str
    tier: str
    new_from: date
    renewal_from: date
    requirements: tuple[RequirementRow, ...] = ()


# --- Facts about a partner in a territory --------------------------------------------------------------


@dataclass(frozen=True)
class HeldSpecialization:
    name: str
    kind: str  # express / technology / architecture
    territory_id: int
    territory: str
    status: str  # display, e.g. "Approved"
    anniversary: date | None = None


@dataclass(frozen=True)
class HybridService:
    name: str
    kind: str
    kind_label: str
    provider_contract: bool
    customer_sla: bool
    description: bool
    lifecycle_process: bool
    verified_on: date | None
    withdrawn_on: date | None = None


@dataclass(frozen=True)
class Agreement:
    kind_label: str
    reference: str
    starts_on: date
    ends_on: date
    verified_on: date | None


@dataclass(frozen=True)
class Capability:
    code: str
    label: str
    verified_on: date | None
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True)
class CsatCount:
    """Valid, rated responses received in (start, end]; low-score ones and those followed up before `deadline`."""

    start: date  # exclusive
    end: date
    valid: int
    low: int
    low_followed: int
    unfollowed: tuple[str, ...] = ()  # e.g. "Contoso (score 4, received 2025-12-10)", the first few


@dataclass(frozen=True)
class Holding:
    """The continuous certification a partner holds in a territory."""

    tier: str
    start: date  # first day of the current continuous holding
    previous_end: date | None = None  # last day of an earlier Premier/Silver/Gold holding, if any
    tier_since: date | None = None  # current tier since
    previous_tier: str = ""  # the tier held right before `tier_since` (e.g. Premier before Gold)


@dataclass(frozen=True)
class CertificationFacts:
    territory_id: int
    territory: str
    holding: Holding
    specializations: tuple[HeldSpecialization, ...] = ()
    services: tuple[HybridService, ...] = ()
    agreements: tuple[Agreement, ...] = ()
    capabilities: tuple[Capability, ...] = ()
    measurement_dates: tuple[date, ...] = ()
    csat_last: CsatCount | None = None  # window of the last measurement date on or before as_of
    csat_next: CsatCount | None = None  # window of the next measurement date, counted up to as_of
