"""A failure that repeats in several cases of one target is shown once, with the other cases named."""

from __future__ import annotations

from gradcheck.report.model import CheckResult, Evidence, GradientCheck, Note
from gradcheck.report.render import render_files_text
from gradcheck.verify import FileReport


def _result(title: str, diagnosis: str, case: str | None = None) -> CheckResult:
    check = GradientCheck("db", False, "full", 5, Evidence("[4]", 1.0, 2.0, 1e-8), diagnoses=[Note(diagnosis)])
    return CheckResult(title, [check], target_id="Affine", case=Note(case) if case else None)


def test_the_same_failure_in_two_cases_is_said_once():
    report = FileReport("layers.py", [_result("Affine", "diag.zero"), _result("Affine (batch of 4, 2-D input)", "diag.zero", "case.batch_2d")])
    text = render_files_text([report])
    assert text.count("worst at [4]") == 1
    assert "the same failure also in: Affine (batch of 4, 2-D input)" in text
    assert render_files_text([report], verbose=True).count("worst at [4]") == 2


def test_different_failures_are_each_shown():
    report = FileReport("layers.py", [_result("Affine", "diag.zero"), _result("Affine (batch of 4, 2-D input)", "diag.transposed", "case.batch_2d")])
    assert render_files_text([report]).count("worst at [4]") == 2


def test_the_same_wrong_numbers_found_by_two_methods_are_printed_once_with_every_diagnosis():
    worst = Evidence("[2, 2]", -0.02, 61.0, 1e-8)
    numeric = GradientCheck("dx", False, "full", 20, worst)
    exact = GradientCheck("dx", False, "symbolic", 20, worst, diagnoses=[Note("diag.x_for_y", {"formula": "dout * y * (1 - y)"})])
    text = CheckResult("Sigmoid", [numeric, exact], target_id="Sigmoid").render("en")
    assert text.count("worst at [2, 2]") == 1
    assert "the same wrong values as above" in text and "forward output y was meant" in text
