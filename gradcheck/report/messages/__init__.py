"""Message catalogues: every sentence the tool prints, in English and Korean.

A message is looked up by key and formatted with its parameters; a key missing
from one language falls back to English, so a report is never left blank.
"""

from __future__ import annotations

import os
import re

from . import en, ko
from .josa import attach

CATALOGUES = {"en": en.MESSAGES, "ko": ko.MESSAGES}
LANGUAGES = tuple(CATALOGUES)


def default_lang() -> str:
    """The language from LC_ALL, LC_MESSAGES or LANG: Korean for ko_*, otherwise English."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "ko" if value.lower().startswith("ko") else "en"
    return "en"


def message(msg_key: str, lang: str = "en", /, **params) -> str:
    """The sentence for ``msg_key`` in ``lang``, with ``params`` filled in."""
    template = CATALOGUES.get(lang, en.MESSAGES).get(msg_key) or en.MESSAGES.get(msg_key)
    params = {k: _rendered(v, lang) for k, v in params.items()}
    if template is None:
        return msg_key + (" " + repr(params) if params else "")
    try:
        text = template.format(**params)
    except (KeyError, IndexError, ValueError):
        text = template
    return korean_ordinals(attach(text)) if lang == "ko" else english_number(text)


_ORDINAL = re.compile(r"(?<![\d.])([1-4])번째")
_ORDINALS = {"1": "첫", "2": "두", "3": "세", "4": "네"}


def korean_ordinals(text: str) -> str:
    """"첫 번째 단계", not "1번째 단계": the first four ordinals are said in words."""
    return _ORDINAL.sub(lambda m: f"{_ORDINALS[m.group(1)]} 번째", text)


_ONE = re.compile(r"(?<![\d.,])1 (element|check|row|column|step|point|target|file|case|submission|value|plot)s\b")
_EITHER = re.compile(r"(?<![\d.,])(\d+) (\w+?)\(s\)")


def english_number(text: str) -> str:
    """"1 element", "3 elements": a count of one takes the singular, and "N thing(s)" is resolved."""
    text = _EITHER.sub(lambda m: f"{m.group(1)} {m.group(2)}" + ("" if m.group(1) == "1" else "s"), text)
    return _ONE.sub(r"1 \1", text)


def _rendered(value, lang: str):
    """A parameter that is itself a note (a named formulation, say) in ``lang``; a list of them joined."""
    if hasattr(value, "key") and hasattr(value, "params"):
        return message(value.key, lang, **value.params)
    if isinstance(value, (list, tuple)) and value and all(hasattr(v, "key") for v in value):
        return "; ".join(_rendered(v, lang) for v in value)
    return value


def render_note(note, lang: str = "en") -> str:
    """Render a report ``Note`` in ``lang``."""
    return message(note.key, lang, **note.params)
