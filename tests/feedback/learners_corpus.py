"""The learner corpus of tests/feedback (learners.toml): files written from scratch the way learners write them,
each verified as a learner would and judged by whether the report's fix stands at the labelled line and says
the labelled words.  Used by tests/feedback/test_learners.py and bench/fix_search.py."""

from __future__ import annotations

import tomllib
import time
from dataclasses import dataclass, field
from pathlib import Path

from gradcheck.report.render import render_files_text
from gradcheck.verify import FileReport, Options, verify_file

HERE = Path(__file__).parent
FOLDER = HERE / "learners"


@dataclass(frozen=True)
class Learner:
    """One labelled learner file."""

    path: str
    line: int = 0
    words: tuple[str, ...] = ()
    correct: bool = False


@dataclass
class Judged:
    """What the report said about one learner file."""

    learner: Learner
    report: FileReport
    fixes: list[str] = field(default_factory=list)  # the fix lines, rendered in English
    fix_lines: list[int] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def named(self) -> bool:
        text = "\n".join(self.fixes)
        return self.learner.line in self.fix_lines and all(w in text for w in self.learner.words)

    @property
    def ok(self) -> bool:
        return self.report.passed and not self.fixes if self.learner.correct else self.named


def learners() -> list[Learner]:
    data = tomllib.loads((HERE / "learners.toml").read_text(encoding="utf-8"))
    return [Learner(e["path"], e.get("line", 0), tuple(e.get("words", ())), e.get("correct", False)) for e in data["file"]]


def judge(learner: Learner, lang: str = "en", options: Options | None = None) -> Judged:
    path = FOLDER / learner.path
    start = time.perf_counter()
    report = verify_file(str(path), options or Options(run_dir=str(FOLDER)))
    judged = Judged(learner, report, seconds=time.perf_counter() - start)
    for result in report.results:
        notes = [n for c in result.checks for n in c.diagnoses] + list(result.notes)
        for note in notes:
            if note.key.startswith("fix."):
                judged.fixes.append(note.render(lang))
                where = note.params.get("where")
                if where is not None:
                    judged.fix_lines.append(int(where.params["line"]))
    return judged


def text_of(judged: Judged, lang: str = "en") -> str:
    return render_files_text([judged.report], lang)
