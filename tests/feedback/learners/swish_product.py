import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


class Swish:
    """swish(x) = x * sigmoid(x)"""

    def forward(self, x):
        self.x = x
        self.s = sigmoid(x)
        self.y = x * self.s
        return self.y

    def backward(self, dout):
        s = self.s
        return dout * (s + self.x * (1 - self.s))
