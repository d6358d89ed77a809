"""Assertions for a layer author's own test suite: they raise AssertionError with the teaching message verify prints.

A layer may be a NumPy layer (``forward``/``backward``), a ``torch.autograd.Function`` subclass, a
``torch.nn.Module``, a torch function, or a JAX function (a ``custom_vjp`` or any): inputs are NumPy arrays,
converted at the boundary, and the verdict is gradcheck's own engine's.  Failures show the author's call,
not gradcheck's frames (``__tracebackhide__``), and a tracer such as Hypothesis's explanation sees the
author's lines, not the engine's (``untraced``).
"""

from __future__ import annotations

import numpy as np

from ..feedback.in_process import explain_in_process
from ..errors import GradcheckError
from ..frameworks import as_layer, framework_of
from ..report.messages import message
from ..numeric.functional import check_grad, check_vjp
from ..numeric.layer import check_layer
from ..options import Options
from . import defaults
from .untraced import engine_untraced


def _raise_unless(result, lang: str) -> None:
    __tracebackhide__ = True
    if not result.passed:  # the first line is the verdict: pytest's short summary shows it
        raise AssertionError(result.render(lang))


def assert_layer_gradients(layer, *inputs, mode=None, seed=None, forward_kwargs=None, lang="en", framework="auto",
                           rtol: float = 0.0, atol: float = 0.0, **kwargs):
    """Assert that ``layer.backward`` (dx, and every parameter P with dP) matches finite differences of
    ``layer.forward``; a torch or JAX object is checked through its own backward.  ``rtol`` (of the largest
    gradient element) and ``atol`` loosen the tolerance for authors who want that; the default is the engine's."""
    mode, seed = defaults.mode(mode), defaults.seed(seed)
    __tracebackhide__ = True
    adapted = as_layer(layer, framework)
    if adapted is not layer:
        kwargs.setdefault("name", adapted.__name__)
    arrays = [np.asarray(x, dtype=np.float64) for x in inputs]

    def run(options: Options):
        return check_layer(adapted, *arrays, mode=options.mode, seed=options.seed, forward_kwargs=forward_kwargs,
                           rtol=rtol, atol=atol, **kwargs)

    with engine_untraced():
        result = run(Options(mode=mode, seed=seed))
        # a NumPy layer of the author's: the edit that fixes it (called for every result, so a tracer's list
        # of lines run only by failing examples shows none of gradcheck's)
        explain_in_process(layer if adapted is layer else None, result, run, Options(mode=mode, seed=seed))
        _raise_unless(result, lang)
    return result


class SecondOrderError(GradcheckError, TypeError):
    """assert_second_order was given something that is neither a torch nor a JAX function."""


def assert_second_order(fn, *inputs, mode=None, seed=None, lang="en", framework="auto", rtol: float = 0.0, atol: float = 0.0):
    """Assert that the backward of ``fn``'s backward is right (double backward, for layers used in gradient
    penalties or Hessian-vector products): the first-order gradient, weighted by a random upstream, is itself
    checked against finite differences.  ``fn`` is a torch or JAX function (told apart by its type, else by
    its inputs'; ``framework`` names it outright)."""
    mode, seed = defaults.mode(mode), defaults.seed(seed)
    __tracebackhide__ = True
    framework = framework_of(fn, framework, inputs)
    if framework not in ("torch", "jax"):
        raise SecondOrderError(message("testing.second_order_framework", lang))
    if framework == "jax":
        import jax

        rng = np.random.default_rng(seed)
        out = np.asarray(fn(*inputs))
        dout = rng.standard_normal(out.shape)

        def first_order(*xs):
            import jax.numpy as jnp

            _, pull = jax.vjp(fn, *xs)
            return jnp.concatenate([g.reshape(-1) for g in pull(jnp.asarray(dout).reshape(out.shape))])

        target = first_order
    else:
        import torch

        from ..frameworks.torch_layer import double_backward

        probe = as_layer(fn, "torch")
        out = probe.forward(*inputs)
        dout = np.random.default_rng(seed).standard_normal(np.shape(out))
        target = double_backward(fn, torch.as_tensor(dout))
    return assert_layer_gradients(target, *inputs, mode=mode, seed=seed, lang=lang, framework=framework, rtol=rtol,
                                  atol=atol)


def assert_vjp(fun, vjp, *args, mode=None, seed=None, lang="en"):
    """Assert that ``vjp(dout, *args)`` is the vector-Jacobian product of ``fun`` at ``args``."""
    mode, seed = defaults.mode(mode), defaults.seed(seed)
    __tracebackhide__ = True
    with engine_untraced():
        result = check_vjp(fun, vjp, *args, mode=mode, seed=seed)
        _raise_unless(result, lang)
    return result


def assert_grad(f, grad_f, *args, mode=None, seed=None, lang="en"):
    """Assert that ``grad_f(*args)`` is the gradient of the scalar function ``f`` at ``args``."""
    mode, seed = defaults.mode(mode), defaults.seed(seed)
    __tracebackhide__ = True
    with engine_untraced():
        result = check_grad(f, grad_f, *args, mode=mode, seed=seed)
        _raise_unless(result, lang)
    return result


class Checker:
    """The ``gradcheck`` pytest fixture: the assertions, bound to the run's --gradcheck-seed and --gradcheck-mode."""

    def __init__(self, seed: int = 0, mode: str = "auto", lang: str = "en"):
        self.seed, self.mode, self.lang = seed, mode, lang

    def _bound(self, kwargs: dict) -> dict:
        return {"seed": self.seed, "mode": self.mode, "lang": self.lang, **kwargs}

    def layer(self, layer, *inputs, **kwargs):
        __tracebackhide__ = True
        return assert_layer_gradients(layer, *inputs, **self._bound(kwargs))

    def second_order(self, fn, *inputs, **kwargs):
        __tracebackhide__ = True
        return assert_second_order(fn, *inputs, **self._bound(kwargs))

    def vjp(self, fun, vjp, *args, **kwargs):
        __tracebackhide__ = True
        return assert_vjp(fun, vjp, *args, **self._bound(kwargs))

    def grad(self, f, grad_f, *args, **kwargs):
        __tracebackhide__ = True
        return assert_grad(f, grad_f, *args, **self._bound(kwargs))
