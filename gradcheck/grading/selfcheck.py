"""``exercises check``: an exercise folder is valid when its solution scores full marks, each
self-test (a wrong submission listed in exercise.toml) scores exactly what it declares, and every sampled
student's variant of a parametrized exercise is solved by its own expected answers.

A self-test is a file (``file = "wrong/x.toml"``) or a mutation of the solution
(``replace = [old, new]``, one planted bug), written to a temporary folder when checked.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from ..report.model import Note
from .bank import Exercise
from .grade import grade_submission


def selftest_submission(exercise: Exercise, test: dict, folder: Path) -> tuple[Path, str]:
    """The path of a self-test's submission (written into ``folder`` for a mutation) and its label."""
    if "file" in test:
        return exercise.root / test["file"], test["file"]
    old, new = test["replace"]
    source = (exercise.root / exercise.solution).read_text(encoding="utf-8")
    if old not in source:
        raise ValueError(f"the solution does not contain {old!r}")
    path = folder / Path(exercise.solution).name
    path.write_text(source.replace(old, new), encoding="utf-8")
    return path, f"the solution with {old!r} replaced by {new!r}"


def check_exercise(exercise: Exercise, timeout: float = 5.0) -> list[Note]:
    """Problems found, as notes; an empty list means the exercise is sound."""
    problems = [Note("bank.missing_file", {"id": exercise.id, "what": what, "file": name, "folder": str(exercise.root)})
                for what, name in [("solution", exercise.solution)]
                + ([("template", exercise.template)] if exercise.kind == "code" else [])  # answers: generated
                + [("self-test file", t["file"]) for t in exercise.selftests if "file" in t]
                if not (exercise.root / name).is_file()]
    if problems:
        return problems
    solved = grade_submission(exercise, exercise.root / exercise.solution, timeout=timeout)
    problems += _forward_without_reference(exercise, solved)
    if abs(solved.score - exercise.max_score) > 1e-9:
        lost = "; ".join(f"{t.name} ({t.score:g}/{t.max_score:g}: {(t.output.strip().splitlines() or [''])[0][:160]})"
                         for t in solved.tests if t.score < t.max_score)
        problems.append(Note("bank.check_solution", {"id": exercise.id, "score": solved.score, "max_score": exercise.max_score,
                                                     "lost": lost}))
    for test in exercise.selftests:
        with tempfile.TemporaryDirectory(prefix="gradcheck-selftest-") as tmp:
            try:
                path, label = selftest_submission(exercise, test, Path(tmp))
            except ValueError as exc:
                problems.append(Note("bank.check_mutation", {"id": exercise.id, "error": str(exc)}))
                continue
            got = grade_submission(exercise, path, timeout=timeout)
        if abs(got.score - float(test["score"])) > 1e-9:
            problems.append(Note("bank.check_selftest", {"id": exercise.id, "file": label, "score": got.score, "want": float(test["score"])}))
    problems += _check_variants(exercise, timeout)
    return problems


def _forward_without_reference(exercise: Exercise, solved) -> list[Note]:
    """A check of the forward on a target gradcheck has no reference forward for can never pass: say so."""
    graded = {t.name: t for t in solved.tests}
    out = []
    for spec in exercise.checks:
        test = graded.get(spec.name)
        if spec.kind == "gradient" and spec.gradients == {"forward"} and test is not None \
                and test.diagnosis_key == "grade.no_such_check":
            out.append(Note("bank.forward_without_reference", {"id": exercise.id, "name": spec.name,
                                                               "targets": ", ".join(spec.targets)}))
    return out


#: The students whose variants ``exercises check`` grades against their own expected answers.
SAMPLE_STUDENTS = tuple(f"student{i:02d}" for i in range(8))


def _check_variants(exercise: Exercise, timeout: float) -> list[Note]:
    """Every sampled student's variant must be solvable: its expected answers, written as a submission,
    score full marks against it."""
    import json

    from .variants import variant

    problems = []
    for student in SAMPLE_STUDENTS if exercise.params else ():
        own = variant(exercise, student)
        if any(re.search(r"\b(zoo|nan|oo)\b", q.expected) for q in own.questions):  # SymPy's names for 1/0 and 0/0
            problems.append(Note("bank.check_variant", {"id": exercise.id, "student": student, "score": 0,
                                                       "max_score": exercise.max_score}))
            continue
        text = "".join(f"{json.dumps(q.id)} = {json.dumps(q.expected)}\n" for q in own.questions)
        with tempfile.TemporaryDirectory(prefix="gradcheck-variant-") as tmp:
            path = Path(tmp) / exercise.submission
            path.write_text(text, encoding="utf-8")
            got = grade_submission(exercise, path, timeout=timeout, student=student)
        if abs(got.score - exercise.max_score) > 1e-9:
            problems.append(Note("bank.check_variant", {"id": exercise.id, "student": student, "score": got.score,
                                                       "max_score": exercise.max_score}))
    return problems
