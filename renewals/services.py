"""Writes of the renewal lifecycle: the daily scan, renewal submit/approve/reject, incidents.

The scan is set-based: it reads every active credential in a constant number of queries, asks
`rules.py` what happens to each, and writes one UPDATE per kind of change, one INSERT of events and
one INSERT of notices (each in batches of 2,000). It runs under a row lock (JobLock), so two scans
at the same time run one after the other, and the second finds nothing left to do; every event has
a dedupe key naming the credential and its cycle (its anniversary), so a notice goes out once per
credential per cycle however often a day is replayed.
"""
from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date, timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q, prefetch_related_objects
from django.urls import reverse

from core.models import CredentialBase, Event
from core.locks import job_lock
from core.notices import notice_queue, notices_cancel, notices_queue_many
from core.events import event_record, events_record_many
from core import clock
from partners import access
from partners.models import Partner, Profile

from . import rules
from .models import NonComplianceIncident, RenewalApplication, RenewalPolicy

logger = logging.getLogger(__name__)

LOCK = "renewal-lifecycle"


# --- credentials, generically ---------------------------------------------------------------

def credential_models() -> list[type[CredentialBase]]:
    """Every concrete credential model (partner specializations, partner certifications, ...)."""
    return [m for m in apps.get_models() if issubclass(m, CredentialBase)]


def credential_model(kind: str):
    """The credential model named by its model name in URLs (e.g. `partnerspecialization`)."""
    for model in credential_models():
        if model._meta.model_name == kind:
            return model
    return None


def credential_ref(credential) -> str:
    return f"{credential._meta.label_lower}:{credential.pk}"


def credential_key(credential) -> tuple[str, int]:
    """The key of the verdict contract: (label_lower, pk)."""
    return credential._meta.label_lower, credential.pk


def retired_path(model) -> str | None:
    """The lookup to the retirement date of what the credential is of (specializations retire)."""
    try:
        related = model._meta.get_field("specialization").related_model
        related._meta.get_field("retired_on")
    except Exception:
        return None
    return "specialization__retired_on"


def retired_on(credential) -> date | None:
    path = retired_path(type(credential))
    if path is None:
        return None
    if hasattr(credential, "_retired_on"):
        return credential._retired_on
    return credential.specialization.retired_on


def renewal_url(credential) -> str:
    return reverse("renewal-detail", kwargs={"kind": credential._meta.model_name, "pk": credential.pk})


def verdicts_for(*, credentials, as_of, for_renewal: bool = False) -> dict:
    """The verdict contract of the compliance engine: {(label_lower, pk): Verdict}. `for_renewal`: judged
    by the requirements of the coming renewal (submissions, and what the renewal notices list)."""
    if not credentials:
        return {}
    from compliance.selectors import credential_verdicts

    return credential_verdicts(credentials=credentials, as_of=as_of, for_renewal=for_renewal)


def verdict_snapshot(verdict) -> dict:
    if verdict is None:
        return {}
    return {"compliant": bool(verdict.compliant), "unmet": unmet_list(verdict)}


def unmet_list(verdict) -> list[dict]:
    if verdict is None:
        return []
    return [{"label": str(r.label), "missing": r.missing if isinstance(r.missing, str) else "; ".join(map(str, r.missing))}
            for r in verdict.unmet]


def policy_in_force(as_of: date) -> rules.Policy:
    row = RenewalPolicy.objects.in_force(as_of)
    if row is None:
        raise ValidationError({"as_of": f"No renewal policy is in force on {as_of:%Y-%m-%d}."})
    return rules.Policy(
        id=row.pk, effective_from=row.effective_from, recert_window_days=row.recert_window_days,
        reminder_days=tuple(int(d) for d in row.reminder_days), lapse_after_days=row.lapse_after_days,
        acknowledge_days=row.acknowledge_days,
    )


