"""verify on each convention: correct code passes; realistic mistakes fail on the right gradient with the right diagnosis."""

import functools
from pathlib import Path

import pytest

from gradcheck.verify import Options, verify_file

FIXTURES = Path(__file__).parent / "fixtures"


@functools.lru_cache(maxsize=None)
def _report(name, targets=()):
    return verify_file(str(FIXTURES / name), Options(targets=targets))


def results_by_target(name, targets=()):
    """The report of a fixture, verified once per test module (verdicts are deterministic)."""
    report = _report(name, tuple(targets))
    by_id: dict = {}
    for r in report.results:  # a target's first case under its id, and each case under its title
        by_id.setdefault(r.target_id, r)
        by_id.setdefault(r.target, r)
    return report, by_id


def failing(result):
    return [c.gradient for c in result.checks if not c.passed]


def keys(result):
    return {n.key for c in result.checks for n in c.diagnoses} | ({result.problem.key} if result.problem else set())


def test_cs231n_reference_solutions_pass():
    report, results = results_by_target("cs231n_good.py")
    assert report.status == 0, [str(r) for r in report.results if not r.passed]
    assert {"affine", "conv_naive", "softmax_loss", "svm_loss", "max_pool_naive", "batchnorm"} <= set(results)


@pytest.mark.parametrize(
    "target, gradient, diagnosis",
    [
        ("Relu", "dx", "diag.leak"),
        ("MulLayer", "dx", None),
        ("SoftmaxWithLoss", "dx", "diag.factor_batch"),
        ("Pooling", "dx", "diag.pool_every_cell"),
    ],
)
def test_buggy_dlfs_layers_fail_with_the_gradient_named_and_the_mistake(target, gradient, diagnosis):
    report, results = results_by_target("dlfs_buggy.py")
    result = results[target]
    assert not result.passed
    assert gradient in failing(result)
    if diagnosis:
        assert diagnosis in keys(result), str(result)


def test_transposed_dw_in_a_non_square_affine_is_named():
    _, results = results_by_target("dlfs_buggy.py")
    dw = next(c for c in results["Affine"].checks if c.gradient == "dW")
    assert dw.problem is not None and dw.problem.key == "grad.shape_transposed"


def test_softmax_without_max_subtraction_overflows_at_large_logits():
    _, results = results_by_target("dlfs_buggy.py")
    large = results["SoftmaxWithLoss (logits near 1000)"]
    assert not large.passed
    assert "diag.overflow" in keys(large) or any(c.problem and "not_finite" in c.problem.key for c in large.checks)


def test_buggy_file_exit_status_is_1():
    report, _ = results_by_target("dlfs_buggy.py")
    assert report.status == 1


def test_custom_layer_and_custom_loss_are_found_and_pass():
    report, results = results_by_target("custom_layer.py")
    assert set(results) == {"Swish", "Huber"}
    assert report.status == 0, [str(r) for r in report.results]


def test_notebook_code_cells_are_checked_without_magics():
    report, results = results_by_target("notebook.ipynb")
    assert report.problem is None
    assert results["Relu"].passed


def test_target_option_limits_what_is_checked():
    _, results = results_by_target("dlfs_buggy.py", targets=("Relu",))
    assert set(results) == {"Relu"}


def test_plain_functions_with_partials(tmp_path):
    src = tmp_path / "fn.py"
    src.write_text(
        "import numpy as np\n"
        "def f(x, y):\n    return x**2 * y + np.exp(x)\n"
        "def df_dx(x, y):\n    return 2 * x * y + np.exp(x)\n"
        "def df_dy(x, y):\n    return 2 * x\n"  # wrong: should be x**2
        "def g(x):\n    return x**3\n"
        "def grad_g(x):\n    return [3 * x**2]\n",
        encoding="utf-8",
    )
    report = verify_file(str(src))
    results = {r.target: r for r in report.results}
    assert results["g"].passed
    f = results["f"]
    assert [c.passed for c in f.checks if c.gradient == "df/dx"] == [True, True]
    assert [c.passed for c in f.checks if c.gradient == "df/dy"] == [False, False]
    assert {c.method for c in f.checks} == {"points", "symbolic_points"}


def test_failures_carry_the_smallest_input_that_shows_them():
    report = verify_file(str(FIXTURES.parent.parent.parent / "examples" / "buggy_layer.py"))
    if not report.results:  # an installed copy without the checkout
        return
    smallest = {r.target: n.params["case"] for r in report.results for n in r.notes if n.key == "shrink.smallest"}
    assert smallest["Sigmoid"] == "x = [[-1.]]"  # one element is enough to show x used for y
    assert smallest["SoftmaxWithLoss"].endswith("t = [0, 0]")  # a missing 1/N needs a batch of two
    again = verify_file(str(FIXTURES.parent.parent.parent / "examples" / "buggy_layer.py"))
    assert smallest == {r.target: n.params["case"] for r in again.results for n in r.notes if n.key == "shrink.smallest"}


def test_book_dropout_with_a_fresh_random_mask_each_call_is_checkable():
    """numpy's global random state is reseeded before every forward, so the book's np.random.rand mask repeats."""
    report, results = results_by_target("dropout_book.py")
    assert report.status == 0 and results["Dropout"].passed
