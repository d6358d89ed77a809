"""verify on code laid out as learners have it: a clone of the book's repository (common/, chapter folders,
sys.path.append(os.pardir)) and a finished cs231n assignment (a cs231n/ package, relative imports,
classifiers/).  Correct code passes, planted bugs fail with the gradient named, and what is not checked
is listed with its reason."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from gradcheck.grading.bank import find_exercise
from gradcheck.grading.grade import grade_submission
from gradcheck.verify import Options, verify_file

HERE = Path(__file__).parent
BOOK, ASSIGNMENT = HERE / "book", HERE / "assignment"


def run(root: Path, rel: str, run_dir: Path | None = None, **kw):
    return verify_file(str(root / rel), Options(run_dir=str(run_dir or root), shrink=False, **kw))


def ids(report) -> set[str]:
    return {r.target_id for r in report.results}


@pytest.fixture(scope="module")
def copies(tmp_path_factory):
    """Writable copies of both trees, for planting bugs."""
    base = tmp_path_factory.mktemp("real")
    shutil.copytree(BOOK, base / "book")
    shutil.copytree(ASSIGNMENT, base / "assignment")
    return base


@pytest.mark.parametrize("rel, run_dir, expected", [
    ("common/layers.py", ".", {"Relu", "Sigmoid", "Affine", "SoftmaxWithLoss", "Dropout", "BatchNormalization", "Convolution", "Pooling"}),
    ("common/optimizer.py", ".", {"SGD", "Momentum", "Nesterov", "AdaGrad", "RMSprop", "Adam"}),
    ("common/functions.py", ".", {"sigmoid", "relu"}),
    ("common/multi_layer_net_extend.py", ".", {"MultiLayerNetExtend"}),
    ("ch05/two_layer_net.py", "ch05", {"TwoLayerNet"}),
    ("ch07/simple_convnet.py", "ch07", {"SimpleConvNet"}),
])
def test_the_books_repository_verifies_from_where_its_authors_run_it(rel, run_dir, expected):
    report = run(BOOK, rel, BOOK / run_dir)
    assert report.status == 0, report.problem or [str(r) for r in report.results if not r.passed]
    assert expected <= ids(report)


def test_the_books_loss_only_softmax_loss_is_listed_not_failed():
    report = run(BOOK, "common/functions.py")
    assert [s.name for s in report.skipped] == ["softmax_loss"]
    assert "only the loss" in report.skipped[0].reason.render("en")


def test_the_books_nesterov_is_the_fixed_one():
    report = run(BOOK, "common/optimizer.py", targets=("Nesterov",))
    notes = [n.render("en") for c in report.results[0].checks for n in c.notes]
    assert any("matches the book's Nesterov" in n for n in notes), notes


@pytest.mark.parametrize("rel, expected", [
    ("cs231n/layers.py", {"affine", "relu", "batchnorm", "batchnorm_alt", "layernorm", "dropout", "conv_naive", "max_pool_naive",
                          "spatial_batchnorm", "spatial_groupnorm", "softmax_loss", "svm_loss"}),
    ("cs231n/layer_utils.py", {"affine_relu", "affine_bn_relu", "conv_relu", "conv_bn_relu", "conv_relu_pool"}),
    ("cs231n/rnn_layers.py", {"rnn_step", "rnn", "lstm_step", "lstm", "word_embedding", "temporal_affine", "temporal_softmax_loss"}),
    ("cs231n/classifiers/rnn.py", {"CaptioningRNN"}),
    ("cs231n/optim.py", {"sgd", "sgd_momentum", "rmsprop", "adam"}),
    ("cs231n/classifiers/fc_net.py", {"TwoLayerNet", "FullyConnectedNet"}),
    ("cs231n/classifiers/cnn.py", {"ThreeLayerConvNet"}),
    ("cs231n/classifiers/softmax.py", {"softmax_loss_naive", "softmax_loss_vectorized"}),
    ("cs231n/classifiers/linear_svm.py", {"svm_loss_naive", "svm_loss_vectorized"}),
])
def test_a_finished_cs231n_assignment_verifies_unchanged(rel, expected):
    report = run(ASSIGNMENT, rel)
    assert report.status == 0, report.problem or [str(r) for r in report.results if not r.passed]
    assert expected <= ids(report), ids(report)
    assert not report.skipped


def test_dropout_is_checked_in_train_and_test_mode_and_conv_with_and_without_padding():
    report = run(ASSIGNMENT, "cs231n/layers.py", targets=("dropout_forward", "conv_forward_naive"))
    cases = {r.case.render("en") for r in report.results if r.case is not None}
    assert any("'mode': 'train'" in c for c in cases) and any("'mode': 'test'" in c for c in cases)
    assert any("'pad': 0" in c for c in cases) and any("'pad': 1" in c for c in cases)


PLANTED: dict[Path, str] = {}  # each planted file's text before the test that planted it


@pytest.fixture(autouse=True)
def _unplant():
    """Every test starts from the trees as written: what one test planted is taken out after it."""
    yield
    for path, text in PLANTED.items():
        path.write_text(text)
    PLANTED.clear()


def plant(copies: Path, rel: str, old: str, new: str) -> Path:
    path = copies / rel
    text = path.read_text()
    assert text.count(old) == 1, old
    PLANTED.setdefault(path, text)
    path.write_text(text.replace(old, new))
    return path


def test_a_conv_backward_that_crops_with_minus_pad_fails_at_pad_zero(copies):
    plant(copies, "assignment/cs231n/layers.py", "dx = dxp[:, :, pad:pad + H, pad:pad + W]", "dx = dxp[:, :, pad:-pad, pad:-pad]")
    report = run(copies / "assignment", "cs231n/layers.py", targets=("conv_naive",))
    failed = [r for r in report.results if not r.passed]
    assert failed and all("'pad': 0" in r.case.render("en") for r in failed)
    assert any(r.passed for r in report.results)  # pad 1 still passes


def test_a_layer_bug_inside_a_network_names_every_node_that_runs_it(copies):
    plant(copies, "book/common/layers.py", "        self.db = np.sum(dout, axis=0)\n        return dx.reshape",
          "        self.db = np.sum(dout, axis=0) * 0.5\n        return dx.reshape")
    report = run(copies / "book", "ch05/two_layer_net.py", copies / "book" / "ch05")
    checks = {c.gradient: c for r in report.results for c in r.checks}
    assert not checks["params['b2']"].passed and checks["params['W2']"].passed
    # both Affine layers run the planted backward: both are the wrong node, checked where the network uses them
    blamed = [n for r in report.results for n in r.notes if n.key == "network.node_wrong"]
    assert [n.params["node"] for n in blamed] == ["layers['Affine1'], layers['Affine2']"]
    assert blamed[0].params["where"].startswith("common/layers.py:")
    assert not checks["layers['Affine1'].backward -> db"].passed


def test_regularisation_mistake_in_a_cs231n_network_fails(copies):
    plant(copies, "assignment/cs231n/classifiers/fc_net.py", 'grads["W1"] += self.reg * self.params["W1"]', "pass")
    report = run(copies / "assignment", "cs231n/classifiers/fc_net.py", targets=("TwoLayerNet",))
    failing = {c.gradient for r in report.results for c in r.checks if not c.passed}
    assert failing == {"params['W1']"}


def test_a_softmax_loss_without_the_max_shift_fails_at_large_logits(copies):
    plant(copies, "assignment/cs231n/layers.py", "shifted = x - np.max(x, axis=1, keepdims=True)", "shifted = x")
    report = run(copies / "assignment", "cs231n/layers.py", targets=("softmax_loss",))
    by_case = {(r.case.key if r.case else ""): r.passed for r in report.results}
    assert by_case == {"": True, "case.large_logits": False}


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


IDENTITY = '''
import numpy as np

class Flatten:
    def forward(self, x):
        self.shape = x.shape
        return x.reshape(x.shape[0], -1)

    def backward(self, dout):
        return dout.reshape(self.shape)

class Relu:
    def forward(self, x):
        self.mask = x <= 0
        x[self.mask] = 0
        return x

    def backward(self, dout):
        dout[self.mask] = 0
        return dout

class Layer:
    def forward(self, x):
        raise NotImplementedError

    def backward(self, dout):
        raise NotImplementedError

class Affine:
    def __init__(self, input_size, output_size):
        self.W = np.random.randn(input_size, output_size)
        self.b = np.zeros(output_size)

    def forward(self, x):
        self.x = x
        return x @ self.W + self.b

    def backward(self, dout):
        self.dW = self.x.T @ dout
        self.db = dout.sum(axis=0)
        return dout @ self.W.T
'''


def test_views_in_place_writes_and_other_signatures(tmp_path):
    report = verify_file(str(write(tmp_path, "mine.py", IDENTITY)), Options(run_dir=str(tmp_path), shrink=False))
    results = {r.target_id: r for r in report.results}
    assert results["Flatten"].passed  # a reshape view of the input is not a false alarm
    relu = results["Relu"]
    assert relu.passed and {"inplace.input", "inplace.dout"} <= {n.key for n in relu.notes}
    reasons = {s.name: s.reason.key for s in report.skipped}
    assert reasons == {"Layer": "skip.abstract", "Affine": "skip.init_not_book"}


def test_a_class_built_with_init_options_is_checked_as_written(tmp_path):
    path = write(tmp_path, "mine.py", IDENTITY)
    report = verify_file(str(path), Options(targets=("Affine",), init={"input_size": 5, "output_size": 3}, shapes={"x": (4, 5)},
                                            run_dir=str(tmp_path), shrink=False))
    assert report.status == 0 and ids(report) == {"Affine"}


def test_a_file_that_cannot_be_imported_exits_2_and_a_missing_package_is_named(tmp_path):
    report = verify_file(str(write(tmp_path, "m.py", "from past.builtins import xrange\n")), Options(run_dir=str(tmp_path)))
    assert report.status == 2 and "pip install future" in report.problem.render("en")


def test_numpy_1_code_is_named_with_the_fix(tmp_path):
    text = "import numpy as np\n\ndef f_forward(x):\n    return x * np.float_(2), None\n\ndef f_backward(dout, cache):\n    return dout * 2\n"
    report = verify_file(str(write(tmp_path, "n.py", text)), Options(run_dir=str(tmp_path), shrink=False))
    assert "np.float64" in report.results[0].problem.render("en")


def test_target_accepts_names_from_the_file_and_says_which_is_missing():
    report = run(ASSIGNMENT, "cs231n/layers.py", targets=("batchnorm_forward", "nonesuch"))
    assert ids(report) == {"batchnorm", "batchnorm_alt"}  # the alternative backward shares the forward
    assert report.status == 2 and "nonesuch" in report.problem.render("en")


@pytest.mark.parametrize("exercise, not_cs231n", [
    ("affine", set()),
    ("batch-norm", set()),
    ("convolution", {"output shapes"}),  # a function of its own, not part of cs231n's layers
])
def test_correct_cs231n_pairs_score_every_gradient_check_of_the_exercise(tmp_path, exercise, not_cs231n):
    path = write(tmp_path, "layers.py", (ASSIGNMENT / "cs231n" / "layers.py").read_text())
    result = grade_submission(find_exercise(exercise), path)
    lost = {t.name for t in result.tests if t.score < t.max_score}
    assert lost == not_cs231n, [t.output for t in result.tests if t.name in lost]


def test_the_learners_code_cannot_write_outside_its_private_folder(tmp_path):
    target = tmp_path / "victim.txt"
    text = f"open({str(target)!r}, 'w').write('x')\n\ndef f(x):\n    return x\n\ndef f_grad(x):\n    return 1.0 + 0 * x\n"
    report = verify_file(str(write(tmp_path, "w.py", text)), Options(run_dir=str(tmp_path)))
    if "landlock" not in report.isolation:
        pytest.skip("Landlock is not available on this kernel")
    assert report.status == 2 and not target.exists()


def test_an_extra_axis_from_keepdims_is_named_as_that(copies):
    plant(copies, "assignment/cs231n/layers.py", "    db = np.sum(dout, axis=0)\n    return dx, dw, db",
          "    db = np.sum(dout, axis=0, keepdims=True)\n    return dx, dw, db")
    report = run(copies / "assignment", "cs231n/layers.py", targets=("affine",))
    db = next(c for c in report.results[0].checks if c.gradient == "db")
    assert not db.passed and db.problem.key == "grad.shape_keepdims"


def test_the_books_pooling_which_ignores_pad_in_its_output_size_gets_a_note_not_a_failure():
    report = run(BOOK, "common/layers.py", targets=("Pooling",))
    assert report.status == 0
    assert "note.case_unsupported" in {n.key for r in report.results for n in r.notes}


def test_a_cs231n_optimizer_reading_config_mu_is_told_the_key_is_momentum(copies):
    plant(copies, "assignment/cs231n/optim.py", 'config.setdefault("momentum", 0.9)\n    v = config.get("velocity", np.zeros_like(w))\n'
          '    v = config["momentum"] * v', 'v = config.get("velocity", np.zeros_like(w))\n    v = config.get("mu", 0.9) * v')
    report = run(copies / "assignment", "cs231n/optim.py", targets=("sgd_momentum",))
    check = report.results[0].checks[0]
    assert not check.passed
    assert any(n.key == "optim.config_key" and n.params["key"] == "mu" for n in check.diagnoses)


LIST_SGD = '''
class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for i in range(len(params)):
            params[i] -= self.lr * grads[i]
'''


def test_an_optimizer_taking_lists_as_in_the_second_book_is_checked_that_way(tmp_path):
    report = verify_file(str(write(tmp_path, "optimizer.py", LIST_SGD)), Options(run_dir=str(tmp_path)))
    assert report.status == 0
    assert "optim.lists" in {n.key for c in report.results[0].checks for n in c.notes}


def test_a_captioning_rnn_bug_names_its_parameter_in_both_cells(copies):
    plant(copies, "assignment/cs231n/classifiers/rnn.py", 'grads["W_proj"] = features.T.dot(dh0)', 'grads["W_proj"] = 2 * features.T.dot(dh0)')
    report = run(copies / "assignment", "cs231n/classifiers/rnn.py")
    assert len(report.results) == 2  # the RNN cell and the LSTM cell
    for result in report.results:
        assert {c.gradient for c in result.checks if not c.passed} == {"params['W_proj']"}


OTHER_CONVENTIONS = '''
import numpy as np


def relu(x):
    return np.maximum(0, x)


def relu_grad(x):
    raise ValueError("not written yet")


def softmax_loss(x, y):
    """
    - x: Input data, of shape (N, C)
    - y: Vector of labels, of shape (N,) where 0 <= y[i] < C
    """
    x -= np.max(x, axis=1, keepdims=True)  # in place, on the caller's array
    p = np.exp(x) / np.exp(x).sum(axis=1, keepdims=True)
    n = x.shape[0]
    loss = -np.log(p[np.arange(n), y]).mean()
    p[np.arange(n), y] -= 1
    return loss, p / n


class BatchNormalization:
    """Keras-style: built from hyperparameters, not from gamma and beta."""

    def __init__(self, momentum=0.99, epsilon=1e-3):
        self.momentum, self.epsilon = momentum, epsilon

    def forward(self, x, training=False):
        return x

    def backward(self, dout):
        return dout
'''


def test_wrong_names_and_other_conventions_are_not_the_learners_failure(tmp_path):
    report = verify_file(str(write(tmp_path, "mine.py", OTHER_CONVENTIONS)), Options(run_dir=str(tmp_path), shrink=False))
    results = {r.target_id: r for r in report.results}
    assert "relu_grad raised" in results["relu"].problem.render("en")  # named after the function that raised
    loss = results["softmax_loss"]
    assert loss.passed and "inplace.input" in {n.key for n in loss.notes}
    assert all(c.kinks == 0 for c in loss.checks)
    assert {s.name: s.reason.key for s in report.skipped} == {"BatchNormalization": "skip.init_not_book"}


def test_a_network_gradient_divided_by_n_twice_is_named_as_that(copies):
    plant(copies, "book/common/layers.py", "        self.dW = np.dot(self.x.T, dout)\n", "        self.dW = np.dot(self.x.T, dout) / self.x.shape[0]\n")
    report = run(copies / "book", "ch05/two_layer_net.py", copies / "book" / "ch05")
    keys = {n.key for r in report.results for c in r.checks if not c.passed for n in c.diagnoses}
    assert "diag.factor_inverse_batch" in keys


def test_a_loss_summed_over_the_batch_is_named_as_that_not_as_a_wrong_dx(copies):
    plant(copies, "assignment/cs231n/layers.py", "    loss = -np.sum(log_probs[np.arange(N), y]) / N\n",
          "    loss = -np.sum(log_probs[np.arange(N), y])\n")
    report = run(copies / "assignment", "cs231n/layers.py", targets=("softmax_loss",))
    notes = [n for r in report.results for c in r.checks if not c.passed for n in c.diagnoses]
    assert {n.key for n in notes} == {"diag.loss_summed", "fix.edit"}  # the verified edit is of the loss, not of dx
    fix = next(n for n in notes if n.key == "fix.edit")
    assert fix.params["after"].endswith("/ N") and "dx" not in fix.params["before"]


REBINDING_SGD = '''
class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        params = {key: params[key] - self.lr * grads[key] for key in params}
'''


def test_an_optimizer_that_rebinds_params_is_told_its_parameters_never_changed(tmp_path):
    report = verify_file(str(write(tmp_path, "optimizer.py", REBINDING_SGD)), Options(run_dir=str(tmp_path)))
    check = report.results[0].checks[0]
    assert not check.passed and [n.key for n in check.diagnoses] == ["mistake.never_changed"]


X_FOR_Y = '''
import numpy as np

class Tanh:
    def forward(self, x):
        self.x = x
        self.out = np.tanh(x)
        return self.out

    def backward(self, dout):
        return dout * (1.0 - self.x ** 2)
'''


def test_a_tanh_derivative_written_with_x_where_y_was_meant_is_named(tmp_path):
    """As sigmoid's already is (the bundled buggy example shows that one)."""
    report = verify_file(str(write(tmp_path, "act.py", X_FOR_Y)), Options(run_dir=str(tmp_path), shrink=False))
    notes = [n for r in report.results for c in r.checks for n in c.diagnoses if n.key == "diag.x_for_y"]
    assert notes and "dout * (1 - y ** 2)" in notes[0].render("en")


