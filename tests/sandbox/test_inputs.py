"""Hostile inputs that must cost only their own submission: files that never end, nesting without end, text
that would drive a terminal or break XML, and a child that breaks the channel and sleeps."""

from __future__ import annotations

import time

from gradcheck.grading.bank import find_exercise
from gradcheck.grading.grade import grade_submission
from gradcheck.report.render import render_files_junit
from gradcheck.sandbox.runner import Limits, LearnerFault, Session
from gradcheck.sources import read_source
from gradcheck.verify import Options, verify_file


def test_a_link_to_dev_zero_is_refused_without_reading(tmp_path):
    link = tmp_path / "layer.py"
    link.symlink_to("/dev/zero")
    text, problem = read_source(str(link))
    assert text is None and problem.key == "file.not_regular"


def test_notebooks_nested_without_end_or_with_odd_cells_are_refused(tmp_path):
    for name, content in (("deep.ipynb", "[" * 200_000), ("cells.ipynb", '{"cells": 7}')):
        path = tmp_path / name
        path.write_text(content)
        assert read_source(str(path))[1].key == "file.notebook"


def test_an_answers_file_nested_50000_deep_scores_zero_with_a_sentence(tmp_path):
    path = tmp_path / "answers.toml"
    path.write_text("q1 = " + "[" * 50_000 + "]" * 50_000 + "\n")
    result = grade_submission(find_exercise("partial-derivatives"), path)
    assert result.score == 0 and "nested too deeply" in result.tests[0].output


ESCAPES = """
print("\\x1b[2J\\x1b[31mred\\x07 and \\x00 nul")

class Relu:
    def forward(self, x):
        self.mask = x <= 0
        return x * ~self.mask

    def backward(self, dout):
        raise ValueError("\\x1b]0;title\\x07bad \\x0c")
"""


def test_terminal_escapes_and_control_characters_from_learner_code_are_removed(tmp_path):
    path = tmp_path / "layer.py"
    path.write_text(ESCAPES)
    report = verify_file(str(path), Options(run_dir=str(tmp_path), shrink=False))
    texts = [report.output] + [r.problem.render("en") for r in report.results if r.problem is not None]
    assert "red" in report.output
    assert not any(ch in t for t in texts for ch in "\x1b\x07\x00\x0c")
    from xml.etree import ElementTree

    ElementTree.fromstring(render_files_junit([report]))  # well-formed


def test_a_child_that_breaks_the_channel_and_sleeps_is_killed_not_waited_for(tmp_path):
    source = (
        "import os, time\n"
        "def f(x):\n"
        "    for fd in range(3, 64):\n"
        "        try:\n"
        "            os.write(fd, b'\\x00\\x00\\x00\\x08{broken')\n"
        "        except OSError:\n"
        "            pass\n"
        "    time.sleep(60)\n"
    )
    session = Session(source, "broken.py", Limits(timeout=2))
    session.start()
    started = time.monotonic()
    try:
        session.call("f", 1.0)
        raised = None
    except LearnerFault as fault:
        raised = fault
    finally:
        session.close()
    assert raised is not None and time.monotonic() - started < 10


def test_the_child_never_learns_the_seed_itself():
    import numpy as np

    source = (
        "import numpy as np\n\n"
        "class Probe:\n"
        "    def __init__(self):\n"
        "        self.state = np.random.get_state()[1][:4].astype(float)\n"
    )
    session = Session(source, "probe.py", Limits(timeout=3))
    session.start()
    try:
        _, attrs = session.create("Probe", reseed=1234)  # the child reseeds NumPy just before the constructor
    finally:
        session.close()
    np.random.seed(1234)
    assert attrs["params"]["state"].shape == (4,)
    assert not np.array_equal(attrs["params"]["state"], np.random.get_state()[1][:4].astype(float))
