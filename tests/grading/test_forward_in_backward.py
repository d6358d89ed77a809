"""A backward computed by finite differences of the learner's own forward: verify says so, and an exercise
that declares ``backward_may_call_forward = false`` gives its gradient checks nothing."""

from __future__ import annotations

import shutil

from gradcheck.grading.bank import find_exercise, load_exercise
from gradcheck.grading.grade import grade_code
from gradcheck.verify import Options, verify_file

NUMERIC = '''
import numpy as np


class Affine:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.x = x
        return x.reshape(x.shape[0], -1) @ self.W + self.b

    def backward(self, dout):
        x, h = self.x, 1e-6
        self.db = dout.sum(axis=0)
        self.dW = x.reshape(x.shape[0], -1).T @ dout
        dx = np.zeros_like(x)
        for i in np.ndindex(x.shape):
            old = x[i]
            x[i] = old + h
            up = (self.forward(x) * dout).sum()
            x[i] = old - h
            down = (self.forward(x) * dout).sum()
            x[i] = old
            dx[i] = (up - down) / (2 * h)
        self.x = x
        return dx
'''


def test_verify_says_when_backward_calls_forward(tmp_path):
    path = tmp_path / "affine.py"
    path.write_text(NUMERIC)
    report = verify_file(str(path), Options(run_dir=str(tmp_path), shrink=False, diagnosis="none"))
    notes = [n for r in report.results for n in r.notes if n.key == "note.backward_calls_forward"]
    assert notes and notes[0].params["count"] > 0
    assert all(r.passed for r in report.results)  # the gradients are right: verify informs, it does not fail


def test_an_exercise_that_forbids_it_gives_the_gradients_nothing(tmp_path):
    folder = tmp_path / "affine-no-numeric"
    shutil.copytree(find_exercise("affine").root, folder)
    toml = folder / "exercise.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text("backward_may_call_forward = false\n" + text, encoding="utf-8")
    exercise = load_exercise(folder)
    assert exercise.backward_may_call_forward is False
    path = tmp_path / "affine.py"
    path.write_text(NUMERIC)
    result = grade_code(exercise, path, "numeric", seed=0, timeout=10.0, lang="en")
    dx = next(t for t in result.tests if t.name == "dx")
    assert dx.score == 0 and "calls forward" in dx.output
    honest = grade_code(exercise, exercise.root / "solution.py", "honest", seed=0, timeout=10.0, lang="en")
    assert honest.score == honest.max_score
