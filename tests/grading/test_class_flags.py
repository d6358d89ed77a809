"""What an instructor must see in a class batch: a submission that tried to read outside its folder (even
inside try/except), byte-identical submissions, and a summary that counts learners, not lines."""

import json

from click.testing import CliRunner

from gradcheck.cli import main
from gradcheck.grading.bank import find_exercise
from gradcheck.grading.class_summary import render_summary, summarize
from gradcheck.grading.results import SubmissionResult
from gradcheck.grading.results import TestResult as Graded

PEEK = '''
import os
try:
    with open({path!r}) as fh:
        ANSWER = fh.read()
except OSError:
    ANSWER = None
try:
    os.chmod({path!r}, 0o777)
except OSError:
    pass
'''


def _class(tmp_path):
    ex = find_exercise("activations")
    solution = (ex.root / "solution.py").read_text(encoding="utf-8")
    secret = tmp_path / "instructor" / "solution.py"
    secret.parent.mkdir()
    secret.write_text(solution, encoding="utf-8")
    folders = []
    for name, text in (("ana", solution), ("ben", solution), ("cho", PEEK.format(path=str(secret)) + solution)):
        folder = tmp_path / "class" / name
        folder.mkdir(parents=True)
        (folder / ex.submission).write_text(text, encoding="utf-8")
        folders.append(folder)
    return folders, secret


def test_a_caught_read_of_the_solution_and_identical_copies_are_flagged(tmp_path):
    folders, secret = _class(tmp_path)
    out = tmp_path / "report.json"
    r = CliRunner().invoke(main, ["grade", "activations", *map(str, folders), "--format", "json", "--out", str(out)])
    assert r.exit_code == 0, r.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    by_name = {s["submission"].rsplit("/", 1)[-1]: s for s in doc["submissions"]}
    assert by_name["cho"]["refused"] == [f"read {secret}", f"write {secret}"]
    assert secret.stat().st_mode & 0o777 != 0o777
    assert by_name["ana"]["refused"] == [] and by_name["ben"]["refused"] == []
    assert f"read {secret}" in r.output  # the class summary on the terminal
    assert "2 submissions are byte-identical" in r.output
    html = CliRunner().invoke(main, ["grade", "activations", *map(str, folders), "--format", "html"]).output
    assert 'id="flags"' in html and "byte-identical" in html and str(secret) in html
    text = CliRunner().invoke(main, ["grade", "activations", str(folders[2])]).output
    assert "refused this code 2 access" in text and str(secret) in text


def _result(name, score, tests):
    return SubmissionResult(name, score, 10, [Graded(n, s, m, diagnosis="hangs", diagnosis_key=k) for n, s, m, k in tests])


def test_the_summary_counts_failures_learners_and_bands_as_read():
    hang = [("forward", 0, 2, "fault.timeout"), ("dx", 0, 4, "fault.timeout"), ("dW", 0, 2, "fault.timeout"),
            ("db", 0, 2, "fault.timeout")]
    full = [("forward", 2, 2, ""), ("dx", 4, 4, ""), ("dW", 2, 2, ""), ("db", 2, 2, "")]
    nodb = full[:3] + [("db", 0, 2, "db.unsummed")]
    results = [_result("a", 10, full), _result("b", 10, full), _result("c", 10, full), _result("d", 0, hang),
               _result("e", 8, nodb)]
    summary = summarize(results)
    assert [(m.test, m.count) for m in summary.mistakes] == [("forward, dx, dW, db", 1), ("db", 1)]
    assert summary.bins[-1] == (9.0, 10.0, 3)
    text = render_summary(summary)
    assert "db (2 of 5 failed)" in text and "forward (1 of 5 failed)" in text
    assert "9-10" in text and "####################" in text.split("9-10")[1].splitlines()[0]
    assert text.count("1 of 5 in") == 2  # the hanging learner once, not once per check
    everyone_passes = summarize([_result("a", 10, full)])
    assert "most failed" not in render_summary(everyone_passes)
