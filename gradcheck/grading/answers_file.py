"""Reading a learner's answers file (TOML), and telling LaTeX that TOML's double quotes damaged.

In a TOML basic string a backslash starts an escape: ``"\\frac{1}{2}"`` arrives as a form feed and
``rac{1}{2}``, ``"\\sqrt{x}"`` makes the whole file unreadable.  Both are the learner's quoting, not
their mathematics, so the sentence says to use single quotes, with the learner's own path.
"""

from __future__ import annotations

import re
import tomllib

from ..report.model import Note

_BACKSLASH = re.compile(r"Unescaped '\\' in a string \(at line (\d+)")
_ERROR_AT = re.compile(r"\(at line (\d+), column \d+\)")
# what TOML makes of \f, \b, \t, \n, \r in front of a LaTeX command's letters
_DAMAGED = re.compile(r"[\x08\x0c]|[\t\n\r](?=[a-z]{2})")


def read_answers(text: str, label: str) -> tuple[dict, Note | None]:
    """The answers by question id, or the note that says why the file at ``label`` cannot be read."""
    try:
        return tomllib.loads(text), None
    except tomllib.TOMLDecodeError as exc:
        first = str(exc).split("\n")[0]
        backslash = _BACKSLASH.search(first)
        if backslash:
            return {}, Note("grade.answers_backslash", {"path": label, "line": backslash.group(1)})
        at = _ERROR_AT.search(first)
        where = f"{label}, line {at.group(1)}" if at else label
        return {}, Note("grade.bad_answers", {"path": where, "error": _ERROR_AT.sub("", first).strip()})
    except RecursionError:  # nested tables or arrays without end
        return {}, Note("grade.bad_answers", {"path": label, "error": "nested too deeply"})


def damaged_latex(answer: str) -> bool:
    """Whether TOML turned a LaTeX command's backslash into a control character (``\\frac`` into a form feed)."""
    return bool(_DAMAGED.search(answer))
