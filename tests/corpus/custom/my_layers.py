# coding: utf-8
# Layers a learner adds after chapter 5, in the book's style: forward caches, backward returns dx.
import numpy as np


class MulLayer:
    def __init__(self):
        self.x = None
        self.y = None

    def forward(self, x, y):
        self.x = x
        self.y = y
        return x * y

    def backward(self, dout):
        dx = dout * self.y
        dy = dout * self.x
        return dx, dy


class Tanh:
    def __init__(self):
        self.out = None

    def forward(self, x):
        self.out = np.tanh(x)
        return self.out

    def backward(self, dout):
        return dout * (1.0 - self.out ** 2)


class ELU:
    def __init__(self, alpha=1.0):
        self.alpha = alpha
        self.x = None
        self.out = None

    def forward(self, x):
        self.x = x
        self.out = np.where(x > 0, x, self.alpha * (np.exp(x) - 1))
        return self.out

    def backward(self, dout):
        return dout * np.where(self.x > 0, 1.0, self.out + self.alpha)


class Softplus:
    def __init__(self):
        self.out = None

    def forward(self, x):
        self.out = np.log1p(np.exp(x))
        return self.out

    def backward(self, dout):
        return dout * (1.0 - np.exp(-self.out))


class Swish:
    def __init__(self):
        self.x = None
        self.s = None

    def forward(self, x):
        self.x = x
        self.s = 1 / (1 + np.exp(-x))
        return x * self.s

    def backward(self, dout):
        return dout * (self.s + self.x * self.s * (1 - self.s))


class GELU:
    """GELU with the tanh approximation."""

    def __init__(self):
        self.x = None
        self.t = None

    def forward(self, x):
        self.x = x
        self.t = np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x ** 3))
        return 0.5 * x * (1 + self.t)

    def backward(self, dout):
        dt = (1 - self.t ** 2) * np.sqrt(2 / np.pi) * (1 + 3 * 0.044715 * self.x ** 2)
        return dout * (0.5 * (1 + self.t) + 0.5 * self.x * dt)


class LogSoftmax:
    def __init__(self):
        self.y = None

    def forward(self, x):
        shifted = x - x.max(axis=1, keepdims=True)
        out = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        self.y = np.exp(out)
        return out

    def backward(self, dout):
        return dout - self.y * dout.sum(axis=1, keepdims=True)


class HuberLoss:
    def __init__(self, delta=1.0):
        self.delta = delta
        self.diff = None

    def forward(self, x, t):
        self.diff = x - t
        a = np.abs(self.diff)
        loss = np.where(a <= self.delta, 0.5 * self.diff ** 2, self.delta * (a - 0.5 * self.delta))
        return np.sum(loss) / x.shape[0]

    def backward(self, dout=1):
        d = self.diff
        grad = np.where(np.abs(d) <= self.delta, d, self.delta * np.sign(d))
        return dout * grad / d.shape[0]


class LayerNorm:
    """Normalises each row (sample) to zero mean and unit variance; no learned scale."""

    def __init__(self, eps=1e-5):
        self.eps = eps
        self.xn = None
        self.std = None

    def forward(self, x):
        xc = x - x.mean(axis=1, keepdims=True)
        self.std = np.sqrt((xc ** 2).mean(axis=1, keepdims=True) + self.eps)
        self.xn = xc / self.std
        return self.xn

    def backward(self, dout):
        D = dout.shape[1]
        dxn = dout
        return (dxn - dxn.mean(axis=1, keepdims=True) - self.xn * (dxn * self.xn).mean(axis=1, keepdims=True)) / self.std


class Square:
    def __init__(self):
        self.x = None

    def forward(self, x):
        self.x = x
        return x ** 2

    def backward(self, dout):
        return 2 * self.x * dout
