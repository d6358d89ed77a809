"""Loss layers: forward(x, t) returns a scalar, backward(dout=1) returns dx; t is never differentiated."""

from __future__ import annotations

import numpy as np

from .activations import sigmoid, softmax


def _as_batch(x):
    return x.reshape(1, -1) if x.ndim == 1 else x


def _class_indices(t, n_classes: int):
    """Integer labels from one-hot rows or from labels already given as integers."""
    t = np.asarray(t)
    if t.ndim >= 1 and t.shape[-1] == n_classes and t.ndim == 2:
        return np.argmax(t, axis=1)
    return t.reshape(-1).astype(np.int64)


class SoftmaxWithLoss:
    """Softmax then cross-entropy, averaged over the batch; backward (y - t) / N."""

    def __init__(self):
        self.y = None
        self.labels = None

    def forward(self, x, t):
        x = _as_batch(x)
        self.labels = _class_indices(t, x.shape[1])
        self.y = softmax(x)
        shifted = x - np.max(x, axis=1, keepdims=True)
        log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
        return -np.mean(log_probs[np.arange(x.shape[0]), self.labels])

    def backward(self, dout=1):
        n = self.y.shape[0]
        dx = self.y.copy()
        dx[np.arange(n), self.labels] -= 1.0
        return dx * dout / n


class MeanSquaredError:
    """mean((y - t)^2) with reduction="mean", or the book's 0.5 * sum((y - t)^2) with "half_sum"."""

    def __init__(self, reduction: str = "mean"):
        if reduction not in ("mean", "half_sum"):
            raise ValueError("reduction must be 'mean' or 'half_sum'")
        self.reduction = reduction
        self.diff = None

    def forward(self, y, t):
        self.diff = y - t
        if self.reduction == "mean":
            return np.mean(self.diff**2)
        return 0.5 * np.sum(self.diff**2)

    def backward(self, dout=1):
        if self.reduction == "mean":
            return dout * 2.0 * self.diff / self.diff.size
        return dout * self.diff


class BinaryCrossEntropy:
    """Mean binary cross-entropy, from probabilities p or (from_logits=True) from logits z."""

    def __init__(self, from_logits: bool = False):
        self.from_logits = from_logits
        self.x = None
        self.t = None

    def forward(self, x, t):
        self.x, self.t = x, t
        if self.from_logits:
            return np.mean(np.maximum(x, 0) - t * x + np.log1p(np.exp(-np.abs(x))))
        return -np.mean(t * np.log(x) + (1 - t) * np.log(1 - x))

    def backward(self, dout=1):
        x, t = self.x, self.t
        if self.from_logits:
            return dout * (sigmoid(x) - t) / x.size
        return dout * (x - t) / (x * (1 - x)) / x.size


class CategoricalCrossEntropy:
    """-sum(t * log p) / N from probabilities p, with one-hot t or (sparse=True) integer labels."""

    def __init__(self, sparse: bool = False):
        self.sparse = sparse
        self.p = None
        self.labels = None

    def forward(self, p, t):
        p = _as_batch(p)
        self.p = p
        self.labels = np.asarray(t).reshape(-1).astype(np.int64) if self.sparse else _class_indices(t, p.shape[1])
        return -np.mean(np.log(p[np.arange(p.shape[0]), self.labels]))

    def backward(self, dout=1):
        n = self.p.shape[0]
        dp = np.zeros_like(self.p)
        dp[np.arange(n), self.labels] = -1.0 / self.p[np.arange(n), self.labels]
        return dout * dp / n
