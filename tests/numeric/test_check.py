"""The gradient check on planted bugs (each must fail, naming the gradient), kinks, and in-place layers."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gradcheck import check_layer
from gradcheck.layers import Affine, Pooling, Relu, Sigmoid, SoftmaxWithLoss
from gradcheck.testing import strategies as gst


class TransposedAffine(Affine):
    def backward(self, dout):
        dx = super().backward(dout)
        self.dW = self.dW.T.copy()
        return dx


class RowWrongAffine(Affine):
    def backward(self, dout):
        dx = super().backward(dout)
        self.dW[1] *= 1.01
        return dx


class NoMeanSoftmaxWithLoss(SoftmaxWithLoss):
    def backward(self, dout=1):
        return super().backward(dout) * self.y.shape[0]


class SigmoidUsingX(Sigmoid):
    def forward(self, x):
        self.x = x
        return super().forward(x)

    def backward(self, dout):
        return dout * self.x * (1.0 - self.x)


class PoolEveryCell(Pooling):
    def backward(self, dout):
        from gradcheck.layers.conv import col2im

        d = dout.transpose(0, 2, 3, 1).reshape(-1, 1)
        dcol = np.repeat(d, self.pool_h * self.pool_w, axis=1)
        return col2im(dcol, self.x_shape, self.pool_h, self.pool_w, self.stride, self.pad)


def _failing(result):
    return [c.gradient for c in result.checks if not c.passed]


@pytest.mark.parametrize("mode", ["full", "fast"])
@given(seed=st.integers(0, 2**16), n=st.integers(2, 4))
def test_transposed_dw_fails_on_dw(mode, seed, n):
    rng = np.random.default_rng(seed)
    layer = TransposedAffine(rng.standard_normal((n, n)), rng.standard_normal(n))
    result = check_layer(layer, rng.standard_normal((3, n)), mode=mode, seed=seed)
    assert _failing(result) == ["dW"]
    if mode == "full":
        assert result.checks[1].diagnoses[0].key == "diag.transposed"


@given(seed=st.integers(0, 2**16))
def test_one_row_wrong_is_named(seed):
    rng = np.random.default_rng(seed)
    layer = RowWrongAffine(rng.standard_normal((4, 3)), rng.standard_normal(3))
    result = check_layer(layer, rng.standard_normal((5, 4)), seed=seed)
    assert _failing(result) == ["dW"]
    assert "Affine.backward -> dW" in str(result) or "RowWrongAffine.backward -> dW" in str(result)
    assert any(n.key == "diag.one_row" and n.params["row"] == 1 for n in result.checks[1].diagnoses)


@given(seed=st.integers(0, 2**16), n=st.integers(2, 6))
def test_missing_one_over_n_is_diagnosed(seed, n):
    rng = np.random.default_rng(seed)
    result = check_layer(NoMeanSoftmaxWithLoss(), rng.standard_normal((n, 4)), rng.integers(0, 4, n), seed=seed)
    assert _failing(result) == ["dx"]
    assert result.checks[0].diagnoses[0].key == ("diag.factor_batch_or_two" if n == 2 else "diag.factor_batch")


@given(x=gst.arrays(gst.shapes(max_dims=2, max_side=4), elements=gst.nonzero(0.1, 2.0)))
def test_sigmoid_backward_using_x_fails(x):
    assert _failing(check_layer(SigmoidUsingX(), x)) == ["dx"]


@given(cfg=gst.pool_configs(), data=st.data())
def test_pool_backward_to_every_cell_fails_unless_windows_are_single_cells(cfg, data):
    x = data.draw(gst.distinct(cfg["x_shape"]))
    layer = PoolEveryCell(cfg["pool_h"], cfg["pool_w"], cfg["stride"])
    result = check_layer(layer, x)
    if cfg["pool_h"] * cfg["pool_w"] == 1:
        assert result.passed
    else:
        assert _failing(result) == ["dx"]


def test_relu_on_its_kink_is_not_a_false_failure():
    x = np.array([[0.0, 1.5, -2.0, 0.0]])
    result = check_layer(Relu(), x)
    assert result.passed
    assert result.checks[0].kinks == 2


def test_max_pool_with_tied_maxima_is_not_a_false_failure():
    x = np.zeros((1, 1, 4, 4))
    x[0, 0, 0, :2] = 1.0  # two equal maxima in the first window
    x[0, 0, 1, :2] = 1.0
    result = check_layer(Pooling(2, 2, stride=2), x)
    assert result.passed
    assert result.checks[0].kinks > 0


class PoolToEveryTiedMax(Pooling):
    """Sends the upstream gradient to every cell equal to its window's maximum, as `(window == max) * dout` does."""

    def forward(self, x):
        self.x = x.copy()
        return super().forward(x)

    def backward(self, dout):
        from gradcheck.layers.conv import col2im, im2col

        col = im2col(self.x, self.pool_h, self.pool_w, self.stride, self.pad).reshape(-1, self.pool_h * self.pool_w)
        d = dout.transpose(0, 2, 3, 1).reshape(-1, 1)
        dcol = (col == col.max(axis=1, keepdims=True)) * d
        return col2im(dcol, self.x_shape, self.pool_h, self.pool_w, self.stride, self.pad)


