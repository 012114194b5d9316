"""Thin webhook tasks: the beat sweep (fan-out, stale claims, due deliveries) and one delivery attempt."""

from __future__ import annotations

from celery import shared_task

from . import delivery


@shared_task(name=delivery.DELIVER_TASK, acks_late=True, reject_on_worker_lost=True)
def deliver(delivery_id: int) -> bool:
    """Idempotent: the claim in delivery_attempt makes a second run (or a run before the delivery is due) a no-op;
    retries are scheduled on the row (next_attempt_at) and queued by the sweep, not by Celery."""
    return delivery.delivery_attempt(delivery_id=delivery_id)


@shared_task(name="webhooks.sweep")
def sweep() -> int:
    delivery.fanout()
    ids = delivery.deliveries_due()
    delivery.enqueue(ids)
    return len(ids)
