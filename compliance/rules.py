"""The compliance verdict as pure functions: plain facts in, a verdict with reasons out.

No ORM, no clock, no I/O: selectors gather facts (aggregated in SQL) and call these functions; the page,
the API, the batch recompute and an as-of query all get the same answer. Figures come from policy rows
(`PolicyBook`) and requirement rows (`SetRow`), never from constants here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from core.dates import add_months
from core.policy import PolicyBook
from core.words import join_words, plural
from learning.rules import points_requirement

from .facts import (
    CertificationFacts,
    CsatCount,
    HeldSpecialization,
    Holding,
    RequirementResult,
    RequirementRow,
    SetRow,
    Verdict,
    verdict_of,
)
from .next_change import NOT_IN_FORCE

if TYPE_CHECKING:
    from typing import Any


def verdict_sentence(credential: str, unmet: list[RequirementResult], *, as_of: date, compliant: bool) -> str:
    """The timeline's line for a verdict that changed: "Premier · Germany is not compliant on 2026-12-02:
    Continuous Learning points (39 more points by 2027-02-15)" (at most 300 characters, the summary's size)."""
    if compliant:
        return f"{credential} is compliant on {as_of.isoformat()}"
    gaps = "; ".join(f"{r.label} ({r.missing.rstrip('.')})" if r.missing else r.label for r in unmet)
    text = f"{credential} is not compliant on {as_of.isoformat()}: {gaps}"
    return text if len(text) <= 300 else text[:299] + "…"


# --- Requirement sets -------------------------------------------------------------------------------


def requirement_set_select(sets: list[SetRow], *, tier: str, renewal: bool, on: date) -> SetRow | None:
    """The set a certification of `tier` is judged by: a new certification on `on` meets the latest set
    open to new partners by then; a renewal dated `on` the latest set in force for renewals by then."""
    candidates = sorted((s for s in sets if s.tier == tier), key=lambda s: s.renewal_from if renewal else s.new_from)
    if not candidates:
        return None
    in_force = [s for s in candidates if (s.renewal_from if renewal else s.new_from) <= on]
    return in_force[-1] if in_force else candidates[0]


# --- Specialization options -------------------------------------------------------------------------

KIND_WORDS = {"express": "Express", "architecture": "Advanced Architecture", "technology": "Advanced Technology"}


def _option_words(option: dict) -> str:
    if option.get("name"):
        return option["name"]
    return f"one {KIND_WORDS.get(option['kind'], option['kind'])} specialization"


def _matches(option: dict, held: HeldSpecialization) -> bool:
    if option.get("kind") and option["kind"] != held.kind:
        return False
    return not option.get("name") or option["name"].casefold() == held.name.casefold()


def specialization_evaluate(*, req: RequirementRow, facts: CertificationFacts, policy: str) -> RequirementResult:
    options = req.params.get("options", [])
    here = [h for h in facts.specializations if h.territory_id == facts.territory_id]
    matching = [h for h in here if any(_matches(o, h) for o in options)]
    evidence = [
        f"{h.name} held in {h.territory} ({h.status}"
        + (f", renews {h.anniversary.isoformat()})" if h.anniversary else ")")
        for h in matching
    ]
    if matching:
        return RequirementResult("specialization", req.label, True, evidence, "", policy)
    elsewhere = [
        h
        for h in facts.specializations
        if h.territory_id != facts.territory_id and any(_matches(o, h) for o in options)
    ]
    missing = f"One of {join_words([_option_words(o) for o in options], 'or')} in {facts.territory}."
    if elsewhere:
        missing += (
            " "
            + "; ".join(
                f"{h.name} is held in {h.territory}, which does not count for {facts.territory}" for h in elsewhere
            )
            + "."
        )
    return RequirementResult(
        "specialization",
        req.label,
        False,
        evidence,
        missing,
        policy,
        next_step=f"Apply for a qualifying specialization in {facts.territory}.",
    )


# --- Hybrid IT -----------------------------------------------------------------------------------------

SERVICE_PARTS = [
    ("provider_contract", "a provider contract"),
    ("customer_sla", "an end-customer SLA"),
    ("description", "a marketing or technical description"),
    ("lifecycle_process", "a Hybrid IT resale lifecycle-management process"),
]


