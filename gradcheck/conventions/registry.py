"""The conventions ``verify`` walks, in order; the first to claim a definition (as a target or as skipped
with a reason) owns it.  A new convention is one module with ``recognise`` and ``CHECKS``, and one line here."""

from __future__ import annotations

import re

from ..options import Options
from ..report.model import Note
from . import (cs231n, dlfs, dlfs2, functions, generic, jax_functions, lookalike, networks, numerical, optimizers,
               torch_functions, torch_modules)
from .base import Skipped, Target

CONVENTIONS = [torch_functions, torch_modules, jax_functions, optimizers, numerical, dlfs, dlfs2, networks, cs231n, functions,
               lookalike, generic]
CHECKS = {name: fn for module in CONVENTIONS for name, fn in module.CHECKS.items()}


#: Styles of backpropagation seen in learners' code that no convention checks yet, each with what it is.
STYLES = [
    (re.compile(r"[a-z0-9](Backward|Forward|Backprop|Grad)$"), "skip.style_camel"),
    (re.compile(r"^(back_?prop(agate|agation)?|backward_propagat(e|ion)|forward_propagat(e|ion)|(l_)?model_(forward|backward))$", re.I),
     "skip.style_propagation"),
]


def _style(name: str) -> str:
    return next((key for pattern, key in STYLES if pattern.search(name)), "")


def discover(catalogue: list[dict], options: Options) -> tuple[list[Target], list[Skipped]]:
    """The file's targets and the definitions that look checkable but are not checked, each with a reason."""
    targets: list[Target] = []
    skipped: list[Skipped] = []
    claimed: set[str] = set()
    for module in CONVENTIONS:
        found, passed_over = module.recognise([c for c in catalogue if c["name"] not in claimed], options)
        targets += [t for t in found if not claimed & set(t.names)]
        skipped += [s for s in passed_over if s.name not in claimed]
        claimed.update(n for t in found for n in t.names)
        claimed.update(s.name for s in passed_over)
    for item in catalogue:
        if item["name"] in claimed:
            continue
        layer_like = item["kind"] == "class" and bool({"forward", "backward"} & set(item["methods"]))
        style = _style(item["name"]) if item["kind"] == "function" else ""
        if style:
            skipped.append(Skipped(item["name"], Note(style, {"name": item["name"]})))
        elif layer_like or item["name"].endswith(("_backward", "_forward")):
            skipped.append(Skipped(item["name"], Note("skip.unrecognised", {"name": item["name"]})))
    return targets, skipped


def select(targets: list[Target], wanted: tuple[str, ...]) -> tuple[list[Target], list[str]]:
    """The targets ``--target`` names (by id or by a name in the file), and the wanted names nothing matched."""
    if not wanted:
        return targets, []
    chosen = [t for t in targets if any(t.matches(w) for w in wanted)]
    unknown = [w for w in wanted if not any(t.matches(w) for t in targets)]
    return chosen, unknown
