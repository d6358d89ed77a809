"""Exact derivative oracles, derived by SymPy and compiled to NumPy, and symbolic tracing of plain functions.

The numeric checks use these as a second oracle beside finite differences:
where a layer is elementwise or a standard loss, its exact derivative is known.
Expressions are evaluated on arrays by walking their tree (``numpy_function``):
no code is generated or executed, and it costs far less than ``lambdify``.
"""

from __future__ import annotations

import functools
import types
from dataclasses import dataclass
from typing import Callable

import numpy as np
import sympy as sp
from ..errors import GradcheckError

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


_UNARY = {
    sp.exp: np.exp, sp.log: np.log, sp.tanh: np.tanh, sp.sinh: np.sinh, sp.cosh: np.cosh, sp.sin: np.sin,
    sp.cos: np.cos, sp.tan: np.tan, sp.Abs: np.abs, sp.sign: np.sign, sp.atan: np.arctan, sp.asin: np.arcsin,
    sp.acos: np.arccos,
}
_RELATIONS = {
    sp.StrictLessThan: np.less, sp.LessThan: np.less_equal, sp.StrictGreaterThan: np.greater,
    sp.GreaterThan: np.greater_equal, sp.Equality: np.equal, sp.Unequality: np.not_equal,
}


def _evaluate(expr, env: dict):
    if expr.is_Symbol:
        return env[expr]
    if expr.is_Number or expr in (sp.pi, sp.E):
        return float(expr)
    if expr is sp.true or expr is sp.false:
        return bool(expr)
    args = [_evaluate(a, env) for a in expr.args] if not isinstance(expr, sp.Piecewise) else None
    if expr.is_Add:
        return sum(args[1:], args[0])
    if expr.is_Mul:
        out = args[0]
        for a in args[1:]:
            out = out * a
        return out
    if expr.is_Pow:
        base, exponent = args
        return np.power(np.asarray(base, dtype=np.float64), exponent)
    if isinstance(expr, sp.Piecewise):
        conds = [np.asarray(_evaluate(c, env), dtype=bool) for _, c in expr.args]
        values = [_evaluate(v, env) for v, _ in expr.args]
        shape = np.broadcast_shapes(*[np.shape(v) for v in values + conds])
        return np.select([np.broadcast_to(c, shape) for c in conds], [np.broadcast_to(v, shape) for v in values], np.nan)
    if isinstance(expr, sp.Heaviside):
        return np.heaviside(args[0], 0.5 if len(args) < 2 else args[1])
    if expr.func in _RELATIONS:
        return _RELATIONS[expr.func](*args)
    if isinstance(expr, (sp.Max, sp.Min)):
        fn = np.maximum if isinstance(expr, sp.Max) else np.minimum
        out = args[0]
        for a in args[1:]:
            out = fn(out, a)
        return out
    if expr.func in _UNARY:
        return _UNARY[expr.func](args[0])
    raise ValueError(f"no NumPy evaluation for {expr.func.__name__}")


def numpy_function(expr: sp.Expr, symbols) -> Callable:
    """A NumPy function of ``symbols`` that evaluates ``expr`` by walking its tree (no generated code)."""
    symbols = tuple(symbols)

    def fn(*values):
        return _evaluate(expr, dict(zip(symbols, values)))

    return fn


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
    return Oracle(name, expr, d, numpy_function(expr, [X]), numpy_function(d, [X]))


@functools.lru_cache(maxsize=None)
def loss(name: str) -> Oracle:
    """The oracle for a per-element loss: ``backward(x, t, n)`` is dL/dx for one element."""
    expr = LOSSES[name]
    d = sp.simplify(sp.diff(expr, X))
    return Oracle(name, expr, d, numpy_function(expr, [X, T, N]), numpy_function(d, [X, T, N]))


@functools.lru_cache(maxsize=32)
def softmax_cross_entropy(classes: int) -> Oracle:
    """Softmax then cross-entropy over ``classes`` logits: the gradient is sum(t) * softmax(x) - t."""
    xs = sp.symbols(f"x0:{classes}", real=True)
    ts = sp.symbols(f"t0:{classes}", real=True)
    lse = sp.log(sum(sp.exp(v) for v in xs))
    expr = -sum(t * v for t, v in zip(ts, xs)) + sum(ts) * lse  # = -sum(t * (x - lse)), with lse written once
    grads = [sp.diff(expr, v) for v in xs]  # evaluated numerically on shifted logits: no simplify needed
    fwd = numpy_function(expr, xs + ts)
    parts = [numpy_function(g, xs + ts) for g in grads]
    return Oracle(f"softmax_cross_entropy[{classes}]", expr, sp.Matrix(grads), fwd, lambda *v: [p(*v) for p in parts])


def softmax_cross_entropy_grad(x: np.ndarray, t: np.ndarray) -> np.ndarray:
    """dL/dx of the batch-mean softmax cross-entropy, with one-hot (or probability) rows ``t``."""
    x = np.atleast_2d(np.asarray(x, dtype=np.float64))
    t = np.atleast_2d(np.asarray(t, dtype=np.float64))
    shifted = x - x.max(axis=1, keepdims=True)  # the oracle is shift-invariant; this avoids overflow
    oracle = softmax_cross_entropy(x.shape[1])
    columns = oracle.backward(*shifted.T, *t.T)  # each symbol takes a column: the whole batch at once
    return np.stack([np.broadcast_to(c, x.shape[:1]) for c in columns], axis=1) / x.shape[0]


# --- tracing plain Python functions -------------------------------------------------------------

_SHIM_FUNCS = {
    "exp": sp.exp, "log": sp.log, "sqrt": sp.sqrt, "sin": sp.sin, "cos": sp.cos, "tan": sp.tan,
    "tanh": sp.tanh, "sinh": sp.sinh, "cosh": sp.cosh, "abs": sp.Abs, "absolute": sp.Abs, "fabs": sp.Abs,
    "arctan": sp.atan, "atan": sp.atan, "arcsin": sp.asin, "asin": sp.asin, "power": lambda a, b: a**b,
    "pow": lambda a, b: a**b, "square": lambda a: a**2, "log1p": lambda a: sp.log(1 + a),
    "maximum": sp.Max, "minimum": sp.Min, "max": sp.Max, "min": sp.Min,
}


class NotTraceable(GradcheckError):
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
