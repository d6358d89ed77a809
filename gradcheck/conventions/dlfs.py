"""The "Deep Learning from Scratch" convention: classes recognised by name, checked on several cases each.

Each case constructs the learner's class with the book's constructor signature,
checks its backward against finite differences of its own forward, compares its
forward with the reference layer (a wrong forward makes every backward check
meaningless), and, for elementwise layers and softmax loss, compares its
backward with the exact symbolic derivative.
"""

from __future__ import annotations

import inspect
from typing import Callable

import numpy as np

from ..layers.cases import CASES, REFERENCE, Case, away_from_zero, distinct
from ..numeric.layer import check_layer
from ..numeric.outputs import as_float, compare_outputs
from ..report.model import CheckResult, Evidence, GradientCheck, Note
from ..options import Options
from ..sandbox.runner import LearnerFault
from .base import Skipped, Target
from .remote import new_remote_layer

#: Extra cases beyond the bundled one, covering what breaks real code.
EXTRA: dict[str, list[tuple[str, Callable[[np.random.Generator], Case]]]] = {
    "Affine": [("batch of 4, 2-D input", lambda r: Case(args=(r.standard_normal((5, 3)), r.standard_normal(3)), inputs=(r.standard_normal((4, 5)),)))],
    "SoftmaxWithLoss": [
        ("logits near 1000", lambda r: Case(inputs=(1000.0 + r.standard_normal((4, 5)), r.integers(0, 5, 4)))),
        ("one-hot labels", lambda r: Case(inputs=(r.standard_normal((3, 4)), np.eye(4)[r.integers(0, 4, 3)]))),
    ],
    "Convolution": [
        ("stride 1, no padding, 2 channels", lambda r: Case(args=(r.standard_normal((3, 2, 2, 2)), r.standard_normal(3)), inputs=(r.standard_normal((2, 2, 4, 4)),))),
    ],
    "Pooling": [
        ("2x2 windows, stride 2, padding 1", lambda r: Case(args=(2, 2), kwargs={"stride": 2, "pad": 1}, inputs=(distinct(r, (2, 2, 5, 5)) + 30.0,))),
    ],
    "BatchNormalization": [
        ("image input (N, C, H, W)", lambda r: Case(args=(r.uniform(0.5, 1.5, 12), r.standard_normal(12)), inputs=(r.standard_normal((5, 3, 2, 2)),), forward_kwargs={"train_flg": True})),
        ("inference mode", lambda r: Case(args=(r.uniform(0.5, 1.5, 4), r.standard_normal(4)), kwargs={"running_mean": r.standard_normal(4), "running_var": r.uniform(0.5, 2, 4)}, inputs=(r.standard_normal((3, 4)),), forward_kwargs={"train_flg": False})),
    ],
}

#: The message keys of the case labels, so a report names the case in the reader's language.
CASE_LABELS = {'batch of 4, 2-D input': 'case.batch_2d', 'logits near 1000': 'case.large_logits', 'one-hot labels': 'case.one_hot', 'stride 1, no padding, 2 channels': 'case.conv_plain', '2x2 windows, stride 2, padding 1': 'case.pool_padded', 'image input (N, C, H, W)': 'case.image', 'inference mode': 'case.inference'}

#: Cases that check only the forward output (batch norm in inference mode need not back-propagate).
FORWARD_ONLY = ("inference mode",)
#: Cases a correct layer of the book's chapter 5 may not handle (Affine on rank-3 input): an error there is a note.
OPTIONAL = {("Affine", "")}

#: Learner classes are built with the book's signatures; the bundled case differs only for Dropout.
LEARNER_CASE = {
    "Dropout": lambda r: Case(kwargs={"dropout_ratio": 0.5}, inputs=(r.standard_normal((4, 5)),), forward_kwargs={"train_flg": True}),
    "LeakyRelu": lambda r: Case(inputs=(away_from_zero(r, (4, 5)),)),
}

#: Classes recognised by name: the book's layers, and the losses and penalties whose inputs need care
#: (probabilities for cross-entropy, values away from 0 for L1), checked on the bundled cases.
DLFS_NAMES = ("AddLayer", "MulLayer", "Relu", "Sigmoid", "Tanh", "Affine", "SoftmaxWithLoss", "BatchNormalization",
              "Convolution", "Pooling", "Dropout", "Softmax", "LeakyRelu", "Flatten", "MeanSquaredError",
              "BinaryCrossEntropy", "CategoricalCrossEntropy", "L1Penalty", "L2Penalty")
