"""How the cost of a check grows with layer size: full against fast mode on Affine(n x n).

python bench/full_vs_fast.py
"""

from __future__ import annotations

import numpy as np
from _timing import median_time

from gradcheck import check_layer
from gradcheck.layers import Affine


def main():
    rng = np.random.default_rng(0)
    print(f"{'n':>5} {'coordinates':>12} {'full (s)':>10} {'fast (s)':>10} {'full/fast':>10}")
    for n in (16, 64, 256):
        x, W, b = rng.standard_normal((8, n)), rng.standard_normal((n, n)) / np.sqrt(n), rng.standard_normal(n)
        runs = 3 if n < 256 else 1
        full, r1 = median_time(lambda: check_layer(Affine(W.copy(), b.copy()), x, mode="full"), runs)
        fast, r2 = median_time(lambda: check_layer(Affine(W.copy(), b.copy()), x, mode="fast"), 5)
        assert r1.passed and r2.passed
        print(f"{n:>5} {x.size + W.size + b.size:>12} {full:>10.3f} {fast:>10.4f} {full / fast:>10.1f}")


if __name__ == "__main__":
    main()
