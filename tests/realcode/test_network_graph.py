"""Networks checked as computational graphs, on code laid out as learners have it: every node checked where
the network uses it, the wrong node named (not the layer that holds the parameter), a skipped or repeated
node told, and networks built as their code allows (one-hot labels, their own sizes, list defaults)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from gradcheck.report.render import graph_lines
from gradcheck.verify import Options, verify_file

HERE = Path(__file__).parent
BOOK, ASSIGNMENT = HERE / "book", HERE / "assignment"


@pytest.fixture
def book(tmp_path) -> Path:
    shutil.copytree(BOOK, tmp_path / "book")
    return tmp_path / "book"


@pytest.fixture
def assignment(tmp_path) -> Path:
    shutil.copytree(ASSIGNMENT, tmp_path / "assignment")
    return tmp_path / "assignment"


def plant(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new))


def run(path: Path, run_dir: Path, **kw):
    return verify_file(str(path), Options(run_dir=str(run_dir), shrink=False, **kw))


def notes(report, key: str) -> list:
    return [n for r in report.results for n in r.notes if n.key == key]


def test_a_wrong_relu_inside_the_books_network_is_the_node_blamed_not_affine1(book):
    plant(book / "common" / "layers.py", "        dout[self.mask] = 0\n", "        dout[self.mask] = 0.5 * dout[self.mask]\n")
    report = run(book / "ch05" / "two_layer_net.py", book / "ch05")
    (result,) = report.results
    assert not result.passed
    blamed = notes(report, "network.node_wrong")
    assert [n.params["node"] for n in blamed] == ["layers['Relu1']"]
    assert blamed[0].params["where"] == "common/layers.py:17"
    failing = {c.gradient for c in result.failures()}
    assert "layers['Relu1'].backward -> dx" in failing and "params['W1']" in failing
    assert not any(c.notes for c in result.checks if c.gradient.startswith("params["))  # no "open Affine1's backward"
    marks = {node["label"]: node["passed"] for node in result.graph}
    assert marks == {"layers['Affine1']": True, "layers['Relu1']": False, "layers['Affine2']": True, "lastLayer": True}
    drawn = "\n".join(graph_lines(result.graph))
    assert "layers['Relu1'] WRONG" in drawn and drawn.index("Affine1") < drawn.index("Relu1") < drawn.index("Affine2")


def test_a_gradient_that_skips_relu1_is_told_so(book):
    plant(book / "ch05" / "two_layer_net.py", "        layers = list(self.layers.values())\n        layers.reverse()\n"
          "        for layer in layers:\n            dout = layer.backward(dout)\n",
          "        dout = self.layers['Affine2'].backward(dout)\n        dout = self.layers['Affine1'].backward(dout)\n")
    report = run(book / "ch05" / "two_layer_net.py", book / "ch05")
    assert not report.results[0].passed
    (skip,) = notes(report, "network.skipped_direct")
    assert skip.params == {"node": "layers['Relu1']", "before": "layers['Affine1']", "after": "layers['Affine2']",
                           "method": "TwoLayerNet.gradient"}
    assert not notes(report, "network.node_wrong")  # every node that ran is right
    assert "skips layers['Relu1']" in report.results[0].render("en")


def test_a_node_whose_backward_runs_twice_is_told_so(book):
    plant(book / "ch05" / "two_layer_net.py", "        for layer in layers:\n            dout = layer.backward(dout)\n",
          "        for layer in layers:\n            dout = layer.backward(dout)\n"
          "            if layer is self.layers['Relu1']:\n                dout = layer.backward(dout)\n")
    report = run(book / "ch05" / "two_layer_net.py", book / "ch05")
    # a ReLU's mask applied twice changes nothing: the gradient is right, and the repeat is still told
    assert [n.params["node"] for n in notes(report, "network.repeated")] == ["layers['Relu1']"]


def test_a_softmax_loss_without_the_batch_division_names_the_loss_layer_and_the_factor(book):
    plant(book / "common" / "layers.py", "            dx = dx / batch_size\n", "            dx = dx\n")
    report = run(book / "ch05" / "two_layer_net.py", book / "ch05")
    assert [n.params["node"] for n in notes(report, "network.node_wrong")] == ["lastLayer"]
    keys = {n.key for c in report.results[0].failures() for n in c.diagnoses}
    assert "diag.factor_batch" in keys or "diag.factor_missing_batch" in keys or any("batch" in k for k in keys), keys


def test_a_wrong_relu_backward_is_named_inside_cs231n_layer_functions(assignment):
    plant(assignment / "cs231n" / "layers.py", "    dx = dout * (x > 0)\n", "    dx = dout * (x >= -0.5)\n")
    report = run(assignment / "cs231n" / "classifiers" / "fc_net.py", assignment)
    by_target = {r.title("en"): r for r in report.results}
    two = by_target["TwoLayerNet"]
    (inner,) = [n for n in two.notes if n.key == "network.node_wrong_in"]
    assert inner.params["node"] == "relu_backward" and inner.params["parent"] == "affine_relu_backward"
    assert inner.params["where"].startswith("cs231n/layers.py:")
    deep = by_target["FullyConnectedNet"]
    (top,) = [n for n in deep.notes if n.key == "network.node_wrong"]
    assert top.params["node"] == "relu_backward [1, 2]"
    assert {n["label"] for n in deep.graph if n["passed"] is False} == {"relu_backward [1]", "relu_backward [2]"}
    assert all(n["passed"] for n in deep.graph if not n["label"].startswith("relu"))


def test_correct_networks_pass_with_every_node_checked_in_every_mode(book, assignment):
    for mode in ("auto", "full", "fast"):
        for path, run_dir in ((book / "ch05" / "two_layer_net.py", book / "ch05"), (book / "ch07" / "simple_convnet.py", book / "ch07"),
                              (assignment / "cs231n" / "classifiers" / "fc_net.py", assignment)):
            report = run(path, run_dir, mode=mode)
            assert report.status == 0, [str(r) for r in report.results if not r.passed]
            for result in report.results:
                assert result.graph and all(n["passed"] for n in result.graph), (mode, result.target)


def test_the_books_network_at_its_usual_size_passes(book):
    report = run(book / "ch05" / "two_layer_net.py", book / "ch05", init={"input_size": 784, "hidden_size": 50, "output_size": 10})
    assert report.status == 0, [str(r) for r in report.results]


#: Chapter 4's network: the same parameters as chapter 5's, its gradient written out for one-hot labels.
CH04_METHODS = '''
    def predict(self, x):
        z1 = sigmoid(np.dot(x, self.params['W1']) + self.params['b1'])
        return softmax(np.dot(z1, self.params['W2']) + self.params['b2'])

    def loss(self, x, t):
        return cross_entropy_error(self.predict(x), t)

    def gradient(self, x, t):
        W1, W2 = self.params['W1'], self.params['W2']
        b1, b2 = self.params['b1'], self.params['b2']
        batch_num = x.shape[0]
        a1 = np.dot(x, W1) + b1
        z1 = sigmoid(a1)
        y = softmax(np.dot(z1, W2) + b2)
        dy = (y - t) / batch_num
        grads = {'W2': np.dot(z1.T, dy), 'b2': np.sum(dy, axis=0)}
        dz1 = sigmoid_grad(a1) * np.dot(dy, W2.T)
        grads['W1'] = np.dot(x.T, dz1)
        grads['b1'] = np.sum(dz1, axis=0)
        return grads
'''


def ch04_net(book: Path) -> str:
    text = (book / "ch05" / "two_layer_net.py").read_text()
    return text[: text.index("        self.layers = OrderedDict()")] + CH04_METHODS


def test_a_one_hot_network_passes_with_one_hot_labels(book):
    path = book / "ch05" / "ch04_net.py"
    path.write_text(ch04_net(book))
    report = run(path, book / "ch05")
    assert report.status == 0 and report.results, report.problem or [str(r) for r in report.results]
    assert notes(report, "network.labels_onehot")


def test_a_network_written_for_28x28_only_is_built_at_its_own_sizes(book):
    # the book's SimpleConvNet with its pooled size written out for MNIST, as many learners' copies have it
    plant(book / "ch07" / "simple_convnet.py", "pool_output_size = int(filter_num * (conv_output_size/2) * (conv_output_size/2))",
          "pool_output_size = 30 * 12 * 12")
    report = run(book / "ch07" / "simple_convnet.py", book / "ch07")
    assert report.status == 0 and report.results, report.problem or [str(r) for r in report.results]
    assert notes(report, "network.own_sizes")


def test_a_list_default_stays_a_list(book):
    path = book / "ch05" / "two_layer_net.py"
    plant(path, "def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01):",
          "def __init__(self, input_size=784, hidden_size=[50, 50], output_size=10, weight_init_std=0.01):")
    path.write_text(path.read_text().replace("hidden_size)", "hidden_size[1])").replace("(hidden_size,", "(hidden_size[1],"))
    report = run(path, book / "ch05")
    assert report.status == 0 and report.results, report.problem or [str(r) for r in report.results]
    assert not notes(report, "network.own_sizes") and not notes(report, "network.labels_onehot")


def test_a_one_hot_network_with_a_wrong_gradient_still_fails(book):
    path = book / "ch05" / "ch04_net.py"
    path.write_text(ch04_net(book).replace("dy = (y - t) / batch_num", "dy = (y - t)"))
    report = run(path, book / "ch05")
    assert report.status != 0 and notes(report, "network.labels_onehot")


def test_the_notebook_draws_the_graph_with_the_wrong_node_in_red(book):
    import xml.etree.ElementTree as ET

    from gradcheck.report.notebook_html import graph_svg, render_html

    plant(book / "common" / "layers.py", "        dout[self.mask] = 0\n", "        dout[self.mask] = 0.5 * dout[self.mask]\n")
    report = run(book / "ch05" / "two_layer_net.py", book / "ch05")
    svg = ET.fromstring(graph_svg(report.results[0].graph))
    boxes = {g.find("rect").get("fill"): g.findtext("text") for g in svg.iter("g")}
    assert boxes["#f8d7d4"] == "layers['Relu1']" and len(svg.findall("g")) == 4
    assert '<svg class="graph"' in render_html(report) and "틀린 노드는 layers[&#x27;Relu1&#x27;]" in render_html(report, "ko")


@pytest.mark.parametrize("old, new, node", [
    ("        self.db = np.sum(dout, axis=0)\n        self.dW = np.dot(self.col.T, dout)\n",
     "        self.db = np.sum(dout, axis=0) / 2\n        self.dW = np.dot(self.col.T, dout)\n", "layers['Conv1']"),
    ("        dmax[np.arange(self.arg_max.size), self.arg_max.flatten()] = dout.flatten()\n",
     "        dmax[:, :] = dout.flatten()[:, None]\n", "layers['Pool1']"),
    ("        dout[self.mask] = 0\n", "        pass\n", "layers['Relu1'], layers['Relu2']"),
    ("        self.db = np.sum(dout, axis=0)\n        return dx.reshape", "        self.db = np.sum(dout, axis=1)[:1]\n        return dx.reshape",
     "layers['Affine1'], layers['Affine2']"),
])
def test_a_bug_planted_in_any_one_layer_of_the_books_convnet_names_that_layer(book, old, new, node):
    plant(book / "common" / "layers.py", old, new)
    report = run(book / "ch07" / "simple_convnet.py", book / "ch07")
    assert [n.params["node"] for n in notes(report, "network.node_wrong")] == [node]


def test_a_wrong_max_pool_backward_is_named_inside_conv_relu_pool(assignment):
    plant(assignment / "cs231n" / "layers.py", "                    dx[n, c, i * stride + a, j * stride + bb] += dout[n, c, i, j]\n",
          "                    dx[n, c, i * stride + a, j * stride + bb] = dout[n, c, i, j] * 0.5\n")
    report = run(assignment / "cs231n" / "classifiers" / "cnn.py", assignment)
    (inner,) = notes(report, "network.node_wrong_in")
    assert inner.params["node"] == "max_pool_backward_naive" and inner.params["parent"] == "conv_relu_pool_backward"


BOOK2 = HERE / "book2"


@pytest.fixture
def book2(tmp_path) -> Path:
    shutil.copytree(BOOK2, tmp_path / "book2")
    return tmp_path / "book2"


def test_the_second_books_networks_pass_with_every_node_and_list_gradient_checked(book2):
    for path in (book2 / "ch01" / "two_layer_net.py", book2 / "ch05" / "simple_rnnlm.py"):
        report = run(path, path.parent)
        assert report.status == 0 and report.results, report.problem or [str(r) for r in report.results]
        (result,) = report.results
        assert result.graph and all(n["passed"] for n in result.graph)
        assert {c.gradient for c in result.checks} == {f"params[{i}]" for i in range(len(result.checks))}
    assert notes(report, "network.float64")  # SimpleRnnlm stores float32: evaluated in float64


def test_a_second_book_affine_whose_db_is_wrong_is_named_inside_the_network(book2):
    plant(book2 / "common" / "layers.py", "        self.grads[1][...] = db\n", "        self.grads[1][...] = db / 2\n")
    report = run(book2 / "ch01" / "two_layer_net.py", book2 / "ch01")
    assert [n.params["node"] for n in notes(report, "network.node_wrong")] == ["layers[0] (Affine), layers[2] (Affine)"]
    failing = {c.gradient for c in report.results[0].failures()}
    assert "layers[0] (Affine).backward -> dparams[1]" in failing and "params[1]" in failing


def test_a_wrong_tanh_derivative_in_the_rnn_cell_names_time_rnn(book2):
    plant(book2 / "common" / "time_layers.py", "        dt = dh_next * (1 - h_next ** 2)\n", "        dt = dh_next * (1 - h_next)\n")
    report = run(book2 / "ch05" / "simple_rnnlm.py", book2 / "ch05")
    assert [n.params["node"] for n in notes(report, "network.node_wrong")] == ["layers[1] (TimeRNN)"]


def test_the_wrong_node_gets_the_verified_fix_in_its_own_file(assignment):
    plant(assignment / "cs231n" / "layers.py", "    dx = dout * (x > 0)\n", "    dx = dout * (x > 0) * 2\n")
    report = run(assignment / "cs231n" / "classifiers" / "fc_net.py", assignment, targets=("TwoLayerNet",))
    fixes = [n for c in report.results[0].failures() for n in c.diagnoses if n.key == "fix.edit"]
    assert fixes and fixes[0].params["after"] == "dout * (x > 0)"
    quiet = run(assignment / "cs231n" / "classifiers" / "fc_net.py", assignment, targets=("TwoLayerNet",), diagnosis="none")
    assert not [n for c in quiet.results[0].failures() for n in c.diagnoses if n.key.startswith("fix.")]


def test_a_layer_function_that_passes_the_wrong_gradient_to_its_callee_is_the_node_blamed(assignment):
    plant(assignment / "cs231n" / "layer_utils.py", "    da = relu_backward(dout, relu_cache)\n    return affine_backward(da, fc_cache)\n",
          "    da = relu_backward(dout, relu_cache)\n    return affine_backward(dout, fc_cache)\n")
    report = run(assignment / "cs231n" / "classifiers" / "fc_net.py", assignment, targets=("TwoLayerNet",))
    assert [n.params["node"] for n in notes(report, "network.node_wrong")] == ["affine_relu_backward"]
    marks = {n["label"]: n["passed"] for n in report.results[0].graph}
    assert marks["relu_backward"] and marks["affine_backward [1]"] and marks["affine_relu_backward"] is False


def test_a_second_book_layer_has_its_list_gradients_checked_alone_too(book2):
    report = run(book2 / "common" / "layers.py", book2, targets=("Affine",))
    assert report.status == 0 and report.results, report.problem or [str(r) for r in report.results]
    checked = {c.gradient for r in report.results for c in r.checks}
    assert {"dparams[0]", "dparams[1]"} <= checked
    others = run(book2 / "common" / "layers.py", book2, targets=("MatMul", "Embedding", "SigmoidWithLoss", "EmbeddingDot"))
    assert others.status == 0 and len(others.results) == 4, [str(r) for r in others.results]
    plant(book2 / "common" / "layers.py", "        self.grads[1][...] = db\n", "        self.grads[1][...] = db / 2\n")
    report = run(book2 / "common" / "layers.py", book2, targets=("Affine",))
    assert report.status != 0
    assert {c.gradient for r in report.results for c in r.failures()} == {"dparams[1]"}


def test_the_second_books_own_layers_are_built_from_their_arrays_and_every_grad_checked(book2):
    report = run(book2 / "common" / "time_layers.py", book2)
    assert report.status == 0 and not report.skipped, report.problem or [str(r) for r in report.results]
    ids_ = {r.target_id for r in report.results}
    assert {"RNN", "LSTM", "TimeRNN", "TimeLSTM", "TimeEmbedding", "TimeAffine", "TimeSoftmaxWithLoss"} <= ids_
    grads = {r.target_id: {c.gradient for c in r.checks} for r in report.results}
    assert {"dparams[0]", "dparams[1]", "dparams[2]"} <= grads["TimeRNN"] and grads["TimeEmbedding"] == {"dparams[0]"}
    assert not any(n.key.startswith("precision.") for r in report.results for n in r.notes)  # float32 made float64


@pytest.mark.parametrize("old, new, target, gradient", [
    ("        dt = dh_next * (1 - h_next ** 2)\n", "        dt = dh_next * (1 - h_next)\n", "RNN", "dx"),
    ("        dc_prev = ds * f\n", "        dc_prev = ds\n", "TimeLSTM", "dxs"),
    ("        self.grads[1][...] = db\n        return dx\n", "        self.grads[1][...] = db / N\n        return dx\n", "TimeAffine", "dparams[1]"),
])
def test_a_bug_in_a_second_book_time_layer_fails_its_list_gradient(book2, old, new, target, gradient):
    plant(book2 / "common" / "time_layers.py", old, new)
    report = run(book2 / "common" / "time_layers.py", book2, targets=(target,))
    assert gradient in {c.gradient for r in report.results for c in r.failures()}