#: Layers whose forward is fixed by the book, so it can be compared with the reference.
COMPARE_FORWARD = ("AddLayer", "MulLayer", "Relu", "Sigmoid", "Tanh", "Affine", "SoftmaxWithLoss", "BatchNormalization",
                   "Convolution", "Pooling", "Softmax", "Flatten")
ORACLES = {"Sigmoid": "sigmoid", "Tanh": "tanh", "Relu": "relu"}
#: Losses whose book forward adds a small constant inside a log: their backward is the exact gradient of
#: the intended loss, so finite differences are taken of the reference forward (the forward is compared apart).
INTENDED_LOSS = ("SoftmaxWithLoss",)


class IntendedLoss:
    """The learner's loss layer with the reference's forward: the learner's forward still runs (its
    caches feed its backward), but the value differentiated is the loss the book intends."""

    def __init__(self, learner, reference):
        self._learner, self._reference = learner, reference
        self._gradcheck_input_names = getattr(learner, "_gradcheck_input_names", ["x", "t"])

    def forward(self, *inputs, **kwargs):
        self._learner.forward(*inputs, **kwargs)
        return self._reference.forward(*[np.array(i) for i in inputs], **kwargs)

    def backward(self, *args):
        return self._learner.backward(*args)


def cases_for(name: str, seed: int) -> list[tuple[str, Case]]:
    """The seeded cases a learner's class ``name`` is checked on."""
    rng = np.random.default_rng(seed)
    first = (LEARNER_CASE.get(name) or CASES[name])(rng)
    return [("", first)] + [(label, make(rng)) for label, make in EXTRA.get(name, [])]


def compare_forward(name: str, case: Case, layer) -> GradientCheck | None:
    """The learner's forward against the reference layer's on the same inputs."""
    if name not in COMPARE_FORWARD:
        return None
    ref = case.build(REFERENCE[name])
    want = ref.forward(*[np.array(i) for i in case.inputs], **case.forward_kwargs)
    return compare_outputs(want, layer.forward(*case.inputs, **case.forward_kwargs))


def compare_oracle(name: str, case: Case, layer, seed: int) -> GradientCheck | None:
    """The learner's backward against the exact symbolic derivative, for elementwise layers and softmax loss."""
    from ..symbolic import oracles

    x = np.array(case.inputs[0], dtype=np.float64)
    if name in ORACLES:
        dout = np.random.default_rng(seed).standard_normal(x.shape)
        layer.forward(*case.inputs)
        got = as_float(layer.backward(dout.copy()))
        want = dout * np.broadcast_to(oracles.elementwise(ORACLES[name]).backward(x), x.shape)
    elif name == "SoftmaxWithLoss":
        t = np.asarray(case.inputs[1])
        onehot = t if t.shape == x.shape else np.eye(x.shape[1])[t]
        layer.forward(*case.inputs)
        got = as_float(layer.backward(1.0))
        want = oracles.softmax_cross_entropy_grad(x, onehot)
    else:
        return None
    if got is None or got.shape != want.shape:
        return None  # the finite-difference check already reports an unusable gradient
    tol = 1e-9 * np.abs(want) + 1e-12 * max(1.0, float(np.max(np.abs(want), initial=0.0)))
    err = np.abs(got - want)
    idx = np.unravel_index(int(np.argmax(err - tol)), want.shape)
    passed = bool(np.all(err <= tol))
    worst = Evidence("[" + ", ".join(str(int(i)) for i in idx) + "]", float(want[idx]), float(got[idx]), float(tol[idx]))
    diagnoses = []
    if not passed and name == "Sigmoid":
        dout = np.random.default_rng(seed).standard_normal(x.shape)
        if np.allclose(got, dout * x * (1 - x), rtol=1e-9, atol=1e-12):
            diagnoses.append(Note("diag.x_for_y"))
    return GradientCheck("dx", passed, "symbolic", int(want.size), worst, diagnoses=diagnoses)


def check_learner_layer(name: str, layer, case: Case, mode: str, seed: int, title: str) -> CheckResult:
    """check_layer on a learner's layer; a loss in INTENDED_LOSS is differentiated through the reference forward."""
    checked = IntendedLoss(layer, case.build(REFERENCE[name])) if name in INTENDED_LOSS else layer
    result = check_layer(checked, *case.inputs, mode=mode, seed=seed, forward_kwargs=case.forward_kwargs, name=title)
    if checked is not layer:
        result.notes.append(Note("note.intended_loss"))
    return result


