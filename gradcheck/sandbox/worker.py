"""The child side of the sandbox: confine the process, load the learner's file, answer requests.

It only evaluates what it is asked to on arrays it is sent and sends arrays back;
it never judges.  Every learner exception, ``sys.exit`` or ``KeyboardInterrupt``
becomes an error reply; the parent treats silence, a closed channel or a signal
as a failure of the learner's code.
"""

from __future__ import annotations

import ast
import contextlib
import faulthandler
import importlib.abc
import importlib.util
import inspect
import os
import textwrap
import resource
import signal
import sys
import types

import numpy as np

from ..errors import GradcheckError
from . import landlock, privileges, protocol, seccomp, watch
from .patching import Patches

KEEP_ENV = ("PATH", "LANG", "LC_ALL", "TZ")


class _BlockGradcheck(importlib.abc.MetaPathFinder):
    """Learner code may not import gradcheck: subclassing the reference would pass trivially."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname == "gradcheck" or fullname.startswith("gradcheck."):
            raise ImportError("gradcheck cannot be imported from the code being checked; write the layer yourself")
        return None


def enter_namespaces() -> list[str]:
    """Enter new PID and network namespaces where the kernel allows it (as root, or inside a new user
    namespace): the next process forked is then the first of its own PID namespace, so every process it
    starts dies with it, and it has no network.  Returns what was entered ("pidns", "netns")."""
    clone_newnet, clone_newpid, clone_newuser, clone_newipc = 0x40000000, 0x20000000, 0x10000000, 0x08000000
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return []
    # a new IPC namespace too: System V shared memory left by one submission dies with its namespace, so it
    # is never charged to the memory of a later one
    for flags, entered in ((clone_newpid | clone_newnet, ["pidns", "netns"]),
                           (clone_newuser | clone_newpid | clone_newnet, ["pidns", "netns"]),
                           (clone_newnet, ["netns"]), (clone_newuser | clone_newnet, ["netns"])):
        if libc.unshare(flags | clone_newipc) == 0:
            return entered + ["ipcns"]
        if libc.unshare(flags) == 0:
            return entered
    return []


def _no_new_privs() -> bool:
    """Set no_new_privs (Landlock has set it where it is in force; a seccomp filter needs it)."""
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl(38, 1, 0, 0, 0) == 0
    except OSError:
        return False


def confine(workdir: str, output_path: str, memory_mb: int | None, cpu_seconds: int, program: dict,
            events_path: str | None = None) -> str:
    """Limits, a scrubbed environment, no stdin, no network where the kernel allows it, output to a file, and
    (Landlock, where the kernel has it) reads only of ``program["readable"]``, writes only inside ``workdir``,
    no programs run and no signals to the grader.  The working directory is the program's run folder.
    Every capability is dropped and a seccomp filter refuses what Landlock does not cover (metadata, devices,
    sockets, programs run from memory, System V IPC).  A refused access is recorded in ``events_path`` (see
    ``watch``).  Returns what is in force ("landlock+nocaps+seccomp")."""
    os.setsid()
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
    sys.dont_write_bytecode = True
    events = _high_descriptor(os.open(events_path, os.O_WRONLY | os.O_APPEND | os.O_NOFOLLOW)) if events_path else -1
    dropped = privileges.drop_all()  # before Landlock: it reads /proc/self/status to be sure
    isolation = landlock.confine(program.get("readable", []), [workdir], program.get("listable", []))
    filtered = _no_new_privs() and seccomp.install()
    isolation = "+".join([isolation] * (isolation != "none") + ["nocaps"] * dropped + ["seccomp"] * filtered) or "none"
    os.chdir(program.get("run_dir") or workdir)
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
    if events >= 0:
        watch.watch(events, workdir)
    return isolation


def _high_descriptor(fd: int) -> int:
    """``fd`` moved to a random high number: code that closes the low descriptors it can guess (to hide what it
    tries from the record of refusals) closes the grader's channel with them and ends its own check."""
    import fcntl
    import random

    soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, random.SystemRandom().randrange(256, max(257, min(soft, 4096) - 1)))
    os.close(fd)
    return moved


class Unrecognised(GradcheckError):
    """Raised by an adapter when what it wraps turns out not to follow its convention (the reason is the text)."""


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


