"""Signatures seen in learners' cs231n-style code: a backward that returns more than the inputs' gradients
(a trailing None, or one value per forward argument), and a dropout probability passed as a plain scalar."""

from __future__ import annotations

import pytest

from gradcheck.verify import Options, verify_file

CODE = '''
import numpy as np

def affine_forward(x, w, b):
    return x.reshape(x.shape[0], -1) @ w + b, (x, w, b)

def affine_backward(dout, cache):
    x, w, b = cache
    dx = (dout @ w.T).reshape(x.shape)
    return dx, x.reshape(x.shape[0], -1).T @ dout, DB, EXTRA

def dropout_forward(x, p, mode='train'):
    mask = (np.random.rand(*x.shape) < p) / p
    return x * mask, mask

def dropout_backward(dout, cache):
    return dout * cache
'''


@pytest.mark.parametrize("extra, db, passed", [
    ("None", "dout.sum(axis=0)", True),
    ("{}", "dout.sum(axis=0)", True),
    ("None", "dout.sum(axis=0) / 2", False),
])
def test_extra_returned_values_that_are_not_gradients_are_left_aside(tmp_path, extra, db, passed):
    path = tmp_path / "layers.py"
    path.write_text(CODE.replace("EXTRA", extra).replace("DB", db))
    report = verify_file(str(path), Options(run_dir=str(tmp_path), shrink=False, diagnosis="none"))
    results = {r.target_id: r for r in report.results}
    assert results["affine"].passed is passed and results["affine"].problem is None
    assert results["dropout"].passed
    if not passed:
        assert {c.gradient for c in results["affine"].failures()} == {"db"}


def test_an_extra_array_is_still_refused_with_the_names_expected(tmp_path):
    path = tmp_path / "layers.py"
    path.write_text(CODE.replace("EXTRA", "dx").replace("DB", "dout.sum(axis=0)"))
    report = verify_file(str(path), Options(run_dir=str(tmp_path), shrink=False, diagnosis="none"))
    problem = next(r for r in report.results if r.target_id == "affine").problem
    assert problem is not None and "expected 3 (dx, dw, db)" in problem.render("en")


FAST_LAYERS = '''
import numpy as np
try:
    from cs231n.im2col_cython import col2im_cython, im2col_cython
except ImportError:
    print("run the following from the cs231n directory and try again:")
    print("python setup.py build_ext --inplace")


def conv_forward_im2col(x, w, b, conv_param):
    return im2col_cython(x, 3, 3, 1, 1), (x, w, b, conv_param)


def conv_backward_im2col(dout, cache):
    x, w, b, conv_param = cache
    return col2im_cython(dout), w, b
'''


def test_code_that_needs_the_unbuilt_cython_extension_is_listed_with_the_build_command(tmp_path):
    (tmp_path / "cs231n").mkdir()
    (tmp_path / "cs231n" / "__init__.py").write_text("")
    path = tmp_path / "cs231n" / "fast_layers.py"
    path.write_text(FAST_LAYERS)
    report = verify_file(str(path), Options(run_dir=str(tmp_path), shrink=False, diagnosis="none"))
    assert not report.results
    (skipped,) = report.skipped
    assert skipped.reason.key == "skip.extension" and "build_ext --inplace" in skipped.reason.render("en")
    assert skipped.reason.params["module"] == "im2col_cython"


def test_a_loss_of_score_and_labels_is_checked_without_a_docstring(tmp_path):
    path = tmp_path / "loss.py"
    path.write_text('''
import numpy as np

def svm_loss(score, y):
    N = score.shape[0]
    correct = score[np.arange(N), y][:, None]
    margins = np.maximum(0, score - correct + 1.0)
    margins[np.arange(N), y] = 0
    dx = (margins > 0).astype(float)
    dx[np.arange(N), y] -= (margins > 0).sum(axis=1)
    return margins.sum() / N, dx / N
''')
    report = verify_file(str(path), Options(run_dir=str(tmp_path), shrink=False, diagnosis="none"))
    (result,) = report.results
    assert result.target_id == "svm_loss" and result.passed and not report.skipped
