"""Candidate mistakes of a normalisation backward (batch norm over the batch axis, layer norm over each row):
a branch of the mean or the variance left out, the variance's factor 2 dropped, dgamma from the centred
input.  Written once in terms of the normalised input, for any normalisation axes."""

from __future__ import annotations

import numpy as np


def _parts(x, gamma, dout, eps, axes):
    mean = lambda a: a.mean(axis=axes, keepdims=True)  # noqa: E731
    xc = x - mean(x)
    std = np.sqrt(mean(xc * xc) + eps)
    xn = xc / std
    dxn = dout * gamma
    return xc, std, dxn, mean(dxn), xn * mean(dxn * xn)


def right_dx(x: np.ndarray, gamma, dout: np.ndarray, eps: float, axes: tuple[int, ...]) -> np.ndarray:
    """The exact dx of ``gamma * (x - mean) / std`` normalised over ``axes``."""
    _, std, dxn, centred, scaled = _parts(x, gamma, dout, eps, axes)
    return (dxn - centred - scaled) / std


def normalisation(x: np.ndarray, gamma, dout: np.ndarray, eps: float, axes: tuple[int, ...], kind: str,
                  param_axes: tuple[int, ...] = (0,)) -> dict[str, dict[str, np.ndarray]]:
    """The dx (and dgamma) each mistake gives for ``gamma * (x - mean) / std + beta`` normalised over ``axes``;
    ``kind`` is "bn" or "ln" (the message keys), ``param_axes`` the axes dgamma sums over."""
    xc, std, dxn, centred, scaled = _parts(x, gamma, dout, eps, axes)
    found = {
        f"mistake.{kind}_no_mean": {"dx": (dxn - scaled) / std},
        f"mistake.{kind}_no_variance": {"dx": (dxn - centred) / std},
    }
    if kind == "bn":
        found["mistake.bn_var_no_two"] = {"dx": (dxn - centred - 0.5 * scaled) / std}
        found["mistake.bn_dgamma_xc"] = {"dgamma": np.sum(dout * xc, axis=param_axes)}
    return found
