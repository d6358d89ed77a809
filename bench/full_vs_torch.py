"""Full mode against torch.autograd.gradcheck(fast_mode=False) on the same Affine, at growing sizes, in one run.

python bench/full_vs_torch.py      (needs the optional torch: pip install torch==2.13.0)
"""

from __future__ import annotations

import numpy as np
from _timing import median_time

from gradcheck import check_layer
from gradcheck.layers import Affine

SIZES = [(4, 10, 30), (8, 30, 40), (8, 60, 70), (16, 90, 100), (16, 180, 200), (24, 250, 270)]  # (N, D, M): about 400 to 74,000 coordinates


def main() -> None:
    try:
        import torch
    except ImportError:
        print("torch not installed: pip install torch==2.13.0")
        return
    rng = np.random.default_rng(0)
    print(f"{'coordinates':>12} {'gradcheck full (s)':>19} {'torch full (s)':>15} {'torch / ours':>13}")
    for n, d, m in SIZES:
        x, W, b = rng.standard_normal((n, d)), rng.standard_normal((d, m)) / np.sqrt(d), rng.standard_normal(m)
        ours, result = median_time(lambda: check_layer(Affine(W.copy(), b.copy()), x, mode="full"), runs=3)
        assert result.passed
        coords = x.size + W.size + b.size
        jacobians_gb = 2 * coords * n * m * 8 / 1e9  # torch builds the numerical and the analytical Jacobian
        if jacobians_gb > 4:  # at 74,000 coordinates (7.7 GB by this count) torch was killed for memory on 24 GB
            print(f"{coords:>12} {ours:>19.3f}   torch full skipped: its Jacobians need {jacobians_gb:.0f} GB")
            continue
        tx, tW, tb = (torch.tensor(a, requires_grad=True) for a in (x, W, b))
        theirs, ok = median_time(lambda: torch.autograd.gradcheck(lambda a, w, c: a @ w + c, (tx, tW, tb)), runs=3)
        assert ok
        print(f"{coords:>12} {ours:>19.3f} {theirs:>15.3f} {theirs / ours:>13.2f}")


if __name__ == "__main__":
    main()