@pytest.mark.parametrize("old, new, key", [
    ("        dgamma = np.sum(self.xn * dout, axis=0)\n", "        dgamma = np.sum(self.xc * dout, axis=0)\n", "mistake.bn_dgamma_xc"),
    ("        dx = dxc - dmu / self.batch_size\n", "        dx = dxc\n", "mistake.bn_no_mean"),
    ("        dxc += (2.0 / self.batch_size) * self.xc * dvar\n", "        dxc += (1.0 / self.batch_size) * self.xc * dvar\n",
     "mistake.bn_var_no_two"),
    ("            dx[np.arange(batch_size), self.t] -= 1\n", "", "mistake.softmax_no_t"),
])
def test_the_books_layers_with_a_classic_mistake_get_it_named(tmp_path, old, new, key):
    book = tmp_path / "book"
    shutil.copytree(BOOK, book)
    path = book / "common" / "layers.py"
    text = path.read_text()
    assert text.count(old) == 1
    path.write_text(text.replace(old, new))
    target = "SoftmaxWithLoss" if "softmax" in key else "BatchNormalization"
    report = run(book, "common/layers.py", targets=(target,))
    failing = [r for r in report.results if not r.passed]
    assert failing
    assert all(key in {n.key for c in r.failures() for n in c.diagnoses} for r in failing), [str(r) for r in failing]


