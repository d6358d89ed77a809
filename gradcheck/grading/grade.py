"""Grading one submission: answers through the safe parser and equivalence, code through verify's sandbox.

Every check gets partial credit on its own; a check whose code raises, hangs or
crashes scores 0 with the reason, and the rest are still graded.  Hidden checks
run on inputs drawn from the exercise's hidden seed and say only pass or fail.
"""

from __future__ import annotations

import dataclasses

import functools

from pathlib import Path

from ..report.messages import message
from ..report.render import render_result
from ..sources import read_text
from .answers_file import damaged_latex, read_answers
from .bank import CheckSpec, Exercise
from .private_copy import PrivateCopy, private_copy
from .results import SubmissionResult, TestResult


def submission_file(exercise: Exercise, path: Path) -> Path | None:
    """The file to grade: ``path`` itself, or inside a student's folder the expected name or the only candidate."""
    if path.is_file():
        return path
    if not path.is_dir():
        return None
    named = path / exercise.submission
    if named.is_file():
        return named
    suffixes = (".toml",) if exercise.kind == "answers" else (".py", ".ipynb")
    found = sorted(p for p in path.iterdir() if p.is_file() and p.suffix in suffixes)
    return found[0] if len(found) == 1 else None


def _finish(path: str, tests: list[TestResult], exercise: Exercise) -> SubmissionResult:
    return SubmissionResult(path, round(sum(t.score for t in tests), 6), exercise.max_score, tests)


def not_graded(exercise: Exercise, path: str, reason: str, key: str = "grade.not_graded") -> SubmissionResult:
    """Every test scores 0 for one reason that kept the submission from being graded (an error, not a failure)."""
    items = exercise.questions if exercise.kind == "answers" else exercise.checks
    first = reason.strip().splitlines()[0] if reason.strip() else ""
    tests = [TestResult(getattr(i, "id", None) or i.name, 0.0, i.points, reason, getattr(i, "hidden", False),
                        diagnosis=first, diagnosis_key=key, error=True) for i in items]
    return _finish(path, tests, exercise)


def _no_file(exercise: Exercise, path: Path, lang: str) -> str:
    """No submission found: which file the exercise looks for, and what the folder holds instead (a folder
    graded under the wrong exercise shows itself here)."""
    if not path.is_dir():
        return message("grade.no_file", lang, path=str(path), name=exercise.submission)
    held = sorted(p.name for p in path.iterdir() if not p.name.startswith("."))[:8]
    near = [name for name in held if name.lower() == exercise.submission.lower()]
    if near:  # Affine.py for affine.py: the case is all that differs
        return message("grade.rename", lang, path=str(path / near[0]), name=exercise.submission)
    return message("grade.no_file_holds", lang, path=str(path), name=exercise.submission, id=exercise.id,
                   held=", ".join(held) or message("grade.nothing", lang))


def grade_submission(exercise: Exercise, path, seed: int = 0, timeout: float = 5.0, lang: str = "en",
                     shrink: bool = False, student: str | None = None, reveal: bool = True) -> SubmissionResult:
    """Grade one submission (a file or a student's folder) of ``exercise``.  An exercise with parameters is
    graded against ``student``'s variant: by default the folder's name; a lone file gets the default variant.
    ``reveal=False`` (an exam) keeps expected values out of the feedback."""
    path = Path(path)
    if exercise.kind == "answers":
        from .variants import variant

        exercise = variant(exercise, student if student is not None else (path.name if path.is_dir() else None))
    target = submission_file(exercise, path)
    if target is None:
        return not_graded(exercise, str(path), _no_file(exercise, path, lang), "grade.no_file")
    copy = private_copy(path, target)
    if not isinstance(copy, PrivateCopy):
        return not_graded(exercise, str(path), copy.render(lang), copy.key)
    try:
        if exercise.kind == "answers":
            result = grade_answers(exercise, copy.file, str(path), lang, reveal)
        else:
            result = grade_code(exercise, copy.file, str(path), seed, timeout, lang, shrink, reveal)
    finally:
        copy.remove()
    result.sha256 = copy.sha256
    return result


# -- answers ---------------------------------------------------------------------------------------

