"""Grading: the bank's own self-tests, the report formats, parallel and sharded batches, resuming, hostile input."""

import csv
import io
import json
import os
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from click.testing import CliRunner

from gradcheck.cli import main
from gradcheck.grading.bank import find_exercise, list_exercises
from gradcheck.grading.batch import grade_many, shard
from gradcheck.grading.grade import grade_submission
from gradcheck.grading.selfcheck import check_exercise

IDS = ["partial-derivatives", "chain-rule", "gradient-descent", "regularization", "computational-graph", "activations",
       "affine", "softmax-with-loss", "losses", "optimizers", "batch-norm", "convolution", "perceptron",
       "numerical-gradient", "parameter-count", "matrix-gradients"]


def run(*args, **kwargs):
    return CliRunner().invoke(main, [str(a) for a in args], **kwargs)


def test_the_bank_has_every_published_id():
    assert {e.id for e in list_exercises()} >= set(IDS)


@pytest.mark.parametrize("exercise_id", IDS)
def test_solution_scores_full_marks_and_wrong_submissions_their_declared_score(exercise_id):
    ex = find_exercise(exercise_id)
    assert ex.selftests, "every exercise ships at least one wrong submission"
    assert check_exercise(ex) == []


@pytest.mark.parametrize("exercise_id", IDS)
def test_template_scores_zero_without_crashing(exercise_id):
    ex = find_exercise(exercise_id)
    result = grade_submission(ex, ex.root / ex.template)
    assert result.score == 0 and result.max_score == ex.max_score
    assert all(t.output for t in result.tests)


@pytest.fixture
def affine_class(tmp_path):
    """Three students: a correct solution, the un-summed db mutation (7/10), and the hanging one (0/10)."""
    ex = find_exercise("affine")
    students = []
    for name, test in (("alice", None), ("bob", ex.selftests[0]), ("carol", ex.selftests[1])):
        folder = tmp_path / name
        folder.mkdir()
        source = (ex.root / "solution.py").read_text(encoding="utf-8")
        if test is not None:
            source = source.replace(*test["replace"])
        (folder / "affine.py").write_text(source, encoding="utf-8")
        students.append(folder)
    students[2] = students[2] / "affine.py"  # a bare file is a submission too
    return students


def test_json_contract(affine_class):
    r = run("grade", "affine", *affine_class, "--format", "json", "--timeout", "2")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.output)
    subs = doc["submissions"]
    assert [s["score"] for s in subs] == [10, 7, 1]
    for s in subs:
        assert set(s) >= {"submission", "score", "max_score", "tests"}
        for t in s["tests"]:
            assert set(t) >= {"name", "score", "max_score", "output"}
    assert "more than 2 s of processor time" in subs[2]["tests"][0]["output"]
    hidden = [t for t in subs[1]["tests"] if t["name"].startswith("hidden")][0]
    assert hidden["output"] == "hidden test: failed"


def test_answers_exercise_is_graded_per_question(tmp_path):
    answers = tmp_path / "answers.toml"
    answers.write_text('q1 = "5"\nq2 = "3 y^2"\nq3 = "2x+5"\nq4 = "__import__(\'os\').system(\'touch pwned\')"\n', encoding="utf-8")
    doc = json.loads(run("grade", "partial-derivatives", answers, "--format", "json").output)
    tests = {t["name"]: t for t in doc["submissions"][0]["tests"]}
    assert list(tests) == ["q1", "q2", "q3", "q4"]
    assert [tests[q]["score"] for q in ("q1", "q2", "q3", "q4")] == [2, 2, 2, 0]
    assert "not a mathematical expression" in tests["q4"]["output"]
    assert not (tmp_path / "pwned").exists() and not Path("pwned").exists()


def test_gradescope_results_json(tmp_path, affine_class):
    out = tmp_path / "results.json"
    r = run("grade", "affine", affine_class[1], "--format", "gradescope", "--out", out)
    assert r.exit_code == 0, r.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["score"] == 7
    assert all(set(t) >= {"name", "score", "max_score", "output", "visibility"} for t in doc["tests"])
    assert {t["visibility"] for t in doc["tests"]} == {"visible", "after_published"}
    assert run("grade", "affine", *affine_class[:2], "--format", "gradescope").exit_code == 2


def test_csv_and_junit(affine_class):
    rows = list(csv.reader(io.StringIO(run("grade", "affine", *affine_class[:2], "--format", "csv").output)))
    assert rows[0][:3] == ["submission", "score", "max_score"] and [r[1] for r in rows[1:]] == ["10", "7"]
    root = ET.fromstring(run("grade", "affine", *affine_class[:2], "--format", "junit").output)
    assert [int(s.get("failures")) for s in root.findall("testsuite")] == [0, 2]


def test_parallel_grading_gives_the_same_scores(affine_class):
    ex = find_exercise("affine")
    serial = grade_many(ex, affine_class, jobs=1, timeout=2)
    parallel = grade_many(ex, affine_class, jobs=2, timeout=2)
    assert [r.to_dict() for r in serial] == [r.to_dict() for r in parallel]


def test_shards_are_disjoint_and_cover_everything(affine_class):
    parts = [shard(affine_class, k, 2) for k in (1, 2)]
    assert sorted(map(str, parts[0] + parts[1])) == sorted(map(str, affine_class))
    assert not set(parts[0]) & set(parts[1])
    assert run("grade", "affine", *affine_class, "--shard", "3/2").exit_code == 2


