"""Gradescope's results.json for one submission: score, and tests with name, score, max_score, status, output,
visibility (the fields of Gradescope's autograder specification)."""

from __future__ import annotations

import json

from ..bank import Exercise
from ..results import SubmissionResult

ONE_SUBMISSION = True


def render(exercise: Exercise, results: list[SubmissionResult], lang: str = "en") -> str:
    result = results[0]
    doc = {
        "score": result.score,
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": [
            {"name": t.name, "score": t.score, "max_score": t.max_score,
             "status": "passed" if t.score >= t.max_score else "failed", "output": t.output,
             "visibility": "after_published" if t.hidden else "visible"}
            for t in result.tests
        ],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False)
