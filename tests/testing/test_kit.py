"""The testing kit: correct custom layers pass, planted bugs fail with a shrunk, readable counterexample."""

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gradcheck.testing import (
    arrays, assert_grad, assert_layer_gradients, assert_vjp, distinct, image_shapes, layer_inputs, nonzero,
    sequence_shapes, shapes,
)

pytest_plugins = ["pytester"]
ROOT = Path(__file__).resolve().parents[2]


class Swish:
    def forward(self, x):
        self.x, self.s = x, 1 / (1 + np.exp(-x))
        return x * self.s

    def backward(self, dout):
        return dout * (self.s + self.x * self.s * (1 - self.s))


class LayerNorm:
    """Normalise each row, then scale by gamma and shift by beta."""

    def __init__(self, gamma, beta, eps=1e-5):
        self.gamma, self.beta, self.eps = gamma, beta, eps
        self.dgamma = self.dbeta = None

    def forward(self, x):
        mu = x.mean(axis=-1, keepdims=True)
        self.std = np.sqrt(x.var(axis=-1, keepdims=True) + self.eps)
        self.xn = (x - mu) / self.std
        return self.gamma * self.xn + self.beta

    def backward(self, dout):
        self.dgamma = np.sum(dout * self.xn, axis=tuple(range(dout.ndim - 1)))
        self.dbeta = np.sum(dout, axis=tuple(range(dout.ndim - 1)))
        g = dout * self.gamma
        return (g - g.mean(axis=-1, keepdims=True) - self.xn * (g * self.xn).mean(axis=-1, keepdims=True)) / self.std


class Huber:
    def forward(self, x, t):
        self.d = x - t
        return np.mean(np.where(np.abs(self.d) <= 1, 0.5 * self.d**2, np.abs(self.d) - 0.5))

    def backward(self, dout=1):
        return dout * np.clip(self.d, -1, 1) / self.d.size


class LayerNormMissingTerm(LayerNorm):
    def backward(self, dout):
        super().backward(dout)
        g = dout * self.gamma
        return (g - g.mean(axis=-1, keepdims=True)) / self.std  # the xn term is missing


class SwishWrongSign(Swish):
    def backward(self, dout):
        return dout * (self.s - self.x * self.s * (1 - self.s))


@given(x=arrays(shapes(max_dims=3)))
def test_swish_passes(x):
    assert_layer_gradients(Swish(), x)


@given(case=layer_inputs(LayerNorm, inputs=[("N", "D")], params={"gamma": ("D",), "beta": ("D",)}, dims={"D": st.integers(2, 6)}))
def test_layer_norm_passes(case):
    layer, (x,) = case
    result = assert_layer_gradients(layer, x + np.arange(x.shape[-1]))  # rows with spread
    assert {c.gradient for c in result.checks} == {"dx", "dgamma", "dbeta"}


@given(shape=shapes(max_dims=2), data=st.data())
def test_huber_passes_away_from_its_kinks(shape, data):
    t = data.draw(arrays(shape))
    offset = data.draw(arrays(shape, elements=st.one_of(st.floats(-0.95, 0.95), nonzero(1.05, 3.0))))
    assert_layer_gradients(Huber(), t + offset, t)


def test_planted_bug_fails_with_a_message_naming_the_gradient():
    x = np.array([[0.5, -1.0, 2.0]])
    with pytest.raises(AssertionError, match=r"LayerNormMissingTerm.backward -> dx"):
        assert_layer_gradients(LayerNormMissingTerm(np.ones(3), np.zeros(3)), x)


def test_assert_vjp_and_assert_grad():
    x, w = np.arange(6.0).reshape(2, 3), np.ones((3, 2))
    assert_vjp(lambda x, w: x @ w, lambda d, x, w: (d @ w.T, x.T @ d), x, w)
    assert_grad(lambda v: float(np.sum(np.sin(v))), np.cos, np.array([0.1, 0.7]))
    with pytest.raises(AssertionError, match=r": dw"):
        assert_vjp(lambda x, w: x @ w, lambda d, x, w: (d @ w.T, d.T @ x), x, np.ones((3, 3)))
    with pytest.raises(AssertionError):
        assert_grad(lambda v: float(np.sum(np.sin(v))), np.sin, np.array([0.1, 0.7]))


@given(data=st.data(), shape=image_shapes())
def test_distinct_has_no_ties_and_image_shapes_are_nchw(data, shape):
    x = data.draw(distinct(shape))
    assert x.shape == shape and len(shape) == 4
    flat = np.sort(x.ravel())
    assert np.all(np.diff(flat) >= 0.05 - 1e-12)


