"""The recompute queue: a change to a partner's facts asks for its compliance to be recomputed.

The recompute itself belongs to `compliance` (task `compliance.recompute_partner`); core only keeps
the queue, so every app can ask without importing compliance.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta

from celery import current_app
from django.db import transaction

from . import clock
from .models import PendingRecompute

logger = logging.getLogger(__name__)

RECOMPUTE_TASK = "renewals.recompute_partner"  # renewals/tasks.py: recompute, then incidents


def recompute_queue(*, partner_id: int) -> None:
    """Ask for this partner's compliance to be recomputed after the current transaction commits.

    Coalesced: while a request is pending, further calls add nothing and queue no further task.
    """
    _, created = PendingRecompute.objects.get_or_create(partner_id=partner_id, defaults={"requested_at": clock.now()})
    if created:
        transaction.on_commit(lambda: recompute_enqueue(partner_id))


def recompute_enqueue(partner_id: int) -> None:
    try:
        current_app.tasks[RECOMPUTE_TASK].delay(partner_id)
    except Exception:  # broker down: the nightly recompute and the sweeper pick the row up
        logger.warning("Could not queue recompute of partner %s", partner_id, exc_info=True)


def recomputes_stale(*, older_than: timedelta = timedelta(minutes=2)) -> list[int]:
    """Partners whose recompute was asked for a while ago and has not started (e.g. the broker was down)."""
    return list(
        PendingRecompute.objects.filter(requested_at__lt=clock.now() - older_than).values_list("partner_id", flat=True)[
            :5000
        ]
    )


def recompute_claim(*, partner_id: int) -> bool:
    """Take the pending request (if any). A later change re-creates it and queues a new task."""
    return PendingRecompute.objects.filter(partner_id=partner_id).delete()[0] > 0


def recomputes_claim_all(*, partner_range: tuple[int, int] | None = None, keep: bool = False) -> set[int]:
    """Take every pending request (of the partners with lo <= id < hi): the nightly recompute covers them.

    `keep`: only read them (a replay of an earlier day leaves them for the run of today).
    """
    qs = PendingRecompute.objects.all()
    if partner_range is not None:
        qs = qs.filter(partner_id__gte=partner_range[0], partner_id__lt=partner_range[1])
    ids = set(qs.values_list("partner_id", flat=True))
    if ids and not keep:
        PendingRecompute.objects.filter(partner_id__in=ids).delete()
    return ids


def recomputes_requeue(partner_ids: set[int]) -> None:
    """Put claimed requests back (the recompute that took them failed); the sweeper queues their tasks."""
    recompute_queue_many(partner_ids=partner_ids)


def recompute_queue_many(*, partner_ids: Iterable[int]) -> None:
    """`recompute_queue` for many partners in one INSERT (a batch job's changes); their tasks are queued by the
    sweeper (`recomputes_stale`) rather than one by one here."""
    now = clock.now()
    PendingRecompute.objects.bulk_create(
        [PendingRecompute(partner_id=pk, requested_at=now) for pk in sorted(set(partner_ids))],
        batch_size=2000,
        ignore_conflicts=True,
    )
