"""Keep gradcheck's own lines, and those of the libraries it calls, out of a line tracer that is running around
an assertion (Hypothesis's "Explanation: these lines were always and only run by failing examples" traces
every file that is not Hypothesis's own): the engine's branches differ between a failing and a passing
example by design, and listing them hid the one line of the author's code that mattered.  The author's
forward and backward, called from inside the engine, are still traced."""

from __future__ import annotations

import contextlib
import functools
import os
import sys
import sysconfig
from collections.abc import Iterator

_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
_LIBRARIES = tuple({os.path.realpath(sysconfig.get_path(k)) + os.sep for k in ("stdlib", "platstdlib", "purelib", "platlib")})


@functools.lru_cache(maxsize=4096)
def _ours(filename: str) -> bool:
    """gradcheck's files, and the standard library's and installed packages' (numpy's, say)."""
    return filename.startswith(_PACKAGE) or os.path.realpath(filename).startswith(_LIBRARIES)


@contextlib.contextmanager
def engine_untraced() -> Iterator[None]:
    """While it is open, frames of those files are not traced by a ``sys.settrace`` tracer, and their lines
    are disabled for any ``sys.monitoring`` tool with a line callback; nothing changes without a tracer."""
    with contextlib.ExitStack() as stack:
        tracer = sys.gettrace()
        if tracer is not None:
            sys.settrace(lambda frame, event, arg: None if _ours(frame.f_code.co_filename) else tracer(frame, event, arg))
            stack.callback(sys.settrace, tracer)
        monitoring = getattr(sys, "monitoring", None)
        if monitoring is not None:
            for tool in range(6):
                callback = monitoring.register_callback(tool, monitoring.events.LINE, None)
                if callback is None:
                    continue
                monitoring.register_callback(tool, monitoring.events.LINE, _skipping_ours(callback, monitoring.DISABLE))
                stack.callback(monitoring.register_callback, tool, monitoring.events.LINE, callback)
        yield


def _skipping_ours(callback, disable):
    def line(code, line_number):
        return disable if _ours(code.co_filename) else callback(code, line_number)

    return line
