"""JAX functions through gradcheck's engine: a custom_vjp's own backward rule, or JAX's differentiation."""

import numpy as np
import pytest

jax = pytest.importorskip("jax", reason="JAX is not installed: pip install 'gradcheck[jax]' (CI installs the CPU build)")

from gradcheck.testing import assert_layer_gradients, assert_second_order  # noqa: E402

jnp = jax.numpy


def softplus_with(backward_factor):
    @jax.custom_vjp
    def softplus(x):
        return jnp.logaddexp(x, 0.0)

    def fwd(x):
        return softplus(x), x

    def bwd(x, g):
        return (backward_factor * g * jax.nn.sigmoid(x),)

    softplus.defvjp(fwd, bwd)
    return softplus


def test_a_custom_vjp_is_checked_through_its_own_rule():
    x = np.random.default_rng(0).standard_normal((6, 5))
    assert_layer_gradients(softplus_with(1.0), x)
    with pytest.raises(AssertionError) as err:
        assert_layer_gradients(softplus_with(0.5), x)
    assert "softplus" in str(err.value) and "missing factor of 2" in str(err.value)


def test_any_jax_function_is_checked_through_jax_vjp_in_float64():
    rng = np.random.default_rng(1)
    x, w = rng.standard_normal((8, 5)), rng.standard_normal((5, 3))
    result = assert_layer_gradients(lambda x, w: jnp.tanh(x @ w), x, w, framework="jax")
    assert {c.gradient for c in result.checks} >= {"dx", "dw"}
    assert_second_order(lambda x: jnp.sin(x) * x, x, framework="jax")


def test_no_false_alarm_at_relu_zeros():
    x = np.random.default_rng(2).integers(-2, 3, size=(16, 16)).astype(float)
    for mode in ("full", "fast"):
        assert_layer_gradients(jax.nn.relu, x, framework="jax", mode=mode)


def test_second_order_of_a_custom_vjp_is_routed_to_jax_even_with_torch_loaded():
    pytest.importorskip("torch")
    import torch  # noqa: F401 - loaded, as in an author's session with both frameworks

    x = np.random.default_rng(3).standard_normal((4, 3))
    assert_second_order(softplus_with(1.0), x)  # no framework named: the custom_vjp's type says JAX
    assert_second_order(lambda x: jnp.sin(x) * x, jnp.asarray(x))  # a plain function: its input says JAX


def test_second_order_of_something_else_is_one_sentence():
    pytest.importorskip("torch")
    import torch  # noqa: F401

    from gradcheck.errors import GradcheckError

    with pytest.raises(GradcheckError) as err:
        assert_second_order(lambda x: x * 2, np.ones(3))
    assert "framework='jax'" in str(err.value)
