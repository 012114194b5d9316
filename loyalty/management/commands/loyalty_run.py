"""Run the loyalty jobs (tiers, expiry, awards, warnings) for one day: `manage.py loyalty_run --as-of 2026-10-15`."""
from datetime import date

from django.core.management.base import BaseCommand

from config import clock
from loyalty import services


class Command(BaseCommand):
    help = "Run every loyalty job for a date (default today). Idempotent: run it as often as you like."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", type=date.fromisoformat, default=None, help="YYYY-MM-DD (default: today)")

    def handle(self, *args, as_of=None, **options):
        as_of = as_of or clock.today()
        result = services.loyalty_jobs_run(as_of=as_of)
        self.stdout.write(f"Loyalty jobs as of {as_of}: " + ", ".join(f"{k} {v}" for k, v in result.items()))
