"""The search for the edit that makes a learner's gradient right: single edits of their own code, then pairs.

Each edit is put in place in the confined child (``Session.patch``) and judged by the target's own checks:
first in fast mode (a few forwards), and a survivor again in the run's own mode.  An edit that makes every
check of the target pass is the report's diagnosis; it was verified by the check itself, so it cannot name a
false cause.  Where no single edit does, the edit that makes the most failing checks pass (breaking none) is
kept and a second edit searched on top of it.  The budget is a count of edits, not a time, so the same file
gets the same diagnosis on a busy machine.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, replace

from ..conventions.base import Target
from ..options import Options
from ..report.model import CheckResult, Note
from ..sandbox.runner import LearnerFault
from ..numeric.effort import Stopped, verdict_only
from .edits import Edit, edits_of
from .sites import Site, parse, sites_for

#: Single edits tried per target at most (each costs one fast check, about 5-30 ms for a small layer); pairs
#: get 30% as many again.
BUDGET = 200
#: Seconds per call into an edited function: an edit that loops for ever is dropped, not waited for.
EDIT_TIMEOUT = 2.0
#: Problems that are not the code's arithmetic (a timeout, a crash, code that is not the convention's).
NOT_SEARCHED = ("fault.timeout", "fault.budget", "fault.not_implemented", "fault.crash", "fault.exit", "fault.unrecognised", "fault.load", "fault.syntax",
                "fault.missing_module", "target.not_implemented")

#: Conventions whose targets are whole networks: their mistakes sit in the layers they use (each checked on its
#: own), and one check of a network costs many forwards.
WHOLE_NETWORKS = frozenset({"network"})

Checker = Callable[[object, Target, Options], list[CheckResult]]


@dataclass
class Fix:
    """The edits that make every check of a target pass, and how many edits were tried to find them."""

    edits: tuple[Edit, ...]
    gradients: tuple[str, ...]
    tried: int

    @property
    def in_forward(self) -> bool:
        """Whether the fix edits a forward (the backward was right for the function the forward should be)."""
        return any(e.site.role in ("forward", "shared") for e in self.edits)


def standing(results: list[CheckResult], original: list[CheckResult]) -> tuple[int, int]:
    """(how far from passing, how many originally failing cases now pass).  A failing check counts one; a case
    that could not be checked counts a hundred, unless it could not be checked before in the same way (a
    forward that raises on one-hot labels is not what an edit of the backward is judged by)."""
    before = {r.title("en"): r for r in original}
    bad = fixed = 0
    for r in results:
        was = before.get(r.title("en"))
        if r.problem is not None:
            bad += 0 if was is not None and was.problem == r.problem else 100
        else:
            bad += sum(not c.passed for c in r.checks) + (not r.checks)
        fixed += was is not None and not was.passed and r.passed
    return bad, fixed


def searchable(results: list[CheckResult]) -> bool:
    """Whether the failure is one an edit of the code could fix (not a timeout, a crash, a stub)."""
    if all(r.passed for r in results):
        return False
    return not any(r.problem is not None and r.problem.key.startswith(NOT_SEARCHED) for r in results)


def _numpy_name(tree: ast.Module) -> str:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "numpy":
                    return alias.asname or "numpy"
    return "np"


def _failed_gradients(results: list[CheckResult]) -> tuple[str, ...]:
    names = [c.gradient for r in results for c in r.failures() if c.gradient not in ("forward",)]
    return tuple(dict.fromkeys(names))


class _Trial:
    """Puts edits in place in the child and runs the target's checks with them."""

    def __init__(self, session, target: Target, options: Options, check: Checker, original: list[CheckResult]):
        self.session, self.target, self.check, self.original = session, target, check, original
        self.worst: dict[str, int] = {}  # per case name, the most gradient checks that failed in it originally
        for r in original:
            failed = 100 if r.problem is not None else sum(not c.passed for c in r.checks)
            self.worst[r.target] = max(self.worst.get(r.target, 0), failed)
        self.fast = replace(options, mode="fast", shrink=False, curves=False)
        self.full = replace(options, shrink=False, curves=False)

    def no_better(self, result) -> bool:
        """Whether a case's gradient checks under an edit fail at least as much as they did (or it broke)."""
        if result.target not in self.worst:
            return False
        failed = 100 if result.problem is not None else sum(not c.passed for c in result.checks)
        was = self.worst[result.target]
        unchanged_problem = failed >= 100 and was >= 100  # judged by ``standing``, which may find it the same
        return failed > 0 and failed >= was and not unchanged_problem

    def score(self, edits: tuple[Edit, ...], options: Options) -> tuple[int, int]:
        try:
            for site_edit in edits:
                self.session.patch(site_edit.site.owner, site_edit.site.name, site_edit.source, site_edit.site.start)
            with verdict_only(self.no_better if options is self.fast else None):
                return standing(self.check(self.session, self.target, options), self.original)
        except Stopped:  # a case that failed before fails no better: neither a fix nor a step towards one
            return 10**5, 0
        except LearnerFault:  # the edit does not compile here, or killed the child: not a fix
            return 10**6, 0
        except (ArithmeticError, ValueError, TypeError, IndexError):  # what it returned is not even numbers
            return 10**6, 0
        finally:
            try:
                self.session.restore()
            except LearnerFault:
                pass


