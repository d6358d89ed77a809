"""Gradient checks for plain functions: a function with its vector-Jacobian product, or a scalar with its gradient."""

from __future__ import annotations

import numpy as np

from ..report.model import CheckResult, Note
from .check import FastPlan, check_gradients
from .layer import LearnerError, _call, _input_names


def _blocks(fun, args):
    names = _input_names(_Named(fun), len(args))
    blocks, positions = [], []
    for i, a in enumerate(args):
        if isinstance(a, np.ndarray) and np.issubdtype(a.dtype, np.floating) or isinstance(a, float):
            blocks.append((names[i], np.array(a, dtype=np.float64, order="C")))
            positions.append(i)
    return blocks, positions


class _Named:
    """Lets the layer-input naming rule read a plain function's parameter names."""

    def __init__(self, fun):
        self.forward = fun


def _as_tuple(value, count):
    return tuple(value) if isinstance(value, (tuple, list)) and count > 1 else (value,)


def check_vjp(fun, vjp, *args, mode="auto", seed=0, name=None, plan: FastPlan = FastPlan()) -> CheckResult:
    """Check ``vjp(dout, *args)`` (one gradient per float argument) against finite differences of ``fun(*args)``."""
    result = CheckResult(name or getattr(fun, "__name__", "function"), seed=seed, mode=mode, kind="function")
    blocks, positions = _blocks(fun, args)
    call_args = list(args)
    for (_, arr), i in zip(blocks, positions):
        call_args[i] = arr if np.ndim(args[i]) else arr.reshape(())

    def evaluate():
        return np.array(_call("forward", fun, *call_args), dtype=np.float64)

    try:
        out = evaluate()
        probe = 1.0 if out.ndim == 0 else np.random.default_rng(seed).standard_normal(out.shape)
        grads = _as_tuple(_call("backward", vjp, probe if out.ndim else 1.0, *[np.copy(a) for a in call_args]), len(blocks))
        named = {b[0]: g for b, g in zip(blocks, grads)}
        result.checks = check_gradients(evaluate, blocks, named, probe, mode=mode, seed=seed + 1, plan=plan)
        result.mode = result.checks[0].method if result.checks else mode
    except LearnerError as err:
        result.problem = err.note()
    if not blocks:
        result.problem = Note("target.no_gradients")
    return result


def check_grad(f, grad_f, *args, mode="auto", seed=0, name=None, plan: FastPlan = FastPlan()) -> CheckResult:
    """Check ``grad_f(*args)`` (the gradient of the scalar ``f(*args)``, one per float argument)."""
    return check_vjp(f, lambda _dout, *a: grad_f(*a), *args, mode=mode, seed=seed, name=name, plan=plan)
