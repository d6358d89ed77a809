"""Plain functions and their derivatives: ``f(x, y)`` with ``df_dx``, ``df_dy`` or ``grad_f``.

Each claimed partial is compared at seeded points with finite differences of
``f`` (evaluated in the sandbox) and, when ``f`` can be traced symbolically, with
SymPy's exact derivative, parsed back by the safe parser.
"""

from __future__ import annotations

import numpy as np

from ..numeric.compare import compare_full
from ..numeric.diff import coordinate_estimate
from ..report.model import CheckResult, GradientCheck, Note
from ..numeric.layer import check_layer
from .elementwise_mistakes import derivative_curve, name_elementwise_mistake
from ..options import Options
from ..sandbox.runner import LearnerFault, Session
from .base import Skipped, Target
from .remote import remote_layer

POINTS = 4
#: How a one-argument function's elementwise derivative is named beside it: the book's ``sigmoid_grad``,
#: Nielsen's ``sigmoid_prime``, and the spelled-out forms.
DERIVATIVE_SUFFIXES = ("_grad", "_prime", "_derivative", "_deriv")


def elementwise_derivative(name: str, functions: dict[str, list[str]]) -> str | None:
    """The function beside ``name`` that is its elementwise derivative, if any."""
    return next((name + s for s in DERIVATIVE_SUFFIXES if name + s in functions), None)


def find_derivatives(functions: dict[str, list[str]]) -> dict[str, dict]:
    """For each function with derivative functions beside it: {"params", "partials": {p: name}, "grad": name}.
    A one-argument ``f`` with ``f_grad`` is elementwise (the book's ``sigmoid_grad``) and not listed here."""
    found = {}
    for name, params in functions.items():
        if not params or (len(params) == 1 and elementwise_derivative(name, functions)):
            continue
        partials = {p: f"d{name}_d{p}" for p in params if f"d{name}_d{p}" in functions}
        grad = next((g for g in (f"grad_{name}", f"{name}_grad") if g in functions), None)
        if partials or grad:
            found[name] = {"params": params, "partials": partials, "grad": grad}
    return found


