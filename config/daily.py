"""The daily run: every date-driven job of the program, for one date, in one stated order.

1. compliance: recompute the verdicts that can have changed as of the date (facts changed, or a measurement date,
   an anniversary or a deadline came: compliance.services.recompute.verdicts_refresh);
2. renewals: the lifecycle scan (Re-Cert, reminders, lapses, retirements) and the non-compliance incidents,
   which read the verdicts of step 1;
3. certifications: the 90- and 30-day CE reminders to individuals;
4. loyalty: tier placement, lot expiry, quarterly awards, expiry warnings (in that order).

Each step is idempotent (dedupe keys, job locks, unique constraints), so a day can be replayed, and a
missed day is caught up by running it: `manage.py run_daily --as-of 2026-08-01`.
"""

from __future__ import annotations

from datetime import date

from certifications.services import ce_reminders_send
from compliance.services.recompute import verdicts_refresh
from loyalty.services.jobs import loyalty_jobs_run
from renewals.services.scan import daily_scan


def daily_run(*, as_of: date, recompute: bool = True) -> dict:
    summary: dict = dict(verdicts_refresh(as_of=as_of)) if recompute else {"verdicts": 0}
    summary.update(daily_scan(as_of=as_of))
    summary["ce_reminders"] = ce_reminders_send(as_of=as_of)
    summary.update(loyalty_jobs_run(as_of=as_of))
    return summary