NAME = "dlfs"
#: Words in a constructor's parameter names that show it is not built from arrays as the book's layers are.
NOT_BOOK_WORDS = ("size", "dim", "units", "features", "num", "channels", "in_", "out_", "momentum", "eps", "rate", "axis", "training")


def book_signature(item: dict) -> str | None:
    """None when the learner's class can be built and called as the book's; else the book's signature."""
    case = cases_for(item["name"], 0)[0][1]
    names = item["init"]
    positional = names[: len(case.args)]
    book = REFERENCE[item["name"]]
    want = [p for p in inspect.signature(book.__init__).parameters if p != "self"]
    wrong = len(names) < len(case.args) or any(any(w in n.lower() for w in NOT_BOOK_WORDS) for n in positional)
    wrong = wrong or any(k not in names for k in case.kwargs)
    wrong = wrong or (bool(item["forward"]) and any(k not in item["forward"] for k in case.forward_kwargs))
    return f"{item['name']}({', '.join(want)})" if wrong else None


def recognise(catalogue: list[dict], options: Options) -> tuple[list[Target], list[Skipped]]:
    """The book's layer classes, recognised by name and checked only where built as the book builds them."""
    targets, skipped = [], []
    for item in catalogue:
        if item["kind"] != "class" or item["name"] not in DLFS_NAMES or not {"forward", "backward"} <= set(item["methods"]):
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
    return check_class(session, target.id, target.info, options.seed, options.mode, options.shrink)


def check_class(session, name: str, info: dict, seed: int = 0, mode: str = "auto", shrink: bool = True) -> list[CheckResult]:
    """Check the learner's DLFS class ``name`` on each of its cases."""
    results = []
    for label, case in cases_for(name, seed):
        title = f"{name} ({label})" if label else name
        case_note = Note(CASE_LABELS[label]) if label in CASE_LABELS else None
        op = {"op": "new", "name": name}
        payload = {"args": list(case.args), "kwargs": dict(case.kwargs)}
        try:
            layer = new_remote_layer(session, op, payload, info.get("forward", []), reseed=seed, name=name)
        except LearnerFault as fault:
            results.append(CheckResult(title, seed=seed, mode=mode, problem=fault.note(f"{name}()")))
            continue
        if label in FORWARD_ONLY:  # the book's layer does not back-propagate here; only its output is compared
            result = CheckResult(title, seed=seed, mode=mode)
            try:
                result.checks = [c for c in [compare_forward(name, case, layer)] if c is not None]
            except LearnerFault as fault:
                result.problem = fault.note(f"{name}.forward")
            result.case = case_note
            results.append(result)
            continue
        result = check_learner_layer(name, layer, case, mode, seed, title)
        result.case = case_note
        if (name, label) in OPTIONAL and result.problem is not None and result.problem.key in ("target.raised", "fault.error"):
            results.append(None)  # an Affine written for 2-D input only: said in a note, not failed
            continue
        if result.problem is None:
            try:
                for extra in (compare_forward(name, case, layer), compare_oracle(name, case, layer, seed)):
                    if extra is not None:
                        result.checks.append(extra)
            except LearnerFault as fault:
                result.problem = fault.note(f"{name}.forward")
        _name_layer_specific_mistakes(name, result)
        results.append(result)
    if None in results:
        results = [r for r in results if r is not None]
        if results:
            results[0].notes.append(Note("note.two_d_only", {"name": name}))
    failed = [r for r in results if r.problem is None and not r.passed]
    if failed and shrink:
        from .shrink import smallest_failure

        note = smallest_failure(session, name, info, seed)
        if note is not None:
            failed[0].notes.insert(0, note)
    return results


def _name_layer_specific_mistakes(name: str, result: CheckResult) -> None:
    for check in result.checks:
        if check.passed:
            continue
        if name == "Pooling" and any(n.key == "diag.leak" for n in check.diagnoses):
            check.diagnoses.insert(0, Note("diag.pool_every_cell"))
        if name == "SoftmaxWithLoss" and check.problem is not None and check.problem.key == "forward.not_finite":
            check.diagnoses.append(Note("diag.overflow"))
        if name == "SoftmaxWithLoss" and check.gradient == "dx" and check.problem is not None and check.problem.key == "grad.not_finite":
            check.diagnoses.append(Note("diag.overflow"))


CHECKS = {NAME: check}
