"""Driving a learner's optimizer in the sandbox and checking its trajectory.

DLFS classes (``update(params, grads)`` changing ``params`` in place) and cs231n
functions (``(w, dw, config) -> (next_w, config)``) run for several steps on
several parameter arrays with seeded gradients; the parent compares.
"""

from __future__ import annotations

import numpy as np

from ..report.model import CheckResult, Note
from ..sandbox.runner import LearnerFault, Session
from .check import check_trajectory

STEPS = 6
#: Hyperparameters for checks: deliberately not the defaults, so a hard-coded constant shows.
HP = {"lr": 0.05, "momentum": 0.8, "rho": 0.9, "beta1": 0.8, "beta2": 0.95, "eps": 1e-8}
#: Constructor argument names learners use, mapped to the shared vocabulary.
SYNONYMS = {
    "lr": "lr", "learning_rate": "lr", "momentum": "momentum", "mu": "momentum", "decay_rate": "rho", "rho": "rho",
    "alpha": "rho", "beta1": "beta1", "beta_1": "beta1", "beta2": "beta2", "beta_2": "beta2",
}
CLASSES = {"SGD": "sgd", "Momentum": "momentum", "Nesterov": "nesterov", "AdaGrad": "adagrad", "RMSprop": "rmsprop", "Adam": "adam"}
FUNCTIONS = {"sgd": "sgd", "sgd_momentum": "momentum", "rmsprop": "rmsprop", "adam": "adam"}
#: Config keys learners write where cs231n's code passes another name.
CONFIG_SYNONYMS = {"mu": "momentum", "eps": "epsilon", "lr": "learning_rate", "rho": "decay_rate", "decay": "decay_rate",
                   "beta_1": "beta1", "beta_2": "beta2", "alpha": "learning_rate"}
CS231N_CONFIG = {"lr": "learning_rate", "momentum": "momentum", "rho": "decay_rate", "beta1": "beta1", "beta2": "beta2", "eps": "epsilon"}


def problem(seed: int, steps: int = STEPS) -> tuple[dict, list[dict]]:
    """Seeded parameters (two arrays of one shape, so shared state would show) and gradients."""
    rng = np.random.default_rng(seed)
    params = {"W1": rng.standard_normal((2, 3)), "W2": rng.standard_normal((2, 3))}
    grads = [{k: rng.standard_normal((2, 3)) for k in params} for _ in range(steps)]
    return params, grads


def _dlfs_trajectory(session: Session, name: str, init: list[str], params, grads_seq, as_lists: bool = False):
    """Run the class's update for every step; ``as_lists`` passes params and grads as lists (the second book's
    style, ``params[i] -= lr * grads[i]``) instead of dicts."""
    kwargs = {n: HP[SYNONYMS[n]] for n in init if n in SYNONYMS}
    keys = list(params)
    pack = (lambda d: [d[k] for k in keys]) if as_lists else (lambda d: d)
    handle, _ = session.create(name, (), kwargs)
    traj, in_place = [], True
    for k, grads in enumerate(grads_seq):
        reply = session.update(handle, pack(params) if k == 0 else None, pack(grads))
        got = reply["params"] if isinstance(reply["params"], dict) else dict(zip(keys, reply["params"]))
        traj.append({key: np.array(v, dtype=np.float64) for key, v in got.items()})
        in_place = in_place and bool(reply["in_place"])
    return traj, in_place


def _cs231n_trajectory(session: Session, name: str, algorithm: str, params, grads_seq):
    """Run the function for every step and parameter; also returns the config keys it looked up that were not
    there (``mu`` where cs231n passes ``momentum``)."""
    configs = {k: {CS231N_CONFIG[h]: HP[h] for h in CS231N_CONFIG} for k in params}
    current = {k: v.copy() for k, v in params.items()}
    traj, missing = [], set()
    for grads in grads_seq:
        for key in current:
            reply = session.run_adapter("optim_step", name, {"w": current[key], "dw": grads[key], "config": configs[key]})
            result = reply["result"]
            if not isinstance(result, tuple) or len(result) != 2 or not isinstance(result[1], dict):
                raise LearnerFault("error", f"{name} must return (next_w, config)")
            current[key], configs[key] = np.array(result[0], dtype=np.float64), result[1]
            missing.update(reply["missing"])
        traj.append({k: v.copy() for k, v in current.items()})
    return traj, missing


def check_optimizer_target(session: Session, target, seed: int = 0) -> CheckResult:
    """Check one learner optimizer (a DLFS class or a cs231n function) over several steps."""
    params, grads_seq = problem(seed)
    result = CheckResult(target.name, seed=seed, mode="trajectory", kind="optimizer")
    notes = []
    try:
        if target.convention == "optimizer":
            algorithm, prefer = CLASSES[target.name], "book"
            traj, in_place = _class_trajectory(session, target, params, grads_seq, notes)
        else:
            algorithm, prefer, in_place = FUNCTIONS[target.name], "cs231n", True
            traj, missing = _cs231n_trajectory(session, target.name, algorithm, params, grads_seq)
            notes += [Note("optim.config_key", {"key": k, "name": CONFIG_SYNONYMS[k]}) for k in sorted(missing) if k in CONFIG_SYNONYMS]
    except LearnerFault as fault:
        result.problem = fault.note(f"{target.name}.update" if target.convention == "optimizer" else target.name)
        return result
    check = check_trajectory(algorithm, traj, params, grads_seq, HP, "trajectory", in_place, prefer)
    (check.notes if check.passed else check.diagnoses).extend(notes)
    result.checks.append(check)
    return result


def _class_trajectory(session: Session, target, params, grads_seq, notes: list):
    """The book's dict style first; where that raises, the second book's list style, named in a note."""
    init = target.info.get("init", [])
    try:
        return _dlfs_trajectory(session, target.name, init, params, grads_seq)
    except LearnerFault as dict_fault:
        try:
            found = _dlfs_trajectory(session, target.name, init, params, grads_seq, as_lists=True)
        except LearnerFault:
            raise dict_fault from None
        notes.append(Note("optim.lists"))
        return found
