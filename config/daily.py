"""The daily run: every date-driven job of the program, for one date, in one stated order.

1. compliance: recompute the verdicts that can have changed as of the date (facts changed, or a measurement date,
   an anniversary or a deadline came: compliance.services.recompute.verdicts_refresh);
2. renewals: the lifecycle scan (Re-Cert, reminders, lapses, retirements) and the non-compliance incidents,
   which read the verdicts of step 1;
3. certifications: the 90- and 30-day CE reminders to individuals;
4. loyalty: tier placement, lot expiry, quarterly awards, expiry warnings (in that order).

Steps 1 and 2 are per partner, so the run splits them into chunks of DAILY_CHUNK_PARTNERS partners (by id), one
task each (config/tasks.py), that any number of workers share; steps 3 and 4 are program-wide and run once, in
the final step, after the last chunk. A `DailyRun` row records the run: the chunks done (the chord's counter,
kept in the database, so no result backend is needed) and the summary. Every step is idempotent (dedupe keys,
job locks, unique constraints), so a chunk is retried alone, a day can be replayed, and a missed day is
caught up by running it: `manage.py run_daily --as-of 2026-08-01`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction

from certifications.services import ce_reminders_send
from compliance.services.recompute import verdicts_refresh
from core import clock
from core.models import DailyRun
from loyalty.services.jobs import loyalty_jobs_run
from partners.models import Partner
from renewals.services.scan import daily_scan

PartnerRange = tuple[int, int]  # partner ids from lo (inclusive) to hi (exclusive)


def partner_ranges(size: int) -> list[PartnerRange]:
    """Ranges of partner ids holding `size` partners each (the last one fewer). Without partners, one empty range:
    the run still says what it counted (zeros)."""
    ids = list(Partner.objects.order_by("pk").values_list("pk", flat=True))
    starts = ids[::size]
    return list(zip(starts, [*starts[1:], ids[-1] + 1], strict=True)) if ids else [(0, 0)]


def daily_chunk(*, as_of: date, partner_range: PartnerRange | None, recompute: str = DailyRun.CHANGED) -> dict:
    """Steps 1 and 2 for the partners of `partner_range` (None: every partner), in one transaction, so a chunk
    that fails leaves nothing half done."""
    with transaction.atomic():
        full = recompute == DailyRun.FULL
        summary = {"verdicts": 0}
        if recompute != DailyRun.NONE:
            summary = dict(verdicts_refresh(as_of=as_of, partner_range=partner_range, full=full))
        summary.update(daily_scan(as_of=as_of, partner_range=partner_range))
    return summary


def daily_final(*, as_of: date) -> dict:
    """Steps 3 and 4, program-wide."""
    return {"ce_reminders": ce_reminders_send(as_of=as_of), **loyalty_jobs_run(as_of=as_of)}


def daily_run(*, as_of: date, recompute: str = DailyRun.CHANGED) -> dict:
    """The whole day in this process, in one chunk and without a run record (the chunked run's reference)."""
    return {**daily_chunk(as_of=as_of, partner_range=None, recompute=recompute), **daily_final(as_of=as_of)}


def run_open(
    *, as_of: date, recompute: str = DailyRun.CHANGED, resume: bool = False
) -> tuple[DailyRun, list[PartnerRange]]:
    """Record a new run of the date and return it with the chunks to start. While a run of the date is running,
    return that one and no chunk (a second start doubles nothing), or, to `resume` a run whose tasks were lost
    (say a broker that lost its queue), its chunks not done yet."""
    ranges = partner_ranges(settings.DAILY_CHUNK_PARTNERS)
    try:
        with transaction.atomic():
            run = DailyRun.objects.create(
                as_of=as_of,
                recompute=recompute,
                started_at=clock.now(),
                chunks_total=len(ranges),
                chunks={_key(r): None for r in ranges},  # None: not done yet
            )
    except IntegrityError:  # one_running_daily_run_per_date
        run = DailyRun.objects.get(as_of=as_of, state=DailyRun.RUNNING)
        left = [key for key, summary in run.chunks.items() if summary is None]
        return run, [(int(lo), int(hi)) for lo, hi in (key.split("-") for key in left)] if resume else []
    return run, ranges


def _key(partner_range: PartnerRange) -> str:
    return "{}-{}".format(*partner_range)


def run_chunk(run_id: int, partner_range: PartnerRange) -> bool:
    """Run one chunk of a run and count it done; True when every chunk of the run is done (the caller then starts
    the final step). A chunk counted already (a redelivered task) runs nothing again."""
    run = DailyRun.objects.get(pk=run_id)
    if run.state != DailyRun.RUNNING:
        return False
    if run.chunks.get(_key(partner_range)) is None:
        with transaction.atomic():
            summary = daily_chunk(as_of=run.as_of, partner_range=partner_range, recompute=run.recompute)
            run = DailyRun.objects.select_for_update().get(pk=run_id)
            run.chunks[_key(partner_range)] = list(summary.items())  # pairs: PostgreSQL's jsonb keeps no key order
            run.chunks_done = sum(1 for done in run.chunks.values() if done is not None)
            run.save(update_fields=["chunks", "chunks_done"])
    return run.chunks_done == run.chunks_total


def run_finish(run_id: int) -> dict:
    """The final step, once every chunk is done: steps 3 and 4, then the run is recorded done (once)."""
    with transaction.atomic():
        run = DailyRun.objects.select_for_update().get(pk=run_id)
        if run.state == DailyRun.RUNNING and run.chunks_done == run.chunks_total:
            summary = {**added_up(dict(pairs) for pairs in run.chunks.values()), **daily_final(as_of=run.as_of)}
            run.summary = list(summary.items())
            run.state, run.finished_at = DailyRun.DONE, clock.now()
            run.save(update_fields=["summary", "state", "finished_at"])
    return run.totals


def run_failed(run_id: int, error: str) -> None:
    """A chunk gave up after its retries: the run is failed (a new start of the date runs the day again)."""
    DailyRun.objects.filter(pk=run_id, state=DailyRun.RUNNING).update(
        state=DailyRun.FAILED, finished_at=clock.now(), error=error[:2000]
    )


def added_up(summaries: Iterable[dict]) -> dict:
    """The chunks' summaries as one: counts added, anything else (the date) as the first chunk had it."""
    total: dict = {}
    for summary in summaries:
        for key, value in summary.items():
            counts = isinstance(value, int) and not isinstance(value, bool)
            total[key] = total.get(key, 0) + value if counts else total.get(key, value)
    return total
