"""Reads for each role's home: where the user stands and what to do next, from every app's selectors.

Every function is scoped to the asking user and costs a constant number of queries, whatever the number of
credentials, partners, incidents or lots (tests/home/test_homes.py counts them).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.urls import reverse

from certifications import selectors as ce_selectors
from certifications.models import CeClaim
from compliance import overview as compliance_overview
from compliance import selectors as compliance_selectors
from compliance.rules import plural
from core import status
from core.selectors import policy_book
from learning import selectors as learning_selectors
from loyalty import rules as loyalty_rules
from loyalty import selectors as loyalty_selectors
from loyalty.models import Redemption
from partners import access
from partners import selectors as partner_selectors
from renewals import selectors as renewal_selectors
from renewals.credentials import renewal_url
from renewals.models import RenewalApplication

if TYPE_CHECKING:
    from partners.models import Partner

SOON_DAYS = 30  # a renewal window opening within this many days is on the to-do list; deadlines ahead this far
EVENTS_SHOWN = 6
LIST_SHOWN = 8


@dataclass(frozen=True)
class Todo:
    text: str
    url: str
    due: date | None = None
    tone: str = ""  # "bad" (overdue or urgent), "warn", or "" (for information)


@dataclass(frozen=True)
class Deadline:
    day: date
    what: str  # what falls due that day
    days: int  # days from today


@dataclass(frozen=True)
class Card:
    """One credential on the partner admin's home."""

    name: str  # "ASA · Germany"
    kind: str  # "Certification" or "Specialization"
    status: str  # lifecycle code (core.status LIFECYCLE): approved, recert, lapsed, revoked
    active: bool
    compliance: str  # compliance code (core.status COMPLIANCE); "" when not held
    tone: str  # the compliance state's tone (ok, warn, bad); "" when not held
    deadline: Deadline | None
    missing: str  # the single most important missing thing ("" when nothing is)
    url: str


def _is_certification(credential: Any) -> bool:
    return credential._meta.model_name == "partnercertification"


def _name(credential: Any) -> str:
    what = credential.tier.name if _is_certification(credential) else credential.specialization.name
    return f"{what} · {credential.territory.name}"


def _key(credential: Any) -> tuple[str, int]:
    return (credential._meta.label_lower, credential.pk)


def _incident_key(incident: Any) -> tuple[str, int]:
    return (f"{incident.content_type.app_label}.{incident.content_type.model}", incident.object_id)


def _credential_url(credential: Any) -> str:
    if _is_certification(credential):
        return reverse("compliance-partner", args=[credential.partner_id])
    return reverse("partner-specialization-detail", args=[credential.pk])


def _missing(verdict: Any) -> str:
    """The first missed requirement ("Specialization: one of … is missing"); else the first shortfall with time
    left, in core.status's words ("Not met yet: 39 points by 2027-02-15")."""
    values = [(r, status.requirement_value(r)) for r in verdict.requirements]
    for r, value in values:
        if value == status.MISSED:
            return f"{r.label}: {status.requirement_shortfall(r)}"
    for r, value in values:
        if value == status.NOT_MET_YET:
            return status.requirement_text(r)
    return ""


def _incident_todo(incident: Any, name: str, as_of: date) -> Todo | None:
    url = reverse("incident-detail", args=[incident.pk])
    if incident.flagged_for_revocation_on:
        return Todo(f"Incident #{incident.pk} on {name} is flagged for revocation", url, None, "bad")
    if not incident.acknowledged_at:
        late = incident.acknowledge_by < as_of
        text = f"Acknowledge incident #{incident.pk} on {name} by {incident.acknowledge_by:%Y-%m-%d}"
        return Todo(text + (" (overdue)" if late else ""), url, incident.acknowledge_by, "bad" if late else "warn")
    if incident.extension_end and incident.extension_end >= as_of:
        return Todo(
            f"Meet the requirements of {name} by {incident.extension_end:%Y-%m-%d} (extension)",
            url,
            incident.extension_end,
            "warn",
        )
    return None


