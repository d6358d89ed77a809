"""Fast check of an Affine at one and four million parameters: time and detection, against torch's fast mode.

python bench/fast_affine.py        (torch is optional: without it only gradcheck's figures print)

Both checks get a layer built once, outside the timing, and run in alternating blocks (``_timing.alternating``).
"""

from __future__ import annotations

import time

import numpy as np
from _timing import alternating

from gradcheck import check_layer
from gradcheck.layers import Affine

N = 32
SIZES = (1000, 2000)
SEEDS = 10
BUGS = {
    "correct": lambda dx, dW, db: (dx, dW, db),
    "one row of dW off by 1%": lambda dx, dW, db: (dx, _scaled(dW, (7,), 1.01), db),
    "one element of dW off by 1%": lambda dx, dW, db: (dx, _scaled(dW, (7, 3), 1.01), db),
    "every gradient times 1+1e-4": lambda dx, dW, db: (dx * (1 + 1e-4), dW * (1 + 1e-4), db * (1 + 1e-4)),
    "one element of dW x(1+1e-3)": lambda dx, dW, db: (dx, _scaled(dW, (123, 456), 1 + 1e-3), db),
}


def _scaled(a, index, factor):
    a = a.copy()
    a[index] *= factor
    return a


def planted(bug):
    class Planted(Affine):
        def backward(self, dout):
            dx = super().backward(dout)
            dx, self.dW, self.db = BUGS[bug](dx, self.dW, self.db)
            return dx

    return Planted


def problem(D: int, rng):
    x = rng.standard_normal((N, D))
    return x, rng.standard_normal((D, D)) / np.sqrt(D), rng.standard_normal(D)


def torch_check(x, W, b):
    """torch.autograd.gradcheck's fast mode on the same layer as a custom Function; None without torch."""
    try:
        import torch
    except ImportError:
        return None

    class Linear(torch.autograd.Function):
        bug = "correct"

        @staticmethod
        def forward(ctx, x, W, b):
            ctx.save_for_backward(x, W)
            return x @ W + b

        @staticmethod
        def backward(ctx, g):
            x, W = ctx.saved_tensors
            dx, dW, db = g @ W.T, x.T @ g, g.sum(0)
            out = BUGS[Linear.bug](dx.numpy(), dW.numpy(), db.numpy())
            return tuple(torch.from_numpy(np.ascontiguousarray(o)) for o in out)

    args = tuple(torch.tensor(a, requires_grad=True) for a in (x, W, b))

    def run(bug: str) -> bool:
        Linear.bug = bug
        return torch.autograd.gradcheck(Linear.apply, args, fast_mode=True, raise_exception=False)

    return run


def main() -> None:
    for D in SIZES:
        x, W, b = problem(D, np.random.default_rng(0))
        theirs = torch_check(x, W, b)
        layer = Affine(W.copy(), b.copy())
        fns = [lambda: check_layer(layer, x, mode="fast")] + ([lambda: theirs("correct")] if theirs else [])
        ours_t, torch_t = (alternating(fns) + [None])[:2]
        print(f"Affine W {D}x{D} ({D * D:,} parameters), batch {N}: correct layer, fast mode")
        ratio = f"  ratio {ours_t / torch_t:.2f}" if torch_t else "  (torch not installed: pip install torch)"
        print(f"  gradcheck {ours_t:.3f} s   torch {torch_t or float('nan'):.3f} s{ratio}")
        for bug in BUGS:
            layers = [planted(bug)(W.copy(), b.copy()) for _ in range(2)]
            start = time.perf_counter()
            results = [check_layer(layers[s % 2], x, mode="fast", seed=s) for s in range(SEEDS)]
            each = (time.perf_counter() - start) / SEEDS
            caught = sum(not r.passed for r in results)
            verdict = "" if theirs is None else f"   torch {'passes' if theirs(bug) else 'fails'}"
            print(f"  {bug:30s} gradcheck fails in {caught}/{SEEDS} seeds ({each:.2f} s each){verdict}")
            for c in results[0].failures():
                said = "; ".join(n.render("en") for n in c.diagnoses)
                print(f"      {c.gradient} at {c.worst.where}: expected {c.worst.expected:.6g}, got {c.worst.got:.6g}  {said}")


if __name__ == "__main__":
    main()
