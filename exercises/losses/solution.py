import numpy as np


class MeanSquaredError:
    def forward(self, y, t):
        self.diff = y - t
        return 0.5 * np.sum(self.diff ** 2)

    def backward(self, dout=1):
        return dout * self.diff


class BinaryCrossEntropy:
    def forward(self, y, t):
        self.y, self.t = y, t
        return -np.mean(t * np.log(y) + (1 - t) * np.log(1 - y))

    def backward(self, dout=1):
        y, t = self.y, self.t
        return dout * (y - t) / (y * (1 - y)) / y.size


class CategoricalCrossEntropy:
    def forward(self, y, t):
        self.y, self.t = y, t
        return -np.sum(t * np.log(y)) / y.shape[0]

    def backward(self, dout=1):
        return -dout * self.t / self.y / self.y.shape[0]
