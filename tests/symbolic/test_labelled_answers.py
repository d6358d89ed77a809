"""The labelled answers of tests/corpus/answers.toml: no wrong answer accepted, every right one accepted
(bench/answer_accuracy.py prints the same figures, after confirming each label at 120 digits)."""

import tomllib
from pathlib import Path

import pytest

from gradcheck.symbolic.equivalence import Verdict, equivalent_many

SHEETS = tomllib.loads((Path(__file__).parent.parent / "corpus" / "answers.toml").read_text(encoding="utf-8"))["answer"]


@pytest.mark.parametrize("sheet", SHEETS, ids=[s["expected"] for s in SHEETS])
def test_each_labelled_answer_gets_its_label(sheet):
    domain = {k: tuple(v) for k, v in sheet.get("domain", {}).items()}
    answers = [(a, True) for a in sheet.get("right", [])] + [(a, False) for a in sheet.get("wrong", [])]
    verdicts = equivalent_many([{"answer": a, "expected": sheet["expected"], "where": sheet.get("where"),
                                 "domain": domain} for a, _ in answers])
    wrongly = []
    for (answer, right), verdict in zip(answers, verdicts):
        accepted = not isinstance(verdict, Exception) and verdict.verdict is Verdict.EQUAL
        if accepted != right:
            wrongly.append((answer, "refused" if right else "ACCEPTED", getattr(verdict, "reason", verdict)))
    assert not wrongly
