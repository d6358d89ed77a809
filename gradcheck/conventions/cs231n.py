"""The cs231n convention: ``*_forward``/``*_backward`` function pairs and ``(loss, dx)`` loss functions.

Each pair is wrapped in the child as a layer (inputs, parameters ``w``/``dw``...)
and then checked like a DLFS class, against finite differences and the reference.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from ..layers import activations, affine, conv, norm
from ..layers.cases import away_from_zero, distinct
from ..numeric.layer import check_layer
from ..report.model import CheckResult
from .dlfs import compare_outputs
from .remote import new_remote_layer


@dataclass
class Pair:
    """How to drive one cs231n pair: its inputs, parameters and extra config, and its reference."""

    forward: str
    backward: str
    make: Callable[[np.random.Generator], tuple[list, dict, list]]  # -> (inputs, params, extra)
    reference: Callable[[list, dict, list], object] | None = None
    forward_names: list[str] = field(default_factory=lambda: ["x"])


def _bn_reference(inputs, params, extra):
    layer = norm.BatchNormalization(params["gamma"], params["beta"], eps=extra[0].get("eps", 1e-5))
    return lambda x: layer.forward(x, train_flg=True)


PAIRS: dict[str, Pair] = {
    "affine": Pair(
        "affine_forward", "affine_backward",
        lambda r: ([r.standard_normal((3, 2, 3))], {"w": r.standard_normal((6, 4)), "b": r.standard_normal(4)}, []),
        lambda i, p, e: affine.Affine(p["w"], p["b"]).forward,
    ),
    "relu": Pair("relu_forward", "relu_backward", lambda r: ([away_from_zero(r, (4, 5))], {}, []), lambda i, p, e: activations.Relu().forward),
    "sigmoid": Pair("sigmoid_forward", "sigmoid_backward", lambda r: ([2 * r.standard_normal((4, 5))], {}, []), lambda i, p, e: activations.Sigmoid().forward),
    "batchnorm": Pair(
        "batchnorm_forward", "batchnorm_backward",
        lambda r: ([r.standard_normal((6, 4))], {"gamma": r.uniform(0.5, 1.5, 4), "beta": r.standard_normal(4)}, [{"mode": "train", "eps": 1e-5}]),
        _bn_reference,
    ),
    "conv": Pair(
        "conv_forward_naive", "conv_backward_naive",
        lambda r: ([r.standard_normal((2, 3, 7, 7))], {"w": r.standard_normal((4, 3, 3, 3)), "b": r.standard_normal(4)}, [{"stride": 2, "pad": 1}]),
        lambda i, p, e: conv.Convolution(p["w"], p["b"], e[0]["stride"], e[0]["pad"]).forward,
    ),
    "max_pool": Pair(
        "max_pool_forward_naive", "max_pool_backward_naive",
        lambda r: ([distinct(r, (2, 3, 7, 7))], {}, [{"pool_height": 3, "pool_width": 3, "stride": 2}]),
        lambda i, p, e: conv.Pooling(e[0]["pool_height"], e[0]["pool_width"], e[0]["stride"]).forward,
    ),
}


def svm_loss_reference(x, y):
    """Multiclass hinge loss with margin 1, averaged over the batch."""
    n = x.shape[0]
    correct = x[np.arange(n), y][:, None]
    margins = np.maximum(0.0, x - correct + 1.0)
    margins[np.arange(n), y] = 0.0
    return margins.sum() / n


def softmax_loss_reference(x, y):
    shifted = x - x.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -log_probs[np.arange(x.shape[0]), y].mean()


LOSSES = {"softmax_loss": softmax_loss_reference, "svm_loss": svm_loss_reference}


def _loss_case(name: str, rng) -> tuple[np.ndarray, np.ndarray]:
    n, c = 4, 5
    y = rng.integers(0, c, n)
    if name == "svm_loss":  # keep every margin away from its kink at 0
        x = rng.standard_normal((n, c))
        for i in range(n):
            m = x[i] - x[i, y[i]] + 1.0
            x[i] += np.where((np.abs(m) < 0.1) & (np.arange(c) != y[i]), 0.3, 0.0)
        return x, y
    return rng.standard_normal((n, c)), y


def check_pair(session, prefix: str, seed: int = 0, mode: str = "auto") -> CheckResult:
    """Check the learner's ``prefix_forward``/``prefix_backward`` pair."""
    pair = PAIRS[prefix]
    inputs, params, extra = pair.make(np.random.default_rng(seed))
    spec = {"forward": pair.forward, "backward": pair.backward, "inputs": len(inputs), "params": params, "extra": extra}
    layer = new_remote_layer(session, {"op": "adapt", "convention": "pair", "name": prefix}, spec, pair.forward_names, seed, prefix)
    result = check_layer(layer, *inputs, mode=mode, seed=seed, name=f"{pair.forward} / {pair.backward}")
    result.kind = "function"
    if result.problem is None and pair.reference is not None:
        want = pair.reference(inputs, {k: v.copy() for k, v in params.items()}, extra)(*[np.array(i) for i in inputs])
        result.checks.append(compare_outputs(want, layer.forward(*inputs)))
    return result


def check_loss(session, name: str, seed: int = 0, mode: str = "auto") -> CheckResult:
    """Check the learner's ``name(x, y) -> (loss, dx)``."""
    x, y = _loss_case(name, np.random.default_rng(seed))
    layer = new_remote_layer(session, {"op": "adapt", "convention": "loss", "name": name}, {}, ["x", "y"], seed, name)
    result = check_layer(layer, x, y, mode=mode, seed=seed, name=name)
    result.kind = "function"
    if result.problem is None:
        result.checks.append(compare_outputs(LOSSES[name](x, y), layer.forward(x, y)))
    return result
