"""Judging a learner's own numerical-gradient routine: it is called on functions whose gradients are known
exactly, and each result is compared with the exact gradient (its shape, whether x was put back, and an
error that tells a one-sided difference from a wrong one).  Used by verify and by grading alike."""

from __future__ import annotations

import numpy as np

from ..report.model import Note

#: The test functions (defined again in the child) by name, with their exact elementwise derivatives.
EXACT = {
    "sum_squares": lambda x: 2 * x,
    "sin_exp": lambda x: np.exp(x / 3) * (np.cos(x) + np.sin(x) / 3),
    "cubic": lambda x: 3 * x**2 - 2,
}
#: A central difference with h near 1e-4 is this close; a one-sided one is off by about h.
TOLERANCE = 1e-6


def cases(shape: tuple[int, ...], seed: int = 11, upstream: bool = False) -> list[dict]:
    """One case per test function, at a random x of ``shape`` (and an upstream ``df`` where it is asked for)."""
    rng = np.random.default_rng(seed)
    out = []
    for f in EXACT:
        case = {"f": f, "x": rng.uniform(-2, 2, shape)}
        if upstream:
            case["df"] = rng.standard_normal(shape)
        out.append(case)
    return out


def judge(case: dict, reply: dict, name: str) -> tuple[Note | None, int]:
    """(what is wrong, or None; elements compared) for one case's reply."""
    want = EXACT[case["f"]](case["x"]) * case.get("df", 1.0)
    try:
        got = np.array(reply["grad"], dtype=np.float64)
    except (TypeError, ValueError):
        return Note("grade.numgrad_type", {"name": name}), 0
    if got.shape != want.shape:
        return Note("grade.numgrad_shape", {"got": list(got.shape), "want": list(want.shape)}), 0
    if not reply["restored"]:
        return Note("grade.numgrad_restore"), int(got.size)
    err = float(np.max(np.abs(got - want) / np.maximum(1.0, np.abs(want)), initial=0.0))
    if not np.isfinite(err) or err > TOLERANCE:
        key = "grade.numgrad_forward" if err < 1e-2 else "grade.numgrad_wrong"
        return Note(key, {"f": case["f"], "err": f"{err:.2g}"}), int(got.size)
    return None, int(got.size)
