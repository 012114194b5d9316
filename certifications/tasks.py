"""CE jobs: thin tasks that call a service; idempotent (events dedupe the reminders)."""

from datetime import date

from celery import shared_task

from core import clock

from . import services


@shared_task(name="certifications.send_reminders")
def ce_send_reminders(as_of: str | None = None) -> int:
    """The 90- and 30-day reminders before a certification expires (part of the daily run). Safe to run twice."""
    return services.ce_reminders_send(as_of=date.fromisoformat(as_of) if as_of else clock.today())
