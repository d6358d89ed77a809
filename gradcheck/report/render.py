"""Rendering check results as text a learner can act on."""

from __future__ import annotations

import math

from typing import TYPE_CHECKING

from .messages import CATALOGUES, message, render_note

if TYPE_CHECKING:  # types only: model imports this module to render itself
    from .model import CheckResult, GradientCheck


def _subject(check: GradientCheck, target: str, kind: str, lang: str = "en") -> str:
    if kind == "gate":
        return target
    if kind in ("function", "optimizer", "network"):
        shown = message("label.trajectory", lang) if check.gradient == "trajectory" else check.gradient
        return f"{target}: {shown}"
    if check.gradient == "forward":
        return f"{target}.forward"
    return f"{target}.backward -> {check.gradient}"


def _likely(check: GradientCheck, lang: str, said: set) -> list[str]:
    """The check's diagnoses not yet said for this target (each is said once)."""
    lines = []
    for note in check.diagnoses:
        text = render_note(note, lang)
        if text not in said:
            said.add(text)
            label = ("label.mistake_found" if note.key.startswith(("fix.mistake.", "fix.where")) else "label.fix") \
                if note.key.startswith("fix.") else "label.likely"
            lines.append("      " + message(label, lang, text=text))
    return lines


def _check_lines(check: GradientCheck, target: str, lang: str, kind: str = "layer", said: set | None = None,
                 reveal: bool = True) -> list[str]:
    said = set() if said is None else said
    status = message("label.pass" if check.passed else "label.fail", lang)
    head = f"  [{status}] {_subject(check, target, kind, lang)}"
    lines = []
    if check.problem is not None:
        return [head, "      " + render_note(check.problem, lang)] + _likely(check, lang, said)
    counted = message(f"label.checked_{check.method.replace(' ', '_')}", lang, n=check.checked)
    lines.append(f"{head}  ({counted})")
    worst = check.worst
    if worst is not None and not check.passed:
        if not reveal:
            text = message("label.worst_hidden", lang, where=worst.where, rel=worst.rel_error, tol=worst.tolerance)
        elif not math.isfinite(worst.got):
            text = message("label.worst_not_finite", lang, where=worst.where, expected=worst.expected, got=worst.got)
        elif worst.lower is not None:
            text = message("label.worst_kink", lang, where=worst.where, lower=worst.lower, upper=worst.upper, got=worst.got)
        else:
            text = message(
                "label.worst", lang, where=worst.where, expected=worst.expected, got=worst.got, err=worst.abs_error,
                rel=worst.rel_error, tol=worst.tolerance,
            )
        lines.append("      " + text)
    for note in check.notes:
        lines.append("      - " + render_note(note, lang))
    lines.extend(_likely(check, lang, said))
    if check.kinks:
        lines.append("      " + message("label.kinks", lang, n=check.kinks))
    return lines


def render_result(result: CheckResult, lang: str = "en", reveal: bool = True) -> str:
    """A multi-line, plain-text account of one target's checks; ``reveal=False`` (an exam) leaves out the
    expected values."""
    status = message("label.pass" if result.passed else "label.fail", lang)
    title = result.title(lang)
    mode = message(f"mode.{result.mode}", lang) if f"mode.{result.mode}" in CATALOGUES["en"] else result.mode
    lines = [f"[{status}] {title}  ({message('label.seed', lang, seed=result.seed, mode=mode)})"]
    if not result.passed and result.path and result.line:
        lines.append(f"    {result.path}:{result.line}")  # the form terminals and editors open
    if result.problem is not None:
        lines.append("    " + render_note(result.problem, lang))
    failed_at: dict[str, str] = {}
    said: set[str] = set()  # diagnoses already printed for this target
    for check in result.checks:
        worst = check.worst
        if not check.passed and worst is not None and failed_at.get(check.gradient) == worst.where:
            # the same wrong numbers, found again by another method: say so in one line
            status = message("label.fail", lang)
            counted = message(f"label.checked_{check.method.replace(' ', '_')}", lang, n=check.checked)
            lines.append(f"  [{status}] {_subject(check, title, result.kind, lang)}  ({counted}; {message('label.same_numbers', lang)})")
            lines.extend(_likely(check, lang, said))
            continue
        if not check.passed and worst is not None:
            failed_at.setdefault(check.gradient, worst.where)
        lines.extend(_check_lines(check, title, lang, result.kind, said, reveal))
    for note in result.notes:
        lines.append("    * " + render_note(note, lang))
    if result.graph and not result.passed:
        lines.extend(graph_lines(result.graph, lang))
    if result.output:
        lines.append("    " + message("label.output", lang))
        lines.extend("      | " + line for line in result.output.rstrip("\n").splitlines()[:40])
    return "\n".join(lines)