def grade_answers(exercise: Exercise, file: Path, label: str, lang: str, reveal: bool = True) -> SubmissionResult:
    """Each question: the learner's answer string against the expected one, by the safe parser and equivalence."""
    from ..symbolic.equivalence import equivalent_many
    from ..symbolic.parse import ParseError

    text, problem = read_text(str(file))
    if problem is not None:
        return not_graded(exercise, label, problem.render(lang), problem.key)
    answers, unreadable = read_answers(text, label)
    if unreadable is not None:
        return not_graded(exercise, label, unreadable.render(lang), unreadable.key)
    tests: dict[str, TestResult] = {}
    asked = []
    for q in exercise.questions:
        answer = answers.get(q.id)
        if answer is None or (isinstance(answer, str) and not answer.strip()):
            tests[q.id] = TestResult(q.id, 0.0, q.points, message("grade.no_answer", lang, id=q.id))
        elif isinstance(answer, bool) or not isinstance(answer, (str, int, float)):
            tests[q.id] = TestResult(q.id, 0.0, q.points, message("grade.answer_type", lang, id=q.id))
        elif isinstance(answer, str) and damaged_latex(answer):
            tests[q.id] = TestResult(q.id, 0.0, q.points, message("grade.damaged_latex", lang, id=q.id),
                                     diagnosis_key="parse")
        elif q.shapes:
            tests[q.id] = _matrix_answer(q, str(answer), lang, reveal)
        else:
            domain = dict(q.domain) | {v: (0.05, 3.0) for v in q.positive}
            item = {"answer": str(answer), "expected": q.expected, "where": q.where or None, "tol": q.tol,
                    "variables": q.variables, "domain": domain}
            if q.function:
                from ..symbolic.wrong_variable import wrong_variable_alternatives

                item["alternatives"] = functools.partial(wrong_variable_alternatives, q.function, q.wrt, q.where or None,
                                                         q.variables)  # worked out only for a wrong answer
            asked.append((q, item))
    for (q, _), verdict in zip(asked, equivalent_many([item for _, item in asked])):
        if isinstance(verdict, ParseError):
            tests[q.id] = TestResult(q.id, 0.0, q.points, verdict.note.render(lang), diagnosis_key="parse")
        else:
            tests[q.id] = _answer_result(q, verdict, lang, reveal)
    return _finish(label, [tests[q.id] for q in exercise.questions], exercise)


def _answer_result(q, verdict, lang: str, reveal: bool) -> TestResult:
    """A question's result: full points or none, the explanation, and the named mistake for the class view."""
    if verdict:
        return TestResult(q.id, q.points, q.points, verdict.explain(lang, reveal))
    rank = {"equiv.wrong_variable": 0, "equiv.missing_factor": 1}  # the most specific reason names the mistake
    notes = sorted(verdict.notes, key=lambda n: rank.get(n.key, 3 if n.key.startswith("equiv.extra_variable") else 2))
    note = notes[0] if notes else verdict.reason
    return TestResult(q.id, 0.0, q.points, verdict.explain(lang, reveal), diagnosis=note.render(lang).strip("()"),
                      diagnosis_key=note.key)


def _matrix_answer(q, answer: str, lang: str, reveal: bool) -> TestResult:
    """A matrix question: the answer against the expected one for random matrices of the declared shapes."""
    from ..symbolic.matrix_equiv import matrix_equivalent
    from ..symbolic.parse import ParseError

    try:
        verdict = matrix_equivalent(answer, q.expected, q.shapes)
    except ParseError as err:
        return TestResult(q.id, 0.0, q.points, err.note.render(lang), diagnosis_key="parse")
    return _answer_result(q, verdict, lang, reveal)


# -- code ------------------------------------------------------------------------------------------

def _score_gradient_check(spec: CheckSpec, results, lang: str, reveal: bool = True, stubs: dict | None = None) -> TestResult:
    wanted = set(spec.targets)
    gradients = spec.gradients
    matching = [r for r in results if r.target_id in wanted]
    stub = next((stubs[t] for t in spec.targets if t in (stubs or {})), None)
    if not matching and stub is not None:  # still the template's placeholder
        return TestResult(spec.name, 0.0, spec.points, stub.render(lang), spec.hidden)
    if not matching:
        return TestResult(spec.name, 0.0, spec.points, message("grade.not_found", lang, names=" / ".join(spec.targets)), spec.hidden)
    failures, seen = [], False
    for r in matching:
        checks = [c for c in r.checks if "*" in gradients or c.gradient.lower() in gradients]
        seen = seen or bool(checks) or r.problem is not None
        # a forward check that ran stands on its own: a broken backward (the case's problem) costs it nothing
        forward_only = gradients == {"forward"} and bool(checks)
        if (r.problem is not None and not forward_only) or any(not c.passed for c in checks):
            failures.append(r)
    if not seen:
        names = f"{spec.targets[0]} -> {', '.join(sorted(gradients))}"
        return TestResult(spec.name, 0.0, spec.points, message("grade.not_found", lang, names=names), spec.hidden,
                          diagnosis_key="grade.no_such_check")
    if spec.hidden:
        return TestResult(spec.name, 0.0 if failures else spec.points, spec.points,
                          message("grade.hidden_failed" if failures else "grade.hidden_passed", lang), True)
    if failures:
        note = _diagnosis(failures, gradients)
        return TestResult(spec.name, 0.0, spec.points, "\n".join(render_result(r, lang, reveal) for r in failures),
                          diagnosis=note.render(lang) if note else "", diagnosis_key=note.key if note else "",
                          line=next((r.line for r in failures if r.line), 0))
    return TestResult(spec.name, spec.points, spec.points, message("grade.passed", lang))


