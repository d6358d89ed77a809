import numpy as np


def softmax(x):
    raise NotImplementedError


def cross_entropy_error(y, t):
    raise NotImplementedError


class SoftmaxWithLoss:
    def __init__(self):
        self.loss = None
        self.y = None
        self.t = None

    def forward(self, x, t):
        raise NotImplementedError

    def backward(self, dout=1):
        raise NotImplementedError