def node_verdict(node: dict, lang: str) -> str:
    """A graph node's verdict in one word: right, wrong, or not checked alone."""
    return message("graph.unchecked" if node["passed"] is None else "graph.ok" if node["passed"] else "graph.wrong", lang)


def _node_text(node: dict, lang: str, inner: list[str]) -> str:
    mark = node_verdict(node, lang)
    if node["skipped"]:
        mark = message("graph.skipped", lang)
    text = f"{node['label']} {mark}"
    return f"{text} {{{', '.join(inner)}}}" if inner else text


def graph_lines(graph: list[dict], lang: str = "en", width: int = 100) -> list[str]:
    """The network's nodes in forward order on as few lines as fit ``width``, each with its verdict; the nodes a
    layer function called shown inside braces after it."""
    def text(i: int) -> str:
        inner = [text(j) for j in range(i + 1, len(graph)) if graph[j]["depth"] == graph[i]["depth"] + 1
                 and _owner(graph, j) == i]
        return _node_text(graph[i], lang, inner)

    tokens = ["x"] + [text(i) for i, node in enumerate(graph) if node["depth"] == 0] + ["loss"]
    lines, line = ["    " + message("graph.title", lang)], "      "
    for k, token in enumerate(tokens):
        piece = token if k == 0 else " -> " + token
        if len(line) + len(piece) > width and line.strip():
            lines.append(line)
            line = "        "
        line += piece
    lines.append(line)
    return lines


def _owner(graph: list[dict], j: int) -> int | None:
    """The nearest earlier node one level up: the layer function that called node ``j``."""
    return next((i for i in range(j - 1, -1, -1) if graph[i]["depth"] == graph[j]["depth"] - 1), None)


def _note_text(note, lang):
    return None if note is None else render_note(note, lang)


def result_dict(result: CheckResult, lang: str = "en") -> dict:
    """A JSON-ready account of one target, with every message rendered in ``lang``."""
    checks = []
    for c in result.checks:
        worst = None
        if c.worst is not None:
            w = c.worst
            worst = {"where": w.where, "expected": w.expected, "got": w.got, "tolerance": w.tolerance,
                     "relative_error": w.rel_error, "lower": w.lower, "upper": w.upper}
        checks.append({
            "gradient": c.gradient, "passed": c.passed, "method": c.method, "checked": c.checked, "worst": worst,
            "kinks": c.kinks, "likely_mistakes": [render_note(n, lang) for n in c.diagnoses],
            "notes": [render_note(n, lang) for n in c.notes],
            "problem": _note_text(c.problem, lang),
        })
    return {
        "id": result.target_id, "target": result.target, "kind": result.kind, "passed": result.passed, "seed": result.seed, "mode": result.mode,
        "path": result.path, "line": result.line,
        "problem": _note_text(result.problem, lang), "notes": [render_note(n, lang) for n in result.notes], "checks": checks,
        **({"graph": result.graph} if result.graph is not None else {}),
    }


def failure_signature(result: CheckResult) -> tuple | None:
    """What a failure looks like (which gradients fail, with which problem and diagnoses), None for a pass:
    two cases of one target with the same signature failed for the same reason."""
    if result.passed:
        return None
    failed = tuple((c.gradient, c.problem.key if c.problem else "", tuple(n.key for n in c.diagnoses)) for c in result.failures())
    return (result.target_id or result.target.split(" (")[0], result.problem.key if result.problem else "", failed)


#: Notes that describe how a check was run rather than something to act on: not repeated for a passing target.
INFO_NOTES = frozenset({"probe.random", "note.intended_loss", "optim.differs_from"})


def _passing_lines(results: list[CheckResult], lang: str) -> list[str]:
    """One line for a passing target (all its cases), with the notes that still ask something of the learner."""
    first = results[0]
    checks = sum(len(r.checks) for r in results)
    name = first.target.split(" (")[0] if len(results) > 1 else first.title(lang)
    counted = message("label.passed_cases", lang, cases=len(results), checks=checks) if len(results) > 1 else \
        message("label.passed_checks", lang, checks=checks)
    lines = [f"[{message('label.pass', lang)}] {name}  ({counted})"]
    seen: set[str] = set()
    for r in results:
        notes = list(r.notes) + [n for c in r.checks for n in c.notes]
        for note in notes:
            text = render_note(note, lang)
            if note.key not in INFO_NOTES and text not in seen:
                seen.add(text)
                lines.append("    * " + text)
    return lines


