"""Notices: emails rendered from templates and delivered from the event log.

Delivery guarantee (also in the README): at least once, with duplicates prevented by a claim.
A notice row is written in the same transaction as the change that causes it, so a notice exists
if and only if the change committed. After commit a task is queued; if the broker is down the row
just stays pending and the sweeper (every minute) queues it again. A worker claims a notice with a
conditional UPDATE (pending -> sending); only one worker can win. A worker that dies mid-send leaves
the row in `sending`; after settings.NOTICE_CLAIM_TIMEOUT (seconds) the sweeper returns it to pending.
The one window for a duplicate email is a worker dying after the mail server accepted the message
and before the row is marked sent; that mark is its own durable transaction committed as soon as the send
returns, so the window is one UPDATE long.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from celery import current_app
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template import Context, Engine
from django.template.loader import render_to_string

from . import clock
from .models import Event, Notice

logger = logging.getLogger(__name__)

# Tasks are called by name (core/tasks.py; config/apps.py imports every tasks module at start-up), so this
# module needs no import of the tasks that import it. The names are kept for messages already queued.
DELIVER_TASK = "compliance.deliver_notice"
NOTICE_MAX_ATTEMPTS = 8


def claim_timeout() -> timedelta:
    """How long a claim (`sending`) may last before the sweeper hands the notice to another worker."""
    return timedelta(seconds=getattr(settings, "NOTICE_CLAIM_TIMEOUT", 600))


def _render_text(name: str, context: dict[str, Any]) -> str:
    """A plain-text template (subject, text body) rendered with autoescape off: `<` stays `<`, not `&lt;`.
    The engine's autoescape is for HTML; here it is turned off per render, so no template has to remember
    `{% autoescape off %}`."""
    return Engine.get_default().get_template(name).render(Context(context, autoescape=False))


def _render(template: str, context: dict[str, Any], event: Event) -> tuple[str, str, str]:
    context = {**context, "event": event, "site_url": settings.SITE_URL}
    subject = _render_text(f"notices/{template}.subject.txt", context).strip()
    return (
        " ".join(subject.split())[:200],
        _render_text(f"notices/{template}.txt", context),
        render_to_string(f"notices/{template}.html", context),  # HTML: escaped
    )


def notice_queue(
    *, event: Event, recipients: Iterable[str | None], template: str, context: dict[str, Any], cc: Iterable[str] = ()
) -> list[Notice]:
    """Render `notices/<template>.{subject,txt,html}` and queue one notice per recipient.

    Call inside the transaction of the change; delivery is queued after commit.
    """
    subject, text, html = _render(template, context, event)
    notices = []
    for recipient in dict.fromkeys(r for r in recipients if r):
        notice, created = Notice.objects.get_or_create(
            event=event,
            recipient=recipient,
            defaults={"subject": subject, "body_text": text, "body_html": html, "cc": [c for c in cc if c]},
        )
        if created:
            notices.append(notice)
    if notices:
        ids = [n.pk for n in notices]
        transaction.on_commit(lambda: _enqueue(ids))
    return notices


def notices_queue_many(
    items: Iterable[tuple[Event, Iterable[str | None], str, dict[str, Any], Iterable[str]]],
) -> list[Notice]:
    """Batch form of notice_queue for events just created by events_record_many (so no notice of
    theirs exists yet): `items` are (event, recipients, template, context, cc); one INSERT."""
    notices = []
    for event, wanted, template, context, copied in items:
        recipients = list(dict.fromkeys(r for r in wanted if r))
        if not recipients:
            continue
        subject, text, html = _render(template, context, event)
        cc = [c for c in dict.fromkeys(copied) if c and c not in recipients]
        notices += [
            Notice(event=event, recipient=r, subject=subject, body_text=text, body_html=html, cc=cc) for r in recipients
        ]
    notices = Notice.objects.bulk_create(notices, batch_size=2000)
    if notices:
        ids = [n.pk for n in notices]
        transaction.on_commit(lambda: _enqueue(ids))
    return notices


def _enqueue(ids: Iterable[int]) -> None:
    for pk in ids:
        try:
            current_app.tasks[DELIVER_TASK].delay(pk)
        except Exception:  # broker down: the row stays pending and the sweeper sends it later
            logger.warning("Could not queue notice %s; the sweeper will retry", pk, exc_info=True)


def notice_deliver(*, notice_id: int) -> bool:
    """Claim and send one notice. Returns True if this call sent it."""
    now = clock.now()
    # Each write below is its own short, durable transaction: committed as soon as it returns, never part of a
    # caller's transaction (durable=True raises RuntimeError inside one), so the claim is visible to other workers
    # before the send, and "sent" is committed right after the mail server accepted the message.
    with transaction.atomic(durable=True):
        claimed = Notice.objects.filter(pk=notice_id, status=Notice.PENDING).update(
            status=Notice.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    if not claimed:
        return False  # gone, already sent, cancelled, or another worker has it
    notice = Notice.objects.get(pk=notice_id)
    message = EmailMultiAlternatives(
        subject=notice.subject,
        body=notice.body_text,
        to=[notice.recipient],
        cc=notice.cc,
    )
    if notice.body_html:
        message.attach_alternative(notice.body_html, "text/html")
    try:
        message.send()
    except Exception as exc:
        status = Notice.FAILED if notice.attempts >= NOTICE_MAX_ATTEMPTS else Notice.PENDING
        with transaction.atomic(durable=True):
            Notice.objects.filter(pk=notice_id, claimed_at=now).update(status=status, last_error=str(exc)[:2000])
        raise
    # Still our claim (the sweeper may have returned a slow send to pending; nobody else has claimed it since).
    with transaction.atomic(durable=True):
        Notice.objects.filter(pk=notice_id, claimed_at=now, status__in=[Notice.SENDING, Notice.PENDING]).update(
            status=Notice.SENT, sent_at=clock.now()
        )
    return True


def notices_sweep() -> list[int]:
    """Return stale claims to pending and list every pending notice id (to be queued again)."""
    stale = clock.now() - claim_timeout()
    Notice.objects.filter(status=Notice.SENDING, claimed_at__lt=stale).update(status=Notice.PENDING)
    return list(Notice.objects.filter(status=Notice.PENDING).values_list("pk", flat=True)[:5000])


def notices_cancel(*, events_q: Q) -> int:
    """Cancel pending notices of the matching events (e.g. reminders made moot by a renewal)."""
    return (
        Notice.objects.filter(status=Notice.PENDING)
        .filter(event__in=Event.objects.filter(events_q))
        .update(status=Notice.CANCELLED)
    )