@given(shape=sequence_shapes(), data=st.data())
def test_arrays_are_not_one_repeated_fill_value(shape, data):
    x = data.draw(arrays(shape))
    assert x.shape == shape and np.all(np.isfinite(x))
    assert np.all((x == 0) | (np.abs(x) >= 1e-6))  # no 1e-204 style magnitudes


@given(x=arrays((50,), scale=0.1, dtype=np.float32))
def test_float32_arrays_stay_inside_their_bounds(x):
    assert x.dtype == np.float32 and np.all(np.abs(x.astype(np.float64)) <= 0.1)


BUGGY_TEST = '''
import numpy as np
from hypothesis import given, settings
from gradcheck.testing import arrays, shapes

class Swish:
    def forward(self, x):
        self.x, self.s = x, 1 / (1 + np.exp(-x))
        return x * self.s
    def backward(self, dout):
        return dout * (self.s - self.x * self.s * (1 - self.s))  # planted: wrong sign

@settings(max_examples=30, derandomize=True, database=None, deadline=None)
@given(x=arrays(shapes(max_dims=2)))
def test_swish(gradcheck, x):
    gradcheck.layer(Swish(), x)
'''


def test_plugin_reports_a_shrunk_counterexample(pytester):
    pytester.makepyfile(test_buggy=BUGGY_TEST)
    result = pytester.runpytest("-p", "no:cacheprovider", "--gradcheck-seed", "3")
    result.assert_outcomes(failed=1)
    out = result.stdout.str()
    assert "Falsifying example" in out or "Failing test case" in out  # the wording of Hypothesis < / >= 6.16x
    assert "x=array([" in out  # Hypothesis shows the shrunk input
    assert "Swish.backward -> dx" in out and "seed 3" in out


def test_plugin_options_reach_the_fixture(pytester):
    pytester.makepyfile(test_opts='''
def test_bound(gradcheck):
    assert gradcheck.seed == 7 and gradcheck.mode == "fast"
''')
    pytester.runpytest("-p", "no:cacheprovider", "--gradcheck-seed", "7", "--gradcheck-mode", "fast").assert_outcomes(passed=1)


def test_plugin_options_reach_direct_assertion_calls(pytester):
    pytester.makepyfile(test_direct='''
import numpy as np
import pytest
from gradcheck.testing import assert_layer_gradients


class Double:
    def forward(self, x):
        return 2 * x

    def backward(self, dout):
        return 3 * dout  # planted


def test_direct():
    with pytest.raises(AssertionError) as err:
        assert_layer_gradients(Double(), np.ones((2, 3)))
    assert "seed 7, mode fast" in str(err.value)
''')
    pytester.runpytest("-p", "no:cacheprovider", "--gradcheck-seed", "7", "--gradcheck-mode", "fast").assert_outcomes(passed=1)


def test_bundled_example_test_file_passes(pytester):
    example = ROOT / "examples" / "test_my_activation.py"
    if not example.exists():  # an installed copy without the checkout
        return
    pytester.makepyfile(test_example=example.read_text(encoding="utf-8"))
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=2)


BRANCH_BUG_TEST = '''
import numpy as np
from hypothesis import given, settings, strategies as st
from gradcheck.testing import assert_layer_gradients

class Scale:
    def forward(self, x):
        self.x = x
        return 3 * x
    def backward(self, dout):
        if self.x.shape[0] > 2:
            return 3.3 * dout  # THE_BUG
        return 3 * dout

@settings(max_examples=30, database=None, deadline=None)
@given(st.integers(1, 5))
def test_scale(n):
    assert_layer_gradients(Scale(), np.random.default_rng(n).standard_normal((n, 4)))
'''


def test_hypothesis_explanation_lists_the_authors_line_not_gradchecks(pytester):
    import sys

    if sys.gettrace() is not None:
        pytest.skip("another tracer (coverage, a debugger) is running: Hypothesis does not explain under it")
    path = pytester.makepyfile(test_branch=BRANCH_BUG_TEST)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    lines = result.stdout.lines
    start = next(i for i, line in enumerate(lines) if "always and only run by failing" in line)  # examples / test cases
    listed = []
    for line in lines[start + 1:]:
        words = line.split()
        if not words or ".py:" not in words[-1]:
            break
        listed.append(words[-1])
    source = path.read_text().splitlines()
    bug_line = source.index(next(x for x in source if "THE_BUG" in x)) + 1
    assert listed == [f"{path}:{bug_line}"]  # gradcheck's and numpy's lines were listed too
