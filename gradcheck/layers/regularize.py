"""Regularization: L1 and L2 penalties on a weight array, and dropout."""

from __future__ import annotations

import numpy as np


class L2Penalty:
    """lam * sum(W^2), halved by default (0.5 * lam * sum(W^2), the book's weight decay); gradient lam * W."""

    def __init__(self, lam: float, half: bool = True):
        self.lam, self.half = lam, half
        self.W = None

    def forward(self, W):
        self.W = W
        return self.lam * (0.5 if self.half else 1.0) * np.sum(W**2)

    def backward(self, dout=1):
        return dout * self.lam * (1.0 if self.half else 2.0) * self.W


class L1Penalty:
    """lam * sum(|W|); gradient lam * sign(W), undefined at W = 0."""

    def __init__(self, lam: float):
        self.lam = lam
        self.W = None

    def forward(self, W):
        self.W = W
        return self.lam * np.sum(np.abs(W))

    def backward(self, dout=1):
        return dout * self.lam * np.sign(self.W)


class Dropout:
    """Zero each input with probability ``dropout_ratio`` in training; scale by (1 - ratio) in inference.

    Pass ``mask`` (a boolean array of the input's shape) to fix which units are kept,
    as a gradient check needs; otherwise a fresh mask is drawn from ``seed`` each call.
    """

    def __init__(self, dropout_ratio=0.5, mask=None, seed=None):
        self.dropout_ratio = dropout_ratio
        self.fixed_mask = mask
        self.rng = np.random.default_rng(seed)
        self.mask = None

    def forward(self, x, train_flg=True):
        if not train_flg:
            self.mask = None
            return x * (1.0 - self.dropout_ratio)
        if self.fixed_mask is not None:
            self.mask = np.asarray(self.fixed_mask, dtype=bool)
        else:
            self.mask = self.rng.random(x.shape) > self.dropout_ratio
        return x * self.mask

    def backward(self, dout):
        if self.mask is None:
            return dout * (1.0 - self.dropout_ratio)
        return dout * self.mask
