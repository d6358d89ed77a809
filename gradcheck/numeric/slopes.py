"""The learner's forward against the reference's around the checked point, not only at it.

The gradient is compared with finite differences of the learner's own forward, and the forward with the
reference at the base point.  A forward that returns a remembered output for every input near the base point
passes both with a zero backward.  Comparing how the two forwards change along a few random directions of
all the arrays (inputs and parameters together) closes that: a forward that is the function it claims changes
as the reference does, and a constant offset (the book's 1e-7 inside a log) cancels in the differences.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..report.model import CheckResult, GradientCheck, Note
from .compare import as_float, compare_exact

DIRECTIONS = 3
#: A step large against rounding, small against curvature; relative to the largest entry of the arrays.
STEP = 1e-4
RTOL, ATOL = 1e-4, 1e-8

Forward = Callable[[list[np.ndarray]], object]


def compare_slopes(learner: Forward, reference: Forward, base: list[np.ndarray], seed: int) -> GradientCheck | None:
    """Both forwards' central differences along ``DIRECTIONS`` random directions of ``base`` (every array the
    forward depends on), compared; None when there is nothing to move or the reference does not run."""
    base = [np.asarray(a, dtype=np.float64) for a in base]
    if not base or not any(a.size for a in base):
        return None
    rng = np.random.default_rng([seed, 7919])
    h = STEP * max(1.0, max(float(np.max(np.abs(a), initial=0.0)) for a in base))
    wants, gots = [], []
    for _ in range(DIRECTIONS):
        direction = [rng.standard_normal(a.shape) for a in base]
        scale = max(float(np.max(np.abs(d), initial=0.0)) for d in direction) or 1.0
        plus = [a + h * d / scale for a, d in zip(base, direction)]
        minus = [a - h * d / scale for a, d in zip(base, direction)]
        try:
            want = (np.asarray(reference(plus), dtype=np.float64) - np.asarray(reference(minus), dtype=np.float64)) / (2 * h)
        except (ArithmeticError, ValueError, TypeError, IndexError):
            return None
        up, down = as_float(learner(plus)), as_float(learner(minus))
        if up is None or down is None or up.shape != want.shape or down.shape != want.shape:
            return None  # the comparison at the base point already says what is wrong with the output
        wants.append(want.ravel())
        gots.append(((up - down) / (2 * h)).ravel())
    check = compare_exact("forward", np.concatenate(wants), np.concatenate(gots), rtol=RTOL, atol=ATOL, method="reference slopes")
    if not check.passed:
        check.diagnoses.append(Note("forward.slope"))
    return check


def unverify(result: CheckResult, reason: Note) -> None:
    """Every gradient check of ``result`` that passed is marked failed with ``reason``: an agreement with
    differences of the learner's forward that proves nothing (a forged forward, a forbidden numeric backward)."""
    for check in result.checks:
        if check.gradient != "forward" and check.passed:
            check.passed, check.problem = False, reason


def void_gradients(result: CheckResult) -> None:
    """Where the forward failed the comparison around the point, no gradient checked against differences of
    it stands (a forged forward scores nothing)."""
    if any(c.method == "reference slopes" and not c.passed for c in result.checks):
        unverify(result, Note("grad.unverified"))
