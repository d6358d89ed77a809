"""Partial derivatives and the chain rule through intermediate definitions, with the steps shown.

``derive("2*z^2 - z + 2", "x", where={"z": "y^2", "y": "2x + 3"})`` gives
df/dx = df/dz * dz/dy * dy/dx = 4*y*(4*z - 1), in the intermediate variables as
the posts write it, and the fully substituted form on request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import sympy as sp

from ..report.model import Note
from .parse import CONSTANTS, FUNCTIONS, GREEK, ParseError, parse


@dataclass(frozen=True)
class Step:
    """One factor of the chain rule: its label (``dz/dy``) and its value."""

    label: str
    value: sp.Expr


@dataclass
class Derivation:
    """The derivative of ``expr`` with respect to ``wrt``, and how the chain rule produced it."""

    expr: sp.Expr
    wrt: sp.Symbol
    derivative: sp.Expr  # in the intermediate variables where there are any
    substituted: sp.Expr  # in the base variables only
    steps: list[Step] = field(default_factory=list)
    formula: str = ""  # e.g. "df/dz * dz/dy * dy/dx"
    sigmoid_args: tuple = ()  # the u of every 1/(1 + e^-u) in expr (and in its definitions), for showing σ(u)

    def result(self, substitute: bool = False) -> sp.Expr:
        return self.substituted if substitute else self.derivative


def parse_where(where) -> dict[str, str]:
    """Definitions from a mapping or from "NAME=EXPR" strings."""
    if where is None:
        return {}
    if isinstance(where, dict):
        return {str(k).strip(): str(v) for k, v in where.items()}
    out = {}
    for item in where:
        name, sep, text = str(item).partition("=")
        if not sep or not name.strip().isidentifier() or not text.strip():
            raise ParseError("parse.bad_where", text=str(item))
        out[name.strip()] = text
    return out


_WORD = re.compile(r"(?<![A-Za-z0-9_])[A-Za-z][A-Za-z0-9_]*")


def _words(expr: str) -> set[str]:
    """The book's apple*num*tax: each word of three letters or more is one variable, not its letters (xy is
    still x*y); functions, constants and Greek names keep their meaning."""
    return {w for w in _WORD.findall(expr) if len(w) >= 3} - set(FUNCTIONS) - set(CONSTANTS) - GREEK


def parse_definitions(where, extra_names=()) -> tuple[dict[sp.Symbol, sp.Expr], set[str]]:
    """Parse the definitions, refusing circular ones; returns (symbol -> expression, declared names)."""
    texts = parse_where(where)
    names = set(texts) | {k.replace("_", "") for k in texts} | set(extra_names)
    # the parser reads y_hat as yhat: the definition goes under the same symbol, so answers in either name match
    defs = {sp.Symbol(k.replace("_", ""), real=True): parse(v, variables=names) for k, v in texts.items()}
    _refuse_cycles(defs)
    return defs, names


def _refuse_cycles(defs: dict[sp.Symbol, sp.Expr]) -> None:
    state: dict[sp.Symbol, int] = {}

    def visit(s, path):
        if state.get(s) == 1:
            cycle = path[path.index(s) :] + [s]
            raise ParseError("parse.circular", cycle=" -> ".join(str(c) for c in cycle))
        if state.get(s) == 2:
            return
        state[s] = 1
        for dep in defs[s].free_symbols & set(defs):
            visit(dep, path + [s])
        state[s] = 2

    for s in defs:
        visit(s, [])


def substitute_all(expr: sp.Expr, defs: dict[sp.Symbol, sp.Expr]) -> sp.Expr:
    """Replace every intermediate variable by its definition until only base variables remain."""
    for _ in range(len(defs) + 1):
        if not expr.free_symbols & set(defs):
            return expr
        expr = expr.subs(defs)
    return expr


def sigmoid_args(expr: sp.Expr) -> set[sp.Expr]:
    """The arguments u of the sigmoids 1/(1 + e^-u) (or their powers) written in ``expr``."""
    found = set()
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.Pow) and node.exp.is_Integer and node.exp < 0 and isinstance(node.base, sp.Add) and len(node.base.args) == 2:
            one, other = sorted(node.base.args, key=lambda a: a != 1)
            if one == 1 and isinstance(other, sp.exp):
                found.add(-other.args[0])
    return found


def _dlabel(top: str, var: sp.Symbol) -> str:
    return f"d{top}/d{var}"


def absent(expr, wrt: str, where=None) -> Note | None:
    """Why ``--wrt`` names nothing in the expression (its derivative would be a silent 0), or None."""
    defs, names = parse_definitions(where, extra_names=(wrt, *_words(expr)))
    used = substitute_all(parse(expr, variables=names), defs).free_symbols
    if sp.Symbol(wrt, real=True) in used or sp.Symbol(wrt, real=True) in defs:
        return None
    return Note("derive.wrt_absent", {"wrt": wrt, "names": ", ".join(sorted(map(str, used))) or Note("word.no_variables").render()})


def derive(expr, wrt: str, where=None) -> Derivation:
    """Differentiate ``expr`` with respect to ``wrt`` through the intermediate definitions in ``where``.

    ``expr`` and the definitions are text (parsed safely) or SymPy expressions.
    """
    if not isinstance(wrt, str) or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", wrt.strip()):
        raise ParseError("derive.wrt_name", wrt=str(wrt))
    wrt = wrt.strip()
    defs, names = parse_definitions(where, extra_names=(wrt, *(_words(expr) if isinstance(expr, str) else ())))
    if sp.Symbol(wrt, real=True) in defs:
        base = sorted({str(s) for d in defs.values() for s in d.free_symbols} - {str(k) for k in defs})
        raise ParseError("derive.wrt_defined", wrt=wrt, base=", ".join(base) or Note("word.its_variables"))
    f = parse(expr, variables=names) if isinstance(expr, str) else sp.sympify(expr)
    x = sp.Symbol(wrt, real=True)

    steps: list[Step] = []
    seen: set[str] = set()

    def total(e: sp.Expr, top: str) -> tuple[sp.Expr, str]:
        value = sp.diff(e, x)
        terms = []
        if e.has(x) or not (e.free_symbols & set(defs)):
            terms.append(_dlabel(top, x))
            _record(_dlabel(top, x), value)
        for v in sorted(e.free_symbols & set(defs), key=str):
            local = sp.diff(e, v)
            _record(_dlabel(top, v), local)
            inner, inner_formula = total(defs[v], str(v))
            value += local * inner
            terms.append(f"{_dlabel(top, v)} * " + (f"({inner_formula})" if " + " in inner_formula else inner_formula))
        return value, " + ".join(terms)

    def _record(label: str, value: sp.Expr) -> None:
        if label not in seen:
            seen.add(label)
            steps.append(Step(label, value))

    derivative, formula = total(f, "f")
    derivative = sp.factor_terms(derivative)
    substituted = sp.factor_terms(substitute_all(derivative, defs))
    if defs:
        steps.append(Step(_dlabel("f", x), derivative))
    written = sigmoid_args(f).union(*(sigmoid_args(d) for d in defs.values()))
    args = written | {substitute_all(u, defs) for u in written}
    return Derivation(f, x, derivative, substituted, steps, formula, tuple(sorted(args, key=sp.default_sort_key)))


def value_at(d: Derivation, at) -> tuple[dict[sp.Symbol, sp.Expr], sp.Expr]:
    """The derivative (in the base variables) at the point ``at`` ("NAME=VALUE" strings or a mapping; each
    value parsed safely, so ``x=1/2`` and ``x=pi`` are exact): the point as read, and the value there."""
    point = {}
    for name, text in parse_where(at).items():
        symbol = sp.Symbol(name, real=True)
        value = parse(text) if isinstance(text, str) else sp.sympify(text)
        if value.free_symbols:
            raise ParseError("derive.at_not_number", name=name, value=str(text))
        point[symbol] = value
    unknown = sorted(str(s) for s in point if s not in d.substituted.free_symbols and s != d.wrt)
    if unknown:
        raise ParseError("derive.at_unknown", names=", ".join(unknown),
                         known=", ".join(sorted(str(s) for s in d.substituted.free_symbols | {d.wrt})))
    return point, sp.simplify(d.substituted.subs(point))

