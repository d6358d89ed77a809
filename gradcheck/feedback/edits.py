"""Single edits of one learner function: the mistakes learners make, written as changes to their own code.

Each edit changes one place of the function's syntax tree (or one statement of a block) and is described by
its line, what stood there and what stands there instead, and a kind (``sign``, ``axis``, ``name``...) that
says the mistake in words.  ``prior`` orders the search: edits that match common mistakes, in the statements
that compute a failing gradient, come first.  Nothing here runs the code; the child does, on request.
"""

from __future__ import annotations

import ast
import copy
from dataclasses import dataclass
from itertools import pairwise

from .sites import Site

#: Exponents and constants learners confuse, each with the values tried in its place.
RELATED = {-1.5: (-0.5, 1.5), -0.5: (-1.5, 0.5), 0.5: (1.5, -0.5, 1.0, 2.0), 1.5: (0.5, -1.5),
           2: (1, 0.5, 3), 1: (2, 0, -1, 0.5), 3: (2,), 0.01: (0.1,), 0.1: (0.01,), 1e-7: (0.0,)}
#: Reductions whose ``axis`` is often wrong or missing.
REDUCTIONS = frozenset({"sum", "mean", "max", "min", "var", "std", "prod"})
AXES = (0, 1, -1, None, (0, 2, 3), (0, 1))
#: Attributes that usually hold a batch (their first axis is N): a gradient may need dividing by it.
BATCHED = ("x", "t", "y", "out", "input", "inputs", "label", "labels", "X")
STATEMENT_SIZE = 100  # characters of a statement quoted in a report


@dataclass(frozen=True)
class Edit:
    """One edit: the function's new source and how to say what changed."""

    site: Site
    line: int
    kind: str
    before: str
    after: str
    source: str
    prior: float


class _Scope:
    """What the function can refer to: its locals and parameters, the class's attributes, numeric settings,
    the scalar sizes it computes, the loop variables, and the name NumPy goes by in the file."""

    def __init__(self, site: Site, numpy_name: str):
        fn = site.node
        self.numpy = numpy_name
        self.params = [a.arg for a in fn.args.args + fn.args.kwonlyargs if a.arg != "self"]
        assigned: list[str] = []
        self.scalars: list[ast.expr] = []
        self.loops: set[str] = set()
        for node in ast.walk(fn):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.id not in assigned:
                assigned.append(node.id)
            if isinstance(node, ast.For) and isinstance(node.target, ast.Name):
                self.loops.add(node.target.id)
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) \
                    and _is_size(node.value):
                self.scalars.append(ast.Name(node.targets[0].id, ast.Load()))
        self.locals = [n for n in self.params + assigned if n not in self.loops]
        self.siblings: set[frozenset[str]] = set()  # names unpacked together (x, xhat, mu = cache): often confused
        for node in ast.walk(site.cls or fn):
            if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Tuple):
                keys = [_key(ast.Name(e.id, ast.Load())) if isinstance(e, ast.Name) else
                        f"self.{e.attr}" if isinstance(e, ast.Attribute) and _is_self(e.value) else None for e in node.targets[0].elts]
                self.siblings |= {frozenset((a, b)) for a in keys for b in keys if a and b and a != b}
        if site.cls is not None:  # what one method stores on self (a forward's x and out) are siblings too
            for method in (m for m in site.cls.body if isinstance(m, ast.FunctionDef)):
                stored = {f"self.{n.attr}" for n in ast.walk(method) if isinstance(n, ast.Attribute)
                          and isinstance(n.ctx, ast.Store) and _is_self(n.value)}
                self.siblings |= {frozenset((a, b)) for a in stored for b in stored if a != b}
        self.attributes: list[str] = []
        self.settings: list[str] = []
        if site.cls is not None:
            for node in ast.walk(site.cls):
                if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) and _is_self(node.value):
                    if node.attr not in self.attributes:
                        self.attributes.append(node.attr)
            init = next((m for m in site.cls.body if isinstance(m, ast.FunctionDef) and m.name == "__init__"), None)
            if init is not None:
                defaults = _numeric_params(init)
                for node in ast.walk(init):
                    if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Attribute) \
                            and _is_self(node.targets[0].value) and _numeric_value(node.value, defaults):
                        self.settings.append(node.targets[0].attr)
        named = [n for n in self.locals if "stride" in n.lower()] + _stride_locals(fn)
        self.strides = list(dict.fromkeys(named)) + [f"self.{a}" for a in self.attributes if "stride" in a.lower()]

    def confusable(self, a: str, b: str) -> bool:
        """Names a learner mixes up: alike in spelling (x, xhat) or held side by side (x, xhat, mu = cache)."""
        return _similar(a, b) or frozenset((a, b)) in self.siblings

    def values(self) -> list[str]:
        """The arrays a backward can multiply by: its locals and the attributes the class stores."""
        return [n for n in self.locals if n not in self.params[:0]] + [f"self.{a}" for a in self.attributes if a not in self.settings]

    def loops_list(self) -> list[str]:
        return sorted(self.loops)

    def factors(self) -> list[tuple[ast.expr, float, float]]:
        """Factors a gradient is often missing or has once too often, each with the prior of dividing by it and
        of multiplying by it: a missing division by the batch size and a missing 2 first."""
        out: list[tuple[ast.expr, float, float]] = [(ast.Constant(2), 2.5, 1.5)]
        out += [(copy.deepcopy(s), 1.5, 2.5) for s in self.scalars]
        if self.params:
            out.append((_parse(f"{self.params[0]}.shape[0]"), 2, 3))
        batched = [a for a in self.attributes if a in BATCHED] or self.attributes[:2]
        out += [(_parse(f"self.{a}.shape[0]"), 2, 3) for a in batched[:3]]
        out += [(_parse(f"self.{a}.size"), 2.5, 3.5) for a in batched[:3]]
        out += [(_parse(f"{n}.size"), 2.5, 3.5) for n in self.params[:2]]
        out += [(_self_attr(a), 3, 2.5) for a in self.settings]
        out += [(_parse(f"(1 - self.{a})"), 3.5, 2.5) for a in self.settings]
        names = [n for n in ("dout", "gamma", "mask", "p") if n in self.locals]
        names += [f"self.{a}" for a in self.attributes if a in ("gamma", "mask", "p", "scale", "alpha", "beta")]
        out += [(_parse(n), 3.5, 2.5) for n in names]
        out += [(_parse(f"~{n}"), 4, 2.5) for n in names if "mask" in n]  # a mask kept where x <= 0
        return out


