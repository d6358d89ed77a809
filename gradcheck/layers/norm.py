"""Batch normalization: normalize with batch statistics, then scale by gamma and shift by beta."""

from __future__ import annotations

import numpy as np


class BatchNormalization:
    """DLFS-style batch norm over the feature axis; 4-D input is flattened to (N, -1).

    ``forward(x, train_flg=True)`` uses the batch's mean and variance and updates
    the running averages; with ``train_flg=False`` it uses the running averages.
    """

    def __init__(self, gamma, beta, momentum=0.9, running_mean=None, running_var=None, eps=1e-6):
        self.gamma = gamma
        self.beta = beta
        self.momentum = momentum
        self.running_mean = running_mean
        self.running_var = running_var
        self.eps = eps
        self.input_shape = None
        self.train = True
        self.xc = self.xn = self.std = None
        self.dgamma = self.dbeta = None

    def forward(self, x, train_flg=True):
        self.input_shape = x.shape
        x = x.reshape(x.shape[0], -1)
        if self.running_mean is None:
            self.running_mean = np.zeros(x.shape[1])
            self.running_var = np.zeros(x.shape[1])
        self.train = bool(train_flg)
        if self.train:
            mu = x.mean(axis=0)
            self.xc = x - mu
            var = np.mean(self.xc**2, axis=0)
            self.std = np.sqrt(var + self.eps)
            self.running_mean = self.momentum * self.running_mean + (1 - self.momentum) * mu
            self.running_var = self.momentum * self.running_var + (1 - self.momentum) * var
        else:
            self.xc = x - self.running_mean
            self.std = np.sqrt(self.running_var + self.eps)
        self.xn = self.xc / self.std
        return (self.gamma * self.xn + self.beta).reshape(self.input_shape)

    def backward(self, dout):
        dout = dout.reshape(dout.shape[0], -1)
        self.dbeta = dout.sum(axis=0)
        self.dgamma = np.sum(self.xn * dout, axis=0)
        dxn = self.gamma * dout
        if not self.train:
            return (dxn / self.std).reshape(self.input_shape)
        dx = (dxn - dxn.mean(axis=0) - self.xn * np.mean(dxn * self.xn, axis=0)) / self.std
        return dx.reshape(self.input_shape)
