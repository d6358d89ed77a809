"""Grading reports: text, JSON, CSV, JUnit XML and Gradescope's results.json."""

from __future__ import annotations

import csv
import io
import json
from xml.etree import ElementTree as ET

from ..report.messages import message
from .results import SubmissionResult


def render_text(results: list[SubmissionResult], lang: str = "en") -> str:
    lines = []
    for r in results:
        lines.append(message("grade.summary", lang, submission=r.submission, score=r.score, max_score=r.max_score)
                     + (f"  (sha256 {r.sha256[:12]})" if r.sha256 else ""))
        for t in r.tests:
            mark = message("label.pass" if t.score >= t.max_score else "label.fail", lang)
            lines.append(f"  [{mark}] {t.name}: {t.score:g} / {t.max_score:g}")
            if t.score < t.max_score or t.hidden:
                lines.extend("      " + line for line in t.output.strip().splitlines())
    return "\n".join(lines)


def render_json(exercise_id: str, results: list[SubmissionResult]) -> str:
    doc = {"exercise": exercise_id, "submissions": [
        {"submission": r.submission, "sha256": r.sha256, "score": r.score, "max_score": r.max_score,
         "tests": [{"name": t.name, "score": t.score, "max_score": t.max_score, "output": t.output,
                    "visibility": "hidden" if t.hidden else "visible"} for t in r.tests]}
        for r in results
    ]}
    return json.dumps(doc, indent=2, ensure_ascii=False)


def render_csv(results: list[SubmissionResult]) -> str:
    names = [t.name for t in results[0].tests] if results else []
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["submission", "score", "max_score", *names])
    for r in results:
        scores = {t.name: t.score for t in r.tests}
        writer.writerow([r.submission, f"{r.score:g}", f"{r.max_score:g}", *[f"{scores.get(n, 0):g}" for n in names]])
    return buf.getvalue().rstrip("\n")


def render_junit(exercise_id: str, results: list[SubmissionResult]) -> str:
    suites = ET.Element("testsuites", name=exercise_id)
    for r in results:
        suite = ET.SubElement(suites, "testsuite", name=r.submission, tests=str(len(r.tests)),
                              failures=str(sum(t.score < t.max_score for t in r.tests)))
        for t in r.tests:
            case = ET.SubElement(suite, "testcase", classname=r.submission, name=t.name)
            if t.score < t.max_score:
                ET.SubElement(case, "failure", message=f"{t.score:g} / {t.max_score:g}").text = t.output
    return ET.tostring(suites, encoding="unicode")


def render_gradescope(result: SubmissionResult) -> str:
    """Gradescope's results.json for one submission: score, and tests with name, score, max_score, output, visibility."""
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
