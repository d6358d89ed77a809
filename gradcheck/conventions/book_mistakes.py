"""Candidate mistakes for the book's layers: for a case and an upstream gradient, the gradients a known mistake
would return.  When the learner's gradients equal one candidate's, that mistake is named, with what to change.
A new candidate is one function here and one line in ``CANDIDATES``."""

from __future__ import annotations

from typing import Callable

import numpy as np

from ..layers import conv
from ..layers.activations import softmax
from ..layers.cases import Case
from .norm_mistakes import normalisation

Candidates = Callable[[Case, np.ndarray], dict[str, dict[str, np.ndarray]]]


def softmax_with_loss(case: Case, dout: np.ndarray) -> dict[str, dict[str, np.ndarray]]:
    """SoftmaxWithLoss backward without ``- t``: dx = y / N."""
    x = np.asarray(case.inputs[0], dtype=np.float64)
    return {"mistake.softmax_no_t": {"dx": softmax(x) / x.shape[0]}}


def batch_normalization(case: Case, dout: np.ndarray) -> dict[str, dict[str, np.ndarray]]:
    """Batch norm backward with a branch or the variance's factor 2 missing, or dgamma from ``xc``; the book's
    layer flattens a 4-D input to (N, C*H*W) and adds 1e-6 (10e-7) to the variance."""
    x = np.asarray(case.inputs[0], dtype=np.float64)
    flat = x.reshape(x.shape[0], -1)
    gamma = np.asarray(case.args[0], dtype=np.float64)
    found = normalisation(flat, gamma, dout.reshape(flat.shape), 1e-6, (0,), "bn")
    for grads in found.values():
        if "dx" in grads:
            grads["dx"] = grads["dx"].reshape(x.shape)
    return found


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


def _pool_backward(x: np.ndarray, out_hw: tuple[int, int], pool: tuple[int, int], step: int, pad: int,
                   dout: np.ndarray, how: str) -> np.ndarray:
    """A max-pool backward with windows ``step`` apart: "add" (right when ``step`` is the stride), "assign"
    (overwrite where windows overlap) or "every" (dout to every cell of the window)."""
    ph, pw = pool
    padded = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    dx = np.zeros_like(padded)
    n, c = x.shape[:2]
    for i in range(out_hw[0]):
        for j in range(out_hw[1]):
            rs, cs = slice(i * step, i * step + ph), slice(j * step, j * step + pw)
            if how == "every":
                dx[:, :, rs, cs] += dout[:, :, i, j][:, :, None, None]
                continue
            k = padded[:, :, rs, cs].reshape(n, c, -1).argmax(axis=2)
            rows, cols = i * step + k // pw, j * step + k % pw
            for a in range(n):
                for b in range(c):
                    if how == "assign":
                        dx[a, b, rows[a, b], cols[a, b]] = dout[a, b, i, j]
                    else:
                        dx[a, b, rows[a, b], cols[a, b]] += dout[a, b, i, j]
    return dx[:, :, pad:pad + x.shape[2], pad:pad + x.shape[3]]


def pooling(case: Case, dout: np.ndarray) -> dict[str, dict[str, np.ndarray]]:
    """Max-pool backward that assigns instead of adding where windows overlap, that places windows one cell
    apart whatever the stride, or that sends dout to every cell of the window."""
    layer = case.build(conv.Pooling)
    x = np.asarray(case.inputs[0], dtype=np.float64)
    out = layer.forward(x)
    shape, pool, stride, pad = out.shape[2:], (layer.pool_h, layer.pool_w), layer.stride, layer.pad
    found = {"mistake.pool_overwrite": {"dx": _pool_backward(x, shape, pool, stride, pad, dout, "assign")},
             "diag.pool_every_cell": {"dx": _pool_backward(x, shape, pool, stride, pad, dout, "every")}}
    if stride != 1:
        found["mistake.pool_stride"] = {"dx": _pool_backward(x, shape, pool, 1, pad, dout, "add")}
    return found


CANDIDATES: dict[str, Candidates] = {
    "SoftmaxWithLoss": softmax_with_loss, "BatchNormalization": batch_normalization, "Convolution": convolution,
    "Pooling": pooling,
}
