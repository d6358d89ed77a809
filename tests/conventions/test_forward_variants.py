"""A batch norm forward that differs from the reference is told why, when a variant of the reference is what
it computes: another eps, or the batch's statistics in inference mode (train_flg ignored)."""

from gradcheck.verify import Options, verify_file

LAYER = '''import numpy as np


class BatchNormalization:
    def __init__(self, gamma, beta, momentum=0.9, running_mean=None, running_var=None):
        self.gamma, self.beta, self.momentum = gamma, beta, momentum
        self.running_mean, self.running_var = running_mean, running_var

    def forward(self, x, train_flg=True):
        if self.running_mean is None:
            self.running_mean = np.zeros(x.shape[1])
            self.running_var = np.zeros(x.shape[1])
{inference}        mu = x.mean(axis=0)
        self.xc = x - mu
        var = np.mean(self.xc ** 2, axis=0)
        self.std = np.sqrt(var + {eps})
        self.xn = self.xc / self.std
        self.running_mean = self.momentum * self.running_mean + (1 - self.momentum) * mu
        self.running_var = self.momentum * self.running_var + (1 - self.momentum) * var
        return self.gamma * self.xn + self.beta

    def backward(self, dout):
        self.dbeta = dout.sum(axis=0)
        self.dgamma = np.sum(self.xn * dout, axis=0)
        dxn = self.gamma * dout
        dxc = dxn / self.std
        dstd = -np.sum((dxn * self.xc) / (self.std * self.std), axis=0)
        dvar = 0.5 * dstd / self.std
        dxc += (2.0 / dout.shape[0]) * self.xc * dvar
        dmu = np.sum(dxc, axis=0)
        return dxc - dmu / dout.shape[0]
'''
INFERENCE = '''        if not train_flg:
            self.xc = x - self.running_mean
            self.std = np.sqrt(self.running_var + {eps})
            self.xn = self.xc / self.std
            return self.gamma * self.xn + self.beta
'''


def _said(tmp_path, eps: str, inference: bool) -> list[str]:
    path = tmp_path / "layers.py"
    path.write_text(LAYER.format(eps=eps, inference=INFERENCE.format(eps=eps) if inference else ""), encoding="utf-8")
    report = verify_file(str(path), Options())
    return [n.key for r in report.results for c in r.checks if c.gradient == "forward" and not c.passed for n in c.diagnoses]


def test_inference_with_the_batch_statistics_is_named(tmp_path):
    assert _said(tmp_path, "10e-7", inference=False) == ["forward.inference_batch_stats"]


def test_another_eps_is_named(tmp_path):
    keys = _said(tmp_path, "1e-5", inference=True)
    assert keys and set(keys) == {"forward.eps"}


def test_the_right_layer_names_nothing(tmp_path):
    assert _said(tmp_path, "1e-6", inference=True) == []
