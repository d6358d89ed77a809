"""The symbolic engine: safe parsing, derivatives and the chain rule, answer equivalence, exact oracles.

SymPy is imported on first use of this package, not when ``gradcheck`` is imported.
"""

from .derive import Derivation, derive
from .equivalence import Equivalence, Verdict, equivalent
from .parse import ParseError, parse

__all__ = ["Derivation", "Equivalence", "ParseError", "Verdict", "derive", "equivalent", "parse"]
