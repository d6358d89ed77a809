"""False alarms: every correct reference layer checked with many seeds must pass every time.

python bench/false_alarms.py [SEEDS]     (default 200)
"""

from __future__ import annotations

import sys
import time

from gradcheck.layers.cases import CASES, check_reference


def main(seeds: int = 200):
    start = time.perf_counter()
    total = failures = 0
    for name in CASES:
        bad = [s for s in range(seeds) for mode in ("full", "fast") if not check_reference(name, s, mode).passed]
        total += 2 * seeds
        failures += len(bad)
        print(f"{name:26s} {2 * seeds} checks (full and fast)  false alarms: {len(bad)}" + (f"  seeds {bad[:5]}" if bad else ""))
    print(f"total: {failures} false alarms in {total} checks of correct layers ({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
