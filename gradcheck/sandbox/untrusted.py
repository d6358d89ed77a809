"""Text that came from the learner's process, made safe to show: terminal escapes and control characters (which
would reach an instructor's terminal, or make a JUnit file ill-formed XML) removed, and the length bounded."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]|[\ud800-\udfff]")


def printable(text: str, limit: int = 200_000) -> str:
    """``text`` without control characters other than newline and tab, cut to ``limit`` characters."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n"))
    return text if len(text) <= limit else text[:limit] + " [...]"


def cleaned(value):
    """A reply from the child with every string in it (names, keys, type names) made printable; arrays as they are."""
    if isinstance(value, str):
        return printable(value, 10_000)
    if isinstance(value, dict):
        return {printable(str(k), 1000): cleaned(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(cleaned(v) for v in value)
    type_name = getattr(value, "type_name", None)
    if isinstance(type_name, str):
        value.type_name = printable(type_name, 200)
    return value
