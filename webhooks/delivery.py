"""Webhook delivery from the event log, for the jobs (no actor).

Guarantee: at least once per (endpoint, event), with the same `webhook-id` on every attempt, so the receiver can
deduplicate. Nothing is queued when an event is written: `fanout` reads the event log from a cursor (in the beat
sweep, every few seconds) and writes one Delivery row per endpoint that wants the event (a unique key makes it
once); so an event written while Redis is down goes out when the sweep runs again. `deliveries_due` queues the
deliveries whose time has come; `delivery_attempt` claims one with a conditional UPDATE (pending -> sending), so
only one worker sends it. A worker that dies mid-send leaves it `sending`: after WEBHOOKS_CLAIM_TIMEOUT the sweep
returns it to pending and it is sent again. Failures wait per rules.BACKOFF_SECONDS; an endpoint failing for
rules.DISABLE_AFTER is disabled and its owner gets a notice.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Iterable
from datetime import datetime, timedelta

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import F, Max, Min, Q

from core import clock
from core import selectors as core_selectors
from core.events import event_record
from core.notices import notice_queue
from partners import access

from . import payloads, rules, signing, transport
from .models import Attempt, Delivery, Endpoint, FanoutCursor

logger = logging.getLogger(__name__)

DELIVER_TASK = "webhooks.deliver"  # webhooks/tasks.py; called by name so this module needs no import of it
CURSOR = "events"


def claim_timeout() -> timedelta:
    return timedelta(seconds=settings.WEBHOOKS_CLAIM_TIMEOUT)


def endpoint_secrets(endpoint: Endpoint, now: datetime) -> list[str]:
    """The secrets that sign a message now: the current one, and the previous one while it still verifies."""
    found = [signing.decrypt(endpoint.secret_encrypted)]
    expires = endpoint.previous_secret_expires_at
    if endpoint.previous_secret_encrypted and expires and expires > now:
        found.append(signing.decrypt(endpoint.previous_secret_encrypted))
    return found


def _receiving() -> list[Endpoint]:
    """Enabled endpoints whose owner may still have them: a partner admin who left her partner (or lost the role)
    does not receive its events any more."""
    found = []
    for endpoint in Endpoint.objects.filter(enabled=True).select_related("owner__profile", "partner"):
        owner = endpoint.owner  # None: set up by the system (access.SYSTEM), which has staff rights
        if owner is None or (owner.is_active and access.can(owner, "webhook.manage", partner=endpoint.partner)):
            found.append(endpoint)
    return found


def _cursor() -> FanoutCursor:
    """The cursor, locked; the first time, it starts where the oldest endpoint starts (no history is fanned out)."""
    start = Endpoint.objects.aggregate(first=Min("after_event_id"))["first"]
    if start is None:
        start = core_selectors.events().aggregate(last=Max("pk"))["last"] or 0
    FanoutCursor.objects.get_or_create(name=CURSOR, defaults={"last_event_id": start})
    return FanoutCursor.objects.select_for_update().get(name=CURSOR)


def fanout(*, batch: int = 5000) -> int:
    """Write the deliveries of the events recorded since the last run (in id order; an id skipped because its
    transaction had not committed yet is looked for again until rules.HOLE_TIMEOUT). Returns how many."""
    now = clock.now()
    with transaction.atomic():
        cursor = _cursor()
        last = cursor.last_event_id
        holes = {int(pk): datetime.fromisoformat(at) for pk, at in cursor.holes.items()}
        rows = list(
            core_selectors.events()
            .filter(Q(pk__gt=last) | Q(pk__in=list(holes)))
            .order_by("pk")
            .values_list("pk", "kind", "partner_id")[:batch]
        )
        seen = {pk for pk, _, _ in rows}
        top = max((pk for pk in seen if pk > last), default=last)
        holes.update({pk: now for pk in range(last + 1, top) if pk not in seen})
        cursor.holes = {
            str(pk): at.isoformat() for pk, at in holes.items() if pk not in seen and at > now - rules.HOLE_TIMEOUT
        }
        cursor.last_event_id = top
        cursor.save()
        endpoints = _receiving() if rows else []
        made = [
            Delivery(endpoint=e, event_id=pk, kind=kind, next_attempt_at=now, created_at=now)
            for pk, kind, partner_id in rows
            for e in endpoints
            if pk > e.after_event_id and e.partner_id in (None, partner_id) and e.wants(kind)
        ]
        Delivery.objects.bulk_create(made, batch_size=2000, ignore_conflicts=True)
    return len(made)


def deliveries_due(*, limit: int = 5000) -> list[int]:
    """Return stale claims to pending, then list the deliveries due now that have no task queued (marking them
    queued). A task queued long ago (rules.REQUEUE_AFTER: the broker lost it) is queued again; a backlog shorter
    than that is not queued twice."""
    now = clock.now()
    stale = now - claim_timeout()
    Delivery.objects.filter(status=Delivery.SENDING, claimed_at__lt=stale).update(
        status=Delivery.PENDING, queued_at=None
    )
    due = Delivery.objects.filter(status=Delivery.PENDING, next_attempt_at__lte=now, endpoint__enabled=True).filter(
        Q(queued_at__isnull=True) | Q(queued_at__lt=now - rules.REQUEUE_AFTER)
    )
    ids = list(due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit])
    Delivery.objects.filter(pk__in=ids).update(queued_at=now)
    return ids


def enqueue(ids: Iterable[int]) -> list[int]:
    """Queue a delivery task per id; those the broker refused are left to the next sweep. Returns the refused."""
    refused = []
    for pk in ids:
        try:
            current_app.tasks[DELIVER_TASK].delay(pk)
        except Exception:  # broker down: the row stays pending and the sweep queues it again
            logger.warning("Could not queue webhook delivery %s; the sweep will retry", pk, exc_info=True)
            refused.append(pk)
    if refused:
        Delivery.objects.filter(pk__in=refused).update(queued_at=None)
    return refused


def delivery_attempt(*, delivery_id: int) -> bool:
    """Claim and send one delivery. Returns True if this call delivered it (a 2xx answer)."""
    claimed_at = clock.now()
    # Durable: the claim is committed (visible to other workers) before the request, the outcome right after it.
    # The conditions on the row itself stay in the UPDATE's own WHERE (no join, which Django would turn into
    # `id IN (SELECT ...)`): PostgreSQL re-checks those against the row a concurrent claim has just committed, not a
    # subquery's, so two workers never both win.
    enabled = Endpoint.objects.filter(enabled=True).values("pk")
    with transaction.atomic(durable=True):
        claimed = Delivery.objects.filter(
            pk=delivery_id, status=Delivery.PENDING, next_attempt_at__lte=claimed_at, endpoint_id__in=enabled
        ).update(status=Delivery.SENDING, claimed_at=claimed_at, attempts=F("attempts") + 1)
    if not claimed:
        return False  # gone, delivered, not due, endpoint disabled, or another worker has it
    delivery = Delivery.objects.select_related("endpoint", "event").get(pk=delivery_id)
    endpoint = delivery.endpoint
    body = delivery.body or payloads.event_body(delivery.event)  # type: ignore[arg-type]
    sent_at = clock.now()
    headers = {
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": signing.signature(
            endpoint_secrets(endpoint, sent_at), message_id=delivery.message_id, timestamp=sent_at, body=body
        ),
        "content-type": "application/json",
        "user-agent": "PartnerPortal-Webhooks/1.0",
    }
    answer = transport.post(endpoint.url, body=body.encode(), headers=headers)
    ok = rules.answer_succeeded(answer.status_code)
    _record(delivery, answer, ok, claimed_at=claimed_at, sent_at=sent_at)
    return ok


def _record(delivery: Delivery, answer: transport.Answer, ok: bool, *, claimed_at: datetime, sent_at: datetime) -> None:
    now = clock.now()
    endpoint = delivery.endpoint
    with transaction.atomic(durable=True):
        Attempt.objects.create(
            delivery=delivery,
            attempted_at=sent_at,
            status_code=answer.status_code,
            duration_ms=answer.duration_ms,
            response=answer.body[: rules.RESPONSE_KEPT_BYTES],
            error=answer.error[:300],
            succeeded=ok,
        )
        # Still this call's claim (the sweep may have returned a slow send to pending; nobody has claimed it since).
        mine = Delivery.objects.filter(
            pk=delivery.pk, claimed_at=claimed_at, status__in=[Delivery.SENDING, Delivery.PENDING]
        )
        if ok:
            mine.update(status=Delivery.DELIVERED, delivered_at=now)
            if endpoint.failing_since is not None:
                Endpoint.objects.filter(pk=endpoint.pk).update(failing_since=None)
            return
        delay = rules.retry_delay(delivery.attempts, random.random())
        if delay is None:
            mine.update(status=Delivery.FAILED)
        else:
            mine.update(status=Delivery.PENDING, next_attempt_at=now + delay, queued_at=None)
        if endpoint.failing_since is None:
            Endpoint.objects.filter(pk=endpoint.pk, failing_since__isnull=True).update(failing_since=now)
            endpoint.refresh_from_db(fields=["failing_since", "enabled"])
        if endpoint.enabled and rules.should_disable(endpoint.failing_since, now):
            _disable(endpoint)


def _disable(endpoint: Endpoint) -> None:
    """Disable an endpoint that keeps failing, record it and tell its owner (a notice, sent after commit)."""
    since = endpoint.failing_since
    reason = f"Every delivery failed since {since:%Y-%m-%d %H:%M} UTC" if since else "Deliveries kept failing"
    if not Endpoint.objects.filter(pk=endpoint.pk, enabled=True).update(enabled=False, disabled_reason=reason):
        return
    endpoint.enabled, endpoint.disabled_reason = False, reason
    event, _ = event_record(
        kind="webhook.endpoint_disabled",
        summary=f"Webhook endpoint {endpoint.url} disabled: {reason}",
        partner_id=endpoint.partner_id,
        payload={"endpoint": endpoint.pk},
    )
    owner = endpoint.owner
    notice_queue(
        event=event,
        recipients=[owner.email if owner else None],
        template="webhook_endpoint_disabled",
        context={"endpoint": endpoint, "reason": reason, "url": f"{settings.SITE_URL}/webhooks/{endpoint.pk}/"},
    )
