"""Diagnosis by candidate mistakes: the gradients each known mistake would return are compared with what the
learner's backward returned for the same upstream gradient, and the one it equals is named on the failing
checks.  Candidates come from the convention's mistake modules (book_mistakes, cs231n_mistakes, ...)."""

from __future__ import annotations

import numpy as np

from ..numeric.effort import explaining

from ..numeric.layer import claimed_gradients
from ..report.model import CheckResult, Note
from ..sandbox.runner import LearnerFault

Candidates = dict[str, dict[str, np.ndarray]]


def _equal(mine, value: np.ndarray) -> bool:
    try:
        mine = np.asarray(mine, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    scale = max(float(np.max(np.abs(value), initial=0.0)), 1e-300)
    return mine.shape == value.shape and bool(np.all(np.abs(mine - value) <= 1e-6 * scale))


def matching(candidates: Candidates, got: dict[str, object]) -> str | None:
    """The first mistake whose every gradient equals the learner's (to 1e-6 of its largest value)."""
    for key, wanted in candidates.items():
        if all(name in got and _equal(got[name], value) for name, value in wanted.items()):
            return key
    return None


def upstream(out_shape: tuple, seed: int) -> np.ndarray:
    """The upstream gradient the candidates are compared on: the checks' own probe."""
    return np.random.default_rng(seed).standard_normal(out_shape)


def name_mistake(result: CheckResult, layer, inputs: list, seed: int, make, forward_kwargs: dict | None = None) -> None:
    """Run the learner's backward on the checks' probe, build the candidates with ``make(dout)`` and name the
    mistake the learner's gradients equal, on each failing check of a gradient the mistake covers."""
    if result.passed or result.problem is not None or not explaining():
        return
    try:
        out = np.asarray(layer.forward(*inputs, **(forward_kwargs or {})), dtype=np.float64)
        dout = upstream(out.shape, seed) if out.ndim else np.float64(1.0)
        got = claimed_gradients(layer, inputs, dout, forward_kwargs)
        candidates = make(dout)
    except (LearnerFault, ValueError, TypeError, IndexError, ArithmeticError):
        return  # the checks already report what the learner's code did
    key = matching(candidates, got)
    if key is None:
        return
    for check in result.failures():
        if check.gradient in candidates[key]:
            check.diagnoses = [Note(key.split("#")[0])]  # variants of one mistake share its key before '#'