def _recipients(partner_ids) -> tuple[dict, dict]:
    """Partner admins' and account managers' e-mail addresses per partner (two queries)."""
    admins, managers = defaultdict(list), defaultdict(list)
    for pid, email in Profile.objects.filter(role=access.PARTNER_ADMIN, partner_id__in=partner_ids,
                                             user__is_active=True).values_list("partner_id", "user__email"):
        admins[pid].append(email)
    through = Partner.account_managers.through
    for pid, email in through.objects.filter(partner_id__in=partner_ids).values_list("partner_id", "user__email"):
        managers[pid].append(email)
    return admins, managers


def _staff_emails() -> list[str]:
    User = get_user_model()
    return list(User.objects.filter(Q(is_staff=True) | Q(profile__role=access.STAFF), is_active=True)
                .exclude(email="").values_list("email", flat=True).distinct())


def _active_credentials(partner_ids=None) -> list:
    creds = []
    for model in credential_models():
        qs = model.objects.filter(status__in=rules.ACTIVE)
        if partner_ids is not None:
            qs = qs.filter(partner_id__in=partner_ids)
        path = retired_path(model)
        if path:
            qs = qs.annotate(_retired_on=F(path))
        creds += list(qs)
    return creds


def _load_related(credentials) -> None:
    """Fetch what names a credential (partner, territory, tier or specialization) for the few that need it:
    one query per foreign key and credential model, instead of joining them for every credential."""
    by_model = defaultdict(list)
    for c in credentials:
        by_model[type(c)].append(c)
    for model, items in by_model.items():
        prefetch_related_objects(items, *[f.name for f in model._meta.concrete_fields if f.many_to_one])


def _set_status(credentials, status: str, as_of: date) -> None:
    """One UPDATE per credential model (and batch) for a set of credentials changing status."""
    by_model = defaultdict(list)
    for c in credentials:
        by_model[type(c)].append(c.pk)
        c.status, c.status_changed_on = status, as_of
    for model, ids in by_model.items():
        for start in range(0, len(ids), 2000):
            model.objects.filter(pk__in=ids[start:start + 2000]).update(status=status, status_changed_on=as_of)


def _emit(items) -> int:
    """items: (Event, recipients, template, context, cc). Records the new events, queues their notices."""
    created = {e.dedupe_key for e in events_record_many([item[0] for item in items])}
    notices_queue_many([item for item in items if item[0].dedupe_key in created])
    return len(created)


def _credential_context(credential, policy: rules.Policy, verdict=None) -> dict:
    return {
        "credential": str(credential), "partner": credential.partner.legal_name,
        "anniversary": credential.anniversary,
        "last_day": rules.last_day_to_submit(credential.anniversary, policy),
        "missing": unmet_list(verdict), "renewal_url": settings.SITE_URL + renewal_url(credential),
    }


# --- the daily scan -------------------------------------------------------------------------

STEP_EVENTS = {
    rules.RECERT_STEP: ("renewal-recert", "renewal_recert"),
    rules.REMINDER_STEP: ("renewal-reminder", "renewal_reminder"),
    rules.LAPSE_STEP: ("credential-lapsed", "credential_lapsed"),
    rules.RETIRE_STEP: ("credential-retired", "credential_retired"),
}

NOTIFY_MISSING = (rules.RECERT_STEP, rules.REMINDER_STEP)  # notices that list what the renewal still needs
NEW_STATUS = {rules.RECERT_STEP: rules.RECERT, rules.LAPSE_STEP: rules.LAPSED, rules.RETIRE_STEP: rules.LAPSED}


def step_dedupe_key(credential, step: rules.Step, anniversary: date) -> str:
    kind = STEP_EVENTS[step.action][0]
    suffix = f":{step.days}" if step.action == rules.REMINDER_STEP else ""
    return f"{kind}:{credential_ref(credential)}:{anniversary:%Y-%m-%d}{suffix}"


