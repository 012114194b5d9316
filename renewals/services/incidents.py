"""Non-compliance incidents: opened and closed from the stored verdicts, acknowledged, extended, and the
revocation they can end in."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from core import clock
from core.events import event_record
from core.locks import job_lock
from core.models import CredentialBase, Event
from core.notices import notice_queue
from core.words import join_words
from partners import access

from .. import credentials as registry
from .. import rules
from ..credentials import (
    Held,
    credential_key,
    credential_models,
    credential_ref,
    has_policy,
    instances,
    policy_in_force,
    unmet_list,
)
from ..models import NonComplianceIncident
from .common import (
    LOCK,
    PartnerRange,
    active_credentials,
    credential_context,
    emit,
    in_range,
    load_related,
    recipients,
    set_status,
    staff_emails,
)

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any


logger = logging.getLogger(__name__)

# Dedupe key prefixes of the incident events; they predate the kinds' current names and never change (existing
# rows dedupe replays of the incident sync).
KEY_PREFIXES = {
    "incident.opened": "incident-opened",
    "incident.flagged": "incident-flagged",
    "incident.closed": "incident-closed",
}


NO_INCIDENT_CHANGES = {"incidents_opened": 0, "incidents_closed": 0, "incidents_flagged": 0, "revoked": 0}


def incidents_sync_for(
    credentials: Iterable[CredentialBase | Held],
    verdicts: dict,
    policy: rules.Policy,
    as_of: date,
    partner_ids: Iterable[int] | None = None,
    partner_range: PartnerRange | None = None,
    loaded: dict | None = None,
) -> dict:
    """Open, flag and close incidents from the verdicts of these (active) credentials (instances or Held rows).
    Set-based. The open incidents read are those of `partner_ids` or `partner_range` (None: every partner).
    `loaded`: instances already loaded (by credential_key), not read again."""
    cts = ContentType.objects.get_for_models(*credential_models())
    ct_of = {model._meta.label_lower: ct.pk for model, ct in cts.items()}
    by_key, verdict_of = {}, {}
    for c in credentials:
        label, pk = credential_key(c)
        by_key[(ct_of[label], pk)] = c
        verdict_of[(ct_of[label], pk)] = verdicts.get((label, pk))
    open_qs = in_range(NonComplianceIncident.objects.open(), partner_range)
    if partner_ids is not None:
        open_qs = open_qs.filter(partner_id__in=partner_ids)
    # Rows, not instances (most open incidents stay as they are): pk and the facts of rules.incident_step.
    incidents = {
        (ct, object_id): (
            pk,
            rules.IncidentFacts(
                acknowledged=acknowledged is not None,
                acknowledge_by=acknowledge_by,
                extension_end=extension_end,
                flagged=flagged is not None,
            ),
        )
        for pk, ct, object_id, acknowledged, acknowledge_by, extension_end, flagged in open_qs.order_by().values_list(
            "pk",
            "content_type_id",
            "object_id",
            "acknowledged_at",
            "acknowledge_by",
            "extension_end",
            "flagged_for_revocation_on",
        )
    }
    to_open: list[NonComplianceIncident] = []
    close_ids: list[int] = []
    flag_ids: list[int] = []
    for key, c in by_key.items():
        verdict, incident = verdict_of[key], incidents.get(key)
        if verdict is None or (incident is None and verdict.compliant):  # the common case: nothing to do
            continue
        step = rules.incident_step(incident and incident[1], bool(verdict.compliant), as_of)
        if step == rules.OPEN:
            to_open.append(
                NonComplianceIncident(
                    partner_id=c.partner_id,
                    content_type_id=key[0],
                    object_id=c.pk,
                    opened_on=as_of,
                    acknowledge_by=as_of + timedelta(days=policy.acknowledge_days),
                    unmet=unmet_list(verdict),
                )
            )
        elif step == rules.CLOSE and incident is not None:
            close_ids.append(incident[0])
        elif step == rules.FLAG and incident is not None:
            flag_ids.append(incident[0])
    ended_ids = [pk for key, (pk, _) in incidents.items() if key not in by_key]  # credential lapsed, revoked or gone
    to_open = NonComplianceIncident.objects.bulk_create(to_open, batch_size=2000)
    for ids, fields in (
        (close_ids, {"closed_on": as_of, "resolution": NonComplianceIncident.COMPLIANT}),
        (ended_ids, {"closed_on": as_of, "resolution": NonComplianceIncident.ENDED}),
        (flag_ids, {"flagged_for_revocation_on": as_of}),
    ):
        if ids:
            NonComplianceIncident.objects.filter(pk__in=ids).update(**fields)
    changed = close_ids + ended_ids + flag_ids  # the incidents acted on, as now stored (one query)
    found = {i.pk: i for i in NonComplianceIncident.objects.filter(pk__in=changed)} if changed else {}
    to_close, ended, to_flag = ([found[pk] for pk in ids] for ids in (close_ids, ended_ids, flag_ids))
    admins, managers = recipients({i.partner_id for i in to_open + to_flag})
    acted = instances((by_key[(i.content_type_id, i.object_id)] for i in to_open + to_flag + to_close), loaded)
    load_related(acted.values())
    objs = {(ct_of[label], pk): c for (label, pk), c in acted.items()}
    staff = staff_emails() if to_flag else []
    items = []
    for i in to_open:
        c = objs[(i.content_type_id, i.object_id)]
        items.append(
            _incident_event(
                i,
                c,
                "incident.opened",
                "incident_opened",
                f"{c.title} is not compliant ({_unmet_labels(i)}): acknowledge by {i.acknowledge_by:%Y-%m-%d}",
                admins[i.partner_id],
                managers[i.partner_id],
                policy,
            )
        )
    for i in to_flag:
        c = objs[(i.content_type_id, i.object_id)]
        items.append(
            _incident_event(
                i,
                c,
                "incident.flagged",
                "incident_flagged",
                f"{c.title} is flagged for revocation review",
                admins[i.partner_id],
                managers[i.partner_id] + staff,
                policy,
            )
        )
    for i in to_close:
        c = objs[(i.content_type_id, i.object_id)]
        items.append(
            _incident_event(i, c, "incident.closed", None, f"{c.title} meets its requirements again", [], [], policy)
        )
    for i in ended:
        items.append(
            _incident_event(
                i,
                None,
                "incident.closed",
                None,
                "Non-compliance incident closed: the credential is no longer held.",
                [],
                [],
                policy,
            )
        )
    emit(items)
    revoked = 0
    if to_flag and settings.AUTO_REVOKE:
        for i in to_flag:
            revocation_confirm(incident=i, actor=access.SYSTEM, as_of=as_of)
        revoked = len(to_flag)
    return {
        "incidents_opened": len(to_open),
        "incidents_closed": len(to_close) + len(ended),
        "incidents_flagged": len(to_flag),
        "revoked": revoked,
    }


def _unmet_labels(incident: NonComplianceIncident) -> str:
    return join_words([str(u.get("label", "")) for u in incident.unmet if isinstance(u, dict)]) or "requirements unmet"


def _title(incident: NonComplianceIncident) -> str:
    credential = incident.credential
    return credential.title if isinstance(credential, CredentialBase) else "a credential no longer held"


def _incident_event(
    incident: NonComplianceIncident,
    credential: CredentialBase | None,
    kind: str,
    template: str | None,
    summary: str,
    recipients: list[str],
    cc: list[str],
    policy: rules.Policy,
) -> tuple[Any, ...]:
    event = Event(
        partner_id=incident.partner_id,
        kind=kind,
        summary=summary[:300],
        dedupe_key=f"{KEY_PREFIXES[kind]}:{incident.pk}",
        occurred_at=clock.now(),
        payload={"incident": incident.pk, "credential": f"{incident.content_type_id}:{incident.object_id}"},
    )
    context = {"incident": incident, "incident_url": settings.SITE_URL + reverse("incident-detail", args=[incident.pk])}
    if credential is not None:
        context.update(credential_context(credential, policy))
        context["missing"] = incident.unmet
    return event, (recipients if template else []), template, context, cc


@transaction.atomic
def incidents_sync(*, as_of: date, partner_ids: Iterable[int] | None = None) -> dict:
    """Incidents from the current verdicts (after a recompute). partner_ids None: every partner."""
    job_lock(LOCK)
    if not has_policy(as_of):  # before the renewal policy's first row nothing is tracked
        return dict(NO_INCIDENT_CHANGES)
    credentials = active_credentials(partner_ids)
    verdicts = registry.verdicts_for(credentials=credentials, as_of=as_of)
    return incidents_sync_for(credentials, verdicts, policy_in_force(as_of), as_of, partner_ids)


def _locked_incident(incident: NonComplianceIncident) -> NonComplianceIncident:
    incident = NonComplianceIncident.objects.select_for_update().select_related("partner").get(pk=incident.pk)
    if not incident.is_open:
        raise ValidationError({"incident": "This incident is closed."})
    return incident


@transaction.atomic
def incident_acknowledge(*, incident: NonComplianceIncident, actor: access.Actor) -> NonComplianceIncident:
    """The partner tells the vendor it knows (RULES 7.1); late acknowledgements are recorded as late."""
    incident = _locked_incident(incident)
    access.require(actor, "incident.acknowledge", partner=incident.partner)
    if incident.acknowledged_at:
        raise ValidationError({"incident": "This incident was already acknowledged."})
    incident.acknowledged_at, incident.acknowledged_by = clock.now(), access.person(actor)
    incident.save(update_fields=["acknowledged_at", "acknowledged_by"])
    late = clock.today() > incident.acknowledge_by
    event_record(
        kind="incident.acknowledged",
        partner=incident.partner,
        actor=actor,
        summary=f"Non-compliance of {_title(incident)} acknowledged{' late' if late else ''}",
        dedupe_key=f"incident-acknowledged:{incident.pk}",
        payload={"incident": incident.pk, "late": late},
    )
    return incident


@transaction.atomic
def incident_extend(*, incident: NonComplianceIncident, actor: access.Actor, until: date) -> NonComplianceIncident:
    """Staff or the account manager grant (or move) an extension to an acknowledged incident (RULES 7.2)."""
    incident = _locked_incident(incident)
    access.require(actor, "incident.extend", partner=incident.partner)
    if incident.acknowledged_at is None:
        raise ValidationError({"until": "The partner has not acknowledged this incident; no extension can be granted."})
    if until <= clock.today():
        raise ValidationError({"until": "The extension must end after today."})
    incident.extension_end, incident.extended_by, incident.flagged_for_revocation_on = until, access.person(actor), None
    incident.save(update_fields=["extension_end", "extended_by", "flagged_for_revocation_on"])
    event, _ = event_record(
        kind="incident.extended",
        partner=incident.partner,
        actor=actor,
        summary=f"Extension for {_title(incident)} granted until {until:%Y-%m-%d}",
        dedupe_key=f"incident-extended:{incident.pk}:{until:%Y-%m-%d}",
        payload={"incident": incident.pk, "until": f"{until:%Y-%m-%d}"},
    )
    admins, managers = recipients([incident.partner_id])
    notice_queue(
        event=event,
        recipients=admins[incident.partner_id],
        cc=managers[incident.partner_id],
        template="incident_extended",
        context={
            "incident": incident,
            "credential": str(incident.credential),
            "incident_url": settings.SITE_URL + reverse("incident-detail", args=[incident.pk]),
        },
    )
    return incident


@transaction.atomic
def revocation_confirm(
    *, incident: NonComplianceIncident, actor: access.Actor, as_of: date | None = None
) -> NonComplianceIncident:
    """Revoke a credential flagged for revocation (staff; or SYSTEM, automatically with settings.AUTO_REVOKE)."""
    as_of = as_of or clock.today()
    incident = _locked_incident(incident)
    access.require(actor, "revocation.confirm", partner=incident.partner)
    if incident.flagged_for_revocation_on is None:
        raise ValidationError({"incident": "This incident is not flagged for revocation."})
    model = incident.content_type.model_class()
    if model is None or not issubclass(model, CredentialBase):
        raise ValidationError({"incident": "The credential's model no longer exists."})
    credential = model._default_manager.select_for_update().get(pk=incident.object_id)
    set_status([credential], rules.REVOKED, as_of)
    incident.closed_on, incident.resolution = as_of, NonComplianceIncident.REVOKED
    incident.save(update_fields=["closed_on", "resolution"])
    event, _ = event_record(
        kind="credential.revoked",
        partner=incident.partner,
        actor=actor,
        summary=f"{credential.title} revoked after non-compliance{' (automatic)' if actor is access.SYSTEM else ''}",
        dedupe_key=f"credential-revoked:{incident.pk}",
        payload={"incident": incident.pk, "credential": credential_ref(credential)},
    )
    admins, managers = recipients([incident.partner_id])
    notice_queue(
        event=event,
        recipients=admins[incident.partner_id],
        cc=managers[incident.partner_id],
        template="credential_revoked",
        context={"incident": incident, "credential": credential.title},
    )
    return incident
