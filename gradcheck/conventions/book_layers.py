"""The book's layers as records: one ``BookLayer`` per recognised class says how it is built and fed (its
cases), what its output is compared with, which exact derivative checks its backward, and what a shrunk
counterexample looks like.  A new recognised layer is one record here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from ..layers.cases import CASES, REFERENCE, Case, distinct
from ..numeric.layer import check_layer
from ..report.messages import message
from ..report.model import CheckResult, Note


@dataclass(frozen=True)
class BookCase:
    """One extra case: its label (a message key), how to draw it, and how it is judged."""

    label: str
    make: Callable[[np.random.Generator], Case]
    forward_only: bool = False  # the book's layer need not back-propagate here (batch norm in inference mode)
    optional: bool = False  # an error here is a note, not a failure (the book's own layer does not handle it)


@dataclass(frozen=True)
class BookLayer:
    """Everything gradcheck knows about one of the book's layer classes."""

    name: str
    first: Callable[[np.random.Generator], Case]
    extra: tuple[BookCase, ...] = ()
    first_optional: bool = False  # Affine's first case is rank-3 input, which chapter 5's Affine does not take
    compare_forward: bool = True
    oracle: str | None = None  # "sigmoid", "tanh", "relu", "softmax_loss": the exact derivative of dx
    intended_loss: bool = False  # the book adds 1e-7 inside a log: differentiate the reference forward instead
    shrink: dict | None = None  # input shapes in named dimensions for the smallest-counterexample search
    mistakes: Callable[[CheckResult], None] | None = None  # layer-specific names for a failure

    @property
    def reference(self):
        return REFERENCE[self.name]

    def cases(self, seed: int) -> list[tuple[BookCase | None, Case]]:
        """The seeded cases (``None`` marks the first) a learner's class is checked on."""
        rng = np.random.default_rng(seed)
        return [(None, self.first(rng))] + [(c, c.make(rng)) for c in self.extra]


def _pool_mistakes(result: CheckResult) -> None:
    for check in result.failures():
        if any(n.key == "diag.leak" for n in check.diagnoses):
            check.diagnoses.insert(0, Note("diag.pool_every_cell"))


def _softmax_mistakes(result: CheckResult) -> None:
    for check in result.failures():
        if check.problem is not None and (check.problem.key == "forward.not_finite"
                                          or (check.gradient == "dx" and check.problem.key == "grad.not_finite")):
            check.diagnoses.append(Note("diag.overflow"))


_ROWS = {"inputs": [("N", "D")]}
_PAIR = {"inputs": [("N", "D"), ("N", "D")]}