def _step_summary(credential, step: rules.Step, policy: rules.Policy) -> str:
    ann = f"{credential.anniversary:%Y-%m-%d}"
    if step.action == rules.RECERT_STEP:
        return f"{credential} is due for renewal by its anniversary on {ann} (status Re-Cert)."
    if step.action == rules.REMINDER_STEP:
        return f"Reminder: {credential} must be renewed; the anniversary is in {step.days} days ({ann})."
    if step.action == rules.LAPSE_STEP:
        last = rules.last_day_to_submit(credential.anniversary, policy)
        return f"{credential} was lost: no renewal was submitted by {last:%Y-%m-%d}."
    return f"{credential} was lost: the specialization was retired on {retired_on(credential):%Y-%m-%d}."


@transaction.atomic
def daily_scan(*, as_of: date) -> dict:
    """Bring every credential's status up to date for `as_of` and send what is due (idempotent)."""
    job_lock(LOCK)
    policy = policy_in_force(as_of)
    credentials = _active_credentials()
    live = {(ct, pk, cycle) for ct, pk, cycle, on in RenewalApplication.objects.filter(
        status=RenewalApplication.SUBMITTED).values_list("content_type_id", "object_id", "cycle_anniversary",
                                                         "submitted_on")
        if on <= rules.last_day_to_submit(cycle, policy)}  # a late application does not save the credential
    cts = ContentType.objects.get_for_models(*credential_models())
    steps = {}
    for c in credentials:
        facts = credential_facts(c, has_live_renewal=(cts[type(c)].pk, c.pk, c.anniversary) in live)
        step = rules.renewal_step(facts, policy, as_of)
        if step:
            steps[c] = step
    verdicts = verdicts_for(credentials=credentials, as_of=as_of)
    for_renewal = verdicts_for(credentials=[c for c, s in steps.items() if s.action in NOTIFY_MISSING], as_of=as_of,
                               for_renewal=True)
    admins, managers = _recipients({c.partner_id for c in steps})
    _load_related(steps)

    by_status = defaultdict(list)
    for c, step in steps.items():
        if step.action in NEW_STATUS:
            by_status[NEW_STATUS[step.action]].append(c)
    items = []
    for c, step in steps.items():  # events before the status change: the context shows the cycle
        kind, template = STEP_EVENTS[step.action]
        context = {**_credential_context(c, policy, for_renewal.get(credential_key(c))), "days": step.days,
                   "retired_on": retired_on(c)}
        event = Event(partner_id=c.partner_id, kind=kind, summary=_step_summary(c, step, policy)[:300],
                      dedupe_key=step_dedupe_key(c, step, c.anniversary), occurred_at=clock.now(),
                      payload={"credential": credential_ref(c), "anniversary": f"{c.anniversary:%Y-%m-%d}",
                               "as_of": f"{as_of:%Y-%m-%d}", "policy": policy.id, "days": step.days,
                               "missing": context["missing"]})
        items.append((event, admins[c.partner_id], template, context, managers[c.partner_id]))
    for status, creds in by_status.items():
        _set_status(creds, status, as_of)
    sent = _emit(items)
    ended = {c for c in steps if c.status not in rules.ACTIVE}
    summary = {"as_of": f"{as_of:%Y-%m-%d}", "credentials": len(credentials), "events": sent,
               **{s: len(c) for s, c in by_status.items()},
               "reminders": sum(1 for s in steps.values() if s.action == rules.REMINDER_STEP)}
    summary.update(_incidents_sync([c for c in credentials if c not in ended], verdicts, policy, as_of))
    return summary


# --- renewal applications -------------------------------------------------------------------

def _live_renewal(credential):
    ct = ContentType.objects.get_for_model(credential)
    return RenewalApplication.objects.filter(content_type=ct, object_id=credential.pk,
                                             cycle_anniversary=credential.anniversary,
                                             status=RenewalApplication.SUBMITTED).first()


