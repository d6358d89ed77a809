"""The parent side of the sandbox: fork a confined child per file, talk to it, survive whatever it does.

The parent has NumPy imported already, so a fork costs milliseconds (the "warm
worker" is the parent itself).  Each request has a wall-clock deadline; a child
that overruns it, crashes, exits or closes its channel is killed and reported as
a ``LearnerFault``, and ``restart`` gives the next target a fresh child.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import tempfile
import time
from dataclasses import dataclass

import numpy as np

from ..errors import GradcheckError
from ..report.model import Note
from . import protocol
from .hints import division_note, forbidden_note, local_folder, missing_module_note, network_note, numpy2_hint
from .program import program_from_source
from .untrusted import cleaned, printable
from .spawner import zygote


_UNBUILT = re.compile(r"name '(\w+_cython)' is not defined")


class LearnerFault(GradcheckError):
    """The learner's code failed: kind is "error", "timeout", "crash", "exit", "syntax", "load" or
    "missing_module"; "unrecognised" means the code does not follow the convention it was taken for."""

    def __init__(self, kind: str, detail: str = "", module: str = "", local: str = "", script_dir: str = ""):
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind
        self.detail = detail
        self.module = module
        self.local, self.script_dir = local, script_dir  # a missing module that is a folder of the learner's

    def note(self, where: str = "") -> Note:
        """The report's sentence for this failure."""
        if self.kind == "missing_module":
            return missing_module_note(self.module, where, self.local, self.script_dir)
        forbidden = forbidden_note(self.detail, where)
        if forbidden is not None:
            return forbidden
        offline = network_note(self.detail, where) if self.kind in ("load", "raised") else None
        if offline is not None:
            return offline
        hint = numpy2_hint(self.detail)
        if hint is not None:
            return Note("fault.numpy2", {"where": where, "detail": self.detail, "fix": hint})
        division = division_note(self.detail, where)
        if division is not None:
            return division
        unbuilt = _UNBUILT.search(self.detail) if self.kind == "error" else None
        if unbuilt:  # cs231n's fast_layers imports its Cython module in a try and fails only when called
            return Note("fault.extension_missing", {"where": where, "module": unbuilt.group(1)})
        if self.kind == "error" and self.detail.startswith("NotImplementedError"):  # the template's placeholder
            return Note("fault.not_implemented", {"where": where})
        if self.kind == "error" and self.detail.startswith("AssertionError"):  # the code's own precondition
            return Note("fault.precondition", {"where": where, "detail": self.detail})
        return Note(f"fault.{self.kind}", {"where": where, "detail": self.detail})


#: The clock's backstop for a request: this many times its processor-time limit, plus these seconds (a machine
#: shared with other work runs the child at a fraction of a core; code that sleeps uses no processor at all).
WALL_FACTOR, WALL_SLACK = 6.0, 10.0


def _child_seed(seed: int | None) -> int | None:
    """The seed NumPy's global generator gets in the child: derived from the run's seed, never the seed itself,
    so a submission that reads its random state learns nothing about grading's hidden seed."""
    if seed is None:
        return None
    return int.from_bytes(hashlib.blake2b(f"gradcheck-reseed:{seed}".encode(), digest_size=4).digest(), "big")


@dataclass
class Limits:
    """Per-request wall-clock seconds, address-space megabytes and per-child CPU seconds."""

    timeout: float = 5.0
    memory_mb: int | None = 4096
    cpu_seconds: int = 120
    budget: float | None = None  # wall-clock seconds for the whole file, every check and restart (grading)