NAIVE_POOL_BACKWARD = '''
    def backward(self, dout):
        N, C, H, W = self.x.shape
        dx = np.zeros_like(self.x)
        for n in range(N):
            for c in range(C):
                for i in range(dout.shape[2]):
                    for j in range(dout.shape[3]):
                        win = self.x[n, c, i*self.stride:i*self.stride+self.pool_h, j*self.stride:j*self.stride+self.pool_w]
                        a, b = np.unravel_index(np.argmax(win), win.shape)
                        dx[n, c, i*self.stride + a, j*self.stride + b] = dout[n, c, i, j]
        return dx
'''


@pytest.mark.parametrize("file, old, new, target, key", [
    ("layers.py", "        dcol = np.dot(dout, self.col_W.T)\n",
     "        dcol = np.dot(dout, self.W[:, :, ::-1, ::-1].reshape(FN, -1))\n", "Convolution", "mistake.conv_flipped_kernel"),
    ("layers.py", "        self.dW = self.dW.transpose(1, 0).reshape(FN, C, FH, FW)\n", "        self.dW = self.dW.reshape(FN, C, FH, FW)\n",
     "Convolution", "mistake.conv_dw_no_transpose"),
    ("layers.py", "        self.db = np.sum(dout, axis=0)\n        self.dW = np.dot(self.col.T, dout)\n",
     "        self.db = np.sum(dout, axis=0) * C\n        self.dW = np.dot(self.col.T, dout)\n", "Convolution", "mistake.conv_db_per_channel"),
    ("util.py", "    return img[:, :, pad:H + pad, pad:W + pad]\n", "    return img[:, :, :H, :W]\n", "Convolution", "mistake.conv_crop"),
])
def test_convolution_mistakes_are_named(tmp_path, file, old, new, target, key):
    book = tmp_path / "book"
    shutil.copytree(BOOK, book)
    path = book / "common" / file
    text = path.read_text()
    assert text.count(old) == 1
    path.write_text(text.replace(old, new))
    report = run(book, "common/layers.py", targets=(target,))
    named = [r for r in report.results if key in {n.key for c in r.failures() for n in c.diagnoses}]
    assert named, [str(r) for r in report.results]