def credential_facts(credential, *, has_live_renewal: bool) -> rules.CredentialFacts:
    return rules.CredentialFacts(status=credential.status, anniversary=credential.anniversary,
                                 status_changed_on=credential.status_changed_on,
                                 has_live_renewal=has_live_renewal, retired_on=retired_on(credential))


@transaction.atomic
def renewal_submit(*, credential, actor, as_of: date | None = None) -> RenewalApplication:
    """Submit a renewal in the window; refused (listing what is unmet) unless every requirement is met."""
    as_of = as_of or clock.today()
    if not access.can_manage_partner(actor, credential.partner):
        raise PermissionDenied("You cannot renew this partner's credentials.")
    credential = type(credential).objects.select_for_update().get(pk=credential.pk)
    policy = policy_in_force(as_of)
    blockers = rules.submission_blockers(
        credential_facts(credential, has_live_renewal=_live_renewal(credential) is not None), policy, as_of)
    if blockers:
        raise ValidationError({"credential": blockers})
    verdict = verdicts_for(credentials=[credential], as_of=as_of, for_renewal=True).get(credential_key(credential))
    if verdict is None or not verdict.compliant:
        unmet = [f"{u['label']}: {u['missing']}" for u in unmet_list(verdict)] or [
            "The requirements could not be evaluated; try again later."]
        raise ValidationError({"requirements": ["Not every requirement is met yet."] + unmet})
    application = RenewalApplication.objects.create(
        partner=credential.partner, content_type=ContentType.objects.get_for_model(credential),
        object_id=credential.pk, cycle_anniversary=credential.anniversary, submitted_by=actor,
        submitted_at=clock.now(), submitted_on=as_of, verdict=verdict_snapshot(verdict),
    )
    event, _ = event_record(
        kind="renewal-submitted", partner=credential.partner, actor=actor,
        summary=f"Renewal of {credential} for the anniversary on {credential.anniversary:%Y-%m-%d} submitted.",
        dedupe_key=f"renewal-submitted:{application.pk}", payload={"application": application.pk,
                                                                   "credential": credential_ref(credential)})
    managers = list(credential.partner.account_managers.exclude(email="").values_list("email", flat=True))
    notice_queue(event=event, recipients=managers or _staff_emails(), template="renewal_submitted",
                 context={**_credential_context(credential, policy), "application": application})
    return application


def _check_decider(actor, application) -> None:
    if not (access.is_vendor(actor) and access.can_manage_partner(actor, application.partner)):
        raise PermissionDenied("Only program staff or the partner's account manager can decide renewals.")
    if application.status != RenewalApplication.SUBMITTED:
        raise ValidationError({"status": f"This application was already {application.get_status_display().lower()}."})


def _locked_credential(application):
    return application.content_type.model_class().objects.select_for_update().get(pk=application.object_id)


@transaction.atomic
def renewal_approve(*, application: RenewalApplication, actor, note: str = "",
                    as_of: date | None = None) -> RenewalApplication:
    """Approve: the anniversary moves one year on (or a new period starts after a lapse), the points
    window resets, the status is Approved, and notices still pending for the cycle are cancelled."""
    as_of = as_of or clock.today()
    application = RenewalApplication.objects.select_for_update().get(pk=application.pk)
    _check_decider(actor, application)
    credential = _locked_credential(application)
    if credential.status == rules.REVOKED:
        raise ValidationError({"status": "The credential was revoked meanwhile; it cannot be renewed."})
    old = credential.anniversary
    policy = policy_in_force(as_of)
    late = application.submitted_on > rules.last_day_to_submit(application.cycle_anniversary, policy)
    dates = rules.renewed_dates(status=rules.LAPSED if late else credential.status, anniversary=old,
                                renewal_date=application.submitted_on)
    for field, value in {**dates, "status": rules.APPROVED, "status_changed_on": as_of}.items():
        setattr(credential, field, value)
    credential.save(update_fields=[*dates, "status", "status_changed_on"])
    application.status, application.decided_by, application.decided_at = RenewalApplication.APPROVED, actor, clock.now()
    application.decision_note = note
    application.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    ref = credential_ref(credential)
    notices_cancel(events_q=Q(dedupe_key__startswith=f"renewal-reminder:{ref}:{old:%Y-%m-%d}:")
                   | Q(dedupe_key=f"renewal-recert:{ref}:{old:%Y-%m-%d}"))
    event, _ = event_record(
        kind="renewal-approved", partner=application.partner, actor=actor,
        summary=f"Renewal of {credential} approved; the next anniversary is {credential.anniversary:%Y-%m-%d}.",
        dedupe_key=f"renewal-approved:{application.pk}",
        payload={"application": application.pk, "credential": ref, "previous_anniversary": f"{old:%Y-%m-%d}",
                 "anniversary": f"{credential.anniversary:%Y-%m-%d}"})
    admins, managers = _recipients([application.partner_id])
    notice_queue(event=event, recipients=admins[application.partner_id], cc=managers[application.partner_id],
                 template="renewal_approved", context={**_credential_context(credential, policy), "note": note})
    return application


