"""Run the daily jobs for one date, e.g. to replay a missed day: `manage.py run_daily --as-of 2026-08-01`."""

from django.core.management.base import BaseCommand, CommandError

from config.daily import daily_run
from core import clock
from core.dates import parse_as_of


class Command(BaseCommand):
    help = (
        "Run the daily jobs for a date in the program time zone, in order: compliance recompute, renewal scan "
        "and incidents, CE reminders, loyalty jobs. Idempotent: replaying a day changes nothing and sends "
        "nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", help="YYYY-MM-DD (default: today in the program time zone)")
        parser.add_argument("--no-recompute", action="store_true", help="Skip the recompute of verdicts")

    def handle(self, *args, as_of=None, no_recompute=False, **options):
        try:
            day = parse_as_of(as_of) if as_of else clock.today()
        except ValueError as exc:
            raise CommandError(f"--as-of must be a date like 2026-08-01: {exc}") from None
        summary = daily_run(as_of=day, recompute=not no_recompute)
        self.stdout.write(", ".join(f"{k}={v}" for k, v in summary.items()))
