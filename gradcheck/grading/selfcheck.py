"""``exercises check``: an exercise folder is valid when its solution scores full marks and each
self-test (a wrong submission listed in exercise.toml) scores exactly what it declares.

A self-test is a file (``file = "wrong/x.toml"``) or a mutation of the solution
(``replace = [old, new]``, one planted bug), written to a temporary folder when checked.
"""

from __future__ import annotations

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
    problems = []
    solved = grade_submission(exercise, exercise.root / exercise.solution, timeout=timeout)
    if abs(solved.score - exercise.max_score) > 1e-9:
        problems.append(Note("bank.check_solution", {"id": exercise.id, "score": solved.score, "max_score": exercise.max_score}))
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
    return problems
