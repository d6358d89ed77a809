"""A derivative taken with respect to the wrong variable: when a question knows the function it asks to
differentiate, the derivative by each other variable (an intermediate one included, as a partial derivative)
is an answer a known mistake gives; a wrong answer equal to one is told which variable it differentiated by."""

from __future__ import annotations

from ..report.model import Note


def wrong_variable_alternatives(function: str, wrt: str, where: dict | None = None, variables=()) -> list:
    """(note, derivative) for every variable of ``function`` other than ``wrt``, for ``equivalent_many``'s
    ``alternatives``; empty when the function cannot be read."""
    import sympy as sp

    from .derive import parse_definitions
    from .parse import ParseError, parse

    try:
        defs, names = parse_definitions(where, extra_names=tuple(variables) + (wrt,))
        f = parse(function, variables=names)
    except ParseError:
        return []
    others = sorted((f.free_symbols | set(defs)) - {sp.Symbol(wrt, real=True)}, key=str)
    return [(Note("equiv.wrong_variable", {"got": str(v), "want": wrt}), sp.diff(f, v)) for v in others
            if sp.diff(f, v) != 0]
