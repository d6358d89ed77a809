"""GitHub Classroom's autograding result for one submission: the JSON a test runner hands to
``autograding-grading-reporter`` (base64 in ``<RUNNER>_RESULTS``): ``version``, ``status`` (pass, fail or
error), ``max_score`` and ``tests`` with ``name``, ``status``, ``score``, ``message`` and, where known, the
``filename`` and ``line_no`` of the code a test is about."""

from __future__ import annotations

import json

from ..bank import Exercise
from ..results import SubmissionResult

ONE_SUBMISSION = True


def _status(score: float, max_score: float, error: bool) -> str:
    return "error" if error else "pass" if score >= max_score else "fail"


def render(exercise: Exercise, results: list[SubmissionResult], lang: str = "en") -> str:
    result = results[0]
    tests = []
    for t in result.tests:
        test = {"name": t.name, "status": _status(t.score, t.max_score, t.error), "score": t.score,
                "max_score": t.max_score, "message": t.output}
        if t.line:
            test.update(filename=exercise.submission, line_no=t.line)
        tests.append(test)
    errored = bool(result.tests) and all(t.error for t in result.tests)
    doc = {"version": 1, "status": "error" if errored else _status(result.score, result.max_score, False),
           "max_score": result.max_score, "tests": tests}
    return json.dumps(doc, indent=2, ensure_ascii=False)
