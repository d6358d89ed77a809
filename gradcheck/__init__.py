"""gradcheck: tells you whether a gradient is right, and if not, where and why.

The public API is small; heavier parts (SymPy, the sandbox) load on first use.
"""

from __future__ import annotations

__version__ = "0.1.0"

_LAZY = {
    "numerical_gradient": "gradcheck.numeric.diff",
    "complex_step_gradient": "gradcheck.numeric.diff",
    "check_layer": "gradcheck.numeric.layer",
    "check_gradients": "gradcheck.numeric.check",
    "CheckResult": "gradcheck.report.model",
    "derive": "gradcheck.symbolic.derive",
    "equivalent": "gradcheck.symbolic.equivalence",
    "matrix_equivalent": "gradcheck.symbolic.matrix_equiv",
    "check": "gradcheck.interactive",
    "parse": "gradcheck.symbolic.parse",
    "ParseError": "gradcheck.symbolic.parse",
}

__all__ = sorted(_LAZY) + ["load_ipython_extension"]


def load_ipython_extension(ipython) -> None:
    """``%load_ext gradcheck`` in IPython or Jupyter: registers ``%gradcheck NAME``."""
    from .notebook import load_ipython_extension as load

    load(ipython)


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'gradcheck' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
