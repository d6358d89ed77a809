"""A testing kit for layer authors: assertions, Hypothesis strategies and a pytest plugin.

    from gradcheck.testing import assert_layer_gradients, layer_inputs
"""

from .assertions import Checker, assert_grad, assert_layer_gradients, assert_second_order, assert_vjp
from .strategies import (
    arrays, away_from, conv_configs, distinct, floats, image_shapes, labels, layer_inputs, nonzero, pool_configs,
    probabilities, sequence_shapes, shapes,
)

__all__ = [
    "Checker", "arrays", "assert_grad", "assert_layer_gradients", "assert_second_order", "assert_vjp", "away_from", "conv_configs", "distinct",
    "floats", "image_shapes", "labels", "layer_inputs", "nonzero", "pool_configs", "probabilities", "sequence_shapes",
    "shapes",
]
