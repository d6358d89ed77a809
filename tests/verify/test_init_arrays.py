"""``--init`` passes arrays of a shape (``randn(4,3,3,3)``, ``zeros(4)``, ``ones(4)``): the README's notebook
example checks a correct convolution built from them, and the plain list and tuple forms keep their meaning."""

from __future__ import annotations

import numpy as np

from gradcheck.notebook import _parse
from gradcheck.options import parse_value
from gradcheck.verify import Options, verify_file

CONV = '''
import numpy as np


class Conv:
    def __init__(self, W, b, stride=1, pad=0):
        self.W, self.b = W, b

    def forward(self, x):
        N, C, H, W_ = x.shape
        F, _, HH, WW = self.W.shape
        self.x = x
        out = np.zeros((N, F, H - HH + 1, W_ - WW + 1))
        for i in range(out.shape[2]):
            for j in range(out.shape[3]):
                patch = x[:, :, i:i + HH, j:j + WW]
                out[:, :, i, j] = np.tensordot(patch, self.W, axes=([1, 2, 3], [1, 2, 3])) + self.b
        return out

    def backward(self, dout):
        x, (F, _, HH, WW) = self.x, self.W.shape
        dx, self.dW = np.zeros_like(x), np.zeros_like(self.W)
        self.db = dout.sum(axis=(0, 2, 3))
        for i in range(dout.shape[2]):
            for j in range(dout.shape[3]):
                patch = x[:, :, i:i + HH, j:j + WW]
                self.dW += np.tensordot(dout[:, :, i, j], patch, axes=([0], [0]))
                dx[:, :, i:i + HH, j:j + WW] += np.tensordot(dout[:, :, i, j], self.W, axes=([1], [0]))
        return dx
'''


def test_array_forms_make_arrays_and_lists_stay_lists():
    assert parse_value("randn(4,3,3,3)").shape == (4, 3, 3, 3) and np.array_equal(parse_value("zeros(4)"), np.zeros(4))
    assert np.array_equal(parse_value("ones(2, 3)"), np.ones((2, 3)))
    assert parse_value("8,8") == [8, 8] and parse_value("(1,8,8)") == (1, 8, 8) and parse_value("4") == 4
    assert parse_value("ones(99999999999)") == "ones(99999999999)"  # too large: left as text, never allocated


def test_the_readme_notebook_example_checks_a_correct_convolution(tmp_path):
    name, options = _parse('Conv --shape x=2,3,8,8 --init "W=randn(4,3,3,3)" --init "b=zeros(4)" --lang ko')
    assert name == "Conv" and options["init"]["W"].shape == (4, 3, 3, 3) and options["shapes"]["x"] == (2, 3, 8, 8)
    path = tmp_path / "conv.py"
    path.write_text(CONV)
    report = verify_file(str(path), Options(run_dir=str(tmp_path), shrink=False, diagnosis="none",
                                            init=options["init"], shapes=options["shapes"]))
    assert report.results and all(r.passed for r in report.results), [str(r) for r in report.results] or report.problem
    assert {"dx", "dW", "db"} <= {c.gradient for r in report.results for c in r.checks}


def test_a_float32_gradient_is_judged_at_float32_precision_and_a_real_bug_still_fails(tmp_path):
    from gradcheck.grading.bank import find_exercise

    solution = (find_exercise("affine").root / "solution.py").read_text(encoding="utf-8")
    line = "        self.dW = np.dot(self.x.T, dout)\n"
    assert line in solution
    for factor, passes in (("1", True), ("2", False)):
        path = tmp_path / f"affine_{factor}.py"
        path.write_text(solution.replace(line, f"        self.dW = ({factor} * np.dot(self.x.T, dout)).astype(np.float32)\n"))
        report = verify_file(str(path), Options(run_dir=str(tmp_path), shrink=False, diagnosis="none"))
        dw = [c for r in report.results for c in r.checks if c.gradient.endswith("dW")]
        assert dw and all(c.passed is passes for c in dw)
        if passes:
            assert any(n.key == "precision.judged_at" for c in dw for n in c.notes)
        else:  # not float32's rounding: the report does not offer it as the cause
            assert not any(n.key == "grad.low_precision" for c in dw for n in c.diagnoses)