class Session:
    """One confined child running one learner file."""

    def __init__(self, source: str | None, filename: str, limits: Limits | None = None, program: dict | None = None):
        self.program = program or program_from_source(source or "", filename)
        self.filename = filename
        self.isolation = "none"
        self.cgroups: list[str] = []
        self.limits = limits or Limits()
        self.workdir = tempfile.mkdtemp(prefix="gradcheck-")
        self.output_path = os.path.join(self.workdir, ".output")
        # beside the child's folder, not in it: the child writes it through a descriptor opened before confinement
        handle, self.events_path = tempfile.mkstemp(prefix="gradcheck-events-")
        os.close(handle)
        self.refused: list[str] = []  # what the sandbox refused the learner's code, as "read PATH" lines
        self.pid: int | None = None
        self.to_child = self.from_child = -1
        self.next_handle = 0
        self.restarts = 0
        self.started = time.monotonic()
        self.forward_in_backward = 0  # calls of the learner's forward made from inside its backward

    # -- life cycle -------------------------------------------------------------------------
    def start(self) -> None:
        """Fork the child and wait for it to load the file; raises LearnerFault("load", ...) on failure."""
        req_r, req_w = os.pipe()
        rep_r, rep_w = os.pipe()
        # a notebook's code goes to the child alone, never through the zygote: a child forked later must not
        # find a classmate's code in the memory it inherits
        program = dict(self.program, source=None, source_follows=self.program.get("source") is not None)
        request = {"workdir": self.workdir, "output": self.output_path, "events": self.events_path,
                   "memory_mb": self.limits.memory_mb,
                   "cpu_seconds": self.limits.cpu_seconds, "program": program}
        try:
            spawned = zygote().spawn((req_r, rep_w), request)
        finally:
            os.close(req_r)
            os.close(rep_w)
        self.pid, self.to_child, self.from_child = spawned["pid"], req_w, rep_r
        if program["source_follows"]:
            text = self.program["source"].encode("utf-8", errors="replace")
            try:
                protocol.send(req_w, {"op": "source"}, np.frombuffer(text, dtype=np.uint8).copy())
            except OSError:  # the child ended before reading it: its reply below says how
                pass
        self.cgroups = spawned.get("cgroups", [])
        header, _ = self._reply(self.limits.timeout * WALL_FACTOR + WALL_SLACK)
        self.isolation = header.get("isolation", "none")
        if header.get("status") != "ok":
            kind = header.get("kind", "raised")
            self._kill()
            kind = kind if kind in ("syntax", "missing_module") else "load"
            module = printable(str(header.get("module", "")), 200)
            filename = (self.program or {}).get("filename", "")
            local = local_folder(module, filename) if kind == "missing_module" and filename else ""
            raise LearnerFault(kind, printable(str(header.get("detail", "")), 2000), module, local,
                               os.path.dirname(filename) if local else "")
        self.isolation = header.get("isolation", "none")

    def restart(self) -> None:
        """A fresh child for the next target, after a fault killed the last one."""
        self._kill()
        self.restarts += 1
        self.start()

    def close(self) -> str:
        """Stop the child, remove its directory, and return everything it printed."""
        if self.pid is not None:
            try:
                protocol.send(self.to_child, {"op": "exit"})
            except OSError:
                pass
        self._kill()
        try:
            with open(self.output_path, "rb") as fh:
                output = printable(fh.read(200_000).decode("utf-8", errors="replace"))
        except OSError:
            output = ""
        shutil.rmtree(self.workdir, ignore_errors=True)
        self.refused = self._refusals()
        return output

    def _refusals(self) -> list[str]:
        """The refused accesses the children of this session recorded (read, list or write, and the path)."""
        try:
            with open(self.events_path, "rb") as fh:
                raw = fh.read(64_000).decode("utf-8", errors="replace")
            os.unlink(self.events_path)
        except OSError:
            return self.refused
        lines = [printable(line, 500) for line in raw.splitlines() if line.split(" ", 1)[0] in ("read", "list", "write")]
        return list(dict.fromkeys(self.refused + lines))

    def _kill(self) -> None:
        if self.pid is None:
            return
        for fd in (self.to_child, self.from_child):
            try:
                os.close(fd)
            except OSError:
                pass
        self._signal_all(signal.SIGKILL)
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass
        self._ended()

    def _ended(self) -> None:
        """The child has been reaped: its process tree is gone (its PID namespace with it), so are its cgroups."""
        self.pid = None
        zygote().release(self.cgroups)
        self.cgroups = []

    def _signal_all(self, sig: int) -> None:
        """Signal the child's whole process group (it is a session leader), or the child alone."""
        try:
            os.killpg(self.pid, sig)
        except (ProcessLookupError, PermissionError):
            try:
                os.kill(self.pid, sig)
            except ProcessLookupError:
                pass

    # -- requests ---------------------------------------------------------------------------
    def _reply(self, timeout: float):
        try:
            return protocol.receive(self.from_child, time.monotonic() + timeout)
        except protocol.ChannelTimeout:
            self._kill()
            raise LearnerFault("timeout", f"{timeout:g}") from None
        except (protocol.ChannelClosed, OSError, ValueError):
            raise self._death() from None

    def _death(self) -> LearnerFault:
        """The child's end, once it has ended: a child that broke the channel but lives on is killed (after a
        moment to exit by itself), so a malformed reply followed by a sleep cannot hang the grader."""
        status, deadline = 0, time.monotonic() + 1.0
        try:
            while True:
                done, status = os.waitpid(self.pid, os.WNOHANG)
                if done:
                    break
                if time.monotonic() > deadline:
                    self._signal_all(signal.SIGKILL)
                    _, status = os.waitpid(self.pid, 0)
                    break
                time.sleep(0.01)
        except ChildProcessError:
            pass
        for fd in (self.to_child, self.from_child):
            try:
                os.close(fd)
            except OSError:
                pass
        self._ended()
        if os.WIFSIGNALED(status):
            sig = signal.Signals(os.WTERMSIG(status)).name
            return LearnerFault("timeout" if sig == "SIGXCPU" else "crash", sig)
        return LearnerFault("exit", str(os.WEXITSTATUS(status)) if os.WIFEXITED(status) else "")

    # -- the typed interface: the wire protocol stays in this package ---------------------------
    def _alive(self) -> None:
        """A fresh child where a fault ended the last one (new objects only: old handles died with it)."""
        if self.pid is None:
            self.restart()

    def catalogue(self) -> list[dict]:
        """What the learner's file defines (see ``worker.catalogue``)."""
        self._alive()
        return self.request({"op": "catalogue"})

    def create(self, name: str, args=(), kwargs: dict | None = None, reseed: int | None = None) -> tuple[int, dict]:
        """Build the learner's class ``name``; returns (handle, its float arrays and gradient names)."""
        self._alive()
        handle = self.handle()
        attrs = self.request({"op": "new", "name": name, "handle": handle, "reseed": _child_seed(reseed)},
                             {"args": list(args), "kwargs": dict(kwargs or {})})
        return handle, attrs or {}

    def adapt(self, convention: str, name: str, spec, reseed: int | None = None) -> tuple[int, dict]:
        """Wrap the learner's ``name`` in one of our adapters (a cs231n pair, a loss, a network, ...)."""
        self._alive()
        handle = self.handle()
        attrs = self.request({"op": "adapt", "convention": convention, "name": name, "handle": handle, "reseed": _child_seed(reseed)}, spec)
        return handle, attrs or {}

    def call_method(self, handle: int, method: str, args, kwargs: dict, sets: dict, reseed: int | None, grads: bool) -> dict:
        """Call ``method`` of a created object after applying ``sets`` (changed parameter elements)."""
        header = {"op": "call", "handle": handle, "method": method, "reseed": _child_seed(reseed), "grads": grads}
        reply = self.request(header, {"args": list(args), "kwargs": kwargs, "sets": sets})
        if isinstance(reply, dict) and isinstance(reply.get("forward_calls"), int):
            self.forward_in_backward += reply["forward_calls"]
        return reply

    def forward_many(self, handle: int, reseed: int | None, payload: dict):
        """Forward once per element change; the outputs stacked (see ``worker.Worker.forward_many``)."""
        calls = max(1, len(payload.get("index", ())))
        return self.request({"op": "forward_many", "handle": handle, "reseed": _child_seed(reseed)}, payload, calls=calls)

    def update(self, handle: int, params, grads) -> dict:
        """One ``update(params, grads)`` of a created optimizer; ``params`` is sent on the first call only."""
        return self.request({"op": "update", "handle": handle}, {"params": params, "grads": grads})

    def call(self, name: str, *args):
        """The learner's function ``name`` called with ``args``."""
        self._alive()
        return self.request({"op": "function", "name": name}, {"args": list(args)})

    def run_adapter(self, adapter: str, name: str, value, reseed: int | None = None):
        """One of our child-side adapters run on the learner's ``name`` (tracing, probes, an optimizer step)."""
        self._alive()
        return self.request({"op": "run", "adapter": adapter, "name": name, "reseed": _child_seed(reseed)}, value)

    def patch(self, owner: str, name: str, source: str, line: int, module: str = "") -> None:
        """Replace the learner's ``owner.name`` (or module function ``name``) by ``source`` in the child, in the
        checked file or in ``module``, another module of the learner's program."""
        self._alive()
        self.request({"op": "patch", "owner": owner, "name": name, "line": line, "module": module}, {"source": source})

    def restore(self) -> None:
        """Undo every ``patch``; a child that ended since holds the file's own code already."""
        if self.pid is not None:
            self.request({"op": "restore"})

    def request(self, header: dict, payload=None, timeout: float | None = None, calls: int = 1):
        """Send one request and return the child's value; learner failures raise LearnerFault.  The limit is the
        processor time the child may spend on it (counted by the child); the clock only backs it up, generously,
        for code that sleeps or waits (``calls`` times over for a request that calls the learner's code so often)."""
        if self.pid is None:
            raise LearnerFault("exit", "the process had already ended")
        budget = self.limits.budget
        if budget is not None and time.monotonic() - self.started > budget:  # a correct layer that sleeps
            raise LearnerFault("budget", f"{budget:g}")
        seconds = timeout or self.limits.timeout
        try:
            protocol.send(self.to_child, {**header, "cpu": seconds}, payload)
        except (BrokenPipeError, OSError):
            raise self._death() from None
        try:
            reply, value = self._reply(seconds * WALL_FACTOR * calls + WALL_SLACK)
        except LearnerFault as fault:
            if fault.kind == "timeout":
                fault.detail = f"{seconds:g}"
            raise
        if reply.get("status") != "ok":
            if reply.get("kind") == "timeout":
                self._kill()  # stopped part-way: nothing it holds can be trusted for the next request
                raise LearnerFault("timeout", f"{seconds:g}")
            kind = "unrecognised" if reply.get("kind") == "unrecognised" else "error"
            raise LearnerFault(kind, printable(str(reply.get("detail", "")), 2000))
        return cleaned(value)

    def handle(self) -> int:
        self.next_handle += 1
        return self.next_handle
