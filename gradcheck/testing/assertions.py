"""Assertions for a layer author's own test suite: they raise AssertionError with the teaching message verify prints."""

from __future__ import annotations

from ..numeric.functional import check_grad, check_vjp
from ..numeric.layer import check_layer


def _raise_unless(result, lang: str) -> None:
    if not result.passed:
        raise AssertionError("\n" + result.render(lang))


def assert_layer_gradients(layer, *inputs, mode="auto", seed=0, forward_kwargs=None, lang="en", **kwargs):
    """Assert that ``layer.backward`` (dx, and every parameter P with dP) matches finite differences of ``layer.forward``."""
    result = check_layer(layer, *inputs, mode=mode, seed=seed, forward_kwargs=forward_kwargs, **kwargs)
    _raise_unless(result, lang)
    return result


def assert_vjp(fun, vjp, *args, mode="auto", seed=0, lang="en"):
    """Assert that ``vjp(dout, *args)`` is the vector-Jacobian product of ``fun`` at ``args``."""
    result = check_vjp(fun, vjp, *args, mode=mode, seed=seed)
    _raise_unless(result, lang)
    return result


def assert_grad(f, grad_f, *args, mode="auto", seed=0, lang="en"):
    """Assert that ``grad_f(*args)`` is the gradient of the scalar function ``f`` at ``args``."""
    result = check_grad(f, grad_f, *args, mode=mode, seed=seed)
    _raise_unless(result, lang)
    return result


class Checker:
    """The ``gradcheck`` pytest fixture: the assertions, bound to the run's --gradcheck-seed and --gradcheck-mode."""

    def __init__(self, seed: int = 0, mode: str = "auto", lang: str = "en"):
        self.seed, self.mode, self.lang = seed, mode, lang

    def layer(self, layer, *inputs, **kwargs):
        return assert_layer_gradients(layer, *inputs, **{"seed": self.seed, "mode": self.mode, "lang": self.lang, **kwargs})

    def vjp(self, fun, vjp, *args, **kwargs):
        return assert_vjp(fun, vjp, *args, **{"seed": self.seed, "mode": self.mode, "lang": self.lang, **kwargs})

    def grad(self, f, grad_f, *args, **kwargs):
        return assert_grad(f, grad_f, *args, **{"seed": self.seed, "mode": self.mode, "lang": self.lang, **kwargs})