def _renewal_todo(credential: Any, name: str, window: Any, as_of: date) -> Todo | None:
    if window is None or window.applied:
        return None
    url = renewal_url(credential)
    if as_of < window.opens:
        days = (window.opens - as_of).days
        if days > SOON_DAYS:
            return None
        return Todo(f"The renewal window for {name} opens in {plural(days, 'day')}", url, window.opens)
    if as_of <= credential.anniversary:
        return Todo(
            f"Submit the renewal of {name} by {credential.anniversary:%Y-%m-%d}", url, credential.anniversary, "warn"
        )
    if as_of <= window.last_day:
        return Todo(
            f"The anniversary of {name} has passed: renew it by {window.last_day:%Y-%m-%d}", url, window.last_day, "bad"
        )
    return None


def _points_todo(credential: Any, name: str, verdict: Any) -> Todo | None:
    for r in verdict.requirements:
        if r.key == "points" and r.required and r.count is not None and r.count < r.required:
            short = r.required - r.count
            return Todo(
                f"{plural(short, 'point')} missing for {name}: see the plan",
                _credential_url(credential),
                r.due,
                "bad" if not r.met else "warn",
            )
    return None


def _deadline(credential: Any, verdict: Any, window: Any, incident: Any, as_of: date) -> Deadline | None:
    found = [(credential.anniversary, "Anniversary")]
    found += [(r.due, f"{r.label} due") for r in verdict.requirements if r.next_step and r.due]
    if window is not None and not window.applied:
        found += [(window.opens, "Renewal window opens"), (window.last_day, "Last day to renew")]
    if incident is not None and not incident.acknowledged_at:
        found.append((incident.acknowledge_by, f"Acknowledge incident #{incident.pk}"))
    if incident is not None and incident.extension_end:
        found.append((incident.extension_end, "Extension ends"))
    ahead = [d for d in found if d[0] >= as_of]
    if not ahead:
        return None
    day, what = min(ahead, key=lambda d: d[0])
    return Deadline(day, what, (day - as_of).days)


@dataclass
class PartnerHome:
    partner: Partner
    cards: list[Card]
    todos: list[Todo]
    events: list


def partner_home(*, user: access.Actor, partner: Partner, as_of: date) -> PartnerHome:
    """A partner's credentials as cards, the to-do list built from their state, and the last events."""
    rows: list[tuple[Any, Any]] = compliance_selectors.partner_verdicts(user=user, partner=partner, as_of=as_of)
    horizon = policy_book().get("compliance.at_risk_days", as_of) or 0
    held = [c for c, _ in rows]
    windows = renewal_selectors.renewal_windows(user=user, held=held, as_of=as_of)
    incidents = {
        _incident_key(i): i
        for i in renewal_selectors.incident_list(user=user)
        .filter(partner=partner, closed_on__isnull=True)
        .select_related("content_type")
    }
    cards: list[Card] = []
    todos: list[Todo | None] = []
    for credential, verdict in rows:
        name, key = _name(credential), _key(credential)
        active = credential.status in compliance_selectors.ACTIVE
        window, incident = windows.get(key), incidents.get(key)
        compliance = status.compliance_value(
            compliant=verdict.compliant,
            at_risk=verdict.at_risk(horizon_days=horizon),
            requirements=verdict.requirements,
        )
        cards.append(
            Card(
                name=name,
                kind="Certification" if _is_certification(credential) else "Specialization",
                status=credential.status,
                active=active,
                compliance=compliance if active else "",
                tone=status.state(status.COMPLIANCE, compliance).tone if active else "",
                deadline=_deadline(credential, verdict, window, incident, as_of) if active else None,
                missing=_missing(verdict) if active else "",
                url=_credential_url(credential),
            )
        )
        if incident is not None:
            todos.append(_incident_todo(incident, name, as_of))
        if active:
            todos += [_renewal_todo(credential, name, window, as_of), _points_todo(credential, name, verdict)]
    pending = ce_selectors.claim_list(user=user).filter(status=CeClaim.Status.PENDING).count()
    if pending:
        todos.append(
            Todo(
                f"{plural(pending, 'CE claim')} pending review by program staff",
                reverse("ce-partner-people", args=[partner.pk]),
            )
        )
    found = sorted((t for t in todos if t), key=lambda t: (t.due is None, t.due or as_of, t.text))
    events = list(partner_selectors.partner_timeline(user=user, partner=partner, limit=EVENTS_SHOWN))
    return PartnerHome(partner=partner, cards=cards, todos=found, events=events)


