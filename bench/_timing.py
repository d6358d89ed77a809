"""Timing helpers for the benchmarks: the median wall time of several runs, alone or alternating with a baseline."""

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


def alternating(fns, rounds: int = 3, block: int = 4) -> list[float]:
    """Medians for each of ``fns`` over ``rounds`` alternating blocks of ``block`` runs, the first run of a block
    untimed: a change in the machine's load reaches every median alike, and none pays for another's threads
    winding down (torch's and the BLAS's worker threads spin for a while after each call; one-by-one
    alternation measured torch 3x slower than it is)."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(rounds):
        for fn, mine in zip(fns, times):
            fn()
            for _ in range(block - 1):
                start = time.perf_counter()
                fn()
                mine.append(time.perf_counter() - start)
    return [statistics.median(t) for t in times]
