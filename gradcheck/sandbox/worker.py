"""The child side of the sandbox: confine the process, load the learner's file, answer requests.

It only evaluates what it is asked to on arrays it is sent and sends arrays back;
it never judges.  Every learner exception, ``sys.exit`` or ``KeyboardInterrupt``
becomes an error reply; the parent treats silence, a closed channel or a signal
as a failure of the learner's code.
"""

from __future__ import annotations

import faulthandler
import importlib.abc
import inspect
import os
import resource
import sys
import types

import numpy as np

from . import protocol

LEARNER_MODULE = "__learner__"
KEEP_ENV = ("PATH", "LANG", "LC_ALL", "TZ")


class _BlockGradcheck(importlib.abc.MetaPathFinder):
    """Learner code may not import gradcheck: subclassing the reference would pass trivially."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname == "gradcheck" or fullname.startswith("gradcheck."):
            raise ImportError("gradcheck cannot be imported from the code being checked; write the layer yourself")
        return None


def _leave_network() -> bool:
    """Enter a new, empty network namespace (no interface up) where the kernel allows it; False where it does not."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        clone_newnet, clone_newuser = 0x40000000, 0x10000000
        return libc.unshare(clone_newnet) == 0 or libc.unshare(clone_newuser | clone_newnet) == 0
    except (OSError, AttributeError):
        return False