def _grouped(results: list[CheckResult], verbose: bool, lang: str) -> list[tuple[list[CheckResult], list[str]]]:
    """Results to show: consecutive passing cases of one target together, and a failure that repeats across
    a target's cases once, with the other cases listed (``verbose``: each result alone)."""
    groups: list[tuple[list[CheckResult], list[str]]] = []
    first: dict[tuple, int] = {}
    for r in results:
        signature = failure_signature(r)
        base = r.target_id or r.target.split(" (")[0]
        if verbose:
            groups.append(([r], []))
        elif signature is None and groups and groups[-1][0][0].passed and \
                (groups[-1][0][0].target_id or groups[-1][0][0].target.split(" (")[0]) == base and not r.output:
            groups[-1][0].append(r)
        elif signature is not None and signature in first:
            groups[first[signature]][1].append(r.title(lang))
        else:
            if signature is not None:
                first[signature] = len(groups)
            groups.append(([r], []))
    return groups


def refused_line(refused: list[str], lang: str = "en") -> str:
    """One sentence naming what the sandbox refused the learner's code (read, list or write, and the path)."""
    return message("label.refused", lang, n=len(refused), what="; ".join(refused[:8]) + ("; ..." if len(refused) > 8 else ""))


def render_files_text(reports, lang: str = "en", verbose: bool = False) -> str:
    """Text for a verify run: each file's targets, the learner's output, and a summary line.  A failure that
    repeats in several cases of a target is shown once, with the other cases listed (``verbose``: all)."""
    out, passed, total = [], 0, 0
    for rep in reports:
        out.append(message("label.file", lang, path=rep.path))
        if rep.problem is not None:
            out.append("  " + render_note(rep.problem, lang))
        if rep.results and "landlock" not in rep.isolation:
            out.append("  " + message("label.unconfined", lang, isolation=rep.isolation))
        for r in rep.results:
            passed += sum(c.passed for c in r.checks)
            total += len(r.checks) + (r.problem is not None)
        for results, also in _grouped(rep.results, verbose, lang):
            if results[0].passed and not verbose and not results[0].output:
                out.extend(_passing_lines(results, lang))
                continue
            out.append(render_result(results[0], lang))
            if also:
                out.append("    " + message("label.also_fails", lang, cases="; ".join(also)))
        if rep.skipped:
            out.append("  " + message("label.skipped", lang, n=len(rep.skipped)))
            out.extend("    - " + render_note(s.reason, lang) for s in rep.skipped)
        if rep.output.strip():
            out.append("  " + message("label.output", lang))
            out.extend("    | " + line for line in rep.output.rstrip("\n").splitlines()[:60])
        if rep.refused:
            out.append("  " + refused_line(rep.refused, lang))
    out.append(message("label.files_summary", lang, passed=passed, total=total, files=len(reports)))
    return "\n".join(out)


def render_files_json(reports, status: int, lang: str = "en") -> str:
    """One JSON document for a verify run."""
    import json

    doc = {
        "passed": status == 0,
        "exit_status": status,
        "lang": lang,
        "files": [
            {"path": r.path, "passed": r.passed, "status": r.status, "problem": _note_text(r.problem, lang),
             "isolation": r.isolation, "refused": r.refused, "output": r.output, "results": [result_dict(x, lang) for x in r.results],
             "skipped": [s.to_dict(lang) for s in r.skipped]}
            for r in reports
        ],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False)


def render_files_junit(reports, lang: str = "en") -> str:
    """JUnit XML: a testsuite per file, a testcase per checked gradient."""
    from xml.etree import ElementTree as ET

    suites = ET.Element("testsuites")
    for rep in reports:
        suite = ET.SubElement(suites, "testsuite", name=rep.path)
        cases = 0
        failures = 0
        if rep.problem is not None:
            case = ET.SubElement(suite, "testcase", classname=rep.path, name="load")
            ET.SubElement(case, "error", message=render_note(rep.problem, lang))
            cases, failures = cases + 1, failures + 1
        for r in rep.results:
            rows = r.checks or [None]
            for c in rows:
                name = r.target if c is None else _subject(c, r.target, r.kind)
                case = ET.SubElement(suite, "testcase", classname=r.target, name=name)
                cases += 1
                if c is None or not c.passed or r.problem is not None:
                    failures += 1
                    text = render_result(r, lang)
                    first = render_note(r.problem, lang) if r.problem else (render_note(c.problem, lang) if c and c.problem else name)
                    ET.SubElement(case, "failure", message=first).text = text
        suite.set("tests", str(cases))
        suite.set("failures", str(failures))
        if rep.output:
            ET.SubElement(suite, "system-out").text = rep.output
    return ET.tostring(suites, encoding="unicode")
