"""A derivative taken with respect to the wrong variable: when the question knows the function it asks to
differentiate, a wrong answer is compared with the derivative by each other variable (an intermediate one
included, as a partial derivative), and a match is named."""

from __future__ import annotations

from ..report.model import Note


def wrong_variable(answer: str, function: str, wrt: str, where: dict | None = None, variables=()) -> Note | None:
    """The note "this is the derivative with respect to v" when ``answer`` equals d(function)/dv for a
    variable v other than ``wrt``; None when it does not (or cannot be read)."""
    import sympy as sp

    from .derive import parse_definitions
    from .equivalence import equivalent, shown
    from .parse import ParseError, parse

    try:
        defs, names = parse_definitions(where, extra_names=tuple(variables) + (wrt,))
        f = parse(function, variables=names)
    except ParseError:
        return None
    others = sorted((f.free_symbols | set(defs)) - {sp.Symbol(wrt, real=True)}, key=str)
    for v in others:
        partial = sp.diff(f, v)
        if partial == 0:
            continue
        try:
            if equivalent(answer, shown(partial), where=where or None, variables=variables):
                return Note("equiv.wrong_variable", {"got": str(v), "want": wrt})
        except ParseError:
            return None
    return None
