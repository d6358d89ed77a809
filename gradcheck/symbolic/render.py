"""Printing a derivation: the result, and optionally each chain-rule factor, as text or LaTeX."""

from __future__ import annotations

import sympy as sp

from ..report.messages import message
from .derive import Derivation


def _show(expr, latex: bool) -> str:
    return sp.latex(expr) if latex else sp.sstr(expr).replace("**", "^")


def render_derivation(d: Derivation, steps: bool = False, latex: bool = False, substitute: bool = False,
                      lang: str = "en") -> str:
    """The derivative on one line; with ``steps``, the chain-rule formula and each factor first (in ``lang``)."""
    label = f"df/d{d.wrt}"
    lines = []
    if steps:
        if d.formula == label:  # nothing to chain through
            lines.append(message("derive.direct", lang))
        else:
            lines.append(message("derive.chain_rule", lang, formula=f"{label} = {d.formula}"))
        lines.extend(f"  {s.label} = {_show(s.value, latex)}" for s in d.steps)
    lines.append(f"{label} = {_show(d.result(substitute), latex)}")
    if not substitute and d.substituted != d.derivative:
        lines.append("  " + message("derive.base_variables", lang, value=_show(d.substituted, latex)))
    return "\n".join(lines)
