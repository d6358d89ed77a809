"""verify's results as GitHub Actions workflow commands: each failing target an ``::error`` annotation on its
file and line, so a pull request shows the wrong line; a file that could not be checked an error on the
file; one ``::notice`` with the totals.  (The syntax: ``::error file=F,line=N,title=T::message``, with
``%``, CR and LF escaped in the message, and ``,`` and ``:`` too in a property.)"""

from __future__ import annotations

import os

from .messages import message, render_note
from .render import render_result


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _relative(path: str) -> str:
    """The path as the repository names it: relative to the working folder when it lies inside it."""
    absolute = os.path.abspath(path)
    here = os.getcwd()
    return os.path.relpath(absolute, here) if absolute.startswith(here.rstrip(os.sep) + os.sep) else path


def render_files_github(reports, status: int, lang: str = "en", verbose: bool = False) -> str:
    """One workflow command per failing target and per file that could not be checked, then the totals."""
    lines, passed, total = [], 0, 0
    for rep in reports:
        where = f"file={_property(_relative(rep.path))}"
        if rep.problem is not None:
            lines.append(f"::error {where},title={_property(message('label.github_problem', lang))}::"
                         f"{_data(render_note(rep.problem, lang))}")
        for r in rep.results:
            passed += sum(c.passed for c in r.checks)
            total += len(r.checks) + (r.problem is not None)
            if r.passed:
                continue
            line = f",line={r.line}" if r.line else ""
            lines.append(f"::error {where}{line},title={_property(r.title(lang))}::{_data(render_result(r, lang))}")
        if rep.refused:
            from .render import refused_line

            lines.append(f"::warning {where}::{_data(refused_line(rep.refused, lang))}")
    summary = message("label.files_summary", lang, passed=passed, total=total, files=len(reports))
    lines.append(f"::notice title=gradcheck::{_data(summary)}")
    return "\n".join(lines)
