"""The search for a fix on one node of a network: the learner's layer class or layer function, edited in the
file that defines it (``common/layers.py``, ``cs231n/layers.py``) and judged by that node's own check on the
values the network gave it; one node is cheap to check, unlike the whole network."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..conventions.base import Target
from ..options import Options
from ..report.model import CheckResult
from ..sandbox.runner import LearnerFault
from .search import attach, find_fix, fix_notes


class _InModule:
    """A session whose patches land in ``module`` (the node's own file), not in the checked file."""

    def __init__(self, session, module: str):
        self._session, self._module = session, module
        self.limits = session.limits

    def patch(self, owner: str, name: str, source: str, line: int) -> None:
        self._session.patch(owner, name, source, line, module=self._module)

    def restore(self) -> None:
        self._session.restore()


def explain_node(session, module: str, names: tuple[str, ...], title: str, options: Options, result: CheckResult,
                 recheck: Callable[[Options], CheckResult | None]) -> None:
    """Search the node's own code for the edit that makes its check pass; put it in the node's result."""
    if options.diagnosis == "none" or options.fix_budget <= 0 or not module:
        return
    try:
        raw = session.run_adapter("module_source", module, {})
    except LearnerFault:
        return
    if not isinstance(raw, np.ndarray) or raw.dtype != np.uint8 or not raw.size:
        return
    source = raw.tobytes().decode("utf-8", errors="replace")
    target = Target(names[0], "network_node", title, names, {})

    def check(_session, _target, opts: Options) -> list[CheckResult]:
        rerun = recheck(opts)
        return [rerun] if rerun is not None else []

    try:
        fix = find_fix(_InModule(session, module), target, options, source, [result], check, options.fix_budget)
    except LearnerFault:
        return
    if fix is not None:
        attach([result], fix_notes(fix, options.diagnosis), fix.in_forward)