def _stride_locals(fn: ast.FunctionDef) -> list[str]:
    """Locals that hold a stride under another name: ``s = pool_param["stride"]``, ``ph, pw, s = ...``."""
    out = []
    for node in ast.walk(fn):
        if not isinstance(node, ast.Assign) or len(node.targets) != 1:
            continue
        target, value = node.targets[0], node.value
        pairs = zip(target.elts, value.elts) if isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple) else [(target, value)]
        for name, source in pairs:
            text = ast.unparse(source).lower() if isinstance(source, (ast.Subscript, ast.Attribute, ast.Call)) else ""
            if isinstance(name, ast.Name) and "stride" in text:
                out.append(name.id)
    return out


def _computes(statement: ast.stmt) -> bool:
    """A statement that computes one value (``dx = ...``, ``self.dW = ...``, ``dW += ...``, ``return dx``), not
    one that unpacks a cache or returns a tuple: only such a value can be missing a factor as a whole."""
    value = getattr(statement, "value", None)
    if value is None or isinstance(value, (ast.Tuple, ast.List, ast.Dict, ast.Constant)):
        return False
    if isinstance(statement, ast.Assign):
        return len(statement.targets) == 1 and not isinstance(statement.targets[0], (ast.Tuple, ast.List))
    return isinstance(statement, (ast.AugAssign, ast.Return, ast.AnnAssign))


def _alias(statement: ast.stmt) -> bool:
    """``x = cache``: a new name for a value, not a gradient (``db = dout`` is one): scaling it would only move
    what ``x`` is later compared with, a "fix" that passes by luck."""
    if not isinstance(statement, ast.Assign) or not isinstance(statement.value, ast.Name):
        return False
    target = statement.targets[0]
    name = target.id if isinstance(target, ast.Name) else target.attr if isinstance(target, ast.Attribute) else ""
    return not name.startswith(("d", "grad"))


def _is_self(node: ast.AST) -> bool:
    return isinstance(node, ast.Name) and node.id == "self"


def _self_attr(attr: str) -> ast.Attribute:
    return ast.Attribute(ast.Name("self", ast.Load()), attr, ast.Load())


