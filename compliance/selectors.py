"""Reads for certifications, requirements and verdicts: facts aggregated in SQL, decided by rules.py.

`credential_verdicts` answers for any number of credentials in a constant number of queries.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import TYPE_CHECKING, NamedTuple, TypeVar, cast

from django.db.models import Case, Count, F, JSONField, Q, Value, When
from django.shortcuts import get_object_or_404

from certifications.selectors import role_risk_days
from core import status
from core.models import CredentialStatus
from core.selectors import policy_book, recompute_pending_partners
from csat import selectors as csat_selectors
from learning.selectors import points_progress
from learning.selectors import policy_rows as learning_policy_rows
from partners import selectors as partner_selectors
from specializations import selectors as specialization_selectors

from . import facts, next_change, rules
from .evidence_selectors import partner_records
from .models import (
    CertificationChange,
    CertificationTier,
    CredentialVerdict,
    HybridITService,
    PartnerCertification,
    RequirementSet,
    SupportAgreement,
    SupportCapability,
    VerdictChange,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from typing import Any

    from django.db import models
    from django.db.models import QuerySet

    from core.models import CredentialBase
    from core.policy import PolicyBook
    from partners import access
    from partners.models import Partner
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


# --- Scoped reads for pages and the API ----------------------------------------------------------------


def certification_list(*, user: access.Actor, partner: Partner | None = None) -> QuerySet[PartnerCertification]:
    qs = PartnerCertification.objects.visible_to(user).select_related("tier", "territory", "partner")
    return qs.filter(partner=partner) if partner is not None else qs


def certification_get(*, user: access.Actor, pk: int | str) -> PartnerCertification:
    return get_object_or_404(certification_list(user=user), pk=pk)


def partner_credentials(*, user: access.Actor, partner: Partner) -> list:
    """Every credential the partner holds (certifications first), as visible to the user."""

    specs = specialization_selectors.partner_holdings(user=user, partner=partner).select_related(
        "specialization", "territory"
    )
    return list(certification_list(user=user, partner=partner)) + list(specs)


def partner_verdicts(*, user: access.Actor, partner: Partner, as_of: date) -> list[tuple[object, facts.Verdict]]:
    credentials = partner_credentials(user=user, partner=partner)
    verdicts = credential_verdicts(credentials=credentials, as_of=as_of)
    return [(c, verdicts[key_of(c)]) for c in credentials]


def verdict_history(
    *, user: access.Actor, partner: Partner, credential: CredentialBase | None = None
) -> QuerySet[VerdictChange]:
    qs = VerdictChange.objects.visible_to(user).filter(partner=partner)
    if credential is not None:
        qs = qs.filter(credential_type=key_of(credential)[0], credential_id=credential.pk)
    return qs.order_by("-as_of", "name")


def compliant_on(*, credential: CredentialBase, on: date) -> bool | None:
    """Was this credential compliant on `on`? None when no verdict had been recorded by then."""
    return recorded_on(credentials=[credential], on=on).get(key_of(credential))


# The portfolio's order, from the sort keys on the row; the index verdict_portfolio_order serves it.
PORTFOLIO_ORDER = ("partner_name", "territory_name", "name", "id")


def portfolio(*, user: access.Actor) -> QuerySet[CredentialVerdict]:
    """The stored verdicts the user may see, in portfolio order (the sort keys are on the row: no join to sort;
    the territory joins for its code)."""
    return CredentialVerdict.objects.visible_to(user).select_related("territory").order_by(*PORTFOLIO_ORDER)


def verdicts_stored_current(
    *, credentials: Sequence[CredentialBase], on: date
) -> dict[tuple[str, int], CredentialVerdict]:
    """The stored verdicts of these credentials that still hold on `on`, keyed like credential_verdicts: computed on
    or before it, the date alone cannot change them before `next_change_on` (after `on`; unknown is not current),
    no recompute pending for the partner, and status and anniversary as on the credential. One query."""
    rows = CredentialVerdict.objects.filter(_of(credentials), as_of__lte=on, next_change_on__gt=on).exclude(
        partner_id__in=recompute_pending_partners()
    )
    found = {(r.credential_type, r.credential_id): r for r in rows}
    current = {}
    for c in credentials:
        row = found.get(key_of(c))
        if row is not None and (row.status, row.anniversary) == (c.status, c.anniversary):
            current[key_of(c)] = row
    return current


def portfolio_chart(qs: QuerySet[CredentialVerdict]) -> dict:
    """Counts for the chart in core.status's words: compliant or on track (told apart only by the requirements), at
    risk, not compliant."""
    counts = qs.order_by().aggregate(
        n_ok=Count("pk", filter=Q(compliant=True, at_risk=False)),
        n_risk=Count("pk", filter=Q(compliant=True, at_risk=True)),
        n_bad=Count("pk", filter=Q(compliant=False)),
    )
    return {
        "labels": status.chart_labels(),
        "values": [counts["n_ok"], counts["n_risk"], counts["n_bad"]],
    }


def hybrid_services(*, user: access.Actor, partner: Partner | None = None) -> QuerySet[HybridITService]:
    return partner_records(HybridITService, user, partner)


def support_agreements(*, user: access.Actor, partner: Partner | None = None) -> QuerySet[SupportAgreement]:
    return partner_records(SupportAgreement, user, partner)


def support_capabilities(*, user: access.Actor, partner: Partner | None = None) -> QuerySet[SupportCapability]:
    return partner_records(SupportCapability, user, partner)


def _of(credentials: Iterable[CredentialBase]) -> Q:
    """Rows (verdicts, verdict changes) of these credentials: one IN list per credential type."""
    by_type = defaultdict(list)
    for c in credentials:
        by_type[c._meta.label_lower].append(c.pk)
    q = Q(pk__in=[])
    for label, ids in by_type.items():
        q |= Q(credential_type=label, credential_id__in=ids)
    return q


def recorded_on(*, credentials: Iterable[CredentialBase], on: date) -> dict[tuple[str, int], bool]:
    """The stored compliance status of each credential on a date (the latest change on or before it)."""
    out = {}
    for label, pk, compliant in (
        VerdictChange.objects.filter(_of(credentials), as_of__lte=on)
        .order_by("as_of")
        .values_list("credential_type", "credential_id", "compliant")
    ):
        out[(label, pk)] = compliant
    return out


# --- Stored verdicts still current (the daily scan) ------------------------------------------------------


class StoredUnmet(NamedTuple):
    label: str
    missing: str


class StoredVerdict(NamedTuple):
    """What the scan needs of a stored verdict: compliant or not and, when not, what is unmet."""

    compliant: bool
    anniversary: date  # the anniversary it was judged for: a verdict of another cycle is not this one's
    unmet: tuple[StoredUnmet, ...]


def stored_verdicts_current(
    *, on: date, partner_range: tuple[int, int] | None = None
) -> dict[tuple[str, int], StoredVerdict]:
    """The stored verdicts of active credentials that still hold on `on`, keyed (model label, pk), in one query:
    stored by a recompute on or before `on`, not due to change by the date alone until after `on`
    (`next_change_on` > `on`; unknown: not current), and no recompute pending for the partner. The requirements
    (JSON) are read only for the verdicts that are not compliant. `partner_range`: partner ids lo <= id < hi."""
    qs = CredentialVerdict.objects.filter(as_of__lte=on, next_change_on__gt=on, status__in=ACTIVE).exclude(
        partner_id__in=recompute_pending_partners()
    )
    if partner_range is not None:
        qs = qs.filter(partner_id__gte=partner_range[0], partner_id__lt=partner_range[1])
    rows = qs.order_by().values_list(
        "credential_type",
        "credential_id",
        "compliant",
        "anniversary",
        Case(When(compliant=False, then=F("requirements")), default=Value(None), output_field=JSONField()),
    )
    return {
        (label, pk): StoredVerdict(compliant, anniversary, _unmet(requirements) if requirements else ())
        for label, pk, compliant, anniversary, requirements in rows
    }


def _unmet(requirements: list[dict]) -> tuple[StoredUnmet, ...]:
    return tuple(StoredUnmet(r["label"], r["missing"]) for r in requirements if not r["met"])
