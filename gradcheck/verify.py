"""``verify``: load a learner's file in the sandbox, find every checkable target, check each, report.

Verdicts are computed here, in the parent; the child only evaluates.  A failure
of one target (an exception, a hang, a crash) is recorded and the next target
gets a fresh child, so nothing already checked is lost.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

import numpy as np

from .conventions import cs231n, dlfs, functions
from .conventions.adapters import ADAPTERS
from .conventions.discover import Target, discover
from .conventions.remote import new_remote_layer
from .numeric.layer import check_layer
from .report.model import CheckResult, Note
from .sandbox.runner import LearnerFault, Limits, Session

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


@dataclass
class FileReport:
    """Everything verify found out about one file."""

    path: str
    results: list[CheckResult] = field(default_factory=list)
    problem: Note | None = None
    usage_error: bool = False  # the file could not be run at all (missing, unreadable, nothing to check)
    output: str = ""

    @property
    def passed(self) -> bool:
        return self.problem is None and bool(self.results) and all(r.passed for r in self.results)

    @property
    def status(self) -> int:
        if self.usage_error:
            return EXIT_USAGE
        return EXIT_OK if self.passed else EXIT_FAILED


@dataclass
class Options:
    """Options of a verify run; the defaults make every run of the same file give the same verdicts."""

    seed: int = 0
    mode: str = "auto"
    timeout: float = 5.0
    memory_mb: int | None = 4096
    targets: tuple[str, ...] = ()
    shapes: dict[str, tuple[int, ...]] = field(default_factory=dict)
    shrink: bool = True  # search for the smallest failing input (costs a few seconds per failing layer)


def read_source(path: str) -> tuple[str | None, Note | None]:
    """The Python source of a .py file or a notebook's code cells, or why it cannot be read."""
    if not os.path.exists(path):
        return None, Note("file.missing", {"path": path})
    if os.path.isdir(path):
        return None, Note("file.directory", {"path": path})
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError as exc:
        return None, Note("file.unreadable", {"path": path, "error": exc.strerror or str(exc)})
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, Note("file.encoding", {"path": path, "position": exc.start})
    if path.endswith(".ipynb"):
        return notebook_source(text, path)
    if not text.strip():
        return None, Note("file.empty", {"path": path})
    return text, None


def notebook_source(text: str, path: str) -> tuple[str | None, Note | None]:
    """A notebook's code cells as one module, without shell (!) and magic (%) lines."""
    try:
        cells = json.loads(text).get("cells", [])
    except (ValueError, AttributeError):
        return None, Note("file.notebook", {"path": path})
    lines = []
    for cell in cells:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        if source.lstrip().startswith("%%"):
            continue
        lines.extend(line for line in source.splitlines() if not line.lstrip().startswith(("!", "%")))
        lines.append("")
    if not "".join(lines).strip():
        return None, Note("file.empty", {"path": path})
    return "\n".join(lines), None


def _generic_inputs(item: dict, options: Options) -> list[np.ndarray]:
    rng = np.random.default_rng(options.seed)
    names = item.get("forward", []) or ["x"]
    shape = tuple(options.shapes.get(names[0], (4, 5)))
    x = rng.choice((-1.0, 1.0), shape) * rng.uniform(0.1, 2.0, shape)
    if len(names) >= 2:
        t = np.eye(shape[-1])[rng.integers(0, shape[-1], shape[0])] if len(shape) == 2 else rng.standard_normal(shape)
        return [x, t]
    return [x]


def check_target(session: Session, target: Target, options: Options) -> list[CheckResult]:
    """Check one target; a fault of the learner's code becomes the result's problem."""
    try:
        if target.kind == "dlfs":
            return dlfs.check_class(session, target.name, target.info, options.seed, options.mode, options.shrink)
        if target.kind == "generic":
            layer = new_remote_layer(session, {"op": "new", "name": target.name}, {}, target.info.get("forward", []), options.seed, target.name)
            return [check_layer(layer, *_generic_inputs(target.info, options), mode=options.mode, seed=options.seed, name=target.name)]
        if target.kind == "cs231n_pair":
            return [cs231n.check_pair(session, target.name, options.seed, options.mode)]
        if target.kind == "cs231n_loss":
            return [cs231n.check_loss(session, target.name, options.seed, options.mode)]
        if target.kind == "function":
            return [functions.safe_check_function(session, target.name, target.info, options.seed)]
        if target.kind in ("optimizer", "cs231n_optimizer"):
            from .optim.verify import check_optimizer_target

            return [check_optimizer_target(session, target, options.seed)]
    except LearnerFault as fault:
        return [CheckResult(target.name, seed=options.seed, mode=options.mode, problem=fault.note(target.name))]
    return []


def verify_file(path: str, options: Options | None = None) -> FileReport:
    """Verify one file: every target it defines, each against every oracle that applies."""
    options = options or Options()
    report = FileReport(path)
    source, problem = read_source(path)
    if problem is not None:
        report.problem, report.usage_error = problem, True
        return report
    session = Session(source, os.path.basename(path), Limits(options.timeout, options.memory_mb), ADAPTERS)
    try:
        try:
            session.start()
            targets = discover(session.request({"op": "catalogue"}), options.targets)
        except LearnerFault as fault:
            report.problem = fault.note(os.path.basename(path))
            report.usage_error = fault.kind == "syntax"
            return report
        if not targets:
            report.problem, report.usage_error = Note("file.nothing", {"path": path}), True
            return report
        for target in targets:
            if session.pid is None:
                session.restart()
            report.results.extend(check_target(session, target, options))
    except LearnerFault as fault:  # the file could not even be reloaded after a fault
        report.problem = fault.note(os.path.basename(path))
    finally:
        report.output = session.close()
    return report


def verify(paths, options: Options | None = None) -> list[FileReport]:
    """Verify each path in turn; a path that cannot be checked does not stop the others."""
    return [verify_file(str(p), options) for p in paths]


def exit_status(reports: list[FileReport]) -> int:
    """2 if any file could not be run, else 1 if any check failed, else 0."""
    if any(r.status == EXIT_USAGE for r in reports):
        return EXIT_USAGE
    return EXIT_FAILED if any(r.status == EXIT_FAILED for r in reports) else EXIT_OK
