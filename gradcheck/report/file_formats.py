"""Output formats of ``gradcheck verify``: format name -> (module of this package, function), each function
taking ``(reports, status, lang, verbose)``.  A new format is one module plus one line here; nothing is
imported until a format is used, so the command line reads the names at start-up for free."""

from __future__ import annotations

import importlib

FILE_FORMATS: dict[str, tuple[str, str]] = {
    "text": ("file_formats", "text"),
    "json": ("file_formats", "json"),
    "junit": ("file_formats", "junit"),
    "github": ("github", "render_files_github"),
}


def render_files(fmt: str, reports, status: int, lang: str = "en", verbose: bool = False) -> str:
    """``reports`` of a verify run in format ``fmt``."""
    module, name = FILE_FORMATS[fmt]
    return getattr(importlib.import_module(f"{__package__}.{module}"), name)(reports, status, lang, verbose)


def text(reports, status: int, lang: str, verbose: bool) -> str:
    from .render import render_files_text

    return render_files_text(reports, lang, verbose)


def json(reports, status: int, lang: str, verbose: bool) -> str:
    from .render import render_files_json

    return render_files_json(reports, status, lang)


def junit(reports, status: int, lang: str, verbose: bool) -> str:
    from .render import render_files_junit

    return render_files_junit(reports, lang)
