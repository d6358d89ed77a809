"""Learners' optimizers through verify: correct variants pass and name their formulation; planted bugs are named."""

import textwrap

import pytest

from gradcheck.grading.bank import find_exercise
from gradcheck.verify import verify_file

HEAD = "import numpy as np\n\n"
CLASSES = ("SGD", "Momentum", "Nesterov", "AdaGrad", "RMSprop", "Adam")


def book_solution() -> str:
    """The bank's reference solution: the book's six optimizers."""
    return (find_exercise("optimizers").root / "solution.py").read_text(encoding="utf-8")


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
    path.write_text(source if source.startswith("import") else HEAD + textwrap.dedent(source), encoding="utf-8")
    report = verify_file(str(path))
    return {r.target: r for r in report.results}


def test_the_books_optimizers_pass_and_name_the_book(tmp_path):
    results = verify_source(tmp_path, book_solution())
    assert set(results) == set(CLASSES)
    for result in results.values():
        assert result.passed, str(result)
        assert any(n.key == "optim.matches" for n in result.checks[0].notes)


def test_adam_written_as_in_the_paper_is_accepted_and_says_which_placement(tmp_path):
    result = verify_source(tmp_path, ADAM_PAPER_STYLE)["Adam"]
    assert result.passed
    matched = [n.render("en") for n in result.checks[0].notes if n.key == "optim.matches"][0]
    assert "v_hat" in matched


BUGS = [
    ("Adam", "lr_t = self.lr * np.sqrt(1.0 - self.beta2 ** self.iter) / (1.0 - self.beta1 ** self.iter)", "lr_t = self.lr", "mistake.no_bias_correction"),
    ("Adam", "self.iter += 1", "self.iter = 1", "mistake.t_not_incremented"),
    ("SGD", "params[key] -= self.lr * grads[key]\n", "params[key] += self.lr * grads[key]\n", "mistake.sign"),
    ("AdaGrad", "self.h[key] += grads[key] * grads[key]\n            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)",
     "self.h[key] += grads[key] * grads[key]\n            params[key] -= self.lr * grads[key] / (self.h[key] + 1e-7)", "mistake.no_sqrt"),
    ("RMSprop", "self.h[key] *= self.decay_rate\n            self.h[key] += (1 - self.decay_rate)",
     "self.h[key] = (1 - self.decay_rate)", "mistake.overwrite"),
    ("AdaGrad", "self.h[key] += grads[key] * grads[key]", "self.h[key] = grads[key] * grads[key]", "mistake.overwrite"),
    ("Nesterov", "params[key] += self.momentum * self.momentum * self.v[key]\n            params[key] -= (1 + self.momentum) * self.lr * grads[key]\n"
     "            self.v[key] *= self.momentum\n            self.v[key] -= self.lr * grads[key]",
     "self.v[key] *= self.momentum\n            self.v[key] -= self.lr * grads[key]\n            params[key] += self.v[key]",
     "mistake.nesterov_as_momentum"),
    ("Nesterov", "params[key] += self.momentum * self.momentum * self.v[key]\n            params[key] -= (1 + self.momentum) * self.lr * grads[key]\n"
     "            self.v[key] *= self.momentum\n            self.v[key] -= self.lr * grads[key]",
     "self.v[key] *= self.momentum\n            self.v[key] -= self.lr * grads[key]\n"
     "            params[key] += self.momentum * self.momentum * self.v[key]\n            params[key] -= (1 + self.momentum) * self.lr * grads[key]",
     "mistake.nesterov_prefix"),
    ("Adam", "self.iter, self.m, self.v = 0, None, None", "self.iter, self.m, self.v = 1, None, None", "mistake.t_from_two"),
    ("Adam",
     "        self.iter += 1\n        lr_t = self.lr * np.sqrt(1.0 - self.beta2 ** self.iter) / (1.0 - self.beta1 ** self.iter)\n        for key in params:\n",
     "        for key in params:\n            self.iter += 1\n"
     "            lr_t = self.lr * np.sqrt(1.0 - self.beta2 ** self.iter) / (1.0 - self.beta1 ** self.iter)\n",
     "mistake.t_per_key"),
    ("Adam", "            self.m[key] += (1 - self.beta1) * (grads[key] - self.m[key])\n"
     "            self.v[key] += (1 - self.beta2) * (grads[key] ** 2 - self.v[key])\n"
     "            params[key] -= lr_t * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)",
     "            self.m[key] = (self.beta1 * self.m[key] + (1 - self.beta1) * grads[key]) / (1 - self.beta1 ** self.iter)\n"
     "            self.v[key] = (self.beta2 * self.v[key] + (1 - self.beta2) * grads[key] ** 2) / (1 - self.beta2 ** self.iter)\n"
     "            params[key] -= self.lr * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)", "mistake.moments_stored"),
    ("RMSprop", "self.h[key] *= self.decay_rate\n            self.h[key] += (1 - self.decay_rate) * grads[key] * grads[key]",
     "self.h[key] *= (1 - self.decay_rate)\n            self.h[key] += self.decay_rate * grads[key] * grads[key]", "mistake.rho_swapped"),
    ("Momentum", "params[key] += self.v[key]\n\n\nclass Nesterov", "params[key] = params[key] + self.v[key]\n\n\nclass Nesterov", "mistake.not_in_place"),
]


@pytest.mark.parametrize("name, old, new, key", BUGS, ids=[b[3] + "-" + b[0] for b in BUGS])
def test_planted_optimizer_bugs_are_named(tmp_path, name, old, new, key):
    source = book_solution()
    assert source.count(old) == 1
    source = source.replace(old, new)
    result = verify_source(tmp_path, source)[name]
    assert not result.passed
    assert key in {n.key for n in result.checks[0].diagnoses}, str(result)


def test_shared_state_between_parameters_is_named(tmp_path):
    old = "self.m, self.v = _zeros(params), _zeros(params)"
    shared = ("first = next(iter(params.values()))\n            m, v = np.zeros_like(first), np.zeros_like(first)\n"
              "            self.m, self.v = {k: m for k in params}, {k: v for k in params}")
    source = book_solution().replace(old, shared).replace("self.m[key] += ", "self.m[key][...] += ")
    source = source.replace("self.v[key] += ", "self.v[key][...] += ")
    result = verify_source(tmp_path, source)["Adam"]
    assert not result.passed
    assert "mistake.shared_state" in {n.key for n in result.checks[0].diagnoses}


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
