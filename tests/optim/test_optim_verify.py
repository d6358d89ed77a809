"""Learners' optimizers through verify: correct variants pass and name their formulation; planted bugs are named."""

import re
import textwrap

import pytest

from gradcheck.verify import verify_file

HEAD = "import numpy as np\n\n"

BOOK = {
    "SGD": """
        class SGD:
            def __init__(self, lr=0.01):
                self.lr = lr
            def update(self, params, grads):
                for k in params:
                    params[k] -= self.lr * grads[k]
    """,
    "Momentum": """
        class Momentum:
            def __init__(self, lr=0.01, momentum=0.9):
                self.lr, self.momentum, self.v = lr, momentum, None
            def update(self, params, grads):
                if self.v is None:
                    self.v = {k: np.zeros_like(v) for k, v in params.items()}
                for k in params:
                    self.v[k] = self.momentum * self.v[k] - self.lr * grads[k]
                    params[k] += self.v[k]
    """,
    "Nesterov": """
        class Nesterov:
            def __init__(self, lr=0.01, momentum=0.9):
                self.lr, self.momentum, self.v = lr, momentum, None
            def update(self, params, grads):
                if self.v is None:
                    self.v = {k: np.zeros_like(v) for k, v in params.items()}
                for k in params:
                    self.v[k] *= self.momentum
                    self.v[k] -= self.lr * grads[k]
                    params[k] += self.momentum * self.momentum * self.v[k]
                    params[k] -= (1 + self.momentum) * self.lr * grads[k]
    """,
    "AdaGrad": """
        class AdaGrad:
            def __init__(self, lr=0.01):
                self.lr, self.h = lr, None
            def update(self, params, grads):
                if self.h is None:
                    self.h = {k: np.zeros_like(v) for k, v in params.items()}
                for k in params:
                    self.h[k] += grads[k] * grads[k]
                    params[k] -= self.lr * grads[k] / (np.sqrt(self.h[k]) + 1e-7)
    """,
    "RMSprop": """
        class RMSprop:
            def __init__(self, lr=0.01, decay_rate=0.99):
                self.lr, self.decay_rate, self.h = lr, decay_rate, None
            def update(self, params, grads):
                if self.h is None:
                    self.h = {k: np.zeros_like(v) for k, v in params.items()}
                for k in params:
                    self.h[k] *= self.decay_rate
                    self.h[k] += (1 - self.decay_rate) * grads[k] * grads[k]
                    params[k] -= self.lr * grads[k] / (np.sqrt(self.h[k]) + 1e-7)
    """,
    "Adam": """
        class Adam:
            def __init__(self, lr=0.001, beta1=0.9, beta2=0.999):
                self.lr, self.beta1, self.beta2 = lr, beta1, beta2
                self.iter, self.m, self.v = 0, None, None
            def update(self, params, grads):
                if self.m is None:
                    self.m = {k: np.zeros_like(v) for k, v in params.items()}
                    self.v = {k: np.zeros_like(v) for k, v in params.items()}
                self.iter += 1
                lr_t = self.lr * np.sqrt(1.0 - self.beta2**self.iter) / (1.0 - self.beta1**self.iter)
                for k in params:
                    self.m[k] += (1 - self.beta1) * (grads[k] - self.m[k])
                    self.v[k] += (1 - self.beta2) * (grads[k]**2 - self.v[k])
                    params[k] -= lr_t * self.m[k] / (np.sqrt(self.v[k]) + 1e-7)
    """,
}

ADAM_PAPER_STYLE = """
    class Adam:
        def __init__(self, lr=0.001, beta1=0.9, beta2=0.999):
            self.lr, self.b1, self.b2, self.t, self.state = lr, beta1, beta2, 0, {}
        def update(self, params, grads):
            self.t += 1
            for k, p in params.items():
                m, v = self.state.get(k, (0.0, 0.0))
                m = self.b1 * m + (1 - self.b1) * grads[k]
                v = self.b2 * v + (1 - self.b2) * grads[k] ** 2
                self.state[k] = (m, v)
                m_hat, v_hat = m / (1 - self.b1 ** self.t), v / (1 - self.b2 ** self.t)
                p -= self.lr * m_hat / (np.sqrt(v_hat) + 1e-8)
"""


def verify_source(tmp_path, source, name="opt.py"):
    path = tmp_path / name
    path.write_text(HEAD + textwrap.dedent(source), encoding="utf-8")
    report = verify_file(str(path))
    return {r.target: r for r in report.results}


def test_the_books_optimizers_pass_and_name_the_book(tmp_path):
    results = verify_source(tmp_path, "\n".join(BOOK.values()))
    assert set(results) == set(BOOK)
    for name, result in results.items():
        assert result.passed, str(result)
        assert any(n.key == "optim.matches" for n in result.checks[0].notes)


