"""Printing a derivation: the result, and optionally each chain-rule factor, as text or LaTeX."""

from __future__ import annotations

import sympy as sp

from ..report.messages import message
from .derive import Derivation, value_at


def _show(expr, latex: bool) -> str:
    return sp.latex(expr) if latex else sp.sstr(expr).replace("**", "^").replace("sigma(", "σ(")


def in_sigma(expr: sp.Expr, args) -> sp.Expr:
    """``expr`` written with σ(u) for each sigmoid argument u the learner wrote (e^-u = (1 - σ(u))/σ(u),
    e^u = σ(u)/(1 - σ(u))), when that removes every exponential; otherwise ``expr`` as it is."""
    rewritten = expr
    for u in args:
        s = sp.Function("sigma")(u)
        rewritten = rewritten.replace(lambda e, u=u: isinstance(e, sp.exp) and sp.expand(e.args[0] + u) == 0,
                                      lambda e, s=s: (1 - s) / s)
        rewritten = rewritten.replace(lambda e, u=u: isinstance(e, sp.exp) and sp.expand(e.args[0] - u) == 0,
                                      lambda e, s=s: s / (1 - s))
    if rewritten == expr or rewritten.has(sp.exp):
        return expr
    return sp.factor_terms(sp.cancel(rewritten))


def render_derivation(d: Derivation, steps: bool = False, latex: bool = False, substitute: bool = False,
                      lang: str = "en", at=None) -> str:
    """The derivative on one line; with ``steps``, the chain-rule formula and each factor first (in ``lang``)."""
    label = f"df/d{d.wrt}"

    def show(expr):
        return _show(in_sigma(expr, d.sigmoid_args), latex)

    lines = []
    if steps:
        if d.formula == label:  # nothing to chain through
            lines.append(message("derive.direct", lang))
        else:
            lines.append(message("derive.chain_rule", lang, formula=f"{label} = {d.formula}"))
        lines.extend(f"  {s.label} = {show(s.value)}" for s in d.steps)
    lines.append(f"{label} = {show(d.result(substitute))}")
    if not substitute and d.substituted != d.derivative:
        lines.append("  " + message("derive.base_variables", lang, value=show(d.substituted)))
    expanded = sp.expand(d.result(substitute))
    if expanded != d.result(substitute) and len(sp.Add.make_args(expanded)) <= 6 and not expanded.has(sp.exp, sp.log):
        decimal = sp.sstr(expanded.evalf(6)).replace("**", "^") if expanded.atoms(sp.Rational) - {sp.S.One, sp.S.NegativeOne} else ""
        lines.append("  " + message("derive.expanded", lang, value=show(expanded) + (f" = {decimal}" if decimal and decimal != show(expanded) else "")))
    if at:
        point, value = value_at(d, at)
        where = ", ".join(f"{s} = {_show(v, latex)}" for s, v in point.items())
        shown = _show(value, latex)
        if value.is_number and not value.is_Integer:
            shown += f" ≈ {float(value):.6g}"
        lines.append(message("derive.at", lang, label=label, point=where, value=shown))
    return "\n".join(lines)
