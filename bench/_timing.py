"""Timing helper for the benchmarks: the median wall time of several runs."""

from __future__ import annotations

import statistics
import time


def median_time(fn, runs: int = 5):
    """Run ``fn`` ``runs`` times; return (median seconds, the last return value)."""
    times, value = [], None
    for _ in range(runs):
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), value
