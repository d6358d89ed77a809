"""Fast mode: directions that keep ties and zeros (no false alarm at a max-pool tie or a ReLU zero), and a
disagreeing projection followed down to the wrong element, whose row, column or uniqueness is named."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gradcheck import check_layer
from gradcheck.layers import Affine, activations, conv
from gradcheck.numeric.locate import direction

seeds = st.integers(0, 2**31 - 1)


@given(seeds, st.integers(0, 2**62))
def test_a_direction_moves_equal_values_together_and_leaves_zeros(seed, key):
    x = np.random.default_rng(seed).integers(-3, 4, (6, 7)).astype(float)
    d = direction(x, key)
    assert np.all(d[x == 0] == 0) and np.all(d[x != 0] != 0)
    for v in np.unique(x):
        assert np.unique(d[x == v]).size == 1


@given(seeds)
def test_fast_mode_raises_no_false_alarm_at_relu_zeros(seed):
    x = np.random.default_rng(seed).integers(-2, 3, (16, 32)).astype(float)
    assert check_layer(activations.Relu(), x, mode="fast", seed=seed % 997).passed


@given(seeds)
def test_fast_mode_raises_no_false_alarm_at_max_pool_ties(seed):
    x = np.random.default_rng(seed).integers(0, 4, (2, 3, 8, 8)).astype(float)
    assert check_layer(conv.Pooling(2, 2, 2), x, mode="fast", seed=seed % 997).passed


def _planted(where):
    class Planted(Affine):
        def backward(self, dout):
            dx = super().backward(dout)
            self.dW = self.dW.copy()
            self.dW[where] *= 1.02
            return dx

    return Planted


@pytest.mark.parametrize("where, note", [((7, slice(None)), "only row 7 is wrong"), ((slice(None), 11), "only column 11 is wrong"),
                                         ((40, 9), "only the element [40, 9] is wrong")])
@given(seed=st.integers(0, 10_000))
def test_a_planted_error_is_located_and_its_extent_named(where, note, seed):
    rng = np.random.default_rng(seed)
    x, W, b = rng.standard_normal((8, 60)), rng.standard_normal((60, 50)) / 8, rng.standard_normal(50)
    result = check_layer(_planted(where)(W, b), x, mode="fast", seed=seed)
    (check,) = result.failures()
    assert check.gradient == "dW"
    assert any(note in n.render("en") for n in check.diagnoses), [n.render("en") for n in check.diagnoses]
    row, col = (int(v) for v in check.worst.where.strip("[]").split(","))
    assert (where[0] == slice(None) or row == where[0]) and (where[1] == slice(None) or col == where[1])
    assert abs(check.worst.got / check.worst.expected - 1.02) < 1e-6  # the element's own values, as full mode shows


class ScaledByWeights:
    """y = w * x elementwise, the first weight tiny; backward 1e-4 too large everywhere."""

    def __init__(self, n: int):
        self.w = np.linspace(1.0, 3.0, n)
        self.w[0] = 1e-9

    def forward(self, x):
        return self.w * x

    def backward(self, dout):
        return self.w * dout * (1 + 1e-4)


@pytest.mark.parametrize("seed", range(3))
def test_an_error_spread_over_every_element_is_shown_at_an_element_where_it_is_visible(seed):
    layer = ScaledByWeights(20_000)
    x = np.random.default_rng(seed).standard_normal(20_000)
    failed = check_layer(layer, x, mode="fast", seed=seed).failures()
    assert [c.gradient for c in failed] == ["dx"]
    assert failed[0].worst.where.startswith("[") and failed[0].worst.where != "[0]"  # not "projection 1", not the tiny one
    assert any(n.key.startswith("diag.factor") for n in failed[0].diagnoses)
