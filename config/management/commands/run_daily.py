"""Run the daily jobs for one date, e.g. to replay a missed day: `manage.py run_daily --as-of 2026-08-01`."""

import time

from django.core.management.base import BaseCommand, CommandError

from config.tasks import daily_start
from core import clock
from core.dates import parse_as_of
from core.models import DailyRun


class Command(BaseCommand):
    help = (
        "Start the daily run for a date in the program time zone: compliance recompute and renewal scan (with "
        "incidents) in chunks of partners that the workers share, then CE reminders and loyalty jobs. "
        "Idempotent: replaying a day changes nothing and sends nothing twice; while the date's run is running, "
        "a second start starts nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", help="YYYY-MM-DD (default: today in the program time zone)")
        parser.add_argument("--no-recompute", action="store_true", help="Skip the recompute of verdicts")
        parser.add_argument(
            "--full", action="store_true", help="Recompute every verdict (after staff changed policy rows), in chunks"
        )
        parser.add_argument("--wait", action="store_true", help="Wait for the workers to finish the run")
        parser.add_argument(
            "--resume",
            action="store_true",
            help="Send the running run's unfinished chunks again (their tasks were lost)",
        )

    def handle(self, *args, as_of=None, no_recompute=False, full=False, wait=False, resume=False, **options):
        try:
            day = parse_as_of(as_of) if as_of else clock.today()
        except ValueError as exc:
            raise CommandError(f"--as-of must be a date like 2026-08-01: {exc}") from None
        recompute = DailyRun.NONE if no_recompute else DailyRun.FULL if full else DailyRun.CHANGED
        run = daily_start(as_of=day, recompute=recompute, resume=resume)
        while wait and run.state == DailyRun.RUNNING:
            time.sleep(1)
            run.refresh_from_db()
        if run.state == DailyRun.FAILED:
            raise CommandError(f"The daily run of {day} failed: {run.error}")
        if run.state == DailyRun.DONE:
            self.stdout.write(", ".join(f"{k}={v}" for k, v in run.summary))
        else:  # queued for the workers, or already running
            self.stdout.write(f"{run}, started {run.started_at:%Y-%m-%d %H:%M:%S}")
