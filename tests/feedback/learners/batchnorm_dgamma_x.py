import numpy as np


class BatchNorm:
    """Batch normalisation for (N, D) inputs, book style with gamma and beta arrays."""

    def __init__(self, gamma, beta, eps=1e-7):
        self.gamma = gamma
        self.beta = beta
        self.eps = eps
        self.dgamma = None
        self.dbeta = None

    def forward(self, x, train_flg=True):
        self.x = x
        self.mu = x.mean(axis=0)
        self.xc = x - self.mu
        self.var = np.mean(self.xc ** 2, axis=0)
        self.std = np.sqrt(self.var + self.eps)
        self.xn = self.xc / self.std
        return self.gamma * self.xn + self.beta

    def backward(self, dout):
        N = dout.shape[0]
        self.dbeta = dout.sum(axis=0)
        self.dgamma = np.sum(self.x * dout, axis=0)
        dxn = self.gamma * dout
        dxc = dxn / self.std
        dstd = -np.sum((dxn * self.xc) / (self.std * self.std), axis=0)
        dvar = 0.5 * dstd / self.std
        dxc += (2.0 / N) * self.xc * dvar
        dmu = np.sum(dxc, axis=0)
        dx = dxc - dmu / N
        return dx
