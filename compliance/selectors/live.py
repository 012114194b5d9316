"""Verdicts computed live: facts aggregated in SQL, decided by rules.py. `credential_verdicts` answers for any
number of credentials in a constant number of queries."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import TYPE_CHECKING, TypeVar, cast

from certifications.selectors import role_risk_days
from core import status
from core.models import CredentialStatus
from core.selectors import policy_book
from csat import selectors as csat_selectors
from learning.selectors import points_progress
from learning.selectors import policy_rows as learning_policy_rows
from partners import selectors as partner_selectors
from specializations import selectors as specialization_selectors

from .. import facts, next_change, rules
from ..models import (
    CertificationChange,
    CertificationTier,
    HybridITService,
    PartnerCertification,
    RequirementSet,
    SupportAgreement,
    SupportCapability,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from typing import Any

    from django.db import models
    from django.db.models import QuerySet

    from core.models import CredentialBase
    from core.policy import PolicyBook
    from specializations.models import PartnerSpecialization

    _M = TypeVar("_M", bound=models.Model)

ACTIVE = [CredentialStatus.APPROVED, CredentialStatus.RECERT]
BIG_IN = 500  # above this many ids, read all rows and pick in Python (no huge IN lists)


def key_of(obj: models.Model) -> tuple[str, int]:
    return (obj._meta.label_lower, obj.pk)


def _for_partners(qs: QuerySet[_M], partner_ids: Sequence[int], lookup: str = "partner_id") -> QuerySet[_M]:
    return qs.filter(**{f"{lookup}__in": partner_ids}) if len(partner_ids) <= BIG_IN else qs


def requirement_sets() -> list[facts.SetRow]:
    sets = RequirementSet.objects.select_related("tier").prefetch_related("requirements")
    return [
        facts.SetRow(
            code=s.code,
            name=s.name,
            tier=s.tier.name,
            new_from=s.new_from,
            renewal_from=s.renewal_from,
            requirements=tuple(facts.RequirementRow(r.kind, r.label, r.params) for r in s.requirements.all()),
        )
        for s in sets
    ]


def set_for(
    sets: Any, cert: PartnerCertification, tier_name: str, as_of: date, for_renewal: bool
) -> facts.SetRow | None:
    """The set a held certification is judged by: the one of its current cycle, or (when renewing, or once the
    anniversary has come) the one in force for the renewal on its anniversary."""
    if for_renewal or as_of >= cert.anniversary:
        return rules.requirement_set_select(sets, tier=tier_name, renewal=True, on=cert.anniversary)
    if cert.last_renewed_on:
        return rules.requirement_set_select(sets, tier=tier_name, renewal=True, on=cert.last_renewed_on)
    return rules.requirement_set_select(sets, tier=tier_name, renewal=False, on=cert.certified_on)


def _holdings(certs: Iterable[PartnerCertification], tiers: Any) -> dict[int, facts.Holding]:
    ids = [c.pk for c in certs]
    changes = defaultdict(list)
    qs = CertificationChange.objects.order_by("changed_on", "id").values_list(
        "certification_id", "from_tier_id", "to_tier_id", "changed_on"
    )
    for cert_id, from_id, to_id, on in qs.filter(certification_id__in=ids) if len(ids) <= BIG_IN else qs:
        changes[cert_id].append((from_id, to_id, on))
    out = {}
    for c in certs:
        history = changes.get(c.pk, [])
        lost = [
            on
            for from_id, to_id, on in history
            if to_id is None and from_id and tiers[from_id].counts_as_certified and on <= c.certified_on
        ]
        moved = [from_id for from_id, to_id, on in history if to_id == c.tier_id and on == c.tier_since and from_id]
        out[c.pk] = facts.Holding(
            tier=tiers[c.tier_id].name,
            start=c.certified_on,
            previous_end=(max(lost) - timedelta(days=1)) if lost else None,
            tier_since=c.tier_since,
            previous_tier=tiers[moved[-1]].name if moved else "",
        )
    return out


def _csat_counts(
    partner_ids: Sequence[int], *, last_md: date | None, next_md: date | None, as_of: date, book: PolicyBook
) -> dict[tuple[int, int], tuple]:
    """Per (partner, territory): CsatCount for the last measurement's window and the next one's (so far)."""
    windows = []
    if last_md:
        windows.append(
            csat_selectors.Window(
                "last",
                rules.csat_window_start(last_md, book),
                last_md,
                last_md,
                book.value("csat.low_score_max", last_md),
            )
        )
    if next_md:
        windows.append(
            csat_selectors.Window(
                "next",
                rules.csat_window_start(next_md, book),
                as_of,
                next_md,
                book.value("csat.low_score_max", next_md),
            )
        )
    counts, unfollowed = csat_selectors.window_counts(
        windows=windows, partner_ids=partner_ids if len(partner_ids) <= BIG_IN else None
    )
    out = {}
    for where, by_window in counts.items():
        found = {}
        for w in windows:
            valid, low, followed = by_window[w.name]
            names = tuple(
                text
                for received, score, followed_on, text in unfollowed.get(where, ())
                if w.start < received <= w.end
                and score <= w.low_max
                and (followed_on is None or followed_on >= w.deadline)
            )[:3]
            found[w.name] = facts.CsatCount(
                start=w.start, end=w.end, valid=valid, low=low, low_followed=followed, unfollowed=names
            )
        out[where] = (found.get("last"), found.get("next"))
    return out


def _certification_verdicts(
    certs: list[PartnerCertification], as_of: date, for_renewal: bool, with_next_change: bool = False
) -> dict:

    tiers = {t.pk: t for t in CertificationTier.objects.all()}
    sets, book, dates = requirement_sets(), policy_book(), csat_selectors.measurement_dates()
    partner_ids = sorted({c.partner_id for c in certs})
    territory_names = partner_selectors.territory_names()
    held, services, agreements, capabilities = (defaultdict(list) for _ in range(4))
    for row in specialization_selectors.active_holdings_on(
        as_of=as_of, partner_ids=partner_ids if len(partner_ids) <= BIG_IN else None
    ):
        pid, tid, name, kind, code, anniversary = row
        words = status.label(status.LIFECYCLE, code)
        held[pid].append(facts.HeldSpecialization(name, kind, tid, territory_names.get(tid, ""), words, anniversary))
    # Every record, in force or not: those in force on as_of are the facts, the others' days the next change.
    kind_labels = dict(HybridITService.KIND_CHOICES)
    for s in _for_partners(HybridITService.objects.all(), partner_ids).values(
        "partner_id",
        "territory_id",
        "name",
        "kind",
        "provider_contract",
        "customer_sla",
        "description",
        "lifecycle_process",
        "verified_on",
        "withdrawn_on",
    ):
        services[(s["partner_id"], s["territory_id"])].append(
            facts.HybridService(
                s["name"],
                s["kind"],
                kind_labels[s["kind"]],
                bool(s["provider_contract"].strip()),
                bool(s["customer_sla"].strip()),
                bool(s["description"].strip()),
                bool(s["lifecycle_process"].strip()),
                s["verified_on"],
                s["withdrawn_on"],
            )
        )
    agreement_labels = dict(SupportAgreement.KIND_CHOICES)
    for a in _for_partners(SupportAgreement.objects.all(), partner_ids).values(
        "partner_id", "territory_id", "kind", "reference", "starts_on", "ends_on", "verified_on"
    ):
        agreements[(a["partner_id"], a["territory_id"])].append(
            facts.Agreement(agreement_labels[a["kind"]], a["reference"], a["starts_on"], a["ends_on"], a["verified_on"])
        )
    cap_labels = dict(SupportCapability.CODE_CHOICES)
    for c in _for_partners(SupportCapability.objects.all(), partner_ids).values(
        "partner_id", "territory_id", "code", "verified_on", "since", "until"
    ):
        capabilities[(c["partner_id"], c["territory_id"])].append(
            facts.Capability(c["code"], cap_labels[c["code"]], c["verified_on"], c["since"], c["until"])
        )
    last_md = max((d for d in dates if d <= as_of), default=None)
    next_md = min((d for d in dates if d > as_of), default=None)
    csat = _csat_counts(partner_ids, last_md=last_md, next_md=next_md, as_of=as_of, book=book)
    holdings = _holdings(certs, tiers)
    # A window with no response at all: nothing counted (None when there is no such measurement date).
    no_last = facts.CsatCount(rules.csat_window_start(last_md, book), last_md, 0, 0, 0) if last_md else None
    no_next = facts.CsatCount(rules.csat_window_start(next_md, book), as_of, 0, 0, 0) if next_md else None
    if with_next_change:
        horizon = book.get("compliance.at_risk_days", as_of) or 0
        program_days = [*dates, *book.days(), *(d for s in sets for d in (s.new_from, s.renewal_from))]
        # a specialization certified from a later day counts from that day (active_holdings_on)
        held_from = defaultdict(list)
        for pid, certified_on in (
            specialization_selectors.partner_specializations(
                partner_ids=partner_ids if len(partner_ids) <= BIG_IN else None
            )
            .filter(status__in=ACTIVE, certified_on__gt=as_of)
            .values_list("partner_id", "certified_on")
        ):
            held_from[pid].append(certified_on)
    out = {}
    for cert in certs:
        where = (cert.partner_id, cert.territory_id)
        last, upcoming = csat.get(where, (None, None))
        cert_facts = facts.CertificationFacts(
            territory_id=cert.territory_id,
            territory=territory_names.get(cert.territory_id, ""),
            holding=holdings[cert.pk],
            specializations=tuple(held.get(cert.partner_id, ())),
            services=tuple(s for s in services.get(where, ()) if not s.withdrawn_on or s.withdrawn_on > as_of),
            agreements=tuple(a for a in agreements.get(where, ()) if a.starts_on <= as_of),
            capabilities=tuple(
                c
                for c in capabilities.get(where, ())
                if c.since and c.since <= as_of and (c.until is None or c.until >= as_of)
            ),
            measurement_dates=dates,
            csat_last=last or no_last,
            csat_next=upcoming or no_next,
        )
        tier_name = tiers[cert.tier_id].name
        req_set = set_for(sets, cert, tier_name, as_of, for_renewal)
        verdict = rules.certification_verdict(req_set=req_set, facts=cert_facts, book=book, as_of=as_of)
        verdict.facts.update({"name": tier_name, "tier": tier_name})
        if with_next_change:
            days = next_change.record_days(services[where], agreements[where], capabilities[where])
            days += [cert.anniversary, *program_days, *held_from.get(cert.partner_id, ())]
            verdict.next_change = next_change.next_change_on(
                verdict=verdict, as_of=as_of, horizon_days=horizon, days=days
            )
        out[key_of(cert)] = verdict
    return out


def _specialization_verdicts(
    specs: list[PartnerSpecialization], as_of: date, for_renewal: bool, with_next_change: bool = False
) -> dict:

    names = specialization_selectors.specialization_names(
        {s.specialization_id for s in specs} if len(specs) <= BIG_IN else None
    )
    progress = points_progress(partner_specializations=specs, as_of=as_of)
    if with_next_change:
        book = policy_book()
        horizon = book.get("compliance.at_risk_days", as_of) or 0
        program_days: list[date | None] = [*book.days()]
        for p in learning_policy_rows():
            program_days += [p.effective_from, p.effective_to + timedelta(days=1) if p.effective_to else None]
        partner_ids = sorted({s.partner_id for s in specs})
        roles_days = role_risk_days(as_of=as_of, partner_ids=partner_ids if len(partner_ids) <= BIG_IN else None)
    out = {}
    for ps in specs:
        name = names.get(ps.specialization_id, "")
        verdict = rules.specialization_verdict(
            name=name, progress=progress.get(ps.pk), anniversary=ps.anniversary, as_of=as_of, for_renewal=for_renewal
        )
        verdict.facts.update({"name": name, "tier": ""})
        if with_next_change:
            days: list[date | None] = [*program_days, roles_days.get(ps.partner_id)]
            days += next_change.renewal_cycle_days(
                anniversary=ps.anniversary, last_renewed_on=ps.last_renewed_on, as_of=as_of, renewed_on=ps.renewed_on
            )
            verdict.next_change = next_change.next_change_on(
                verdict=verdict, as_of=as_of, horizon_days=horizon, days=days
            )
        out[key_of(ps)] = verdict
    return out


def credential_verdicts(
    *, credentials: Sequence[CredentialBase], as_of: date, for_renewal: bool = False, with_next_change: bool = False
) -> dict[tuple[str, int], facts.Verdict]:
    """Verdicts of certifications and partner specializations, keyed (model label, pk), in constant queries.

    `for_renewal`: judge a renewal application: certifications by the requirement set of their coming renewal,
    specializations by their points now (otherwise a points shortfall fails only once the anniversary comes).
    `with_next_change`: also tell each verdict's `next_change` (next_change.py), a few more queries.
    """
    credentials = list(credentials)
    certs = [c for c in credentials if isinstance(c, PartnerCertification)]
    # compared by label: specializations' models import this app's, so this module does not import theirs
    specs = cast(
        "list[PartnerSpecialization]",
        [c for c in credentials if c._meta.label_lower == "specializations.partnerspecialization"],
    )
    out = {}
    if certs:
        out.update(_certification_verdicts(certs, as_of, for_renewal, with_next_change))
    if specs:
        out.update(_specialization_verdicts(specs, as_of, for_renewal, with_next_change))
    return out
