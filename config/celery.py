"""Celery application. Tasks are thin (ids in, a service call); the beat schedule lives here."""
import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Beat schedule in code; times are in CELERY_TIMEZONE (the program time zone).
app.conf.beat_schedule = {
    "deliver-pending-notices": {
        "task": "compliance.sweep_notices",
        "schedule": 60.0,
    },
}


def add_periodic(name: str, task: str, schedule) -> None:
    """Apps register their periodic jobs here (called from their tasks modules)."""
    app.conf.beat_schedule[name] = {"task": task, "schedule": schedule}


__all__ = ["app", "add_periodic", "crontab"]