def test_a_pooling_backward_that_overwrites_where_windows_overlap_is_named(tmp_path):
    book = tmp_path / "book"
    shutil.copytree(BOOK, book)
    path = book / "common" / "layers.py"
    text = path.read_text()
    start = text.index("    def backward(self, dout):\n        dout = dout.transpose(0, 2, 3, 1)\n        pool_size")
    rest = text[start + len("    def backward(self, dout):\n"):]
    path.write_text(text[:start] + NAIVE_POOL_BACKWARD.lstrip("\n") + "\n" + "    def _unused(self, dout):\n" + rest)
    report = run(book, "common/layers.py", targets=("Pooling",))
    keys = {n.key for r in report.results for c in r.failures() for n in c.diagnoses}
    assert "mistake.pool_overwrite" in keys, [str(r) for r in report.results]


def test_a_classifiers_folder_without_init_loads_as_a_namespace_inside_the_package(tmp_path):
    shutil.copytree(ASSIGNMENT, tmp_path / "assignment")
    (tmp_path / "assignment" / "cs231n" / "classifiers" / "__init__.py").unlink()
    report = run(tmp_path / "assignment", "cs231n/classifiers/fc_net.py")
    assert report.problem is None and report.status == 0, report.problem
    assert {"TwoLayerNet", "FullyConnectedNet"} <= ids(report)


