"""The two nodes of a computational graph: addition passes dout through, multiplication swaps inputs."""

from __future__ import annotations


class AddLayer:
    """z = x + y; both inputs receive the upstream gradient unchanged."""

    def forward(self, x, y):
        return x + y

    def backward(self, dout):
        return dout * 1, dout * 1


class MulLayer:
    """z = x * y; each input receives dout times the other input."""

    def __init__(self):
        self.x = None
        self.y = None

    def forward(self, x, y):
        self.x, self.y = x, y
        return x * y

    def backward(self, dout):
        return dout * self.y, dout * self.x
