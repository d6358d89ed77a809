"""Elementwise activations and softmax, with the backward each is known by."""

from __future__ import annotations

import numpy as np


class Relu:
    """max(0, x); gradient flows only where the input was positive."""

    def __init__(self):
        self.mask = None

    def forward(self, x):
        self.mask = x <= 0
        return np.where(self.mask, 0.0, x)

    def backward(self, dout):
        return np.where(self.mask, 0.0, dout)


class LeakyRelu:
    """x for x > 0, alpha * x otherwise."""

    def __init__(self, alpha: float = 0.01):
        self.alpha = alpha
        self.mask = None

    def forward(self, x):
        self.mask = x <= 0
        return np.where(self.mask, self.alpha * x, x)

    def backward(self, dout):
        return np.where(self.mask, self.alpha * dout, dout)


def sigmoid(x):
    """The logistic function, computed without overflow for large |x|."""
    x = np.asarray(x, dtype=np.float64)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


class Sigmoid:
    """1 / (1 + exp(-x)); its backward needs only the forward output y: dout * y * (1 - y)."""

    def __init__(self):
        self.out = None

    def forward(self, x):
        self.out = sigmoid(x)
        return self.out

    def backward(self, dout):
        return dout * self.out * (1.0 - self.out)


class Tanh:
    """tanh(x); backward dout * (1 - y^2)."""

    def __init__(self):
        self.out = None

    def forward(self, x):
        self.out = np.tanh(x)
        return self.out

    def backward(self, dout):
        return dout * (1.0 - self.out**2)


def softmax(x):
    """Softmax over the last axis, shifted by the maximum so that large logits do not overflow."""
    z = x - np.max(x, axis=-1, keepdims=True)
    e = np.exp(z)
    return e / np.sum(e, axis=-1, keepdims=True)


class Softmax:
    """Softmax over the last axis; backward y * (dout - sum(dout * y))."""

    def __init__(self):
        self.out = None

    def forward(self, x):
        self.out = softmax(x)
        return self.out

    def backward(self, dout):
        y = self.out
        return y * (dout - np.sum(dout * y, axis=-1, keepdims=True))
