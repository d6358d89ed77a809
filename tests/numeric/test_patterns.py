"""Element patterns and factors named when no known mistake fits: which rows, columns or channels are wrong,
factors constant within each of them, a division by a count, and a backward that ignored dout."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from gradcheck.numeric.diagnose import diagnose_arrays, element_pattern
from gradcheck.numeric.layer import check_layer

seeds = st.integers(0, 2**31 - 1)


def _array(seed: int, shape) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.choice((-1.0, 1.0), shape) * rng.uniform(0.5, 2.0, shape)


@given(seeds, st.integers(4, 9), st.integers(2, 6))
def test_the_wrong_rows_are_named_and_only_those(seed, n, d):
    expected = _array(seed, (n, d))
    rng = np.random.default_rng(seed + 1)
    rows = np.sort(rng.choice(n, size=rng.integers(2, n // 2 + 1), replace=False))
    got = expected.copy()
    got[rows] += 1.0
    notes = diagnose_arrays(got, expected, got != expected)
    assert [n_.key for n_ in notes] == ["diag.some_rows"]
    assert notes[0].params["which"] == ", ".join(str(r) for r in rows[:6]) + (", ..." if rows.size > 6 else "")


@given(seeds, st.integers(3, 6), st.integers(3, 6), st.integers(2, 4))
def test_a_wrong_channel_of_an_image_gradient_is_named(seed, n, c, hw):
    expected = _array(seed, (n, c, hw, hw))
    channel = seed % c
    got = expected.copy()
    got[:, channel] *= -1.0
    notes = element_pattern(got, expected, got != expected)
    assert [(x.key, x.params["which"]) for x in notes] == [("diag.some_channels", str(channel))]


@given(seeds, st.integers(4, 8), st.integers(2, 5))
def test_a_factor_per_column_is_named_not_a_constant(seed, n, d):
    expected = _array(seed, (n, d))
    factors = 1.5 + np.arange(d)  # distinct, none 1
    got = expected * factors
    notes = diagnose_arrays(got, expected, got != expected)
    assert [x.key for x in notes] == ["diag.factor_per_column"]


@given(seeds, st.integers(3, 40))
def test_a_division_by_a_count_names_the_count(seed, count):
    expected = _array(seed, (5, 4))
    notes = diagnose_arrays(expected / count, expected, np.ones_like(expected, dtype=bool))
    assert [(x.key, x.params.get("n")) for x in notes] in ([("diag.factor_divided", count)], [("diag.factor_inverse_batch", count)])


class _Cube:
    """x**3 with a backward that forgets to multiply by dout."""

    def forward(self, x):
        self.x = x
        return x**3

    def backward(self, dout):
        return 3 * self.x**2


@given(seeds)
def test_a_backward_that_ignores_dout_is_told_to_multiply(seed):
    result = check_layer(_Cube(), _array(seed, (4, 5)), mode="full", seed=seed % 1000)
    assert not result.passed
    assert [n.key for n in result.checks[0].diagnoses] == ["diag.no_upstream"]
