"""Planted bugs in a custom torch.autograd.Function, gradcheck against torch.autograd.gradcheck, in one run.

    python bench/torch_function.py          (needs pip install 'gradcheck[torch]')

A Linear Function (x @ W + b, batch 32) with W of 1e4, 1e5 and 1e6 parameters: one row of dW off by 1%, one
element of dW off by 0.1%, every gradient 1+1e-4 times too large, and the correct one; a LeakyReLU whose
backward uses the slope 0.1 instead of 0.01; ReLU at exact zeros and max-pool with ties for false alarms.
Each is checked over 10 seeds by gradcheck (its default mode) and by torch.autograd.gradcheck in fast mode,
and once by torch's full mode where its Jacobian fits in memory.  Reported: how many seeds catch the bug,
whether gradcheck's message names the place, and the median time of one check (the two timed in alternating
blocks, ``_timing.alternating``).
"""

from __future__ import annotations

import numpy as np
import torch
from _timing import alternating

from gradcheck.frameworks import as_layer
from gradcheck.numeric.layer import check_layer

SEEDS = 10
BATCH = 32
SIZES = {"1e4": 100, "1e5": 316, "1e6": 1000}
BUGS = ("correct", "one row of dW x1.01", "one element of dW x(1+1e-3)", "all gradients x(1+1e-4)")
WHERE = {"one row of dW x1.01": "row 7", "one element of dW x(1+1e-3)": "[12, 34]", "all gradients x(1+1e-4)": "1.0001"}


def linear(bug: str):
    class Linear(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, W, b):
            ctx.save_for_backward(x, W)
            return x @ W + b

        @staticmethod
        def backward(ctx, g):
            x, W = ctx.saved_tensors
            dx, dW, db = g @ W.T, x.T @ g, g.sum(0)
            if bug == "one row of dW x1.01":
                dW = dW.clone()
                dW[7] *= 1.01
            elif bug == "one element of dW x(1+1e-3)":
                dW = dW.clone()
                dW[12, 34] *= 1 + 1e-3
            elif bug == "all gradients x(1+1e-4)":
                dx, dW, db = dx * (1 + 1e-4), dW * (1 + 1e-4), db * (1 + 1e-4)
            return dx, dW, db

    return Linear


class LeakyRelu(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return torch.where(x > 0, x, 0.01 * x)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return torch.where(x > 0, g, 0.1 * g)


def relu(x):
    return torch.relu(x)


def max_pool(x):
    return torch.nn.functional.max_pool2d(x, 2)


def ours(fn, inputs, seed):
    return check_layer(as_layer(fn, "torch"), *inputs, seed=seed)


def theirs(fn, inputs, seed, fast=True):
    torch.manual_seed(seed)
    tensors = tuple(torch.tensor(a, requires_grad=True) for a in inputs)
    call = fn.apply if isinstance(fn, type) else fn
    return torch.autograd.gradcheck(call, tensors, fast_mode=fast, raise_exception=False)


def row(label, fn, inputs, bad: bool, where: str | None, full_ok: bool):
    caught_ours = sum(not ours(fn, inputs, s).passed for s in range(SEEDS))
    named = where is None or where in ours(fn, inputs, 0).render("en")
    caught_theirs = sum(not theirs(fn, inputs, s) for s in range(SEEDS))
    t_ours, t_theirs = alternating([lambda: ours(fn, inputs, 0), lambda: theirs(fn, inputs, 0)], rounds=2, block=3)
    full = ("fails" if not theirs(fn, inputs, 0, fast=False) else "passes") if full_ok else "too large"
    verdict = "caught" if bad else "false alarms"
    print(f"  {label:34s} gradcheck {verdict} {caught_ours:2d}/{SEEDS}{' (named)' if bad and named else ''}"
          f" {t_ours:6.3f} s | torch fast {verdict} {caught_theirs:2d}/{SEEDS} {t_theirs:6.3f} s"
          f" ({t_ours / t_theirs:4.1f}x) | torch full {full}")


def main() -> None:
    rng = np.random.default_rng(0)
    for size, d in SIZES.items():
        x, W, b = rng.standard_normal((BATCH, d)), rng.standard_normal((d, d)) / np.sqrt(d), rng.standard_normal(d)
        print(f"Linear Function, W {d}x{d} ({size} parameters), batch {BATCH}")
        for bug in BUGS:
            row(bug, linear(bug), (x, W, b), bug != "correct", WHERE.get(bug), full_ok=d <= 100)
    x = rng.standard_normal((BATCH, 100))
    print("LeakyReLU with the slope 0.1 written for 0.01 (3,200 inputs)")
    row("wrong slope", LeakyRelu, (x,), True, None, full_ok=True)
    ties = rng.integers(-2, 3, size=(4, 8, 16, 16)).astype(float)
    print("kinks: integer inputs with exact zeros and ties (8,192 inputs)")
    row("ReLU at zeros", relu, (ties,), False, None, full_ok=False)
    row("max-pool 2x2 with ties", max_pool, (ties,), False, None, full_ok=False)


if __name__ == "__main__":
    main()
