"""Writes for the event log and notice delivery.

Delivery guarantee (also in the README): at least once, with duplicates prevented by a claim.
A notice row is written in the same transaction as the change that causes it, so a notice exists
if and only if the change committed. After commit a task is queued; if the broker is down the row
just stays pending and the sweeper (every minute) queues it again. A worker claims a notice with a
conditional UPDATE (pending -> sending); only one worker can win. A worker that dies mid-send leaves
the row in `sending`; after settings.NOTICE_CLAIM_TIMEOUT (seconds) the sweeper returns it to pending. The one window
for a duplicate email is a worker dying after the mail server accepted the message and before the
row is marked sent.
"""
from __future__ import annotations

import hashlib
import json
import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string

from config import clock

from .models import Event, Notice

logger = logging.getLogger(__name__)

NOTICE_MAX_ATTEMPTS = 8


def claim_timeout() -> timedelta:
    """How long a claim (`sending`) may last before the sweeper hands the notice to another worker."""
    return timedelta(seconds=getattr(settings, "NOTICE_CLAIM_TIMEOUT", 600))


def event_record(*, kind: str, summary: str, dedupe_key: str, partner=None, payload=None, actor=None,
                 occurred_at=None) -> tuple[Event, bool]:
    """Record an event once. Returns (event, created); a repeated dedupe_key returns the first event."""
    with transaction.atomic():
        existing = Event.objects.filter(dedupe_key=dedupe_key).first()
        if existing:
            return existing, False
        try:
            with transaction.atomic():
                event = Event.objects.create(
                    kind=kind, summary=summary[:300], dedupe_key=dedupe_key, partner=partner,
                    payload=payload or {}, actor=actor if getattr(actor, "pk", None) else None,
                    occurred_at=occurred_at or clock.now(),
                )
        except Exception:
            # Another transaction recorded the same key concurrently.
            existing = Event.objects.filter(dedupe_key=dedupe_key).first()
            if existing is None:
                raise
            return existing, False
        return event, True


def events_record_many(events: list[Event]) -> list[Event]:
    """Record many unsaved events in one INSERT, skipping those whose dedupe_key already exists.

    Returns the events created (with pks). Should a concurrent writer record one of the same keys
    between the check and the insert, it falls back to event_record one by one, which settles races.
    """
    keys = [e.dedupe_key for e in events]
    existing = set()
    for start in range(0, len(keys), 5000):
        existing.update(Event.objects.filter(dedupe_key__in=keys[start:start + 5000]).values_list("dedupe_key", flat=True))
    fresh = list({e.dedupe_key: e for e in events if e.dedupe_key not in existing}.values())
    try:
        with transaction.atomic():
            return Event.objects.bulk_create(fresh, batch_size=2000)
    except IntegrityError:
        created = []
        for e in fresh:
            event, made = event_record(kind=e.kind, summary=e.summary, dedupe_key=e.dedupe_key, partner=e.partner,
                                       payload=e.payload, actor=e.actor, occurred_at=e.occurred_at)
            if made:
                created.append(event)
        return created


def _render(template: str, context: dict, event: Event) -> tuple[str, str, str]:
    context = {**context, "event": event, "site_url": settings.SITE_URL}
    subject = render_to_string(f"notices/{template}.subject.txt", context).strip()
    return (" ".join(subject.split())[:200], render_to_string(f"notices/{template}.txt", context),
            render_to_string(f"notices/{template}.html", context))


def notice_queue(*, event: Event, recipients, template: str, context: dict, cc=()) -> list[Notice]:
    """Render `notices/<template>.{subject,txt,html}` and queue one notice per recipient.

    Call inside the transaction of the change; delivery is queued after commit.
    """
    subject, text, html = _render(template, context, event)
    notices = []
    for recipient in dict.fromkeys(r for r in recipients if r):
        notice, created = Notice.objects.get_or_create(
            event=event, recipient=recipient,
            defaults={"subject": subject, "body_text": text, "body_html": html, "cc": [c for c in cc if c]},
        )
        if created:
            notices.append(notice)
    if notices:
        ids = [n.pk for n in notices]
        transaction.on_commit(lambda: _enqueue(ids))
    return notices


