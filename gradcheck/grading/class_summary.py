"""The class view of a batch: the score distribution, each test's pass rate and the mistakes most learners
made, as plain data for the terminal summary and the HTML report."""

from __future__ import annotations

import statistics
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

    @property
    def failed(self) -> int:
        return self.total - self.passed


@dataclass
class CommonMistake:
    test: str  # the tests it was made in, comma-separated, in the exercise's order
    text: str  # the diagnosis as the first learner who made it was told
    count: int  # learners who made it (each once, however many tests showed it)


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
    refused: list[tuple[str, list[str]]] = field(default_factory=list)  # submissions the sandbox refused something
    identical: list[list[str]] = field(default_factory=list)  # groups of byte-identical submissions (same sha256)


def _bins(scores: list[float], top: float, bins: int) -> list[tuple[float, float, int]]:
    """Score bands of equal width; the last holds full marks (a band is low <= score < high, the last <= top)."""
    width = top / bins if top else 1.0
    counts = [0] * bins
    for s in scores:
        counts[min(bins - 1, int(s / width)) if width else 0] += 1
    return [(i * width, (i + 1) * width, c) for i, c in enumerate(counts)]


def _mistakes(results: list[SubmissionResult], names: list[str]) -> list[CommonMistake]:
    """The diagnoses most learners got.  One mistake made by the same learners in several tests is one line
    (a hanging file that fails four checks is one learner, not four)."""
    learners: dict[tuple[str, str], set[int]] = {}
    texts: dict[tuple[str, str], str] = {}
    for i, r in enumerate(results):
        for t in r.tests:
            if t.score < t.max_score and t.diagnosis_key and not t.error:
                learners.setdefault((t.name, t.diagnosis_key), set()).add(i)
                texts.setdefault((t.name, t.diagnosis_key), t.diagnosis or t.diagnosis_key)
    merged: dict[tuple[str, frozenset], list[str]] = {}
    for (test, key), who in learners.items():
        merged.setdefault((key, frozenset(who)), []).append(test)
    order = sorted(merged, key=lambda g: (-len(g[1]), min(names.index(n) for n in merged[g])))
    return [CommonMistake(", ".join(n for n in names if n in merged[g]), texts[(merged[g][0], g[0])], len(g[1]))
            for g in order[:10]]


def _identical(results: list[SubmissionResult]) -> list[list[str]]:
    groups: dict[str, list[str]] = {}
    for r in results:
        if r.sha256:
            groups.setdefault(r.sha256, []).append(r.submission)
    return [g for g in groups.values() if len(g) > 1]


def summarize(results: list[SubmissionResult], bins: int = 10) -> ClassSummary:
    """Distribution, pass rates (in the exercise's test order), the most common diagnoses, the submissions
    the sandbox refused something, and byte-identical submissions."""
    scores = [r.score for r in results]
    top = max((r.max_score for r in results), default=0.0)
    names = list(dict.fromkeys(t.name for r in results for t in r.tests))
    tests = [TestRate(n, sum(t.score >= t.max_score for r in results for t in r.tests if t.name == n),
                      sum(t.name == n for r in results for t in r.tests)) for n in names]
    return ClassSummary(len(results), top, statistics.fmean(scores) if scores else 0.0,
                        statistics.median(scores) if scores else 0.0, _bins(scores, top, bins), tests,
                        _mistakes(results, names),
                        sum(all(t.error for t in r.tests) and bool(r.tests) for r in results),
                        [(r.submission, r.refused) for r in results if r.refused], _identical(results))


def band_label(low: float, high: float, last: bool) -> str:
    """A score band as a reader reads it: 9-10 for the top band (full marks in it), 8-9 for one below."""
    return f"{low:.3g}-{high:.3g}" if last else f"{low:.3g}-<{high:.3g}"


def render_summary(summary: ClassSummary, lang: str = "en") -> str:
    """The summary for the terminal: mean and median, a bar per score band, the most failed tests and mistakes,
    the submissions the sandbox refused something and identical submissions."""
    lines = [message("class.head", lang, count=summary.count, mean=summary.mean, median=summary.median,
                     max_score=summary.max_score)]
    if summary.not_graded:
        lines.append("  " + message("class.not_graded", lang, count=summary.not_graded))
    peak = max((c for _, _, c in summary.bins), default=0) or 1
    for k, (low, high, c) in enumerate(summary.bins):
        lines.append(f"  {band_label(low, high, k == len(summary.bins) - 1):>11s} {'#' * round(20 * c / peak):20s} {c}")
    worst = sorted((t for t in summary.tests if t.failed), key=lambda t: -t.failed)[:3]
    if worst:
        lines.append("  " + message("class.most_failed", lang, tests=", ".join(
            message("class.failed_count", lang, name=t.name, failed=t.failed, total=t.total) for t in worst)))
    for m in summary.mistakes[:5]:
        lines.append("  " + message("class.mistake", lang, count=m.count, total=summary.count, test=m.test, text=m.text))
    for submission, refused in summary.refused:
        lines.append("  " + message("class.refused", lang, submission=submission, what="; ".join(refused[:4])))
    for group in summary.identical:
        lines.append("  " + message("class.identical", lang, n=len(group), submissions=", ".join(group)))
    return "\n".join(lines)
