"""Reference optimizers: descent on convex problems, proven equivalences, measured differences, separated mistakes."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gradcheck.optim import optimizers as opt
from gradcheck.optim.check import RTOL, check_trajectory, departure
from gradcheck.testing import strategies as gst

HP = {"lr": 0.05, "momentum": 0.8, "rho": 0.9, "beta1": 0.8, "beta2": 0.95, "eps": 1e-8}
ALL = [f for forms in opt.FORMULATIONS.values() for f in forms]

hyper = st.fixed_dictionaries({
    "lr": st.floats(1e-3, 0.05), "momentum": st.floats(0.5, 0.95), "rho": st.floats(0.8, 0.99),
    "beta1": st.floats(0.7, 0.95), "beta2": st.floats(0.9, 0.999), "eps": st.sampled_from([1e-8, 1e-7]),
})


def quadratic_problem(diag, w0, steps):
    """f(w) = 0.5 * sum(diag * w^2): gradients along the trajectory are computed from the current w."""
    return lambda w: diag * w, lambda w: 0.5 * float(np.sum(diag * w * w))


@pytest.mark.parametrize("form", ALL, ids=lambda f: f.label[:40])
@given(diag=gst.arrays((4,), elements=st.floats(0.5, 2.0)), w0=gst.arrays((4,), elements=gst.nonzero(0.5, 3.0)))
def test_every_formulation_decreases_a_convex_quadratic(form, diag, w0):
    grad, cost = quadratic_problem(diag, w0, 30)
    hp = form.hyper({**HP, "lr": 0.01})
    w, state = w0.copy(), {}
    for _ in range(30):
        w = form.step(w, grad(w), state, hp)
    assert cost(w) < cost(w0)


def _grads(seed, steps=50, shape=(3, 2), keys=("w",)):
    rng = np.random.default_rng(seed)
    return {k: rng.standard_normal(shape) for k in keys}, [{k: rng.standard_normal(shape) for k in keys} for _ in range(steps)]


#: Mistakes that need a case to show themselves: a step counter advanced per key shows only with two keys.
NEEDS_TWO_KEYS = ("t_per_key",)


def _problem_for(overrides: dict, seed: int):
    keys = ("w", "u") if overrides.get("mutant") in NEEDS_TWO_KEYS else ("w",)
    return _grads(seed, steps=6, keys=keys)


@given(seed=st.integers(0, 10_000), hp=hyper)
def test_book_momentum_and_pytorch_momentum_are_the_same_algorithm(seed, hp):
    params, grads = _grads(seed)
    a = opt.run(opt.momentum_dlfs, params, grads, hp)
    b = opt.run(opt.momentum_pytorch, params, grads, hp)
    assert all(np.allclose(x["w"], y["w"], rtol=1e-12, atol=1e-12) for x, y in zip(a, b))


@given(seed=st.integers(0, 10_000), hp=hyper)
def test_keras_and_pytorch_nesterov_are_the_same_algorithm(seed, hp):
    params, grads = _grads(seed)
    a = opt.run(opt.nesterov_keras, params, grads, hp)
    b = opt.run(opt.momentum_pytorch, params, grads, {**hp, "nesterov": True})
    assert all(np.allclose(x["w"], y["w"], rtol=1e-12, atol=1e-12) for x, y in zip(a, b))


@given(seed=st.integers(0, 10_000), hp=hyper)
def test_adam_with_bias_correction_in_the_rate_equals_the_paper_form_without_epsilon(seed, hp):
    params, grads = _grads(seed)
    hp = {**hp, "eps": 0.0}
    a = opt.run(opt.adam, params, grads, hp)
    b = opt.run(opt.adam_hat, params, grads, hp)
    assert all(np.allclose(x["w"], y["w"], rtol=1e-10, atol=1e-12) for x, y in zip(a, b))


@given(seed=st.integers(0, 10_000))
@settings(max_examples=20, deadline=None)
def test_the_books_fixed_nesterov_is_pytorchs_and_the_pre_fix_code_is_not(seed):
    params, grads = _grads(seed, steps=6)
    book = opt.run(opt.nesterov_dlfs, params, grads, HP)
    torch_like = opt.run(opt.momentum_pytorch, params, grads, {**HP, "nesterov": True})
    assert all(np.allclose(x["w"], y["w"], rtol=1e-10, atol=1e-12) for x, y in zip(book, torch_like))
    prefix = opt.run(opt.nesterov_dlfs, params, grads, {**HP, "mutant": "prefix"})
    assert departure(prefix, book, params).ratio * RTOL > 1e-2  # as a fraction of the distance travelled


def test_epsilon_placement_changes_adam_by_less_than_the_acceptance_tolerance():
    params, grads = _grads(1, steps=6)
    outside = opt.run(opt.adam_hat, params, grads, HP)
    inside = opt.run(opt.adam_eps_inside, params, grads, HP)
    ratio = departure(inside, outside, params).ratio
    assert 0 < ratio < 1  # a real difference, inside what is accepted


def test_adagrad_initial_accumulator_makes_a_large_difference():
    params, grads = _grads(2, steps=6)
    zero = opt.run(opt.adagrad, params, grads, {**HP, "initial_accumulator": 0.0})
    keras = opt.run(opt.adagrad, params, grads, {**HP, "initial_accumulator": 0.1})
    assert departure(keras, zero, params).ratio * RTOL > 1e-3


def bias_correction_is_visible(hp) -> bool:
    """Where sqrt(1 - beta2) is close to 1 - beta1, Adam's bias correction is about 1 at every step, so leaving it
    out cannot be seen by any check of the trajectory; verify's hyperparameters (0.8, 0.95) are far from that ridge."""
    return abs(np.sqrt(1 - hp["beta2"]) / (1 - hp["beta1"]) - 1) > 0.05


