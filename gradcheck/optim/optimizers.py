"""Reference optimizer steps, in the formulations people actually meet, each named.

A step is a pure function ``step(p, g, state, hp) -> new p`` over one parameter
array, its gradient, that parameter's own state dict and the hyperparameters.
Hyperparameters share one vocabulary across sources: lr, momentum, rho (the
decay rate of a running average), beta1, beta2, eps, decay (learning-rate
decay per step), dampening, weight_decay, initial_accumulator, amsgrad.
Flags in ``hp`` switch on the mistakes learners make ("mutants"), so a wrong
trajectory can be matched to its likely cause.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np


def _zeros(state, key, p, value=0.0):
    if key not in state:
        state[key] = np.full_like(p, value, dtype=np.float64)
    return state[key]


def _tick(state, hp) -> int:
    if hp.get("mutant") != "t_not_incremented" or "t" not in state:
        state["t"] = state.get("t", 1 if hp.get("mutant") == "t_from_two" else 0) + 1
    return state["t"]


def _root(x, hp):
    if hp.get("mutant") == "no_sqrt":
        return x
    with np.errstate(invalid="ignore"):  # a mistaken state (moments aliased) can go negative: NaN, said as such
        return np.sqrt(x)


def _lr(hp, t) -> float:
    """Keras's time-based decay: lr / (1 + decay * iterations), iterations counted from 0."""
    return hp["lr"] / (1.0 + hp.get("decay", 0.0) * (t - 1))


def _sign(hp) -> float:
    return -1.0 if hp.get("mutant") == "sign" else 1.0


def _with_l2(p, g, hp):
    return g + hp.get("weight_decay", 0.0) * p


# -- plain steps --------------------------------------------------------------------------------

def sgd(p, g, s, hp):
    t = _tick(s, hp)
    return p - _sign(hp) * _lr(hp, t) * _with_l2(p, g, hp)


def momentum_dlfs(p, g, s, hp):
    """v = momentum * v - lr * g; p += v (DLFS, cs231n, and Keras without nesterov)."""
    t = _tick(s, hp)
    v = _zeros(s, "v", p)
    s["v"] = hp["momentum"] * v - _lr(hp, t) * _with_l2(p, g, hp)
    return p + _sign(hp) * s["v"]


def momentum_pytorch(p, g, s, hp):
    """buf = g at the first step, then momentum * buf + (1 - dampening) * g; p -= lr * buf."""
    t = _tick(s, hp)
    g = _with_l2(p, g, hp)
    s["buf"] = g.copy() if "buf" not in s else hp["momentum"] * s["buf"] + (1.0 - hp.get("dampening", 0.0)) * g
    step = g + hp["momentum"] * s["buf"] if hp.get("nesterov") else s["buf"]
    return p - _sign(hp) * _lr(hp, t) * step


def nesterov_keras(p, g, s, hp):
    """v = momentum * v - lr * g; p += momentum * v - lr * g."""
    t = _tick(s, hp)
    lr = _lr(hp, t)
    v = _zeros(s, "v", p)
    s["v"] = hp["momentum"] * v - lr * g
    return p + _sign(hp) * (hp["momentum"] * s["v"] - lr * g)


def nesterov_dlfs(p, g, s, hp):
    """The book's rewrite as fixed in January 2021: p += momentum^2 * v - (1 + momentum) * lr * g with the
    previous velocity, then v = momentum * v - lr * g.  The pre-fix code (mutant "prefix") updated v first."""
    t = _tick(s, hp)
    lr, mu = _lr(hp, t), hp["momentum"]
    v = _zeros(s, "v", p)
    s["v"] = mu * v - lr * g
    used = s["v"] if hp.get("mutant") == "prefix" else v
    return p + _sign(hp) * (mu * mu * used - (1.0 + mu) * lr * g)


def adagrad(p, g, s, hp):
    """h += g^2; p -= lr * g / (sqrt(h) + eps); h starts at initial_accumulator."""
    t = _tick(s, hp)
    g = _with_l2(p, g, hp)
    h = _zeros(s, "h", p, hp.get("initial_accumulator", 0.0))
    s["h"] = g * g if hp.get("mutant") == "overwrite" else h + g * g
    return p - _sign(hp) * _lr(hp, t) * g / (_root(s["h"], hp) + hp["eps"])


def rmsprop(p, g, s, hp):
    """h = rho * h + (1 - rho) * g^2; p -= lr * g / (sqrt(h) + eps)."""
    t = _tick(s, hp)
    g = _with_l2(p, g, hp)
    h = _zeros(s, "h", p)
    rho = hp["rho"]
    if hp.get("mutant") == "rho_swapped":
        rho = 1 - rho  # (1 - rho) * h + rho * g^2
    s["h"] = (1 - rho) * g * g if hp.get("mutant") == "overwrite" else rho * h + (1 - rho) * g * g
    return p - _sign(hp) * _lr(hp, t) * g / (_root(s["h"], hp) + hp["eps"])


