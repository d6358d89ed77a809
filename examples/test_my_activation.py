"""Property-testing a new layer in a dozen lines: copy this file next to your layer and run pytest.

Needs `pip install gradcheck` (the pytest plugin gives the `gradcheck` fixture, --gradcheck-seed and --gradcheck-mode).
"""

import numpy as np
from hypothesis import given, settings

from gradcheck.testing import arrays, layer_inputs, nonzero, shapes


class Swish:
    """x * sigmoid(x), the layer under test."""

    def forward(self, x):
        self.x, self.s = x, 1 / (1 + np.exp(-x))
        return x * self.s

    def backward(self, dout):
        return dout * (self.s + self.x * self.s * (1 - self.s))


@settings(max_examples=50, deadline=None)
@given(x=arrays(shapes(max_dims=3)))
def test_swish_backward(gradcheck, x):
    gradcheck.layer(Swish(), x)


class Scale:
    """y = x * w with a learned per-feature scale w: a layer with a parameter."""

    def __init__(self, w):
        self.w, self.dw = w, None

    def forward(self, x):
        self.x = x
        return x * self.w

    def backward(self, dout):
        self.dw = np.sum(dout * self.x, axis=0)
        return dout * self.w


@settings(max_examples=50, deadline=None)
@given(case=layer_inputs(Scale, inputs=[("N", "D")], params={"w": ("D",)}, elements=nonzero()))
def test_scale_backward(gradcheck, case):
    layer, inputs = case
    gradcheck.layer(layer, *inputs)