def _parse(text: str) -> ast.expr:
    return ast.parse(text, mode="eval").body


def _is_size(node: ast.AST) -> bool:
    """An expression that is a count: ``x.shape[0]``, ``len(x)``, ``x.size``, ``N * D``."""
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) and node.value.attr == "shape":
        return True
    if isinstance(node, ast.Attribute) and node.attr == "size":
        return True
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "len":
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
        return _is_size(node.left) and _is_size(node.right)
    return False


def _numeric_params(init: ast.FunctionDef) -> set[str]:
    args = init.args.args[1:]
    defaults = init.args.defaults
    named = args[len(args) - len(defaults):]
    return {a.arg for a, d in zip(named, defaults) if isinstance(d, ast.Constant) and isinstance(d.value, (int, float))
            and not isinstance(d.value, bool)}


def _numeric_value(node: ast.AST, numeric_params: set[str]) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, (int, float)) and not isinstance(node.value, bool)
    return isinstance(node, ast.Name) and node.id in numeric_params


def _key(node: ast.AST) -> str | None:
    """``x`` for a name and ``self.x`` for an attribute of self: the references a name swap exchanges."""
    if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id != "self":
        return node.id
    if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load) and _is_self(node.value):
        return f"self.{node.attr}"
    return None


def _similar(a: str, b: str) -> bool:
    a, b = a.removeprefix("self.").strip("_").lower(), b.removeprefix("self.").strip("_").lower()
    return bool(a) and bool(b) and (a.startswith(b) or b.startswith(a) or a.rstrip("0123456789") == b.rstrip("0123456789"))


def _number(node: ast.AST) -> float | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _number(node.operand)
        return None if inner is None else -inner
    return None


def _constant(value) -> ast.expr:
    if isinstance(value, tuple):
        return ast.Tuple([ast.Constant(v) for v in value], ast.Load())
    if isinstance(value, (int, float)) and value < 0:
        return ast.UnaryOp(ast.USub(), ast.Constant(-value))
    return ast.Constant(value)


def _call_name(node: ast.Call) -> str:
    return node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id if isinstance(node.func, ast.Name) else ""


