"""A JAX function (with a ``custom_vjp`` or differentiated by JAX itself) as a NumPy layer: ``forward`` calls
``jax.vjp`` in float64 (x64 is switched on, since a check in float32 cannot see small errors), ``backward``
applies the pulled-back function, which for a ``custom_vjp`` is the author's own backward rule."""

from __future__ import annotations

import inspect

import jax
import numpy as np

jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp  # noqa: E402 - after x64 is on


class JaxLayer:
    """The engine's view of a JAX function; see the module's docstring."""

    def __init__(self, fn):
        self._fn = fn
        self.__name__ = getattr(fn, "__name__", None) or getattr(getattr(fn, "fun", None), "__name__", "function")
        try:
            target = getattr(fn, "fun", fn)
            self._gradcheck_input_names = [p.name for p in inspect.signature(target).parameters.values()
                                           if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        except (TypeError, ValueError):
            pass

    def forward(self, *xs):
        args = [jnp.asarray(np.asarray(x, dtype=np.float64)) for x in xs]
        out, self._pull = jax.vjp(self._fn, *args)
        self._shape = np.shape(out)
        return np.array(out, dtype=np.float64)

    def backward(self, dout=1.0):
        grads = self._pull(jnp.asarray(np.asarray(dout, dtype=np.float64)).reshape(self._shape))
        arrays = [np.array(g, dtype=np.float64) for g in grads]
        return arrays[0] if len(arrays) == 1 else tuple(arrays)

    def __repr__(self) -> str:
        return f"jax:{self.__name__}"
