"""Putting an edited copy of one of the learner's functions in place of the original, and back.

The search for a fix (``gradcheck.feedback``) asks for this in the confined child (``Worker``), and the
testing kit in the author's own process: the edited source is compiled at the function's own line in its
module's namespace, so it sees what the original saw and a traceback points into the learner's file.
"""

from __future__ import annotations

import io
import sys


class _Discard(io.TextIOBase):
    """A text stream that keeps nothing."""

    def write(self, text: str) -> int:
        return len(text)


class Patches:
    """The functions of ``module`` (or of another module of the learner's program) replaced so far, to be
    put back by ``restore``."""

    def __init__(self, module):
        self.module = module
        self.originals: dict[tuple[object, str, str], object] = {}
        self._streams: tuple | None = None

    def _module(self, name: str):
        if not name:
            return self.module
        module = sys.modules.get(name)
        if module is None or name.split(".")[0] in ("gradcheck", "numpy", "builtins", "sys", "os"):
            raise LookupError(f"no module {name!r} of the learner's to patch")
        return module

    def patch(self, owner: str, name: str, source: str, line: int, module_name: str = "") -> None:
        """Replace ``name`` (a method of class ``owner``, or a module function when ``owner`` is empty) by the
        function defined in ``source``, in the file's module or the module ``module_name`` (a layer file the
        checked file imports)."""
        module = self._module(module_name)
        if self._streams is None:  # what an edited copy prints (a warning it causes) is not the learner's output
            self._streams = (sys.stdout, sys.stderr)
            sys.stdout, sys.stderr = _Discard(), _Discard()
        holder = getattr(module, owner) if owner else module
        self.originals.setdefault((module, owner, name), vars(holder)[name])
        scope: dict = {}
        code = compile("\n" * max(line - 1, 0) + source, getattr(module, "__file__", None) or "<learner>", "exec")
        exec(code, vars(module), scope)  # the learner's own code with one edit, where their code runs
        setattr(holder, name, scope[name])

    def restore(self) -> None:
        """Every replaced function back as the file defines it."""
        for (module, owner, name), original in self.originals.items():
            setattr(getattr(module, owner) if owner else module, name, original)
        self.originals.clear()
        if self._streams is not None:
            sys.stdout, sys.stderr = self._streams
            self._streams = None
