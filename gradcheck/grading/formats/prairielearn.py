"""PrairieLearn's external-grader results.json for one submission: ``gradable``, ``score`` as a fraction in
[0, 1], ``message``, and ``tests`` with ``name``, ``points``, ``max_points``, ``message`` and ``output`` (the
fields of PrairieLearn's external grading documentation).  A submission that could not be graded at all is
``gradable: false`` with its ``format_errors``, so the student does not lose an attempt."""

from __future__ import annotations

import json

from ...report.messages import message
from ..bank import Exercise
from ..results import SubmissionResult

ONE_SUBMISSION = True


def render(exercise: Exercise, results: list[SubmissionResult], lang: str = "en") -> str:
    result = results[0]
    if result.tests and all(t.error for t in result.tests):
        return json.dumps({"gradable": False, "format_errors": [result.tests[0].output]}, indent=2, ensure_ascii=False)
    doc = {
        "gradable": True,
        "score": result.score / result.max_score if result.max_score else 0.0,
        "message": message("grade.summary", lang, submission=exercise.id, score=result.score, max_score=result.max_score),
        "tests": [{"name": t.name, "points": t.score, "max_points": t.max_score, "message": t.diagnosis,
                   "output": t.output} for t in result.tests],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False)
