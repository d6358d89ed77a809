"""The instructor's side: report formats, the class summary and HTML report (opened in a real browser),
exams without expected values, progress, Ctrl-C, file modes and the wrong-exercise hint."""

import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from click.testing import CliRunner

from gradcheck.cli import main
from gradcheck.grading.bank import find_exercise
from gradcheck.grading.batch import grade_many, write_atomically
from gradcheck.grading.class_summary import render_summary, summarize
from gradcheck.grading.formats import FORMATS, render
from gradcheck.grading.progress import Progress

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
#: Five students of partial-derivatives: two forget that y^3 is a constant for d/dx (they answer 3y^2),
#: one answers in the wrong variable, one is right, one folder holds a Python file (the wrong exercise).
ANSWERS = {
    "ana": {"q1": "5", "q2": "3y^2", "q3": "2x + 5", "q4": "12xy"},
    "ben": {"q1": "3y^2", "q2": "3y^2", "q3": "2x + 5", "q4": "12xy"},
    "cho": {"q1": "3y^2", "q2": "3y^2", "q3": "2x", "q4": "6y"},
    "dan": {"q1": "5", "q2": "5", "q3": "2x + 5", "q4": "12xy"},
}


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def answers_class(tmp_path):
    files = []  # lone files: the exercise's default variant (a folder would pick its student's own)
    for name, answers in ANSWERS.items():
        files.append(tmp_path / f"{name}.toml")
        files[-1].write_text("".join(f'{k} = "{v}"\n' for k, v in answers.items()), encoding="utf-8")
    (tmp_path / "eve").mkdir()
    (tmp_path / "eve" / "affine.py").write_text("class Affine: pass\n", encoding="utf-8")
    return files + [tmp_path / "eve"]


@pytest.fixture
def graded(answers_class):
    ex = find_exercise("partial-derivatives")
    return ex, grade_many(ex, answers_class)


def test_every_registered_format_renders_a_batch_or_refuses_it_in_one_sentence(graded, answers_class):
    ex, results = graded
    for fmt in FORMATS:
        r = run("grade", ex.id, *answers_class[:2], "--format", fmt)
        from gradcheck.grading.formats import one_submission

        if one_submission(fmt):
            assert r.exit_code == 2 and "describes one submission" in r.output
            assert json.loads(render(fmt, ex, results[:1]))
        else:
            assert r.exit_code == 0 and r.output.strip(), fmt


def test_the_class_summary_counts_the_common_mistake(graded):
    ex, results = graded
    summary = summarize(results)
    assert summary.count == 5 and summary.not_graded == 1
    assert [t.passed for t in summary.tests] == [2, 3, 3, 3]
    top = summary.mistakes[0]
    assert (top.test, top.count) == ("q1", 2) and "with respect to y" in top.text
    assert sum(c for _, _, c in summary.bins) == 5
    text = render_summary(summary)
    assert "2 of 5 in q1" in text and "most failed: q1 (3 of 5 failed)" in text
    assert "5명 중 2명" in render_summary(summary, "ko")


