"""Thin tasks for notice delivery and the recompute queue's sweeper."""

from __future__ import annotations

from celery import current_app, shared_task

from . import notices, recompute


@shared_task(
    name=notices.DELIVER_TASK,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=8,
)
def deliver_notice(notice_id: int) -> bool:
    """Idempotent: the claim in notice_deliver makes a second run a no-op."""
    return notices.notice_deliver(notice_id=notice_id)


@shared_task(name="compliance.sweep_notices")
def sweep_notices() -> int:
    ids = notices.notices_sweep()
    for pk in ids:
        deliver_notice.delay(pk)
    return len(ids)


@shared_task(name="compliance.sweep_recomputes")
def sweep_recomputes() -> int:
    """Queue again the recomputes whose task never ran (broker down when they were asked for)."""
    ids = recompute.recomputes_stale()
    task = current_app.tasks[recompute.RECOMPUTE_TASK]
    for partner_id in ids:
        task.delay(partner_id)
    return len(ids)