def _has_tie(x):
    windows = x.reshape(x.shape[0], x.shape[1], 2, 2, 2, 2).transpose(0, 1, 2, 4, 3, 5).reshape(-1, 4)
    return bool(np.any((windows == windows.max(axis=1, keepdims=True)).sum(axis=1) > 1))


@given(x=st.lists(st.integers(0, 2), min_size=32, max_size=32).map(lambda v: np.array(v, dtype=float).reshape(1, 2, 4, 4)))
def test_tied_maxima_are_checked_together(x):
    assert check_layer(Pooling(2, 2, stride=2), x).passed  # the first maximum takes the gradient: right
    wrong = check_layer(PoolToEveryTiedMax(2, 2, stride=2), x)
    assert wrong.passed != _has_tie(x)
    if not wrong.passed:
        assert "diag.ties_jointly" in {n.key for c in wrong.checks for n in c.diagnoses}


@given(x=st.lists(st.integers(-1, 1), min_size=12, max_size=12).map(lambda v: np.array(v, dtype=float).reshape(3, 4)))
def test_relu_on_many_exact_zeros_is_not_a_false_failure(x):
    assert check_layer(Relu(), x).passed


def test_relative_error_of_1e4_in_every_gradient_is_caught():
    class Scaled(Affine):
        def backward(self, dout):
            dx = super().backward(dout)
            self.dW = self.dW * (1 + 1e-4)
            self.db = self.db * (1 + 1e-4)
            return dx * (1 + 1e-4)

    rng = np.random.default_rng(3)
    for mode in ("full", "fast"):
        result = check_layer(Scaled(rng.standard_normal((6, 5)), rng.standard_normal(5)), rng.standard_normal((4, 6)), mode=mode)
        assert _failing(result) == ["dx", "dW", "db"]


def test_fast_mode_catches_one_element_wrong_in_a_large_matrix():
    class OneElement(Affine):
        def backward(self, dout):
            dx = super().backward(dout)
            self.dW[17, 3] *= 1.01
            return dx

    rng = np.random.default_rng(5)
    layer = OneElement(rng.standard_normal((200, 150)) * 0.1, rng.standard_normal(150))
    result = check_layer(layer, rng.standard_normal((16, 200)), mode="fast")
    assert result.mode == "fast"
    assert _failing(result) == ["dW"]


def test_layer_modifying_its_input_is_checked_on_copies_and_warned_about():
    class InPlaceRelu(Relu):
        def forward(self, x):
            out = super().forward(x)
            x[x < 0] = 0.0  # corrupts the caller's array
            return out

    rng = np.random.default_rng(0)
    x = rng.choice([-1.0, 1.0], (3, 4)) * rng.uniform(0.5, 1, (3, 4))
    result = check_layer(InPlaceRelu(), x)
    assert result.passed
    assert any(n.key == "inplace.input" for n in result.notes)


def test_backward_raising_is_a_failed_result_not_a_crash():
    class Broken(Relu):
        def backward(self, dout):
            raise ValueError("not yet")

    result = check_layer(Broken(), np.ones((2, 2)))
    assert not result.passed
    assert result.problem.key == "target.raised"
    assert "not yet" in str(result)


