"""The package's shape: no module imports another that imports it back (imports inside functions count;
imports for type checking only do not), and every convention is registered with a check for each kind it
recognises."""

from __future__ import annotations

import ast
from pathlib import Path

import gradcheck
from gradcheck.conventions.registry import CHECKS, CONVENTIONS

ROOT = Path(gradcheck.__file__).parent


def _modules() -> dict[str, Path]:
    found = {}
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.dump(node.test)
                   for n in ast.walk(node)}
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            target = ".".join(base + ([node.module] if node.module else []))
            out.update(c for c in [target] + [f"{target}.{a.name}" for a in node.names] if c in known)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name in known)
    return out - {name}


def test_no_import_circles():
    modules = _modules()
    graph = {name: _imports(name, path, set(modules)) for name, path in modules.items()}

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            current = todo.pop()
            if current == goal:
                return True
            if current not in seen:
                seen.add(current)
                todo.extend(graph[current])
        return False

    circles = sorted((a, b) for a in graph for b in graph[a] if a < b and reaches(b, a) and not b.startswith(a + "."))
    assert circles == []


def test_every_recognised_convention_has_a_check():
    names = {name for module in CONVENTIONS for name in module.CHECKS}
    assert names == set(CHECKS)
    assert {"dlfs", "cs231n", "cs231n_loss", "network", "function", "elementwise", "generic", "optimizer", "cs231n_optimizer"} <= names
