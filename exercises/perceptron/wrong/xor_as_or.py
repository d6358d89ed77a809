import numpy as np


def _perceptron(x1, x2, w, b):
    return int(np.sum(np.array([x1, x2]) * w) + b > 0)


def AND(x1, x2):
    return _perceptron(x1, x2, np.array([0.5, 0.5]), -0.7)


def OR(x1, x2):
    return _perceptron(x1, x2, np.array([0.5, 0.5]), -0.2)


def NAND(x1, x2):
    return _perceptron(x1, x2, np.array([-0.5, -0.5]), 0.7)


def XOR(x1, x2):
    return OR(x1, x2)