def _points(params: list[str], seed: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [np.round(rng.choice((-1.0, 1.0), len(params)) * rng.uniform(0.3, 2.0, len(params)), 2) for _ in range(POINTS)]


def _number(value) -> float | None:
    try:
        v = float(np.asarray(value, dtype=np.float64).reshape(()))
    except Exception:  # not a single number
        return None
    return v if np.isfinite(v) else None


def _claimed(session: Session, spec: dict, point: np.ndarray) -> dict[str, float | None]:
    args = [float(v) for v in point]
    out = {}
    if spec["grad"]:
        g = session.call(spec["grad"], *args)
        values = list(g) if isinstance(g, (list, tuple, np.ndarray)) and np.ndim(g) == 1 else [None] * len(args)
        out = {p: _number(v) for p, v in zip(spec["params"], values)}
    for p, fname in spec["partials"].items():
        out[p] = _number(session.call(fname, *args))
    return out


def _traced(session: Session, name: str, params: list[str]):
    from ..symbolic.parse import ParseError, parse

    reply = session.run_adapter("trace", name, {"params": params})
    if not reply.get("traced"):
        return None, Note("trace.not_traceable", {"reason": reply.get("reason", "")})
    try:
        return {p: parse(text, variables=params) for p, text in reply["grads"].items()}, None
    except ParseError:
        return None, Note("trace.not_traceable", {"reason": "its derivative uses functions the parser does not know"})


def check_function(session: Session, name: str, spec: dict, seed: int = 0) -> CheckResult:
    """Check every claimed partial derivative of the learner's function ``name``."""
    import sympy as sp

    params = spec["params"]
    result = CheckResult(name, seed=seed, mode="points", kind="function")
    exact, note = _traced(session, name, params)
    if note is not None:
        result.notes.append(note)
    pts = _points(params, seed)
    labels = [", ".join(f"{p}={v:g}" for p, v in zip(params, pt)) for pt in pts]
    claimed = [_claimed(session, spec, pt) for pt in pts]
    for i, p in enumerate(params):
        label = f"d{name}/d{p}"
        got = [c.get(p) for c in claimed]
        if any(g is None for g in got):
            result.checks.append(GradientCheck(label, False, "full", problem=Note("grad.not_numeric", {"name": label, "type": "non-number"})))
            continue
        estimates = []
        for pt in pts:
            arr = pt.astype(np.float64).copy()

            def evaluate(arr=arr):
                value = _number(session.call(name, *[float(v) for v in arr]))
                if value is None:  # nothing to take differences of: the learner's function is what failed
                    raise LearnerFault("error", f"{name} returned no finite number at {', '.join(f'{v:g}' for v in arr)}")
                return np.array(value)

            estimates.append(coordinate_estimate(evaluate, arr, i, evaluate(), 1.0))
        check = compare_full(
            label, np.array(got), np.array([e.value for e in estimates]), np.array([e.error for e in estimates]),
            np.array([e.lower for e in estimates]), np.array([e.upper for e in estimates]),
            np.array([e.kink for e in estimates]), index_labels=labels,
        )
        check.method, check.checked = "points", len(pts)
        result.checks.append(check)
        if exact is not None:
            want = np.array([float(exact[p].evalf(30, subs={sp.Symbol(q, real=True): v for q, v in zip(params, pt)})) for pt in pts])
            sym = compare_full(label, np.array(got), want, 1e-10 * np.maximum(1.0, np.abs(want)), want, want,
                               np.zeros(len(pts), dtype=bool), index_labels=labels)
            sym.method, sym.checked = "symbolic_points", len(pts)
            result.checks.append(sym)
    return result


def safe_check_function(session: Session, name: str, spec: dict, seed: int = 0) -> CheckResult:
    """``check_function``, with a failure of the learner's code reported as the result's problem."""
    try:
        return check_function(session, name, spec, seed)
    except LearnerFault as fault:
        return CheckResult(name, seed=seed, mode="points", kind="function", problem=fault.note(name))


def recognise(catalogue: list[dict], options: Options) -> tuple[list[Target], list[Skipped]]:
    """Functions with partial-derivative functions beside them, and elementwise ``f`` / ``f_grad`` pairs."""
    functions = {c["name"]: c["params"] for c in catalogue if c["kind"] == "function"}
    targets = []
    for name, spec in find_derivatives(functions).items():
        names = (name, *spec["partials"].values()) + ((spec["grad"],) if spec["grad"] else ())
        targets.append(Target(name, "function", name, names, spec))
    for name, params in functions.items():
        grad = elementwise_derivative(name, functions) if len(params) == 1 else None
        if grad:
            targets.append(Target(name, "elementwise", f"{name} / {grad}", (name, grad), {"grad": grad}))
    return targets, []


def check(session: Session, target: Target, options: Options) -> list[CheckResult]:
    return [safe_check_function(session, target.id, target.info, options.seed)]


def check_elementwise(session: Session, target: Target, options: Options) -> list[CheckResult]:
    """``f_grad(x)`` against finite differences of ``f(x)`` over a whole array, away from 0 (ReLU's kink)."""
    rng = np.random.default_rng(options.seed)
    x = rng.choice((-1.0, 1.0), (4, 5)) * rng.uniform(0.1, 2.0, (4, 5))
    created = session.adapt("elementwise", target.id, {"grad": target.info["grad"]}, reseed=options.seed)
    layer = remote_layer(session, created, ["x"], options.seed, target.id)
    result = check_layer(layer, x, mode=options.mode, seed=options.seed, name=target.title)
    result.kind = "function"
    name_elementwise_mistake(result, layer, x)
    result.curve = derivative_curve(layer) if options.curves else None
    if result.problem is not None and result.problem.params.get("where") == "backward":
        result.problem = Note(result.problem.key, dict(result.problem.params, where=target.info["grad"]))
    elif result.problem is not None and result.problem.params.get("where") == "forward":
        result.problem = Note(result.problem.key, dict(result.problem.params, where=target.id))
    return [result]


CHECKS = {"function": check, "elementwise": check_elementwise}