def hybrid_it_evaluate(
    *, req: RequirementRow, facts: CertificationFacts, as_of: date, policy: str
) -> RequirementResult:
    kinds = req.params.get("kinds", [])
    needed = int(req.params.get("min_services", 1))
    services = [s for s in facts.services if not kinds or s.kind in kinds]
    complete = [s for s in services if all(getattr(s, part) for part, _ in SERVICE_PARTS)]
    counted = [s for s in complete if s.verified_on and s.verified_on <= as_of]
    evidence = [
        f"{s.kind_label} “{s.name}”: contract, SLA, description and lifecycle process on record, "
        f"verified {s.verified_on.isoformat()}"
        for s in counted
        if s.verified_on is not None
    ]
    if len(counted) >= needed:
        return RequirementResult("hybrid_it", req.label, True, evidence, "", policy)
    gaps = []
    for s in services:
        lacking = [words for part, words in SERVICE_PARTS if not getattr(s, part)]
        if lacking:
            gaps.append(f"“{s.name}” lacks {join_words(lacking)}")
        elif s not in counted:
            gaps.append(f"“{s.name}” awaits verification by program staff")
    missing = (
        f"At least {plural(needed, 'Hybrid IT service')} in {facts.territory} with a provider contract, "
        f"an end-customer SLA, a marketing or technical description and a lifecycle-management process"
    )
    missing += (": " + "; ".join(gaps) + ".") if gaps else "; none is on record."
    return RequirementResult(
        "hybrid_it",
        req.label,
        False,
        evidence,
        missing,
        policy,
        next_step="Record a Hybrid IT service with all four documents on the compliance page.",
    )


# --- Support -----------------------------------------------------------------------------------------------


def support_evaluate(*, req: RequirementRow, facts: CertificationFacts, as_of: date, policy: str) -> RequirementResult:
    evidence, problems = [], []
    valid = [
        a for a in facts.agreements if a.starts_on <= as_of <= a.ends_on and a.verified_on and a.verified_on <= as_of
    ]
    if valid:
        a = max(valid, key=lambda a: a.ends_on)
        evidence.append(f"{a.kind_label} {a.reference} valid {a.starts_on.isoformat()} to {a.ends_on.isoformat()}")
    else:
        current = [a for a in facts.agreements if a.starts_on <= as_of <= a.ends_on]
        ended = [a for a in facts.agreements if a.ends_on < as_of]
        if current:
            problems.append(f"the agreement {current[0].reference} awaits verification by program staff")
        elif ended:
            last = max(ended, key=lambda a: a.ends_on)
            problems.append(
                f"a valid resale or indirect channel agreement (the last one, {last.reference}, "
                f"ended on {last.ends_on.isoformat()})"
            )
        else:
            problems.append("a valid resale or indirect channel agreement")
    have = {c.code: c for c in facts.capabilities}
    absent, unverified = [], []
    for item in req.params.get("capabilities", []):
        cap = have.get(item["code"])
        if cap and cap.verified_on and cap.verified_on <= as_of:
            evidence.append(
                f"{item['label'][0].upper()}{item['label'][1:]} on record, verified {cap.verified_on.isoformat()}"
            )
        elif cap:
            unverified.append(item["label"])
        else:
            absent.append(item["label"])
    if absent:
        problems.append(f"{join_words(absent)} on record")
    if unverified:
        problems.append(f"verification of {join_words(unverified)} by program staff")
    if not problems:
        return RequirementResult("support", req.label, True, evidence, "", policy)
    missing = f"{join_words(problems)[0].upper()}{join_words(problems)[1:]} in {facts.territory}."
    return RequirementResult(
        "support",
        req.label,
        False,
        evidence,
        missing,
        policy,
        next_step="Record the missing support agreement or capabilities on the compliance page.",
    )


# --- Customer satisfaction ---------------------------------------------------------------------------------

CSAT_KEYS = [
    "csat.new_responses",
    "csat.new_full_months",
    "csat.recert_responses",
    "csat.window_months",
    "csat.low_score_max",
    "csat.followup_required",
    "csat.new_lookback_months",
    "csat.gold_move_responses",
    "csat.gold_move_months",
]


def csat_policy_words(v: dict[str, int], since: date) -> str:
    """The CSAT figures in force, as a person reads them (the policy line under the requirement)."""
    followup = (
        f"; a score of {v['csat.low_score_max']} or less needs a recorded follow-up"
        if v["csat.followup_required"]
        else ""
    )
    return (
        f"CSAT policy from {since.isoformat()}: {plural(v['csat.recert_responses'], 'valid response')} at each "
        f"measurement, received in the {v['csat.window_months']} months before it; "
        f"{v['csat.new_responses']} at a new certification's first measurement, after "
        f"{v['csat.new_full_months']} full months; {v['csat.gold_move_responses']} at the first measurement "
        f"after a move up to Gold{followup}."
    )


@dataclass(frozen=True)
class CsatDue:
    measured_on: date
    required: int
    reason: str


