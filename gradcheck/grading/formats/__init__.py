"""Report formats for ``gradcheck grade``: one module per format, each with
``render(exercise, results, lang) -> str`` (and ``ONE_SUBMISSION = True`` where the format describes a single
submission).  A new format is one module here plus one line in ``FORMATS``."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the registry is read by the CLI at start-up: it imports nothing heavy
    from ..bank import Exercise
    from ..results import SubmissionResult

#: format name -> module in this package
FORMATS = {
    "text": "text",
    "json": "json_format",
    "csv": "csv_format",
    "junit": "junit",
    "gradescope": "gradescope",
    "prairielearn": "prairielearn",
    "gradebook": "gradebook",
    "html": "html",
    "classroom": "classroom",
}


def one_submission(fmt: str) -> bool:
    """Whether ``fmt`` describes exactly one submission (an autograder's results file)."""
    return getattr(importlib.import_module(f"{__name__}.{FORMATS[fmt]}"), "ONE_SUBMISSION", False)


def render(fmt: str, exercise: "Exercise", results: "list[SubmissionResult]", lang: str = "en") -> str:
    """``results`` of ``exercise`` in format ``fmt``."""
    return importlib.import_module(f"{__name__}.{FORMATS[fmt]}").render(exercise, results, lang)
