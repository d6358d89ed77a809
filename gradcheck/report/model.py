"""The results of checks, as plain data that every renderer and language can read.

Messages are stored as a key plus parameters (``Note``), never as finished text,
so one result renders in English or Korean and as text or JSON alike.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Note:
    """A message to the reader: a catalogue key and the values it mentions."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def render(self, lang: str = "en") -> str:
        from .messages import render_note

        return render_note(self, lang)


@dataclass(frozen=True)
class Evidence:
    """The worst disagreement found in one gradient."""

    where: str  # "[3, 1]" for an element, "projection 2" for a random direction
    expected: float
    got: float
    tolerance: float
    lower: float | None = None  # one-sided range, when the point sits on a kink
    upper: float | None = None

    @property
    def abs_error(self) -> float:
        return abs(self.got - self.expected)

    @property
    def rel_error(self) -> float:
        denom = max(abs(self.expected), abs(self.got))
        return self.abs_error / denom if denom > 0 else 0.0


@dataclass
class GradientCheck:
    """The verdict on one gradient of one target, e.g. ``Affine.backward -> dW``."""

    gradient: str
    passed: bool
    method: str  # "full", "fast", "reference", "symbolic", ...
    checked: int = 0
    worst: Evidence | None = None
    kinks: int = 0
    diagnoses: list[Note] = field(default_factory=list)  # likely mistakes
    problem: Note | None = None  # why the gradient could not be compared at all
    notes: list[Note] = field(default_factory=list)  # information, e.g. which formulation matched
    error_map: list | None = None  # a failing full check: error/tolerance per element, pooled to at most 48x48


@dataclass
class CheckResult:
    """All gradient checks of one target, with the seed that reproduces them."""

    target: str
    checks: list[GradientCheck] = field(default_factory=list)
    seed: int = 0
    mode: str = "auto"
    notes: list[Note] = field(default_factory=list)
    problem: Note | None = None  # the target could not be checked at all
    output: str = ""  # what the learner's code printed
    kind: str = "layer"  # "layer", "function", "optimizer" or "gate": how a check is named in text
    case: Note | None = None  # which of a target's cases, e.g. "logits near 1000", for the reader's language
    target_id: str = ""  # the target's stable id (``affine``), apart from the title it is shown under
    curve: dict | None = None  # an elementwise target's derivative over a range: {"x", "got", "true"} (--plot)
    graph: list[dict] | None = None  # a network's nodes in forward order with their verdicts (network_graph.Graph.drawing)
    path: str = ""  # the learner's file, and the line the result is about (``locations``); 0 when unknown
    line: int = 0

    def title(self, lang: str = "en") -> str:
        """The target's name, with its case in ``lang``."""
        if self.case is None:
            return self.target
        return f"{self.target.split(' (')[0]} ({self.case.render(lang)})"

    @property
    def passed(self) -> bool:
        return self.problem is None and bool(self.checks) and all(c.passed for c in self.checks)

    def __bool__(self) -> bool:
        return self.passed

    def failures(self) -> list[GradientCheck]:
        return [c for c in self.checks if not c.passed]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["passed"] = self.passed
        return data

    def render(self, lang: str = "en") -> str:
        from .render import render_result

        return render_result(self, lang)

    def __str__(self) -> str:
        return self.render("en")
