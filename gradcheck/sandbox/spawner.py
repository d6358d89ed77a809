"""The grader's side of the zygote: start it once per process, ask it for a confined child, get the child's pid.

The zygote is started by exec with a scrubbed environment and no inherited descriptor but its socket, so no
grader object, answer key, pool pipe or secret is in the memory a learner's child is forked from.  This
process becomes a subreaper, so the children the zygote forks (through an intermediate that exits) are
ours to wait for and kill.
"""

from __future__ import annotations

import atexit
import ctypes
import os
import socket
import subprocess
import sys
import time

from ..errors import GradcheckError
from . import protocol

_BOOT = "import sys; from gradcheck.sandbox.zygote import main; main(int(sys.argv[1]))"
_PR_SET_CHILD_SUBREAPER = 36
#: Environment variables the zygote (and so every child) keeps: the locale, and the numeric libraries' settings.
_KEEP = ("PATH", "LANG", "LC_ALL", "TZ")
_KEEP_PREFIXES = ("OPENBLAS_", "OMP_", "MKL_")


class ZygoteError(GradcheckError):
    """The zygote could not be started or stopped answering."""


class Zygote:
    """One zygote process and the socket to it."""

    def __init__(self) -> None:
        ours, theirs = socket.socketpair()
        package_parent = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        env = {k: v for k, v in os.environ.items() if k in _KEEP or k.startswith(_KEEP_PREFIXES)}
        env["PYTHONPATH"] = package_parent
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        for threads in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            # before NumPy loads its BLAS: a child's limit counts processor time, which idle-spinning BLAS
            # threads would spend for nothing (and a class is graded in parallel processes anyway)
            env.setdefault(threads, "1")
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-c", _BOOT, str(theirs.fileno())], pass_fds=[theirs.fileno()], env=env, cwd="/",
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
        except OSError as exc:
            raise ZygoteError(f"the sandbox could not be started: {exc}") from exc
        finally:
            theirs.close()
        self.sock = ours
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
        except (OSError, AttributeError):
            pass

    def alive(self) -> bool:
        return self.process.poll() is None

    def spawn(self, fds: tuple[int, int], request: dict) -> dict:
        """A confined child reading requests from ``fds[0]`` and replying on ``fds[1]``: {"pid", "namespaces"}."""
        try:
            socket.send_fds(self.sock, [b"S"], list(fds))
            protocol.send(self.sock.fileno(), request)
            reply, _ = protocol.receive(self.sock.fileno(), time.monotonic() + 30)
        except (OSError, ValueError, protocol.ChannelClosed, protocol.ChannelTimeout) as exc:
            raise ZygoteError(f"the sandbox stopped answering: {exc}") from exc
        if "pid" not in reply:
            raise ZygoteError(reply.get("error", "the sandbox could not start a child"))
        return reply

    def release(self, cgroups: list[str]) -> None:
        """The child that had ``cgroups`` has ended: the zygote may lend them to the next one."""
        if not cgroups:
            return
        try:
            socket.send_fds(self.sock, [b"R"], [])
            protocol.send(self.sock.fileno(), {"op": "release", "cgroups": cgroups})
        except OSError:
            pass  # a zygote that has gone makes new cgroups with its successor


_ZYGOTES: dict[int, Zygote] = {}


@atexit.register
def _stop() -> None:
    """Close this process's zygote: it exits when its socket closes (and removes the cgroups it made)."""
    current = _ZYGOTES.pop(os.getpid(), None)
    if current is not None:
        current.sock.close()
        try:
            current.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            current.process.kill()
            current.process.wait()


def zygote() -> Zygote:
    """This process's zygote, started on first use (a forked worker process gets one of its own)."""
    current = _ZYGOTES.get(os.getpid())
    if current is None or not current.alive():
        current = _ZYGOTES[os.getpid()] = Zygote()
    return current