class _Finder:
    """Every replacement of one expression or statement, with its kind and prior."""

    def __init__(self, scope: _Scope, focus: set[int]):
        self.scope = scope
        self.focus = focus  # ids of statements that compute a failing gradient

    def expression(self, node: ast.AST, statement: ast.stmt, parent: ast.AST | None) -> list[tuple[ast.AST, str, float]]:
        out: list[tuple[ast.AST, str, float]] = []
        np_name = self.scope.numpy
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and _number(node) is None:
            out.append((node.operand, "sign", 1))
        if isinstance(node, ast.BinOp):
            if isinstance(node.op, (ast.Add, ast.Sub)):
                out.append((ast.BinOp(node.left, ast.Sub() if isinstance(node.op, ast.Add) else ast.Add(), node.right), "sign", 2))
                out.append((node.left, "term", 2.5))
                if isinstance(node.op, ast.Add):
                    out.append((node.right, "term", 2.5))
            if isinstance(node.op, (ast.Mult, ast.Div)):
                out.append((node.left, "factor", 2))
                if isinstance(node.op, ast.Mult):
                    out.append((node.right, "factor", 2))
                out.append((ast.BinOp(node.left, ast.Div() if isinstance(node.op, ast.Mult) else ast.Mult(), node.right), "factor", 2.5))
            if isinstance(node.op, ast.MatMult):
                out.append((ast.BinOp(node.right, ast.MatMult(), node.left), "order", 3))
            if isinstance(node.op, ast.FloorDiv):
                out.append((ast.BinOp(node, ast.Add(), ast.Constant(1)), "size", 2))
            if isinstance(node.op, ast.Pow) and isinstance(node.right, ast.Constant) and node.right.value == 2:
                out.append((node.left, "square", 3))
            if isinstance(node.op, ast.Pow) and isinstance(node.left, ast.BinOp) and isinstance(node.left.op, (ast.Add, ast.Sub)):
                inner = node.left  # (1 - t) ** 2 written for 1 - t ** 2
                out.append((ast.BinOp(inner.left, inner.op, ast.BinOp(inner.right, ast.Pow(), node.right)), "precedence", 2))
        if isinstance(node, ast.Constant) and _number(node) is not None and not isinstance(parent, ast.UnaryOp):
            out += self._numbers(node, _number(node), parent)
        if isinstance(node, ast.UnaryOp) and _number(node) is not None:
            out += self._numbers(node, _number(node), parent)
        if isinstance(node, ast.Attribute) and node.attr == "T":
            out.append((node.value, "transpose", 1.5))
        if isinstance(node, ast.Compare) and len(node.ops) == 1:
            flips = {ast.Gt: (ast.GtE, ast.Lt), ast.GtE: (ast.Gt, ast.LtE), ast.Lt: (ast.LtE, ast.Gt), ast.LtE: (ast.Lt, ast.GtE)}
            for op in flips.get(type(node.ops[0]), ()):
                out.append((ast.Compare(node.left, [op()], node.comparators), "compare", 3))
        if isinstance(node, ast.Call):
            out += self._call(node, np_name)
        key = _key(node)
        if key is not None and not (isinstance(parent, ast.Call) and parent.func is node):
            out += self._names(node, key, parent)
        if id(statement) in self.focus and getattr(statement, "value", None) is node:
            if _computes(statement) and not _alias(statement):
                out += self._whole_value(node, np_name)
        elif id(statement) in self.focus and isinstance(node, (ast.Call, ast.Name, ast.Attribute, ast.BinOp)) \
                and not (isinstance(parent, ast.Call) and parent.func is node):
            out += [(ast.BinOp(_self_attr(a), ast.Mult(), node), "factor", 2.5) for a in self.scope.settings]
            if isinstance(node, (ast.Name, ast.Attribute)):  # a product rule missing a factor: x * s for x
                out += [(ast.BinOp(node, ast.Mult(), _parse(k)), "factor", 3.5) for k in self.scope.values() if k != _key(node)]
        return out

    def _whole_value(self, node: ast.expr, np_name: str) -> list:
        """Edits of a gradient's whole value: a factor missing or once too often, a sum over the batch missing."""
        out = []
        for factor, divide, multiply in self.scope.factors():
            out.append((ast.BinOp(node, ast.Div(), factor), "factor", divide))
            out.append((ast.BinOp(node, ast.Mult(), factor), "factor", multiply))
        out.append((ast.UnaryOp(ast.USub(), node), "sign", 2))
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.MatMult) or isinstance(node, ast.Call) and _call_name(node) == "dot":
            out.append((ast.Attribute(node, "T", ast.Load()), "transpose", 2))  # dout.T @ x for x.T @ dout
        plain = isinstance(node, (ast.Name, ast.Attribute))  # db = dout: the sum over the batch forgotten
        out.append((ast.Call(_parse(f"{np_name}.sum"), [node], [ast.keyword("axis", ast.Constant(0))]), "reduction_missing", 2 if plain else 3.5))
        return out

    def _numbers(self, node, value, parent) -> list:
        out = []
        prior = 1 if isinstance(parent, ast.BinOp) and isinstance(parent.op, ast.Pow) and parent.right is node else 2
        if isinstance(parent, ast.Subscript):
            return [(_constant(v), "index", 2.5) for v in (value + 1, value - 1) if isinstance(value, int)]
        tried = list(RELATED.get(value, ())) + [-value, 2 * value]
        if value:
            tried.append(value / 2)
        for v in dict.fromkeys(tried):
            if v != value:
                out.append((_constant(v), "number", prior))
        return [(_self_attr(a), "number", prior - 0.5) for a in self.scope.settings] + out

    def _call(self, node: ast.Call, np_name: str) -> list:
        out = []
        name = _call_name(node)
        if name in REDUCTIONS:
            axis = next((k for k in node.keywords if k.arg == "axis"), None)
            positional = 1 if isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name) \
                and node.func.value.id == np_name else 0
            for value in AXES:
                new = copy.copy(node)
                if axis is not None:
                    if isinstance(axis.value, ast.Constant) and axis.value.value == value:
                        continue
                    new.keywords = [k if k is not axis else ast.keyword("axis", _constant(value)) for k in node.keywords]
                elif len(node.args) > positional:
                    new.args = node.args[:positional] + [_constant(value)] + node.args[positional + 1:]
                elif value is None:
                    continue
                else:
                    new.keywords = node.keywords + [ast.keyword("axis", _constant(value))]
                out.append((new, "axis", 1.5))
            keep = next((k for k in node.keywords if k.arg == "keepdims"), None)
            new = copy.copy(node)
            new.keywords = [k for k in node.keywords if k is not keep] if keep else node.keywords + [ast.keyword("keepdims", ast.Constant(True))]
            out.append((new, "axis", 2.5))
            if node.args:
                out.append((node.args[positional] if positional < len(node.args) else node.func.value, "reduction", 3))
        if name == "range":
            for i, arg in enumerate(node.args):
                for delta in (1, -1):
                    new = copy.copy(node)
                    new.args = list(node.args)
                    new.args[i] = _shift(arg, delta)
                    out.append((new, "range", 1.5))
        if name in ("transpose",) and len(node.args) >= 2 and all(_number(a) is not None for a in node.args):
            perm = [int(_number(a)) for a in node.args]
            if sorted(perm) == list(range(len(perm))):
                inverse = [perm.index(i) for i in range(len(perm))]
                for order in [inverse] + [_swapped(perm, i) for i in range(len(perm) - 1)]:
                    if order != perm:
                        new = copy.copy(node)
                        new.args = [ast.Constant(v) for v in order]
                        out.append((new, "transpose", 3))
        if name in ("hstack", "vstack", "concatenate", "stack") and node.args and isinstance(node.args[0], (ast.List, ast.Tuple)):
            items = node.args[0].elts
            if len(items) == 2:
                new = copy.copy(node)
                new.args = [type(node.args[0])(items[::-1], ast.Load())] + node.args[1:]
                out.append((new, "order", 3))
        if name == "dot" and len(node.args) == 2:
            new = copy.copy(node)
            new.args = node.args[::-1]
            out.append((new, "order", 3))
        if name == "sqrt" and node.args:
            out.append((node.args[0], "sqrt", 2.5))
        if name in ("exp", "tanh", "sin", "cos", "log1p") and len(node.args) == 1 and not isinstance(node.args[0], ast.UnaryOp):
            new = copy.copy(node)  # exp(x) written for exp(-x)
            new.args = [ast.UnaryOp(ast.USub(), node.args[0])]
            out.append((new, "sign", 2))
        if isinstance(node.func, ast.Attribute) and name in ("exp", "tanh") and node.args and isinstance(node.args[0], ast.UnaryOp) \
                and isinstance(node.args[0].op, ast.USub):
            new = copy.copy(node)
            new.args = [node.args[0].operand]
            out.append((new, "sign", 2))
        if name == "exp" and len(node.args) == 1 and isinstance(node.args[0], (ast.Name, ast.Attribute, ast.Subscript)):
            arg = node.args[0]  # exp of scores near 1000 overflows: subtract each row's maximum first
            stable = ast.BinOp(arg, ast.Sub(), _parse(f"{np_name}.max({ast.unparse(arg)}, axis=-1, keepdims=True)"))
            out.append((ast.Call(node.func, [stable], []), "overflow", 1.5))
        return out

    def _names(self, node, key: str, parent) -> list:
        out = []
        if key in self.scope.loops:
            return [(ast.BinOp(copy.deepcopy(node), ast.Mult(), _parse(s)), "stride", 2) for s in self.scope.strides]
        if key not in self.scope.locals and key.removeprefix("self.") not in self.scope.attributes:
            return out  # a module (np), a builtin or a global: not a value a learner confuses
        others = [n for n in self.scope.locals if n != key] + [f"self.{a}" for a in self.scope.attributes if f"self.{a}" != key]
        for other in others:
            out.append((_parse(other), "name", 2.5 if self.scope.confusable(key, other) else 3.5))
        if isinstance(parent, ast.BinOp) and isinstance(parent.op, ast.MatMult) or isinstance(parent, ast.Call) and _call_name(parent) == "dot":
            out.append((ast.Attribute(copy.deepcopy(node), "T", ast.Load()), "transpose", 3))
        return out


