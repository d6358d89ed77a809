"""Combining the JSON reports of shards (``grade --shard K/N --format json --out part-K.json``) into one
report, in any format: only parts this grader signed, of one exercise, with no submission in two parts (paths
compared as written and normalised, so ``class/./s1`` is ``class/s1``)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..errors import GradcheckError
from ..report.model import Note
from . import signing
from .formats.json_format import results_of
from .results import SubmissionResult


class MergeError(GradcheckError):
    """The parts cannot be merged; ``note`` says which part and why."""

    def __init__(self, key: str, **params):
        self.note = Note(key, params)
        super().__init__(self.note.render("en"))


def _read(part: Path) -> dict:
    try:
        with os.fdopen(signing.open_private(Path(part), os.O_RDONLY), "r", encoding="utf-8") as fh:
            doc = json.loads(fh.read())
        if not isinstance(doc, dict) or not isinstance(doc.get("submissions"), list):
            raise ValueError
    except signing.UnsafeFile as err:
        raise MergeError(err.note.key, **err.note.params) from None
    except (OSError, ValueError, UnicodeDecodeError):
        raise MergeError("merge.unreadable", part=str(part)) from None
    if not signing.signed(doc):
        raise MergeError("merge.unsigned", part=str(part))
    return doc


def merge_results(parts: list[Path]) -> tuple[str, list[SubmissionResult]]:
    """The exercise id and every part's submissions, in the order of the parts."""
    exercise, seen, submissions = None, {}, []
    for part in parts:
        doc = _read(part)
        if exercise is not None and doc.get("exercise") != exercise:
            raise MergeError("merge.exercise", part=str(part), got=str(doc.get("exercise")), want=exercise)
        exercise = doc.get("exercise")
        try:
            results = results_of(doc)
        except (KeyError, TypeError, ValueError):
            raise MergeError("merge.unreadable", part=str(part)) from None
        for result in results:
            name = os.path.normpath(result.submission)
            if name in seen:
                raise MergeError("merge.overlap", submission=result.submission, first=seen[name], second=str(part))
            seen[name] = str(part)
            submissions.append(result)
    return str(exercise), submissions