def test_interrupted_batch_resumes_without_regrading(tmp_path, affine_class):
    ex = find_exercise("affine")
    out = str(tmp_path / "grades.json")
    graded = []
    grade_many(ex, affine_class[:2], out=out, progress=graded.append, timeout=2)  # "interrupted" before carol
    assert len(graded) == 2 and os.path.exists(out + ".partial.jsonl")
    graded.clear()
    results = grade_many(ex, affine_class, out=out, progress=graded.append, timeout=2)
    assert [g["submission"] for g in graded] == [str(affine_class[2])]
    assert [r.score for r in results] == [10, 7, 1]
    r = run("grade", "affine", *affine_class, "--out", out, "--format", "json", "--timeout", "2")
    assert r.exit_code == 0 and not os.path.exists(out + ".partial.jsonl")
    assert [s["score"] for s in json.loads(Path(out).read_text(encoding="utf-8"))["submissions"]] == [10, 7, 1]


def test_a_changed_submission_is_regraded_on_resume(tmp_path, affine_class):
    ex = find_exercise("affine")
    out = str(tmp_path / "g.json")
    grade_many(ex, affine_class[:2], out=out, timeout=2)
    (affine_class[1] / "affine.py").write_bytes((ex.root / "solution.py").read_bytes())  # bob fixed his db
    assert [r.score for r in grade_many(ex, affine_class[:2], out=out, timeout=2)] == [10, 10]


def test_same_submission_same_score_every_run(affine_class):
    ex = find_exercise("affine")
    assert grade_submission(ex, affine_class[1]).to_dict() == grade_submission(ex, affine_class[1]).to_dict()


def test_missing_submission_and_unknown_exercise(tmp_path):
    doc = json.loads(run("grade", "affine", tmp_path / "nobody", "--format", "json").output)
    assert doc["submissions"][0]["score"] == 0 and "no submission found" in doc["submissions"][0]["tests"][0]["output"]
    r = run("grade", "no-such-exercise", tmp_path)
    assert r.exit_code == 2 and "no exercise 'no-such-exercise'" in r.output


def test_exercises_list_show_init(tmp_path):
    listed = run("exercises", "list").output
    assert all(i in listed for i in IDS)
    shown = run("exercises", "show", "chain-rule", "--lang", "ko").output
    assert "연쇄 법칙" in shown and "q1" in shown
    r = run("exercises", "init", "affine", tmp_path / "hw")
    assert r.exit_code == 0 and (tmp_path / "hw" / "affine.py").exists()
    assert run("exercises", "init", "affine", tmp_path / "hw").exit_code == 2


def test_instructors_own_exercises_folder(tmp_path, monkeypatch):
    own = tmp_path / "bank" / "my-derivative"
    own.mkdir(parents=True)
    (own / "exercise.toml").write_text(
        'id = "my-derivative"\nkind = "answers"\ntitle = { en = "Mine" }\nprompt = { en = "d/dx x^3" }\n'
        '[[questions]]\nid = "q1"\nexpected = "3x^2"\n[[selftest]]\nfile = "wrong.toml"\nscore = 0\n',
        encoding="utf-8",
    )
    (own / "solution.toml").write_text('q1 = "3*x**2"\n', encoding="utf-8")
    (own / "wrong.toml").write_text('q1 = "x^2"\n', encoding="utf-8")
    assert "my-derivative" in run("exercises", "list", "--exercises-dir", tmp_path / "bank").output
    monkeypatch.setenv("GRADCHECK_EXERCISES", str(tmp_path / "bank"))
    assert "my-derivative" in run("exercises", "list").output
    assert run("exercises", "check", tmp_path / "bank").exit_code == 0
    (own / "wrong.toml").write_text('q1 = "3x^2"\n', encoding="utf-8")
    r = run("exercises", "check", own)
    assert r.exit_code == 1 and "scores 1" in r.output


def test_a_broken_exercise_file_is_one_sentence(tmp_path):
    bad = tmp_path / "broken"
    bad.mkdir()
    (bad / "exercise.toml").write_text('id = "broken"\nkind = "essay"\n', encoding="utf-8")
    r = run("exercises", "check", bad)
    assert r.exit_code == 1 and "kind must be 'answers' or 'code'" in r.output


def test_exercises_list_has_a_header_and_translates_kinds():
    en = run("exercises", "list").output.splitlines()
    assert en[0].split() == ["id", "kind", "points", "title"]
    ko = run("exercises", "list", "--lang", "ko").output.splitlines()
    assert ko[0].split()[1:4] == ["종류", "배점", "제목"]
    rows = {line.split()[0]: line.split()[1] for line in ko[1:]}
    assert rows["chain-rule"] == "답안" and rows["affine"] == "코드"
    assert len({line.index("10") for line in ko[1:] if " 10 " in line}) == 1  # points in one column


def test_a_forward_check_on_a_layer_without_a_reference_is_refused_with_the_reason(tmp_path):
    own = tmp_path / "bank" / "scale"
    own.mkdir(parents=True)
    (own / "exercise.toml").write_text(
        'id = "scale"\nkind = "code"\ntitle = { en = "Scale" }\nprompt = { en = "forward(x) = 3x" }\n'
        'submission = "scale.py"\nsolution = "solution.py"\ntemplate = "template.py"\n'
        '[[checks]]\nname = "gradient"\ntargets = ["Scale"]\npoints = 2\n'
        '[[checks]]\nname = "forward"\ntargets = ["Scale"]\ngradient = "forward"\npoints = 1\n',
        encoding="utf-8")
    layer = ("class Scale:\n    def forward(self, x):\n        return 3 * x\n\n"
             "    def backward(self, dout):\n        return 3 * dout\n")
    (own / "solution.py").write_text(layer, encoding="utf-8")
    (own / "template.py").write_text(layer.replace("3 * x", "x"), encoding="utf-8")
    r = run("exercises", "check", own)
    assert r.exit_code == 1 and "has no reference forward" in r.output and "check forward" in r.output
