"""The symbolic engine: safe parsing, derivatives and the chain rule, answer equivalence, exact oracles.

SymPy is imported on first use of this package, not when ``gradcheck`` is imported.  The equivalence
checker (and NumPy, which it samples with) is imported on first access, so ``derive`` does not pay for it.
"""

from __future__ import annotations

from .derive import Derivation, derive
from .parse import ParseError, parse

__all__ = ["Derivation", "Equivalence", "ParseError", "Verdict", "derive", "equivalent", "parse"]


def __getattr__(name: str):
    if name in ("Equivalence", "Verdict", "equivalent"):
        from . import equivalence

        return getattr(equivalence, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