def _diagnosis(failures, gradients: set[str]):
    """The first likely mistake named among the failing checks, else the first problem: what the class view
    counts (two learners with the same mistake share its key)."""
    checks = [c for r in failures for c in r.failures() if "*" in gradients or c.gradient.lower() in gradients]
    for c in checks:
        if c.diagnoses:
            return c.diagnoses[0]
    return next((p for p in [r.problem for r in failures] + [c.problem for c in checks] if p is not None), None)


def budget(timeout: float) -> float:
    """Wall-clock seconds one code submission may take for all its checks: a correct layer that sleeps just
    under the per-call limit would otherwise hold the batch for minutes.  Generous against a busy machine."""
    return max(60.0, 12.0 * timeout)


def grade_code(exercise: Exercise, file: Path, label: str, seed: int, timeout: float, lang: str,
               shrink: bool = False, reveal: bool = True) -> SubmissionResult:
    """Run verify on the file (and again with the hidden seed for hidden checks), then score each check."""
    from ..verify import Options, verify_file
    from .special import grade_special

    gradient_specs = [c for c in exercise.checks if c.kind == "gradient"]
    targets = tuple(sorted({t for c in gradient_specs for t in c.targets}))
    results, hidden_results, output, problem, stubs, refused = [], [], "", None, {}, []
    if gradient_specs:
        level = "mistake" if exercise.diagnosis == "fix" and not reveal else exercise.diagnosis  # an exam shows no fix
        options = Options(seed=seed, timeout=timeout, targets=targets, memory_mb=2048, shrink=shrink, run_dir=str(file.parent),
                          own_tree=False, diagnosis=level, graded=True, budget=budget(timeout),
                          no_forward_in_backward=not exercise.backward_may_call_forward)
        hidden_seed = exercise.hidden_seed if any(c.hidden for c in gradient_specs) else None
        report = verify_file(str(file), options)
        results, output, refused = report.results, report.output, list(report.refused)
        problem = None if report.problem is not None and report.problem.key == "file.target_missing" else report.problem
        faulted = any(r.problem is not None and r.problem.key.startswith("fault.") for r in results)
        hidden_results = results
        if hidden_seed is not None and results and not faulted:
            # in a child of its own, so nothing of the hidden inputs reaches the visible pass, and what it
            # prints is never shown
            hidden = verify_file(str(file), dataclasses.replace(options, seed=hidden_seed, shrink=False, diagnosis="none"))
            hidden_results = hidden.results or results
            refused += [e for e in hidden.refused if e not in refused]
        stubs = {s.reason.params["id"]: s.reason for s in report.skipped if s.reason.key == "skip.not_implemented"}
    shown = str(Path(label) / file.name) if Path(label).is_dir() else label
    for r in results + hidden_results:
        r.path = shown  # the learner's own file, never the private copy
    if problem is not None and not results and not stubs:
        result = not_graded(exercise, label, problem.render(lang), problem.key)
        result.refused = refused
        return result
    special = grade_special(exercise, file, timeout, lang)
    tests = []
    for spec in exercise.checks:
        if spec.kind == "gradient":
            tests.append(_score_gradient_check(spec, hidden_results if spec.hidden else results, lang, reveal, stubs))
        else:
            tests.append(special[spec.name])
    if output.strip() and tests:
        tests[0].output += "\n" + message("label.output", lang) + "\n" + output[:4000]
    result = _finish(label, tests, exercise)
    result.refused = refused
    return result
