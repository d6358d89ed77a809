"""The labelled corpus of learner mistakes (mistakes.toml): each entry is made into a learner's file in a copy
of its tree, verified as a learner would run it, and judged: did the report fail the right gradient, and did
it name the mistake?  Used by tests/corpus/test_corpus.py and bench/diagnosis_rate.py."""

from __future__ import annotations

import shutil
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from gradcheck.verify import Options, verify_file

HERE = Path(__file__).parent
TREES = {"book": HERE.parent / "realcode" / "book", "assignment": HERE.parent / "realcode" / "assignment",
         "custom": HERE / "custom"}


@dataclass(frozen=True)
class Entry:
    """One labelled learner file."""

    id: str
    tree: str
    path: str
    target: str = ""
    replace: tuple[tuple[str, str], ...] = ()
    gradient: str = ""
    accept: tuple[str, ...] = ()

    @property
    def correct(self) -> bool:
        return not self.replace


@dataclass
class Verdict:
    """What the report said about one entry."""

    entry: Entry
    failed_right_gradient: bool = False
    named: bool = False
    wrong_causes: list[str] = field(default_factory=list)
    said: list[str] = field(default_factory=list)
    text: str = ""

    @property
    def ok(self) -> bool:
        if self.entry.correct:
            return not self.said
        return self.failed_right_gradient and self.named and not self.wrong_causes


def entries() -> list[Entry]:
    data = tomllib.loads((HERE / "mistakes.toml").read_text(encoding="utf-8"))
    return [Entry(e["id"], e["tree"], e["path"], e.get("target", ""), tuple(tuple(r) for r in e.get("replace", ())),
                  e.get("gradient", ""), tuple(e.get("accept", ()))) for e in data["file"]]


def materialise(entry: Entry, where: Path) -> Path:
    """A copy of the entry's tree under ``where`` with its edits applied; the learner's file's path."""
    root = where / entry.id
    shutil.copytree(TREES[entry.tree], root)
    target = root / entry.path
    text = target.read_text(encoding="utf-8")
    for old, new in entry.replace:
        if old not in text:
            raise ValueError(f"{entry.id}: {old!r} is not in {entry.path}")
        text = text.replace(old, new, 1)
    target.write_text(text, encoding="utf-8")
    return target


def edited_lines(entry: Entry) -> set[int]:
    """The lines of the learner's file that the entry's edits wrote (where a fix of the mistake belongs)."""
    text = (TREES[entry.tree] / entry.path).read_text(encoding="utf-8")
    lines: set[int] = set()
    for old, new in entry.replace:
        at = text.find(old)
        if at < 0:
            continue
        text = text[:at] + new + text[at + len(old):]
        first = text.count("\n", 0, at) + 1
        lines = {line + new.count("\n") - old.count("\n") if line > first else line for line in lines}
        lines.update(range(first, first + new.count("\n") + 1))
    return lines


def _fix_lines(notes) -> list[int]:
    return [int(n.params["where"].params["line"]) for n in notes if n.key.startswith("fix.") and "where" in n.params]


def judge(entry: Entry, where: Path) -> Verdict:
    """Verify the entry's file and judge the report."""
    from gradcheck.report.render import render_files_text

    path = materialise(entry, where)
    lines = edited_lines(entry)
    targets = (entry.target,) if entry.target else ()
    report = verify_file(str(path), Options(run_dir=str(path.parent if entry.tree == "custom" else where / entry.id),
                                            targets=targets))
    verdict = Verdict(entry, text=render_files_text([report], "en"))
    for result in report.results:
        if result.problem is not None:
            verdict.said.append(result.problem.key)
        for check in result.failures():
            keys = [n.key for n in check.diagnoses] + ([check.problem.key] if check.problem else [])
            verdict.said.extend(keys)
            fixed_here = any(line in lines for line in _fix_lines(check.diagnoses))
            if not entry.gradient or check.gradient == entry.gradient:
                verdict.failed_right_gradient = True
                if any(k in entry.accept for k in keys) or fixed_here:
                    verdict.named = True
            # a fix is verified by the checks; one on another line is another right edit, not a wrong cause
            verdict.wrong_causes.extend(n.key for n in check.diagnoses if n.key not in entry.accept and not n.key.startswith("fix."))
    if report.problem is not None:
        verdict.said.append(report.problem.key)
    if entry.correct:
        verdict.said.extend(f"fail:{c.gradient}" for r in report.results for c in r.failures())
    verdict.wrong_causes = sorted(set(verdict.wrong_causes))
    return verdict
