"""Fast mode's wide projection: along a direction where the layer is linear, a step 256 times longer sees an
error 256 times smaller; where it is not linear the step is not trusted, and no false alarm follows."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gradcheck import check_layer
from gradcheck.layers import Affine
from gradcheck.numeric import projections

D, M = 400, 300  # 120,000 weights: above WIDE_LIMIT


def _affine_with_small_gradient_element(seed: int):
    """A correct Affine, its input, and the element of dW with the smallest gradient of at least 0.002."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((8, D))
    W, b = rng.standard_normal((D, M)) / np.sqrt(D), rng.standard_normal(M)
    probe = np.random.default_rng(seed).standard_normal((8, M))  # what check_layer draws for this seed
    dW = x.T @ probe
    small = tuple(int(i) for i in np.unravel_index(int(np.argmin(np.abs(dW) + (np.abs(dW) < 0.002))), dW.shape))
    return x, W, b, small, float(dW[small])


def _planted(index):
    class OffByATenthOfAPercent(Affine):
        def backward(self, dout):
            dx = super().backward(dout)
            self.dW = self.dW.copy()
            self.dW[index] *= 1 + 1e-3
            return dx

    return OffByATenthOfAPercent


@pytest.mark.parametrize("seed", range(3))
def test_an_element_too_small_for_the_narrow_step_is_caught_and_located_by_the_wide_one(seed, monkeypatch):
    x, W, b, index, g = _affine_with_small_gradient_element(seed)
    assert abs(g) < 0.005  # a thousandth of that is below what the narrow step can see among 120,000
    result = check_layer(_planted(index)(W.copy(), b.copy()), x, mode="fast", seed=seed)
    assert [c.gradient for c in result.failures()] == ["dW"]
    assert result.failures()[0].worst.where == str(list(index))
    monkeypatch.setattr(projections, "WIDE_LIMIT", 10**9)  # narrow steps only: the same bug goes unseen
    assert check_layer(_planted(index)(W.copy(), b.copy()), x, mode="fast", seed=seed).passed


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 2**31 - 1))
def test_a_correct_large_affine_passes_with_the_wide_projection(seed):
    x, W, b, _, _ = _affine_with_small_gradient_element(seed % 1000)
    result = check_layer(Affine(W, b), x, mode="fast", seed=seed)
    assert result.passed and all(c.checked == 2 for c in result.checks)  # one narrow, one wide: linear


class SteepTanh:
    """tanh(k x) on 120,000 inputs: at the wide step it saturates, at the narrow one it is smooth."""

    k = 3000.0

    def __init__(self, factor: float = 1.0):
        self.factor = factor

    def forward(self, x):
        self.y = np.tanh(self.k * x)
        return self.y

    def backward(self, dout):
        return dout * self.k * (1 - self.y**2) * self.factor


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 2**31 - 1))
def test_no_false_alarm_where_the_wide_step_leaves_the_linear_range(seed):
    x = np.random.default_rng(seed).standard_normal((300, 400)) / SteepTanh.k
    assert check_layer(SteepTanh(), x, mode="fast", seed=seed).passed


def test_a_wrong_steep_layer_is_still_caught_by_the_narrow_projections():
    x = np.random.default_rng(5).standard_normal((300, 400)) / SteepTanh.k
    assert not check_layer(SteepTanh(1.001), x, mode="fast", seed=5).passed


def test_a_small_error_in_the_smaller_array_seen_only_by_the_joint_wide_step_is_still_reported(monkeypatch):
    x, W, b, _, _ = _affine_with_small_gradient_element(3)
    dx = np.random.default_rng(3).standard_normal((8, M)) @ W.T
    index = tuple(int(i) for i in np.unravel_index(int(np.argmin(np.abs(dx) + (np.abs(dx) < 0.002))), dx.shape))

    class OneInputElement(Affine):
        def backward(self, dout):
            dx = super().backward(dout).copy()
            dx[index] *= 1 + 1e-3
            return dx

    result = check_layer(OneInputElement(W.copy(), b.copy()), x, mode="fast", seed=3)
    assert [c.gradient for c in result.failures()] == ["dx"]
    assert result.failures()[0].worst.where == str(list(index))
    monkeypatch.setattr(projections, "WIDE_LIMIT", 10**9)
    assert check_layer(OneInputElement(W.copy(), b.copy()), x, mode="fast", seed=3).passed
