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


@shared_task(name="renewals.recompute_all", acks_late=True)
def recompute_all(as_of: str | None = None) -> dict:
    """The nightly full recompute (set-based), then incidents from the fresh verdicts."""
    from compliance.services import verdicts_recompute

    day = _as_of(as_of)
    stored = verdicts_recompute(partner_ids=None, as_of=day)
    return {"verdicts": stored, **services.incidents_sync(as_of=day)}


# Times are in the program time zone (CELERY_TIMEZONE): recompute first, then the scan uses its verdicts.
add_periodic("renewals-nightly-recompute", "renewals.recompute_all", crontab(hour=1, minute=0))
add_periodic("renewals-daily-scan", "renewals.daily_scan", crontab(hour=2, minute=0))
