"""Gradient descent: the cost post's worked example end to end, and batch/stochastic/mini-batch descent on data."""

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from gradcheck.cli import main
from gradcheck.optim.descent import descend, gradient_descent, least_squares_grad, minibatches

E = "((2-b1)^2 + (6-2*b1)^2)/2"


def test_first_step_and_limit_of_the_worked_example():
    run = descend(E, start=15, lr=0.01)
    assert run.iterates[1] == pytest.approx(14.39, abs=1e-12)
    assert run.converged and run.iterates[-1] == pytest.approx(2.8, abs=1e-7)


def test_larger_learning_rate_converges_in_far_fewer_steps():
    slow, fast = descend(E, 15, 0.01), descend(E, 15, 0.1)
    assert fast.iterates[-1] == pytest.approx(2.8, abs=1e-7)
    assert fast.steps * 5 < slow.steps


@pytest.mark.parametrize("lam, minimizer", [(0.5, 14 / 6), (1.0, 2.0)])
def test_l2_penalty_moves_the_minimizer(lam, minimizer):
    assert descend(E, 15, 0.01, l2=lam).iterates[-1] == pytest.approx(minimizer, abs=1e-7)


def test_too_large_a_rate_does_not_converge():
    assert not descend(E, 15, 0.5, max_steps=50).converged


@given(lr=st.floats(0.41, 3.0), start=st.floats(-50, 50).filter(lambda s: abs(s - 2.8) > 0.1))
def test_a_rate_above_two_over_the_curvature_stops_early_and_names_the_limit(lr, start):
    run = descend(E, start, lr)
    assert run.stopped == "diverged" and run.steps < 200 and run.limit == pytest.approx(0.4)


def test_a_rate_of_exactly_two_over_the_curvature_is_a_cycle_and_the_table_stays_short():
    r = CliRunner().invoke(main, ["descend", "(w-3)^2", "--start", "0", "--lr", "1.0"])
    assert r.exit_code == 1 and "jump between two points" in r.output and "below 1" in r.output
    assert len(r.output.splitlines()) < 15
    r = CliRunner().invoke(main, ["descend", E, "--start", "15", "--lr", "0.5"])
    assert "above 2/L = 0.4" in r.output and "RuntimeWarning" not in r.output
    long = CliRunner().invoke(main, ["descend", E, "--start", "15", "--lr", "0.001"])
    assert long.exit_code == 0 and len(long.output.splitlines()) < 30


def test_descend_command():
    r = CliRunner().invoke(main, ["descend", E, "--start", "15", "--lr", "0.01"])
    assert r.exit_code == 0
    assert "step     1: b1 = 14.39 " in r.output
    assert "converged to b1 = 2.8" in r.output
    bad = CliRunner().invoke(main, ["descend", "x + y", "--start", "1", "--lr", "0.1"])
    assert bad.exit_code == 2 and "exactly one variable" in bad.output


@given(n=st.integers(1, 50), size=st.one_of(st.none(), st.integers(1, 60)), seed=st.integers(0, 99))
def test_minibatches_cover_every_row_once_per_epoch(n, size, seed):
    batches = minibatches(n, size, np.random.default_rng(seed))
    assert sorted(np.concatenate(batches).tolist()) == list(range(n))
    assert all(len(b) == (n if size is None else min(size, n)) for b in batches[:-1])


@given(seed=st.integers(0, 1000))
def test_batch_stochastic_and_minibatch_descent_reach_the_normal_equation_solution(seed):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((64, 3))
    w_true = rng.standard_normal(3)
    y = X @ w_true + 0.01 * rng.standard_normal(64)
    exact = np.linalg.solve(X.T @ X, X.T @ y)  # the normal equation
    batch = gradient_descent(least_squares_grad, np.zeros(3), X, y, lr=0.1, epochs=300, batch_size=None)[-1]
    mini = gradient_descent(least_squares_grad, np.zeros(3), X, y, lr=0.05, epochs=200, batch_size=32, seed=seed)[-1]
    sgd = gradient_descent(least_squares_grad, np.zeros(3), X, y, lr=0.01, epochs=100, batch_size=1, seed=seed)[-1]
    assert np.allclose(batch, exact, atol=1e-6)
    assert np.allclose(mini, exact, atol=5e-3)
    assert np.allclose(sgd, exact, atol=5e-2)


def test_l2_penalty_in_data_descent_matches_ridge_solution():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((40, 2)), rng.standard_normal(40)
    lam = 0.3
    w = gradient_descent(least_squares_grad, np.zeros(2), X, y, lr=0.1, epochs=500, l2=lam)[-1]
    ridge = np.linalg.solve(X.T @ X / 40 + lam * np.eye(2), X.T @ y / 40)
    assert np.allclose(w, ridge, atol=1e-8)


def test_plot_writes_a_png(tmp_path):
    pytest.importorskip("matplotlib")
    out = tmp_path / "descent.png"
    r = CliRunner().invoke(main, ["descend", E, "--start", "15", "--lr", "0.1", "--plot", str(out)])
    assert r.exit_code == 0, r.output
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000


@given(st.floats(1e-10, 1e-4), st.floats(-20, 20).filter(lambda s: abs(s) > 0.5))
def test_a_rate_too_small_to_converge_is_told_to_grow(lr, start):
    run = descend("(w-3)^2", start + 3, lr, max_steps=200)
    assert not run.converged and run.too_slow()


def test_the_command_says_a_small_rate_is_too_small_and_a_large_one_too_large():
    small = CliRunner().invoke(main, ["descend", "x^2", "--start", "-3", "--lr", "1e-10"])
    assert small.exit_code == 1 and "too small" in small.output and "smaller" not in small.output
    assert "0.5" in small.output.splitlines()[-1]
    swinging = CliRunner().invoke(main, ["descend", "x^2", "--start", "-3", "--lr", "0.999", "--max-steps", "300"])
    assert swinging.exit_code == 1 and "smaller learning rate" in swinging.output
