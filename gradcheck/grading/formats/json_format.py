"""One JSON document: the exercise, then each submission with its score and tests (the contract in the README),
signed by the grader (``signing``) so that ``grade merge`` takes only reports it wrote."""

from __future__ import annotations

import json

from .. import signing
from ..bank import Exercise
from ..results import SubmissionResult, TestResult


def render(exercise: Exercise, results: list[SubmissionResult], lang: str = "en") -> str:
    doc = {"exercise": exercise.id, "submissions": [
        {"submission": r.submission, "sha256": r.sha256, "score": r.score, "max_score": r.max_score, "refused": r.refused,
         "tests": [{"name": t.name, "score": t.score, "max_score": t.max_score, "output": t.output,
                    "visibility": "hidden" if t.hidden else "visible", "diagnosis": t.diagnosis,
                    "diagnosis_key": t.diagnosis_key, "error": t.error, "line": t.line} for t in r.tests]}
        for r in results
    ]}
    doc["signature"] = signing.sign(doc)
    return json.dumps(doc, indent=2, ensure_ascii=False)


def results_of(doc: dict) -> list[SubmissionResult]:
    """The submissions of a report in this format, as results any format renders."""
    return [SubmissionResult(s["submission"], float(s["score"]), float(s["max_score"]),
                             [TestResult(t["name"], float(t["score"]), float(t["max_score"]), t.get("output", ""),
                                         t.get("visibility") == "hidden", t.get("diagnosis", ""), t.get("diagnosis_key", ""),
                                         bool(t.get("error", False)), int(t.get("line", 0) or 0)) for t in s["tests"]],
                             s.get("sha256", ""), [str(e) for e in s.get("refused", [])])
            for s in doc["submissions"]]
