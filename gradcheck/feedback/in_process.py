"""The search for a fix in the author's own process, for the testing kit: a layer class defined in a file of
the author's test suite is edited in place, checked with the same engine, and restored.  No sandbox: the code
is the author's own, run by their own pytest.  A function with a ``while`` loop is not edited here, since an
edit could keep it looping and nothing would stop it."""

from __future__ import annotations

import ast
import inspect
import sys
from dataclasses import dataclass

from ..conventions.base import Target
from ..options import Options
from ..report.model import CheckResult
from ..sandbox.patching import Patches
from ..sandbox.runner import LearnerFault
from .search import attach, find_fix, fix_notes


@dataclass
class _Limits:
    timeout: float = 5.0


class LocalPatches:
    """``Session``'s patch interface over the author's own module."""

    def __init__(self, module):
        self.patches = Patches(module)
        self.limits = _Limits()

    def patch(self, owner: str, name: str, source: str, line: int) -> None:
        try:
            self.patches.patch(owner, name, source, line)
        except Exception as exc:  # an edit that does not compile or bind here is simply not a fix
            raise LearnerFault("error", f"{type(exc).__name__}: {exc}") from exc

    def restore(self) -> None:
        self.patches.restore()


def _source_of(cls: type) -> tuple[object, str] | None:
    module = sys.modules.get(getattr(cls, "__module__", ""))
    if module is None:
        return None
    try:
        source = inspect.getsource(module)
    except (OSError, TypeError):
        return None
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError):
        return None
    node = next((n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls.__name__), None)
    if node is None or any(isinstance(sub, ast.While) for sub in ast.walk(node)):
        return None
    return module, source


def _a_hypothesis_draft() -> bool:
    """Inside a Hypothesis test, every example but the final, reported one is a draft: searching each would make
    a property test of a buggy layer pay the search hundreds of times."""
    control = sys.modules.get("hypothesis.control")
    if control is None:
        return False
    try:
        return bool(control.currently_in_test_context()) and not control.current_build_context().is_final
    except Exception:  # another Hypothesis than the one this was written for: search as outside it
        return False


def explain_in_process(layer, result: CheckResult, rerun, options: Options, level: str = "fix") -> None:
    """Search the layer's class (in its own file) for the edit that makes ``result`` pass; ``rerun(options)``
    checks the layer again.  The fix, if one is found, replaces the result's other diagnoses."""
    if layer is None or result.passed or _a_hypothesis_draft():
        return
    found = _source_of(type(layer))
    if found is None:
        return
    module, source = found
    target = Target(type(layer).__name__, "kit")
    fix = find_fix(LocalPatches(module), target, options, source, [result], lambda _s, _t, o: [rerun(o)])
    if fix is not None:
        attach([result], fix_notes(fix, level), fix.in_forward)