def test_the_books_common_folder_out_of_reach_is_named_as_the_learners_own_not_a_package(tmp_path):
    shutil.copytree(BOOK, tmp_path / "book")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    report = run(tmp_path / "book", "ch05/two_layer_net.py", elsewhere)
    assert report.problem is not None and report.problem.key == "fault.local_module"
    assert report.problem.params["folder"] == str(tmp_path / "book")
    assert "pip install" not in report.problem.render("en") and "cd there" in report.problem.render("en")


def test_verify_leaves_no_hypothesis_folder_in_the_learners_tree(tmp_path, monkeypatch):
    shutil.copytree(BOOK, tmp_path / "book")
    layers = tmp_path / "book" / "common" / "layers.py"
    layers.write_text(layers.read_text().replace("        dout[self.mask] = 0\n", "        pass\n"))
    monkeypatch.chdir(tmp_path / "book")
    report = verify_file(str(layers), Options(run_dir=str(tmp_path / "book"), targets=("Relu",)))
    assert report.status != 0 and any(n.key == "shrink.smallest" for r in report.results for n in r.notes)
    assert not list(tmp_path.rglob(".hypothesis"))


def test_a_size_computed_with_python_2_division_is_named_with_the_fix(copies):
    plant(copies, "assignment/cs231n/layers.py", "    H_out = 1 + (H - ph) // stride\n", "    H_out = 1 + (H - ph) / stride\n")
    report = run(copies / "assignment", "cs231n/layers.py", targets=("max_pool_naive",))
    problems = {r.problem.key for r in report.results if r.problem is not None}
    assert problems == {"fault.py2_division"}
    assert "//" in next(r.problem for r in report.results if r.problem is not None).render("en")


