"""Putting an edited copy of one of the learner's functions in place of the original, and back.

The search for a fix (``gradcheck.feedback``) asks for this in the confined child (``Worker``), and the
testing kit in the author's own process: the edited source is compiled at the function's own line in its
module's namespace, so it sees what the original saw and a traceback points into the learner's file.
"""

from __future__ import annotations


class Patches:
    """The functions of ``module`` replaced so far, to be put back by ``restore``."""

    def __init__(self, module):
        self.module = module
        self.originals: dict[tuple[str, str], object] = {}

    def patch(self, owner: str, name: str, source: str, line: int) -> None:
        """Replace ``name`` (a method of class ``owner``, or a module function when ``owner`` is empty) by the
        function defined in ``source``."""
        holder = getattr(self.module, owner) if owner else self.module
        self.originals.setdefault((owner, name), vars(holder)[name])
        scope: dict = {}
        code = compile("\n" * max(line - 1, 0) + source, getattr(self.module, "__file__", None) or "<learner>", "exec")
        exec(code, vars(self.module), scope)  # the learner's own code with one edit, where their code runs
        setattr(holder, name, scope[name])

    def restore(self) -> None:
        """Every replaced function back as the file defines it."""
        for (owner, name), original in self.originals.items():
            setattr(getattr(self.module, owner) if owner else self.module, name, original)
        self.originals.clear()