def notices_queue_many(items) -> list[Notice]:
    """Batch form of notice_queue for events just created by events_record_many (so no notice of
    theirs exists yet): `items` are (event, recipients, template, context, cc); one INSERT."""
    notices = []
    for event, recipients, template, context, cc in items:
        recipients = list(dict.fromkeys(r for r in recipients if r))
        if not recipients:
            continue
        subject, text, html = _render(template, context, event)
        cc = [c for c in dict.fromkeys(cc) if c and c not in recipients]
        notices += [Notice(event=event, recipient=r, subject=subject, body_text=text, body_html=html, cc=cc)
                    for r in recipients]
    notices = Notice.objects.bulk_create(notices, batch_size=2000)
    if notices:
        ids = [n.pk for n in notices]
        transaction.on_commit(lambda: _enqueue(ids))
    return notices


def _enqueue(ids) -> None:
    from .tasks import deliver_notice

    for pk in ids:
        try:
            deliver_notice.delay(pk)
        except Exception:  # broker down: the row stays pending and the sweeper sends it later
            logger.warning("Could not queue notice %s; the sweeper will retry", pk, exc_info=True)


def notice_deliver(*, notice_id: int) -> bool:
    """Claim and send one notice. Returns True if this call sent it."""
    now = clock.now()
    claimed = Notice.objects.filter(pk=notice_id, status=Notice.PENDING).update(
        status=Notice.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return False  # gone, already sent, cancelled, or another worker has it
    notice = Notice.objects.get(pk=notice_id)
    message = EmailMultiAlternatives(
        subject=notice.subject, body=notice.body_text, to=[notice.recipient], cc=notice.cc,
    )
    if notice.body_html:
        message.attach_alternative(notice.body_html, "text/html")
    try:
        message.send()
    except Exception as exc:
        status = Notice.FAILED if notice.attempts >= NOTICE_MAX_ATTEMPTS else Notice.PENDING
        Notice.objects.filter(pk=notice_id, claimed_at=now).update(status=status, last_error=str(exc)[:2000])
        raise
    # Still our claim (the sweeper may have returned a slow send to pending; nobody else has claimed it since).
    Notice.objects.filter(pk=notice_id, claimed_at=now, status__in=[Notice.SENDING, Notice.PENDING]).update(
        status=Notice.SENT, sent_at=clock.now())
    return True


def notices_sweep() -> list[int]:
    """Return stale claims to pending and list every pending notice id (to be queued again)."""
    stale = clock.now() - claim_timeout()
    Notice.objects.filter(status=Notice.SENDING, claimed_at__lt=stale).update(status=Notice.PENDING)
    return list(Notice.objects.filter(status=Notice.PENDING).values_list("pk", flat=True)[:5000])


def notices_cancel(*, events_q: Q) -> int:
    """Cancel pending notices of the matching events (e.g. reminders made moot by a renewal)."""
    return Notice.objects.filter(status=Notice.PENDING).filter(
        event__in=Event.objects.filter(events_q)
    ).update(status=Notice.CANCELLED)


def recompute_queue(*, partner_id: int) -> None:
    """Ask for this partner's compliance to be recomputed after the current transaction commits.

    Coalesced: while a request is pending, further calls add nothing and queue no further task.
    """
    from .models import PendingRecompute

    _, created = PendingRecompute.objects.get_or_create(partner_id=partner_id, defaults={"requested_at": clock.now()})
    if created:
        transaction.on_commit(lambda: _enqueue_recompute(partner_id))


def _enqueue_recompute(partner_id: int) -> None:
    from .tasks import recompute_partner

    try:
        recompute_partner.delay(partner_id)
    except Exception:  # broker down: the nightly recompute and the sweeper pick the row up
        logger.warning("Could not queue recompute of partner %s", partner_id, exc_info=True)


def recomputes_stale(*, older_than: timedelta = timedelta(minutes=2)) -> list[int]:
    """Partners whose recompute was asked for a while ago and has not started (e.g. the broker was down)."""
    from .models import PendingRecompute

    return list(PendingRecompute.objects.filter(requested_at__lt=clock.now() - older_than)
                .values_list("partner_id", flat=True)[:5000])


def recompute_claim(*, partner_id: int) -> bool:
    """Take the pending request (if any). A later change re-creates it and queues a new task."""
    from .models import PendingRecompute

    return PendingRecompute.objects.filter(partner_id=partner_id).delete()[0] > 0


# --- Certifications (issue 4) ----------------------------------------------------------------------


@transaction.atomic
def certification_grant(*, partner, territory, tier, on, anniversary=None, actor=None):
    """Certify a partner at `tier` in a territory from `on` (a new holding, or a change of tier).

    Keeps the history (CertificationChange) that decides "new" partners and Premier-to-Gold moves.
    """
    from django.core.exceptions import ValidationError

    from .models import CertificationChange, CredentialStatus, PartnerCertification
    from .rules import add_months

    if not partner.is_registered:
        raise ValidationError({"partner": "The partner must be a Registered Partner first."})
    cert = PartnerCertification.objects.select_for_update().filter(partner=partner, territory=territory).first()
    active = cert is not None and cert.status in (CredentialStatus.APPROVED, CredentialStatus.RECERT)
    if cert is None:
        cert = PartnerCertification(partner=partner, territory=territory)
    elif active and cert.tier_id == tier.pk:
        raise ValidationError({"tier": f"The partner already holds {tier} in {territory}."})
    elif not active:
        last = cert.changes.order_by("-changed_on", "-id").first()
        if last is None or last.to_tier_id is not None:
            CertificationChange.objects.create(certification=cert, from_tier=cert.tier, to_tier=None,
                                               changed_on=cert.status_changed_on or on)
    from_tier = cert.tier if (cert.pk and active) else None
    if not active:
        cert.certified_on = on
        cert.anniversary = anniversary or add_months(on, 12)
        cert.last_renewed_on = None
    elif anniversary:
        cert.anniversary = anniversary
    cert.tier, cert.tier_since = tier, on
    cert.status, cert.status_changed_on = CredentialStatus.APPROVED, on
    cert.save()
    CertificationChange.objects.create(certification=cert, from_tier=from_tier, to_tier=tier, changed_on=on)
    summary = (f"{from_tier} moved to {tier} in {territory} on {on}" if from_tier
               else f"Certified {tier} in {territory} from {on}")
    event_record(kind="certification.granted", summary=summary, partner=partner, actor=actor,
                 dedupe_key=f"certification:{cert.pk}:{tier.pk}:{on.isoformat()}",
                 payload={"certification": cert.pk, "tier": tier.name, "on": on.isoformat()})
    recompute_queue(partner_id=partner.pk)
    return cert


@transaction.atomic
def certification_end(*, certification, on, status, actor=None):
    """The certification is lost (lapsed or revoked) from `on`; the history records it."""
    from .models import CertificationChange, CredentialStatus

    certification.status, certification.status_changed_on = status, on
    certification.save(update_fields=["status", "status_changed_on"])
    CertificationChange.objects.create(certification=certification, from_tier=certification.tier, to_tier=None,
                                       changed_on=on)
    event_record(kind=f"certification.{status}", partner=certification.partner, actor=actor,
                 summary=f"{certification.tier} in {certification.territory} {CredentialStatus(status).label.lower()} on {on}",
                 dedupe_key=f"certification-end:{certification.pk}:{on.isoformat()}")
    recompute_queue(partner_id=certification.partner_id)
    return certification


# --- Hybrid IT services and support records ------------------------------------------------------------

RECORD_FIELDS = {
    "HybridITService": ["name", "kind", "provider_contract", "customer_sla", "description", "lifecycle_process",
                        "withdrawn_on"],
    "SupportAgreement": ["kind", "reference", "starts_on", "ends_on"],
    "SupportCapability": ["code", "description", "since", "until"],
}


def _partner_territory_check(partner, territory):
    from django.core.exceptions import ValidationError

    if territory is not None and not partner.territories.filter(pk=territory.pk).exists():
        raise ValidationError({"territory": f"{partner} does not operate in {territory}."})


@transaction.atomic
def partner_record_save(*, model, partner, actor=None, instance=None, **fields):
    """Create or change a Hybrid IT service, support agreement or support capability. A change clears the
    staff verification: changed evidence is verified again."""
    from django.core.exceptions import ValidationError

    allowed = set(RECORD_FIELDS[model.__name__]) | {"territory"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError({name: "Unknown field." for name in unknown})
    obj = instance or model(partner=partner)
    for name, value in fields.items():
        setattr(obj, name, value)
    _partner_territory_check(partner, getattr(obj, "territory", None) if obj.territory_id else None)
    obj.verified_on, obj.verified_by = None, None
    obj.full_clean()
    obj.save()
    noun = model._meta.verbose_name
    event_record(kind=f"{model._meta.model_name}.saved", partner=partner, actor=actor,
                 summary=f"{noun[0].upper()}{noun[1:]} “{obj}” {'changed' if instance else 'recorded'} for {obj.territory}",
                 dedupe_key=f"{model._meta.model_name}:{obj.pk}:saved:{clock.now().isoformat()}")
    recompute_queue(partner_id=partner.pk)
    return obj


@transaction.atomic
def partner_record_verify(*, obj, actor, on=None):
    """Program staff confirm a recorded service, agreement or capability."""
    from django.core.exceptions import ValidationError

    from partners.access import is_staff

    if not is_staff(actor):
        raise ValidationError({"verified_on": "Only program staff can verify."})
    obj.verified_on, obj.verified_by = on or clock.today(), actor
    obj.save(update_fields=["verified_on", "verified_by"])
    event_record(kind=f"{obj._meta.model_name}.verified", partner=obj.partner, actor=actor,
                 summary=f"{obj._meta.verbose_name[0].upper()}{obj._meta.verbose_name[1:]} “{obj}” verified",
                 dedupe_key=f"{obj._meta.model_name}:{obj.pk}:verified:{clock.now().isoformat()}")
    recompute_queue(partner_id=obj.partner_id)
    return obj


@transaction.atomic
def partner_record_delete(*, obj, actor=None):
    partner_id, text = obj.partner_id, str(obj)
    obj.delete()
    event_record(kind=f"{obj._meta.model_name}.deleted", partner=obj.partner, actor=actor,
                 summary=f"{obj._meta.verbose_name[0].upper()}{obj._meta.verbose_name[1:]} “{text}” removed",
                 dedupe_key=f"{obj._meta.model_name}:{partner_id}:{text[:60]}:deleted:{clock.now().isoformat()}")
    recompute_queue(partner_id=partner_id)


# --- The recompute ---------------------------------------------------------------------------------------


def verdicts_recompute(*, partner_ids, as_of) -> int:
    """Recompute and store the verdicts of these partners' credentials (None: every partner) as of a date.

    Constant queries plus the writes: credentials, facts and stored verdicts are read set-wise, the rules
    decide, then new or changed verdicts (by digest) are upserted in bulk; `as_of` on a stored verdict is the
    recompute that last changed it. Every change of compliance status is kept
    (VerdictChange) with an event on the partner's timeline. Returns the number of verdicts stored.
    """
    from learning.ce_selectors import partner_specializations_at_risk
    from specializations.models import PartnerSpecialization

    from .models import CredentialStatus, CredentialVerdict, PartnerCertification, VerdictChange
    from .selectors import credential_verdicts, key_of, policy_book

    def scoped(qs):
        return qs if partner_ids is None else qs.filter(partner_id__in=list(partner_ids))

    certs = list(scoped(PartnerCertification.objects.all()))
    specs = list(scoped(PartnerSpecialization.objects.all()))
    credentials = certs + specs
    if not credentials:
        return 0
    verdicts = credential_verdicts(credentials=credentials, as_of=as_of)
    horizon = policy_book().value("compliance.at_risk_days", as_of)
    # A specialization whose roles a lapsing individual certification would leave unfilled is at risk too.
    roles_short = partner_specializations_at_risk(partner_ids=partner_ids, as_of=as_of)
    stored = {(t, pk): (day, digest) for t, pk, day, digest in scoped(CredentialVerdict.objects.all()).values_list(
        "credential_type", "credential_id", "as_of", "digest")}
    previous = {}
    for label, pk, compliant in scoped(VerdictChange.objects.filter(as_of__lte=as_of)).order_by("as_of").values_list(
            "credential_type", "credential_id", "compliant"):
        previous[(label, pk)] = compliant
    now = clock.now()
    active = {CredentialStatus.APPROVED, CredentialStatus.RECERT}
    rows, changes, events = [], [], []
    for cred in credentials:
        key = key_of(cred)
        v = verdicts[key]
        fields = {
            "partner_id": cred.partner_id, "territory_id": cred.territory_id, "name": v.facts.get("name", "")[:120],
            "tier": v.facts.get("tier", ""), "status": cred.status, "anniversary": cred.anniversary,
            "compliant": v.compliant, "at_risk": cred.status in active and (
                v.at_risk(horizon_days=horizon) or (isinstance(cred, PartnerSpecialization) and cred.pk in roles_short)),
            "points": v.facts.get("points") or "", "csat_count": v.facts.get("csat_count"),
            "csat_required": v.facts.get("csat_required"), "requirement_set": v.requirement_set[:100],
            "requirements": v.requirements_json(),
        }
        fields["digest"] = hashlib.sha256(json.dumps(fields, sort_keys=True, default=str).encode()).hexdigest()
        fields.update(as_of=as_of, computed_at=now)
        stored_as_of, stored_digest = stored.get(key, (as_of, ""))
        # Write only what changed, and never overwrite a later verdict with an earlier recompute.
        if stored_digest != fields["digest"] and stored_as_of <= as_of:
            rows.append(CredentialVerdict(credential_type=key[0], credential_id=key[1], **fields))
        if cred.status in active and previous.get(key) is not v.compliant:
            changes.append(VerdictChange(credential_type=key[0], credential_id=key[1], partner_id=cred.partner_id,
                                         name=fields["name"], as_of=as_of, compliant=v.compliant,
                                         requirement_set=fields["requirement_set"],
                                         requirements=fields["requirements"], recorded_at=now))
            state = "compliant" if v.compliant else "not compliant: " + "; ".join(r.label for r in v.unmet)
            events.append(Event(
                partner_id=cred.partner_id, kind="compliance.verdict_changed", occurred_at=now,
                summary=f"{fields['name']} is {state} as of {as_of.isoformat()}"[:300],
                payload={"credential": list(key), "compliant": v.compliant, "as_of": as_of.isoformat()},
                dedupe_key=f"verdict:{key[0]}:{key[1]}:{as_of.isoformat()}:{int(v.compliant)}"))
    update_fields = [f.removesuffix("_id") for f in fields]
    with transaction.atomic():
        CredentialVerdict.objects.bulk_create(  # one upsert (INSERT ... ON CONFLICT DO UPDATE) per batch
            rows, batch_size=1000, update_conflicts=True, unique_fields=["credential_type", "credential_id"],
            update_fields=update_fields)
        VerdictChange.objects.bulk_create(
            changes, batch_size=1000, update_conflicts=True,
            unique_fields=["credential_type", "credential_id", "as_of"],
            update_fields=["compliant", "requirement_set", "requirements", "recorded_at"])
        events_record_many(events)
    return len(credentials)
