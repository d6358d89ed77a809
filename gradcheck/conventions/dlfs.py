"""The "Deep Learning from Scratch" convention: classes recognised by name, checked on several cases each.

Each case constructs the learner's class with the book's constructor signature,
checks its backward against finite differences of its own forward, compares its
forward with the reference layer (a wrong forward makes every backward check
meaningless), and, for elementwise layers and softmax loss, compares its
backward with the exact symbolic derivative.
"""

from __future__ import annotations

import inspect

import numpy as np

from ..layers.cases import Case
from ..numeric.compare import as_float, compare_exact, compare_outputs
from ..numeric.check import precision_floor
from ..numeric.slopes import compare_slopes, void_gradients
from ..options import Options
from ..report.model import CheckResult, GradientCheck, Note
from ..sandbox.runner import LearnerFault
from .base import Skipped, Target
from .book_layers import LAYERS, BookCase, BookLayer, case_title, check_learner_layer
from .book_mistakes import CANDIDATES
from .candidates import name_mistake
from .forward_variants import explain_difference
from .elementwise_mistakes import derivative_curve
from .remote import remote_layer

def compare_forward(record: BookLayer, case: Case, layer, forward_only: bool = False) -> GradientCheck | None:
    """The learner's forward against the reference layer's on the same inputs (always in a forward-only case,
    such as dropout's inference, whose training forward has no reference)."""
    if not record.compare_forward and not forward_only:
        return None
    ref = case.build(record.reference)
    want = ref.forward(*[np.array(i) for i in case.inputs], **case.forward_kwargs)
    got = layer.forward(*case.inputs, **case.forward_kwargs)
    check = compare_outputs(want, got)
    if not check.passed and check.problem is None:
        named = explain_difference(record.name, record.reference, case, got)
        if named is not None:
            check.diagnoses = [named]
    return check


def forward_slopes(record: BookLayer, case: Case, layer, seed: int) -> GradientCheck | None:
    """The learner's forward changing as the reference's does around the checked point, along random
    directions of every float input and parameter (a forward that remembers its output near the point fails)."""
    if not record.compare_forward:
        return None
    ref = case.build(record.reference)
    params = [name for name in layer._link.sent if hasattr(layer, "d" + name) and isinstance(getattr(ref, name, None), np.ndarray)]
    floats = [i for i, x in enumerate(case.inputs) if np.asarray(x).dtype.kind == "f"]
    base = [np.asarray(case.inputs[i]) for i in floats] + [np.array(getattr(layer, p)) for p in params]
    saved = {p: np.array(getattr(layer, p)) for p in params}

    def run(obj, arrays):
        inputs = list(case.inputs)
        for i, a in zip(floats, arrays):
            inputs[i] = a.copy()
        for p, a in zip(params, arrays[len(floats):]):
            setattr(obj, p, a.copy())
        return obj.forward(*inputs, **case.forward_kwargs)

    try:
        return compare_slopes(lambda arrays: run(layer, arrays), lambda arrays: run(ref, arrays), base, seed)
    finally:
        for p, value in saved.items():
            setattr(layer, p, value)


#: Derivatives the book writes with the forward output y, and the mistake of evaluating them at the input x.
X_FOR_Y = {
    "sigmoid": (lambda x: x * (1 - x), "dout * y * (1 - y)"),
    "tanh": (lambda x: 1 - x * x, "dout * (1 - y ** 2)"),
}


def compare_oracle(record: BookLayer, case: Case, layer, seed: int) -> GradientCheck | None:
    """The learner's backward against the exact symbolic derivative, for elementwise layers and softmax loss."""
    if record.oracle is None:
        return None
    from ..symbolic import oracles

    x = np.array(case.inputs[0], dtype=np.float64)
    layer.forward(*case.inputs)
    if record.oracle == "softmax_loss":
        t = np.asarray(case.inputs[1])
        onehot = t if t.shape == x.shape else np.eye(x.shape[1])[t]
        got = as_float(layer.backward(1.0))
        want = oracles.softmax_cross_entropy_grad(x, onehot)
    else:
        dout = np.random.default_rng(seed).standard_normal(x.shape)
        raw = layer.backward(dout.copy())
        got = as_float(raw)
        want = dout * np.broadcast_to(oracles.elementwise(record.oracle).backward(x), x.shape)
    if got is None or got.shape != want.shape:
        return None  # the finite-difference check already reports an unusable gradient
    dtype = getattr(raw, "dtype", None) if record.oracle != "softmax_loss" else None
    low = dtype is not None and dtype.kind == "f" and dtype.itemsize < 8  # judged at its own precision
    atol = precision_floor(str(dtype), got) / max(1.0, float(np.max(np.abs(want), initial=0.0))) if low else 1e-12
    check = compare_exact("dx", want, got, rtol=1e-9, atol=max(atol, 1e-12), method="symbolic")
    if low and not check.passed and dtype.itemsize < 4:
        check.diagnoses.append(Note("grad.low_precision", {"name": "dx", "dtype": str(dtype)}))
    if not check.passed and record.oracle in X_FOR_Y:
        derivative_of_output, formula = X_FOR_Y[record.oracle]
        if np.allclose(got, dout * derivative_of_output(x), rtol=1e-9, atol=1e-12):
            check.diagnoses.append(Note("diag.x_for_y", {"formula": formula}))
    return check


NAME = "dlfs"
#: Words in a constructor's parameter names that show it is not built from arrays as the book's layers are.
NOT_BOOK_WORDS = ("size", "dim", "units", "features", "num", "channels", "in_", "out_", "momentum", "eps", "rate", "axis", "training")


