"""Demo renewal lifecycle: run today's scan over the demo credentials. Idempotent (the scan's dedupe keys)."""

from core import clock

from .services import scan


def load(stdout):
    summary = scan.daily_scan(as_of=clock.today())
    stdout.write(
        f"Renewals: today's scan moved {summary.get('recert', 0)} credential(s) to Re-Cert, "
        f"opened {summary['incidents_opened']} non-compliance incident(s)."
    )
