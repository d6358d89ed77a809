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


def _factor_note(c: float, batch: int | None) -> Note:
    if batch and batch > 1:
        if abs(c - batch) < 1e-6 * batch:
            return Note("diag.factor_batch", {"factor": c, "n": batch})
        if abs(c - 1.0 / batch) < 1e-6 / batch:
            return Note("diag.factor_inverse_batch", {"factor": c, "n": batch})
    for value, word in _NAMED_FACTORS.items():
        if abs(c - value) < 1e-6 * abs(value):
            return Note(f"diag.factor_{word}", {"factor": value})
    return Note("diag.factor", {"factor": round(c, 6)})


def constant_factor(got: np.ndarray, expected: np.ndarray) -> float | None:
    """The c with got == c * expected, when there is one and it is not 1."""
    denom = float(np.sum(expected * expected))
    if denom == 0.0 or np.count_nonzero(expected) < MIN_ELEMENTS:  # a few numbers are always "a constant times" others
        return None
    c = float(np.sum(got * expected)) / denom
    if abs(c - 1.0) < 1e-5 or not close(got, c * expected, rtol=min(1e-6, abs(c - 1.0) / 100)):
        return None
    return c


def diagnose_arrays(got: np.ndarray, expected: np.ndarray, bad: np.ndarray, batch: int | None = None) -> list[Note]:
    """Likely mistakes behind ``got`` differing from ``expected`` where ``bad`` is true."""
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
    if got.ndim >= 2 and np.any(bad):
        rows = np.unique(np.nonzero(bad)[0])
        cols = np.unique(np.nonzero(bad)[-1])
        if rows.size == 1 and got.shape[0] > 1:
            notes.append(Note("diag.one_row", {"row": int(rows[0])}))
        elif cols.size == 1 and got.shape[-1] > 1:
            notes.append(Note("diag.one_column", {"column": int(cols[0])}))
    if not notes and np.any(bad):
        c_neg = constant_factor(-got, expected)
        if c_neg is not None:
            notes.append(_factor_note(-c_neg, batch))
    return notes


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
