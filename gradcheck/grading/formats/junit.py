"""JUnit XML for CI dashboards: one suite per submission; a test that could not be graded at all (no file, a
load error) is an <error>, a wrong answer a <failure> whose message carries the diagnosis."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from ..bank import Exercise
from ..results import SubmissionResult


def render(exercise: Exercise, results: list[SubmissionResult], lang: str = "en") -> str:
    suites = ET.Element("testsuites", name=exercise.id)
    for r in results:
        failed = [t for t in r.tests if t.score < t.max_score]
        suite = ET.SubElement(suites, "testsuite", name=r.submission, tests=str(len(r.tests)),
                              failures=str(sum(not t.error for t in failed)), errors=str(sum(t.error for t in failed)))
        for t in r.tests:
            case = ET.SubElement(suite, "testcase", classname=r.submission, name=t.name)
            if t.score < t.max_score:
                summary = f"{t.name}: {t.score:g} / {t.max_score:g}" + (f": {t.diagnosis}" if t.diagnosis else "")
                ET.SubElement(case, "error" if t.error else "failure", message=summary).text = t.output
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode")