def test_adam_written_as_in_the_paper_is_accepted_and_says_which_placement(tmp_path):
    result = verify_source(tmp_path, ADAM_PAPER_STYLE)["Adam"]
    assert result.passed
    matched = [n.params["label"] for n in result.checks[0].notes if n.key == "optim.matches"][0]
    assert "v_hat" in matched


BUGS = [
    ("Adam", "lr_t = self.lr * np.sqrt(1.0 - self.beta2**self.iter) / (1.0 - self.beta1**self.iter)", "lr_t = self.lr", "mistake.no_bias_correction"),
    ("Adam", "self.iter += 1", "self.iter = 1", "mistake.t_not_incremented"),
    ("SGD", "params[k] -= self.lr * grads[k]", "params[k] += self.lr * grads[k]", "mistake.sign"),
    ("AdaGrad", "/ (np.sqrt(self.h[k]) + 1e-7)", "/ (self.h[k] + 1e-7)", "mistake.no_sqrt"),
    ("RMSprop", "self.h[k] *= self.decay_rate\n                    self.h[k] += (1 - self.decay_rate)",
     "self.h[k] = (1 - self.decay_rate)", "mistake.overwrite"),
    ("AdaGrad", "self.h[k] += grads[k] * grads[k]", "self.h[k] = grads[k] * grads[k]", "mistake.overwrite"),
    ("Nesterov", "params[k] += self.momentum * self.momentum * self.v[k]\n                    params[k] -= (1 + self.momentum) * self.lr * grads[k]",
     "params[k] += self.v[k]", "mistake.nesterov_as_momentum"),
    ("Momentum", "params[k] += self.v[k]", "params[k] = params[k] + self.v[k]", "mistake.not_in_place"),
]


@pytest.mark.parametrize("name, old, new, key", BUGS, ids=[b[3] + "-" + b[0] for b in BUGS])
def test_planted_optimizer_bugs_are_named(tmp_path, name, old, new, key):
    pattern = r"\s+".join(re.escape(word) for word in old.split())
    source, count = re.subn(pattern, lambda m: new.strip(), textwrap.dedent(BOOK[name]))
    assert count == 1
    result = verify_source(tmp_path, source)[name]
    assert not result.passed
    assert key in {n.key for n in result.checks[0].diagnoses}, str(result)


def test_shared_state_between_parameters_is_named(tmp_path):
    source = BOOK["Adam"].replace("self.m = {k: np.zeros_like(v) for k, v in params.items()}", "z = np.zeros_like(next(iter(params.values())))\n                    self.m = {k: z for k in params}")
    source = source.replace("self.v = {k: np.zeros_like(v) for k, v in params.items()}", "zz = np.zeros_like(z)\n                    self.v = {k: zz for k in params}")
    source = source.replace("self.m[k] += ", "self.m[k][...] += ").replace("self.v[k] += ", "self.v[k][...] += ")
    result = verify_source(tmp_path, source)["Adam"]
    assert not result.passed


def test_cs231n_optimizers(tmp_path):
    source = """
        def sgd(w, dw, config=None):
            config = config or {}
            return w - config.get("learning_rate", 1e-2) * dw, config

        def sgd_momentum(w, dw, config=None):
            config = config or {}
            v = config.get("velocity", np.zeros_like(w))
            v = config.get("momentum", 0.9) * v - config["learning_rate"] * dw
            config["velocity"] = v
            return w + v, config

        def rmsprop(w, dw, config=None):
            cache = config.get("cache", np.zeros_like(w))
            cache = config["decay_rate"] * cache + (1 - config["decay_rate"]) * dw**2
            config["cache"] = cache
            return w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"]), config

        def adam(w, dw, config=None):
            config.setdefault("m", np.zeros_like(w)); config.setdefault("v", np.zeros_like(w)); config.setdefault("t", 0)
            config["t"] += 1
            config["m"] = config["beta1"] * config["m"] + (1 - config["beta1"]) * dw
            config["v"] = config["beta2"] * config["v"] + (1 - config["beta2"]) * dw**2
            mt = config["m"] / (1 - config["beta1"] ** config["t"])
            vt = config["v"] / (1 - config["beta2"] ** config["t"])
            return w - config["learning_rate"] * mt / (np.sqrt(vt) + config["epsilon"]), config
    """
    results = verify_source(tmp_path, source)
    assert set(results) == {"sgd", "sgd_momentum", "rmsprop", "adam"}
    assert all(r.passed for r in results.values()), [str(r) for r in results.values() if not r.passed]
