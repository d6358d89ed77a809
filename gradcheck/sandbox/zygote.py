"""The zygote: a fresh interpreter (started by exec, so it holds none of the grader's memory, descriptors or
objects) that has imported only NumPy, the worker and the adapters, and forks one confined child per request.

Each child is forked through a short-lived intermediate process that first enters new PID and network
namespaces, so the child is the first process of its own PID namespace (every process it starts dies with
it) and, once the intermediate exits, a child of the grader process, which is a subreaper and can wait for it.
The grader sends the child's two pipe ends over a Unix socket; nothing but JSON travels back.
"""

from __future__ import annotations

import json
import os
import socket
import sys

import numpy  # noqa: F401 - imported once here, so every child starts with it loaded

from ..conventions.adapters import ADAPTERS
from . import cgroup, protocol
from .worker import confine, enter_namespaces, serve

#: Processes one submission may have at once (its own, every helper it forks, their threads).
MAX_PROCESSES = 64


#: Cgroup sets not lent to any child now, by memory limit; and every set made, with its memory limit.
_FREE: dict[int | None, list[list[str]]] = {}
_MADE: dict[tuple[str, ...], int | None] = {}


def _lend(memory_mb: int | None) -> list[str]:
    free = _FREE.setdefault(memory_mb, [])
    if free:
        return free.pop()
    groups = cgroup.create(memory_mb, MAX_PROCESSES, str(len(_MADE)))
    if groups:
        _MADE[tuple(groups)] = memory_mb
    return groups


#: Memory a set may still hold charged when it is lent again (page cache of files the child read); above it
#: the set is retired, so what one submission leaves behind never counts against the next.
LEFTOVER_BYTES = 64 * 1024 * 1024


def _take_back(groups: list[str]) -> None:
    key = tuple(groups)
    if key not in _MADE or groups in _FREE.setdefault(_MADE[key], []):
        return
    processes, charged = cgroup.leftover(groups)
    if processes or charged > LEFTOVER_BYTES:
        del _MADE[key]
        cgroup.remove(groups, patience=0.5)
        return
    _FREE[_MADE[key]].append(groups)


def _spawn(sock: socket.socket, request: dict, fds: list[int]) -> dict:
    req_r, rep_w = fds
    groups = _lend(request["memory_mb"])
    report_r, report_w = os.pipe()
    intermediate = os.fork()
    if intermediate == 0:  # pragma: no cover - the intermediate, then the child
        code = 0
        try:
            os.close(report_r)
            namespaces = enter_namespaces()
            namespaces += ["cgroup"] * cgroup.join(groups)
            child = os.fork()
            if child == 0:
                sock.close()
                os.close(report_w)
                _run_child(request, req_r, rep_w, namespaces)
            os.write(report_w, json.dumps({"pid": child, "namespaces": namespaces, "cgroups": groups}).encode())
        except BaseException:
            code = 70
        finally:
            os._exit(code)
    os.close(report_w)
    os.close(req_r)
    os.close(rep_w)
    os.waitpid(intermediate, 0)  # once it has exited, the child belongs to the grader (the subreaper)
    with os.fdopen(report_r, "rb") as fh:
        raw = fh.read()
    return json.loads(raw) if raw else {"error": "the child could not be started"}


def _run_child(request: dict, req_r: int, rep_w: int, namespaces: list[str]) -> None:  # pragma: no cover
    code = 0
    try:
        os.closerange(3, min(req_r, rep_w))
        os.closerange(min(req_r, rep_w) + 1, max(req_r, rep_w))
        os.closerange(max(req_r, rep_w) + 1, 65536)
        filesystem = confine(request["workdir"], request["output"], request["memory_mb"], request["cpu_seconds"], request["program"],
                             request.get("events"))
        isolation = "+".join([filesystem] * (filesystem != "none") + namespaces) or "none"
        serve(request["program"], req_r, rep_w, ADAPTERS, isolation)
    except BaseException:
        code = 70
    finally:
        os._exit(code)


def _warm_up() -> None:
    """Run once what every child would otherwise import or set up lazily for itself (NumPy's ufunc and
    reduction machinery, the random module, source inspection), so that each child starts warm."""
    import inspect
    import linecache  # noqa: F401 - used by inspect.getsource and tracebacks in the child
    import traceback  # noqa: F401

    x = numpy.random.default_rng(0).standard_normal((3, 4))
    numpy.random.seed(0)
    numpy.random.rand(3, 4)
    numpy.random.randn(3, 4)
    y = numpy.maximum(x @ x.T, 0).sum(axis=0, keepdims=True) + numpy.exp(x).mean() + numpy.tanh(x).max()
    numpy.pad(x, ((0, 0), (1, 1)), mode="constant")
    numpy.add.at(numpy.zeros(4), numpy.array([0, 1]), 1.0)
    numpy.array_equal(x, x.copy()), numpy.allclose(y, y), numpy.argmax(x, axis=1), numpy.unravel_index(3, (3, 4))
    numpy.array2string(x), numpy.einsum("ij->i", x), x.astype(numpy.float32).var(axis=0)
    inspect.getsource(_warm_up)


def main(fd: int) -> None:
    """Serve requests on the socket ``fd`` until the grader closes it: "spawn" a child (answered with its pid),
    or "release" the cgroups of a child that has ended (no answer)."""
    sys.path[:] = [p for p in sys.path if p not in ("", os.getcwd())]
    _warm_up()
    sock = socket.socket(fileno=fd)
    try:
        while True:
            try:
                marker, fds, _, _ = socket.recv_fds(sock, 1, 2)  # one byte, with the child's pipe ends if any
                if not marker:
                    return
                request, _ = protocol.receive(fd)
            except (protocol.ChannelClosed, OSError, ValueError):
                return
            if request.get("op") == "release":
                _take_back(request.get("cgroups", []))
            else:
                protocol.send(fd, _spawn(sock, request, fds))
    finally:
        for groups in _MADE:
            cgroup.remove(list(groups), patience=1.0)
