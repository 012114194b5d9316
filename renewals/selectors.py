"""Reads of the renewal lifecycle, always scoped to the asking user (another partner's row is a 404)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from core import selectors as core_selectors
from core.models import CredentialBase
from partners import access

from . import credentials, rules
from .models import NonComplianceIncident, RenewalApplication

if TYPE_CHECKING:
    from django.db import models
    from django.db.models import QuerySet

    from core.models import Notice
    from partners.models import Partner

    _M = TypeVar("_M", bound=models.Model)


def credential_get(*, user: access.Actor, kind: str, pk: int) -> CredentialBase:
    model = credentials.credential_model(kind)
    if model is None:
        raise Http404("No such kind of credential.")
    return get_object_or_404(model.objects.visible_to(user).select_related(), pk=pk)


def _for_credential(qs: QuerySet[_M], credential: CredentialBase) -> QuerySet[_M]:
    return qs.filter(content_type=ContentType.objects.get_for_model(credential), object_id=credential.pk)


def _credentials_prefetch() -> GenericPrefetch:
    """The credentials of a list with what names them, one query per credential model."""
    return GenericPrefetch("credential", [m._default_manager.select_related() for m in credentials.credential_models()])


def application_list(*, user: access.Actor) -> QuerySet[RenewalApplication]:
    return (
        RenewalApplication.objects.visible_to(user)
        .select_related("partner", "content_type", "submitted_by", "decided_by")
        .prefetch_related(_credentials_prefetch())
    )


def application_get(*, user: access.Actor, pk: int | str) -> RenewalApplication:
    return get_object_or_404(application_list(user=user), pk=pk)


def incident_list(*, user: access.Actor) -> QuerySet[NonComplianceIncident]:
    return (
        NonComplianceIncident.objects.visible_to(user)
        .select_related("partner", "content_type", "acknowledged_by", "extended_by")
        .prefetch_related(_credentials_prefetch())
    )


def incident_get(*, user: access.Actor, pk: int | str) -> NonComplianceIncident:
    return get_object_or_404(incident_list(user=user), pk=pk)


def notice_list(*, user: access.Actor, partner: Partner | None = None) -> QuerySet[Notice]:
    qs = access.notices_visible(core_selectors.notices(), user).select_related("event")
    return qs.filter(event__partner=partner) if partner is not None else qs


@dataclass
class RenewalView:
    """Everything the renewal page and its API show for one credential."""

    credential: object
    policy: rules.Policy
    window_opens: date
    last_day: date
    verdict: object
    unmet: list
    blockers: list
    can_submit: bool
    can_decide: bool
    live: RenewalApplication | None
    history: list
    events: list
    incidents: list


def renewal_view(*, user: access.Actor, credential: CredentialBase, as_of: date) -> RenewalView:
    history = list(_for_credential(application_list(user=user), credential))
    live = next(
        (
            a
            for a in history
            if a.status == RenewalApplication.SUBMITTED and a.cycle_anniversary == credential.anniversary
        ),
        None,
    )
    policy = credentials.policy_in_force(as_of)
    blockers = rules.submission_blockers(
        credentials.credential_facts(credential, has_live_renewal=live is not None), policy, as_of
    )
    verdict = credentials.verdicts_for(credentials=[credential], as_of=as_of, for_renewal=True).get(
        credentials.credential_key(credential)
    )
    incidents = list(
        NonComplianceIncident.objects.visible_to(user).filter(
            content_type=ContentType.objects.get_for_model(credential), object_id=credential.pk
        )
    )
    label, pk = credentials.credential_key(credential)
    events = (
        access.events_visible(core_selectors.events(), user)
        .filter(partner_id=credential.partner_id)
        .filter(
            Q(payload__credential=credentials.credential_ref(credential))  # renewal steps and applications
            | Q(payload__credential=[label, pk])  # verdicts
            | Q(payload__incident__in=[i.pk for i in incidents])  # the incidents on it
        )
    )
    return RenewalView(
        credential=credential,
        policy=policy,
        window_opens=rules.window_opens(credential.anniversary, policy),
        last_day=rules.last_day_to_submit(credential.anniversary, policy),
        verdict=verdict,
        unmet=credentials.unmet_list(verdict),
        blockers=blockers,
        can_submit=not blockers and access.can(user, "renewal.submit", partner=credential.partner),
        can_decide=live is not None and access.can(user, "renewal.decide", partner=credential.partner),
        live=live,
        history=history,
        events=list(events.select_related("actor")[:50]),
        incidents=incidents,
    )


@dataclass
class DueRow:
    credential: CredentialBase
    kind: str
    anniversary: date
    days_left: int
    last_day: date
    submitted: RenewalApplication | None


def renewals_due(
    *, user: access.Actor, as_of: date, days: int = 90, partner_id: int | None = None, status: str | None = None
) -> list[DueRow]:
    """Active credentials whose anniversary is within `days` (or past, in the grace period), soonest
    first. One query per credential model plus one for the submitted applications."""
    if not credentials.has_policy(as_of):  # before the renewal policy's first row nothing is due
        return []
    policy = credentials.policy_in_force(as_of)
    rows = []
    live = {
        (a.content_type_id, a.object_id, a.cycle_anniversary): a
        for a in RenewalApplication.objects.visible_to(user).filter(status=RenewalApplication.SUBMITTED)
    }
    cts = ContentType.objects.get_for_models(*credentials.credential_models())
    for model in credentials.credential_models():
        qs = (
            credentials.credential_objects(model)
            .visible_to(user)
            .filter(
                status__in=[status] if status else rules.ACTIVE,
                anniversary__lte=as_of + timedelta(days=days),
                anniversary__gte=as_of - timedelta(days=policy.lapse_after_days),
            )
            .select_related()
        )
        if partner_id:
            qs = qs.filter(partner_id=partner_id)
        rows += [
            DueRow(
                credential=c,
                kind=model._meta.model_name or "",
                anniversary=c.anniversary,
                days_left=(c.anniversary - as_of).days,
                last_day=rules.last_day_to_submit(c.anniversary, policy),
                submitted=live.get((cts[model].pk, c.pk, c.anniversary)),
            )
            for c in qs
        ]
    return sorted(rows, key=lambda r: (r.anniversary, r.kind, r.credential.pk))


@dataclass(frozen=True)
class RenewalWindow:
    opens: date
    last_day: date
    applied: bool  # an application for this anniversary is submitted or approved


def renewal_windows(
    *, user: access.Actor, held: list[CredentialBase], as_of: date
) -> dict[tuple[str, int], RenewalWindow]:
    """The renewal window of each active credential for its coming anniversary, keyed (model label, pk), and
    whether it has been applied for; empty before the renewal policy's first row. Two queries."""
    policy = credentials.policy_on(as_of)
    active = [c for c in held if c.status in rules.ACTIVE]
    if policy is None or not active:
        return {}
    applied = {
        (f"{app}.{model}", pk, cycle)
        for app, model, pk, cycle in RenewalApplication.objects.visible_to(user)
        .filter(
            status__in=[RenewalApplication.SUBMITTED, RenewalApplication.APPROVED],
            partner_id__in={c.partner_id for c in active},
        )
        .values_list("content_type__app_label", "content_type__model", "object_id", "cycle_anniversary")
    }
    return {
        credentials.credential_key(c): RenewalWindow(
            opens=rules.window_opens(c.anniversary, policy),
            last_day=rules.last_day_to_submit(c.anniversary, policy),
            applied=(*credentials.credential_key(c), c.anniversary) in applied,
        )
        for c in active
    }
