"""The one daily task (beat, config/celery.py); it runs the jobs of config/daily.py in order."""

from datetime import date

from celery import shared_task
from django.db import IntegrityError

from core import clock

from .daily import daily_run as run


@shared_task(name="portal.daily_run", acks_late=True, autoretry_for=(IntegrityError,), max_retries=3, retry_backoff=30)
def daily_run(as_of: str | None = None) -> dict:
    """Idempotent: a retry or a second run the same day changes nothing and sends nothing twice."""
    return run(as_of=date.fromisoformat(as_of) if as_of else clock.today())