@pytest.mark.parametrize(
    "returned, key",
    [(None, "grad.none"), ("abc", "grad.not_numeric"), (np.full((2, 3), np.nan), "grad.not_finite"),
     (np.ones((3, 2)), "grad.shape_transposed"), (np.ones(5), "grad.shape")],
)
def test_unusable_gradients_get_a_clear_problem(returned, key):
    class Layer:
        def forward(self, x):
            return x * 2

        def backward(self, dout):
            return returned

    result = check_layer(Layer(), np.ones((2, 3)))
    assert not result.passed
    assert result.checks[0].problem.key == key


def test_same_input_same_verdict():
    rng = np.random.default_rng(9)
    layer_args = (rng.standard_normal((5, 4)), rng.standard_normal(4))
    x = rng.standard_normal((3, 5))
    a = check_layer(RowWrongAffine(*[v.copy() for v in layer_args]), x, mode="fast", seed=4)
    b = check_layer(RowWrongAffine(*[v.copy() for v in layer_args]), x, mode="fast", seed=4)
    assert a.to_dict() == b.to_dict()


class SwappedMul:
    """MulLayer with dx and dy returned swapped."""

    def forward(self, x, y):
        self.x, self.y = x, y
        return x * y

    def backward(self, dout):
        return dout * self.x, dout * self.y


@given(seed=st.integers(0, 2**16))
def test_swapped_gradients_are_named_as_swapped(seed):
    rng = np.random.default_rng(seed)
    x, y = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    result = check_layer(SwappedMul(), x, y)
    assert _failing(result) == ["dx", "dy"]
    assert all([n.key for n in c.diagnoses] == ["diag.swapped"] for c in result.checks)


class AffineDbWrongAxis(Affine):
    def backward(self, dout):
        dx = super().backward(dout)
        self.db = np.sum(dout, axis=1)
        return dx


def test_db_summed_over_the_wrong_axis_is_named_as_that():
    rng = np.random.default_rng(0)
    layer = AffineDbWrongAxis(rng.standard_normal((5, 3)), rng.standard_normal(3))
    result = check_layer(layer, rng.standard_normal((4, 5)))
    db = next(c for c in result.checks if c.gradient == "db")
    assert not db.passed and db.problem.key == "grad.shape_wrong_axis"


def test_with_a_batch_of_two_a_half_is_named_both_ways():
    class HalfAffine(Affine):
        def backward(self, dout):
            return super().backward(dout) / 2

    rng = np.random.default_rng(3)
    result = check_layer(HalfAffine(rng.standard_normal((4, 3)), rng.standard_normal(3)), rng.standard_normal((2, 4)))
    note = result.checks[0].diagnoses[0]
    assert note.key == "diag.factor_inverse_batch_or_two"
    assert "N = 2" in note.render("en") and "square" in note.render("en") and "N = 2" in note.render("ko")
    result = check_layer(HalfAffine(rng.standard_normal((4, 3)), rng.standard_normal(3)), rng.standard_normal((3, 4)))
    assert result.checks[0].diagnoses[0].key == "diag.factor_half"


class CancellingLayerNorm:
    """Layer normalisation whose output cancels inside the forward: gamma * x_hat + beta with x_hat near -1 and
    beta = gamma gives 1e-4 from terms of 2.5 (a shrunk case of the kit's LayerNorm property test)."""

    def __init__(self, factor: float = 1.0):
        self.gamma, self.beta, self.factor = np.array([0.0, 2.5]), np.array([0.0, 2.5]), factor

    def forward(self, x):
        self.std = np.sqrt(x.var(axis=-1, keepdims=True) + 1e-5)
        self.xn = (x - x.mean(axis=-1, keepdims=True)) / self.std
        return self.gamma * self.xn + self.beta

    def backward(self, dout):
        g = dout * self.gamma
        dx = (g - g.mean(axis=-1, keepdims=True) - self.xn * (g * self.xn).mean(axis=-1, keepdims=True)) / self.std
        return dx * self.factor


def test_rounding_noise_hidden_by_a_cancelling_forward_is_no_false_alarm_and_a_bug_still_fails():
    x = np.array([[1.670236368417175, 1.0]])
    assert check_layer(CancellingLayerNorm(), x).passed  # the shorter step's noise: relative error 2.8e-7
    assert not check_layer(CancellingLayerNorm(1.001), x).passed
