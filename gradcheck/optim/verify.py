"""Driving a learner's optimizer in the sandbox and checking its trajectory.

DLFS classes (``update(params, grads)`` changing ``params`` in place) and cs231n
functions (``(w, dw, config) -> (next_w, config)``) run for several steps on
several parameter arrays with seeded gradients; the parent compares.
"""

from __future__ import annotations

import numpy as np

from ..report.model import CheckResult
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
CS231N_CONFIG = {"lr": "learning_rate", "momentum": "momentum", "rho": "decay_rate", "beta1": "beta1", "beta2": "beta2", "eps": "epsilon"}


def problem(seed: int, steps: int = STEPS) -> tuple[dict, list[dict]]:
    """Seeded parameters (two arrays of one shape, so shared state would show) and gradients."""
    rng = np.random.default_rng(seed)
    params = {"W1": rng.standard_normal((2, 3)), "W2": rng.standard_normal((2, 3))}
    grads = [{k: rng.standard_normal((2, 3)) for k in params} for _ in range(steps)]
    return params, grads


def _dlfs_trajectory(session: Session, name: str, init: list[str], params, grads_seq):
    kwargs = {n: HP[SYNONYMS[n]] for n in init if n in SYNONYMS}
    handle = session.handle()
    session.request({"op": "new", "name": name, "handle": handle}, {"args": [], "kwargs": kwargs})
    traj, in_place = [], True
    for k, grads in enumerate(grads_seq):
        reply = session.request({"op": "update", "handle": handle}, {"params": params if k == 0 else None, "grads": grads})
        traj.append({key: np.array(v, dtype=np.float64) for key, v in reply["params"].items()})
        in_place = in_place and bool(reply["in_place"])
    return traj, in_place


def _cs231n_trajectory(session: Session, name: str, algorithm: str, params, grads_seq):
    configs = {k: {CS231N_CONFIG[h]: HP[h] for h in CS231N_CONFIG} for k in params}
    current = {k: v.copy() for k, v in params.items()}
    traj = []
    for grads in grads_seq:
        for key in current:
            reply = session.request({"op": "function", "name": name}, {"args": [current[key], grads[key], configs[key]]})
            if not isinstance(reply, tuple) or len(reply) != 2 or not isinstance(reply[1], dict):
                raise LearnerFault("error", f"{name} must return (next_w, config)")
            current[key], configs[key] = np.array(reply[0], dtype=np.float64), reply[1]
        traj.append({k: v.copy() for k, v in current.items()})
    return traj


def check_optimizer_target(session: Session, target, seed: int = 0) -> CheckResult:
    """Check one learner optimizer (a DLFS class or a cs231n function) over several steps."""
    params, grads_seq = problem(seed)
    result = CheckResult(target.name, seed=seed, mode="trajectory", kind="optimizer")
    try:
        if target.convention == "optimizer":
            algorithm = CLASSES[target.name]
            traj, in_place = _dlfs_trajectory(session, target.name, target.info.get("init", []), params, grads_seq)
            prefer = "book"
        else:
            algorithm = FUNCTIONS[target.name]
            traj, in_place = _cs231n_trajectory(session, target.name, algorithm, params, grads_seq), True
            prefer = "cs231n"
    except LearnerFault as fault:
        result.problem = fault.note(f"{target.name}.update" if target.convention == "optimizer" else target.name)
        return result
    result.checks.append(check_trajectory(algorithm, traj, params, grads_seq, HP, "trajectory", in_place, prefer))
    return result
