"""Every failing result carries the file and line of the code it is about: in the text report as path:line,
in JSON, as GitHub Actions annotations (--format github) and in GitHub Classroom's result (grade)."""

import json
from pathlib import Path

from click.testing import CliRunner

from gradcheck.cli import main
from gradcheck.report.locations import definition_lines

TESTS = Path(__file__).parent.parent
#: the book's Relu whose backward sets the masked gradient to 1 (line 15 is the fix)
BOOK = (TESTS / "feedback" / "learners" / "book_relu_forgot.py").read_text(encoding="utf-8")
#: cs231n's affine pair with db doubled (affine_backward starts on line 9)
CS231N = (TESTS / "verify" / "fixtures" / "cs231n_good.py").read_text(encoding="utf-8").replace(
    "db = np.sum(dout, axis=0)", "db = np.sum(dout, axis=0) * 2")


def _verify(tmp_path, name, source, *args):
    path = tmp_path / name
    path.write_text(source, encoding="utf-8")
    return CliRunner().invoke(main, ["verify", str(path), *args]), path


def test_definition_lines_name_methods_and_functions():
    lines = definition_lines(BOOK)
    assert lines["Relu"] == 4 and lines["Relu.backward"] == 14 and lines["Relu.forward"] == 8
    assert definition_lines("def f(:\n") == {}


def test_the_text_report_points_at_the_wrong_line(tmp_path):
    r, path = _verify(tmp_path, "layers.py", BOOK)
    assert r.exit_code == 1
    assert f"{path}:15" in r.output  # the line of the edit that fixes it: dout[self.mask] = 1


def test_a_function_pair_points_at_its_backward(tmp_path):
    r, path = _verify(tmp_path, "layers.py", CS231N, "--diagnosis", "none")
    assert r.exit_code == 1 and f"{path}:9" in r.output
    doc = json.loads(_verify(tmp_path, "layers.py", CS231N, "--format", "json", "--diagnosis", "none")[0].output)
    failing = [x for x in doc["files"][0]["results"] if not x["passed"]]
    assert failing and all(x["path"] == str(path) and x["line"] == 9 for x in failing)


def test_github_annotations_name_file_and_line_and_escape_the_message(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "layers.py").write_text(BOOK, encoding="utf-8")
    r = CliRunner().invoke(main, ["verify", "layers.py", "--format", "github"])
    assert r.exit_code == 1
    errors = [line for line in r.output.splitlines() if line.startswith("::error ")]
    assert errors and errors[0].startswith("::error file=layers.py,line=15,title=Relu")
    assert "\n" not in errors[0] and "%0A" in errors[0]
    assert r.output.splitlines()[-1].startswith("::notice title=gradcheck::")
    (tmp_path / "broken.py").write_text("def f(:\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["verify", "broken.py", "--format", "github"])
    assert r.output.startswith("::error file=broken.py,title=")


def test_classroom_result_for_a_graded_submission(tmp_path):
    from gradcheck.grading.bank import find_exercise

    ex = find_exercise("affine")
    source = (ex.root / "solution.py").read_text(encoding="utf-8")
    folder = tmp_path / "kim"
    folder.mkdir()
    wrong = source.replace(*ex.selftests[0]["replace"])
    (folder / ex.submission).write_text(wrong, encoding="utf-8")
    doc = json.loads(CliRunner().invoke(main, ["grade", "affine", str(folder), "--format", "classroom"]).output)
    assert doc["version"] == 1 and doc["status"] == "fail" and doc["max_score"] == ex.max_score
    failed = [t for t in doc["tests"] if t["status"] == "fail" and not t["name"].startswith("hidden")]
    assert failed and all(t["filename"] == ex.submission and t["line_no"] > 0 for t in failed)
    line = wrong.splitlines()[failed[0]["line_no"] - 1]
    assert ex.selftests[0]["replace"][1].strip() in line or "def " in line
    assert str(folder / ex.submission) + ":" in failed[0]["message"] and "gradcheck-" not in failed[0]["message"]
    passing = {t["name"] for t in doc["tests"] if t["status"] == "pass"}
    assert passing and sum(t["score"] for t in doc["tests"]) < ex.max_score