@transaction.atomic
def renewal_reject(*, application: RenewalApplication, actor, note: str) -> RenewalApplication:
    application = RenewalApplication.objects.select_for_update().get(pk=application.pk)
    _check_decider(actor, application)
    if not note.strip():
        raise ValidationError({"note": "Say why the renewal is rejected."})
    credential = application.credential
    application.status, application.decided_by, application.decided_at = RenewalApplication.REJECTED, actor, clock.now()
    application.decision_note = note
    application.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    event, _ = event_record(
        kind="renewal-rejected", partner=application.partner, actor=actor,
        summary=f"Renewal of {credential} rejected: {note}", dedupe_key=f"renewal-rejected:{application.pk}",
        payload={"application": application.pk, "credential": credential_ref(credential)})
    admins, managers = _recipients([application.partner_id])
    policy = policy_in_force(clock.today())
    notice_queue(event=event, recipients=admins[application.partner_id], cc=managers[application.partner_id],
                 template="renewal_rejected", context={**_credential_context(credential, policy), "note": note})
    return application


# --- non-compliance incidents ---------------------------------------------------------------

def incident_facts(incident: NonComplianceIncident) -> rules.IncidentFacts:
    return rules.IncidentFacts(acknowledged=incident.acknowledged_at is not None,
                               acknowledge_by=incident.acknowledge_by, extension_end=incident.extension_end,
                               flagged=incident.flagged_for_revocation_on is not None)