def _swapped(perm: list[int], i: int) -> list[int]:
    out = list(perm)
    out[i], out[i + 1] = out[i + 1], out[i]
    return out


def _shift(node: ast.expr, delta: int) -> ast.expr:
    value = _number(node)
    if value is not None:
        return _constant(value + delta)
    return ast.BinOp(node, ast.Add() if delta > 0 else ast.Sub(), ast.Constant(abs(delta)))


def _text(node: ast.AST) -> str:
    """The source of a new node (one the search built, so without positions of its own)."""
    return ast.unparse(ast.fix_missing_locations(copy.deepcopy(node)))


def _segment(source: str, node: ast.AST) -> str:
    text = ast.get_source_segment(source, node) or ast.unparse(node)
    text = " ".join(text.split())
    return text if len(text) <= STATEMENT_SIZE else text[: STATEMENT_SIZE - 3] + "..."


def _fancy(target: ast.expr) -> bool:
    """A subscript whose index is an array (``dW[x]``, ``dx[idx, y]``), where repeated indices collide."""
    if not isinstance(target, ast.Subscript):
        return False
    parts = target.slice.elts if isinstance(target.slice, ast.Tuple) else [target.slice]
    return any(isinstance(p, (ast.Name, ast.Attribute)) for p in parts) and not any(isinstance(p, ast.Slice) for p in parts)


