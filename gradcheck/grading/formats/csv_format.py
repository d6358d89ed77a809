"""A spreadsheet: one row per submission, its score and each test's points."""

from __future__ import annotations

import csv
import io

from ..bank import Exercise
from ..results import SubmissionResult


def render(exercise: Exercise, results: list[SubmissionResult], lang: str = "en") -> str:
    names = [t.name for t in results[0].tests] if results else []
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["submission", "score", "max_score", *names])
    for r in results:
        scores = {t.name: t.score for t in r.tests}
        writer.writerow([r.submission, f"{r.score:g}", f"{r.max_score:g}", *[f"{scores.get(n, 0):g}" for n in names]])
    return buf.getvalue().rstrip("\n")