def find_fix(session, target: Target, options: Options, source: str, results: list[CheckResult], check: Checker,
             budget: int = BUDGET) -> Fix | None:
    """The smallest edit (one, else two) of the learner's own code that makes every check of ``target`` pass."""
    if not searchable(results) or not source or target.convention in WHOLE_NETWORKS:
        return None
    tree = parse(source)
    if tree is None:
        return None
    forward_wrong = any(c.gradient == "forward" for r in results for c in r.failures())
    # an edit of the forward could make it constant, and a constant has the zero gradient: only where the
    # forward is compared with a reference (and disagrees) is the forward what an edit may change
    sites = [s for s in sites_for(tree, target.names) if forward_wrong or s.role in ("gradient", "helper")]
    if not sites:
        return None
    gradients = _failed_gradients(results)
    numpy_name = _numpy_name(tree)
    edits = _ordered([edits_of(site, source, set(gradients), numpy_name) for site in sites])
    baseline, _ = standing(results, results)
    trial = _Trial(session, target, options, check, results)
    saved = session.limits.timeout
    session.limits.timeout = min(saved, EDIT_TIMEOUT)
    tried = 0
    try:
        best: tuple[int, Edit] | None = None
        for edit in edits[:budget]:
            tried += 1
            score, fixed = trial.score((edit,), trial.fast)
            if score == 0 and fixed and trial.score((edit,), trial.full) == (0, fixed):
                return Fix((edit,), gradients, tried)
            if score < baseline and (best is None or score < best[0]):
                best = (score, edit)
        if best is None:
            return None
        first = best[1]
        second = _ordered([_edits_on_top(first, set(gradients), numpy_name) if s == first.site else
                           edits_of(s, source, set(gradients), numpy_name) for s in sites])
        for edit in second[: budget * 3 // 10]:
            tried += 1
            pair = (edit,) if edit.site.qualname == first.site.qualname else (first, edit)
            score, fixed = trial.score(pair, trial.fast)
            if score == 0 and fixed and trial.score(pair, trial.full) == (0, fixed):
                return Fix((first, edit), gradients, tried)
        return None
    finally:
        session.limits.timeout = saved
        try:
            session.restore()
        except LearnerFault:
            pass


def _ordered(per_site: list[list[Edit]]) -> list[Edit]:
    """All sites' edits by prior; within one prior, the earlier site (the backward) first."""
    ranked = [(e.prior, s, i, e) for s, edits in enumerate(per_site) for i, e in enumerate(edits)]
    return [e for *_, e in sorted(ranked, key=lambda r: r[:3])]


def _edits_on_top(first: Edit, gradients: set[str], numpy_name: str) -> list[Edit]:
    """Edits of the function as ``first`` left it, each with the line of the learner's file it stands on."""
    node = ast.parse(first.source).body[0]
    site = Site(first.site.owner, first.site.name, node, first.site.cls, first.site.start)
    lines = _line_map(first.site.node, node)
    return [replace(e, line=lines.get(e.line, first.line)) for e in edits_of(site, first.source, gradients, numpy_name)]


def _line_map(original: ast.FunctionDef, edited: ast.FunctionDef) -> dict[int, int]:
    """Lines of the edited (unparsed) function to the learner's lines, statement by statement; the edit changed
    at most one statement, so the two agree in order where they agree in count."""
    before = [s.lineno for s in ast.walk(original) if isinstance(s, ast.stmt)]
    after = [s.lineno for s in ast.walk(edited) if isinstance(s, ast.stmt)]
    if len(before) != len(after):
        return {}
    out: dict[int, int] = {}
    for a, b in zip(after, before):
        out.setdefault(a, b)
    return out


LEVELS = ("fix", "mistake", "where", "none")


def fix_notes(fix: Fix, level: str = "fix") -> list[Note]:
    """What the learner is told about a verified fix: the edit itself, the mistake in words, the line, or nothing."""
    if level == "none":
        return []
    gradients = ", ".join(fix.gradients) or "gradient"
    notes = []
    for edit in sorted(fix.edits, key=lambda e: e.line):
        where = Note("fix.at", {"name": edit.site.qualname, "line": edit.line})
        if level == "where":
            notes.append(Note("fix.where", {"where": where, "gradients": gradients}))
        elif level == "mistake":
            notes.append(Note(f"fix.mistake.{edit.kind}", {"where": where, "before": edit.before}))
        elif edit.kind == "drop":
            notes.append(Note("fix.drop", {"where": where, "before": edit.before, "gradients": gradients}))
        elif edit.kind == "swap":
            notes.append(Note("fix.swap", {"where": where, "before": edit.before, "after": edit.after, "gradients": gradients}))
        else:
            notes.append(Note("fix.edit", {"where": where, "before": edit.before, "after": edit.after, "gradients": gradients}))
    if len(notes) > 1 and level != "where":
        notes.append(Note("fix.together", {"n": len(notes)}))
    return notes


#: Diagnoses that only say where the wrong elements are (rows, a region, an element): a verified fix says it
#: better, and such a pattern can mislead (rows 0 and 1 are wrong because the inputs there are negative).
WHERE_ONLY = frozenset({"diag.one_row", "diag.one_column", "diag.some_rows", "diag.some_columns", "diag.some_channels",
                        "diag.factor_per_row", "diag.factor_per_column", "diag.factor_per_channel", "diag.only_element",
                        "diag.region", "diag.region_factor"})


def attach(results: list[CheckResult], notes: list[Note], forward_fixed: bool = False) -> None:
    """Put a fix's notes first among the failing checks' diagnoses; the patterns of where the wrong elements
    lie give way to it, the named mistakes and constant factors stay beside it.  Where the fix is in the
    forward, what the backward checks measured was the backward of another function: their diagnoses go."""
    for result in results:
        if result.passed:
            continue
        failures = result.failures()
        for check in failures:
            check.diagnoses = [] if forward_fixed else [n for n in check.diagnoses if n.key not in WHERE_ONLY]
        if failures:
            failures[0].diagnoses[:0] = notes
        else:
            result.notes[:0] = notes
