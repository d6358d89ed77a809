"""Candidate mistakes for the book's layers: for a case and an upstream gradient, the gradients a known mistake
would return.  When the learner's gradients equal one candidate's, that mistake is named, with what to change.
A new candidate is one function here and one line in ``CANDIDATES``."""

from __future__ import annotations

from typing import Callable

import numpy as np

from ..layers import conv
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


def convolution(case: Case, dout: np.ndarray) -> dict[str, dict[str, np.ndarray]]:
    """Convolution backward with the kernel flipped in dx, dW reshaped from im2col order without the transpose,
    db added once per input channel, or dx cropped from the padded image's corner instead of inside the padding."""
    layer = case.build(conv.Convolution)
    x = np.asarray(case.inputs[0], dtype=np.float64)
    layer.forward(x)
    right_dx = layer.backward(dout.copy())
    fn, c, fh, fw = layer.W.shape
    flipped = Case(args=(np.ascontiguousarray(layer.W[:, :, ::-1, ::-1]), layer.b), kwargs=case.kwargs).build(conv.Convolution)
    flipped.forward(x)
    candidates = {
        "mistake.conv_flipped_kernel": {"dx": flipped.backward(dout.copy())},
        "mistake.conv_dw_no_transpose": {"dW": layer.dW.reshape(fn, -1).T.reshape(fn, c, fh, fw)},
        "mistake.conv_db_per_channel": {"db": layer.db * c},
    }
    pad = layer.pad
    if pad > 0:
        n, _, h, w = x.shape
        d = dout.transpose(0, 2, 3, 1).reshape(-1, fn) @ layer.col_W.T
        whole = conv.col2im(d, (n, c, h + 2 * pad, w + 2 * pad), fh, fw, layer.stride, 0)
        candidates["mistake.conv_crop"] = {"dx": whole[:, :, :h, :w]}
    if np.allclose(right_dx, candidates["mistake.conv_flipped_kernel"]["dx"]):
        del candidates["mistake.conv_flipped_kernel"]  # a symmetric kernel cannot show it
    return candidates


def pooling(case: Case, dout: np.ndarray) -> dict[str, dict[str, np.ndarray]]:
    """Max-pool backward that assigns instead of adding where windows overlap (a cell that is the maximum of
    two windows keeps only the last window's gradient)."""
    layer = case.build(conv.Pooling)
    x = np.asarray(case.inputs[0], dtype=np.float64)
    out = layer.forward(x)
    ph, pw, stride, pad = layer.pool_h, layer.pool_w, layer.stride, layer.pad
    padded = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    dx = np.zeros_like(padded)
    for i in range(out.shape[2]):
        for j in range(out.shape[3]):
            window = padded[:, :, i * stride:i * stride + ph, j * stride:j * stride + pw].reshape(x.shape[0], x.shape[1], -1)
            k = window.argmax(axis=2)
            rows, cols = i * stride + k // pw, j * stride + k % pw
            for a in range(x.shape[0]):
                for b in range(x.shape[1]):
                    dx[a, b, rows[a, b], cols[a, b]] = dout[a, b, i, j]
    return {"mistake.pool_overwrite": {"dx": dx[:, :, pad:pad + x.shape[2], pad:pad + x.shape[3]]}}


CANDIDATES: dict[str, Candidates] = {
    "SoftmaxWithLoss": softmax_with_loss, "BatchNormalization": batch_normalization, "Convolution": convolution,
    "Pooling": pooling,
}


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
