"""A PyTorch ``autograd.Function`` (through ``Function.apply``), ``nn.Module`` or differentiable function as a
NumPy layer: ``forward`` runs it in float64 on tensors sharing the engine's arrays (without a graph),
``backward`` runs it once more with a graph and asks autograd for the vector-Jacobian product, which for a
Function is the author's own ``backward``.  A Module's parameters (``named_parameters()``) are the layer's
parameters: ``fc.weight`` is perturbed as ``fc_weight`` and its gradient read as ``dfc_weight``."""

from __future__ import annotations

import inspect

import numpy as np
import torch


def _is_function_class(obj) -> bool:
    return isinstance(obj, type) and issubclass(obj, torch.autograd.Function)


def _input_names(obj) -> list[str] | None:
    fn = obj.forward if _is_function_class(obj) or isinstance(obj, torch.nn.Module) else obj
    try:
        names = [p.name for p in inspect.signature(fn).parameters.values()
                 if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        return None
    return names[1:] if _is_function_class(obj) and names and names[0] == "ctx" else names


class TorchLayer:
    """The engine's view of a torch object; see the module's docstring."""

    def __init__(self, target):
        self._target = target
        self._call = target.apply if _is_function_class(target) else target
        self._params: dict[str, torch.nn.Parameter] = {}
        if isinstance(target, torch.nn.Module):
            target.double()  # the check is in float64; the module's own parameters are converted in place
            for name, p in target.named_parameters():
                attr = name.replace(".", "_")
                self._params[attr] = p
                setattr(self, attr, p.detach().numpy().copy())
        names = _input_names(target)
        if names:
            self._gradcheck_input_names = names
        self.__name__ = getattr(target, "__name__", type(target).__name__)

    def forward(self, *xs):
        """The output for ``xs``, computed without a graph: finite differences call this many times, and only
        the forward before a backward needs one (``backward`` records it again)."""
        self._xs = [np.ascontiguousarray(x, dtype=np.float64) for x in xs]  # shared: read at once, copied by backward
        with torch.no_grad():
            self._load_params()
            out = self._call(*[torch.from_numpy(x) for x in self._xs])
        if not isinstance(out, torch.Tensor):
            raise TypeError(f"{self.__name__} returned {type(out).__name__}, not one tensor")
        return out.detach().numpy().copy()

    def _load_params(self) -> None:
        for attr, p in self._params.items():
            p.copy_(torch.from_numpy(np.asarray(getattr(self, attr), dtype=np.float64)))

    def backward(self, dout=1.0):
        self._inputs = [torch.from_numpy(x.copy()).requires_grad_(True) for x in self._xs]
        with torch.no_grad():
            self._load_params()
        self._out = self._call(*self._inputs)
        wrt = self._inputs + list(self._params.values())
        seed = torch.as_tensor(np.asarray(dout, dtype=np.float64)).reshape(self._out.shape)
        grads = torch.autograd.grad(self._out, wrt, grad_outputs=seed, allow_unused=True)
        arrays = [np.zeros(t.shape) if g is None else g.detach().numpy().copy() for t, g in zip(wrt, grads)]
        for attr, g in zip(self._params, arrays[len(self._inputs):]):
            setattr(self, "d" + attr, g)
        dx = arrays[: len(self._inputs)]
        return dx[0] if len(dx) == 1 else tuple(dx)

    def __repr__(self) -> str:
        return f"torch:{self.__name__}"


def double_backward(fn, dout: np.ndarray):
    """The function x -> (the gradient of ``fn`` at x, weighted by ``dout``), built with ``create_graph=True``:
    checking it checks the backward of the backward (second-order gradients)."""

    def first_order(*xs):
        with torch.enable_grad():  # also inside a forward without a graph: the first order needs one
            xs = [x if x.requires_grad else x.detach().requires_grad_(True) for x in xs]
            out = fn.apply(*xs) if _is_function_class(fn) else fn(*xs)
            grads = torch.autograd.grad(out, xs, grad_outputs=torch.as_tensor(dout).reshape(out.shape), create_graph=True)
            return torch.cat([g.reshape(-1) for g in grads])

    first_order.__name__ = f"grad of {getattr(fn, '__name__', type(fn).__name__)}"
    return first_order
