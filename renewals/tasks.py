"""Thin tasks: a date (ISO) in, a service call; safe to run twice (dedupe keys and the job lock)."""
from datetime import date

from celery import shared_task

from config import clock
from config.celery import add_periodic, crontab

from . import services


def _as_of(value: str | None) -> date:
    return date.fromisoformat(value) if value else clock.today()


@shared_task(name="renewals.daily_scan", acks_late=True)
def daily_scan(as_of: str | None = None) -> dict:
    return services.daily_scan(as_of=_as_of(as_of))


# Times are in the program time zone (CELERY_TIMEZONE). The nightly full recompute
# (compliance.recompute_all, 02:30) runs first; the notice sweeper runs every minute (config/celery.py).
add_periodic("renewals-daily-scan", "renewals.daily_scan", crontab(hour=3, minute=0))
