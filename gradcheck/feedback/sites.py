"""Where in the learner's file a target's gradient is computed: the functions the search for a fix may edit.

Worked out from the file's syntax tree alone (``ast.parse``; nothing of the learner's runs in the parent):
for a class, its backward-like methods and the methods and module functions they call; for a function pair,
the backward first; each with the class it belongs to, so the child can put an edited copy in its place.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

#: Words in a function's name that say it computes a gradient or a step (searched first).
GRADIENT_WORDS = ("backward", "grad", "update", "deriv", "prime", "loss")
#: The largest file whose tree is searched: past this a file is not a learner's layer.
MAX_SOURCE = 400_000


@dataclass(frozen=True)
class Site:
    """One function the search may edit: ``owner`` is its class ('' for a module function)."""

    owner: str
    name: str
    node: ast.FunctionDef
    cls: ast.ClassDef | None = None
    first_line: int = 0  # where the function starts in the learner's file, when ``node`` is an edited copy
    role: str = "gradient"  # "gradient" (a backward, update or loss), "helper" it calls, "forward", "shared" by both

    @property
    def start(self) -> int:
        return self.first_line or self.node.lineno

    @property
    def qualname(self) -> str:
        return f"{self.owner}.{self.name}" if self.owner else self.name


def parse(source: str) -> ast.Module | None:
    """The file's syntax tree, or None for a file too large or too deep to be a learner's layer."""
    if len(source) > MAX_SOURCE:
        return None
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _defined(tree: ast.Module) -> tuple[dict[str, ast.ClassDef], dict[str, ast.FunctionDef]]:
    """The module's classes and functions by name; a later definition replaces an earlier (a notebook's)."""
    classes: dict[str, ast.ClassDef] = {}
    functions: dict[str, ast.FunctionDef] = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            classes[node.name] = node
        elif isinstance(node, ast.FunctionDef):
            functions[node.name] = node
    return classes, functions


def _gradient_first(name: str) -> int:
    lowered = name.lower()
    return 0 if any(w in lowered for w in GRADIENT_WORDS) or lowered == "step" else 1


#: Method names of a class's forward computation; every other method may compute a gradient.
FORWARD_METHODS = ("forward", "predict", "__call__", "call")


def _role_of_function(name: str, names: tuple[str, ...]) -> str:
    """A function is a forward when its name says so, or when the target pairs it with its derivative
    (``f`` beside ``f_grad``); a target's only function (an optimizer step, a loss) computes the gradient."""
    if "forward" in name.lower():
        return "forward"
    if _gradient_first(name) == 0:
        return "gradient"
    paired = any(other != name and other.startswith(name) and _gradient_first(other) == 0 for other in names)
    return "forward" if paired else "gradient"


def _calls(node: ast.AST) -> tuple[set[str], set[str]]:
    """Names of module functions called (``f(...)``) and of methods called on self (``self.m(...)``)."""
    plain, methods = set(), set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call):
            if isinstance(sub.func, ast.Name):
                plain.add(sub.func.id)
            elif isinstance(sub.func, ast.Attribute) and isinstance(sub.func.value, ast.Name) and sub.func.value.id == "self":
                methods.add(sub.func.attr)
    return plain, methods


def sites_for(tree: ast.Module, names: tuple[str, ...]) -> list[Site]:
    """The functions behind a target's definitions ``names``: gradient-computing ones first, then the helpers of
    the same file they call, then the forwards (an edit there is only a fix where the forward itself is wrong)."""
    classes, functions = _defined(tree)
    grads: list[Site] = []
    forwards: list[Site] = []
    for name in names:
        if name in classes:
            cls = classes[name]
            for method in (m for m in cls.body if isinstance(m, ast.FunctionDef) and m.name != "__init__"):
                role = "forward" if method.name in FORWARD_METHODS or method.name.startswith("_") else "gradient"
                (grads if role == "gradient" else forwards).append(Site(name, method.name, method, cls, role=role))
        elif name in functions:
            role = _role_of_function(name, names)
            (grads if role == "gradient" else forwards).append(Site("", name, functions[name], role=role))
    seen = {s.qualname for s in grads + forwards}
    used_by_forward: set[str] = set()
    for site in forwards:
        plain, methods = _calls(site.node)
        used_by_forward |= plain | {f"{site.owner}.{m}" for m in methods}
    helpers: list[Site] = []
    for site in grads:
        plain, methods = _calls(site.node)
        found = [("", c, functions[c], None) for c in sorted(plain) if c in functions]
        if site.cls is not None:
            own = {m.name: m for m in site.cls.body if isinstance(m, ast.FunctionDef)}
            found += [(site.owner, c, own[c], site.cls) for c in sorted(methods) if c in own]
        for owner, name, node, cls in found:
            qualname = f"{owner}.{name}" if owner else name
            if qualname in seen:
                continue
            seen.add(qualname)
            shared = (name if not owner else qualname) in used_by_forward
            helpers.append(Site(owner, name, node, cls, role="shared" if shared else "helper"))
    return grads + helpers + forwards
