"""The second book's repository as its readers have it (``common/``, chapter folders, ``sys.path.append('..')``):
every layer and model gets a verdict with every gradient in ``self.grads`` checked, shared and tied weights
are checked as one, and a planted bug in each fails where it is."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gradcheck.conventions.adapters import summed, tied
from gradcheck.sandbox.hints import missing_module_note
from gradcheck.sources import expand
from gradcheck.verify import Options, verify, verify_file

BOOK2 = Path(__file__).parent / "book2"

#: Every class of the fixture repository that has a gradient to check, by the file that defines it.
EXPECTED = {
    "common/layers.py": {"MatMul", "Affine", "Softmax", "SoftmaxWithLoss", "Sigmoid", "SigmoidWithLoss", "Dropout",
                         "Embedding", "EmbeddingDot"},
    "common/time_layers.py": {"RNN", "TimeRNN", "TimeEmbedding", "TimeAffine", "TimeSoftmaxWithLoss", "LSTM", "TimeLSTM",
                              "TimeDropout", "TimeSigmoidWithLoss", "GRU", "TimeGRU", "TimeBiLSTM"},
    "ch01/two_layer_net.py": {"TwoLayerNet"},
    "ch03/simple_cbow.py": {"SimpleCBOW"},
    "ch04/negative_sampling_layer.py": {"NegativeSamplingLoss"},
    "ch04/cbow.py": {"CBOW"},
    "ch05/simple_rnnlm.py": {"SimpleRnnlm"},
    "ch06/better_rnnlm.py": {"BetterRnnlm"},
    "ch07/seq2seq.py": {"Encoder", "Decoder", "Seq2seq"},
    "ch08/attention_layer.py": {"WeightSum", "AttentionWeight", "Attention", "TimeAttention"},
    "ch08/attention_seq2seq.py": {"AttentionEncoder", "AttentionDecoder", "AttentionSeq2seq"},
}


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("book2") / "book2"
    shutil.copytree(BOOK2, root)
    return root


@pytest.fixture
def book2(tmp_path) -> Path:
    shutil.copytree(BOOK2, tmp_path / "book2")
    return tmp_path / "book2"


def options(run_dir: Path, **kw) -> Options:
    return Options(run_dir=str(run_dir), shrink=False, **kw)


def test_the_whole_repository_verifies_from_its_root_with_every_list_gradient_checked(tree):
    reports = {str(Path(r.path).relative_to(tree)): r for r in verify([tree], options(tree))}
    assert set(EXPECTED) <= set(reports)
    for rel, names in EXPECTED.items():
        report = reports[rel]
        assert report.status == 0, (rel, report.problem, [str(r) for r in report.results if not r.passed])
        assert names <= {r.target_id for r in report.results}, (rel, report.skipped)
    for rel in ("ch04/cbow.py", "ch06/better_rnnlm.py", "ch07/seq2seq.py", "ch08/attention_seq2seq.py"):
        for result in reports[rel].results:
            checked = {c.gradient for c in result.checks}
            assert any(g.startswith(("params[", "dparams[")) for g in checked), (rel, result.target_id, checked)
    assert not reports["common/base_model.py"].results  # an abstract base class: listed, not checked


@pytest.mark.parametrize("rel", ["ch04/cbow.py", "ch07/seq2seq.py", "ch08/attention_seq2seq.py"])
def test_chapter_files_verify_from_their_own_folder_as_the_book_runs_them(tree, rel):
    report = verify_file(str(tree / rel), options((tree / rel).parent))
    assert report.status == 0 and {r.target_id for r in report.results} == EXPECTED[rel]


def test_weights_shared_by_layers_and_tied_by_a_transpose_are_checked_as_one(tree):
    cbow = verify_file(str(tree / "ch04/cbow.py"), options(tree / "ch04"))
    (result,) = cbow.results
    assert {c.gradient for c in result.checks} == {"params[0]", "params[2]"}  # W_in twice, W_out six times
    tied_notes = {n.params["tied"]: n.params["first"] for n in result.notes if n.key == "note.tied"}
    assert tied_notes == {"params[1]": "params[0]", **{f"params[{j}]": "params[2]" for j in range(3, 8)}}
    rnnlm = verify_file(str(tree / "ch06/better_rnnlm.py"), options(tree / "ch06"))
    (result,) = rnnlm.results
    assert result.passed and any(n.key == "note.tied" and n.params == {"tied": "params[7]", "first": "params[0].T"}
                                 for n in result.notes)
    assert result.graph and all(node["passed"] for node in result.graph)  # the tied TimeAffine alone, too


def plant(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new))


@pytest.mark.parametrize("rel, old, new, target", [
    ("common/time_layers.py", "        dh_prev = dh_next * (1 - z)\n", "        dh_prev = dh_next\n", "GRU"),
    ("common/time_layers.py", "        dxs2 = self.backward_lstm.backward(dhs[:, :, H:][:, ::-1])[:, ::-1]\n",
     "        dxs2 = self.backward_lstm.backward(dhs[:, :, H:])\n", "TimeBiLSTM"),
    ("common/time_layers.py", "        return dout * self.mask\n", "        return dout\n", "TimeDropout"),
    ("common/time_layers.py", "        dout *= 1 / T\n", "        dout *= 1\n", "TimeSigmoidWithLoss"),
    ("ch08/attention_layer.py", "        dhs = dt * ar\n", "        dhs = dt\n", "WeightSum"),
    ("ch08/attention_layer.py", "        dh = np.sum(dhr, axis=1)\n", "        dh = np.sum(dhr, axis=1) / T\n", "AttentionWeight"),
    ("ch08/attention_layer.py", "        dhs = dhs0 + dhs1\n", "        dhs = dhs0\n", "Attention"),
    ("ch04/negative_sampling_layer.py", "            dh += l1.backward(dscore)\n", "            dh = l1.backward(dscore)\n",
     "NegativeSamplingLoss"),
    ("ch04/cbow.py", "        dout *= 1 / len(self.in_layers)\n", "        dout *= 1\n", "CBOW"),
    ("ch03/simple_cbow.py", "        da *= 0.5\n", "        da *= 1.0\n", "SimpleCBOW"),
    ("ch07/seq2seq.py", "        dhs[:, -1, :] = dh\n", "        dhs[:, 0, :] = dh\n", "Encoder"),
    ("ch07/seq2seq.py", "        dh = self.lstm.dh\n        return dh\n", "        dh = self.lstm.dh * 0.5\n        return dh\n", "Decoder"),
    ("ch08/attention_seq2seq.py", "        denc_hs[:, -1] += dh\n", "        denc_hs[:, -1] += 0\n", "AttentionDecoder"),
])
def test_a_planted_bug_in_each_layer_and_model_fails_it(book2, rel, old, new, target):
    plant(book2 / rel, old, new)
    run_dir = book2 if rel.startswith("common/") else (book2 / rel).parent
    report = verify_file(str(book2 / rel), options(run_dir, targets=(target,), diagnosis="none"))
    (result,) = report.results
    assert not result.passed and result.problem is None, str(result)


def test_a_bug_inside_a_seq2seq_is_caught_by_the_whole_model_too(book2):
    plant(book2 / "ch07/seq2seq.py", "        dhs[:, -1, :] = dh\n", "        dhs[:, 0, :] = dh\n")
    report = verify_file(str(book2 / "ch07/seq2seq.py"), options(book2 / "ch07", targets=("Seq2seq",)))
    assert {c.gradient for r in report.results for c in r.failures()} >= {"params[1]"}


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 4), st.integers(1, 4), st.lists(st.sampled_from(["same", "T", "new"]), min_size=1, max_size=5),
       st.integers(0, 2**16))
def test_tied_parameters_are_grouped_and_their_gradients_summed(rows, cols, kinds, seed):
    rng = np.random.default_rng(seed)
    base = rng.standard_normal((rows, cols))
    params, want = [base], {}
    for kind in kinds:
        if kind == "new":
            params.append(rng.standard_normal((rows, cols)))
            continue
        if kind == "T" and rows == cols == 1:  # a 1x1 transpose is indistinguishable from the array itself
            continue
        params.append(base if kind == "same" else base.T)
        want.setdefault(0, []).append((len(params) - 1, kind == "T"))
    assert tied(params) == want
    grads = [rng.standard_normal(p.shape) for p in params]
    total = summed(grads, want)[0]
    expected = grads[0] + sum((grads[j].T if t else grads[j]) for j, t in want.get(0, []))
    np.testing.assert_allclose(total, expected)


def test_a_folder_expands_to_its_python_files_without_caches_or_virtual_environments(tmp_path):
    (tmp_path / "ch01").mkdir()
    (tmp_path / "ch01" / "net.py").write_text("x = 1\n")
    (tmp_path / "ch01" / "notes.txt").write_text("")
    for skipped in ("__pycache__", ".git", "venv"):
        (tmp_path / skipped).mkdir()
        (tmp_path / skipped / "mod.py").write_text("")
    (tmp_path / "venv" / "pyvenv.cfg").write_text("")
    assert expand([tmp_path]) == [str(tmp_path / "ch01" / "net.py")]
    (tmp_path / "empty").mkdir()
    assert expand([tmp_path / "empty", "missing.py"]) == [str(tmp_path / "empty"), "missing.py"]


def test_a_file_of_the_common_package_itself_is_told_to_run_from_the_folder_above(tmp_path):
    (tmp_path / "common").mkdir()
    note = missing_module_note("common.np", "common/base_model.py:3", str(tmp_path), str(tmp_path / "common"))
    assert note.params["run"] == str(tmp_path)
    chapter = missing_module_note("common.np", "ch05/net.py:3", str(tmp_path), str(tmp_path / "ch05"))
    assert chapter.params["run"] == str(tmp_path / "ch05")


def test_helper_files_among_checked_ones_do_not_make_the_run_a_usage_error(tree):
    from gradcheck.verify import exit_status

    reports = verify([tree / "common"], options(tree))
    assert any(r.problem is not None and r.problem.key == "file.nothing" for r in reports)
    assert exit_status(reports) == 0
    alone = verify([tree / "common" / "config.py"], options(tree))
    assert exit_status(alone) == 2
