"""Where the docstring's shapes make the learner's code raise, the convention's other documented shapes are
tried before the learner is blamed: per-channel parameters as (1, C, 1, 1), or each array at the usual shape
for its name (a docstring typo, sizes that disagree)."""

from __future__ import annotations

from pathlib import Path

from gradcheck.verify import Options, verify_file

GROUPNORM = '''
import numpy as np


def spatial_groupnorm_forward(x, gamma, beta, G, gn_param):
    """
    Inputs:
    - x: Input data of shape (N, C, H, W)
    - gamma: Scale parameter, of shape (C,)
    - beta: Shift parameter, of shape (C,)
    - G: Integer mumber of groups to split into, should be a divisor of C
    - gn_param: Dictionary with the following keys:
      - eps: Constant for numeric stability
    """
    eps = gn_param.get("eps", 1e-5)
    N, C, H, W = x.shape
    xg = x.reshape(N, G, C // G, H, W)
    mean = xg.mean(axis=(2, 3, 4), keepdims=True)
    var = xg.var(axis=(2, 3, 4), keepdims=True)
    xhat = ((xg - mean) / np.sqrt(var + eps)).reshape(N, C, H, W)
    out = gamma * xhat + beta  # the notebook's gamma is (1, C, 1, 1)
    return out, (xhat, gamma, var, eps, G)


def spatial_groupnorm_backward(dout, cache):
    xhat, gamma, var, eps, G = cache
    N, C, H, W = dout.shape
    dgamma = np.sum(dout * xhat, axis=(0, 2, 3), keepdims=True)
    dbeta = np.sum(dout, axis=(0, 2, 3), keepdims=True)
    dxhat = (dout * gamma).reshape(N, G, C // G, H, W)
    xg = xhat.reshape(N, G, C // G, H, W)
    dx = (dxhat - dxhat.mean(axis=(2, 3, 4), keepdims=True)
          - xg * (dxhat * xg).mean(axis=(2, 3, 4), keepdims=True)) / np.sqrt(var + eps)
    return dx.reshape(N, C, H, W), DGAMMA, dbeta
'''

TYPO = '''
import numpy as np


def affine_forward(x, w, b):
    """
    - x: A numpy array containing input data, of shape (N, D)
    - w: A numpy array of weights, of shape (D2, D2)
    - b: A numpy array of biases, of shape (M,)
    """
    return x.reshape(x.shape[0], -1) @ w + b, (x, w, b)


def affine_backward(dout, cache):
    x, w, b = cache
    dx = (dout @ w.T).reshape(x.shape)
    return dx, x.reshape(x.shape[0], -1).T @ dout, dout.sum(axis=0)


def relu_forward(X, W, b):
    return np.maximum(0, X @ W + b), (X, W, b)


def relu_backward(dout, cache):
    X, W, b = cache
    d = dout * (X @ W + b > 0)
    return d @ W.T, X.T @ d, d.sum(axis=0)
'''


def run(tmp_path: Path, text: str):
    path = tmp_path / "layers.py"
    path.write_text(text)
    return verify_file(str(path), Options(run_dir=str(tmp_path), shrink=False, diagnosis="none"))


def test_a_groupnorm_written_for_the_notebooks_gamma_shape_is_checked_at_that_shape(tmp_path):
    report = run(tmp_path, GROUPNORM.replace("DGAMMA", "dgamma"))
    (result,) = report.results
    assert result.passed and [n.key for n in result.notes if n.key == "note.shape_alternative"]
    assert "gamma: (1, C, 1, 1)" in next(n for n in result.notes if n.key == "note.shape_alternative").render("en")
    wrong = run(tmp_path, GROUPNORM.replace("DGAMMA", "dgamma * 2"))
    assert {c.gradient for r in wrong.results for c in r.failures()} == {"dgamma"}  # a real bug still fails


def test_a_docstring_typo_and_unnamed_sizes_use_the_shapes_the_code_uses(tmp_path):
    report = run(tmp_path, TYPO)
    results = {r.target_id: r for r in report.results}
    assert results["affine"].passed and any(n.key == "note.shape_alternative" for n in results["affine"].notes)
    assert results["relu"].passed, str(results["relu"])  # X, W, b: W (D, M) and b (M,) agree


def test_code_that_raises_at_every_shape_is_still_the_learners_failure(tmp_path):
    report = run(tmp_path, GROUPNORM.replace("DGAMMA", "dgamma").replace("    eps = gn_param", "    raise ValueError('unfinished')\n    eps = gn_param"))
    (result,) = report.results
    assert result.problem is not None and "unfinished" in result.problem.render("en")