def test_prairielearn_gradebook_and_junit_fields(graded):
    ex, results = graded
    pl = json.loads(render("prairielearn", ex, results[1:2]))
    assert pl["gradable"] is True and pl["score"] == pytest.approx(0.8)
    assert {tuple(sorted(t)) for t in pl["tests"]} == {("max_points", "message", "name", "output", "points")}
    assert json.loads(render("prairielearn", ex, results[4:5])) == {
        "gradable": False, "format_errors": [results[4].tests[0].output]}
    rows = list(csv.reader(io.StringIO(render("gradebook", ex, results))))
    assert rows[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert rows[1][0] == "Points Possible" and rows[1][5] == "10"
    assert [(r[0], r[2], r[5]) for r in rows[2:4]] == [("ana", "ana", "10"), ("ben", "ben", "8")]
    xml = render("junit", ex, results)
    assert xml.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    suites = ET.fromstring(xml.split("\n", 1)[1]).findall("testsuite")
    assert [(s.get("failures"), s.get("errors")) for s in suites][-1] == ("0", "4")
    failure = suites[1].find("testcase/failure")
    assert "q1: 0 / 2" in failure.get("message") and "with respect to y" in failure.get("message")


def test_a_folder_graded_under_the_wrong_exercise_says_what_it_holds(graded):
    _, results = graded
    text = results[4].tests[0].output
    assert "looks for answers.toml" in text and "affine.py" in text and "right exercise" in text


def test_hide_expected_keeps_values_out_of_the_feedback(answers_class):
    shown = run("grade", "partial-derivatives", answers_class[1], "--format", "json").output
    hidden = run("grade", "partial-derivatives", answers_class[1], "--format", "json", "--hide-expected").output
    q1 = lambda doc: json.loads(doc)["submissions"][0]["tests"][0]  # noqa: E731
    assert "expected 5" in q1(shown)["output"] and q1(hidden)["score"] == 0
    assert "expected" not in q1(hidden)["output"].replace("the expected answer", "") and "5" not in q1(hidden)["output"]


def test_reports_are_written_with_the_users_umask(tmp_path):
    old = os.umask(0o022)
    try:
        write_atomically(str(tmp_path / "report.json"), "{}\n")
    finally:
        os.umask(old)
    assert (tmp_path / "report.json").stat().st_mode & 0o777 == 0o644


def test_progress_shows_only_on_a_terminal():
    quiet, loud = io.StringIO(), io.StringIO()
    for progress in (Progress(3, stream=quiet), Progress(3, stream=loud, enabled=True)):
        for _ in range(3):
            progress()
    assert quiet.getvalue() == ""
    assert "graded 3/3" in loud.getvalue() and loud.getvalue().count("\r") == 3


def test_ctrl_c_says_what_is_journaled_and_a_rerun_resumes(tmp_path):
    ex = find_exercise("affine")
    source = (ex.root / "solution.py").read_text(encoding="utf-8").replace(*ex.selftests[1]["replace"])  # hangs
    for i in range(8):
        (tmp_path / f"s{i}").mkdir()
        (tmp_path / f"s{i}" / "affine.py").write_text(source + f"# {i}\n", encoding="utf-8")
    out = tmp_path / "grades.json"
    args = [sys.executable, "-m", "gradcheck", "grade", "affine", *[str(tmp_path / f"s{i}") for i in range(8)],
            "--out", str(out), "--timeout", "0.3", "--format", "json"]
    child = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    journal = Path(str(out) + ".partial.jsonl")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (journal.exists() and journal.read_text(encoding="utf-8").strip()):
        time.sleep(0.05)
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=60)
    assert child.returncode == 130, err
    assert "journaled in" in err and "run the same command again to resume" in err and "Traceback" not in err
    finished = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert finished.returncode == 0 and len(json.loads(out.read_text(encoding="utf-8"))["submissions"]) == 8
    assert "reused" in finished.stderr and "of 8 submissions graded by the interrupted run" in finished.stderr


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.links, self.text, self.remote = set(), [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a":
            self.links.append(attrs.get("href", ""))
        for key in ("src", "href"):
            if attrs.get(key, "").startswith(("http:", "https:", "//")):
                self.remote.append(attrs[key])

    def handle_data(self, data):
        self.text.append(data)


def test_the_html_report_is_self_contained_with_a_link_to_every_student(graded):
    ex, results = graded
    page = _Text()
    page.feed(render("html", ex, results))
    assert page.remote == []
    assert {link[1:] for link in page.links if link.startswith("#s")} == {f"s{i}" for i in range(5)} <= page.ids
    text = " ".join(page.text)
    assert "2 / 5" in text and "with respect to y" in text and "Score distribution" in text
    ko = _Text()
    ko.feed(render("html", ex, results, "ko"))
    assert "점수 분포" in " ".join(ko.text)


def _browser() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


@pytest.mark.skipif(_browser() is None, reason="no Chromium on this machine: install the Debian package 'chromium' "
                                                "(.ci/run does) to open the class report in a real browser")
def test_the_html_report_in_a_real_browser(graded, tmp_path, answers_class):
    ex, _ = graded
    page = tmp_path / "report.html"
    r = run("grade", ex.id, *answers_class, "--format", "html", "--out", page, "--lang", "ko")
    assert r.exit_code == 0, r.output
    flags = [_browser(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1200,1800"]
    dom = subprocess.run(flags + ["--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120).stdout
    assert 'data-ready="1"' in dom  # the page's own script ran in the browser
    assert '<span id="shown">5</span>' in dom and "점수 분포" in dom and "<svg" in dom
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "class_report.png"
    shot.unlink(missing_ok=True)
    subprocess.run(flags + [f"--screenshot={shot}", page.as_uri()], capture_output=True, timeout=120)
    assert shot.exists() and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000


def test_a_gradescope_bundle_installs_and_grades_in_the_autograder_layout(tmp_path):
    out = tmp_path / "bundle"
    checkout = Path(__file__).resolve().parents[2]  # pytest may run an installed gradcheck: name its source
    r = run("exercises", "gradescope", "affine", "--out", out, "--source", checkout)
    assert r.exit_code == 0 and "autograder.zip" in r.output
    root = tmp_path / "autograder"
    import zipfile

    with zipfile.ZipFile(out / "autograder.zip") as zf:
        assert {"setup.sh", "run_autograder", "gradcheck-src/pyproject.toml"} <= set(zf.namelist())
        zf.extractall(root / "source")
    assert "pip install" in (root / "source" / "setup.sh").read_text(encoding="utf-8")
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--target", str(target), str(root / "source" / "gradcheck-src")], check=True, timeout=300)
    assert (target / "gradcheck" / "grading" / "formats" / "gradescope.py").is_file()
    ex = find_exercise("affine")
    (root / "submission").mkdir()
    (root / "submission" / "affine.py").write_text((ex.root / "solution.py").read_text(encoding="utf-8"), encoding="utf-8")
    script = (root / "source" / "run_autograder").read_text(encoding="utf-8")
    script = script.replace("/autograder/venv/bin/gradcheck", f"{sys.executable} -m gradcheck").replace("/autograder", str(root))
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    doc = json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
    assert doc["score"] == 10 and {t["status"] for t in doc["tests"]} == {"passed"}


def test_shards_merge_into_one_report_and_overlaps_are_refused(tmp_path, answers_class):
    parts = []
    for k in (1, 2):
        parts.append(tmp_path / f"part-{k}.json")
        r = run("grade", "partial-derivatives", *answers_class, "--shard", f"{k}/2", "--format", "json", "--out", parts[-1])
        assert r.exit_code == 0, r.output
    r = run("grade", "merge", tmp_path / "all.json", *parts)
    assert r.exit_code == 0 and "5 submissions from 2 parts" in r.output
    merged = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    whole = json.loads(run("grade", "partial-derivatives", *answers_class, "--format", "json").output)
    scores = lambda doc: {s["submission"]: (s["score"], s["sha256"]) for s in doc["submissions"]}  # noqa: E731
    assert scores(merged) == scores(whole) and len(merged["submissions"]) == 5 and merged["exercise"] == whole["exercise"]
    r = run("grade", "merge", tmp_path / "bad.json", parts[0], parts[0])
    assert r.exit_code == 2 and "the shards overlap" in r.output and not (tmp_path / "bad.json").exists()
    other = tmp_path / "other.json"
    run("grade", "chain-rule", answers_class[0], "--format", "json", "--out", other)
    r = run("grade", "merge", tmp_path / "bad.json", parts[1], other)
    assert r.exit_code == 2 and "grades exercise chain-rule" in r.output


def test_a_gradescope_bundle_is_made_from_an_installed_gradcheck_too(tmp_path, monkeypatch):
    from gradcheck.grading import gradescope_bundle

    monkeypatch.setattr(gradescope_bundle, "checkout_root", lambda: None)  # as after a plain pip install
    bundle = gradescope_bundle.write_bundle(find_exercise("affine"), tmp_path / "bundle")
    src = tmp_path / "bundle" / "gradcheck-src"
    text = (src / "pyproject.toml").read_text(encoding="utf-8")
    assert 'name = "gradcheck"' in text and "numpy" in text and bundle.is_file()
    assert (src / "gradcheck" / "bank" / "affine" / "exercise.toml").is_file() and (src / "gradcheck" / "cli.py").is_file()
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(src)],
                   check=True, timeout=300)
    assert (target / "gradcheck" / "grading" / "formats" / "gradescope.py").is_file()
    assert (target / "gradcheck" / "bank" / "affine" / "solution.py").is_file()
    setup = (tmp_path / "bundle" / "setup.sh").read_text(encoding="utf-8")
    assert "sys.version_info < (3, 11)" in setup and "python3.11" in setup