def confine(workdir: str, output_path: str, memory_mb: int | None, cpu_seconds: int) -> None:
    """Limits, a private working directory, a scrubbed environment, no stdin, no network where the kernel
    allows it, output to a file."""
    os.setsid()
    _leave_network()
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    out = os.open(output_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(out, 1)
    os.dup2(out, 2)
    sys.stdin = open(os.devnull)  # noqa: SIM115 - replaces the interpreter's stdin for good
    # the parent's sys.stdout may be a Python object (a test runner's capture), not fd 1
    sys.stdout = open(1, "w", encoding="utf-8", errors="replace", closefd=False, buffering=1)  # noqa: SIM115
    sys.stderr = open(2, "w", encoding="utf-8", errors="replace", closefd=False, buffering=1)  # noqa: SIM115
    faulthandler.disable()  # a forked dump would show the parent's frames, not the learner's
    os.chdir(workdir)
    kept = {k: os.environ[k] for k in KEEP_ENV if k in os.environ}
    os.environ.clear()
    os.environ.update(kept, HOME=workdir, TMPDIR=workdir, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    if memory_mb:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    for name in [m for m in sys.modules if m == "gradcheck" or m.startswith("gradcheck.")]:
        _HIDDEN[name] = sys.modules.pop(name)
    sys.meta_path.insert(0, _BLOCKER)


_HIDDEN: dict[str, types.ModuleType] = {}
_BLOCKER = _BlockGradcheck()


def import_ours(name: str):
    """Import one of gradcheck's own modules in the child (for our code, never the learner's)."""
    import importlib

    sys.meta_path.remove(_BLOCKER)
    sys.modules.update(_HIDDEN)
    try:
        return importlib.import_module(name)
    finally:
        for key in [m for m in sys.modules if m == "gradcheck" or m.startswith("gradcheck.")]:
            _HIDDEN[key] = sys.modules.pop(key)
        sys.meta_path.insert(0, _BLOCKER)


def _describe_error(exc: BaseException) -> str:
    if isinstance(exc, SystemExit):
        return f"SystemExit (sys.exit({exc.code!r}) was called)"
    if isinstance(exc, KeyboardInterrupt):
        return "KeyboardInterrupt"
    if isinstance(exc, SyntaxError):
        return f"line {exc.lineno}: {exc.msg}"
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _params(fn) -> list[str]:
    try:
        return [
            p.name
            for p in inspect.signature(fn).parameters.values()
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]
    except (TypeError, ValueError):
        return []


def _required(fn) -> int:
    try:
        return sum(
            1
            for p in inspect.signature(fn).parameters.values()
            if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        )
    except (TypeError, ValueError):
        return 0


def catalogue(module) -> list[dict]:
    """What the file defines: its classes (with methods and constructor needs) and functions."""
    items = []
    for name, obj in vars(module).items():
        if name.startswith("_") or getattr(obj, "__module__", None) != LEARNER_MODULE:
            continue
        if inspect.isclass(obj):
            methods = [m for m in ("forward", "backward", "update") if callable(getattr(obj, m, None))]
            init = getattr(obj, "__init__", None)
            init_params = _params(init)[1:] if init is not object.__init__ else []
            items.append({
                "name": name, "kind": "class", "methods": methods, "init": init_params,
                "init_required": max(0, _required(init) - 1) if init is not object.__init__ else 0,
                "forward": _params(obj.forward)[1:] if "forward" in methods else [],
            })
        elif inspect.isfunction(obj):
            items.append({"name": name, "kind": "function", "params": _params(obj)})
    return items


def _float_attrs(obj, prefix: str | None = None) -> dict:
    attrs = vars(obj) if hasattr(obj, "__dict__") else {}
    return {
        k: v for k, v in attrs.items()
        if isinstance(v, np.ndarray) and v.dtype.kind == "f" and (prefix is None or k.startswith(prefix))
    }


def _gradient_attrs(obj) -> dict:
    """Every attribute dP whose P is an array, whatever the learner stored in it (None, a list, ...)."""
    attrs = vars(obj) if hasattr(obj, "__dict__") else {}
    return {k: v for k, v in attrs.items() if k.startswith("d") and isinstance(attrs.get(k[1:]), np.ndarray)}


def _apply_sets(obj, sets: dict) -> None:
    for name, change in (sets or {}).items():
        current = getattr(obj, name, None)
        if "full" in change:
            if isinstance(current, np.ndarray) and current.shape == change["full"].shape:
                np.copyto(current, change["full"], casting="unsafe")
            else:
                setattr(obj, name, change["full"].copy())
        else:
            current.flat[change["idx"]] = change["val"]


class Worker:
    """Holds the learner's module and the objects made from it; answers one request at a time."""

    def __init__(self, module, adapters=None):
        self.module = module
        self.objects: dict[int, object] = {}
        self.params: dict[int, dict] = {}  # an optimizer's params dict, kept between update calls
        self.adapters = adapters or {}

    def _register(self, handle: int, obj) -> dict:
        self.objects[handle] = obj
        return {"params": _float_attrs(obj), "grads": sorted(_gradient_attrs(obj))}

    def handle(self, op: str, req: dict, value):
        if req.get("reseed") is not None:  # before anything of the learner's runs: a random mask repeats
            np.random.seed(req["reseed"])
        if op == "catalogue":
            return catalogue(self.module)
        if op == "new":
            cls = getattr(self.module, req["name"])
            return self._register(req["handle"], cls(*value.get("args", ()), **value.get("kwargs", {})))
        if op == "adapt":
            factory = self.adapters[req["convention"]]
            return self._register(req["handle"], factory(self.module, req["name"], value))
        if op == "call":
            obj = self.objects[req["handle"]]
            _apply_sets(obj, value.get("sets"))
            result = getattr(obj, req["method"])(*value.get("args", ()), **value.get("kwargs", {}))
            return {"result": result, "grads": _gradient_attrs(obj) if req.get("grads") else None}
        if op == "forward_many":
            return self.forward_many(req, value)
        if op == "update":
            obj = self.objects[req["handle"]]
            params = self.params.setdefault(req["handle"], value.get("params") or {})
            before = dict(params)
            obj.update(params, value["grads"])
            return {"params": params, "in_place": all(params.get(k) is v for k, v in before.items())}
        if op == "function":
            return getattr(self.module, req["name"])(*value.get("args", ()), **value.get("kwargs", {}))
        if op == "run":  # one of our adapters, run on the learner's module (tracing, numerical_gradient probes)
            return self.adapters[req["adapter"]](self.module, req["name"], value)
        raise ValueError(f"unknown request {op!r}")

    def forward_many(self, req: dict, value: dict):
        """Forward once per (index, value) with one element changed, restoring it each time; outputs stacked."""
        obj = self.objects[req["handle"]]
        _apply_sets(obj, value.get("sets"))
        args, kwargs = list(value.get("args", ())), value.get("kwargs", {})
        kind, key = value["target"]
        flat = (args[key] if kind == "arg" else getattr(obj, key)).reshape(-1)
        outs = []
        for i, v in zip(value["index"].tolist(), value["values"].tolist()):
            original = flat[i]
            flat[i] = v
            try:
                if req.get("reseed") is not None:
                    np.random.seed(req["reseed"])
                call_args = [a.copy() if value.get("copy") and isinstance(a, np.ndarray) else a for a in args]
                outs.append(np.asarray(obj.forward(*call_args, **kwargs), dtype=np.float64))
            finally:
                flat[i] = original
        if len({o.shape for o in outs}) > 1:
            raise ValueError("forward returned outputs of different shapes for inputs of one shape")
        return np.stack(outs)


def load(source: str, filename: str):
    """Run the learner's file as a module named ``__learner__``."""
    module = types.ModuleType(LEARNER_MODULE)
    module.__file__ = filename
    sys.modules[LEARNER_MODULE] = module
    exec(compile(source, filename, "exec"), module.__dict__)  # the learner's own code, inside the sandbox
    return module


def serve(source: str, filename: str, fd_in: int, fd_out: int, adapters: dict) -> None:
    """Load the file, report how that went, then answer requests until told to stop."""
    try:
        module = load(source, filename)
    except BaseException as exc:  # the learner's module failed: report it and stop
        kind = "syntax" if isinstance(exc, SyntaxError) else "raised"
        _flush()
        protocol.send(fd_out, {"status": "error", "kind": kind, "detail": _describe_error(exc)})
        return
    _flush()
    protocol.send(fd_out, {"status": "ok"})
    worker = Worker(module, adapters)
    while True:
        try:
            req, value = protocol.receive(fd_in)
        except protocol.ChannelClosed:
            return
        if req.get("op") == "exit":
            return
        try:
            result = worker.handle(req["op"], req, value or {})
            header = {"status": "ok"}
        except BaseException as exc:  # any failure of learner code becomes a reply
            result, header = None, {"status": "error", "detail": _describe_error(exc)}
        _flush()
        try:
            protocol.send(fd_out, header, result)
        except (TypeError, ValueError) as exc:
            protocol.send(fd_out, {"status": "error", "detail": f"the result could not be sent back: {exc}"})


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # a learner may have replaced or closed the stream
            pass