LAYERS: dict[str, BookLayer] = {layer.name: layer for layer in [
    BookLayer("AddLayer", CASES["AddLayer"], shrink=_PAIR),
    BookLayer("MulLayer", CASES["MulLayer"], shrink=_PAIR),
    BookLayer("Relu", CASES["Relu"], oracle="relu", shrink=_ROWS),
    BookLayer("Sigmoid", CASES["Sigmoid"], oracle="sigmoid", shrink=_ROWS),
    BookLayer("Tanh", CASES["Tanh"], oracle="tanh", shrink=_ROWS),
    BookLayer("Softmax", CASES["Softmax"], shrink=_ROWS),
    BookLayer("LeakyRelu", CASES["LeakyRelu"], compare_forward=False, shrink=_ROWS),
    BookLayer("Flatten", CASES["Flatten"]),
    BookLayer(
        "Affine", CASES["Affine"], first_optional=True,
        extra=(BookCase("case.batch_2d", lambda r: Case(args=(r.standard_normal((5, 3)), r.standard_normal(3)),
                                                        inputs=(r.standard_normal((4, 5)),))),),
        shrink={"inputs": [("N", "D")], "params": [("W", ("D", "M")), ("b", ("M",))]},
    ),
    BookLayer(
        "SoftmaxWithLoss", CASES["SoftmaxWithLoss"], oracle="softmax_loss", intended_loss=True,
        extra=(BookCase("case.large_logits", lambda r: Case(inputs=(1000.0 + r.standard_normal((4, 5)), r.integers(0, 5, 4)))),
               BookCase("case.one_hot", lambda r: Case(inputs=(r.standard_normal((3, 4)), np.eye(4)[r.integers(0, 4, 3)])))),
        shrink={"inputs": [("N", "D")], "labels": True}, mistakes=_softmax_mistakes,
    ),
    BookLayer(
        "BatchNormalization", CASES["BatchNormalization"],
        extra=(BookCase("case.image", lambda r: Case(args=(r.uniform(0.5, 1.5, 12), r.standard_normal(12)),
                                                     inputs=(r.standard_normal((5, 3, 2, 2)),), forward_kwargs={"train_flg": True})),
               BookCase("case.inference", lambda r: Case(
                   args=(r.uniform(0.5, 1.5, 4), r.standard_normal(4)),
                   kwargs={"running_mean": r.standard_normal(4), "running_var": r.uniform(0.5, 2, 4)},
                   inputs=(r.standard_normal((3, 4)),), forward_kwargs={"train_flg": False}), forward_only=True)),
    ),
    BookLayer(
        "Convolution", CASES["Convolution"],
        extra=(BookCase("case.conv_plain", lambda r: Case(args=(r.standard_normal((3, 2, 2, 2)), r.standard_normal(3)),
                                                          inputs=(r.standard_normal((2, 2, 4, 4)),))),),
    ),
    BookLayer(
        "Pooling", CASES["Pooling"], mistakes=_pool_mistakes,
        # the book's own Pooling leaves pad out of its output size, so an error with padding is only a note
        extra=(BookCase("case.pool_padded", lambda r: Case(args=(2, 2), kwargs={"stride": 2, "pad": 1},
                                                           inputs=(distinct(r, (2, 2, 5, 5)) + 30.0,)), optional=True),
               # a window 2 high and 3 wide: code that writes pool_h * pool_h is right only for square windows
               BookCase("case.pool_rect", lambda r: Case(args=(2, 3), kwargs={"stride": 1},
                                                         inputs=(distinct(r, (2, 2, 4, 5)),)))),
    ),
    BookLayer("Dropout", lambda r: Case(kwargs={"dropout_ratio": 0.5}, inputs=(r.standard_normal((4, 5)),),
                                        forward_kwargs={"train_flg": True}), compare_forward=False,
              # a random mask has no reference in training; inference must scale by (1 - ratio) exactly
              extra=(BookCase("case.inference", lambda r: Case(kwargs={"dropout_ratio": 0.5}, inputs=(r.standard_normal((4, 5)),),
                                                               forward_kwargs={"train_flg": False}), forward_only=True),)),
    BookLayer("MeanSquaredError", CASES["MeanSquaredError"], compare_forward=False),
    BookLayer("BinaryCrossEntropy", CASES["BinaryCrossEntropy"], compare_forward=False),
    BookLayer("CategoricalCrossEntropy", CASES["CategoricalCrossEntropy"], compare_forward=False),
    BookLayer("L1Penalty", CASES["L1Penalty"], compare_forward=False),
    BookLayer("L2Penalty", CASES["L2Penalty"], compare_forward=False),
]}


def case_title(name: str, case: BookCase | None) -> str:
    """A case's title as targets name it (in English; ``CheckResult.case`` carries the reader's language)."""
    return name if case is None else f"{name} ({message(case.label, 'en')})"


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


def check_learner_layer(record: BookLayer, layer, case: Case, mode: str, seed: int, title: str) -> CheckResult:
    """check_layer on a learner's layer; an intended-loss layer is differentiated through the reference forward."""
    checked = IntendedLoss(layer, case.build(record.reference)) if record.intended_loss else layer
    result = check_layer(checked, *case.inputs, mode=mode, seed=seed, forward_kwargs=case.forward_kwargs, name=title)
    if checked is not layer:
        result.notes.append(Note("note.intended_loss"))
    return result