def _incidents_sync(credentials, verdicts: dict, policy: rules.Policy, as_of: date, partner_ids=None) -> dict:
    """Open, flag and close incidents from the verdicts of these (active) credentials. Set-based."""
    cts = ContentType.objects.get_for_models(*credential_models())
    by_key = {(cts[type(c)].pk, c.pk): c for c in credentials}
    open_qs = NonComplianceIncident.objects.open()
    if partner_ids is not None:
        open_qs = open_qs.filter(partner_id__in=partner_ids)
    incidents = {(i.content_type_id, i.object_id): i for i in open_qs}
    to_open, to_close, to_flag = [], [], []
    for key, c in by_key.items():
        verdict = verdicts.get(credential_key(c))
        if verdict is None:
            continue
        incident = incidents.get(key)
        step = rules.incident_step(incident and incident_facts(incident), bool(verdict.compliant), as_of)
        if step == rules.OPEN:
            to_open.append(NonComplianceIncident(
                partner_id=c.partner_id, content_type_id=key[0], object_id=c.pk, opened_on=as_of,
                acknowledge_by=as_of + timedelta(days=policy.acknowledge_days), unmet=unmet_list(verdict)))
        elif step == rules.CLOSE:
            to_close.append(incident)
        elif step == rules.FLAG:
            to_flag.append(incident)
    ended = [i for key, i in incidents.items() if key not in by_key]  # credential lapsed, revoked or gone
    to_open = NonComplianceIncident.objects.bulk_create(to_open, batch_size=2000)
    for rows, fields in ((to_close, {"closed_on": as_of, "resolution": NonComplianceIncident.COMPLIANT}),
                         (ended, {"closed_on": as_of, "resolution": NonComplianceIncident.ENDED}),
                         (to_flag, {"flagged_for_revocation_on": as_of})):
        if rows:
            NonComplianceIncident.objects.filter(pk__in=[i.pk for i in rows]).update(**fields)
            for i in rows:
                for f, v in fields.items():
                    setattr(i, f, v)
    admins, managers = _recipients({i.partner_id for i in to_open + to_flag})
    _load_related(by_key[(i.content_type_id, i.object_id)] for i in to_open + to_flag + to_close)
    staff = _staff_emails() if to_flag else []
    items = []
    for i in to_open:
        c = by_key[(i.content_type_id, i.object_id)]
        items.append(_incident_event(i, c, "incident-opened", "incident_opened",
                                     f"{c} does not meet its requirements; acknowledge by {i.acknowledge_by:%Y-%m-%d}.",
                                     admins[i.partner_id], managers[i.partner_id], policy))
    for i in to_flag:
        c = by_key[(i.content_type_id, i.object_id)]
        items.append(_incident_event(i, c, "incident-flagged", "incident_flagged",
                                     f"{c} is flagged for revocation review.",
                                     admins[i.partner_id], managers[i.partner_id] + staff, policy))
    for i in to_close:
        c = by_key[(i.content_type_id, i.object_id)]
        items.append(_incident_event(i, c, "incident-closed", None, f"{c} meets its requirements again.",
                                     [], [], policy))
    for i in ended:
        items.append(_incident_event(i, None, "incident-closed", None,
                                     "Non-compliance incident closed: the credential is no longer held.", [], [], policy))
    _emit(items)
    revoked = 0
    if to_flag and settings.AUTO_REVOKE:
        for i in to_flag:
            revocation_confirm(incident=i, actor=None, as_of=as_of)
        revoked = len(to_flag)
    return {"incidents_opened": len(to_open), "incidents_closed": len(to_close) + len(ended),
            "incidents_flagged": len(to_flag), "revoked": revoked}


def _incident_event(incident, credential, kind, template, summary, recipients, cc, policy):
    event = Event(partner_id=incident.partner_id, kind=kind, summary=summary[:300],
                  dedupe_key=f"{kind}:{incident.pk}", occurred_at=clock.now(),
                  payload={"incident": incident.pk, "credential": f"{incident.content_type_id}:{incident.object_id}"})
    context = {"incident": incident, "incident_url": settings.SITE_URL + reverse("incident-detail", args=[incident.pk])}
    if credential is not None:
        context.update(_credential_context(credential, policy))
        context["missing"] = incident.unmet
    return event, (recipients if template else []), template, context, cc


@transaction.atomic
def incidents_sync(*, as_of: date, partner_ids=None) -> dict:
    """Incidents from the current verdicts (after a recompute). partner_ids None: every partner."""
    job_lock(LOCK)
    credentials = _active_credentials(partner_ids)
    verdicts = verdicts_for(credentials=credentials, as_of=as_of)
    return _incidents_sync(credentials, verdicts, policy_in_force(as_of), as_of, partner_ids)


def _locked_incident(incident) -> NonComplianceIncident:
    incident = NonComplianceIncident.objects.select_for_update().select_related("partner").get(pk=incident.pk)
    if not incident.is_open:
        raise ValidationError({"incident": "This incident is closed."})
    return incident


