"""The chunked night with one worker against two (bench/bench_workers.py, written with the chunked daily run)."""

from __future__ import annotations

import importlib
import importlib.util

from .table import Row

LABEL = "the chunked night (recompute and scan), one worker vs two"


def measure(partners: int, repeats: int) -> list[Row]:
    if importlib.util.find_spec("bench.bench_workers") is None:
        return [Row(LABEL, "not measured yet: bench/bench_workers.py is not there")]
    result = importlib.import_module("bench.bench_workers").measure_workers(partners, repeats=repeats)
    one, two = result["one"], result["two"]
    return [
        Row(
            f"{LABEL}, {result['chunk']:,} partners a chunk",
            f"two workers {two:.1f} s",
            f"one worker {one:.1f} s",
            f"{one / two:.2f}× faster",
            "faster with two",
            two < one,
        )
    ]
