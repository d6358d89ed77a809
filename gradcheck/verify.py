"""``verify``: load a learner's file in the sandbox, find every checkable target, check each, report.

Verdicts are computed here, in the parent; the child only evaluates.  A failure
of one target (an exception, a hang, a crash) is recorded and the next target
gets a fresh child, so nothing already checked is lost.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from .conventions.base import Skipped, Target
from .conventions.registry import CHECKS, discover, select
from .conventions.stubs import unfinished
from .feedback import attach, find_fix, fix_notes
from .options import Options
from .report.locations import definition_lines, line_of
from .report.model import CheckResult, Note
from .sandbox.program import program_for
from .numeric.slopes import unverify
from .sources import expand, read_source
from .sandbox.runner import LearnerFault, Limits, Session

__all__ = ["FileReport", "Options", "verify", "verify_file", "exit_status", "check_target"]

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


@dataclass
class FileReport:
    """Everything verify found out about one file."""

    path: str
    results: list[CheckResult] = field(default_factory=list)
    problem: Note | None = None
    usage_error: bool = False  # the file could not be run at all (missing, unreadable, nothing to check)
    output: str = ""
    skipped: list[Skipped] = field(default_factory=list)  # looks checkable, not checked: each with the reason
    isolation: str = "none"  # "landlock" where the child could write only in its private folder
    refused: list[str] = field(default_factory=list)  # accesses the sandbox refused ("read PATH"), even if caught

    @property
    def passed(self) -> bool:
        return self.problem is None and bool(self.results) and all(r.passed for r in self.results)

    @property
    def status(self) -> int:
        if self.usage_error:
            return EXIT_USAGE
        return EXIT_OK if self.passed else EXIT_FAILED


def check_target(session: Session, target: Target, options: Options) -> list[CheckResult]:
    """Check one target with its convention; a fault of the learner's code becomes the result's problem."""
    try:
        results = CHECKS[target.convention](session, target, options)
    except LearnerFault as fault:
        results = [CheckResult(target.title, seed=options.seed, mode=options.mode, problem=fault.note(target.name))]
    for result in results:
        result.target_id = target.id
    return results


def explain_with_fix(session: Session, target: Target, options: Options, source: str, results: list[CheckResult]) -> None:
    """Search the learner's own code for the edit that makes ``target`` pass, and put it in the report in place
    of the other, unverified, diagnoses (``options.diagnosis`` says how much of it is shown)."""
    if options.diagnosis == "none" or options.fix_budget <= 0:
        return
    try:
        fix = find_fix(session, target, options, source, results, check_target, options.fix_budget)
    except LearnerFault:  # the child could not be restarted: the verdicts stand without a fix
        fix = None
    if fix is None:
        return
    attach(results, fix_notes(fix, options.diagnosis), fix.in_forward)


def _forward_in_backward(results: list[CheckResult], calls: int, options: Options) -> None:
    """Say when backward called forward (a gradient by finite differences of one's own forward); where the
    exercise forbids it, no gradient check of the target stands."""
    if not calls or not results:
        return
    results[0].notes.append(Note("note.backward_calls_forward", {"count": calls}))
    if options.no_forward_in_backward:
        for result in results:
            unverify(result, Note("grad.calls_forward"))


def _met_preconditions(results: list[CheckResult], target: Target, report: FileReport) -> list[CheckResult]:
    """The cases whose inputs met the learner's own ``assert`` (a stride that must divide the padded size):
    the others are not failures but inputs the code declines, told once; where every case is declined the
    target is listed with that reason."""
    unbuilt = next((r.problem for r in results if r.problem is not None and r.problem.key == "fault.extension_missing"), None)
    if unbuilt is not None:  # not the learner's code failing but a build step not taken: listed, not failed
        report.skipped.append(Skipped(target.name, Note("skip.extension", {"name": target.title, **unbuilt.params})))
        return []
    declined = [r for r in results if r.problem is not None and r.problem.key == "fault.precondition"]
    if not declined:
        return results
    kept = [r for r in results if r not in declined]
    detail = declined[0].problem.params.get("detail", "AssertionError")
    if not kept:
        report.skipped.append(Skipped(target.name, Note("skip.precondition", {"name": target.title, "detail": detail})))
        return []
    kept[0].notes.append(Note("note.precondition_cases", {"cases": ", ".join(r.title("en") for r in declined), "detail": detail}))
    return kept


def _locate(results: list[CheckResult], target: Target, path: str, source: str) -> None:
    """Each result's file and line (a notebook's code has no lines of its own file: its path only)."""
    lines = definition_lines(source) if source and path.endswith(".py") else {}
    for r in results:
        r.path, r.line = path, (line_of(r, target.names, lines) or 0) if lines else 0


def _checked(session: Session, targets: list[Target], options: Options, report: FileReport,
             source: str = "") -> list[CheckResult]:
    """Every target's results; a target that turns out not to follow its convention is listed as skipped."""
    out = []
    for target in targets:
        stubs = unfinished(source, target.names) if source else []
        if stubs:  # the assignment's placeholder, untouched: not yet a gradient to judge
            note = Note("skip.not_implemented", {"name": target.title, "functions": ", ".join(stubs), "id": target.id})
            report.skipped.append(Skipped(target.name, note))
            continue
        session.forward_in_backward = 0
        results = check_target(session, target, options)
        _forward_in_backward(results, session.forward_in_backward, options)
        results = results if options.graded else _met_preconditions(results, target, report)
        if not results:
            continue
        explain_with_fix(session, target, options, source, results)
        _locate(results, target, report.path, source)
        unrecognised = [r for r in results if r.problem is not None and r.problem.key == "fault.unrecognised"]
        if unrecognised:  # not this convention after all: say so, do not fail the learner
            reason = unrecognised[0].problem.params.get("detail", "")
            report.skipped.append(Skipped(target.name, Note("skip.not_convention", {"name": target.name, "reason": reason})))
        else:
            out.extend(results)
    return out


