"""Running one function in a forked child under wall-clock, CPU and memory limits.

The child sends back only JSON; the parent never unpickles anything.  Used for
symbolic work whose cost no static check can bound (simplification), and as the
primitive under the learner-code sandbox.
"""

from __future__ import annotations

import faulthandler
import json
import os
import resource
import select
import signal
import time
from dataclasses import dataclass
from typing import Any, Callable


@dataclass(frozen=True)
class Outcome:
    """What became of a limited call: status "ok", "error", "timeout", "memory" or "crash"."""

    status: str
    value: Any = None
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def _mapped_bytes() -> int:
    """The address space this process maps now (a parent that imported PyTorch or JAX maps gigabytes it
    never touches; a limit must come on top of that, not include it)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _child(fn, args, write_fd: int, cpu_seconds: int, memory_mb: int | None) -> None:
    faulthandler.disable()  # a crash is reported by its signal; a forked dump would show the parent's frames
    try:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
        if memory_mb:
            limit = _mapped_bytes() + memory_mb * 1024 * 1024  # on top of what the forked process already maps
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        try:
            payload = {"status": "ok", "value": fn(*args)}
        except MemoryError:
            payload = {"status": "memory"}
        except BaseException as exc:  # the child reports everything and exits
            payload = {"status": "error", "detail": f"{type(exc).__name__}: {exc}"}
        try:
            data = json.dumps(payload).encode()
        except (TypeError, ValueError) as exc:
            data = json.dumps({"status": "error", "detail": f"unserialisable result: {exc}"}).encode()
        view = memoryview(data)
        while view:
            view = view[os.write(write_fd, view) :]
    finally:
        os._exit(0)


def run_limited(
    fn: Callable[..., Any], *args, timeout: float = 5.0, memory_mb: int | None = 2048
) -> Outcome:
    """Call ``fn(*args)`` in a forked child; its return value must be JSON-serialisable."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        os.close(read_fd)
        _child(fn, args, write_fd, max(1, int(timeout) + 1), memory_mb)
    os.close(write_fd)
    chunks, deadline, timed_out = [], time.monotonic() + timeout, False
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                timed_out = True
                break
            ready, _, _ = select.select([read_fd], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(read_fd, 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(read_fd)
        if timed_out:
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    if timed_out:
        return Outcome("timeout", detail=f"{timeout:g}")
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        return Outcome("timeout" if sig == signal.SIGXCPU else "crash", detail=signal.Signals(sig).name)
    try:
        payload = json.loads(b"".join(chunks).decode())
    except ValueError:
        return Outcome("crash", detail="no result")
    return Outcome(payload.get("status", "crash"), payload.get("value"), payload.get("detail", ""))
