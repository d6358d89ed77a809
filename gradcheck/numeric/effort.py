"""How much a check explains: everything (the default), or the verdict alone.

The search for a fix (``gradcheck.feedback``) runs a target's checks once per edit and needs only pass or
fail; locating the wrong element and naming candidate mistakes would cost it most of its time.  A context
variable, so the choice reaches the checks without a parameter on every function between.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

_VERDICT_ONLY = contextvars.ContextVar("gradcheck_verdict_only", default=False)


def explaining() -> bool:
    """Whether checks should explain a failure (locate it, name a mistake) rather than only decide it."""
    return not _VERDICT_ONLY.get()


@contextlib.contextmanager
def verdict_only() -> Iterator[None]:
    """Within this block, checks decide pass or fail and explain nothing."""
    token = _VERDICT_ONLY.set(True)
    try:
        yield
    finally:
        _VERDICT_ONLY.reset(token)
