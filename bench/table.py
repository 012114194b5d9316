"""One row per measure, and the table they print as (Markdown, so the README can hold it as printed)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext


@dataclass
class Row:
    measure: str
    ours: str
    floor: str = "—"
    ratio: str = "—"
    target: str = ""
    ok: bool | None = None  # None: no verdict (not measured, or nothing to compare)

    @property
    def verdict(self) -> str:
        return {True: "pass", False: "FAIL", None: "—"}[self.ok]


def render(rows: list[Row]) -> str:
    head = ("measure", "ours", "floor or ceiling, same run", "ratio", "target", "result")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += [f"| {r.measure} | {r.ours} | {r.floor} | {r.ratio} | {r.target} | {r.verdict} |" for r in rows]
    return "\n".join(lines)


def timed(fn: Callable) -> tuple[float, int]:
    """Seconds and queries of one call."""
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        fn()
        elapsed = time.perf_counter() - started
    return elapsed, len(queries)


def median(values: list[float]) -> float:
    return statistics.median(values)


@contextmanager
def rolled_back():
    """A transaction that is always rolled back, so the next repetition finds the same state."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
