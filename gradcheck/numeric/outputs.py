"""Comparing a forward output with the reference layer's, tolerant of the book's small constants in a log."""

from __future__ import annotations

import numpy as np

from ..report.model import Evidence, GradientCheck, Note


def as_float(value) -> np.ndarray | None:
    try:
        arr = np.array(value, dtype=np.float64)
    except Exception:  # anything that is not numbers counts as no usable output
        return None
    return arr


def compare_outputs(want, got) -> GradientCheck:
    """A forward output against the reference's (tolerant of the book's 1e-7 inside a log)."""
    want = np.asarray(want, dtype=np.float64)
    got = as_float(got)
    if got is None or got.shape != want.shape:
        shape = None if got is None else list(got.shape)
        return GradientCheck("forward", False, "reference", problem=Note("forward.shape", {"got": shape, "want": list(want.shape)}))
    if not np.all(np.isfinite(got)):
        return GradientCheck("forward", False, "reference", problem=Note("forward.not_finite", {"count": int(np.sum(~np.isfinite(got)))}))
    tol = 1e-5 * np.abs(want) + 1e-6 * max(1.0, float(np.max(np.abs(want), initial=0.0)))
    err = np.abs(got - want)
    passed = bool(np.all(err <= tol))
    worst = None
    if want.size:
        idx = np.unravel_index(int(np.argmax(err - tol)), want.shape)
        worst = Evidence("[" + ", ".join(str(int(i)) for i in idx) + "]", float(want[idx]), float(got[idx]), float(tol[idx]))
    return GradientCheck("forward", passed, "reference", int(want.size), worst, diagnoses=[] if passed else [Note("forward.differs")])
