"""Hypothesis strategies for gradient tests: well-scaled arrays, kink-free and tie-free inputs, valid shapes.

They avoid by construction what makes naive strategies flaky for gradient
checks: ``hypothesis.extra.numpy.arrays`` fills most cells with one repeated
value unless told not to (ties everywhere), exact zeros sit on ReLU's kink, and
tiny magnitudes such as 1e-204 appear even without subnormals.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp


def _snap(v: float, tiny: float) -> float:
    return 0.0 if abs(v) < tiny else v


def _inside(bound: float, width: int, toward: float) -> float:
    """The float of ``width`` bits nearest to ``bound`` that does not lie outside it."""
    if width == 64:
        return float(bound)
    kind = np.float32 if width == 32 else np.float16
    v = kind(bound)
    if (float(v) > bound and toward < bound) or (float(v) < bound and toward > bound):
        v = np.nextafter(v, kind(toward))
    return float(v)


def floats(scale: float = 3.0, width: int = 64, tiny: float = 1e-6) -> st.SearchStrategy[float]:
    """Finite floats in [-scale, scale] (for width 32, the float32 values inside it); magnitudes below ``tiny`` become 0."""
    lo, hi = _inside(-scale, width, 0.0), _inside(scale, width, 0.0)
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False, allow_subnormal=False, width=width).map(
        lambda v: _snap(v, tiny)
    )


def shapes(min_dims: int = 1, max_dims: int = 3, min_side: int = 1, max_side: int = 5) -> st.SearchStrategy[tuple]:
    """Array shapes with every side in [min_side, max_side]."""
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side)


def arrays(shape=None, scale: float = 3.0, dtype=np.float64, elements=None) -> st.SearchStrategy[np.ndarray]:
    """Arrays of ``shape`` (or a drawn shape) whose every cell is drawn on its own (no repeated fill value)."""
    width = 32 if np.dtype(dtype) == np.float32 else 64
    return hnp.arrays(
        dtype, shape if shape is not None else shapes(), elements=elements if elements is not None else floats(scale, width), fill=st.nothing()
    )


def away_from(points=(0.0,), margin: float = 0.05, scale: float = 3.0) -> st.SearchStrategy[float]:
    """Floats in [-scale, scale] at least ``margin`` from every kink in ``points``."""
    pts = tuple(float(p) for p in points)
    return st.floats(-scale, scale, allow_nan=False, allow_infinity=False, allow_subnormal=False).filter(
        lambda v: all(abs(v - p) >= margin for p in pts)
    )


def nonzero(margin: float = 0.05, scale: float = 3.0) -> st.SearchStrategy[float]:
    """Floats with magnitude in [margin, scale]: a constructive (never filtered) way away from 0."""
    return st.tuples(st.sampled_from((-1.0, 1.0)), st.floats(margin, scale)).map(lambda p: p[0] * p[1])


@st.composite
def distinct(draw, shape, gap: float = 0.05, scale: float = 3.0) -> np.ndarray:
    """An array whose values are pairwise at least ``gap`` apart: no ties inside any pooling window."""
    shape = tuple(draw(shape)) if isinstance(shape, st.SearchStrategy) else tuple(shape)
    n = int(np.prod(shape))
    order = draw(st.permutations(range(n)))
    offset = draw(st.floats(-scale, scale))
    step = max(gap, draw(st.floats(gap, max(gap, 2 * scale / max(n, 1)))))
    return (offset + step * (np.array(order, dtype=np.float64) - n / 2.0)).reshape(shape)


@st.composite
def conv_configs(draw, max_batch: int = 2, max_channels: int = 3, max_size: int = 7, max_filters: int = 3):
    """A valid convolution: dict with x_shape (N, C, H, W), w_shape (FN, C, FH, FW), stride and pad."""
    n = draw(st.integers(1, max_batch))
    c = draw(st.integers(1, max_channels))
    fh, fw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    pad = draw(st.integers(0, 2))
    stride = draw(st.integers(1, 3))
    h = draw(st.integers(max(1, fh - 2 * pad), max_size))
    w = draw(st.integers(max(1, fw - 2 * pad), max_size))
    fn = draw(st.integers(1, max_filters))
    return {"x_shape": (n, c, h, w), "w_shape": (fn, c, fh, fw), "stride": stride, "pad": pad}


@st.composite
def pool_configs(draw, max_batch: int = 2, max_channels: int = 3, max_size: int = 7):
    """A valid max-pooling: dict with x_shape, pool_h, pool_w and stride (windows may overlap)."""
    ph, pw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    stride = draw(st.integers(1, 3))
    shape = (
        draw(st.integers(1, max_batch)),
        draw(st.integers(1, max_channels)),
        draw(st.integers(ph, max_size)),
        draw(st.integers(pw, max_size)),
    )
    return {"x_shape": shape, "pool_h": ph, "pool_w": pw, "stride": stride}


@st.composite
def labels(draw, batch: int, classes: int, one_hot: bool = False) -> np.ndarray:
    """Class labels for a batch: integers in [0, classes), or their one-hot rows."""
    idx = np.array(draw(st.lists(st.integers(0, classes - 1), min_size=batch, max_size=batch)), dtype=np.int64)
    return np.eye(classes)[idx] if one_hot else idx


@st.composite
def probabilities(draw, shape, low: float = 0.02) -> np.ndarray:
    """Rows of probabilities (softmax of drawn logits), each cell at least about ``low``."""
    logits = draw(arrays(shape, scale=2.0))
    e = np.exp(logits - logits.max(axis=-1, keepdims=True))
    p = e / e.sum(axis=-1, keepdims=True)
    p = p + low
    return p / p.sum(axis=-1, keepdims=True)


def image_shapes(max_batch: int = 3, max_channels: int = 3, min_side: int = 1, max_side: int = 6):
    """NCHW shapes: (batch, channels, height, width)."""
    return st.tuples(
        st.integers(1, max_batch), st.integers(1, max_channels), st.integers(min_side, max_side), st.integers(min_side, max_side)
    )


def sequence_shapes(max_batch: int = 3, max_steps: int = 6, max_features: int = 4):
    """(batch, time steps, features) shapes."""
    return st.tuples(st.integers(1, max_batch), st.integers(1, max_steps), st.integers(1, max_features))


@st.composite
def layer_inputs(draw, layer_factory, inputs=(("N", "D"),), params=None, dims=None, elements=None):
    """A whole case: ``(layer, inputs)``, with shapes written in named dimensions drawn once each.

    ``layer_inputs(Affine, inputs=[("N", "D")], params={"W": ("D", "M"), "b": ("M",)})`` draws N, D
    and M, then W, b and x of matching shapes, and builds ``Affine(W=W, b=b)``.  ``dims`` maps a
    dimension name to its strategy (default 1 to 5); ``elements`` is the strategy for array values.
    """
    dims = dict(dims or {})
    sizes: dict[str, int] = {}

    def shape_of(spec):
        out = []
        for d in spec:
            if isinstance(d, int):
                out.append(d)
                continue
            if d not in sizes:
                sizes[d] = draw(dims.get(d, st.integers(1, 5)))
            out.append(sizes[d])
        return tuple(out)

    values = {name: draw(arrays(shape_of(spec), elements=elements)) for name, spec in (params or {}).items()}
    xs = tuple(draw(arrays(shape_of(spec), elements=elements)) for spec in inputs)
    return LayerCase((layer_factory(**values), xs), getattr(layer_factory, "__name__", repr(layer_factory)), values)


def _shown(a) -> str:
    return np.array2string(np.asarray(a), precision=17, separator=", ", threshold=10_000).replace("\n", "")


class LayerCase(tuple):
    """``(layer, inputs)`` as drawn, which unpacks as before, and prints as the call that rebuilds it
    (``LayerNorm(gamma=np.array([...]), beta=...), inputs=(np.array([...]),)``), so that a shrunk failing case
    can be reproduced from the message."""

    def __new__(cls, pair, factory: str, params: dict):
        case = super().__new__(cls, pair)
        case.factory, case.params = factory, params
        return case

    def __repr__(self) -> str:
        args = ", ".join(f"{k}=np.array({_shown(v)})" for k, v in self.params.items())
        xs = ", ".join(f"np.array({_shown(x)})" for x in self[1])
        return f"{self.factory}({args}), inputs=({xs}{',' if len(self[1]) == 1 else ''})"