def _signature(fn) -> list[dict]:
    """Positional parameters with their defaults (only plain data travels; anything else is marked)."""
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return []
    out = []
    for p in params:
        if p.kind not in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
            continue
        item = {"name": p.name, "required": p.default is p.empty}
        if p.default is not p.empty:
            item["default"] = p.default if _plain(p.default) else protocol.Opaque(type(p.default).__name__)
        out.append(item)
    return out


def _plain(value, depth: int = 0) -> bool:
    if depth > 3:
        return False
    if value is None or isinstance(value, (bool, int, float, str)):
        return True
    if isinstance(value, (tuple, list)):
        return len(value) <= 16 and all(_plain(v, depth + 1) for v in value)
    if isinstance(value, dict):
        return len(value) <= 16 and all(isinstance(k, str) and _plain(v, depth + 1) for k, v in value.items())
    return False


def _is_stub(fn) -> bool:
    """A method whose body only passes or raises NotImplementedError (an abstract base's placeholder)."""
    if getattr(fn, "__isabstractmethod__", False):
        return True
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    except (OSError, TypeError, SyntaxError, IndentationError):
        return False
    body = tree.body[0].body if tree.body and hasattr(tree.body[0], "body") else []
    body = [b for b in body if not (isinstance(b, ast.Expr) and isinstance(getattr(b, "value", None), ast.Constant))]
    if not body:
        return True
    if len(body) != 1:
        return False
    stmt = body[0]
    if isinstance(stmt, ast.Pass):
        return True
    if isinstance(stmt, ast.Raise) and stmt.exc is not None:
        exc = stmt.exc.func if isinstance(stmt.exc, ast.Call) else stmt.exc
        return isinstance(exc, ast.Name) and exc.id == "NotImplementedError"
    return False


METHODS = ("forward", "backward", "update", "loss", "gradient", "predict")


def catalogue(module) -> list[dict]:
    """What the file itself defines (not what it imports): classes with their methods, constructor
    parameters and whether they are abstract; functions with parameters and docstrings."""
    items = []
    for name, obj in vars(module).items():
        if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
            continue
        if inspect.isclass(obj):
            methods = [m for m in METHODS if callable(getattr(obj, m, None))]
            init = getattr(obj, "__init__", None)
            init_params = _signature(init)[1:] if init is not object.__init__ else []
            items.append({
                "name": name, "kind": "class", "methods": methods, "init": [p["name"] for p in init_params],
                "init_params": init_params, "init_required": sum(p["required"] for p in init_params),
                "forward": [p["name"] for p in _signature(obj.forward)[1:]] if "forward" in methods else [],
                "loss": [p["name"] for p in _signature(obj.loss)[1:]] if "loss" in methods else [],
                # a base class has placeholders for both; a half-finished layer (forward written) is checked, its forward
                # keeping its points
                "abstract": inspect.isabstract(obj) or (bool({"forward", "backward"} & set(methods))
                                                        and all(_is_stub(getattr(obj, m)) for m in methods if m in ("forward", "backward"))),
                "bases": [b.__name__ for b in obj.__bases__ if b is not object],
            })
        elif type(obj).__name__ == "custom_vjp" and type(obj).__module__.startswith("jax"):
            items.append({"name": name, "kind": "custom_vjp", "params": [p["name"] for p in _signature(obj.fun)]})
        elif inspect.isfunction(obj):
            sig = _signature(obj)
            items.append({"name": name, "kind": "function", "params": [p["name"] for p in sig], "signature": sig,
                          "doc": (inspect.getdoc(obj) or "")[:6000]})
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


