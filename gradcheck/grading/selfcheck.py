"""``exercises check``: an exercise folder is valid when its solution scores full marks and each
self-test (a wrong submission listed in exercise.toml) scores exactly what it declares."""

from __future__ import annotations

from ..report.model import Note
from .bank import Exercise
from .grade import grade_submission


def check_exercise(exercise: Exercise, timeout: float = 5.0) -> list[Note]:
    """Problems found, as notes; an empty list means the exercise is sound."""
    problems = []
    solved = grade_submission(exercise, exercise.root / exercise.solution, timeout=timeout)
    if abs(solved.score - exercise.max_score) > 1e-9:
        problems.append(Note("bank.check_solution", {"id": exercise.id, "score": solved.score, "max_score": exercise.max_score}))
    for test in exercise.selftests:
        got = grade_submission(exercise, exercise.root / test["file"], timeout=timeout)
        if abs(got.score - float(test["score"])) > 1e-9:
            problems.append(Note("bank.check_selftest", {"id": exercise.id, "file": test["file"], "score": got.score, "want": float(test["score"])}))
    return problems
