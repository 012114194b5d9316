"""Thin tasks: an id or a date (ISO) in, a service call; safe to run twice (dedupe keys and the job lock)."""

from datetime import date

from celery import shared_task
from django.db import IntegrityError

from compliance.services.recompute import verdicts_recompute
from core import clock
from core.recompute import RECOMPUTE_TASK, recompute_claim

from .services import incidents, scan


def _as_of(value: str | None) -> date:
    return date.fromisoformat(value) if value else clock.today()


@shared_task(name="renewals.daily_scan", acks_late=True)
def daily_scan(as_of: str | None = None) -> dict:
    return scan.daily_scan(as_of=_as_of(as_of))


@shared_task(name=RECOMPUTE_TASK, acks_late=True, autoretry_for=(IntegrityError,), max_retries=3, retry_backoff=5)
def recompute_partner(partner_id: int) -> int:
    """After a change to a partner's facts: recompute its verdicts, then open or close its non-compliance
    incidents. Idempotent: recomputing twice stores the same verdicts (a race with another recompute of the
    same partner is retried)."""
    recompute_claim(partner_id=partner_id)
    day = clock.today()
    stored = verdicts_recompute(partner_ids=[partner_id], as_of=day)
    incidents.incidents_sync(as_of=day, partner_ids=[partner_id])
    return stored
