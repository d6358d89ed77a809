"""Every reference layer's backward, property-tested against finite differences of its forward."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gradcheck.layers import (
    AddLayer, Affine, BatchNormalization, BinaryCrossEntropy, CategoricalCrossEntropy, Convolution, Dropout, Flatten,
    L1Penalty, L2Penalty, LeakyRelu, MeanSquaredError, MulLayer, Pooling, Relu, Sigmoid, Softmax, SoftmaxWithLoss, Tanh,
)
from gradcheck.layers.cases import CASES, check_reference
from gradcheck.testing import assert_layer_gradients
from gradcheck.testing import strategies as gst

batch_rows = st.integers(1, 5)
features = st.integers(1, 5)


@given(shape=gst.shapes(max_dims=3, max_side=4), data=st.data())
def test_add_and_mul(shape, data):
    x, y = data.draw(gst.arrays(shape)), data.draw(gst.arrays(shape))
    assert_layer_gradients(AddLayer(), x, y)
    assert_layer_gradients(MulLayer(), x, y)


@pytest.mark.parametrize("cls", [Relu, LeakyRelu])
@given(x=gst.arrays(gst.shapes(max_dims=3, max_side=4), elements=gst.nonzero(0.01)))
def test_relu_family(cls, x):
    assert_layer_gradients(cls(), x)


@pytest.mark.parametrize("cls", [Sigmoid, Tanh, Softmax])
@given(x=gst.arrays(gst.shapes(max_dims=3, max_side=4), scale=5.0))
def test_smooth_activations(cls, x):
    assert_layer_gradients(cls(), x)


@given(n=batch_rows, inner=gst.shapes(min_dims=1, max_dims=3, max_side=3), out=features, data=st.data())
def test_affine_any_rank(n, inner, out, data):
    d = int(np.prod(inner))
    x = data.draw(gst.arrays((n, *inner)))
    layer = Affine(data.draw(gst.arrays((d, out))), data.draw(gst.arrays((out,))))
    result = assert_layer_gradients(layer, x)
    assert [c.gradient for c in result.checks] == ["dx", "dW", "db"]


@given(x=gst.arrays(gst.shapes(min_dims=2, max_dims=4, max_side=3)))
def test_flatten(x):
    assert_layer_gradients(Flatten(), x)


@given(n=batch_rows, c=st.integers(2, 6), one_hot=st.booleans(), data=st.data())
def test_softmax_with_loss(n, c, one_hot, data):
    x = data.draw(gst.arrays((n, c), scale=5.0))
    t = data.draw(gst.labels(n, c, one_hot=one_hot))
    assert_layer_gradients(SoftmaxWithLoss(), x, t)


def test_softmax_with_loss_survives_logits_near_1000():
    rng = np.random.default_rng(0)
    x = 1000.0 + rng.standard_normal((4, 5))
    layer = SoftmaxWithLoss()
    assert np.isfinite(layer.forward(x, np.array([0, 1, 2, 3])))
    assert_layer_gradients(layer, x, np.array([0, 1, 2, 3]))


@pytest.mark.parametrize("reduction", ["mean", "half_sum"])
@given(shape=gst.shapes(max_dims=2, max_side=4), data=st.data())
def test_mean_squared_error(reduction, shape, data):
    y, t = data.draw(gst.arrays(shape)), data.draw(gst.arrays(shape))
    assert_layer_gradients(MeanSquaredError(reduction), y, t)


@given(shape=gst.shapes(max_dims=2, max_side=4), data=st.data())
def test_binary_cross_entropy_from_probabilities_and_logits(shape, data):
    p = data.draw(gst.arrays(shape, elements=st.floats(0.05, 0.95)))
    z = data.draw(gst.arrays(shape, scale=6.0))
    t = data.draw(gst.arrays(shape, elements=st.sampled_from([0.0, 1.0])))
    assert_layer_gradients(BinaryCrossEntropy(), p, t)
    assert_layer_gradients(BinaryCrossEntropy(from_logits=True), z, t)


@given(n=batch_rows, c=st.integers(2, 5), sparse=st.booleans(), data=st.data())
def test_categorical_cross_entropy(n, c, sparse, data):
    p = data.draw(gst.probabilities((n, c)))
    t = data.draw(gst.labels(n, c, one_hot=not sparse))
    assert_layer_gradients(CategoricalCrossEntropy(sparse=sparse), p, t)


@given(n=st.integers(2, 6), d=features, image=st.booleans(), train=st.booleans(), data=st.data())
def test_batch_normalization_train_and_inference(n, d, image, train, data):
    shape = (n, d, 2, 2) if image else (n, d)
    width = d * 4 if image else d
    x = data.draw(gst.arrays(shape))
    # batch statistics need spread; a constant column makes the variance eps-dominated (still correct, but stiff)
    x = x + np.arange(n).reshape((n,) + (1,) * (x.ndim - 1)) * 0.5
    layer = BatchNormalization(
        data.draw(gst.arrays((width,), elements=st.floats(0.5, 2.0))),
        data.draw(gst.arrays((width,))),
        running_mean=data.draw(gst.arrays((width,))),
        running_var=data.draw(gst.arrays((width,), elements=st.floats(0.5, 2.0))),
    )
    result = assert_layer_gradients(layer, x, forward_kwargs={"train_flg": train})
    assert {c.gradient for c in result.checks} == {"dx", "dgamma", "dbeta"}


@given(cfg=gst.conv_configs(), data=st.data())
def test_convolution_any_stride_and_padding(cfg, data):
    x = data.draw(gst.arrays(cfg["x_shape"]))
    W = data.draw(gst.arrays(cfg["w_shape"]))
    b = data.draw(gst.arrays(cfg["w_shape"][:1]))
    assert_layer_gradients(Convolution(W, b, cfg["stride"], cfg["pad"]), x)


@given(cfg=gst.pool_configs(), data=st.data())
def test_max_pooling_overlapping_windows(cfg, data):
    x = data.draw(gst.distinct(cfg["x_shape"]))
    assert_layer_gradients(Pooling(cfg["pool_h"], cfg["pool_w"], cfg["stride"]), x)


@given(x=gst.arrays(gst.shapes(max_dims=3, max_side=4)), data=st.data())
def test_dropout_with_fixed_mask(x, data):
    mask = data.draw(gst.arrays(x.shape, dtype=bool, elements=st.booleans()))
    assert_layer_gradients(Dropout(0.5, mask=mask), x)


@given(W=gst.arrays(gst.shapes(max_dims=2, max_side=4), elements=gst.nonzero(0.05)), lam=st.floats(0.01, 2.0), half=st.booleans())
def test_penalties(W, lam, half):
    assert_layer_gradients(L1Penalty(lam), W)
    assert_layer_gradients(L2Penalty(lam, half=half), W)


# Elementwise layers against their closed-form derivatives, written independently of the layers.
CLOSED_FORMS = {
    Sigmoid: lambda x: np.exp(-x) / (1 + np.exp(-x)) ** 2,
    Tanh: lambda x: 1 / np.cosh(x) ** 2,
    Relu: lambda x: (x > 0).astype(float),
    LeakyRelu: lambda x: np.where(x > 0, 1.0, 0.01),
}


@pytest.mark.parametrize("cls", list(CLOSED_FORMS))
@given(x=gst.arrays(gst.shapes(max_dims=2, max_side=5), elements=gst.nonzero(0.01, 8.0)), data=st.data())
def test_elementwise_backward_equals_closed_form(cls, x, data):
    dout = data.draw(gst.arrays(x.shape))
    layer = cls()
    layer.forward(x)
    got, want = layer.backward(dout.copy()), dout * CLOSED_FORMS[cls](x)
    # y*(1-y) and 1-y^2 lose up to a few eps absolutely to cancellation; nothing more is allowed.
    assert np.all(np.abs(got - want) <= 1e-12 * np.abs(want) + 4 * np.finfo(float).eps * np.abs(dout))


@pytest.mark.parametrize("name", sorted(CASES))
def test_bundled_cases_pass_in_both_modes(name):
    for mode in ("full", "fast"):
        result = check_reference(name, mode=mode)
        assert result.passed, str(result)


def test_convolution_output_shape_from_the_seed_example():
    # a 32x32x3 image and one 5x5x3 filter give a 28x28 map; six filters give six maps
    x = np.zeros((1, 3, 32, 32))
    assert Convolution(np.zeros((1, 3, 5, 5)), np.zeros(1)).forward(x).shape == (1, 1, 28, 28)
    assert Convolution(np.zeros((6, 3, 5, 5)), np.zeros(6)).forward(x).shape == (1, 6, 28, 28)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(CASES))
def test_no_false_alarms_over_many_seeds(name):
    """Every correct reference layer passes on 100 seeds in both modes (bench/false_alarms.py runs 200)."""
    failures = [(s, m) for s in range(100) for m in ("full", "fast") if not check_reference(name, s, m).passed]
    assert failures == []


def test_a_few_seeds_have_no_false_alarms():
    for name in sorted(CASES):
        for seed in (1, 2):
            assert check_reference(name, seed, "full").passed and check_reference(name, seed, "fast").passed, name
