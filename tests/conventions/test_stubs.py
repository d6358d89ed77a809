"""An untouched assignment placeholder is "not implemented yet", in verify and in grading; a function that
computes anything is not a placeholder, however short."""

from __future__ import annotations

import ast
import textwrap

import pytest

from gradcheck.conventions.stubs import is_stub, unfinished
from gradcheck.grading.bank import find_exercise
from gradcheck.grading.grade import grade_submission
from gradcheck.verify import Options, verify_file

PLACEHOLDERS = [
    "def f(dout, cache):\n    x, w, b = cache\n    dx, dw, db = None, None, None\n    pass\n    return dx, dw, db\n",
    "def f(dout, cache):\n    dx, x = None, cache\n    # TODO: Implement the ReLU backward pass.\n    pass\n    return dx\n",
    "def f(x, w, b):\n    '''docstring'''\n    out = None\n    pass\n    cache = (x, w, b)\n    return out, cache\n",
    "def f(x):\n    raise NotImplementedError\n",
    "def f(x):\n    pass\n",
]
WRITTEN = [
    "def f(dout, cache):\n    x = cache\n    dx = dout * (x > 0)\n    return dx\n",
    "def f(dout, cache):\n    return dout\n",  # the identity's backward, complete
    "def f(x, w, b):\n    out = None\n    out = x @ w + b\n    return out, (x, w, b)\n",
]


@pytest.mark.parametrize("source", PLACEHOLDERS)
def test_a_placeholder_is_a_stub(source):
    assert is_stub(ast.parse(source).body[0])


@pytest.mark.parametrize("source", WRITTEN)
def test_written_code_is_not_a_stub(source):
    assert not is_stub(ast.parse(source).body[0])


def test_unfinished_names_only_the_stubbed_functions():
    source = PLACEHOLDERS[0].replace("def f", "def affine_backward") + "\n" + WRITTEN[0].replace("def f", "def relu_backward")
    assert unfinished(source, ("affine_forward", "affine_backward", "relu_backward")) == ["affine_backward"]


STUB_FILE = '''
import numpy as np


def affine_forward(x, w, b):
    """
    Inputs:
    - x: A numpy array containing input data, of shape (N, D)
    - w: A numpy array of weights, of shape (D, M)
    - b: A numpy array of biases, of shape (M,)
    """
    out = x.reshape(x.shape[0], -1) @ w + b
    cache = (x, w, b)
    return out, cache


def affine_backward(dout, cache):
    """
    Inputs:
    - dout: Upstream derivative, of shape (N, M)
    - cache: Tuple of x, w, b
    """
    x, w, b = cache
    dx, dw, db = None, None, None
    ###########################################################################
    # TODO: Implement the affine backward pass.                               #
    ###########################################################################
    pass
    return dx, dw, db


def softmax_loss(x, y):
    """x: (N, C) scores, y: (N,) integer labels"""
    shifted = x - np.max(x, axis=1, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    N = x.shape[0]
    dx = np.exp(log_probs)
    dx[np.arange(N), y] -= 1
    return -np.sum(log_probs[np.arange(N), y]) / N, dx / N
'''


def test_verify_says_not_implemented_and_checks_a_loss_with_a_one_line_docstring(tmp_path):
    path = tmp_path / "layers.py"
    path.write_text(textwrap.dedent(STUB_FILE))
    report = verify_file(str(path), Options(run_dir=str(tmp_path), shrink=False))
    assert {s.reason.key for s in report.skipped} == {"skip.not_implemented"}
    assert "not implemented yet" in report.skipped[0].reason.render("en") and "아직 구현하지" in report.skipped[0].reason.render("ko")
    assert [r.target_id for r in report.results] == ["softmax_loss", "softmax_loss"] and report.status == 0


def test_grading_a_stub_gives_zero_with_not_implemented(tmp_path):
    path = tmp_path / "submission.py"
    path.write_text(textwrap.dedent(STUB_FILE))
    result = grade_submission(find_exercise("affine"), path)
    graded = [t for t in result.tests if not t.hidden]
    assert result.score == 0 and graded and all("not implemented yet" in t.output for t in graded), [t.output for t in graded]
