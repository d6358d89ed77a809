"""Trajectory checks: a learner's optimizer against every correct formulation of its algorithm.

Trajectories are compared with a tolerance of 1e-4 of the distance each
coordinate has travelled: wide enough to accept any epsilon from 0 to 1e-6 in
any placement, narrow enough that every listed mistake (tested to be off by more
than 1e-2) is caught.  A failing optimizer is named by the first step and
parameter that departs, and by the mistake whose trajectory it follows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..report.model import Evidence, GradientCheck, Note
from .optimizers import FORMULATIONS, MUTANTS, run

RTOL = 1e-4


@dataclass
class Departure:
    """How far a trajectory is from a reference: the worst ratio of error to tolerance, and where."""

    ratio: float
    step: int
    key: str
    index: tuple
    expected: float
    got: float
    tolerance: float


def departure(got: list[dict], want: list[dict], start: dict) -> Departure:
    """The worst disagreement between two trajectories, relative to the distance travelled."""
    worst = Departure(-1.0, 0, "", (), 0.0, 0.0, 0.0)
    travelled = {k: np.zeros_like(np.asarray(v, dtype=np.float64)) for k, v in start.items()}
    previous = {k: np.asarray(v, dtype=np.float64) for k, v in start.items()}
    for step, (g, w) in enumerate(zip(got, want), start=1):
        for key in w:
            travelled[key] = travelled[key] + np.abs(w[key] - previous[key])
            previous[key] = w[key]
            gk = np.asarray(g.get(key), dtype=np.float64) if key in g else None
            if gk is None or gk.shape != w[key].shape:
                return Departure(np.inf, step, key, (), float("nan"), float("nan"), 0.0)
            finite = np.isfinite(gk)
            if not np.array_equal(finite, np.isfinite(w[key])):  # NaN where the other has a number
                idx = np.unravel_index(int(np.argmax(finite != np.isfinite(w[key]))), gk.shape)
                return Departure(np.inf, step, key, idx, float(w[key][idx]), float(gk[idx]), 0.0)
            tol = RTOL * travelled[key] + 1e-12
            ratio = np.where(finite, np.abs(np.where(finite, gk - w[key], 0.0)) / tol, 0.0)
            idx = np.unravel_index(int(np.argmax(ratio)), ratio.shape)
            if ratio[idx] > worst.ratio:
                worst = Departure(float(ratio[idx]), step, key, idx, float(w[key][idx]), float(gk[idx]), float(tol[idx]))
            if worst.ratio > 1.0:
                return worst
    return worst


def check_trajectory(algorithm: str, got: list[dict], params: dict, grads_seq: list[dict], hp: dict,
                     label: str, in_place: bool = True, prefer: str = "") -> GradientCheck:
    """Compare a learner's trajectory with each formulation of ``algorithm``; diagnose when none matches.

    The closest formulation is named; on a tie, the one whose label contains ``prefer`` (the learner's convention).
    """
    scored = []
    for form in FORMULATIONS[algorithm]:
        want = run(form.step, params, grads_seq, form.hyper(hp))
        scored.append((departure(got, want, params), form))
    matching = sorted((pair for pair in scored if pair[0].ratio <= 1.0), key=lambda pair: pair[0].ratio)
    closest = [pair for pair in matching if pair[0].ratio <= matching[0][0].ratio * 1.01 + 1e-6] if matching else []
    preferred = [pair for pair in closest if prefer and prefer in pair[1].label]
    best, form = (preferred or closest or [min(scored, key=lambda pair: pair[0].ratio)])[0]
    primary = scored[0][0]
    check = GradientCheck(label, bool(matching) and in_place, "trajectory", len(grads_seq))
    if matching:
        check.notes.append(Note("optim.matches", {"label": Note(f"form.{form.key}")}))
        others = [Note(f"form.{f.key}") for d, f in scored if d.ratio > 1.0]
        if others:
            check.notes.append(Note("optim.differs_from", {"labels": others}))
    else:
        check.worst = Evidence(
            f"t={primary.step}, {primary.key}[{', '.join(str(int(i)) for i in primary.index)}]",
            primary.expected, primary.got, primary.tolerance,
        )
        check.notes.append(Note("optim.first_step", {"step": primary.step, "key": primary.key}))
        check.diagnoses.extend(diagnose(algorithm, got, params, grads_seq, hp))
    if not in_place:
        check.passed = False
        check.diagnoses.insert(0, Note("mistake.not_in_place"))
    elif not check.passed and all(np.array_equal(step[k], params[k]) for step in got for k in params):
        check.diagnoses = [Note("mistake.never_changed")]  # the caller's params were never touched
    return check


def diagnose(algorithm: str, got: list[dict], params: dict, grads_seq: list[dict], hp: dict) -> list[Note]:
    """The mistakes whose trajectories the learner's follows."""
    found = []
    for key, mutant_algorithm, overrides in MUTANTS.get(algorithm, []):
        form = FORMULATIONS[mutant_algorithm][0]
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):  # a mutant may take sqrt of a negative
            want = run(form.step, params, grads_seq, {**form.hyper(hp), **overrides})
        if departure(got, want, params).ratio <= 1.0:
            found.append(Note(key))
    if not found:
        form = FORMULATIONS[algorithm][0]
        if departure(got, run(form.step, params, grads_seq, form.hyper(hp), shared_state=True), params).ratio <= 1.0:
            found.append(Note("mistake.shared_state"))
    return found
