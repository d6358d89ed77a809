"""Reference layers with forward and backward, in the "Deep Learning from Scratch" API."""

from .activations import LeakyRelu, Relu, Sigmoid, Softmax, Tanh, sigmoid, softmax
from .affine import Affine, Flatten
from .conv import Convolution, Pooling, col2im, im2col, output_size
from .graph import AddLayer, MulLayer
from .losses import BinaryCrossEntropy, CategoricalCrossEntropy, MeanSquaredError, SoftmaxWithLoss
from .norm import BatchNormalization
from .perceptron import AND, NAND, OR, XOR, check_gate, step_function
from .regularize import Dropout, L1Penalty, L2Penalty

__all__ = [
    "AND", "NAND", "OR", "XOR", "AddLayer", "Affine", "BatchNormalization", "BinaryCrossEntropy",
    "CategoricalCrossEntropy", "Convolution", "Dropout", "Flatten", "L1Penalty", "L2Penalty", "LeakyRelu",
    "MeanSquaredError", "MulLayer", "Pooling", "Relu", "Sigmoid", "Softmax", "SoftmaxWithLoss", "Tanh",
    "check_gate", "col2im", "im2col", "output_size", "sigmoid", "softmax", "step_function",
]