@transaction.atomic
def incident_acknowledge(*, incident: NonComplianceIncident, actor) -> NonComplianceIncident:
    """The partner tells the vendor it knows (RULES 7.1); late acknowledgements are recorded as late."""
    incident = _locked_incident(incident)
    if not access.can_manage_partner(actor, incident.partner):
        raise PermissionDenied("You cannot acknowledge this partner's incidents.")
    if incident.acknowledged_at:
        raise ValidationError({"incident": "This incident was already acknowledged."})
    incident.acknowledged_at, incident.acknowledged_by = clock.now(), actor
    incident.save(update_fields=["acknowledged_at", "acknowledged_by"])
    late = clock.today() > incident.acknowledge_by
    event_record(kind="incident-acknowledged", partner=incident.partner, actor=actor,
                 summary=f"Non-compliance of {incident.credential} acknowledged{' late' if late else ''}.",
                 dedupe_key=f"incident-acknowledged:{incident.pk}", payload={"incident": incident.pk, "late": late})
    return incident


@transaction.atomic
def incident_extend(*, incident: NonComplianceIncident, actor, until: date) -> NonComplianceIncident:
    """Staff or the account manager grant (or move) an extension to an acknowledged incident (RULES 7.2)."""
    incident = _locked_incident(incident)
    if not (access.is_vendor(actor) and access.can_manage_partner(actor, incident.partner)):
        raise PermissionDenied("Only program staff or the partner's account manager can grant an extension.")
    if incident.acknowledged_at is None:
        raise ValidationError({"until": "The partner has not acknowledged this incident; no extension can be granted."})
    if until <= clock.today():
        raise ValidationError({"until": "The extension must end after today."})
    incident.extension_end, incident.extended_by, incident.flagged_for_revocation_on = until, actor, None
    incident.save(update_fields=["extension_end", "extended_by", "flagged_for_revocation_on"])
    event, _ = event_record(
        kind="incident-extended", partner=incident.partner, actor=actor,
        summary=f"Extension for {incident.credential} granted until {until:%Y-%m-%d}.",
        dedupe_key=f"incident-extended:{incident.pk}:{until:%Y-%m-%d}", payload={"incident": incident.pk,
                                                                               "until": f"{until:%Y-%m-%d}"})
    admins, managers = _recipients([incident.partner_id])
    notice_queue(event=event, recipients=admins[incident.partner_id], cc=managers[incident.partner_id],
                 template="incident_extended", context={"incident": incident, "credential": str(incident.credential),
                                                        "incident_url": settings.SITE_URL + reverse(
                                                            "incident-detail", args=[incident.pk])})
    return incident


@transaction.atomic
def revocation_confirm(*, incident: NonComplianceIncident, actor, as_of: date | None = None) -> NonComplianceIncident:
    """Revoke a credential flagged for revocation (staff; or automatically with settings.AUTO_REVOKE)."""
    as_of = as_of or clock.today()
    incident = _locked_incident(incident)
    if actor is not None and not access.is_staff(actor):
        raise PermissionDenied("Only program staff can revoke a credential.")
    if incident.flagged_for_revocation_on is None:
        raise ValidationError({"incident": "This incident is not flagged for revocation."})
    credential = incident.content_type.model_class().objects.select_for_update().get(pk=incident.object_id)
    credential.status, credential.status_changed_on = rules.REVOKED, as_of
    credential.save(update_fields=["status", "status_changed_on"])
    incident.closed_on, incident.resolution = as_of, NonComplianceIncident.REVOKED
    incident.save(update_fields=["closed_on", "resolution"])
    event, _ = event_record(
        kind="credential-revoked", partner=incident.partner, actor=actor,
        summary=f"{credential} revoked after non-compliance{'' if actor else ' (automatic)'}.",
        dedupe_key=f"credential-revoked:{incident.pk}", payload={"incident": incident.pk,
                                                                 "credential": credential_ref(credential)})
    admins, managers = _recipients([incident.partner_id])
    notice_queue(event=event, recipients=admins[incident.partner_id], cc=managers[incident.partner_id],
                 template="credential_revoked", context={"incident": incident, "credential": str(credential)})
    return incident