def test_dropout_that_forgets_to_scale_in_inference_fails_its_inference_forward(copies):
    plant(copies, "book/common/layers.py", "        return x * (1.0 - self.dropout_ratio)\n", "        return x\n")
    report = run(copies / "book", "common/layers.py", targets=("Dropout",))
    by_case = {(r.case.key if r.case else ""): r.passed for r in report.results}
    assert by_case == {"": True, "case.inference": False}


def test_batchnorm_in_test_mode_must_use_the_running_averages(copies):
    report = run(copies / "assignment", "cs231n/layers.py", targets=("batchnorm",))
    inference = [r for r in report.results if r.case is not None and r.case.key == "case.inference"]
    assert len(inference) == 1 and inference[0].passed
    plant(copies, "assignment/cs231n/layers.py", "        out = gamma * (x - running_mean) / np.sqrt(running_var + eps) + beta\n",
          "        out = gamma * (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + eps) + beta\n")
    report = run(copies / "assignment", "cs231n/layers.py", targets=("batchnorm",))
    assert {(r.case.key if r.case and r.case.key == "case.inference" else ""): r.passed for r in report.results} == {"": True, "case.inference": False}


def test_a_pooling_written_for_square_windows_fails_on_a_2x3_window(copies):
    plant(copies, "book/common/layers.py", "        col = col.reshape(-1, self.pool_h*self.pool_w)\n",
          "        col = col.reshape(-1, self.pool_h*self.pool_h)\n")
    report = run(copies / "book", "common/layers.py", targets=("Pooling",))
    by_case = {(r.case.key if r.case else ""): r.passed for r in report.results}
    assert by_case[""] is True and by_case["case.pool_rect"] is False


