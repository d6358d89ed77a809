"""False alarms: every correct reference layer checked with many seeds must pass every time; and large correct
layers in fast mode, where the wide projection is taken (linear ones) or discarded (the others).

python bench/false_alarms.py [SEEDS]     (default 200; the large layers get a tenth of that)
"""

from __future__ import annotations

import sys
import time

import numpy as np

from gradcheck import check_layer
from gradcheck.layers import Affine, activations, conv, losses, norm
from gradcheck.layers.cases import CASES, check_reference


def large(seed: int) -> dict:
    """Correct layers whose largest array is above the wide projection's size limit (100,000 elements)."""
    r = np.random.default_rng(seed)
    return {
        "Affine 400x300": (Affine(r.standard_normal((400, 300)) / 20, r.standard_normal(300)), r.standard_normal((16, 400))),
        "Convolution 64x64x5x5": (conv.Convolution(r.standard_normal((64, 64, 5, 5)) / 40, r.standard_normal(64), 1, 2),
                                  r.standard_normal((2, 64, 8, 8))),
        "Sigmoid 400x300": (activations.Sigmoid(), r.standard_normal((400, 300))),
        "Tanh 400x300 (x3)": (activations.Tanh(), 3 * r.standard_normal((400, 300))),
        "Softmax 300x400": (activations.Softmax(), r.standard_normal((300, 400))),
        "BatchNorm 500x300": (norm.BatchNormalization(r.standard_normal(300), r.standard_normal(300)), r.standard_normal((500, 300))),
        "Relu, integer inputs": (activations.Relu(), r.integers(-2, 3, (400, 300)).astype(float)),
        "Pooling, integer ties": (conv.Pooling(2, 2, 2), r.integers(0, 4, (8, 16, 32, 32)).astype(float)),
        "SoftmaxWithLoss 2000x100": (losses.SoftmaxWithLoss(), 3 * r.standard_normal((2000, 100)), r.integers(0, 100, 2000)),
    }


def main(seeds: int = 200):
    start = time.perf_counter()
    total = failures = 0
    for name in CASES:
        bad = [s for s in range(seeds) for mode in ("full", "fast") if not check_reference(name, s, mode).passed]
        total += 2 * seeds
        failures += len(bad)
        print(f"{name:26s} {2 * seeds} checks (full and fast)  false alarms: {len(bad)}" + (f"  seeds {bad[:5]}" if bad else ""))
    few = max(1, seeds // 10)
    alarms: dict[str, list[int]] = {}
    for s in range(few):
        for name, (layer, *inputs) in large(s).items():
            alarms.setdefault(name, [])
            if not check_layer(layer, *inputs, mode="fast", seed=s).passed:
                alarms[name].append(s)
    for name, bad in alarms.items():
        print(f"{name:26s} {few} checks (fast, large)  false alarms: {len(bad)}" + (f"  seeds {bad[:5]}" if bad else ""))
        total += few
        failures += len(bad)
    print(f"total: {failures} false alarms in {total} checks of correct layers ({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
