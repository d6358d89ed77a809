import numpy as np


def conv_output_shape(input_shape, filter_shape, stride=1, pad=0):
    _, h, w = input_shape
    fn, _, fh, fw = filter_shape
    return (fn, (h + 2 * pad - fh) // stride + 1, (w + 2 * pad - fw) // stride + 1)


def windows(n_out, size, stride):
    """(output index, slice of the padded input) for each window position along one axis."""
    return [(i, slice(i * stride, i * stride + size)) for i in range(n_out)]


class Convolution:
    def __init__(self, W, b, stride=1, pad=0):
        self.W, self.b, self.stride, self.pad = W, b, stride, pad
        self.dW = None
        self.db = None

    def forward(self, x):
        p = self.pad
        self.xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
        self.x_shape = x.shape
        fn, _, fh, fw = self.W.shape
        _, oh, ow = conv_output_shape(x.shape[1:], self.W.shape, self.stride, p)
        out = np.empty((x.shape[0], fn, oh, ow))
        for i, rows in windows(oh, fh, self.stride):
            for j, cols in windows(ow, fw, self.stride):
                patch = self.xp[:, :, rows, cols]
                out[:, :, i, j] = np.tensordot(patch, self.W, axes=([1, 2, 3], [1, 2, 3])) + self.b
        return out

    def backward(self, dout):
        fn, _, fh, fw = self.W.shape
        dxp = np.zeros_like(self.xp)
        self.dW = np.zeros_like(self.W)
        self.db = dout.sum(axis=(0, 2, 3))
        for i, rows in windows(dout.shape[2], fh, self.stride):
            for j, cols in windows(dout.shape[3], fw, self.stride):
                g = dout[:, :, i, j]
                self.dW += np.tensordot(g, self.xp[:, :, rows, cols], axes=([0], [0]))
                dxp[:, :, rows, cols] += np.tensordot(g, self.W, axes=([1], [0]))
        h, w = self.x_shape[2:]
        return dxp[:, :, self.pad:self.pad + h, self.pad:self.pad + w]


class Pooling:
    def __init__(self, pool_h, pool_w, stride=1, pad=0):
        self.pool_h, self.pool_w, self.stride, self.pad = pool_h, pool_w, stride, pad

    def forward(self, x):
        p = self.pad
        self.xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
        self.x_shape = x.shape
        oh = (x.shape[2] + 2 * p - self.pool_h) // self.stride + 1
        ow = (x.shape[3] + 2 * p - self.pool_w) // self.stride + 1
        out = np.empty(x.shape[:2] + (oh, ow))
        for i, rows in windows(oh, self.pool_h, self.stride):
            for j, cols in windows(ow, self.pool_w, self.stride):
                out[:, :, i, j] = self.xp[:, :, rows, cols].max(axis=(2, 3))
        self.out = out
        return out

    def backward(self, dout):
        dxp = np.zeros_like(self.xp)
        for i, rows in windows(dout.shape[2], self.pool_h, self.stride):
            for j, cols in windows(dout.shape[3], self.pool_w, self.stride):
                patch = self.xp[:, :, rows, cols]
                flat = patch.reshape(patch.shape[0], patch.shape[1], -1)
                winner = np.zeros_like(flat)
                np.put_along_axis(winner, flat.argmax(axis=2)[:, :, None], 1.0, axis=2)
                dxp[:, :, rows, cols] += winner.reshape(patch.shape) * dout[:, :, i, j][:, :, None, None]
        h, w = self.x_shape[2:]
        return dxp[:, :, self.pad:self.pad + h, self.pad:self.pad + w]
