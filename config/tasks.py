"""The daily run's tasks (config/daily.py): the beat task starts it, one task per chunk of partners, a final step.

The chunks are a group whose final step runs when the last of them is counted done in the run's row (a chord
kept in the database: it needs no result backend, and a chunk that fails is retried alone, with backoff).
"""

from datetime import date
from typing import Any

from celery import Task, shared_task

from core import clock
from core.models import DailyRun

from . import daily


class ChunkTask(Task):
    def on_failure(self, exc: Exception, task_id: str, args: tuple, kwargs: dict, einfo: Any) -> None:
        """Out of retries: the run is failed, so the next start of the date runs the day again."""
        daily.run_failed(args[0], f"chunk {args[1]}-{args[2]}: {type(exc).__name__}: {exc}")


RETRY: dict[str, Any] = {"acks_late": True, "autoretry_for": (Exception,), "max_retries": 4, "retry_backoff": 5}


@shared_task(name="portal.daily_chunk", base=ChunkTask, **RETRY)
def daily_chunk(run_id: int, lo: int, hi: int) -> None:
    """Recompute then scan the partners lo <= id < hi; the last chunk done starts the final step."""
    if daily.run_chunk(run_id, (lo, hi)):
        daily_finish.delay(run_id)


@shared_task(name="portal.daily_finish", **RETRY)
def daily_finish(run_id: int) -> dict:
    """CE reminders and loyalty jobs, then the run is recorded done (once, however often this runs)."""
    return daily.run_finish(run_id)


def daily_start(*, as_of: date, recompute: str = DailyRun.CHANGED, resume: bool = False) -> DailyRun:
    """Start the run of a date: one task per chunk (all of them at once; workers take them as they are free).
    While the date's run is running, a second start starts nothing (`resume`: sends its chunks not done yet again),
    but finishes it if its chunks are all done (its final step lost). Eager (tests, CELERY_TASK_ALWAYS_EAGER): done
    on return."""
    run, ranges = daily.run_open(as_of=as_of, recompute=recompute, resume=resume)
    for lo, hi in ranges:
        daily_chunk.delay(run.pk, lo, hi)
    if not ranges and run.chunks_done == run.chunks_total:
        daily_finish.delay(run.pk)
    run.refresh_from_db()
    return run


@shared_task(name="portal.daily_run", acks_late=True)
def daily_run(as_of: str | None = None) -> dict:
    """Beat's daily job: start the run of the date (today by default); its summary once done (eager)."""
    return daily_start(as_of=date.fromisoformat(as_of) if as_of else clock.today()).totals
