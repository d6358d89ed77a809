"""Layers written in PyTorch or JAX, seen as NumPy layers (``forward``/``backward``) so that gradcheck's own
engine checks them: the same finite differences, tolerances, kink handling, fast mode and diagnoses.

Nothing here imports torch or jax unless the object to check already comes from one of them (or the author
names the framework): they are extras the core never loads.
"""

from __future__ import annotations

import sys


def _mro_names(cls) -> set[tuple[str, str]]:
    return {(c.__module__, c.__name__) for c in getattr(cls, "__mro__", ())}


def _input_framework(inputs) -> str | None:
    """The framework whose arrays the inputs are (a torch.Tensor, a jax.Array), or None for NumPy and numbers."""
    found = {type(x).__module__.split(".")[0] for x in inputs} & {"torch", "jax", "jaxlib"}
    found = {"jax" if f == "jaxlib" else f for f in found}
    return found.pop() if len(found) == 1 else None


def framework_of(obj: object, framework: str = "auto", inputs=()) -> str | None:
    """"torch", "jax" or None (a NumPy layer), read from the object's classes (and, for a plain function with
    both frameworks loaded, from its inputs' types) without importing either."""
    if framework != "auto":
        return framework
    names = _mro_names(obj if isinstance(obj, type) else type(obj))
    if any(m.startswith("torch.autograd") and n == "Function" for m, n in names) or \
            any(m.startswith("torch.nn.modules") and n == "Module" for m, n in names):
        return "torch"
    if any(m.startswith("jax") for m, _ in names):  # custom_vjp, custom_jvp and jitted functions are jax objects
        return "jax"
    if hasattr(obj, "forward") and hasattr(obj, "backward"):
        return None
    if callable(obj):
        loaded = [f for f in ("torch", "jax") if f in sys.modules]
        if len(loaded) == 1:
            return loaded[0]
        return _input_framework(inputs)
    return None


def as_layer(obj: object, framework: str = "auto") -> object:
    """``obj`` as a layer the engine can check: a torch Function, Module or function and a JAX function become
    adapters; anything else is returned as it is."""
    kind = framework_of(obj, framework)
    if kind == "torch":
        from .torch_layer import TorchLayer

        return TorchLayer(obj)
    if kind == "jax":
        from .jax_layer import JaxLayer

        return JaxLayer(obj)
    return obj
