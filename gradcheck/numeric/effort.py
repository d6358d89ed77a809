"""How much a check explains: everything (the default), or the verdict alone, perhaps only until it is decided.

The search for a fix (``gradcheck.feedback``) runs a target's checks once per edit and needs only pass or
fail; locating the wrong element and naming candidate mistakes would cost it most of its time.  A context
variable, so the choice reaches the checks without a parameter on every function between.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterator

_VERDICT_ONLY = contextvars.ContextVar("gradcheck_verdict_only", default=False)
_STOP_RULE: contextvars.ContextVar[Callable[[object], bool] | None] = contextvars.ContextVar("gradcheck_stop_rule", default=None)


class Stopped(BaseException):
    """A check was cut short: its first result already decided what the caller wanted to know (a BaseException,
    so no ``except Exception`` on the way swallows it)."""


def decided(result) -> None:
    """Called with each layer check's result: raises ``Stopped`` where the stop rule in force says the rest of
    the run cannot change the caller's answer (an edit that leaves a failing case no better is no fix)."""
    rule = _STOP_RULE.get()
    if rule is not None and rule(result):
        raise Stopped()


def explaining() -> bool:
    """Whether checks should explain a failure (locate it, name a mistake) rather than only decide it."""
    return not _VERDICT_ONLY.get()


@contextlib.contextmanager
def verdict_only(stop_rule: Callable[[object], bool] | None = None) -> Iterator[None]:
    """Within this block, checks decide pass or fail and explain nothing; ``stop_rule(result)`` true stops a
    run at that result (``Stopped``)."""
    token = _VERDICT_ONLY.set(True)
    rule = _STOP_RULE.set(stop_rule)
    try:
        yield
    finally:
        _STOP_RULE.reset(rule)
        _VERDICT_ONLY.reset(token)