def rmsprop_eps_inside(p, g, s, hp):
    """RMSprop with epsilon under the square root: sqrt(h + eps)."""
    t = _tick(s, hp)
    h = _zeros(s, "h", p)
    s["h"] = hp["rho"] * h + (1 - hp["rho"]) * g * g
    return p - _lr(hp, t) * g / np.sqrt(s["h"] + hp["eps"])


def adam(p, g, s, hp):
    """Adam with the bias correction folded into the learning rate and eps after sqrt(v)
    (DLFS and Keras): lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t); p -= lr_t * m / (sqrt(v) + eps)."""
    t = _tick(s, hp)
    b1, b2 = hp["beta1"], hp["beta2"]
    m, v = _zeros(s, "m", p), _zeros(s, "v", p)
    g = _with_l2(p, g, hp)
    s["m"] = b1 * m + (1 - b1) * g
    s["v"] = b2 * v + (1 - b2) * g * g
    if hp.get("mutant") == "moments_aliased":  # self.v = self.m: one array takes both updates, in turn
        s["m"] = s["v"] = b2 * s["m"] + (1 - b2) * g * g
    denom_v = s["v"]
    if hp.get("amsgrad"):
        s["vmax"] = np.maximum(_zeros(s, "vmax", p), s["v"])
        denom_v = s["vmax"]
    lr = _lr(hp, t)
    if hp.get("mutant") != "no_bias_correction":
        lr = lr * np.sqrt(1 - b2**t) / (1 - b1**t)
    step = p - _sign(hp) * lr * s["m"] / (_root(denom_v, hp) + hp["eps"])
    if hp.get("mutant") == "moments_stored":  # this step is right; the corrected moments then stay in the state
        s["m"], s["v"] = s["m"] / (1 - b1**t), s["v"] / (1 - b2**t)
    return step


def adam_hat(p, g, s, hp):
    """Adam as in the paper, PyTorch and cs231n: m_hat = m / (1 - beta1^t), v_hat = v / (1 - beta2^t),
    p -= lr * m_hat / (sqrt(v_hat) + eps); with decoupled weight decay (AdamW) when hp["decoupled"]."""
    t = _tick(s, hp)
    b1, b2 = hp["beta1"], hp["beta2"]
    m, v = _zeros(s, "m", p), _zeros(s, "v", p)
    if hp.get("decoupled"):
        p = p * (1 - hp["lr"] * hp.get("weight_decay", 0.0))
    else:
        g = _with_l2(p, g, hp)
    s["m"] = b1 * m + (1 - b1) * g
    s["v"] = b2 * v + (1 - b2) * g * g
    v_used = np.maximum(_zeros(s, "vmax", p), s["v"]) if hp.get("amsgrad") else s["v"]
    if hp.get("amsgrad"):
        s["vmax"] = v_used
    m_hat, v_hat = s["m"] / (1 - b1**t), v_used / (1 - b2**t)
    return p - _lr(hp, t) * m_hat / (np.sqrt(v_hat) + hp["eps"])


def adam_eps_inside(p, g, s, hp):
    """Adam with epsilon under the square root: m_hat / sqrt(v_hat + eps)."""
    t = _tick(s, hp)
    b1, b2 = hp["beta1"], hp["beta2"]
    m, v = _zeros(s, "m", p), _zeros(s, "v", p)
    s["m"] = b1 * m + (1 - b1) * g
    s["v"] = b2 * v + (1 - b2) * g * g
    return p - _lr(hp, t) * (s["m"] / (1 - b1**t)) / np.sqrt(s["v"] / (1 - b2**t) + hp["eps"])


@dataclass(frozen=True)
class Formulation:
    """One named way of writing an algorithm, with the hyperparameters its source fixes."""

    algorithm: str
    key: str  # the message "form.<key>" names it in a report
    label: str  # in English, for matching a learner's convention ("cs231n", "book")
    step: Callable
    fixed: tuple = ()  # (name, value) pairs this source fixes, e.g. the book's eps = 1e-7

    def hyper(self, hp: dict) -> dict:
        return {**hp, **dict(self.fixed)}


