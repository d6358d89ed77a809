"""What a failing submission is told of the edit that fixes it: by default in grading the mistake in words and
its line (not the edit), the edit where the exercise or the instructor allows it, never the edit in an exam,
and an exercise.toml with another level is refused with one sentence."""

from __future__ import annotations

import dataclasses
import shutil

import pytest
from click.testing import CliRunner

from gradcheck.cli import main
from gradcheck.grading.bank import BankError, find_exercise, load_exercise
from gradcheck.grading.grade import grade_submission

WRONG_AXIS = ("self.db = np.sum(dout, axis=0)", "self.db = np.sum(dout, axis=1)")


@pytest.fixture(scope="module")
def wrong_axis(tmp_path_factory):
    ex = find_exercise("affine")
    folder = tmp_path_factory.mktemp("student")
    source = (ex.root / ex.solution).read_text(encoding="utf-8")
    assert WRONG_AXIS[0] in source
    (folder / ex.submission).write_text(source.replace(*WRONG_AXIS), encoding="utf-8")
    return folder


def _feedback(result) -> str:
    return "\n".join(t.output for t in result.tests)


def test_grading_says_the_mistake_and_its_line_not_the_edit(wrong_axis):
    ex = find_exercise("affine")
    assert ex.diagnosis == "mistake"
    text = _feedback(grade_submission(ex, wrong_axis))
    assert "the mistake (checked)" in text and "np.sum(dout, axis=1)" in text and "reduces over the wrong axis" in text
    assert "instead of" not in text and "fix (checked)" not in text


def test_an_exercise_that_allows_it_shows_the_edit_but_an_exam_does_not(wrong_axis):
    ex = dataclasses.replace(find_exercise("affine"), diagnosis="fix")
    shown = _feedback(grade_submission(ex, wrong_axis))
    assert "fix (checked)" in shown and "np.sum(dout, axis=0)` instead of `np.sum(dout, axis=1)`" in shown
    exam = _feedback(grade_submission(ex, wrong_axis, reveal=False))
    assert "fix (checked)" not in exam and "the mistake (checked)" in exam


def test_none_says_nothing_of_an_edit_and_the_score_is_the_same(wrong_axis):
    ex = find_exercise("affine")
    quiet = grade_submission(dataclasses.replace(ex, diagnosis="none"), wrong_axis)
    told = grade_submission(ex, wrong_axis)
    assert "(checked)" not in _feedback(quiet)
    assert quiet.score == told.score < told.max_score


def test_the_command_line_chooses_the_level(wrong_axis):
    out = CliRunner().invoke(main, ["grade", "affine", str(wrong_axis), "--diagnosis", "where"]).output
    assert "is where db goes wrong" in out and "np.sum(dout, axis=1)" not in out.split("the mistake (checked)")[-1]


def test_an_unknown_level_in_exercise_toml_is_one_sentence(tmp_path):
    folder = tmp_path / "affine"
    shutil.copytree(find_exercise("affine").root, folder)
    toml = folder / "exercise.toml"
    toml.write_text('diagnosis = "everything"\n' + toml.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(BankError) as raised:
        load_exercise(folder)
    assert "diagnosis must be one of fix, mistake, where, none" in raised.value.note.render("en")
