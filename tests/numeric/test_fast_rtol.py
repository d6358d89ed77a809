"""A known small constant (the book's 1e-7 inside the log) is accepted in fast mode as in full mode: the network
tolerance reaches the projections and the sampled elements (a real-size network failed at 3e-7 in fast mode)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from gradcheck.numeric.layer import check_layer


class LogLoss:
    """-mean(log(softmax(x)[t] + delta)), whose backward ignores delta, as the book's SoftmaxWithLoss does."""

    def __init__(self, t, delta=1e-7, scale=1.0):
        self.t, self.delta, self.scale = t, delta, scale

    def forward(self, x):
        e = np.exp(x - x.max(axis=1, keepdims=True))
        self.y = e / e.sum(axis=1, keepdims=True)
        n = x.shape[0]
        return -np.mean(np.log(self.y[np.arange(n), self.t] + self.delta))

    def backward(self, dout=1.0):
        n = self.y.shape[0]
        dx = self.y.copy()
        dx[np.arange(n), self.t] -= 1
        return self.scale * dout * dx / n


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 2**16))
def test_the_known_constant_passes_in_fast_mode_and_a_real_error_does_not(seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((600, 10))  # 6,000 coordinates, as a network's scores: auto chooses fast mode
    t = rng.integers(0, 10, size=600)
    assert check_layer(LogLoss(t), x, mode="fast", seed=seed, rtol=1e-5).passed
    assert not check_layer(LogLoss(t), x, mode="fast", seed=seed).passed  # the constant is seen without the floor
    assert not check_layer(LogLoss(t, scale=1.001), x, mode="fast", seed=seed, rtol=1e-5).passed
