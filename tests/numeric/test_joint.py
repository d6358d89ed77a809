"""Fast mode's joint projections: a correct multi-array layer is cleared with one set of projections, and a
wrong element in its smallest array is still found (and located) by the per-array checks that follow."""

import numpy as np
import pytest

from gradcheck import check_layer
from gradcheck.layers import Affine


class Counting(Affine):
    calls = 0

    def forward(self, x):
        Counting.calls += 1
        return super().forward(x)


def _case(seed, d=120, m=60):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((8, d)), rng.standard_normal((d, m)) / np.sqrt(d), rng.standard_normal(m)


def test_a_correct_layer_costs_one_set_of_projections_not_one_per_array():
    x, W, b = _case(0)
    Counting.calls = 0
    result = check_layer(Counting(W, b), x, mode="fast")
    assert result.passed
    # base, 3 joint projections of 2 evaluations, 2 two-point samples per array of at most SAMPLED_LIMIT
    # elements (b here), and the backward's forward: per-array projections would add 3 x 3 x 2 more
    assert Counting.calls <= 1 + 6 + 4 + 2


def test_only_small_arrays_are_sampled_once_the_joint_projections_agree():
    rng = np.random.default_rng(1)
    x, W, b = rng.standard_normal((16, 100)), rng.standard_normal((100, 8)) / 10, rng.standard_normal(8)
    Counting.calls = 0
    result = check_layer(Counting(W, b), x, mode="fast")
    assert result.passed and {c.gradient: c.checked for c in result.checks} == {"dx": 3, "dW": 3, "db": 5}
    assert Counting.calls <= 1 + 6 + 4 + 2  # samples only for b (8), not x (1,600) or W (800)


@pytest.mark.parametrize("seed", range(5))
def test_one_wrong_element_of_the_smallest_array_is_found_in_fast_mode(seed):
    x, W, b = _case(seed)

    class OneBiasElement(Affine):
        def backward(self, dout):
            dx = super().backward(dout)
            self.db = self.db.copy()
            self.db[17] *= 1.01
            return dx

    result = check_layer(OneBiasElement(W, b), x, mode="fast", seed=seed)
    failed = [c.gradient for c in result.failures()]
    assert failed == ["db"]
    assert result.failures()[0].worst.where == "[17]"
