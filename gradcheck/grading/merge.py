"""Combining the JSON reports of shards (``grade --shard K/N --format json --out part-K.json``) into one
report, refusing parts of different exercises and a submission graded in two parts."""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import GradcheckError
from ..report.model import Note


class MergeError(GradcheckError):
    """The parts cannot be merged; ``note`` says which part and why."""

    def __init__(self, key: str, **params):
        self.note = Note(key, params)
        super().__init__(self.note.render("en"))


def merge_reports(parts: list[Path]) -> dict:
    """One report with every part's submissions, in the order of the parts."""
    exercise, seen, submissions = None, {}, []
    for part in parts:
        try:
            doc = json.loads(Path(part).read_text(encoding="utf-8"))
            items = doc["submissions"]
        except (OSError, ValueError, KeyError, TypeError):
            raise MergeError("merge.unreadable", part=str(part)) from None
        if exercise is not None and doc.get("exercise") != exercise:
            raise MergeError("merge.exercise", part=str(part), got=str(doc.get("exercise")), want=exercise)
        exercise = doc.get("exercise")
        for item in items:
            name = item.get("submission")
            if name in seen:
                raise MergeError("merge.overlap", submission=str(name), first=seen[name], second=str(part))
            seen[name] = str(part)
            submissions.append(item)
    return {"exercise": exercise, "submissions": submissions}