@dataclass
class Queue:
    label: str
    count: int
    url: str
    items: list[Todo] = field(default_factory=list)


@dataclass
class PortfolioHome:
    partners: int
    counts: list[tuple[str, int, str, str]]  # (label, count, tone, url) by compliance state
    changes: list
    changes_total: int
    deadlines: list[Todo]
    incidents: list
    incidents_total: int
    trend: dict
    queues: list[Queue]


def _deadlines(*, user: access.Actor, as_of: date) -> list[Todo]:
    """Anniversaries (and last days to renew) and acknowledgement deadlines within SOON_DAYS, soonest first."""
    out = []
    for row in renewal_selectors.renewals_due(user=user, as_of=as_of, days=SOON_DAYS):
        c = row.credential
        who = f"{c.partner.legal_name} · {_name(c)}"
        if row.submitted:
            text, tone = f"{who}: renewal submitted, waiting for a decision", ""
        elif row.days_left >= 0:
            text, tone = f"{who}: anniversary in {plural(row.days_left, 'day')}", "warn"
        else:
            text, tone = f"{who}: anniversary passed, last day to renew {row.last_day:%Y-%m-%d}", "bad"
        out.append(
            Todo(text, renewal_url(c), max(row.anniversary, as_of) if row.days_left >= 0 else row.last_day, tone)
        )
    for incident in (
        renewal_selectors.incident_list(user=user)
        .filter(closed_on__isnull=True, acknowledged_at__isnull=True, acknowledge_by__lte=as_of + timedelta(SOON_DAYS))
        .select_related("content_type")
    ):
        late = incident.acknowledge_by < as_of
        out.append(
            Todo(
                f"{incident.partner.legal_name}: incident #{incident.pk} to acknowledge by "
                f"{incident.acknowledge_by:%Y-%m-%d}" + (" (overdue)" if late else ""),
                reverse("incident-detail", args=[incident.pk]),
                incident.acknowledge_by,
                "bad" if late else "warn",
            )
        )
    return sorted(out, key=lambda t: (t.due or as_of, t.text))


def _queues(*, user: access.Actor) -> list[Queue]:
    """The work waiting for program staff (CE claims, renewals, records, revocations) or, for an account manager,
    the renewal applications she decides."""
    submitted = renewal_selectors.application_list(user=user).filter(status=RenewalApplication.SUBMITTED)
    renewals = Queue(
        "Renewal applications to decide",
        submitted.count(),
        reverse("renewals-due"),
        [
            Todo(
                f"{a.partner.legal_name} · {_name(a.credential)}: submitted {a.submitted_on:%Y-%m-%d}",
                renewal_url(a.credential),
            )
            for a in submitted.order_by("submitted_on", "pk")[:LIST_SHOWN]
        ],
    )
    if not access.is_staff(user):
        return [renewals]
    records = compliance_overview.records_to_verify(user=user)
    claims = ce_selectors.review_queue(user=user).filter(status=CeClaim.Status.PENDING)  # the oldest first
    flagged = renewal_selectors.incident_list(user=user).filter(
        closed_on__isnull=True, flagged_for_revocation_on__isnull=False
    )
    return [
        Queue(
            "CE claims to review",
            claims.count(),
            reverse("ce-review-queue"),
            [
                Todo(
                    f"{c.individual}: {c.title}, {plural(c.credits, 'CE', 'CE')}, submitted {c.submitted_at:%Y-%m-%d}",
                    reverse("ce-claim-detail", args=[c.pk]),
                )
                for c in claims[:LIST_SHOWN]
            ],
        ),
        renewals,
        Queue(
            "Records to verify",
            sum(n for _, _, n in records),
            reverse("compliance-portfolio"),
            [
                Todo(f"{name}: {plural(n, 'record')}", reverse("compliance-partner", args=[pid]))
                for pid, name, n in records[:LIST_SHOWN]
            ],
        ),
        Queue(
            "Incidents flagged for revocation",
            flagged.count(),
            reverse("incident-list") + "?state=flagged",
            [
                Todo(
                    f"{i.partner.legal_name}: incident #{i.pk}, flagged {i.flagged_for_revocation_on:%Y-%m-%d}",
                    reverse("incident-detail", args=[i.pk]),
                )
                for i in flagged.order_by("flagged_for_revocation_on", "pk")[:LIST_SHOWN]
            ],
        ),
    ]