@contextlib.contextmanager
def _forward_calls(obj, module, counting: bool):
    """Count the calls of the learner's forward made while this call runs (a backward by finite differences
    of its own forward): the layer's own ``forward`` (through our wrappers' layer), or the module function
    a cs231n pair's backward would call.  Yields a one-item list, the count."""
    calls = [0]
    if not counting:
        yield calls
        return
    layer = getattr(obj, "_layer", obj)
    patched = []

    def counted(fn):
        def wrapper(*args, **kwargs):
            calls[0] += 1
            return fn(*args, **kwargs)
        return wrapper

    if "forward" in dir(type(layer)) and not isinstance(layer, type):
        patched.append((layer, "forward", vars(layer).get("forward")))
        vars(layer)["forward"] = counted(layer.forward)
    fwd = getattr(obj, "_fwd", None)
    name = getattr(fwd, "__name__", "")
    space = vars(sys.modules.get(getattr(fwd, "__module__", "") or "", module))
    if name and space.get(name) is fwd:
        patched.append((space, name, fwd))
        space[name] = counted(fwd)
    try:
        yield calls
    finally:
        for holder, key, original in patched:
            target = holder if isinstance(holder, dict) else vars(holder)
            if original is None:
                target.pop(key, None)
            else:
                target[key] = original


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
        adapters = dict(adapters or {})
        self.view = adapters.pop("view", None)  # how our checks see a made object (not a request of its own)
        self.adapters = adapters
        self.patches = Patches(module)  # functions the search for a fix replaced, for ``restore``

    def _register(self, handle: int, obj) -> dict:
        self.objects[handle] = obj
        return {"params": _float_attrs(obj), "grads": sorted(_gradient_attrs(obj)), "info": getattr(obj, "_gradcheck_info", None)}

    def handle(self, op: str, req: dict, value):
        if req.get("reseed") is not None:  # before anything of the learner's runs: a random mask repeats
            np.random.seed(req["reseed"])
        if op == "catalogue":
            return catalogue(self.module)
        if op == "new":
            cls = getattr(self.module, req["name"])
            made = cls(*value.get("args", ()), **value.get("kwargs", {}))
            return self._register(req["handle"], self.view(made) if self.view else made)
        if op == "adapt":
            factory = self.adapters[req["convention"]]
            return self._register(req["handle"], factory(self.module, req["name"], value))
        if op == "call":
            obj = self.objects[req["handle"]]
            _apply_sets(obj, value.get("sets"))
            args = value.get("args", ())
            before = [a.copy() if isinstance(a, np.ndarray) else None for a in args]
            with _forward_calls(obj, self.module, req["method"] == "backward") as calls:
                result = getattr(obj, req["method"])(*args, **value.get("kwargs", {}))
            if isinstance(result, np.ndarray) and any(np.may_share_memory(result, a) for a in args if isinstance(a, np.ndarray)):
                result = result.copy()
            changed = [i for i, (a, b) in enumerate(zip(args, before)) if b is not None and not np.array_equal(a, b, equal_nan=True)]
            return {"result": result, "grads": _gradient_attrs(obj) if req.get("grads") else None, "changed": changed,
                    "forward_calls": calls[0]}
        if op == "forward_many":
            return self.forward_many(req, value)
        if op == "update":
            obj = self.objects[req["handle"]]
            params = self.params.setdefault(req["handle"], value.get("params") or {})
            before = list(params.values() if isinstance(params, dict) else params)
            obj.update(params, value["grads"])
            after = list(params.values() if isinstance(params, dict) else params)
            return {"params": params, "in_place": len(before) == len(after) and all(a is b for a, b in zip(before, after))}
        if op == "function":
            return getattr(self.module, req["name"])(*value.get("args", ()), **value.get("kwargs", {}))
        if op == "patch":
            return self.patches.patch(req["owner"], req["name"], value["source"], int(req["line"]), str(req.get("module") or ""))
        if op == "restore":
            return self.patches.restore()
        if op == "run":  # one of our adapters, run on the learner's module (tracing, numerical_gradient probes)
            return self.adapters[req["adapter"]](self.module, req["name"], value)
        raise ValueError(f"unknown request {op!r}")

    def forward_many(self, req: dict, value: dict):
        """Forward once per (index, value) with one element changed, restoring it each time; outputs stacked."""
        obj = self.objects[req["handle"]]
        _apply_sets(obj, value.get("sets"))
        args, kwargs = list(value.get("args", ())), value.get("kwargs", {})
        kind, key = value["target"]
        # .flat, not reshape(-1): a transposed parameter (a weight-tied ``embed_W.T``) would be reshaped into a copy
        flat = (args[key] if kind == "arg" else getattr(obj, key)).flat
        outs = []
        for i, v in zip(value["index"].tolist(), value["values"].tolist()):
            original = flat[i]
            flat[i] = v
            try:
                next_call()
                if req.get("reseed") is not None:
                    np.random.seed(req["reseed"])
                call_args = [a.copy() if value.get("copy") and isinstance(a, np.ndarray) else a for a in args]
                # a copy: forward may return (a view of) the array that is restored right after
                outs.append(np.array(obj.forward(*call_args, **kwargs), dtype=np.float64))
            finally:
                flat[i] = original
        if len({o.shape for o in outs}) > 1:
            raise ValueError("forward returned outputs of different shapes for inputs of one shape")
        return np.stack(outs)


