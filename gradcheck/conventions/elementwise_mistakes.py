"""Candidate mistakes of an elementwise derivative, found from the learner's own forward: the derivative
written with the output y = f(x) but evaluated at x (tanh's 1 - y**2 as 1 - x**2), written with x but
evaluated at y, or a product rule with one term left (f = x * g(x): only g, or only x * g').  Each is a
hypothesis about the learner's local derivative d(x) tested against f' by finite differences of f."""

from __future__ import annotations

import numpy as np

from ..report.model import CheckResult, Note
from ..sandbox.runner import LearnerFault

#: A hypothesis is named only when it holds on at least this many elements where it differs from f'.
MIN_ELEMENTS = 4
RTOL = 1e-5


def _forward(layer, x: np.ndarray) -> np.ndarray:
    return np.asarray(layer.forward(x.copy()), dtype=np.float64)


def local_derivative(layer, x: np.ndarray) -> np.ndarray:
    """The learner's local derivative at ``x``: its backward of an upstream gradient of ones."""
    _forward(layer, x)
    return np.asarray(layer.backward(np.ones_like(x)), dtype=np.float64)


def slope(layer, x: np.ndarray) -> np.ndarray:
    """f'(x) by central differences of the learner's forward, elementwise."""
    h = 1e-6 * np.maximum(1.0, np.abs(x))
    return (_forward(layer, x + h) - _forward(layer, x - h)) / (2 * h)


def _agrees(candidate: np.ndarray, got: np.ndarray, right: np.ndarray, where: np.ndarray) -> bool:
    """``got`` equals ``candidate`` where it is defined, and enough of those elements tell it from f'."""
    scale = np.maximum(1.0, np.abs(got))
    if not np.all(np.abs(candidate - got)[where] <= RTOL * scale[where]):
        return False
    return int(np.sum(where & (np.abs(candidate - right) > 100 * RTOL * scale))) >= MIN_ELEMENTS


def is_elementwise(layer, x: np.ndarray) -> bool:
    """Output element k depends on input element k alone, by one function: permuting the input permutes the
    output, and changing some elements leaves the other outputs as they were."""
    order = np.random.default_rng(0).permutation(x.size)
    y = _forward(layer, x)
    if y.shape != x.shape:
        return False
    moved = _forward(layer, x.reshape(-1)[order].reshape(x.shape))
    if not np.allclose(moved.reshape(-1), y.reshape(-1)[order], rtol=1e-12, atol=1e-12):
        return False
    changed = np.random.default_rng(1).random(x.shape) < 0.5  # and changing some elements moves no other output
    other = _forward(layer, np.where(changed, x + 0.5, x))
    return bool(np.array_equal(other[~changed], y[~changed]))


def diagnose(layer, x: np.ndarray) -> Note | None:
    """The hypothesis the learner's derivative satisfies at ``x``, or None."""
    if not is_elementwise(layer, x):
        return None
    y = _forward(layer, x)
    got, right = local_derivative(layer, x), slope(layer, x)
    everywhere = np.isfinite(got) & np.isfinite(right)
    at_y = local_derivative(layer, y)
    if _agrees(at_y, right, got, everywhere & np.isfinite(at_y)):
        return Note("diag.x_for_y_any")  # d(y) = f'(x): d is written in y and was given x
    slope_y = slope(layer, y)
    if _agrees(slope_y, got, right, everywhere & np.isfinite(slope_y)):
        return Note("diag.y_for_x")
    c = float(np.sum(got * right)) / max(float(np.sum(right * right)), 1e-300)
    if np.allclose(got, c * right, rtol=RTOL, atol=0):
        return None  # a constant factor (2 for x**2 = x * x) is the simpler account
    away = everywhere & (np.abs(x) > 1e-3)
    g = np.divide(y, x, out=np.zeros_like(y), where=away)
    if _agrees(g, got, right, away):
        return Note("diag.product_rule", {"kept": "g(x)"})
    if _agrees(right - g, got, right, away):
        return Note("diag.product_rule", {"kept": "x * g'(x)"})
    return None


def name_elementwise_mistake(result: CheckResult, layer, x: np.ndarray) -> None:
    """On a failing dx of a one-input layer, name the hypothesis its derivative satisfies."""
    single = len({c.gradient for c in result.checks if c.gradient}) == 1
    failing = [c for c in result.failures() if (single or c.gradient == "dx") and c.problem is None]
    if not failing or result.problem is not None:
        return
    try:
        note = diagnose(layer, np.asarray(x, dtype=np.float64))
    except (LearnerFault, ValueError, TypeError, ArithmeticError):
        return
    if note is not None:
        for check in failing:
            check.diagnoses = [note]


def derivative_curve(layer, lo: float = -4.0, hi: float = 4.0, n: int = 241) -> dict | None:
    """The learner's derivative and f' over [lo, hi] (one row of n points), for a plot; None when the layer
    is not elementwise or its code fails there."""
    x = np.linspace(lo, hi, n).reshape(1, n)
    try:
        if not is_elementwise(layer, x):
            return None
        got, true = local_derivative(layer, x), slope(layer, x)
    except (LearnerFault, ValueError, TypeError, ArithmeticError):
        return None
    return {"x": x.reshape(-1).tolist(), "got": got.reshape(-1).tolist(), "true": true.reshape(-1).tolist()}
