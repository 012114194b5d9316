"""Recompute stored verdicts: `manage.py recompute_verdicts --full` after a change of policy rows or requirement sets."""

from django.core.management.base import BaseCommand, CommandError

from compliance.services.recompute import verdicts_refresh
from core import clock
from core.dates import parse_as_of


class Command(BaseCommand):
    help = (
        "Recompute the stored compliance verdicts as of a date. Without --full, only those that can have changed "
        "(what the nightly run does); with --full, every credential: run it after staff change program data "
        "(policy rows, points and CE policies, requirement sets, measurement dates), which the nightly run "
        "does not see."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", help="YYYY-MM-DD (default: today in the program time zone)")
        parser.add_argument("--full", action="store_true", help="Evaluate every credential")

    def handle(self, *args, as_of=None, full=False, **options):
        try:
            day = parse_as_of(as_of) if as_of else clock.today()
        except ValueError as exc:
            raise CommandError(f"--as-of must be a date like 2026-08-01: {exc}") from None
        summary = verdicts_refresh(as_of=day, full=full)
        self.stdout.write(", ".join(f"{k}={v}" for k, v in summary.items()))
