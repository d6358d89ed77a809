import numpy as np


class ELU:
    def __init__(self, alpha=0.5):
        self.alpha = alpha
        self.x = None

    def forward(self, x):
        self.x = x
        out = np.where(x > 0, x, self.alpha * (np.exp(x) - 1))
        return out

    def backward(self, dout):
        # derivative: 1 for x > 0, alpha * exp(x) otherwise
        grad = np.where(self.x > 0, 1.0, np.exp(self.x))
        return dout * grad
