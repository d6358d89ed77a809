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


def _passing(title: str, case: str | None = None, notes=()) -> CheckResult:
    checks = [GradientCheck("dx", True, "full", 20, Evidence("[0]", 1.0, 1.0, 1e-8)), GradientCheck("forward", True, "full", 20)]
    return CheckResult(title, checks, target_id="Relu", case=Note(case) if case else None, notes=list(notes))


def test_a_passing_target_is_one_line_with_only_the_notes_that_ask_something():
    inplace, probe = Note("inplace.dout"), Note("probe.random", {"seed": 0})
    report = FileReport("layers.py", [_passing("Relu", notes=[probe, inplace]), _passing("Relu (3-D input)", "case.batch_2d", [probe])])
    lines = [line for line in render_files_text([report]).splitlines() if "confinement" not in line]
    assert lines[1] == "[PASS] Relu  (2 cases, 4 checks passed)"
    assert lines[2].startswith("    * backward changes the dout array it was given") and len(lines) == 4
    assert "upstream gradient dout" in render_files_text([report], verbose=True)


def test_a_diagnosis_is_said_once_per_target_however_many_checks_carry_it():
    note = Note("diag.overflow")
    a = GradientCheck("dx", False, "full", 20, problem=Note("grad.not_finite", {"name": "dx", "count": 20}), diagnoses=[note])
    b = GradientCheck("forward", False, "full", 1, problem=Note("forward.not_finite", {"count": 1}), diagnoses=[note])
    text = CheckResult("SoftmaxWithLoss", [a, b], target_id="SoftmaxWithLoss").render("en")
    assert text.count("exp overflows") == 1
