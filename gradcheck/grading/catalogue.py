"""The bank as a table a reader scans: a header, then each exercise's id, kind, points and title, in the
reader's language (the id stays as typed on the command line)."""

from __future__ import annotations

import unicodedata

from ..report.messages import message
from .bank import Exercise


def exercise_table(exercises: list[Exercise], lang: str = "en") -> str:
    """One header line and one line per exercise."""
    rows = [(message("list.id", lang), message("list.kind", lang), message("list.points", lang),
             message("list.title", lang))]
    rows += [(ex.id, message(f"list.kind_{ex.kind}", lang), f"{ex.max_score:g}", ex.text(ex.title, lang))
             for ex in exercises]
    widths = [max(_columns(r[c]) for r in rows) for c in range(3)]
    return "\n".join(_pad(i, widths[0]) + "  " + _pad(k, widths[1]) + "  " + _pad(p, widths[2], right=True) + "  " + t
                     for i, k, p, t in rows)


def _columns(text: str) -> int:
    """How many terminal columns ``text`` takes: Hangul and other wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    fill = " " * (width - _columns(text))
    return fill + text if right else text + fill