FORMULATIONS: dict[str, list[Formulation]] = {
    "sgd": [Formulation("sgd", "sgd_plain", "plain SGD", sgd)],
    "momentum": [
        Formulation("momentum", "momentum_book", "the book's Momentum (v = momentum*v - lr*g; p += v)", momentum_dlfs),
        Formulation("momentum", "momentum_pytorch", "PyTorch's SGD with momentum (buffer starts at the first gradient)", momentum_pytorch),
    ],
    "nesterov": [
        Formulation("nesterov", "nesterov_book", "the book's Nesterov (p += momentum^2*v - (1+momentum)*lr*g)", nesterov_dlfs),
        Formulation("nesterov", "nesterov_keras", "Keras's SGD(nesterov=True) (p += momentum*v - lr*g)", nesterov_keras),
        Formulation("nesterov", "nesterov_pytorch", "PyTorch's SGD(nesterov=True)", momentum_pytorch, (("nesterov", True),)),
    ],
    "adagrad": [
        Formulation("adagrad", "adagrad_book", "the book's AdaGrad (eps 1e-7 after the square root)", adagrad, (("eps", 1e-7),)),
        Formulation("adagrad", "adagrad_keras", "Keras's Adagrad (accumulator starts at 0.1)", adagrad, (("initial_accumulator", 0.1),)),
        Formulation("adagrad", "adagrad_pytorch", "PyTorch's Adagrad (eps 1e-10)", adagrad, (("eps", 1e-10),)),
    ],
    "rmsprop": [
        Formulation("rmsprop", "rmsprop_book", "the book's RMSprop (eps 1e-7 after the square root)", rmsprop, (("eps", 1e-7),)),
        Formulation("rmsprop", "rmsprop_eps_after", "RMSprop with eps 1e-8 after the square root (PyTorch, cs231n)", rmsprop, (("eps", 1e-8),)),
        Formulation("rmsprop", "rmsprop_eps_inside", "RMSprop with eps under the square root", rmsprop_eps_inside),
    ],
    "adam": [
        Formulation("adam", "adam_book", "the book's Adam (bias correction in the learning rate, eps 1e-7 after sqrt(v))", adam, (("eps", 1e-7),)),
        Formulation("adam", "adam_keras", "Keras's Adam (bias correction in the learning rate, eps after sqrt(v))", adam),
        Formulation("adam", "adam_pytorch", "PyTorch's Adam (eps after sqrt(v_hat))", adam_hat),
        Formulation("adam", "adam_cs231n", "cs231n's Adam (eps 1e-8 after sqrt(v_hat))", adam_hat, (("eps", 1e-8),)),
        Formulation("adam", "adam_eps_inside", "Adam with eps under the square root", adam_eps_inside),
    ],
}

#: The likely mistakes, as (note key, algorithm the mutant runs, hp overrides).
MUTANTS = {
    "sgd": [("mistake.sign", "sgd", {"mutant": "sign"})],
    "momentum": [("mistake.sign", "momentum", {"mutant": "sign"}), ("mistake.no_momentum", "sgd", {})],
    "nesterov": [("mistake.nesterov_prefix", "nesterov", {"mutant": "prefix"}), ("mistake.nesterov_as_momentum", "momentum", {}),
                 ("mistake.sign", "nesterov", {"mutant": "sign"})],
    "adagrad": [("mistake.overwrite", "adagrad", {"mutant": "overwrite"}), ("mistake.no_sqrt", "adagrad", {"mutant": "no_sqrt"}),
                ("mistake.sign", "adagrad", {"mutant": "sign"})],
    "rmsprop": [("mistake.overwrite", "rmsprop", {"mutant": "overwrite"}), ("mistake.no_sqrt", "rmsprop", {"mutant": "no_sqrt"}),
                ("mistake.sign", "rmsprop", {"mutant": "sign"}), ("mistake.rho_swapped", "rmsprop", {"mutant": "rho_swapped"})],
    "adam": [("mistake.no_bias_correction", "adam", {"mutant": "no_bias_correction"}),
             ("mistake.t_not_incremented", "adam", {"mutant": "t_not_incremented"}),
             ("mistake.no_sqrt", "adam", {"mutant": "no_sqrt"}), ("mistake.sign", "adam", {"mutant": "sign"}),
             ("mistake.t_from_two", "adam", {"mutant": "t_from_two"}), ("mistake.t_per_key", "adam", {"mutant": "t_per_key"}),
             ("mistake.moments_stored", "adam", {"mutant": "moments_stored"}),
             ("mistake.moments_aliased", "adam", {"mutant": "moments_aliased"})],
}


def run(step: Callable, params: dict, grads_seq: list[dict], hp: dict, shared_state: bool = False) -> list[dict]:
    """The trajectory of ``params`` under ``step``: one dict of arrays after each step.

    ``shared_state`` runs the mistake of one velocity/accumulator for all parameters
    (the step count still advances once per step, as in such code).
    """
    current = {k: np.array(v, dtype=np.float64) for k, v in params.items()}
    states: dict = {}
    shared: dict = {}
    out = []
    ticks = 0  # the mutant "t_per_key": one step counter advanced once per parameter key
    for done, grads in enumerate(grads_seq):
        for k in current:
            state = shared if shared_state else states.setdefault(k, {})
            if shared_state:
                state["t"] = done
            if hp.get("mutant") == "t_per_key":
                state["t"], ticks = ticks, ticks + 1
            current[k] = step(current[k], np.asarray(grads[k], dtype=np.float64), state, hp)
        out.append({k: v.copy() for k, v in current.items()})
    return out
