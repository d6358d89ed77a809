"""Styles of backpropagation seen in learners' code: Nielsen's ``f_prime`` is checked like the book's
``f_grad``; camelCase backwards and whole-network propagation functions are listed with what they are."""

from __future__ import annotations

from gradcheck.verify import Options, verify_file

NIELSEN = '''
import numpy as np

def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))

def sigmoid_prime(z):
    return sigmoid(z) * (1 - sigmoid(z))

def tanh(z):
    return np.tanh(z)

def tanh_derivative(z):
    return 1 - np.tanh(z)

def convolutionBackward(dconv_prev, conv_in, filt, s):
    return dconv_prev

def maxpoolBackward(dpool, orig, f, s):
    return dpool

def forward_propagate(X, params):
    return X

def back_propagate(X, Y, cache):
    return X
'''


def test_prime_derivatives_are_checked_and_other_styles_listed_with_what_they_are(tmp_path):
    path = tmp_path / "net.py"
    path.write_text(NIELSEN)
    report = verify_file(str(path), Options(run_dir=str(tmp_path), shrink=False, diagnosis="none"))
    verdicts = {r.target_id: r.passed for r in report.results}
    assert verdicts == {"sigmoid": True, "tanh": False}  # 1 - tanh(z) misses the square
    reasons = {s.name: s.reason.key for s in report.skipped}
    assert reasons == {"convolutionBackward": "skip.style_camel", "maxpoolBackward": "skip.style_camel",
                       "forward_propagate": "skip.style_propagation", "back_propagate": "skip.style_propagation"}
    assert all(s.reason.render("ko") != s.reason.key for s in report.skipped)