LOOKALIKES = '''
import numpy as np

class SimpleAffine:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.x = x
        return np.dot(x, self.W) + self.b

    def backward(self, dout):
        self.dW = np.dot(self.x.T, dout)
        self.db = np.sum(dout, axis=0)
        return np.dot(dout, self.W.T)

class Scale:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        return x * 2.0

    def backward(self, dout):
        self.dW, self.db = np.zeros_like(self.W), np.zeros_like(self.b)
        return dout * 2.0
'''


def test_a_layer_of_another_name_built_from_the_books_arrays_is_checked_as_that_layer(tmp_path):
    path = write(tmp_path, "mine.py", LOOKALIKES)
    report = verify_file(str(path), Options(run_dir=str(tmp_path), shrink=False, diagnosis="none"))
    assert ids(report) == {"SimpleAffine"} and report.status == 0
    assert {c.gradient for r in report.results for c in r.checks} >= {"dx", "dW", "db", "forward"}
    (scale,) = report.skipped
    assert scale.name == "Scale" and "computes a different function" in scale.reason.render("en")
    path.write_text(LOOKALIKES.replace("np.sum(dout, axis=0)", "np.sum(dout, axis=0) / len(dout)"))
    report = verify_file(str(path), Options(run_dir=str(tmp_path), shrink=False, diagnosis="none"))
    assert {c.gradient for r in report.results for c in r.failures()} == {"db"}


ASSERTING = '''
import numpy as np

def affine_forward(x, w, b):
    """
    - x: A numpy array containing input data, of shape (N, D)
    - w: A numpy array of weights, of shape (D, M)
    - b: A numpy array of biases, of shape (M,)
    """
    assert x.shape[0] == 1, "one example at a time"
    return x @ w + b, (x, w, b)

def affine_backward(dout, cache):
    x, w, b = cache
    return dout @ w.T, x.T @ dout, dout.sum(axis=0)
'''


def test_inputs_the_code_declines_with_its_own_assert_are_told_not_failed(tmp_path):
    path = write(tmp_path, "layers.py", ASSERTING)
    report = verify_file(str(path), Options(run_dir=str(tmp_path), shrink=False, diagnosis="none"))
    assert not report.results  # nothing failed, and nothing was checked
    (skipped,) = report.skipped
    assert skipped.reason.key == "skip.precondition" and "one example at a time" in skipped.reason.render("en")
    graded = verify_file(str(path), Options(run_dir=str(tmp_path), shrink=False, diagnosis="none", graded=True))
    assert graded.results and all(r.problem is not None and r.problem.key == "fault.precondition" for r in graded.results)
    assert not graded.results[0].passed