def _targets_of(statement: ast.stmt) -> set[str]:
    targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target] \
        if isinstance(statement, (ast.AugAssign, ast.AnnAssign)) else []
    out = set()
    for t in targets:
        for node in ast.walk(t):
            key = _key(node) or (f"self.{node.attr}" if isinstance(node, ast.Attribute) and _is_self(node.value) else None)
            if isinstance(node, ast.Name):
                key = node.id
            if key:
                out.add(key)
    return out


def focus_statements(fn: ast.FunctionDef, gradients: set[str]) -> set[int]:
    """The statements a failing gradient depends on: the one that stores or returns it, then, backwards, those
    that assign the names it reads (a backward slice by names, within the function)."""
    statements = [s for s in ast.walk(fn) if isinstance(s, ast.stmt) and s is not fn]
    wanted = {g.lstrip("d").lower() for g in gradients}
    chosen: list[ast.stmt] = []
    for s in statements:
        stored = {t.removeprefix("self.").lower() for t in _targets_of(s)}
        if isinstance(s, ast.Return) or any(t.lstrip("d") in wanted or t in {g.lower() for g in gradients} for t in stored):
            chosen.append(s)
        elif any("grad" in t for t in stored):
            chosen.append(s)
    if not chosen:  # no statement names the gradient (an optimizer's step): every statement may hold the mistake
        return {id(s) for s in statements}
    reads = {k for s in chosen for n in ast.walk(s) for k in [_key(n)] if k}
    for s in reversed(statements):
        if _targets_of(s) & reads and s not in chosen:
            chosen.append(s)
            reads |= {k for n in ast.walk(s) for k in [_key(n)] if k}
    return {id(s) for s in chosen}


def _replace_in(root: ast.AST, old: ast.AST, new) -> bool:
    for parent in ast.walk(root):
        for field, value in ast.iter_fields(parent):
            if value is old:
                setattr(parent, field, new)
                return True
            if isinstance(value, list) and any(v is old for v in value):
                i = next(i for i, v in enumerate(value) if v is old)
                value[i:i + 1] = new if isinstance(new, list) else [new]
                return True
    return False


def _render(fn: ast.FunctionDef, index: int, replacement) -> str | None:
    """The function's source with its ``index``-th node (in ``ast.walk`` order) replaced."""
    clone = copy.deepcopy(fn)
    nodes = list(ast.walk(clone))
    if not _replace_in(clone, nodes[index], copy.deepcopy(replacement)):
        return None
    clone.decorator_list = [d for d in clone.decorator_list if not (isinstance(d, ast.Name) and d.id in ("property",))]
    try:
        return ast.unparse(ast.fix_missing_locations(clone))
    except (ValueError, TypeError, AttributeError, RecursionError):
        return None


def _render_swap(fn: ast.FunctionDef, first: int, second: int) -> str | None:
    """The function's source with two adjacent statements (by ``ast.walk`` index) in the other order."""
    clone = copy.deepcopy(fn)
    nodes = list(ast.walk(clone))
    a, b = nodes[first], nodes[second]
    for parent in ast.walk(clone):
        for _, value in ast.iter_fields(parent):
            if isinstance(value, list) and any(v is a for v in value):
                i = next(i for i, v in enumerate(value) if v is a)
                if i + 1 < len(value) and value[i + 1] is b:
                    value[i], value[i + 1] = b, a
                    try:
                        return ast.unparse(clone)
                    except (ValueError, TypeError, AttributeError, RecursionError):
                        return None
    return None


