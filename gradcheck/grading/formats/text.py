"""The terminal report: each submission's score, then each test with what the learner should read."""

from __future__ import annotations

from ...report.messages import message
from ...report.render import refused_line
from ..bank import Exercise
from ..results import SubmissionResult


def render(exercise: Exercise, results: list[SubmissionResult], lang: str = "en") -> str:
    lines = []
    for r in results:
        lines.append(message("grade.summary", lang, submission=r.submission, score=r.score, max_score=r.max_score)
                     + (f"  (sha256 {r.sha256[:12]})" if r.sha256 else ""))
        if r.refused:
            lines.append("  " + refused_line(r.refused, lang))
        for t in r.tests:
            mark = message("label.pass" if t.score >= t.max_score else "label.fail", lang)
            lines.append(f"  [{mark}] {t.name}: {t.score:g} / {t.max_score:g}")
            if t.score < t.max_score or t.hidden:
                lines.extend("      " + line for line in t.output.strip().splitlines())
    return "\n".join(lines)
