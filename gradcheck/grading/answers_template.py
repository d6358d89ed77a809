"""The answers.toml a learner starts from: each question's prompt as a comment above an empty answer, so the
file says what to write where (for a parametrized exercise, the student's own variant)."""

from __future__ import annotations

import json
import re

from ..report.messages import message
from .bank import Exercise


def _comment(text: str) -> str:
    return "\n".join(f"# {line}".rstrip() for line in text.strip().splitlines()) or "#"


def answers_template(exercise: Exercise, lang: str = "en") -> str:
    """The text of an empty answers file for ``exercise`` (an answers exercise), prompts in ``lang``."""
    lines = [_comment(exercise.text(exercise.title, lang)), _comment(exercise.text(exercise.prompt, lang)),
             _comment(message("grade.latex_quotes", lang)), ""]
    for q in exercise.questions:
        lines.append(_comment(f"{q.id} ({q.points:g}): {exercise.text(q.prompt, lang)}"))
        key = q.id if re.fullmatch(r"[A-Za-z0-9_-]+", q.id) else json.dumps(q.id, ensure_ascii=False)
        lines.append(f'{key} = ""')
        lines.append("")
    return "\n".join(lines)
