"""Candidate mistakes for cs231n's forward/backward pairs and losses, by target id: for the inputs, parameter
dicts and upstream gradient a check used, the gradients each known mistake would return (named as the checks
name them: dx, dw, db, dgamma).  The book's candidates are reused where the layer is the same."""

from __future__ import annotations

import numpy as np

from ..layers import conv
from ..layers.activations import softmax
from ..layers.cases import Case
from . import book_mistakes
from .norm_mistakes import normalisation, right_dx

Found = dict[str, dict[str, np.ndarray]]


def _renamed(found: Found) -> Found:
    """The book's dW as cs231n's dw."""
    return {key: {("dw" if g == "dW" else g): v for g, v in grads.items()} for key, grads in found.items()}


def _batchnorm(i: dict, d: dict, dout: np.ndarray) -> Found:
    return normalisation(i["x"], i["gamma"], dout, d["bn_param"].get("eps", 1e-5), (0,), "bn")


def _layernorm(i: dict, d: dict, dout: np.ndarray) -> Found:
    return normalisation(i["x"], i["gamma"], dout, d["ln_param"].get("eps", 1e-5), (1,), "ln")


def _flat(a: np.ndarray) -> np.ndarray:
    """(N, C, H, W) in the (N*H*W, C) layout spatial batch norm normalises."""
    return a.transpose(0, 2, 3, 1).reshape(-1, a.shape[1])


def _spatial_batchnorm(i: dict, d: dict, dout: np.ndarray) -> Found:
    """Each batch-norm mistake on the (N*H*W, C) layout, and dout reshaped to it without the transpose."""
    x = i["x"]
    n, c, h, w = x.shape
    back = lambda a: a.reshape(n, h, w, c).transpose(0, 3, 1, 2)  # noqa: E731
    eps = d["bn_param"].get("eps", 1e-5)
    found = {k: {"dx": back(g["dx"])} for k, g in normalisation(_flat(x), i["gamma"], _flat(dout), eps, (0,), "bn").items()
             if "dx" in g}
    found["mistake.spatial_layout"] = {"dx": back(right_dx(_flat(x), i["gamma"], dout.reshape(-1, c), eps, (0,)))}
    return found


def _conv(i: dict, d: dict, dout: np.ndarray) -> Found:
    cp = d["conv_param"]
    stride, pad = cp["stride"], cp["pad"]
    case = Case(args=(i["w"], i["b"]), kwargs={"stride": stride, "pad": pad}, inputs=(i["x"],))
    found = _renamed(book_mistakes.convolution(case, dout))
    if pad > 0:
        x = i["x"]
        shifted = np.pad(x, ((0, 0), (0, 0), (0, 2 * pad), (0, 2 * pad)))  # the windows read x at padded positions
        layer = conv.Convolution(i["w"].copy(), i["b"].copy(), stride, 0)
        layer.forward(shifted)
        layer.backward(dout.copy())
        found["mistake.conv_dw_unpadded"] = {"dw": layer.dW}
    return found


def _pool(i: dict, d: dict, dout: np.ndarray) -> Found:
    pp = d["pool_param"]
    case = Case(args=(pp["pool_height"], pp["pool_width"]), kwargs={"stride": pp["stride"]}, inputs=(i["x"],))
    return book_mistakes.pooling(case, dout)


def _softmax_loss(i: dict, d: dict, dout) -> Found:
    x = i["x"]
    return {"mistake.softmax_no_t": {"dx": softmax(x) / x.shape[0]}}


def _svm_loss(i: dict, d: dict, dout) -> Found:
    """The correct class's entry set to -1 per row, not minus the count of positive margins."""
    x, y = i["x"], np.asarray(i["y"])
    n = x.shape[0]
    margins = x - x[np.arange(n), y][:, None] + 1.0
    margins[np.arange(n), y] = 0.0
    dx = (margins > 0).astype(np.float64)
    dx[np.arange(n), y] = -1.0
    return {"mistake.svm_correct_once": {"dx": dx / n}}


#: Target id to its candidates; ids are cs231n's function names without _forward/_backward.
CANDIDATES = {
    "batchnorm": _batchnorm, "batchnorm_alt": _batchnorm, "layernorm": _layernorm,
    "spatial_batchnorm": _spatial_batchnorm, "conv_naive": _conv, "conv_fast": _conv,
    "max_pool_naive": _pool, "max_pool_fast": _pool, "softmax_loss": _softmax_loss, "svm_loss": _svm_loss,
}
