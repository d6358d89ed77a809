"""The class view of a batch: the score distribution, each test's pass rate and the mistakes most learners
made, as plain data for the terminal summary and the HTML report."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field

from ..report.messages import message
from .results import SubmissionResult


@dataclass
class TestRate:
    name: str
    passed: int
    total: int

    @property
    def rate(self) -> float:
        return self.passed / self.total if self.total else 0.0


@dataclass
class CommonMistake:
    test: str
    text: str  # the diagnosis as the first learner who made it was told
    count: int


@dataclass
class ClassSummary:
    count: int
    max_score: float
    mean: float
    median: float
    bins: list[tuple[float, float, int]] = field(default_factory=list)  # (low, high, how many scored in it)
    tests: list[TestRate] = field(default_factory=list)
    mistakes: list[CommonMistake] = field(default_factory=list)
    not_graded: int = 0


def summarize(results: list[SubmissionResult], bins: int = 10) -> ClassSummary:
    """Distribution, pass rates (in the exercise's test order) and the most common diagnoses of ``results``."""
    scores = [r.score for r in results]
    top = max((r.max_score for r in results), default=0.0)
    width = top / bins if top else 1.0
    counts = [0] * bins
    for s in scores:
        counts[min(bins - 1, int(s / width)) if width else 0] += 1
    names = list(dict.fromkeys(t.name for r in results for t in r.tests))
    tests = [TestRate(n, sum(t.score >= t.max_score for r in results for t in r.tests if t.name == n),
                      sum(t.name == n for r in results for t in r.tests)) for n in names]
    seen: Counter = Counter()
    texts: dict[tuple[str, str], str] = {}
    for r in results:
        for t in r.tests:
            if t.score < t.max_score and t.diagnosis_key and not t.error:
                seen[(t.name, t.diagnosis_key)] += 1
                texts.setdefault((t.name, t.diagnosis_key), t.diagnosis or t.diagnosis_key)
    mistakes = [CommonMistake(test, texts[(test, key)], n) for (test, key), n in seen.most_common(10)]
    return ClassSummary(len(results), top, statistics.fmean(scores) if scores else 0.0,
                        statistics.median(scores) if scores else 0.0,
                        [(i * width, (i + 1) * width, c) for i, c in enumerate(counts)], tests, mistakes,
                        sum(all(t.error for t in r.tests) and bool(r.tests) for r in results))


def render_summary(summary: ClassSummary, lang: str = "en") -> str:
    """The summary for the terminal: mean and median, a bar per score band, the most failed tests and mistakes."""
    lines = [message("class.head", lang, count=summary.count, mean=summary.mean, median=summary.median,
                     max_score=summary.max_score)]
    if summary.not_graded:
        lines.append("  " + message("class.not_graded", lang, count=summary.not_graded))
    peak = max((c for _, _, c in summary.bins), default=0) or 1
    for low, high, c in summary.bins:
        lines.append(f"  {low:5.3g}-{high:<5.3g} {'#' * round(20 * c / peak):20s} {c}")
    worst = sorted(summary.tests, key=lambda t: t.rate)[:3]
    lines.append("  " + message("class.most_failed", lang, tests=", ".join(f"{t.name} ({t.passed}/{t.total})" for t in worst)))
    for m in summary.mistakes[:5]:
        lines.append("  " + message("class.mistake", lang, count=m.count, total=summary.count, test=m.test, text=m.text))
    return "\n".join(lines)
