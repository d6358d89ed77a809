"""Fast check of a one-million-parameter Affine: time and detection, against torch.autograd.gradcheck.

python bench/fast_affine.py        (torch is optional: without it only gradcheck's figures print)
"""

from __future__ import annotations

import numpy as np
from _timing import median_time

from gradcheck import check_layer
from gradcheck.layers import Affine

N, D = 32, 1000
BUGS = {
    "correct": lambda dx, dW, db: (dx, dW, db),
    "one row of dW off by 1%": lambda dx, dW, db: (dx, _scaled(dW, (7,), 1.01), db),
    "one element of dW off by 1%": lambda dx, dW, db: (dx, _scaled(dW, (7, 3), 1.01), db),
    "every gradient times 1+1e-4": lambda dx, dW, db: (dx * (1 + 1e-4), dW * (1 + 1e-4), db * (1 + 1e-4)),
    "one element of dW x(1+1e-3)": lambda dx, dW, db: (dx, _scaled(dW, (123, 456), 1 + 1e-3), db),
}
SEEDS = 10


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


def ours(rng):
    x = rng.standard_normal((N, D))
    W, b = rng.standard_normal((D, D)) / np.sqrt(D), rng.standard_normal(D)
    print(f"gradcheck fast mode, Affine W {D}x{D} (1,000,000 parameters), batch {N}")
    for bug in BUGS:
        t, result = median_time(lambda: check_layer(planted(bug)(W.copy(), b.copy()), x, mode="fast"), runs=5)
        caught = sum(not check_layer(planted(bug)(W.copy(), b.copy()), x, mode="fast", seed=s).passed for s in range(SEEDS))
        print(f"  {bug:32s} median {t:6.3f} s   fails in {caught}/{SEEDS} seeds")
        for c in result.failures():
            said = "; ".join(n.render("en") for n in c.diagnoses)
            print(f"      {c.gradient} at {c.worst.where}: expected {c.worst.expected:.6g}, got {c.worst.got:.6g}  {said}")
    return t


def theirs(rng):
    try:
        import torch
    except ImportError:
        print("torch not installed: baseline skipped (pip install torch==2.13.0)")
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

    x = torch.tensor(rng.standard_normal((N, D)), requires_grad=True)
    W = torch.tensor(rng.standard_normal((D, D)) / np.sqrt(D), requires_grad=True)
    b = torch.tensor(rng.standard_normal(D), requires_grad=True)
    print("torch.autograd.gradcheck(fast_mode=True), the same layer as a custom Function")
    for bug in BUGS:
        Linear.bug = bug

        def run():
            return torch.autograd.gradcheck(Linear.apply, (x, W, b), fast_mode=True, raise_exception=False)

        t, ok = median_time(run, runs=5)
        print(f"  {bug:32s} median {t:6.3f} s   {'passes' if ok else 'fails'}")
    return t


if __name__ == "__main__":
    ours(np.random.default_rng(0))
    theirs(np.random.default_rng(0))
