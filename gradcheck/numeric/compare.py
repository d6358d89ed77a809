"""Comparing a claimed gradient with finite-difference estimates, honestly.

The tolerance for each element is a multiple of that element's own error
estimate (truncation from Richardson plus a rounding bound), so a correct
gradient never fails and a wrong one has nowhere to hide behind a loose atol.
"""

from __future__ import annotations

import numpy as np

from ..report.model import Evidence, GradientCheck, Note
from .diagnose import diagnose_arrays, diagnose_ratios
from .diff import EPS

SAFETY = 10.0


def to_array(value, name: str) -> tuple[np.ndarray | None, Note | None]:
    """Turn what a backward returned into a float64 array, or say why it cannot be."""
    if value is None:
        return None, Note("grad.none", {"name": name})
    kind = "list" if isinstance(value, (list, tuple)) else None
    low = isinstance(value, np.ndarray) and value.dtype.kind == "f" and value.dtype.itemsize < 8
    try:
        arr = np.array(value, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        return None, Note("grad.not_numeric", {"name": name, "type": getattr(value, "type_name", type(value).__name__)})
    except Exception as exc:  # a rigged object can raise anything from __array__ or __float__
        return None, Note("grad.not_numeric", {"name": name, "type": f"{type(value).__name__} ({exc})"})
    if not np.all(np.isfinite(arr)):
        return None, Note("grad.not_finite", {"name": name, "count": int(np.sum(~np.isfinite(arr)))})
    if kind == "list":
        return arr, Note("grad.was_list", {"name": name})
    if low:
        return arr, Note("grad.low_precision", {"name": name, "dtype": str(value.dtype)})
    return arr, None


def _format_index(index: tuple[int, ...]) -> str:
    return "[" + ", ".join(str(int(i)) for i in index) + "]"


def shape_problem(name: str, got: np.ndarray, shape: tuple[int, ...], batch: int | None = None) -> Note | None:
    """A note when ``got`` cannot be compared elementwise with an array of ``shape`` (``batch``: the batch size,
    to recognise a sum over the wrong axis)."""
    if got.shape == tuple(shape):
        return None
    if batch and got.shape == (batch,) and len(shape) == 1 and shape[0] != batch:
        return Note("grad.shape_wrong_axis", {"name": name, "got": list(got.shape), "want": list(shape), "n": batch})
    if got.ndim == 2 and got.T.shape == tuple(shape):
        return Note("grad.shape_transposed", {"name": name, "got": list(got.shape), "want": list(shape)})
    if got.ndim == len(shape) + 1 and got.shape[0] == 1 and got.shape[1:] == tuple(shape):
        return Note("grad.shape_keepdims", {"name": name, "got": list(got.shape), "want": list(shape)})
    if got.ndim == len(shape) + 1 and got.shape[1:] == tuple(shape):
        return Note("grad.shape_batch", {"name": name, "got": list(got.shape), "want": list(shape)})
    return Note("grad.shape", {"name": name, "got": list(got.shape), "want": list(shape)})


def worst_evidence(expected, got, tol, score, index_labels=None, lower=None, upper=None) -> Evidence | None:
    """The element with the highest ``score`` as evidence; a kink's one-sided range where ``lower`` is not NaN.
    The one place every comparison (finite differences, exact oracles, reference outputs) names its worst element."""
    if got.size == 0:
        return None
    idx = np.unravel_index(int(np.argmax(score)), got.shape)
    where = index_labels[int(np.ravel_multi_index(idx, got.shape))] if index_labels else _format_index(idx)
    on_kink = lower is not None and not np.isnan(lower[idx])
    return Evidence(where, float(expected[idx]), float(got[idx]), float(tol[idx]),
                    float(lower[idx]) if on_kink else None, float(upper[idx]) if on_kink else None)


def compare_exact(name: str, want: np.ndarray, got: np.ndarray, rtol: float, atol: float, method: str) -> GradientCheck:
    """``got`` against exactly known values: tolerance ``rtol`` per element plus ``atol`` of the largest value."""
    tol = rtol * np.abs(want) + atol * max(1.0, float(np.max(np.abs(want), initial=0.0)))
    err = np.abs(got - want)
    passed = bool(np.all(err <= tol))
    return GradientCheck(name, passed, method, int(want.size), worst_evidence(want, got, tol, err - tol))


def as_float(value) -> np.ndarray | None:
    """``value`` as a float64 array, or None when it is not numbers."""
    try:
        return np.array(value, dtype=np.float64)
    except Exception:  # anything that is not numbers counts as no usable output
        return None


def compare_outputs(want, got) -> GradientCheck:
    """A forward output against the reference's (tolerant of the book's 1e-7 inside a log)."""
    want = np.asarray(want, dtype=np.float64)
    got = as_float(got)
    if got is None or got.shape != want.shape:
        shape = None if got is None else list(got.shape)
        return GradientCheck("forward", False, "reference", problem=Note("forward.shape", {"got": shape, "want": list(want.shape)}))
    if not np.all(np.isfinite(got)):
        return GradientCheck("forward", False, "reference", problem=Note("forward.not_finite", {"count": int(np.sum(~np.isfinite(got)))}))
    check = compare_exact("forward", want, got, rtol=1e-5, atol=1e-6, method="reference")
    if not check.passed:
        check.diagnoses.append(Note("forward.differs"))
    return check


def element_tolerance(error, got, expected, eps: float = EPS, rtol: float = 0.0, atol: float = 0.0):
    """How far a claimed element may be from its estimate: SAFETY times the estimate's error bound plus a few
    rounding units of the larger of the two, or the ``rtol`` (of the largest element) and ``atol`` floor."""
    scale = np.maximum(np.abs(got), np.abs(expected))
    return np.maximum(SAFETY * error + 16.0 * eps * scale, max(rtol * float(np.max(scale, initial=0.0)), atol))


def compare_full(
    name: str,
    got: np.ndarray,
    expected: np.ndarray,
    error: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    kink: np.ndarray,
    eps: float = EPS,
    batch: int | None = None,
    index_labels: list[str] | None = None,
    rtol: float = 0.0,
    atol: float = 0.0,
    values: np.ndarray | None = None,
) -> GradientCheck:
    """Compare every element of ``got`` with its estimate; name the worst one.  ``values`` (the input, for a
    layer that may be elementwise) lets a pattern of wrong elements be told by the input's sign, not by row.

    ``index_labels`` names the elements when they are a sample of a larger array; ``rtol`` is a relative
    floor for a function known to differ from what its backward differentiates by a small constant.
    """
    tol = element_tolerance(error, got, expected, eps, rtol, atol)
    lo = np.where(kink, lower, expected) - tol
    hi = np.where(kink, upper, expected) + tol
    excess = np.maximum(lo - got, got - hi)
    ratio = np.where(tol > 0, np.maximum(excess, 0) / np.where(tol > 0, tol, 1), np.where(excess > 0, np.inf, 0))
    passed = bool(np.all(excess <= 0))
    worst = worst_evidence(expected, got, tol, np.abs(got - expected) if passed else ratio, index_labels,
                           np.where(kink, lower, np.nan), np.where(kink, upper, np.nan))
    bad = (excess > 0) & ~kink
    diagnoses = [] if passed or index_labels else diagnose_arrays(got, expected, bad, batch, values)
    check = GradientCheck(name, passed, "fast" if index_labels else "full", int(got.size), worst, int(np.sum(kink)), diagnoses)
    if not passed and not index_labels:
        check.error_map = error_map(ratio)
    return check


def error_map(ratio: np.ndarray, limit: int = 48) -> list[list[float]]:
    """Where a gradient is wrong, for a heatmap: error/tolerance per element as a matrix (rows by the first axis,
    the rest flattened), each block of a larger array pooled to its maximum so that at most ``limit`` x ``limit``
    cells remain."""
    grid = np.nan_to_num(np.asarray(ratio, dtype=np.float64), nan=0.0, posinf=1e6)
    grid = grid.reshape(grid.shape[0], -1) if grid.ndim >= 2 else grid.reshape(1, -1)
    rows, cols = grid.shape
    fy, fx = -(-rows // limit), -(-cols // limit)
    padded = np.zeros((fy * -(-rows // fy), fx * -(-cols // fx)))
    padded[:rows, :cols] = grid
    pooled = padded.reshape(padded.shape[0] // fy, fy, padded.shape[1] // fx, fx).max(axis=(1, 3))
    return np.round(pooled, 3).tolist()


def compare_projections(
    name: str,
    got: list[float],
    estimates: list,
    got_scale: list[float],
    labels: list[str],
    eps: float = EPS,
    rtol: float = 0.0,
) -> GradientCheck:
    """Compare u.J.v from backward with directional differences, one per projection; ``rtol`` (of the
    projection's scale, as full mode's is of the largest element) is the floor a known small constant needs."""
    worst, worst_ratio, passed, kinks = None, -1.0, True, 0
    for g, est, scale, label in zip(got, estimates, got_scale, labels):
        tol = max(SAFETY * est.error + 64.0 * eps * scale, rtol * scale)
        lo, hi = (est.lower, est.upper) if est.kink else (est.value, est.value)
        kinks += est.kink
        excess = max(lo - tol - g, g - hi - tol)
        ratio = excess / tol if tol > 0 else (np.inf if excess > 0 else 0.0)
        if excess > 0:
            passed = False
        if ratio > worst_ratio:
            worst_ratio = ratio
            worst = Evidence(label, est.value, g, tol, est.lower if est.kink else None, est.upper if est.kink else None)
    diagnoses = [] if passed else diagnose_ratios(got, [e.value for e in estimates])
    return GradientCheck(name, passed, "fast", len(got), worst, kinks, diagnoses)


def merge(first: GradientCheck, second: GradientCheck) -> GradientCheck:
    """Combine two checks of the same gradient (projections, then sampled elements)."""
    failed = [c for c in (first, second) if not c.passed]
    lead = failed[0] if failed else first
    return GradientCheck(
        first.gradient,
        not failed,
        "fast",
        first.checked + second.checked,
        lead.worst,
        first.kinks + second.kinks,
        lead.diagnoses or (failed[1].diagnoses if len(failed) > 1 else []),
        lead.problem,
    )
