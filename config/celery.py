"""Celery application and the one beat schedule. Tasks are thin (ids in, a service call)."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Every periodic job, in one place. Times are in CELERY_TIMEZONE (the program time zone).
app.conf.beat_schedule = {
    # The outbox: notices still pending (broker down when they were queued, or a worker died) go out again.
    "deliver-pending-notices": {"task": "compliance.sweep_notices", "schedule": 60.0},
    # Webhooks: new events fanned out to endpoints, due deliveries (retries, dead workers' claims) queued.
    "sweep-webhooks": {"task": "webhooks.sweep", "schedule": 2.0},
    # Recomputes asked for while the broker was down are queued again.
    "sweep-recomputes": {"task": "compliance.sweep_recomputes", "schedule": crontab(minute="*/5")},
    # The day's work, in its stated order (config/daily.py): recompute, renewal scan, CE reminders, loyalty.
    "daily-run": {"task": "portal.daily_run", "schedule": crontab(hour=2, minute=30)},
}
