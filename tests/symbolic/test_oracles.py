"""Exact oracles: the identities the posts state, and agreement with the reference layers."""

import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from gradcheck.layers import BinaryCrossEntropy, MeanSquaredError, Relu, Sigmoid, SoftmaxWithLoss, Tanh
from gradcheck.symbolic import oracles
from gradcheck.testing import strategies as gst

X = oracles.X


def test_sigmoid_derivative_is_y_times_one_minus_y():
    o = oracles.elementwise("sigmoid")
    assert sp.simplify(o.derivative - o.expr * (1 - o.expr)) == 0


def test_tanh_derivative_is_one_minus_y_squared():
    o = oracles.elementwise("tanh")
    assert sp.simplify(o.derivative - (1 - o.expr**2)) == 0


def test_softplus_derivative_is_sigmoid():
    assert sp.simplify(oracles.elementwise("softplus").derivative - oracles.elementwise("sigmoid").expr) == 0


@pytest.mark.parametrize("classes", [2, 3, 4])
def test_softmax_cross_entropy_gradient_is_y_minus_t_for_one_hot_labels(classes):
    o = oracles.softmax_cross_entropy(classes)
    xs = sp.symbols(f"x0:{classes}", real=True)
    ts = sp.symbols(f"t0:{classes}", real=True)
    soft = [sp.exp(v) / sum(sp.exp(w) for w in xs) for v in xs]
    for k in range(classes):  # the label is class k: t = e_k
        onehot = {t: int(i == k) for i, t in enumerate(ts)}
        for i in range(classes):
            assert sp.simplify(o.derivative[i].subs(onehot) - (soft[i] - onehot[ts[i]])) == 0


def test_binary_cross_entropy_from_logits_gradient_is_sigmoid_minus_t():
    d = oracles.loss("binary_cross_entropy_logits").derivative
    assert sp.simplify(d - (1 / (1 + sp.exp(-X)) - oracles.T) / oracles.N) == 0


@pytest.mark.parametrize("name, layer", [("sigmoid", Sigmoid), ("tanh", Tanh), ("relu", Relu)])
@given(x=gst.arrays(gst.shapes(max_dims=2, max_side=5), elements=gst.nonzero(0.01, 6.0)))
def test_elementwise_oracles_agree_with_reference_layers(name, layer, x):
    lay = layer()
    lay.forward(x)
    got = lay.backward(np.ones_like(x))
    want = np.broadcast_to(oracles.elementwise(name).backward(x), x.shape)
    assert np.allclose(got, want, rtol=1e-12, atol=4e-16)


@given(n=st.integers(1, 4), c=st.integers(2, 5), data=st.data())
def test_softmax_cross_entropy_oracle_agrees_with_the_layer(n, c, data):
    x = data.draw(gst.arrays((n, c), scale=5.0))
    t = data.draw(gst.labels(n, c, one_hot=True))
    layer = SoftmaxWithLoss()
    layer.forward(x, t)
    assert np.allclose(layer.backward(), oracles.softmax_cross_entropy_grad(x, t), rtol=1e-10, atol=1e-14)


@given(shape=gst.shapes(max_dims=2, max_side=4), data=st.data())
def test_loss_oracles_agree_with_the_layers(shape, data):
    y, t = data.draw(gst.arrays(shape)), data.draw(gst.arrays(shape))
    p = data.draw(gst.arrays(shape, elements=st.floats(0.05, 0.95)))
    tb = data.draw(gst.arrays(shape, elements=st.sampled_from([0.0, 1.0])))
    n = y.size
    mse = MeanSquaredError()
    mse.forward(y, t)
    assert np.allclose(mse.backward(), oracles.loss("mse").backward(y, t, n), rtol=1e-12)
    bce = BinaryCrossEntropy()
    bce.forward(p, tb)
    assert np.allclose(bce.backward(), oracles.loss("binary_cross_entropy").backward(p, tb, n), rtol=1e-10)


def test_tracing_a_plain_function_gives_its_exact_partials():
    def f(x, y):
        return np.exp(x) * np.sin(y) + math.sqrt(2) * x**2 * y

    grads = oracles.traced_gradient(f, ["x", "y"])
    x, y = sp.symbols("x y", real=True)
    assert sp.simplify(grads["x"] - (sp.exp(x) * sp.sin(y) + 2 * sp.sqrt(2) * x * y)) == 0
    assert sp.simplify(grads["y"] - (sp.exp(x) * sp.cos(y) + sp.sqrt(2) * x**2)) == 0


def test_tracing_refuses_a_function_that_branches_on_values():
    def f(x):
        return x if x > 0 else 0.0

    with pytest.raises(oracles.NotTraceable, match="branches"):
        oracles.trace(f, ["x"])
