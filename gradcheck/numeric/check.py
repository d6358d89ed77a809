"""Gradient checks: claimed gradients against finite differences of the same function.

``check_gradients`` is the engine every convention uses: it receives the arrays
a function reads (perturbed in place), the function itself, and the gradients
its backward claimed for a probe vector, and returns one verdict per gradient.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from ..report.model import GradientCheck, Note
from .compare import compare_full, compare_projections, element_tolerance, merge, shape_problem, to_array
from .diagnose import close
from .effort import explaining
from .diff import EPS, Estimate, coordinate_points, directional_estimate, estimate_from
from .locate import Probe, locate
from .projections import Projected, magnitudes_of, project

#: The most output values one batch of evaluations may hold (about 32 MB of float64).
BATCH_VALUES = 4_000_000

#: ``mode="auto"`` checks every coordinate up to this many, and samples above it.
FULL_LIMIT = 4096

#: Once the joint projections agree, arrays of at most this many elements still get single-element samples:
#: there a random element has a fair chance of being a wrong one too small for the projections to show.
SAMPLED_LIMIT = 64


@dataclass(frozen=True)
class FastPlan:
    """How many random projections and single coordinates a fast check uses per gradient."""

    projections: int = 3
    samples: int = 2


def resolve_mode(mode: str, total: int) -> str:
    """Turn "auto" into "full" or "fast" by the number of coordinates."""
    if mode not in ("auto", "full", "fast"):
        raise ValueError(f"mode must be 'auto', 'full' or 'fast', not {mode!r}")
    if mode == "auto":
        return "full" if total <= FULL_LIMIT else "fast"
    return mode


def local_many(evaluate: Callable[[], np.ndarray]):
    """Batched evaluation done one call at a time: set each element, evaluate, restore."""

    def many(name: str, arr: np.ndarray, indices: np.ndarray, values: np.ndarray) -> np.ndarray:
        flat = arr.reshape(-1)
        outs = []
        for i, v in zip(indices, values):
            original = flat[i]
            flat[i] = v
            try:
                outs.append(np.array(evaluate(), dtype=np.float64))
            finally:
                flat[i] = original
        return np.stack(outs)

    return many


def coordinate_estimates(name, arr, picks, evaluate_many, base_out, probe, eps, claimed=None, longer: float = 1.0) -> list:
    """Estimates for the coordinates ``picks`` of ``arr``, their evaluations requested in batches (at steps
    ``longer`` times the usual one).

    With ``claimed`` (the gradient's values at ``picks``), each coordinate is first moved to +h and -h only;
    where that central difference already agrees with the claim to within its rounding bound, it is the
    estimate (two evaluations).  The h/2 points, which bound truncation and reveal a kink, are evaluated
    only for the coordinates where it does not."""
    flat = arr.reshape(-1)
    plans = [coordinate_points(float(flat[i]), eps, longer) for i in picks]
    estimates: list = [None] * len(picks)
    todo = list(range(len(picks)))
    if claimed is not None:
        todo = _two_point_pass(name, arr, picks, plans, evaluate_many, base_out, probe, eps, claimed, estimates)
    chunk = max(1, BATCH_VALUES // (4 * max(1, base_out.size)))
    for start in range(0, len(todo), chunk):
        part = todo[start:start + chunk]
        indices = np.repeat(np.asarray([picks[k] for k in part], dtype=np.int64), 4)
        values = np.asarray([v for k in part for v in plans[k][1]], dtype=np.float64)
        outs = evaluate_many(name, arr, indices, values)
        for j, k in enumerate(part):
            (hp, hm), _ = plans[k]
            estimates[k] = estimate_from(outs[4 * j : 4 * j + 4], base_out, probe, hp, hm, eps)
    return estimates


def _two_point_pass(name, arr, picks, plans, evaluate_many, base_out, probe, eps, claimed, estimates) -> list[int]:
    """Fill ``estimates`` where the step-h central difference agrees with ``claimed``; the rest, to do in full."""
    chunk = max(1, BATCH_VALUES // (2 * max(1, base_out.size)))
    rest = []
    base_abs = np.abs(base_out)
    for start in range(0, len(picks), chunk):
        part = range(start, min(start + chunk, len(picks)))
        indices = np.repeat(np.asarray([picks[k] for k in part], dtype=np.int64), 2)
        values = np.asarray([v for k in part for v in plans[k][1][:2]], dtype=np.float64)
        outs = evaluate_many(name, arr, indices, values)
        for j, k in enumerate(part):
            (hp, hm), _ = plans[k]
            o_p, o_m = outs[2 * j], outs[2 * j + 1]
            value = float(np.sum(probe * (o_p - o_m))) / (hp + hm)
            scale = float(np.sum(np.abs(probe) * (np.abs(o_p) + np.abs(o_m) + base_abs)))
            error = 4.0 * eps * scale / min(hp, hm) + eps * abs(value)
            g = float(claimed[k])
            if abs(g - value) <= element_tolerance(error, g, value, eps):
                estimates[k] = Estimate(value, error, value, value, False)
            else:
                rest.append(k)
    return rest


def _full(name, arr, got, evaluate, evaluate_many, base_out, probe, eps, batch, rtol=0.0, atol=0.0,
          values: np.ndarray | None = None) -> tuple[GradientCheck, np.ndarray]:
    n = arr.size
    value, error = np.empty(n), np.empty(n)
    lower, upper, kink = np.empty(n), np.empty(n), np.zeros(n, dtype=bool)
    claimed = got.reshape(-1) if rtol == 0.0 and atol == 0.0 else None
    for i, est in enumerate(coordinate_estimates(name, arr, list(range(n)), evaluate_many, base_out, probe, eps, claimed)):
        value[i], error[i], lower[i], upper[i], kink[i] = est.value, est.error, est.lower, est.upper, est.kink
    _confirm_at_a_longer_step(name, arr, got.reshape(-1), value, error, lower, upper, kink, evaluate_many, base_out,
                              probe, eps, rtol, atol)
    shape = arr.shape
    check = compare_full(
        name, got, value.reshape(shape), error.reshape(shape), lower.reshape(shape), upper.reshape(shape),
        kink.reshape(shape), eps, batch, rtol=rtol, atol=atol, values=values,
    )
    if check.passed and kink.sum() >= 2:
        check = _kinks_jointly(check, arr, got, kink.reshape(shape), evaluate, base_out, probe, eps)
    return check, value.reshape(shape)


#: A coordinate that disagrees is measured again at a step this many times longer, before it is reported ...
LONGER = 16.0
#: ... for at most this many coordinates (the closest calls): a gradient wrong everywhere stays wrong.
CONFIRMED = 64


def _confirm_at_a_longer_step(name, arr, got, value, error, lower, upper, kink, evaluate_many, base_out, probe, eps,
                              rtol, atol) -> None:
    """Measure the coordinates that disagree once more at a 16 times longer step, and keep that estimate where
    it agrees with the claim.  A forward that cancels inside (gamma * x_hat + beta with x_hat near -1 and beta
    = gamma: an output of 1e-4 from terms of 2.5) has rounding noise its small output does not show, and it
    falls as the step grows; a wrong gradient stays wrong at any step.  A longer step that meets a kink is not
    taken."""
    tol = element_tolerance(error, got, value, eps, rtol, atol)
    miss = np.abs(got - value) - tol
    suspects = np.flatnonzero((miss > 0) & ~kink)
    if suspects.size == 0:
        return
    suspects = suspects[np.argsort(miss[suspects] / tol[suspects])][:CONFIRMED]
    for k, est in zip(suspects, coordinate_estimates(name, arr, [int(i) for i in suspects], evaluate_many, base_out,
                                                      probe, eps, longer=LONGER)):
        if abs(got[k] - est.value) <= element_tolerance(est.error, got[k], est.value, eps) and not est.kink:
            value[k], error[k], lower[k], upper[k] = est.value, est.error, est.value, est.value


def _kinks_jointly(check: GradientCheck, arr, got, kink, evaluate, base_out, probe, eps) -> GradientCheck:
    """Move every kink coordinate up together, once more, and compare.  Each tied maximum alone accepts
    anything in its one-sided range, but moving the tied cells together moves the maximum exactly once: a
    backward that gives every tied cell the full gradient claims twice the derivative along that direction."""
    direction = kink.astype(np.float64)
    est = directional_estimate(evaluate, [arr], [direction], base_out, probe, eps)
    claimed = float(np.sum(got * direction))
    joint = compare_projections(check.gradient, [claimed], [est], [float(np.sum(np.abs(got * direction)))],
                                ["kink elements moved together"], eps)
    if joint.passed:
        return check
    joint.method, joint.checked, joint.kinks = check.method, check.checked, check.kinks
    joint.diagnoses = [Note("diag.ties_jointly", {"count": int(kink.sum())})]
    return joint


def _joint(arrays: list, evaluate, base_out, probe, eps, rng, plan: FastPlan, rtol: float = 0.0) -> Projected:
    """Every array moved at once along its own value-keyed direction: the claimed projections add up, and so
    do the errors of any wrong array, while the finite-difference noise stays that of one output.  A correct
    multi-array layer costs one set of projections instead of one per array; a disagreement sends each array
    to its own projections, which find the array and the element."""
    arrs, gots = [a for _, a, _ in arrays], [g for _, _, g in arrays]
    return project("joint", arrs, gots, magnitudes_of(arrs, eps), evaluate, base_out, probe, eps, rng,
                   plan.projections, rtol=rtol)


def _sampled(name, arr, got, evaluate_many, base_out, probe, eps, rng, plan: FastPlan, rtol: float = 0.0) -> GradientCheck:
    """A few single coordinates of one array, each against its two-point (or kink-aware) estimate."""
    flat = arr.reshape(-1)
    picks = np.sort(rng.choice(flat.size, size=min(plan.samples, flat.size), replace=False))
    estimates = coordinate_estimates(name, arr, [int(i) for i in picks], evaluate_many, base_out, probe, eps,
                                     got.reshape(-1)[picks])
    labels = [str([int(k) for k in np.unravel_index(int(i), arr.shape)]) for i in picks]
    return compare_full(
        name,
        got.reshape(-1)[picks],
        np.array([e.value for e in estimates]),
        np.array([e.error for e in estimates]),
        np.array([e.lower for e in estimates]),
        np.array([e.upper for e in estimates]),
        np.array([e.kink for e in estimates], dtype=bool),
        eps,
        index_labels=labels,
        rtol=rtol,
    )


def _fast(name, arr, got, evaluate, evaluate_many, base_out, probe, eps, rng, plan: FastPlan,
          wide: bool | None = None, rtol: float = 0.0) -> GradientCheck:
    moves = magnitudes_of([arr], eps)
    projected = project(name, [arr], [got], moves, evaluate, base_out, probe, eps, rng, plan.projections, wide, rtol)
    check = projected.check
    if not check.passed and not explaining():
        return check  # a verdict is all that is wanted: a failing projection decides it
    if not check.passed:
        one = lambda i: coordinate_estimates(name, arr, [i], evaluate_many, base_out, probe, eps)[0]  # noqa: E731
        _locate_into(check, Probe(name, arr, got, evaluate, one, base_out, probe, eps, projected.key, moves[0],
                                  step=projected.step))
    return merge(check, _sampled(name, arr, got, evaluate_many, base_out, probe, eps, rng, plan, rtol))


def _locate_into(check: GradientCheck, probe: Probe) -> None:
    """Replace a disagreeing projection's evidence with the wrong element it leads to, and name its extent."""
    found = locate(probe)
    if found is None:
        return
    check.worst = found.worst
    if found.pattern is not None and not any(n.key.startswith("diag.factor") for n in check.diagnoses):
        check.diagnoses = [found.pattern]


def check_gradients(
    evaluate: Callable[[], np.ndarray],
    blocks: list[tuple[str, np.ndarray]],
    grads: dict[str, object],
    probe: np.ndarray | float,
    *,
    mode: str = "auto",
    seed: int = 0,
    eps: float = EPS,
    batch: int | None = None,
    plan: FastPlan = FastPlan(),
    evaluate_many=None,
    rtol: float = 0.0,
    atol: float = 0.0,
) -> list[GradientCheck]:
    """Check each claimed gradient ``grads[name]`` of <probe, evaluate()> w.r.t. the array ``name``.

    Each array in ``blocks`` must be a writable, C-contiguous float64 array that
    ``evaluate`` reads; it is perturbed in place and restored.  ``evaluate_many(name,
    arr, indices, values)``, when given, returns the outputs with ``arr.flat[indices[k]]``
    set to ``values[k]`` (one at a time) stacked in one array: a sandboxed layer
    answers that in one request instead of one per evaluation.  The claimed gradients are copied before
    the first evaluation, so a forward that writes into the arrays backward returned changes nothing here.
    """
    evaluate_many = evaluate_many or local_many(evaluate)
    rng = np.random.default_rng(seed)
    checks, measured, claimed = [], {}, {}
    for name, arr in blocks:
        got, problem = to_array(grads.get(name), name)
        if got is not None:
            problem = shape_problem(name, got, arr.shape, batch) or problem
            if problem is not None and problem.key.startswith("grad.shape"):
                got = None
        claimed[name] = (got, problem)
    base_out = np.array(evaluate(), dtype=np.float64)
    resolved = resolve_mode(mode, sum(a.size for _, a in blocks))
    usable = [(name, arr, claimed[name][0]) for name, arr in blocks if claimed[name][0] is not None]
    joint = None
    if resolved == "fast" and len(usable) >= 2:
        joint = _joint(usable, evaluate, base_out, probe, eps, rng, plan, rtol)
    for name, arr in blocks:
        got, problem = claimed[name]
        if got is None:
            checks.append(GradientCheck(name, False, resolved, problem=problem))
            continue
        # a float32 gradient is judged at float32's precision: its rounding is not a mistake (the second book
        # stores float32); anything larger still fails, and then low precision is not offered as the cause
        low = problem is not None and problem.key == "grad.low_precision"
        atol_used = max(atol, precision_floor(problem.params["dtype"], got)) if low else atol
        if resolved == "full":
            # one input and an output of its shape: perhaps elementwise, so errors are grouped by the input's sign
            values = arr if len(blocks) == 1 and base_out.shape == arr.shape else None
            check, expected = _full(name, arr, got, evaluate, evaluate_many, base_out, probe, eps, batch, rtol, atol_used, values)
            measured[name] = (got, expected)
        elif joint is not None and joint.check.passed:
            check = GradientCheck(name, True, "fast", joint.check.checked, joint.check.worst, joint.check.kinks)
            if arr.size <= SAMPLED_LIMIT:
                check = merge(check, _sampled(name, arr, got, evaluate_many, base_out, probe, eps, rng, plan, rtol))
        else:
            wide = True if joint is not None and joint.step != 1.0 else None  # an error only the wide step saw
            check = _fast(name, arr, got, evaluate, evaluate_many, base_out, probe, eps, rng, plan, wide,
                          max(rtol, rounding_units(problem.params["dtype"])) if low else rtol)
        if low:
            if check.passed:
                check.notes.append(Note("precision.judged_at", {"name": name, "dtype": problem.params["dtype"]}))
            elif np.dtype(problem.params["dtype"]).itemsize < 4:  # float16's three digits may still be the cause
                check.diagnoses.insert(0, problem)
        elif problem is not None:  # a list is still judged, and the report says why it matters
            check.diagnoses.insert(0, problem)
            if problem.key == "grad.was_list":
                check.passed = False
        checks.append(check)
    _name_swaps(checks, measured)
    _name_ignored_upstream(checks, measured, probe)
    return checks


def _name_ignored_upstream(checks: list[GradientCheck], measured: dict, probe) -> None:
    """A gradient that times the upstream gradient would be right: backward returned the local derivative
    without multiplying by dout."""
    if not isinstance(probe, np.ndarray):
        return
    for check in checks:
        if check.passed or check.gradient not in measured:
            continue
        got, want = measured[check.gradient]
        if got.shape == probe.shape and np.count_nonzero(want) >= 4 and close(got * probe, want):
            check.diagnoses = [Note("diag.no_upstream", {"name": check.gradient})]


def rounding_units(dtype: str) -> float:
    """A few rounding units of ``dtype``, relative: what storing a right gradient in it may cost."""
    try:
        return 8.0 * float(np.finfo(np.dtype(dtype)).eps)
    except (TypeError, ValueError):
        return 0.0


def precision_floor(dtype: str, got: np.ndarray) -> float:
    """The absolute tolerance a gradient stored as ``dtype`` needs: a few rounding units of its largest element."""
    return rounding_units(dtype) * float(np.max(np.abs(got), initial=0.0))


def _name_swaps(checks: list[GradientCheck], measured: dict) -> None:
    """Two failing gradients of one shape that each hold the other's right values were returned swapped
    (MulLayer's dx and dy, say)."""
    failed = [c for c in checks if not c.passed and c.gradient in measured]
    for i, a in enumerate(failed):
        for b in failed[i + 1:]:
            (got_a, want_a), (got_b, want_b) = measured[a.gradient], measured[b.gradient]
            if got_a.shape == got_b.shape and close(got_a, want_b) and close(got_b, want_a):
                note = Note("diag.swapped", {"a": a.gradient, "b": b.gradient})
                a.diagnoses, b.diagnoses = [note], [note]
