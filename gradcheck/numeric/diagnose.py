"""Naming the likely mistake behind a wrong gradient from the shape of its error.

Each test looks for one pattern learners make (a constant factor, a transpose,
one wrong row, gradient where none should flow) and returns a Note for it.
"""

from __future__ import annotations

import numpy as np

from ..report.model import Note

_NAMED_FACTORS = {-1.0: "sign", 2.0: "two", 0.5: "half"}
#: A constant factor is claimed only when this many nonzero elements share it.
MIN_ELEMENTS = 4


def close(a: np.ndarray, b: np.ndarray, rtol: float = 1e-6) -> bool:
    """``a`` equals ``b`` to ``rtol`` of ``b``'s largest element."""
    scale = max(float(np.max(np.abs(b), initial=0.0)), 1e-300)
    return bool(np.all(np.abs(a - b) <= rtol * scale))


def tidy(c: float) -> float | int:
    """A factor as a reader writes it: 20, not 20.0; 0.333333, not 0.33333333333."""
    rounded = round(c, 6)
    return int(rounded) if rounded == int(rounded) else rounded


def _factor_note(c: float, batch: int | None) -> Note:
    if batch and batch > 1:
        ambiguous = "_or_two" if batch == 2 else ""  # with N = 2, a factor 2 from a square fits as well
        if abs(c - batch) < 1e-6 * batch:
            return Note("diag.factor_batch" + ambiguous, {"factor": c, "n": batch})
        if abs(c - 1.0 / batch) < 1e-6 / batch:
            return Note("diag.factor_inverse_batch" + ambiguous, {"factor": c, "n": batch})
    for value, word in _NAMED_FACTORS.items():
        if abs(c - value) < 1e-6 * abs(value):
            return Note(f"diag.factor_{word}", {"factor": value})
    if c > 0 and abs(1 / c - round(1 / c)) < 1e-6 / c and round(1 / c) > 2:
        return Note("diag.factor_divided", {"n": int(round(1 / c))})
    return Note("diag.factor", {"factor": tidy(c)})


def constant_factor(got: np.ndarray, expected: np.ndarray) -> float | None:
    """The c with got == c * expected, when there is one and it is not 1."""
    denom = float(np.sum(expected * expected))
    if denom == 0.0 or np.count_nonzero(expected) < MIN_ELEMENTS:  # a few numbers are always "a constant times" others
        return None
    c = float(np.sum(got * expected)) / denom
    if abs(c - 1.0) < 1e-5 or not close(got, c * expected, rtol=min(1e-6, abs(c - 1.0) / 100)):
        return None
    return c


def diagnose_arrays(got: np.ndarray, expected: np.ndarray, bad: np.ndarray, batch: int | None = None,
                    values: np.ndarray | None = None) -> list[Note]:
    """Likely mistakes behind ``got`` differing from ``expected`` where ``bad`` is true; ``values`` is the input
    of a layer that may be elementwise, whose errors are told by the input's sign."""
    notes: list[Note] = []
    if not np.any(got) and np.any(expected):
        return [Note("diag.zero")]
    c = constant_factor(got, expected)
    if c is not None:
        return [_factor_note(c, batch)]
    if got.ndim == 2 and got.shape[0] == got.shape[1] and got.shape[0] > 1 and close(got, expected.T):
        return [Note("diag.transposed")]
    leaks = bad & (expected == 0) & (got != 0)
    if np.any(leaks) and np.sum(leaks) >= max(1, np.sum(bad) // 2):
        notes.append(Note("diag.leak", {"count": int(np.sum(leaks))}))
    region = None if notes else sign_region(got, expected, bad, values)
    if region is not None:
        return [region]
    if not notes:
        notes.extend(element_pattern(got, expected, bad))
    if not notes and np.any(bad):
        c_neg = constant_factor(-got, expected)
        if c_neg is not None:
            notes.append(_factor_note(-c_neg, batch))
    return notes


def sign_region(got: np.ndarray, expected: np.ndarray, bad: np.ndarray, values: np.ndarray | None) -> Note | None:
    """"Wrong only where x < 0 (there 0.3 times the right value)": the wrong elements are exactly those of one
    sign of the input, as when one branch of an elementwise layer (ELU's, LeakyReLU's) is wrong."""
    if values is None or values.shape != got.shape or not np.any(bad):
        return None
    for side, mask in (("negative", values < 0), ("positive", values > 0)):
        if np.sum(mask) >= 2 and np.sum(~mask) >= 2 and np.array_equal(bad, mask & bad) and np.sum(bad) >= np.sum(mask) - 1:
            c = constant_factor(got[mask], expected[mask]) if np.count_nonzero(expected[mask]) >= 2 else None
            if c is not None:
                return Note("diag.region_factor", {"side": Note(f"side.{side}"), "factor": tidy(c)})
            return Note("diag.region", {"side": Note(f"side.{side}")})
    return None


def _axes(ndim: int) -> list[tuple[int, str]]:
    """The axes whose slices a learner thinks in: rows, columns, and channels of an (N, C, H, W) array."""
    axes = [(0, "rows"), (ndim - 1, "columns")]
    return axes + [(1, "channels")] if ndim == 4 else axes


def _listed(indices) -> str:
    shown = ", ".join(str(int(i)) for i in indices[:6])
    return shown + (", ..." if len(indices) > 6 else "")


def element_pattern(got: np.ndarray, expected: np.ndarray, bad: np.ndarray) -> list[Note]:
    """Where no known mistake fits: which rows, columns or channels are wrong (the rest being right), or a
    factor that is constant within each of them but differs between them."""
    if got.ndim < 2 or not np.any(bad):
        return []
    for axis, kind in _axes(got.ndim):
        wrong = np.unique(np.nonzero(bad)[axis])
        size = got.shape[axis]
        if size > 1 and wrong.size <= max(1, size // 2):
            if wrong.size == 1 and kind in ("rows", "columns"):
                key, params = ("diag.one_row", {"row": int(wrong[0])}) if kind == "rows" else ("diag.one_column", {"column": int(wrong[0])})
                return [Note(key, params)]
            return [Note(f"diag.some_{kind}", {"which": _listed(wrong), "count": int(wrong.size), "total": size})]
    for axis, kind in _axes(got.ndim):
        others = tuple(a for a in range(got.ndim) if a != axis)
        denom = np.sum(expected * expected, axis=others, keepdims=True)
        if got.shape[axis] < 2 or np.any(denom == 0) or np.prod([got.shape[a] for a in others]) < MIN_ELEMENTS:
            continue
        factors = np.sum(got * expected, axis=others, keepdims=True) / denom
        if close(got, factors * expected) and np.ptp(factors) > 1e-6 * np.max(np.abs(factors)):
            shown = ", ".join(f"{float(f):.4g}" for f in factors.reshape(-1)[:4]) + (", ..." if factors.size > 4 else "")
            return [Note(f"diag.factor_per_{kind[:-1]}", {"factors": shown})]
    return []


def diagnose_ratios(got: list[float], expected: list[float]) -> list[Note]:
    """From projections only: a constant ratio between claimed and measured slopes."""
    pairs = [(g, e) for g, e in zip(got, expected) if abs(e) > 0]
    if len(pairs) < 2:
        return []
    ratios = [g / e for g, e in pairs]
    c = ratios[0]
    if abs(c - 1.0) > 1e-6 and all(abs(r - c) <= 1e-6 * max(1.0, abs(c)) for r in ratios):
        return [_factor_note(c, None)]
    return []
