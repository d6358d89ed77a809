"""The numeric engine: finite differences with error estimates and gradient checks."""

from .check import FastPlan, check_gradients
from .diff import PrecisionWarning, complex_step_gradient, numerical_gradient
from .layer import check_layer

__all__ = ["FastPlan", "PrecisionWarning", "check_gradients", "check_layer", "complex_step_gradient", "numerical_gradient"]
