"""Candidate mistakes for layers learners write beyond the book and cs231n, recognised by class name: layer
norm (the mean or the variance treated as a constant), log-softmax (the row-sum term left out), Huber or
smooth-L1 loss (the two branches swapped).  Constants the class may hold (eps, delta, the loss's
normalisation) are tried at their usual values; a key's variants are told apart after a '#'."""

from __future__ import annotations

import re

import numpy as np

from ..layers.activations import softmax
from .norm_mistakes import normalisation

Found = dict[str, dict[str, np.ndarray]]
EPSILONS = (1e-5, 1e-6, 1e-7, 1e-8, 1e-12, 0.0)


def layer_norm(inputs: list, dout: np.ndarray, gamma) -> Found:
    x = inputs[0]
    found: Found = {}
    for eps in EPSILONS:
        for key, grads in normalisation(x, gamma, dout, eps, (x.ndim - 1,), "ln").items():
            found[f"{key}#{eps}"] = grads
    return found


def log_softmax(inputs: list, dout: np.ndarray, gamma) -> Found:
    x = inputs[0]
    return {"diag.diagonal_only": {"dx": dout * (1 - softmax(x))}}


def huber(inputs: list, dout, gamma) -> Found:
    """The gradient with the quadratic and linear branches swapped, for delta 1 and each usual normalisation."""
    x, t = inputs[0], inputs[1]
    d = x - t
    swapped = np.where(np.abs(d) <= 1.0, np.sign(d), d)
    return {f"diag.branches_swapped#{k}": {"dx": swapped * scale}
            for k, scale in (("mean", 1 / d.size), ("batch", 1 / d.shape[0]), ("sum", 1.0))}


#: A class-name pattern and its candidates.
PATTERNS = [
    (re.compile(r"layer_?norm", re.I), layer_norm),
    (re.compile(r"log_?softmax", re.I), log_softmax),
    (re.compile(r"huber|smooth_?l1", re.I), huber),
]


def candidates_for(class_name: str):
    """The candidate maker for a class name, or None."""
    return next((make for pattern, make in PATTERNS if pattern.search(class_name)), None)