def verify_file(path: str, options: Options | None = None) -> FileReport:
    """Verify one file: every target it defines, each against every oracle that applies."""
    options = options or Options()
    report = FileReport(path)
    source, problem = read_source(path)
    if problem is not None:
        report.problem, report.usage_error = problem, True
        return report
    program = program_for(path, options.run_dir, source if path.endswith(".ipynb") else None, options.own_tree)
    session = Session(None, os.path.basename(path), Limits(options.timeout, options.memory_mb, budget=options.budget), program=program)
    try:
        try:
            session.start()
            report.isolation = session.isolation
            targets, report.skipped = discover(session.catalogue(), options)
        except LearnerFault as fault:
            report.isolation = session.isolation
            report.problem = fault.note(os.path.basename(path))
            report.usage_error = True  # the file could not be imported: nothing was checked
            return report
        targets, unknown = select(targets, options.targets)
        if unknown:
            report.problem, report.usage_error = Note("file.target_missing", {"path": path, "names": ", ".join(unknown)}), True
            if not targets:
                return report
        if not targets:
            report.problem, report.usage_error = Note("file.nothing", {"path": path}), True
            return report
        report.results = _checked(session, targets, options, report, source)
    except LearnerFault as fault:  # the file could not even be reloaded after a fault
        report.problem = fault.note(os.path.basename(path))
    finally:
        report.output = session.close()
        report.refused = session.refused
    return report


def verify(paths, options: Options | None = None) -> list[FileReport]:
    """Verify each path in turn (a folder: every Python file and notebook under it); a path that cannot be
    checked does not stop the others."""
    return [verify_file(p, options) for p in expand(paths)]


def exit_status(reports: list[FileReport]) -> int:
    """2 if any file could not be run, else 1 if any check failed, else 0.  Among several files, one that
    defines nothing to check (an ``__init__.py``, a helper) is a note, not a usage error."""
    if len(reports) > 1 and any(r.results for r in reports):
        reports = [r for r in reports if not (r.problem is not None and r.problem.key == "file.nothing")]
    if any(r.status == EXIT_USAGE for r in reports):
        return EXIT_USAGE
    return EXIT_FAILED if any(r.status == EXIT_FAILED for r in reports) else EXIT_OK
