"""Exact derivative oracles, derived by SymPy and compiled to NumPy, and symbolic tracing of plain functions.

The numeric checks use these as a second oracle beside finite differences:
where a layer is elementwise or a standard loss, its exact derivative is known.
``lambdify`` compiles expressions we built ourselves, never learner text.
"""

from __future__ import annotations

import functools
import types
from dataclasses import dataclass
from typing import Callable

import numpy as np
import sympy as sp

X = sp.Symbol("x", real=True)
T = sp.Symbol("t", real=True)
N = sp.Symbol("n", positive=True)
ALPHA = sp.Symbol("alpha", positive=True)

ELEMENTWISE = {
    "sigmoid": 1 / (1 + sp.exp(-X)),
    "tanh": sp.tanh(X),
    "relu": sp.Piecewise((0, X < 0), (X, True)),
    "leaky_relu": sp.Piecewise((ALPHA * X, X < 0), (X, True)),
    "softplus": sp.log(1 + sp.exp(X)),
}
#: Per-element losses averaged over n elements; x is the prediction (probability, or logit for *_logits).
LOSSES = {
    "mse": (X - T) ** 2 / N,
    "half_sse": (X - T) ** 2 / 2,
    "binary_cross_entropy": -(T * sp.log(X) + (1 - T) * sp.log(1 - X)) / N,
    "binary_cross_entropy_logits": (sp.log(1 + sp.exp(X)) - T * X) / N,
}


@dataclass(frozen=True)
class Oracle:
    """A function and its exact derivative, both as SymPy expressions and as NumPy callables."""

    name: str
    expr: sp.Expr
    derivative: sp.Expr
    forward: Callable
    backward: Callable


@functools.lru_cache(maxsize=None)
def elementwise(name: str, alpha: float = 0.01) -> Oracle:
    """The oracle for an elementwise activation: ``backward(x)`` is f'(x)."""
    expr = ELEMENTWISE[name].subs(ALPHA, alpha)
    d = sp.diff(expr, X)
    return Oracle(name, expr, d, sp.lambdify(X, expr, "numpy"), sp.lambdify(X, d, "numpy"))


@functools.lru_cache(maxsize=None)
def loss(name: str) -> Oracle:
    """The oracle for a per-element loss: ``backward(x, t, n)`` is dL/dx for one element."""
    expr = LOSSES[name]
    d = sp.simplify(sp.diff(expr, X))
    return Oracle(name, expr, d, sp.lambdify((X, T, N), expr, "numpy"), sp.lambdify((X, T, N), d, "numpy"))


@functools.lru_cache(maxsize=32)
def softmax_cross_entropy(classes: int) -> Oracle:
    """Softmax then cross-entropy over ``classes`` logits: the gradient is sum(t) * softmax(x) - t."""
    xs = sp.symbols(f"x0:{classes}", real=True)
    ts = sp.symbols(f"t0:{classes}", real=True)
    lse = sp.log(sum(sp.exp(v) for v in xs))
    expr = -sum(t * (v - lse) for t, v in zip(ts, xs))
    grads = [sp.simplify(sp.diff(expr, v)) for v in xs]
    fwd = sp.lambdify((xs, ts), expr, "numpy")
    bwd = sp.lambdify((xs, ts), grads, "numpy")
    return Oracle(f"softmax_cross_entropy[{classes}]", expr, sp.Matrix(grads), fwd, bwd)


def softmax_cross_entropy_grad(x: np.ndarray, t: np.ndarray) -> np.ndarray:
    """dL/dx of the batch-mean softmax cross-entropy, with one-hot (or probability) rows ``t``."""
    x = np.atleast_2d(np.asarray(x, dtype=np.float64))
    shifted = x - x.max(axis=1, keepdims=True)  # the oracle is shift-invariant; this avoids overflow
    oracle = softmax_cross_entropy(x.shape[1])
    rows = [np.array(oracle.backward(list(r), list(tr)), dtype=np.float64) for r, tr in zip(shifted, t)]
    return np.stack(rows) / x.shape[0]


# --- tracing plain Python functions -------------------------------------------------------------

_SHIM_FUNCS = {
    "exp": sp.exp, "log": sp.log, "sqrt": sp.sqrt, "sin": sp.sin, "cos": sp.cos, "tan": sp.tan,
    "tanh": sp.tanh, "sinh": sp.sinh, "cosh": sp.cosh, "abs": sp.Abs, "absolute": sp.Abs, "fabs": sp.Abs,
    "arctan": sp.atan, "atan": sp.atan, "arcsin": sp.asin, "asin": sp.asin, "power": lambda a, b: a**b,
    "pow": lambda a, b: a**b, "square": lambda a: a**2, "log1p": lambda a: sp.log(1 + a),
    "maximum": sp.Max, "minimum": sp.Min, "max": sp.Max, "min": sp.Min,
}


class NotTraceable(Exception):
    """The function cannot be followed symbolically (it branches on values, or uses arrays)."""


def _shim() -> types.SimpleNamespace:
    return types.SimpleNamespace(**_SHIM_FUNCS, pi=sp.pi, e=sp.E)


def trace(fn: Callable, names: list[str]) -> sp.Expr:
    """Evaluate ``fn`` on SymPy symbols named ``names``, with numpy and math mapped to SymPy.

    Raises NotTraceable when the function branches on its inputs' values or
    needs something the mapping does not offer; callers then rely on finite differences.
    """
    code = getattr(fn, "__code__", None)
    if code is None:
        raise NotTraceable("not a plain Python function")
    shim = _shim()
    globals_ = dict(fn.__globals__)
    for key, value in list(globals_.items()):
        if isinstance(value, types.ModuleType) and value.__name__ in ("numpy", "math"):
            globals_[key] = shim
    clone = types.FunctionType(code, globals_, fn.__name__, fn.__defaults__, fn.__closure__)
    symbols = [sp.Symbol(n, real=True) for n in names]
    try:
        value = clone(*symbols)
    except TypeError as exc:
        if "truth value" in str(exc) or "Relational" in str(exc):
            raise NotTraceable("the function branches on its inputs' values") from None
        raise NotTraceable(f"{type(exc).__name__}: {exc}") from None
    except Exception as exc:
        raise NotTraceable(f"{type(exc).__name__}: {exc}") from None
    if not isinstance(value, (sp.Basic, int, float)):
        raise NotTraceable(f"it returned a {type(value).__name__}, not a scalar expression")
    return sp.sympify(value) if not isinstance(value, sp.Basic) else value


def traced_gradient(fn: Callable, names: list[str]) -> dict[str, sp.Expr]:
    """The partial derivatives of a traced scalar function, by name."""
    expr = trace(fn, names)
    return {n: sp.diff(expr, sp.Symbol(n, real=True)) for n in names}
