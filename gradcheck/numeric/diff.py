"""Finite differences with an error estimate.

Every derivative here is a central difference taken at two step sizes, h and h/2.
Their disagreement estimates the truncation error (Richardson), a bound on
floating-point cancellation estimates the rounding error, and the two one-sided
differences reveal a kink (ReLU at 0, a tie in a max) where no derivative exists.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Callable

import numpy as np

EPS = float(np.finfo(np.float64).eps)


class PrecisionWarning(UserWarning):
    """Raised as a warning when an input or output is not float64."""


def step_size(value: float, eps: float = EPS) -> float:
    """The central-difference step for a coordinate: cbrt(eps) scaled to its magnitude."""
    return eps ** (1.0 / 3.0) * max(1.0, abs(float(value)))


@dataclass(frozen=True)
class Estimate:
    """One derivative estimate: its value, an honest error bound, and any kink seen.

    When ``kink`` is true no derivative exists at the point; ``lower``/``upper``
    bound the one-sided derivatives, and any value between them is acceptable.
    """

    value: float
    error: float
    lower: float
    upper: float
    kink: bool


def _dot(u: np.ndarray | float, diff: np.ndarray) -> float:
    return float(np.sum(u * diff))


def estimate(
    shift: Callable[[float], np.ndarray],
    base_out: np.ndarray,
    probe: np.ndarray | float,
    h: float,
    eps: float = EPS,
    steps: tuple[float, float] | None = None,
) -> Estimate:
    """Estimate d/dt <probe, out(t)> at t = 0, where ``shift(t)`` returns out(t).

    ``shift`` must leave its perturbation in place until the next call; it is
    called with 0.0 last so that the caller's state is restored.  ``steps``, when
    given, are the realised steps (x+h)-x and x-(x-h) for h, which can differ
    from h by rounding; the h/2 steps are taken as half of them.
    """
    hp, hm = steps if steps is not None else (h, h)
    try:
        o_p, o_m = shift(hp), shift(-hm)
        o_p2, o_m2 = shift(hp / 2), shift(-hm / 2)
    finally:
        shift(0.0)
    return estimate_from((o_p, o_m, o_p2, o_m2), base_out, probe, hp, hm, eps)


def estimate_from(outputs, base_out, probe, hp: float, hm: float, eps: float = EPS) -> Estimate:
    """The estimate from the outputs at +hp, -hm, +hp/2 and -hm/2 (in that order)."""
    o_p, o_m, o_p2, o_m2 = outputs
    d1 = _dot(probe, o_p - o_m) / (hp + hm)
    d2 = _dot(probe, o_p2 - o_m2) / ((hp + hm) / 2)
    value = (4.0 * d2 - d1) / 3.0
    scale = float(np.sum(np.abs(probe) * (np.abs(o_p2) + np.abs(o_m2) + np.abs(base_out))))
    rounding = 4.0 * eps * scale / min(hp, hm) + eps * abs(value)
    error = abs(d1 - d2) + rounding
    fwd1, bwd1 = _dot(probe, o_p - base_out) / hp, _dot(probe, base_out - o_m) / hm
    fwd2, bwd2 = _dot(probe, o_p2 - base_out) / (hp / 2), _dot(probe, base_out - o_m2) / (hm / 2)
    gap1, gap2 = fwd1 - bwd1, fwd2 - bwd2
    # A smooth function halves the one-sided gap when the step halves; a kink keeps it.
    kink = abs(gap2) > 0.75 * abs(gap1) and abs(gap2) > 1e3 * rounding and abs(gap2) > 1e-6 * (
        abs(fwd2) + abs(bwd2)
    )
    if kink:
        sides = (fwd1, bwd1, fwd2, bwd2)
        return Estimate(value, error, min(sides), max(sides), True)
    return Estimate(value, error, value, value, False)


def coordinate_steps(value: float, eps: float = EPS, longer: float = 1.0) -> tuple[float, float]:
    """The realised steps (x+h)-x and x-(x-h) for a coordinate (h ``longer`` times the usual step), which
    rounding can make differ from h."""
    h = step_size(value, eps) * longer
    return (value + h) - value, value - (value - h)


def coordinate_points(value: float, eps: float = EPS, longer: float = 1.0) -> tuple[tuple[float, float], list[float]]:
    """The steps and the four values a coordinate is moved to: +hp, -hm, +hp/2, -hm/2."""
    hp, hm = coordinate_steps(value, eps, longer)
    return (hp, hm), [value + hp, value - hm, value + hp / 2, value - hm / 2]


def as_float64(x, name: str = "x") -> np.ndarray:
    """Return ``x`` as a float64 array, warning when that changes its precision."""
    arr = np.asarray(x)
    if arr.dtype != np.float64:
        if np.issubdtype(arr.dtype, np.floating) and arr.dtype.itemsize < 8:
            warnings.warn(
                f"{name} is {arr.dtype}; gradcheck computes in float64 and compares in float64.",
                PrecisionWarning,
                stacklevel=3,
            )
        arr = arr.astype(np.float64)
    return arr


def complex_step_gradient(f: Callable[[np.ndarray], complex], x, h: float = 1e-30) -> np.ndarray:
    """The gradient of ``f`` at ``x`` by the complex step: Im(f(x + i*h*e_k)) / h for each coordinate k.

    There is no subtraction, so no cancellation: for a function analytic in its inputs the result is
    exact to machine precision.  Only for such functions: ``abs``, ``max``, comparisons or ``np.real``
    inside ``f`` give silently wrong values, so this is never chosen automatically.
    """
    x = as_float64(x, "x")
    grad = np.empty(x.shape, dtype=np.float64)
    z = x.astype(np.complex128)
    flat = z.reshape(-1)
    for k in range(flat.size):
        flat[k] += 1j * h
        try:
            value = complex(f(z))
        finally:
            flat[k] -= 1j * h
        grad.flat[k] = value.imag / h
    return grad


def numerical_gradient(f: Callable[[np.ndarray], float], x) -> np.ndarray:
    """The gradient of a scalar function ``f`` at ``x`` by central differences.

    A float64 array ``x`` is perturbed in place, as "Deep Learning from Scratch"
    does, so ``f`` may read it through a closure; every coordinate is restored
    even when ``f`` raises.  Any other input is copied to float64 first (with a
    PrecisionWarning for lower precisions) and the copy is passed to ``f``.
    """
    target = x if isinstance(x, np.ndarray) and x.dtype == np.float64 else as_float64(x).copy()
    grad = np.zeros(target.shape, dtype=np.float64)
    flat = target.reshape(-1) if target.flags.c_contiguous else None
    if flat is None:
        raise ValueError("numerical_gradient needs a contiguous array; pass np.ascontiguousarray(x).")
    base_out = np.float64(f(target))
    for i in range(flat.size):
        grad.flat[i] = coordinate_estimate(lambda: np.float64(f(target)), flat, i, base_out, 1.0).value
    return grad


def coordinate_estimate(evaluate, flat: np.ndarray, i: int, base_out, probe, eps: float = EPS) -> Estimate:
    """Estimate the derivative of <probe, evaluate()> with respect to ``flat[i]``.

    ``flat`` is a writable float64 view; element ``i`` is perturbed in place and
    always restored to its original value.
    """
    original = float(flat[i])
    h = step_size(original, eps)
    steps = coordinate_steps(original, eps)

    def shift(t: float):
        flat[i] = original + t
        return np.array(evaluate(), dtype=np.float64) if t != 0.0 else None

    try:
        return estimate(shift, base_out, probe, h, eps, steps)
    finally:
        flat[i] = original


def _mover(arrays: list[np.ndarray], originals: list[np.ndarray], directions: list[np.ndarray], evaluate):
    """``shift(t)``: the arrays set to original + t * direction and evaluated (``t = 0`` restores them)."""

    def shift(t: float):
        for a, a0, d in zip(arrays, originals, directions):
            if t == 1.0:
                np.add(a0, d, out=a)
            elif t == -1.0:
                np.subtract(a0, d, out=a)
            elif t != 0.0:
                np.multiply(d, t, out=a)
                a += a0
            else:
                np.copyto(a, a0)
        return np.array(evaluate(), dtype=np.float64) if t != 0.0 else None

    return shift


def _two_point(o_p: np.ndarray, o_m: np.ndarray, base_out, probe, t: float, eps: float) -> Estimate:
    """The central difference at +-t alone, its error the rounding bound (no truncation term)."""
    value = _dot(probe, o_p - o_m) / (2 * t)
    scale = float(np.sum(np.abs(probe) * (np.abs(o_p) + np.abs(o_m) + np.abs(base_out))))
    return Estimate(value, 4.0 * eps * scale / t + eps * abs(value), value, value, False)


def central_difference(
    evaluate, arrays: list[np.ndarray], directions: list[np.ndarray], originals: list[np.ndarray], base_out, probe,
    step: float, eps: float = EPS, restore: bool = True,
) -> Estimate:
    """The two-point central difference along ``directions`` at +-``step`` (two evaluations), its error the
    rounding bound only: the caller knows the truncation is negligible, or measures it with a second step."""
    shift = _mover(arrays, originals, directions, evaluate)
    try:
        return _two_point(shift(step), shift(-step), base_out, probe, step, eps)
    finally:
        if restore:
            shift(0.0)


def directional_estimate(
    evaluate, arrays: list[np.ndarray], directions: list[np.ndarray], base_out, probe, eps: float = EPS,
    accept: Callable[[Estimate], bool] | None = None, *, step: float | None = None,
    originals: list[np.ndarray] | None = None, restore: bool = True,
) -> Estimate:
    """Estimate the derivative of <probe, evaluate()> along ``directions`` (one per array).

    The arrays are moved together to base + t * direction (t = ``step``, cbrt(eps) unless given) and
    restored afterwards; ``originals``, when given, are their unmoved values, kept by a caller that draws
    several directions (and who may pass ``restore=False`` and restore them once, after the last).  With
    ``accept``, the step-t central difference is returned alone (two evaluations, its error the rounding
    bound) when ``accept`` takes it: the t/2 evaluations that bound truncation and reveal kinks are spent
    only where it does not already agree with what is claimed.
    """
    originals = [a.copy() for a in arrays] if originals is None else originals
    t0 = eps ** (1.0 / 3.0) if step is None else step
    base_shift = _mover(arrays, originals, directions, evaluate)
    moved = [True]

    def shift(t: float):
        moved[0] = t != 0.0
        return base_shift(t)

    try:
        if accept is not None:
            quick = _two_point(shift(t0), shift(-t0), base_out, probe, t0, eps)
            if accept(quick):
                return quick
        return estimate(shift, base_out, probe, t0, eps)
    finally:
        if moved[0] and restore:
            shift(0.0)
