"""Untouched assignment stubs: a function whose body still only sets its results to None, unpacks its
arguments, passes or raises NotImplementedError (cs231n's ``dx, dw, db = None, None, None ... pass ... return
dx, dw, db``).  Such a target is "not implemented yet", not a failure; worked out from the syntax tree alone."""

from __future__ import annotations

import ast


def _none(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return node.value is None
    return isinstance(node, ast.Tuple) and bool(node.elts) and all(_none(e) for e in node.elts)


def _names(node: ast.AST) -> bool:
    """A name, an attribute or a tuple of them: what unpacks a cache or packs one, computing nothing."""
    if isinstance(node, (ast.Name, ast.Attribute)):
        return True
    return isinstance(node, ast.Tuple) and all(_names(e) for e in node.elts)


def _placeholder(statement: ast.stmt, nones: set[str]) -> bool:
    if isinstance(statement, ast.Pass) or (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)):
        return True
    if isinstance(statement, ast.Raise):
        exc = statement.exc.func if isinstance(statement.exc, ast.Call) else statement.exc
        return isinstance(exc, ast.Name) and exc.id == "NotImplementedError"
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
        target = statement.targets[0]
        if _none(statement.value):
            nones.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
            return True
        pairs = zip(target.elts, statement.value.elts) if isinstance(target, ast.Tuple) and isinstance(statement.value, ast.Tuple) \
            and len(target.elts) == len(statement.value.elts) else [(target, statement.value)]
        for name, value in pairs:  # dx, x = None, cache
            if _none(value) and isinstance(name, ast.Name):
                nones.add(name.id)
            elif not (_names(name) and _names(value)):
                return False
        return True
    if isinstance(statement, ast.Return):
        return statement.value is None or _names(statement.value)
    return False


def is_stub(fn: ast.FunctionDef) -> bool:
    """Whether ``fn`` is still the assignment's placeholder: every statement a placeholder, and something it
    returns set to None (or nothing returned at all, or NotImplementedError)."""
    nones: set[str] = set()
    if not all(_placeholder(s, nones) for s in fn.body):
        return False
    returned = [s.value for s in fn.body if isinstance(s, ast.Return) and s.value is not None]
    raises = any(isinstance(s, ast.Raise) for s in fn.body)
    hands_back_none = any(isinstance(n, ast.Name) and n.id in nones for r in returned for n in ast.walk(r))
    return raises or not returned or hands_back_none


def unfinished(source: str, names: tuple[str, ...]) -> list[str]:
    """Which of the module-level functions ``names`` are untouched stubs (methods of classes are the
    catalogue's ``abstract``)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    defined = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    return [name for name in names if name in defined and is_stub(defined[name])]
