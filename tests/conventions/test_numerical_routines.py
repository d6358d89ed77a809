"""A learner's own numerical-gradient routine is checked where it is defined: the book's common/gradient.py
and cs231n's gradient_check.py, against functions whose gradients are exact."""

from pathlib import Path

from gradcheck.verify import Options, verify_file

#: the bank's numerical_gradient, written as the book writes it (common/gradient.py)
BOOK = (Path(__file__).parent.parent.parent / "exercises" / "numerical-gradient" / "solution.py").read_text(encoding="utf-8")

CS231N = '''import numpy as np
from random import randrange


def eval_numerical_gradient(f, x, verbose=True, h=0.00001):
    """
    a naive implementation of numerical gradient of f at x
    - f should be a function that takes a single argument
    - x is the point (numpy array) to evaluate the gradient at
    """
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
    while not it.finished:
        ix = it.multi_index
        oldval = x[ix]
        x[ix] = oldval + h
        fxph = f(x)
        x[ix] = oldval - h
        fxmh = f(x)
        x[ix] = oldval
        grad[ix] = (fxph - fxmh) / (2 * h)
        if verbose:
            print(ix, grad[ix])
        it.iternext()
    return grad


def eval_numerical_gradient_array(f, x, df, h=1e-5):
    """
    Evaluate a numeric gradient for a function that accepts a numpy
    array and returns a numpy array.
    """
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
    while not it.finished:
        ix = it.multi_index
        oldval = x[ix]
        x[ix] = oldval + h
        pos = f(x).copy()
        x[ix] = oldval - h
        neg = f(x).copy()
        x[ix] = oldval
        grad[ix] = np.sum((pos - neg) * df) / {denominator}
        it.iternext()
    return grad
'''


def _results(tmp_path, name, source):
    path = tmp_path / name
    path.write_text(source, encoding="utf-8")
    return {r.target_id: r for r in verify_file(str(path), Options()).results}


def _keys(result):
    return {n.key for c in result.checks for n in c.diagnoses}


def test_the_books_numerical_gradient_passes_and_its_mistakes_are_named(tmp_path):
    assert _results(tmp_path, "gradient.py", BOOK)["numerical_gradient"].passed
    one_sided = BOOK.replace("x[idx] = tmp - h", "x[idx] = tmp").replace("/ (2 * h)", "/ h")
    assert _keys(_results(tmp_path, "gradient.py", one_sided)["numerical_gradient"]) == {"grade.numgrad_forward"}
    unrestored = BOOK.replace("        x[idx] = tmp\n", "")
    assert "grade.numgrad_restore" in _keys(_results(tmp_path, "gradient.py", unrestored)["numerical_gradient"])


def test_cs231n_gradient_check_routines_are_checked_quietly(tmp_path):
    results = _results(tmp_path, "gradient_check.py", CS231N.format(denominator="(2 * h)"))
    assert set(results) == {"eval_numerical_gradient", "eval_numerical_gradient_array"}
    assert all(r.passed and not r.output for r in results.values())
    halved = _results(tmp_path, "gradient_check.py", CS231N.format(denominator="h"))
    assert not halved["eval_numerical_gradient_array"].passed and halved["eval_numerical_gradient"].passed
