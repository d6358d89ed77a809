"""Candidate mistakes for the book's layers: for a case and an upstream gradient, the gradients a known mistake
would return.  When the learner's gradients equal one candidate's, that mistake is named, with what to change.
A new candidate is one function here and one line in ``CANDIDATES``."""

from __future__ import annotations

from typing import Callable

import numpy as np

from ..layers.activations import softmax
from ..layers.cases import Case

Candidates = Callable[[Case, np.ndarray], dict[str, dict[str, np.ndarray]]]


def softmax_with_loss(case: Case, dout: np.ndarray) -> dict[str, dict[str, np.ndarray]]:
    """SoftmaxWithLoss backward without ``- t``: dx = y / N."""
    x = np.asarray(case.inputs[0], dtype=np.float64)
    return {"mistake.softmax_no_t": {"dx": softmax(x) / x.shape[0]}}


def _bn_parts(case: Case, eps: float = 1e-6):
    x = np.asarray(case.inputs[0], dtype=np.float64)
    x = x.reshape(x.shape[0], -1)
    gamma = np.asarray(case.args[0], dtype=np.float64)
    xc = x - x.mean(axis=0)
    std = np.sqrt((xc**2).mean(axis=0) + eps)
    return x, gamma, xc, std


def batch_normalization(case: Case, dout: np.ndarray) -> dict[str, dict[str, np.ndarray]]:
    """Batch norm backward with the variance term's factor 2 missing, the mean branch missing, or dgamma from
    the centred input ``xc`` where the normalised ``xn`` was meant."""
    x, gamma, xc, std = _bn_parts(case)
    dout = dout.reshape(x.shape)
    n = x.shape[0]
    dxn = dout * gamma
    dvar = 0.5 * -np.sum(dxn * xc / (std * std), axis=0) / std

    def dx(var_factor: float, mean_branch: bool) -> np.ndarray:
        dxc = dxn / std + (var_factor / n) * xc * dvar
        out = dxc - np.sum(dxc, axis=0) / n if mean_branch else dxc
        return out.reshape(np.shape(case.inputs[0]))

    return {
        "mistake.bn_var_no_two": {"dx": dx(1.0, True)},
        "mistake.bn_no_mean": {"dx": dx(2.0, False)},
        "mistake.bn_dgamma_xc": {"dgamma": np.sum(dout * xc, axis=0)},
    }


CANDIDATES: dict[str, Candidates] = {"SoftmaxWithLoss": softmax_with_loss, "BatchNormalization": batch_normalization}


def matching(candidates: dict[str, dict[str, np.ndarray]], got: dict[str, object]) -> str | None:
    """The first mistake whose every gradient equals the learner's (to 1e-6 of its largest value)."""
    for key, wanted in candidates.items():
        ok = True
        for name, value in wanted.items():
            mine = got.get(name)
            try:
                mine = np.asarray(mine, dtype=np.float64)
            except (TypeError, ValueError):
                ok = False
                break
            scale = max(float(np.max(np.abs(value), initial=0.0)), 1e-300)
            if mine.shape != value.shape or not np.all(np.abs(mine - value) <= 1e-6 * scale):
                ok = False
                break
        if ok:
            return key
    return None