def csat_is_new(holding: Holding, book: PolicyBook) -> bool:
    """New: not Premier, Silver or Gold within the look-back before the current holding began."""
    if holding.previous_end is None:
        return True
    lookback = add_months(holding.start, -book.value("csat.new_lookback_months", holding.start))
    return holding.previous_end < lookback


def csat_due(
    *, holding: Holding, measured_on: date, dates: tuple[date, ...], book: PolicyBook, gold_tier: str, move_from: str
) -> CsatDue | None:
    """Is CSAT measured for this holding on `measured_on`, and with how many responses? None: not yet due."""
    if measured_on < holding.start:
        return None
    if csat_is_new(holding, book):
        full = add_months(holding.start, book.value("csat.new_full_months", measured_on))
        first = next((d for d in dates if d >= full), None)
        if measured_on < full:
            return None
        if measured_on == first:
            return CsatDue(
                measured_on,
                book.value("csat.new_responses", measured_on),
                f"first measurement after a full {book.value('csat.new_full_months', measured_on)} "
                f"months of certification (since {holding.start.isoformat()})",
            )
    if holding.tier == gold_tier and holding.previous_tier == move_from and holding.tier_since:
        months = book.value("csat.gold_move_months", measured_on)
        full = add_months(holding.tier_since, months)
        first = next((d for d in dates if d >= full), None)
        if measured_on == first:
            return CsatDue(
                measured_on,
                book.value("csat.gold_move_responses", measured_on),
                f"first measurement after a full {months} months of {gold_tier} "
                f"(moved from {move_from} on {holding.tier_since.isoformat()})",
            )
    return CsatDue(
        measured_on,
        book.value("csat.recert_responses", measured_on),
        f"recertification: responses received in the {book.value('csat.window_months', measured_on)} "
        f"months before each measurement date",
    )


def csat_window_start(measured_on: date, book: PolicyBook) -> date:
    """Responses count when received after this date and on or before the measurement date."""
    return add_months(measured_on, -book.value("csat.window_months", measured_on))


def _which(count: CsatCount) -> str:
    if not count.unfollowed:
        return ""
    more = count.low - count.low_followed - len(count.unfollowed)
    return f" ({'; '.join(count.unfollowed)}{f' and {more} more' if more > 0 else ''})"


def _more(n: int) -> str:
    return f"{plural(n, 'more CSAT response')}"


def csat_evaluate(
    *,
    req: RequirementRow,
    facts: CertificationFacts,
    as_of: date,
    book: PolicyBook,
    gold_tier: str = "Gold",
    move_from: str = "Premier",
) -> RequirementResult:
    dates = tuple(sorted(facts.measurement_dates))
    last_md = max((d for d in dates if d <= as_of), default=None)
    next_md = min((d for d in dates if d > as_of), default=None)
    holding = facts.holding

    def due(d: date | None) -> CsatDue | None:
        if d is None:
            return None
        return csat_due(
            holding=holding,
            measured_on=d,
            dates=dates,
            book=book,
            gold_tier=gold_tier,
            move_from=move_from,
        )

    last_due, next_due = due(last_md), due(next_md)
    policy = book.cite(CSAT_KEYS, last_md or as_of, csat_policy_words)
    evidence, problems = [], []
    met = True
    if last_due and facts.csat_last:
        c = facts.csat_last
        evidence.append(
            f"{plural(c.valid, 'valid rated response')} received "
            f"{(c.start + timedelta(days=1)).isoformat()} to {c.end.isoformat()}, "
            f"{last_due.required} required at the {c.end.isoformat()} measurement ({last_due.reason})"
        )
        if c.valid < last_due.required:
            met = False
            problems.append(f"the {c.end.isoformat()} measurement counted {c.valid} of {last_due.required}")
        if book.value("csat.followup_required", c.end) and c.low:
            evidence.append(
                f"{plural(c.low, 'low-score response')}, {c.low_followed} followed up before {c.end.isoformat()}"
            )
            if c.low_followed < c.low:
                met = False
                problems.append(
                    f"{plural(c.low - c.low_followed, 'low-score response')} had no follow-up "
                    f"recorded before {c.end.isoformat()}" + _which(c)
                )
    elif last_md is None or not last_due:
        first = next((d for d in dates if due(d)), None)
        evidence.append(
            f"New certification since {holding.start.isoformat()}: CSAT is first measured on {first.isoformat()}"
            if first
            else f"New certification since {holding.start.isoformat()}: CSAT is not yet due"
        )
    steps = []
    if next_md is not None and next_due and facts.csat_next:
        n = facts.csat_next
        short = next_due.required - n.valid
        evidence.append(
            f"{plural(n.valid, 'valid rated response')} so far towards the {next_md.isoformat()} measurement "
            f"({next_due.required} required)"
        )
        if short > 0:
            steps.append(f"{_more(short)} by {next_md.isoformat()}")
        if book.value("csat.followup_required", next_md) and n.low > n.low_followed:
            steps.append(
                f"a follow-up for {plural(n.low - n.low_followed, 'low-score response')} "
                f"before {next_md.isoformat()}" + _which(n)
            )
    next_step = f"{join_words(steps)[0].upper()}{join_words(steps)[1:]}" if steps else ""
    missing = ""
    if not met:
        missing = next_step or f"{join_words(problems)[0].upper()}{join_words(problems)[1:]}."
        evidence.append(f"Not met: {join_words(problems)}")
    shown = next_due if (next_due and facts.csat_next and (next_step or not last_due)) else last_due
    counted = facts.csat_next if shown is next_due else facts.csat_last
    return RequirementResult(
        "csat",
        req.label,
        met,
        evidence,
        missing,
        policy,
        next_step=next_step,
        due=next_md if next_step else None,
        count=counted.valid if (shown and counted) else None,
        required=shown.required if shown else None,
    )


