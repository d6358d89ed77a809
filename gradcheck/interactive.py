"""``gradcheck.check(obj)``: check a class or function defined in a notebook or a session, with the same
conventions, sandbox and verdicts as ``gradcheck verify``.

An object that lives in a file is verified from that file.  One defined in a notebook cell has no file, so a
small module is written for it: the object's own source (from the cell, kept by the notebook in linecache),
then what it refers to by name in the notebook's namespace (modules as imports, objects of a module as
``from ... import``, functions and classes of the notebook by their source, plain constants by value).
"""

from __future__ import annotations

import ast
import inspect
import linecache
import sys
import tempfile
import types
from dataclasses import dataclass
from pathlib import Path

from .errors import GradcheckError
from .options import Options


class SourceNotFound(GradcheckError):
    """The object's source cannot be found (defined with exec, or in a closed session)."""


def _code_objects(obj) -> list[types.CodeType]:
    if isinstance(obj, type):
        funcs = [v for v in vars(obj).values() if isinstance(v, (types.FunctionType, staticmethod, classmethod, property))]
        out = []
        for f in funcs:
            f = getattr(f, "__func__", None) or getattr(f, "fget", None) or f
            if isinstance(f, types.FunctionType):
                out.append(f.__code__)
        return out
    code = getattr(obj, "__code__", None)
    return [code] if code is not None else []


def source_of(obj) -> str:
    """The source of a function or class, also where ``inspect`` cannot find it (a class in a notebook cell)."""
    for code in _code_objects(obj):
        lines = linecache.getlines(code.co_filename)
        if not lines:
            continue
        text = "".join(lines)
        try:
            tree = ast.parse(text)
        except SyntaxError:
            continue
        kinds = (ast.ClassDef,) if isinstance(obj, type) else (ast.FunctionDef, ast.AsyncFunctionDef)
        for node in ast.walk(tree):
            if isinstance(node, kinds) and node.name == obj.__name__ and node.lineno <= code.co_firstlineno <= node.end_lineno:
                start = min([d.lineno for d in node.decorator_list] + [node.lineno])
                return "".join(lines[start - 1:node.end_lineno])
    try:
        return inspect.getsource(obj)
    except (OSError, TypeError):
        from .report.messages import message

        raise SourceNotFound(message("notebook.no_source", "en", name=obj.__name__).removeprefix("%gradcheck: ")) from None


def _names_used(obj) -> set[str]:
    names: set[str] = set()
    stack = _code_objects(obj)
    while stack:
        code = stack.pop()
        names.update(code.co_names)
        stack.extend(c for c in code.co_consts if isinstance(c, types.CodeType))
    for base in getattr(obj, "__bases__", ()):
        names.add(base.__name__)
    return names


def module_source(obj, namespace: dict) -> str:
    """A module that defines ``obj`` and what it uses from ``namespace``, in an order that runs."""
    imports, definitions, seen = [], [], set()

    def add(o) -> None:
        for name in sorted(_names_used(o)):
            if name in seen or name not in namespace:
                continue
            seen.add(name)
            value = namespace[name]
            if isinstance(value, types.ModuleType):
                imports.append(f"import {value.__name__} as {name}" if value.__name__ != name else f"import {name}")
            elif isinstance(value, (bool, int, float, str, tuple)) and len(repr(value)) < 10_000:
                definitions.append(f"{name} = {value!r}\n")
            elif getattr(value, "__module__", None) in (None, "__main__") and isinstance(value, (type, types.FunctionType)):
                add(value)
                definitions.append(source_of(value))
            elif getattr(value, "__module__", None) and hasattr(value, "__name__"):
                imports.append(f"from {value.__module__} import {value.__name__} as {name}")

    seen.add(obj.__name__)
    add(obj)
    definitions.append(source_of(obj))
    return "\n".join(dict.fromkeys(imports)) + "\n\n" + "\n\n".join(definitions)


@dataclass
class Checked:
    """What ``check`` found: verify's report for the object, shown as text in a terminal and as a table in a
    notebook (with a heatmap of where a matrix gradient is wrong)."""

    name: str
    report: object  # verify.FileReport
    lang: str = "en"

    @property
    def passed(self) -> bool:
        return bool(self.report.passed)

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        from .report.render import render_files_text

        return render_files_text([self.report], self.lang)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        from .report.notebook_html import render_html

        return render_html(self.report, self.lang)


def check(obj, *, shapes: dict | None = None, init: dict | None = None, mode: str = "auto", seed: int = 0,
          timeout: float = 5.0, lang: str = "en", namespace: dict | None = None) -> Checked:
    """Check ``obj`` (a layer class, a function, an optimizer class) as ``gradcheck verify`` would check it
    in a file.  ``shapes`` ({"x": (4, 5)}) and ``init`` ({"W": (5, 3)}) are verify's --shape and --init."""
    from .verify import verify_file

    name = getattr(obj, "__name__", None)
    if name is None:
        obj, name = type(obj), type(obj).__name__  # an instance: check its class
    options = Options(seed=seed, mode=mode, timeout=timeout, targets=(name,),
                      shapes={k: tuple(v) for k, v in (shapes or {}).items()}, init=dict(init or {}))
    module = sys.modules.get(getattr(obj, "__module__", ""), None)
    path = getattr(module, "__file__", None)
    if path and Path(path).is_file() and obj.__module__ != "__main__":
        return Checked(name, verify_file(path, options), lang)
    namespace = namespace if namespace is not None else vars(module) if module is not None else {}
    text = module_source(obj, namespace)
    own = source_of(obj)
    offset = text.rfind(own)
    first = text.count("\n", 0, offset) if offset >= 0 else -1  # lines before the object's own source
    with tempfile.TemporaryDirectory(prefix="gradcheck-check-") as tmp:
        file = Path(tmp) / f"{name}.py"
        file.write_text(text, encoding="utf-8")
        options.run_dir = tmp
        report = verify_file(str(file), options)
    report.path = f"<{name}>"  # defined in the session, not in a file the learner has
    length = own.count("\n") + 1

    def shifted(line: int) -> int:  # a line of the object's own definition, counted from its first line
        return line - first if first >= 0 and 0 < line - first <= length else 0

    for r in report.results:
        r.path, r.line = report.path, shifted(r.line)
        for c in r.checks:
            c.diagnoses, c.notes = [_relined(n, shifted) for n in c.diagnoses], [_relined(n, shifted) for n in c.notes]
        r.notes = [_relined(n, shifted) for n in r.notes]
    return Checked(name, report, lang)


def _relined(note, shifted):
    """``note`` with every "line N of ..." inside it counted in the object's own definition, as the learner
    sees it in the cell, not in the module written for it."""
    from .report.model import Note

    params = {k: _relined(v, shifted) if isinstance(v, Note) else v for k, v in note.params.items()}
    if note.key == "fix.at" and isinstance(params.get("line"), int) and shifted(params["line"]):
        params["line"] = shifted(params["line"])
    return Note(note.key, params)
