"""Rendering check results as text a learner can act on."""

from __future__ import annotations

from .messages import message, render_note
from .model import CheckResult, GradientCheck


def _check_lines(check: GradientCheck, target: str, lang: str) -> list[str]:
    status = message("label.pass" if check.passed else "label.fail", lang)
    head = f"  [{status}] {target}.backward -> {check.gradient}"
    lines = []
    if check.problem is not None:
        return [head, "      " + render_note(check.problem, lang)]
    if check.method == "truth table":
        head = f"  [{status}] {target}"
    counted = message(f"label.checked_{check.method.replace(' ', '_')}", lang, n=check.checked)
    lines.append(f"{head}  ({counted})")
    worst = check.worst
    if worst is not None and not check.passed:
        if worst.lower is not None:
            text = message("label.worst_kink", lang, where=worst.where, lower=worst.lower, upper=worst.upper, got=worst.got)
        else:
            text = message(
                "label.worst", lang, where=worst.where, expected=worst.expected, got=worst.got,
                rel=worst.rel_error, tol=worst.tolerance,
            )
        lines.append("      " + text)
    for note in check.diagnoses:
        lines.append("      " + message("label.likely", lang, text=render_note(note, lang)))
    if check.kinks:
        lines.append("      " + message("label.kinks", lang, n=check.kinks))
    return lines


def render_result(result: CheckResult, lang: str = "en") -> str:
    """A multi-line, plain-text account of one target's checks."""
    status = message("label.pass" if result.passed else "label.fail", lang)
    lines = [f"[{status}] {result.target}  ({message('label.seed', lang, seed=result.seed, mode=result.mode)})"]
    if result.problem is not None:
        lines.append("    " + render_note(result.problem, lang))
    for check in result.checks:
        lines.extend(_check_lines(check, result.target, lang))
    for note in result.notes:
        lines.append("    * " + render_note(note, lang))
    if result.output:
        lines.append("    " + message("label.output", lang))
        lines.extend("      | " + line for line in result.output.rstrip("\n").splitlines()[:40])
    return "\n".join(lines)