def csat_not_in_force(*, req: RequirementRow, as_of: date) -> RequirementResult:
    """Before the CSAT policy's first row, CSAT is simply not required."""
    return RequirementResult(
        "csat",
        req.label,
        True,
        [f"No CSAT policy was in force on {as_of.isoformat()}: CSAT was not required then"],
        "",
        NOT_IN_FORCE,
    )


def credential_at_risk(verdict: Verdict, *, active: bool, horizon_days: int, roles_short: bool = False) -> bool:
    """At risk (stored on the verdict row, shown as "At risk" by core.status): an active credential that is not
    compliant, has a shortfall due within the horizon, or whose roles a lapsing certification would leave short."""
    return active and (verdict.at_risk(horizon_days=horizon_days) or roles_short)


# --- The verdicts -----------------------------------------------------------------------------------------


def certification_verdict(
    *, req_set: SetRow | None, facts: CertificationFacts, book: PolicyBook, as_of: date
) -> Verdict:
    if req_set is None:
        return verdict_of(requirements=[], requirement_set="", as_of=as_of)
    results = []
    policy = (
        f"{req_set.name}, in force for new certifications from {req_set.new_from.isoformat()} "
        f"and for renewals from {req_set.renewal_from.isoformat()}"
    )
    for req in req_set.requirements:
        if req.kind == "specialization":
            results.append(specialization_evaluate(req=req, facts=facts, policy=policy))
        elif req.kind == "hybrid_it":
            results.append(hybrid_it_evaluate(req=req, facts=facts, as_of=as_of, policy=policy))
        elif req.kind == "support":
            results.append(support_evaluate(req=req, facts=facts, as_of=as_of, policy=policy))
        elif req.kind == "csat" and book.get("csat.recert_responses", as_of) is None:
            results.append(csat_not_in_force(req=req, as_of=as_of))
        elif req.kind == "csat":
            results.append(csat_evaluate(req=req, facts=facts, as_of=as_of, book=book))
    csat = next((r for r in results if r.key == "csat"), None)
    figures = {"csat_count": csat.count, "csat_required": csat.required} if csat else {}
    return verdict_of(requirements=results, requirement_set=req_set.name, as_of=as_of, facts=figures)


def specialization_verdict(
    *, name: str, progress: Any, anniversary: date, as_of: date, for_renewal: bool = False
) -> Verdict:
    """A specialization's verdict is its Continuous Learning points progress for the coming renewal
    (learning.selectors.points_progress: collected, required, met, display, reasons, policy_label), judged by
    learning.rules.points_requirement: a shortfall before the anniversary is the next step (Not met yet, and at
    risk within the horizon), not a failure."""
    if progress is None:
        return verdict_of(requirements=[], requirement_set=name, as_of=as_of)
    points = points_requirement(progress, name=name, anniversary=anniversary, as_of=as_of, for_renewal=for_renewal)
    evidence = list(getattr(progress, "reasons", None) or [f"{progress.display} points collected"])
    if getattr(progress, "window_end", None):  # the points and their cycle, not the day counted to (a daily change)
        since = f"from {progress.window_start}" if progress.window_start else "so far"
        evidence[0] = f"{progress.collected} points collected {since} for the renewal due {progress.window_end}."
    result = RequirementResult(
        "points",
        "Continuous Learning points",
        points.met,
        evidence,
        points.missing,
        getattr(progress, "policy_label", ""),
        next_step=points.next_step,
        due=points.due,
        pending=points.pending,
        count=progress.collected,
        required=progress.required,
    )
    return verdict_of(requirements=[result], requirement_set=name, as_of=as_of, facts={"points": progress.display})
