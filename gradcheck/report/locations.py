"""Where in the learner's file a result is about: the line of the edit that fixes it, else the definition
that computes the gradient (a class's ``backward``, a ``*_backward`` or ``*_grad`` function, a network's
``gradient``, an optimizer's ``update``).  Read from the source with ``ast`` in the parent; nothing runs."""

from __future__ import annotations

import ast

from .model import CheckResult, Note

#: Methods that compute a gradient, in the order a class's line is looked for.
GRADIENT_METHODS = ("backward", "backward_pass", "gradient", "grad", "update", "step", "loss", "forward")
_GRADIENT_WORDS = ("backward", "grad", "prime", "derivative", "deriv", "update", "step")


def definition_lines(source: str) -> dict[str, int]:
    """Each top-level function and class, and each method as ``Class.method``, by the line it starts on."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError):
        return {}
    lines: dict[str, int] = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            lines.setdefault(node.name, node.lineno)
        elif isinstance(node, ast.ClassDef):
            lines.setdefault(node.name, node.lineno)
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    lines.setdefault(f"{node.name}.{item.name}", item.lineno)
    return lines


def _fix_line(result: CheckResult) -> int | None:
    notes: list[Note] = [n for c in result.checks for n in c.diagnoses + c.notes] + list(result.notes)
    stack = list(notes)
    while stack:
        note = stack.pop(0)
        if note.key == "fix.at" and isinstance(note.params.get("line"), int):
            return note.params["line"]
        stack.extend(v for v in note.params.values() if isinstance(v, Note))
    return None


def line_of(result: CheckResult, names: tuple[str, ...], lines: dict[str, int]) -> int | None:
    """The line ``result`` is about, for a target defined by ``names`` in a file whose definitions are ``lines``."""
    fixed = _fix_line(result)
    if fixed is not None:
        return fixed
    failing = {c.gradient for c in result.checks if not c.passed}
    if failing == {"forward"}:  # only the forward is wrong: its own definition
        for name in names:
            for candidate in (f"{name}.forward", name.replace("backward", "forward")):
                if candidate in lines and (candidate != name or "forward" in name):
                    return lines[candidate]
    for name in names:
        for method in GRADIENT_METHODS:
            if f"{name}.{method}" in lines:
                return lines[f"{name}.{method}"]
    for name in names:
        if name in lines and any(w in name.lower() for w in _GRADIENT_WORDS):
            return lines[name]
    return next((lines[n] for n in names if n in lines), None)