def _statement_edits(stmt: ast.stmt, block: list[ast.stmt], np_name: str) -> list[tuple[object, str, float, str]]:
    """Edits of a whole statement: accumulate or assign, ``np.add.at``, drop it, or swap it with the next."""
    out: list[tuple[object, str, float, str]] = []
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], (ast.Subscript, ast.Name, ast.Attribute)):
        target = stmt.targets[0]
        out.append((ast.AugAssign(target, ast.Add(), stmt.value), "accumulate", 1.5 if isinstance(target, ast.Subscript) else 2.5, ""))
        if _fancy(target):
            out.append((_add_at(target, stmt.value, np_name), "add_at", 1, ""))
    if isinstance(stmt, ast.AugAssign) and isinstance(stmt.op, ast.Add):
        out.append((ast.Assign([stmt.target], stmt.value), "accumulate", 2, ""))
        if _fancy(stmt.target):
            out.append((_add_at(stmt.target, stmt.value, np_name), "add_at", 1, ""))
    if isinstance(stmt, ast.AugAssign) and isinstance(stmt.op, (ast.Add, ast.Sub)):
        out.append((ast.AugAssign(stmt.target, ast.Sub() if isinstance(stmt.op, ast.Add) else ast.Add(), stmt.value), "sign", 2, ""))
    if len(block) > 1 and not isinstance(stmt, (ast.Return, ast.FunctionDef, ast.ClassDef)):
        out.append(([], "drop", 3, ""))
    return out


def _add_at(target: ast.Subscript, value: ast.expr, np_name: str) -> ast.stmt:
    call = ast.Call(_parse(f"{np_name}.add.at"), [target.value, target.slice, value], [])
    return ast.Expr(call)


def edits_of(site: Site, source: str, gradients: set[str], numpy_name: str = "np") -> list[Edit]:
    """Every single edit of ``site``'s function, most likely mistakes first, without repeats."""
    fn = site.node
    scope = _Scope(site, numpy_name)
    focus = focus_statements(fn, gradients)
    finder = _Finder(scope, focus)
    nodes = list(ast.walk(fn))
    index = {id(n): i for i, n in enumerate(nodes)}
    parents: dict[int, ast.AST] = {}
    statement_of: dict[int, ast.stmt] = {}
    for parent in nodes:
        for child in ast.iter_child_nodes(parent):
            parents[id(child)] = parent
    for stmt in (n for n in nodes if isinstance(n, ast.stmt) and n is not fn):  # outer first: the innermost wins
        for sub in ast.walk(stmt):
            statement_of[id(sub)] = stmt
    edits: list[Edit] = []
    seen: set[str] = set()

    def add(node_index: int, replacement, kind: str, prior: float, line: int, before: str, after: str, stmt) -> None:
        text = _render(fn, node_index, replacement)
        if text is None or text in seen:
            return
        seen.add(text)
        bonus = -1.0 if stmt is not None and id(stmt) in focus else 0.0
        edits.append(Edit(site, line, kind, before, after, text, prior + bonus))

    original = _render(fn, 0, fn)
    if original is not None:
        seen.add(original)
    for node in nodes[1:]:
        stmt = statement_of.get(id(node))
        if isinstance(node, (ast.arguments, ast.arg, ast.keyword)) or stmt is None:
            continue
        if isinstance(node, ast.expr) and not isinstance(getattr(node, "ctx", ast.Load()), ast.Load):
            continue
        if isinstance(node, ast.expr):
            for replacement, kind, prior in finder.expression(node, stmt, parents.get(id(node))):
                add(index[id(node)], replacement, kind, prior, node.lineno, _segment(source, node), _text(replacement), stmt)
    for parent in nodes:
        for field in ("body", "orelse"):
            block = getattr(parent, field, None)
            if not isinstance(block, list) or not block or not isinstance(block[0], ast.stmt):
                continue
            for stmt in block:
                if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
                    continue  # a docstring
                for replacement, kind, prior, _ in _statement_edits(stmt, block, numpy_name):
                    after = _text(replacement) if not isinstance(replacement, list) else ""
                    add(index[id(stmt)], replacement, kind, prior, stmt.lineno, _segment(source, stmt), after, stmt)
            for a, b in pairwise(block):
                if isinstance(b, ast.Return) or isinstance(a, ast.Expr) and isinstance(a.value, ast.Constant):
                    continue
                swapped = _render_swap(fn, index[id(a)], index[id(b)])
                if swapped is not None and swapped not in seen:
                    seen.add(swapped)
                    edits.append(Edit(site, a.lineno, "swap", _segment(source, a), _segment(source, b), swapped, 2.5 - (id(a) in focus)))
    edits.extend(_consistent_swaps(site, nodes, index, scope, focus, seen))
    edits.extend(_strided_windows(site, nodes, index, scope, seen))
    edits.sort(key=lambda e: (e.prior, e.line))
    return edits


