"""A hang, an exit or an exception in backward costs the gradient checks, not the forward's: the forward is
compared with the reference on a fresh layer (a fresh child where the backward ended the last one)."""

from __future__ import annotations

import pytest

from gradcheck.grading.bank import find_exercise
from gradcheck.grading.grade import grade_code

EXERCISE = find_exercise("affine")
FORWARD = '''
import numpy as np, os, sys

class Affine:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.x = x
        return np.dot(x.reshape(x.shape[0], -1), self.W) + self.b

    def backward(self, dout):
'''


@pytest.mark.parametrize("body", ["        while True:\n            pass\n", "        os._exit(3)\n", "        raise ValueError('later')\n",
                                  "        sys.exit(0)\n"])
def test_a_broken_backward_leaves_the_forward_its_points(tmp_path, body):
    path = tmp_path / "affine.py"
    path.write_text(FORWARD + body)
    result = grade_code(EXERCISE, path, "s", seed=0, timeout=2.0, lang="en")
    scores = {t.name: t.score for t in result.tests}
    forward = next(c for c in EXERCISE.checks if c.name == "forward")
    assert scores["forward"] == forward.points and scores["dx"] == 0 and scores["dW"] == 0


def test_exercises_check_names_the_check_a_broken_solution_loses(tmp_path):
    import shutil

    from gradcheck.grading.bank import load_exercise
    from gradcheck.grading.selfcheck import check_exercise

    folder = tmp_path / "affine"
    shutil.copytree(EXERCISE.root, folder)
    solution = folder / "solution.py"
    text = solution.read_text(encoding="utf-8")
    assert "self.db = np.sum(dout, axis=0)" in text
    solution.write_text(text.replace("self.db = np.sum(dout, axis=0)", "self.db = np.sum(dout, axis=0) * 2"), encoding="utf-8")
    problems = check_exercise(load_exercise(folder))
    note = next(p for p in problems if p.key == "bank.check_solution")
    assert "db (" in note.render("en") and "loses points on" in note.render("en")


def test_an_upload_named_with_other_capitals_is_told_to_rename(tmp_path):
    from gradcheck.grading.grade import grade_submission

    folder = tmp_path / "s1"
    folder.mkdir()
    (folder / "Affine.py").write_text("x = 1\n")
    (folder / "notes.py").write_text("y = 2\n")
    result = grade_submission(EXERCISE, folder)
    assert result.score == 0 and "rename the file to affine.py" in result.tests[0].output


def test_a_half_finished_template_is_told_backward_is_not_written_and_the_forward_keeps_its_point(tmp_path):
    path = tmp_path / "affine.py"
    path.write_text(FORWARD + "        raise NotImplementedError\n")
    result = grade_code(EXERCISE, path, "s", seed=0, timeout=2.0, lang="en")
    scores = {t.name: t for t in result.tests}
    assert scores["forward"].score == scores["forward"].max_score
    assert scores["dx"].score == 0 and "not implemented yet" in scores["dx"].output
    assert "nothing named" not in scores["dx"].output
