"""Child-side wrappers that give other conventions the DLFS layer shape (forward, backward, P/dP).

These run inside the sandboxed child, around the learner's functions; the
parent then checks them exactly as it checks a DLFS class.
"""

from __future__ import annotations

from ..sandbox.worker import import_ours


class PairAdapter:
    """A cs231n pair ``name_forward(*inputs, *params, *extra) -> (out, cache)`` and
    ``name_backward(dout, cache) -> (d_inputs..., d_params...)`` as one layer object."""

    def __init__(self, fwd, bwd, n_inputs: int, params: dict, extra: list):
        self._fwd, self._bwd, self._n_inputs, self._extra = fwd, bwd, n_inputs, extra
        self._order = list(params)
        for name, value in params.items():
            setattr(self, name, value)
            setattr(self, "d" + name, None)
        self._cache = None

    def forward(self, *inputs):
        result = self._fwd(*inputs, *[getattr(self, p) for p in self._order], *self._extra)
        if not isinstance(result, tuple) or len(result) != 2:
            raise TypeError("the forward function must return (out, cache)")
        out, self._cache = result
        return out

    def backward(self, dout):
        grads = self._bwd(dout, self._cache)
        if not isinstance(grads, tuple):
            grads = (grads,)
        if len(grads) != self._n_inputs + len(self._order):
            raise TypeError(
                f"the backward function returned {len(grads)} value(s); expected {self._n_inputs + len(self._order)}"
            )
        for name, g in zip(self._order, grads[self._n_inputs :]):
            setattr(self, "d" + name, g)
        return grads[0] if self._n_inputs == 1 else tuple(grads[: self._n_inputs])


class LossAdapter:
    """A cs231n loss ``fn(x, y) -> (loss, dx)`` as a loss layer: forward(x, y), backward(dout=1)."""

    def __init__(self, fn):
        self._fn = fn
        self._dx = None

    def forward(self, x, y):
        result = self._fn(x, y)
        if not isinstance(result, tuple) or len(result) != 2:
            raise TypeError("the loss function must return (loss, dx)")
        loss, self._dx = result
        return loss

    def backward(self, dout=1):
        return self._dx * dout if self._dx is not None else None


def make_pair(module, name: str, spec: dict):
    return PairAdapter(
        getattr(module, spec["forward"]), getattr(module, spec["backward"]), spec["inputs"], spec["params"], spec["extra"]
    )


def make_loss(module, name: str, spec: dict):
    return LossAdapter(getattr(module, name))


def trace_function(module, name: str, spec: dict) -> dict:
    """Trace a plain function symbolically in the child; derivatives go back as text for the safe parser."""
    oracles = import_ours("gradcheck.symbolic.oracles")
    sp = oracles.sp
    try:
        grads = oracles.traced_gradient(getattr(module, name), spec["params"])
    except oracles.NotTraceable as exc:
        return {"traced": False, "reason": str(exc)}
    return {"traced": True, "grads": {k: sp.sstr(v) for k, v in grads.items()}}


def _numgrad_functions():
    import numpy as np

    return {
        "sum_squares": lambda x: np.sum(x**2),
        "sin_exp": lambda x: np.sum(np.sin(x) * np.exp(x / 3)),
        "cubic": lambda x: np.sum(x**3 - 2 * x),
    }


def numerical_gradient_probe(module, name: str, spec: dict) -> list:
    """Call the learner's numerical_gradient(f, x) on our functions; report the result and whether x was restored."""
    fn, functions = getattr(module, name), _numgrad_functions()
    out = []
    for case in spec["cases"]:
        x = case["x"].copy()
        grad = fn(functions[case["f"]], x)
        out.append({"grad": grad, "restored": bool((x == case["x"]).all())})
    return out


ADAPTERS = {"pair": make_pair, "loss": make_loss, "trace": trace_function, "numgrad": numerical_gradient_probe}
