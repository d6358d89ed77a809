"""Finite differences on functions whose gradients are known in closed form."""

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gradcheck import complex_step_gradient, numerical_gradient
from gradcheck.numeric.diff import PrecisionWarning, coordinate_estimate, step_size
from gradcheck.testing import strategies as gst

KNOWN = {
    "polynomial": (lambda x: np.sum(3 * x**3 - 2 * x**2 + x), lambda x: 9 * x**2 - 4 * x + 1),
    "sin*exp": (lambda x: np.sum(np.sin(x) * np.exp(x / 3)), lambda x: np.exp(x / 3) * (np.cos(x) + np.sin(x) / 3)),
    "logsumexp": (
        lambda x: np.log(np.sum(np.exp(x))),
        lambda x: np.exp(x - x.max()) / np.sum(np.exp(x - x.max())),
    ),
}


@pytest.mark.parametrize("name", sorted(KNOWN))
@given(x=gst.arrays(gst.shapes(max_dims=3, max_side=4), scale=2.0))
def test_numerical_gradient_matches_closed_form(name, x):
    f, grad = KNOWN[name]
    got = numerical_gradient(f, x.copy())
    want = grad(x)
    # Stated accuracy: 1e-7 relative to the gradient's scale (observed errors are near 1e-10).
    assert np.max(np.abs(got - want)) <= 1e-7 * max(1.0, np.max(np.abs(want)))


@given(x=gst.arrays((3, 4)))
def test_x_is_restored_exactly_and_perturbed_in_place(x):
    seen = []
    original = x.copy()

    def f(arg):
        seen.append(arg is x)
        return float(np.sum(x**2))  # reads x through the closure, as DLFS code does

    got = numerical_gradient(f, x)
    assert np.array_equal(x, original)
    assert all(seen)
    assert np.allclose(got, 2 * original, rtol=1e-8, atol=1e-8)


def test_x_is_restored_when_f_raises():
    x = np.array([1.0, 2.0, 3.0])
    calls = {"n": 0}

    def f(arg):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("boom")
        return float(np.sum(arg))

    with pytest.raises(RuntimeError):
        numerical_gradient(f, x)
    assert np.array_equal(x, [1.0, 2.0, 3.0])


def test_float32_input_is_computed_in_float64_and_says_so():
    x = np.array([0.5, -1.25, 2.0], dtype=np.float32)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = numerical_gradient(lambda a: float(np.sum(a**3)), x)
    assert got.dtype == np.float64
    assert any(issubclass(w.category, PrecisionWarning) for w in caught)
    assert np.allclose(got, 3 * x.astype(np.float64) ** 2, rtol=1e-8)


@given(v=st.floats(-1e6, 1e6, allow_nan=False))
def test_step_scales_with_magnitude(v):
    h = step_size(v)
    assert h >= np.finfo(float).eps ** (1 / 3) * 0.999
    assert h == pytest.approx(np.finfo(float).eps ** (1 / 3) * max(1.0, abs(v)))


@given(scale=st.floats(0.5, 5.0), t=st.floats(-3.0, 3.0))
def test_kink_is_detected_and_its_range_holds_both_sides(scale, t):
    """|x| scaled at its kink: no derivative, the one-sided range is [-scale, scale]."""
    x = np.array([0.0])
    est = coordinate_estimate(lambda: scale * np.abs(x), x, 0, np.zeros(1), np.ones(1))
    assert est.kink
    assert est.lower == pytest.approx(-scale) and est.upper == pytest.approx(scale)
    # and a smooth point with the same curvature scale is not called a kink
    y = np.array([t])
    smooth = coordinate_estimate(lambda: scale * y**2, y, 0, scale * y**2, np.ones(1))
    assert not smooth.kink
    assert smooth.value == pytest.approx(2 * scale * t, abs=1e-8)
    assert abs(smooth.value - 2 * scale * t) <= smooth.error


@pytest.mark.parametrize("name", sorted(KNOWN))
@given(x=gst.arrays(gst.shapes(max_dims=3, max_side=4), scale=2.0))
def test_complex_step_is_exact_to_machine_precision_for_analytic_functions(name, x):
    f, grad = KNOWN[name]
    got, want = complex_step_gradient(f, x), grad(x)
    scale = max(1.0, float(np.max(np.abs(want))))
    assert np.max(np.abs(got - want)) <= 64 * np.finfo(float).eps * scale  # central differences: about 1e-10


def test_complex_step_restores_nothing_it_does_not_own():
    x = np.array([0.3, -1.2])
    complex_step_gradient(lambda z: np.sum(z**2), x)
    assert x.dtype == np.float64 and np.array_equal(x, [0.3, -1.2])
