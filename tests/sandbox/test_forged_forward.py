"""The red team's forged score: a forward that returns its remembered output for any input near the checked
point makes finite differences of it zero, so a zero backward "passes".  The forward is compared with the
reference around the point too, along random directions of inputs and parameters; the forgery fails there,
and an honest layer (with the book's 1e-7 inside its loss) still passes."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from gradcheck.grading.bank import find_exercise
from gradcheck.grading.grade import grade_code
from gradcheck.numeric.slopes import compare_slopes
from gradcheck.verify import Options, verify_file

FORGED = '''
import numpy as np

_memo = []

class Affine:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.x = x
        for x0, W0, out in _memo:
            if x0.shape == x.shape and np.abs(x - x0).max() < 1e-2 and np.abs(self.W - W0).max() < 1e-2:
                return out.copy()
        out = np.dot(x.reshape(x.shape[0], -1), self.W) + self.b
        _memo.append((x.copy(), self.W.copy(), out.copy()))
        return out

    def backward(self, dout):
        self.dW, self.db = np.zeros_like(self.W), np.zeros_like(self.b)
        return np.zeros(self.x.shape)


_seen = []


def relu_forward(x):
    for x0, out in _seen:
        if x0.shape == x.shape and np.abs(x - x0).max() < 1e-2:
            return out.copy(), x
    out = np.maximum(0, x)
    _seen.append((x.copy(), out.copy()))
    return out, x


def relu_backward(dout, cache):
    return np.zeros_like(dout)
'''


def test_a_forward_that_remembers_its_output_near_the_point_fails_in_both_conventions(tmp_path):
    path = tmp_path / "layers.py"
    path.write_text(FORGED)
    report = verify_file(str(path), Options(run_dir=str(tmp_path), shrink=False, diagnosis="none"))
    assert report.results and not any(r.passed for r in report.results)
    for result in report.results:
        slope = [c for c in result.checks if c.method == "reference slopes"]
        assert slope and not slope[0].passed and slope[0].diagnoses[0].key == "forward.slope", str(result)


def test_the_forged_affine_scores_nothing_when_graded(tmp_path):
    exercise = find_exercise("affine")
    path = tmp_path / "affine.py"
    path.write_text(FORGED)
    result = grade_code(exercise, path, "forger", seed=0, timeout=10.0, lang="en")
    assert result.score < result.max_score / 2, [t.output for t in result.tests]


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 4), st.integers(1, 4), st.floats(-1e-6, 1e-6), st.integers(0, 2**16))
def test_the_same_function_up_to_a_constant_passes_and_a_flattened_one_fails(rows, cols, offset, seed):
    rng = np.random.default_rng(seed)
    x, w = rng.standard_normal((rows, cols)), rng.standard_normal((cols, 3))

    def reference(arrays):
        return np.tanh(arrays[0] @ arrays[1])

    honest = compare_slopes(lambda a: reference(a) + offset, reference, [x, w], seed)
    assert honest is not None and honest.passed
    flat = compare_slopes(lambda a: reference([x, w]), reference, [x, w], seed)
    assert flat is not None and not flat.passed