def book_signature(item: dict) -> str | None:
    """None when the learner's class can be built and called as the book's; else the book's signature."""
    record = LAYERS[item["name"]]
    case = record.first(np.random.default_rng(0))
    names = item["init"]
    positional = names[: len(case.args)]
    book = record.reference
    want = [p for p in inspect.signature(book.__init__).parameters if p != "self"]
    wrong = len(names) < len(case.args) or any(any(w in n.lower() for w in NOT_BOOK_WORDS) for n in positional)
    wrong = wrong or any(k not in names for k in case.kwargs)
    wrong = wrong or (bool(item["forward"]) and any(k not in item["forward"] for k in case.forward_kwargs))
    return f"{item['name']}({', '.join(want)})" if wrong else None


def recognise(catalogue: list[dict], options: Options) -> tuple[list[Target], list[Skipped]]:
    """The book's layer classes, recognised by name and checked only where built as the book builds them."""
    targets, skipped = [], []
    for item in catalogue:
        if item["kind"] != "class" or item["name"] not in LAYERS or not {"forward", "backward"} <= set(item["methods"]):
            continue
        if item.get("abstract"):
            continue
        want = book_signature(item)
        if want is not None and not options.init:
            got = f"{item['name']}({', '.join(item['init'])})"
            skipped.append(Skipped(item["name"], Note("skip.init_not_book", {"name": item["name"], "got": got, "want": want})))
            continue
        if want is not None:
            continue  # built from --init: the generic convention takes it
        targets.append(Target(item["name"], NAME, item["name"], (item["name"],), item))
    return targets, skipped


def check(session, target: Target, options: Options) -> list[CheckResult]:
    """Check the learner's class on each of its record's cases."""
    return check_record(session, LAYERS[target.id], target, options)


def check_record(session, record: BookLayer, target: Target, options: Options) -> list[CheckResult]:
    """Check the learner's class on each case of the book layer ``record`` (its own, or the one it is built like)."""
    name, info = record.name, target.info
    results, unsupported = [], False
    for book_case, case in record.cases(options.seed):
        result = _check_case(session, record, book_case, case, info, options)
        optional = record.first_optional if book_case is None else book_case.optional
        if optional and result.problem is not None and result.problem.key in ("target.raised", "fault.error"):
            unsupported = True  # the book's own layer does not handle this case either: a note, not a failure
            continue
        results.append(result)
    if unsupported and results:
        results[0].notes.append(Note("note.two_d_only" if record.name == "Affine" else "note.case_unsupported", {"name": name}))
    failed = [r for r in results if r.problem is None and not r.passed]
    if failed and options.shrink and record.shrink:
        from .shrink import smallest_failure

        shown = frozenset(c.gradient for c in failed[0].failures())
        note = smallest_failure(session, record, info, options.seed, shown)
        if note is not None:
            failed[0].notes.insert(0, note)
    return results


def _forward_alone(session, record: BookLayer, case: Case, payload: dict, info: dict, name: str, seed: int) -> GradientCheck | None:
    """The forward compared with the reference on a fresh layer (a fresh child where a hanging or exiting
    backward ended the last one): a broken backward costs the gradient checks, not the forward's."""
    try:
        created = session.create(name, payload["args"], payload["kwargs"], reseed=seed)
        layer = remote_layer(session, created, info.get("forward", []), reseed=seed, name=name)
        return compare_forward(record, case, layer, True)
    except LearnerFault:
        return None


def _check_case(session, record: BookLayer, book_case: BookCase | None, case: Case, info: dict, options: Options) -> CheckResult:
    """One case: build the learner's layer, check its backward (unless the case is forward-only), compare its
    forward with the reference and its dx with the exact derivative, and name layer-specific mistakes."""
    name, title = info.get("name", record.name), case_title(record.name, book_case)
    if name != record.name:
        title = f"{name} (built as the book's {title})"
    mode, seed = options.mode, options.seed
    forward_only = book_case is not None and book_case.forward_only
    result = CheckResult(title, seed=seed, mode=mode)
    payload = {"args": list(case.args), "kwargs": dict(case.kwargs)}
    try:
        created = session.create(name, payload["args"], payload["kwargs"], reseed=seed)
        layer = remote_layer(session, created, info.get("forward", []), reseed=seed, name=name)
    except LearnerFault as fault:
        result.problem = fault.note(f"{name}()")
        return result
    if not forward_only:
        result = check_learner_layer(record, layer, case, mode, seed, title)
    result.case = None if book_case is None else Note(book_case.label)
    if result.problem is None:
        try:
            forward = compare_forward(record, case, layer, forward_only)
            result.checks.append(forward)
            if forward is not None and forward.passed and not forward_only:
                result.checks.append(forward_slopes(record, case, layer, seed))
                void_gradients(result)
            result.checks.append(None if forward_only else compare_oracle(record, case, layer, seed))
        except LearnerFault as fault:
            result.problem = fault.note(f"{name}.forward")
        result.checks = [c for c in result.checks if c is not None]
    elif "backward" in str(result.problem.params.get("where", "")) and record.compare_forward:
        result.checks.append(_forward_alone(session, record, case, payload, info, name, seed))
        result.checks = [c for c in result.checks if c is not None]
    if record.mistakes is not None:
        record.mistakes(result)
    if options.curves and book_case is None and len(case.inputs) == 1 and not case.forward_kwargs:
        result.curve = derivative_curve(layer)
    if record.name in CANDIDATES:
        name_mistake(result, layer, list(case.inputs), seed, lambda dout: CANDIDATES[record.name](case, np.asarray(dout)),
                     case.forward_kwargs)
    return result


CHECKS = {NAME: check}
