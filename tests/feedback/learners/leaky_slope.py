import numpy as np


class LeakyRelu:
    def __init__(self, slope=0.01):
        self.slope = slope
        self.mask = None

    def forward(self, x):
        self.mask = (x <= 0)
        out = x.copy()
        out[self.mask] *= self.slope
        return out

    def backward(self, dout):
        dx = dout.copy()
        dx[self.mask] *= 0.1
        return dx
