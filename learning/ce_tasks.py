"""CE jobs: thin tasks that call a service; idempotent (events dedupe the reminders)."""
from celery import shared_task

from config import clock
from config.celery import add_periodic, crontab

from . import ce_services


@shared_task(name="learning.ce_send_reminders")
def ce_send_reminders(as_of: str | None = None) -> int:
    """Daily: 90- and 30-day reminders before a certification expires. Safe to run twice."""
    from datetime import date

    return ce_services.ce_reminders_send(as_of=date.fromisoformat(as_of) if as_of else clock.today())


add_periodic("learning-ce-reminders", "learning.ce_send_reminders", crontab(hour=6, minute=15))