def test_verify_hyperparameters_are_off_the_ridge():
    from gradcheck.optim.verify import HP

    assert bias_correction_is_visible(HP)


@pytest.mark.parametrize("algorithm", sorted(opt.MUTANTS))
@given(seed=st.integers(0, 10_000), hp=hyper)
def test_every_mistake_is_far_outside_the_tolerance(algorithm, seed, hp):
    assume(algorithm != "adam" or bias_correction_is_visible(hp))
    reference = opt.FORMULATIONS[algorithm][0]
    for _, mutant_algorithm, overrides in opt.MUTANTS[algorithm]:
        params, grads = _problem_for(overrides, seed)
        want = opt.run(reference.step, params, grads, reference.hyper(hp))
        form = opt.FORMULATIONS[mutant_algorithm][0]
        got = opt.run(form.step, params, grads, {**form.hyper(hp), **overrides})
        assert departure(got, want, params).ratio * RTOL > 1e-2


@pytest.mark.parametrize("algorithm", sorted(opt.FORMULATIONS))
@given(seed=st.integers(0, 10_000), hp=hyper)
def test_every_correct_formulation_passes_the_check(algorithm, seed, hp):
    params, grads = _grads(seed, steps=6)
    for form in opt.FORMULATIONS[algorithm]:
        traj = opt.run(form.step, params, grads, form.hyper(hp))
        check = check_trajectory(algorithm, traj, params, grads, hp, "trajectory")
        assert check.passed, form.label


@pytest.mark.parametrize("algorithm", sorted(opt.MUTANTS))
@given(seed=st.integers(0, 10_000), hp=hyper)
def test_each_mistake_is_caught_and_named(algorithm, seed, hp):
    assume(algorithm != "adam" or bias_correction_is_visible(hp))
    for key, mutant_algorithm, overrides in opt.MUTANTS[algorithm]:
        params, grads = _problem_for(overrides, seed)
        form = opt.FORMULATIONS[mutant_algorithm][0]
        traj = opt.run(form.step, params, grads, {**form.hyper(hp), **overrides})
        check = check_trajectory(algorithm, traj, params, grads, hp, "trajectory")
        assert not check.passed
        assert key in {n.key for n in check.diagnoses}


def test_shared_state_is_diagnosed():
    rng = np.random.default_rng(4)
    params = {"a": rng.standard_normal((2, 2)), "b": rng.standard_normal((2, 2))}
    grads = [{k: rng.standard_normal((2, 2)) for k in params} for _ in range(5)]
    form = opt.FORMULATIONS["adam"][0]
    traj = opt.run(form.step, params, grads, form.hyper(HP), shared_state=True)
    check = check_trajectory("adam", traj, params, grads, HP, "trajectory")
    assert not check.passed and "mistake.shared_state" in {n.key for n in check.diagnoses}


@given(seed=st.integers(0, 10_000), hp=hyper)
def test_amsgrad_never_takes_a_larger_step_than_adam_would_with_its_running_max(seed, hp):
    """AMSGrad divides by the running maximum of v, so each step is at most Adam's step for the same m and v."""
    params, grads = _grads(seed, steps=8)
    state = {}
    p = params["w"].copy()
    for g in grads:
        same_moments = {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in state.items() if k != "vmax"}
        adam_step = opt.adam_hat(p, g["w"], same_moments, hp) - p
        before, p = p, opt.adam_hat(p, g["w"], state, {**hp, "amsgrad": True})
        assert np.all(np.abs(p - before) <= np.abs(adam_step) * (1 + 1e-12) + 1e-15)
        assert np.all(state["vmax"] >= state["v"])


@given(seed=st.integers(0, 10_000), hp=hyper, wd=st.floats(1e-3, 0.1))
def test_decoupled_weight_decay_differs_from_l2_and_vanishes_at_zero(seed, hp, wd):
    params, grads = _grads(seed, steps=5)
    adam = opt.run(opt.adam_hat, params, grads, hp)
    adamw_zero = opt.run(opt.adam_hat, params, grads, {**hp, "decoupled": True, "weight_decay": 0.0})
    assert all(np.allclose(a["w"], b["w"], rtol=1e-13, atol=1e-15) for a, b in zip(adam, adamw_zero))
    adamw = opt.run(opt.adam_hat, params, grads, {**hp, "decoupled": True, "weight_decay": wd})
    l2 = opt.run(opt.adam_hat, params, grads, {**hp, "weight_decay": wd})
    assert not np.allclose(adamw[-1]["w"], l2[-1]["w"], rtol=1e-9)


@given(seed=st.integers(0, 10_000), hp=hyper, decay=st.floats(1e-3, 0.5))
def test_keras_time_decay_shrinks_each_sgd_step(seed, hp, decay):
    params, grads = _grads(seed, steps=4)
    constant = opt.run(opt.sgd, params, grads, hp)
    decayed = opt.run(opt.sgd, params, grads, {**hp, "decay": decay})
    assert np.allclose(constant[0]["w"], decayed[0]["w"])  # the first step uses the full rate
    step = lambda traj, k: traj[k]["w"] - traj[k - 1]["w"]  # noqa: E731
    assert np.allclose(step(decayed, 3), step(constant, 3) / (1 + 3 * decay))