def _consistent_swaps(site: Site, nodes, index, scope: _Scope, focus: set[int], seen: set[str]) -> list[Edit]:
    """A name exchanged for another everywhere in one statement (``self.x * (1 - self.x)`` to ``self.out * (1 -
    self.out)``), and a loop index times the stride everywhere in it."""
    fn = site.node
    out: list[Edit] = []
    for stmt in [n for n in nodes if isinstance(n, ast.stmt) and n is not fn and not isinstance(n, (ast.For, ast.If, ast.While, ast.With))]:
        keys: dict[str, list[ast.AST]] = {}
        for sub in ast.walk(stmt):
            key = _key(sub)
            if key is not None:
                keys.setdefault(key, []).append(sub)
        for key, uses in keys.items():
            if len(uses) < 2 or key not in scope.locals + scope.loops_list() and key.removeprefix("self.") not in scope.attributes:
                continue
            others = [n for n in scope.locals if n != key] + [f"self.{a}" for a in scope.attributes if f"self.{a}" != key]
            replacements = [(o, "name", 1.5 if scope.confusable(key, o) else 2.5) for o in others]
            if key in scope.loops:
                replacements += [(f"{key} * {s}", "stride", 1.5) for s in scope.strides]
            for text, kind, prior in replacements:
                rendered = _render_all(fn, index, [(use, text) for use in uses], seen)
                if rendered is None:
                    continue
                bonus = -1.0 if id(stmt) in focus else 0.0
                out.append(Edit(site, stmt.lineno, kind, key, text, rendered, prior + bonus))
    return out


def _render_all(fn: ast.FunctionDef, index: dict[int, int], changes: list[tuple[ast.AST, str]], seen: set[str]) -> str | None:
    """The function's source with each node of ``changes`` replaced by the expression text beside it, or None
    when it does not render or was made before (the edits are kept without repeats)."""
    clone = copy.deepcopy(fn)
    cnodes = list(ast.walk(clone))
    for node, text in changes:
        _replace_in(clone, cnodes[index[id(node)]], _parse(text))
    try:
        rendered = ast.unparse(ast.fix_missing_locations(clone))
    except (ValueError, TypeError, AttributeError, RecursionError):
        return None
    if rendered in seen:
        return None
    seen.add(rendered)
    return rendered


def _strided_windows(site: Site, nodes, index, scope: _Scope, seen: set[str]) -> list[Edit]:
    """Loop indices times the stride wherever they index an array, in the whole function: a backward that walks
    the windows as if the stride were 1 (one or two indices, ``i`` and ``j``)."""
    if not scope.strides:
        return []
    fn = site.node
    uses: dict[str, list[ast.AST]] = {}
    for sub in nodes:
        if isinstance(sub, ast.Subscript):
            for holder in ast.walk(sub.slice):  # a window's bounds (i:i + HH) or an offset in it (i + a)
                if isinstance(holder, (ast.Slice, ast.BinOp)):
                    for inner in ast.iter_child_nodes(holder):
                        if isinstance(inner, ast.Name) and inner.id in scope.loops:
                            uses.setdefault(inner.id, []).append(inner)
    names = sorted(uses)
    groups = [(n,) for n in names] + [(a, b) for i, a in enumerate(names) for b in names[i + 1:]]
    out: list[Edit] = []
    for stride in scope.strides:
        for group in groups:
            rendered = _render_all(fn, index, [(use, f"{name} * {stride}") for name in group for use in uses[name]], seen)
            if rendered is None:
                continue
            line = min(u.lineno for name in group for u in uses[name])
            out.append(Edit(site, line, "stride", ", ".join(group), ", ".join(f"{n} * {stride}" for n in group), rendered, 0.5))
    return out
