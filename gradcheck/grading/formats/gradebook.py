"""A gradebook CSV that Canvas and Moodle import: one row per student with the score out of the maximum.

The columns follow Canvas's grade export (Student, ID, SIS User ID, SIS Login ID, Section, then one column
per assignment, with a "Points Possible" row): the student id (the submission folder's name) goes in
SIS User ID, the others stay empty for Canvas to match.  Moodle's CSV import maps any identifier column."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..bank import Exercise
from ..results import SubmissionResult


def student_id(submission: str) -> str:
    """The student a submission belongs to: its folder's name, or a lone file's name without the suffix."""
    path = Path(submission)
    return path.stem if path.suffix else path.name


def render(exercise: Exercise, results: list[SubmissionResult], lang: str = "en") -> str:
    column = exercise.text(exercise.title, lang) or exercise.id
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["Student", "ID", "SIS User ID", "SIS Login ID", "Section", column])
    writer.writerow(["Points Possible", "", "", "", "", f"{exercise.max_score:g}"])
    for r in results:
        writer.writerow([student_id(r.submission), "", student_id(r.submission), "", "", f"{r.score:g}"])
    return buf.getvalue().rstrip("\n")
