import numpy as np


def softplus(x):
    return np.log1p(np.exp(x))


def softplus_grad(x):
    # d/dx log(1 + e^x)
    s = 1 / (1 + np.exp(-x))
    return s * (1 - s)
