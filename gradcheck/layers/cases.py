"""Seeded example inputs for each reference layer, drawn away from kinks and ties.

Each case builds a layer (from a class given by the caller, so a learner's class
can stand in for the reference) and the inputs that exercise what breaks real
code: rank > 2 for Affine, padding and stride for convolution, overlapping
pooling windows, several channels, batches larger than one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from . import activations, affine, conv, graph, losses, norm, regularize


@dataclass
class Case:
    """A layer's constructor arguments, forward inputs and forward keyword arguments."""

    args: tuple = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    inputs: tuple = ()
    forward_kwargs: dict[str, Any] = field(default_factory=dict)

    def build(self, cls):
        """An instance of ``cls`` with fresh copies of the constructor's arrays."""
        copy = lambda v: v.copy() if isinstance(v, np.ndarray) else v  # noqa: E731
        return cls(*[copy(a) for a in self.args], **{k: copy(v) for k, v in self.kwargs.items()})


def away_from_zero(rng, shape, low=0.1, high=2.0):
    """Values whose magnitude lies in [low, high], with random signs: no ReLU kink within reach."""
    return rng.choice((-1.0, 1.0), size=shape) * rng.uniform(low, high, size=shape)


def distinct(rng, shape, gap=0.05):
    """Values in random order, every pair at least ``gap`` apart: no ties in a max."""
    n = int(np.prod(shape))
    values = (np.arange(n) - n / 2.0) * gap + rng.uniform(0, gap / 4)
    return rng.permutation(values).reshape(shape)


def _labels(rng, n, classes):
    return rng.integers(0, classes, size=n)


def _onehot(labels, classes):
    return np.eye(classes)[labels]


CASES: dict[str, Callable[[np.random.Generator], Case]] = {
    "AddLayer": lambda r: Case(inputs=(r.standard_normal((3, 4)), r.standard_normal((3, 4)))),
    "MulLayer": lambda r: Case(inputs=(r.standard_normal((3, 4)), r.standard_normal((3, 4)))),
    "Relu": lambda r: Case(inputs=(away_from_zero(r, (4, 5)),)),
    "LeakyRelu": lambda r: Case(inputs=(away_from_zero(r, (4, 5)),)),
    "Sigmoid": lambda r: Case(inputs=(2 * r.standard_normal((4, 5)),)),
    "Tanh": lambda r: Case(inputs=(r.standard_normal((4, 5)),)),
    "Softmax": lambda r: Case(inputs=(r.standard_normal((4, 5)),)),
    "Affine": lambda r: Case(args=(r.standard_normal((6, 5)), r.standard_normal(5)), inputs=(r.standard_normal((3, 2, 3)),)),
    "Flatten": lambda r: Case(inputs=(r.standard_normal((2, 3, 2, 2)),)),
    "SoftmaxWithLoss": lambda r: Case(inputs=(r.standard_normal((4, 5)), _labels(r, 4, 5))),
    "MeanSquaredError": lambda r: Case(inputs=(r.standard_normal((4, 3)), r.standard_normal((4, 3)))),
    "BinaryCrossEntropy": lambda r: Case(inputs=(r.uniform(0.05, 0.95, (4, 3)), r.integers(0, 2, (4, 3)).astype(float))),
    "CategoricalCrossEntropy": lambda r: Case(
        inputs=(activations.softmax(r.standard_normal((4, 5))), _onehot(_labels(r, 4, 5), 5))
    ),
    "BatchNormalization": lambda r: Case(
        args=(r.uniform(0.5, 1.5, 4), r.standard_normal(4)), inputs=(r.standard_normal((6, 4)),),
        forward_kwargs={"train_flg": True},
    ),
    "Convolution": lambda r: Case(
        args=(r.standard_normal((4, 3, 3, 3)), r.standard_normal(4)), kwargs={"stride": 2, "pad": 1},
        inputs=(r.standard_normal((2, 3, 7, 7)),),
    ),
    "Pooling": lambda r: Case(args=(3, 3), kwargs={"stride": 2}, inputs=(distinct(r, (2, 3, 7, 7)),)),
    "Dropout": lambda r: Case(kwargs={"mask": r.random((4, 5)) > 0.5}, inputs=(r.standard_normal((4, 5)),)),
    "L1Penalty": lambda r: Case(args=(0.3,), inputs=(away_from_zero(r, (3, 4)),)),
    "L2Penalty": lambda r: Case(args=(0.3,), inputs=(r.standard_normal((3, 4)),)),
}

REFERENCE = {
    "AddLayer": graph.AddLayer, "MulLayer": graph.MulLayer, "Relu": activations.Relu,
    "LeakyRelu": activations.LeakyRelu, "Sigmoid": activations.Sigmoid, "Tanh": activations.Tanh,
    "Softmax": activations.Softmax, "Affine": affine.Affine, "Flatten": affine.Flatten,
    "SoftmaxWithLoss": losses.SoftmaxWithLoss, "MeanSquaredError": losses.MeanSquaredError,
    "BinaryCrossEntropy": losses.BinaryCrossEntropy, "CategoricalCrossEntropy": losses.CategoricalCrossEntropy,
    "BatchNormalization": norm.BatchNormalization, "Convolution": conv.Convolution, "Pooling": conv.Pooling,
    "Dropout": regularize.Dropout, "L1Penalty": regularize.L1Penalty, "L2Penalty": regularize.L2Penalty,
}


def make_case(name: str, seed: int = 0) -> Case:
    """The seeded example case for the reference layer ``name``."""
    return CASES[name](np.random.default_rng(seed))


def check_reference(name: str, seed: int = 0, mode: str = "auto", cls=None):
    """Check the reference layer ``name`` (or ``cls`` in its place) on its seeded case."""
    from ..numeric.layer import check_layer

    case = make_case(name, seed)
    layer = case.build(cls or REFERENCE[name])
    return check_layer(layer, *case.inputs, mode=mode, seed=seed, forward_kwargs=case.forward_kwargs, name=name)