def _counts(*, user: access.Actor) -> list[tuple[str, int, str, str]]:
    """(label, count, tone, portfolio URL filtered to them) of the credentials by compliance state."""
    chart = compliance_selectors.portfolio_chart(compliance_selectors.portfolio(user=user))
    url = reverse("compliance-portfolio")
    filters = ["compliant=true&at_risk=false", "compliant=true&at_risk=true", "compliant=false"]
    return [
        (label, value, tone, f"{url}?{query}")
        for label, value, tone, query in zip(
            chart["labels"], chart["values"], ["ok", "warn", "bad"], filters, strict=True
        )
    ]


def portfolio_home(*, user: access.Actor, as_of: date) -> PortfolioHome:
    """An account manager's portfolio (program staff: the whole program) at a glance."""
    changes = compliance_overview.verdict_changes_between(user=user, since=as_of - timedelta(days=6), until=as_of)
    incidents = renewal_selectors.incident_list(user=user).filter(closed_on__isnull=True)
    return PortfolioHome(
        partners=partner_selectors.partner_list(user=user).count(),
        counts=_counts(user=user),
        changes=list(changes[:LIST_SHOWN]),
        changes_total=changes.count(),
        deadlines=_deadlines(user=user, as_of=as_of),
        incidents=list(incidents[:LIST_SHOWN]),
        incidents_total=incidents.count(),
        trend=compliance_overview.verdict_trend(user=user, as_of=as_of),
        queues=_queues(user=user),
    )


@dataclass
class MemberHome:
    individual: Any
    certifications: list
    claims: list
    pending_claims: int
    assignments: list
    window: int


def member_home(*, user: access.Actor, individual_id: int | None, as_of: date) -> MemberHome | None:
    """A partner member's own certifications with their CE progress, her claims, what she was asked to take
    (None when her account is linked to no individual)."""
    if individual_id is None:
        return None
    individual = ce_selectors.individual_get(user=user, pk=individual_id)
    certs = ce_selectors.certification_list(user=user).filter(individual=individual)
    claims = ce_selectors.claim_list(user=user).filter(individual=individual)
    return MemberHome(
        individual=individual,
        certifications=ce_selectors.progress_for(certs, as_of=as_of),
        claims=list(claims[:5]),
        pending_claims=claims.filter(status=CeClaim.Status.PENDING).count(),
        assignments=learning_selectors.assignments_of(user=user, individual_id=individual.pk, as_of=as_of),
        window=ce_selectors.policy_for(as_of).expiring_window_days,
    )


@dataclass
class AccountHome:
    account: Any
    lots: list  # the lots with credits left, the first to expire first
    redeemable: list[tuple[str, int]]  # (what, credits usable for it today)


def captain_home(*, user: access.Actor, as_of: date) -> tuple[list[AccountHome], Any]:
    """A Team Captain's accounts: balance, lots expiring soonest, what the credits can pay for today."""
    policy = loyalty_selectors.policy_on(as_of)
    lots: dict[int, list[Any]] = defaultdict(list)  # the lots come annotated with what is left (`remaining`)
    lot: Any
    for lot in loyalty_selectors.lot_list(user=user, account=None, as_of=as_of).filter(expires_on__gte=as_of):
        if lot.remaining > 0:
            lots[lot.account_id].append(lot)
    out = []
    for account in loyalty_selectors.account_list(user=user, as_of=as_of):
        mine = lots[account.pk]
        redeemable = []
        for kind, label in Redemption.KIND_CHOICES:
            floor = loyalty_rules.usable_from_expiry(
                kind=kind, ordered_on=as_of, voucher_min_days=policy.voucher_min_days_before_expiry
            )
            redeemable.append((label, sum(lot.remaining for lot in mine if lot.expires_on >= floor)))
        out.append(AccountHome(account=account, lots=mine[:5], redeemable=redeemable))
    return out, policy
