"""The chunked night with one worker against two (bench/bench_workers.py, written with the chunked recompute)."""

from __future__ import annotations

import importlib.util

from .table import Row

LABEL = "the chunked night, one worker vs two"


def measure(partners: int) -> list[Row]:
    if importlib.util.find_spec("bench.bench_workers") is None:
        return [Row(LABEL, "not measured yet: bench/bench_workers.py is not there")]
    from bench.bench_workers import measure_workers  # noqa: I001  (written by another change; optional until then)

    result = measure_workers(partners)
    one, two = result["one"], result["two"]
    return [
        Row(
            LABEL,
            f"two workers {two:.1f} s",
            f"one worker {one:.1f} s",
            f"{one / two:.2f}× faster",
            "faster with two",
            two < one,
        )
    ]
