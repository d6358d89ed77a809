import numpy as np


class GELU:
    """tanh approximation of GELU."""

    def forward(self, x):
        self.x = x
        self.k = np.sqrt(2 / np.pi)
        self.u = self.k * (x + 0.044715 * x ** 3)
        self.t = np.tanh(self.u)
        return 0.5 * x * (1 + self.t)

    def backward(self, dout):
        du = self.k * (1 + 3 * 0.044715 * self.x ** 2)
        grad = (1 + self.t) + self.x * (1 - self.t ** 2) * du
        return dout * grad
