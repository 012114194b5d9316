"""Renewal applications: submit, approve, reject."""

from __future__ import annotations

import logging
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from core import clock
from core.events import event_record
from core.models import CredentialBase
from core.notices import notice_queue, notices_cancel
from partners import access

from .. import credentials as registry
from .. import rules
from ..credentials import (
    credential_facts,
    credential_key,
    credential_ref,
    live_renewal,
    policy_in_force,
    unmet_list,
    verdict_snapshot,
)
from ..models import RenewalApplication
from .common import credential_context, recipients, set_status, staff_emails

logger = logging.getLogger(__name__)


@transaction.atomic
def renewal_submit(*, credential: CredentialBase, actor: access.Actor, as_of: date | None = None) -> RenewalApplication:
    """Submit a renewal in the window; refused (listing what is unmet) unless every requirement is met."""
    as_of = as_of or clock.today()
    access.require(actor, "renewal.submit", partner=credential.partner)
    credential = type(credential)._default_manager.select_for_update().get(pk=credential.pk)
    policy = policy_in_force(as_of)
    blockers = rules.submission_blockers(
        credential_facts(credential, has_live_renewal=live_renewal(credential) is not None), policy, as_of
    )
    if blockers:
        raise ValidationError({"credential": blockers})
    verdict = registry.verdicts_for(credentials=[credential], as_of=as_of, for_renewal=True).get(
        credential_key(credential)
    )
    if verdict is None or not verdict.compliant:
        unmet = [f"{u['label']}: {u['missing']}" for u in unmet_list(verdict)] or [
            "The requirements could not be evaluated; try again later."
        ]
        raise ValidationError({"requirements": ["Not every requirement is met yet."] + unmet})
    application = RenewalApplication.objects.create(
        partner=credential.partner,
        content_type=ContentType.objects.get_for_model(credential),
        object_id=credential.pk,
        cycle_anniversary=credential.anniversary,
        submitted_by=access.person(actor),
        submitted_at=clock.now(),
        submitted_on=as_of,
        verdict=verdict_snapshot(verdict),
    )
    event, _ = event_record(
        kind="renewal.submitted",
        partner=credential.partner,
        actor=actor,
        summary=f"Renewal of {credential.title} for the anniversary on {credential.anniversary:%Y-%m-%d} submitted",
        payload={"application": application.pk, "credential": credential_ref(credential)},
    )
    managers = list(credential.partner.account_managers.exclude(email="").values_list("email", flat=True))
    notice_queue(
        event=event,
        recipients=managers or staff_emails(),
        template="renewal_submitted",
        context={**credential_context(credential, policy), "application": application},
    )
    return application


def _check_decider(actor: access.Actor, application: RenewalApplication) -> None:
    access.require(actor, "renewal.decide", partner=application.partner)
    if application.status != RenewalApplication.SUBMITTED:
        raise ValidationError({"status": f"This application was already {application.get_status_display().lower()}."})


def _locked_credential(application: RenewalApplication) -> CredentialBase:
    model = application.content_type.model_class()
    assert model is not None and issubclass(model, CredentialBase)  # an application is about a credential
    return model._default_manager.select_for_update().get(pk=application.object_id)


@transaction.atomic
def renewal_approve(
    *, application: RenewalApplication, actor: access.Actor, note: str = "", as_of: date | None = None
) -> RenewalApplication:
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
    dates = rules.renewed_dates(
        status=rules.LAPSED if late else credential.status,
        anniversary=old,
        renewal_date=application.submitted_on,
        approved_on=as_of,
    )
    for field, value in dates.items():
        setattr(credential, field, value)
    credential.save(update_fields=[*dates])
    set_status([credential], rules.APPROVED, as_of)
    application.status, application.decided_at = RenewalApplication.APPROVED, clock.now()
    application.decided_by = access.person(actor)
    application.decision_note = note
    application.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    ref = credential_ref(credential)
    notices_cancel(
        events_q=Q(dedupe_key__startswith=f"renewal-reminder:{ref}:{old:%Y-%m-%d}:")
        | Q(dedupe_key=f"renewal-recert:{ref}:{old:%Y-%m-%d}")
    )
    event, _ = event_record(
        kind="renewal.approved",
        partner=application.partner,
        actor=actor,
        summary=f"Renewal of {credential.title} approved; the next anniversary is {credential.anniversary:%Y-%m-%d}",
        dedupe_key=f"renewal-approved:{application.pk}",
        payload={
            "application": application.pk,
            "credential": ref,
            "previous_anniversary": f"{old:%Y-%m-%d}",
            "anniversary": f"{credential.anniversary:%Y-%m-%d}",
        },
    )
    admins, managers = recipients([application.partner_id])
    notice_queue(
        event=event,
        recipients=admins[application.partner_id],
        cc=managers[application.partner_id],
        template="renewal_approved",
        context={**credential_context(credential, policy), "note": note},
    )
    return application


@transaction.atomic
def renewal_reject(*, application: RenewalApplication, actor: access.Actor, note: str) -> RenewalApplication:
    application = RenewalApplication.objects.select_for_update().get(pk=application.pk)
    _check_decider(actor, application)
    if not note.strip():
        raise ValidationError({"note": "Say why the renewal is rejected."})
    credential = application.credential
    assert credential is not None  # an application is about a credential
    application.status, application.decided_at = RenewalApplication.REJECTED, clock.now()
    application.decided_by = access.person(actor)
    application.decision_note = note
    application.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    event, _ = event_record(
        kind="renewal.rejected",
        partner=application.partner,
        actor=actor,
        summary=f"Renewal of {credential.title} rejected: {note}",
        dedupe_key=f"renewal-rejected:{application.pk}",
        payload={"application": application.pk, "credential": credential_ref(credential)},
    )
    admins, managers = recipients([application.partner_id])
    policy = policy_in_force(clock.today())
    notice_queue(
        event=event,
        recipients=admins[application.partner_id],
        cc=managers[application.partner_id],
        template="renewal_rejected",
        context={**credential_context(credential, policy), "note": note},
    )
    return application
