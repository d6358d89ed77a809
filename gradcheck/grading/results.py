"""What grading produces: a score per test and per submission, as plain data that renders and journals."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class TestResult:
    """One graded test: a question id or a check name, its points and what the learner should read."""

    name: str
    score: float
    max_score: float
    output: str = ""
    hidden: bool = False
    diagnosis: str = ""  # the likely mistake in one sentence (the report's language), for the class view
    diagnosis_key: str = ""  # its catalogue key: the same mistake in two submissions has the same key
    error: bool = False  # not graded at all (no file, unreadable, does not load), as opposed to failed
    line: int = 0  # the line of the submitted file this test's failure is about (0: none or unknown)


@dataclass
class SubmissionResult:
    """A submission's score and its tests."""

    submission: str
    score: float
    max_score: float
    tests: list[TestResult] = field(default_factory=list)
    sha256: str = ""  # of the bytes graded (the private copy), so a changed file is seen and the report says what
    refused: list[str] = field(default_factory=list)  # what the sandbox refused the code ("read PATH"), caught or not

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "SubmissionResult":
        tests = [TestResult(**t) for t in data["tests"]]
        return cls(data["submission"], data["score"], data["max_score"], tests, data.get("sha256", ""),
                   [str(e) for e in data.get("refused", [])])
