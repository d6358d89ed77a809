"""One JSON document: the exercise, then each submission with its score and tests (the contract in the README)."""

from __future__ import annotations

import json

from ..bank import Exercise
from ..results import SubmissionResult


def render(exercise: Exercise, results: list[SubmissionResult], lang: str = "en") -> str:
    doc = {"exercise": exercise.id, "submissions": [
        {"submission": r.submission, "sha256": r.sha256, "score": r.score, "max_score": r.max_score,
         "tests": [{"name": t.name, "score": t.score, "max_score": t.max_score, "output": t.output,
                    "visibility": "hidden" if t.hidden else "visible", "diagnosis": t.diagnosis} for t in r.tests]}
        for r in results
    ]}
    return json.dumps(doc, indent=2, ensure_ascii=False)