class CPUTimeExceeded(BaseException):
    """The request used more processor time than it was given (raised by the profiling timer)."""


def _on_cpu_limit(signum, frame):
    raise CPUTimeExceeded()


_CPU_LIMIT: list[float] = [0.0]  # the limit of the request being answered, for ``next_call``


@contextlib.contextmanager
def cpu_limit(seconds):
    """At most ``seconds`` of processor time per call into the learner's code during one request: a busy
    machine slows the clock, not this count, so correct code is never cut short because other work shares
    the processor."""
    if not seconds:
        yield
        return
    previous = signal.signal(signal.SIGPROF, _on_cpu_limit)
    _CPU_LIMIT[0] = float(seconds)
    signal.setitimer(signal.ITIMER_PROF, float(seconds))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        _CPU_LIMIT[0] = 0.0
        signal.signal(signal.SIGPROF, previous)


def next_call() -> None:
    """A request that calls the learner's code many times (one forward per element) gives each call the
    whole limit, as ``--timeout`` promises (seconds per call into your code)."""
    if _CPU_LIMIT[0]:
        signal.setitimer(signal.ITIMER_PROF, _CPU_LIMIT[0])


def load(program: dict):
    """Import the learner's file as Python would: its package imported first (so relative imports work),
    then the file itself under its module name; ``__main__`` blocks do not run.  A notebook's code is run
    as a module of the notebook's name."""
    for folder in reversed(program.get("path_dirs", [])):
        if folder not in sys.path:
            sys.path.insert(0, folder)
    name = program["module"]
    if program.get("source") is not None:
        module = types.ModuleType(name)
        module.__file__ = program["filename"]
        sys.modules[name] = module
        exec(compile(program["source"], program["filename"], "exec"), module.__dict__)  # learner code, in the sandbox
        return module
    if "." in name:
        importlib.import_module(name.rpartition(".")[0])
    spec = importlib.util.spec_from_file_location(name, program["filename"])
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def serve(program: dict, fd_in: int, fd_out: int, adapters: dict, isolation: str = "none") -> None:
    """Load the file (a notebook's code arrives first, from the grader), report how that went, then answer
    requests until told to stop."""
    try:
        if program.get("source_follows"):
            _, text = protocol.receive(fd_in)
            program = dict(program, source=np.asarray(text, dtype=np.uint8).tobytes().decode("utf-8"))
        module = load(program)
    except BaseException as exc:  # the learner's module failed: report it and stop
        kind = "syntax" if isinstance(exc, SyntaxError) else "missing_module" if isinstance(exc, ModuleNotFoundError) else "raised"
        _flush()
        reply = {"status": "error", "kind": kind, "detail": _describe_error(exc), "isolation": isolation}
        if isinstance(exc, ModuleNotFoundError):
            reply["module"] = exc.name or ""
        protocol.send(fd_out, reply)
        return
    _flush()
    protocol.send(fd_out, {"status": "ok", "isolation": isolation})
    worker = Worker(module, adapters)
    while True:
        try:
            req, value = protocol.receive(fd_in)
        except protocol.ChannelClosed:
            return
        if req.get("op") == "exit":
            return
        try:
            with cpu_limit(req.get("cpu")):
                result = worker.handle(req["op"], req, value or {})
            header = {"status": "ok"}
        except Unrecognised as exc:  # not this convention after all: not the learner's failure
            result, header = None, {"status": "error", "kind": "unrecognised", "detail": str(exc)}
        except CPUTimeExceeded:
            result, header = None, {"status": "error", "kind": "timeout", "detail": str(req.get("cpu"))}
        except BaseException as exc:  # any failure of learner code becomes a reply
            if isinstance(exc, CPUTimeExceeded) or isinstance(exc.__context__, CPUTimeExceeded):
                result, header = None, {"status": "error", "kind": "timeout", "detail": str(req.get("cpu"))}
            else:
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
