"""The search for the edit that fixes a gradient: a reported fix, applied to the learner's file, makes it pass (it
can name no false cause); a forward is edited only where it is compared with a reference; what is shown follows
the level asked for; the same file gets the same fix."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gradcheck.conventions.registry import discover
from gradcheck.feedback import fix_notes
from gradcheck.feedback.edits import Edit, edits_of
from gradcheck.feedback.search import find_fix, standing
from gradcheck.feedback.sites import parse, sites_for
from gradcheck.report.model import CheckResult, GradientCheck, Note
from gradcheck.sandbox.program import program_for
from gradcheck.sandbox.runner import Limits, Session
from gradcheck.verify import Options, check_target, verify_file

LEARNERS = Path(__file__).parent / "learners"

CORRECT = '''import numpy as np


class Sigmoid:
    def forward(self, x):
        self.out = 1 / (1 + np.exp(-x))
        return self.out

    def backward(self, dout):
        dx = dout * (1.0 - self.out) * self.out
        return dx


class Affine:
    def __init__(self, W, b):
        self.W = W
        self.b = b

    def forward(self, x):
        self.x = x
        return np.dot(x, self.W) + self.b

    def backward(self, dout):
        dx = np.dot(dout, self.W.T)
        self.dW = np.dot(self.x.T, dout)
        self.db = np.sum(dout, axis=0)
        return dx
'''


def search(path: Path, target_id: str, options: Options | None = None):
    """The target's results and the fix the search finds, as verify would run them."""
    options = options or Options(shrink=False)
    session = Session(None, path.name, Limits(5, 4096), program=program_for(str(path)))
    session.start()
    try:
        targets, _ = discover(session.catalogue(), options)
        target = next(t for t in targets if t.id == target_id)
        results = check_target(session, target, options)
        return results, find_fix(session, target, options, path.read_text(), results, check_target)
    finally:
        session.close()


def applied(source: str, edits: tuple[Edit, ...]) -> str:
    """The learner's file with each edited function written back in place of the original."""
    lines = source.splitlines()
    for edit in sorted(edits, key=lambda e: -e.site.start):
        node = edit.site.node
        first = (node.decorator_list[0].lineno if node.decorator_list else node.lineno) - 1
        body = textwrap.indent(edit.source, " " * node.col_offset).splitlines()
        lines[first:node.end_lineno] = body
    return "\n".join(lines) + "\n"


def _single_edits(site_name: str) -> list[Edit]:
    tree = parse(CORRECT)
    owner, name = site_name.split(".")
    site = next(s for s in sites_for(tree, (owner,)) if s.name == name)
    return edits_of(site, CORRECT, {"dx", "dW", "db"})


EDITS = {name: _single_edits(name) for name in ("Sigmoid.backward", "Affine.backward")}


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(sorted(EDITS)), st.data())
def test_a_reported_fix_applied_to_the_file_makes_it_pass(tmp_path, site_name, data):
    mistake = data.draw(st.sampled_from(EDITS[site_name]))
    buggy = tmp_path / "layers.py"
    buggy.write_text(applied(CORRECT, (mistake,)))
    results, fix = search(buggy, site_name.split(".")[0])
    if all(r.passed for r in results):
        assert fix is None  # an edit that changes nothing measurable: nothing to fix
        return
    if fix is None:
        return  # not every mistake is one edit away from a fix; the claim is about fixes reported
    fixed = tmp_path / "fixed.py"
    fixed.write_text(applied(buggy.read_text(), fix.edits))
    report = verify_file(str(fixed), Options(shrink=False, diagnosis="none", targets=(site_name.split(".")[0],)))
    assert report.passed, (mistake.before, mistake.after, [(e.before, e.after) for e in fix.edits])


def test_the_learners_own_mistake_is_the_fix_found(tmp_path):
    path = tmp_path / "layers.py"
    path.write_text(CORRECT.replace("dout * (1.0 - self.out) * self.out", "dout * (1.0 - self.out) * dout"))
    _, fix = search(path, "Sigmoid")
    assert fix is not None and [(e.line, e.before, e.after) for e in fix.edits] == [(10, "dout", "self.out")]


def test_the_same_file_gets_the_same_fix_every_run():
    path = LEARNERS / "optim_adam_beta.py"
    first = search(path, "adam")[1]
    second = search(path, "adam")[1]
    assert first is not None and [(e.line, e.after) for e in first.edits] == [(e.line, e.after) for e in second.edits]


def test_a_forward_not_compared_with_a_reference_is_never_the_edit():
    # MSELoss has no reference: editing its forward to a constant would make every check pass, falsely
    _, fix = search(LEARNERS / "mse_no_mean.py", "MSELoss")
    assert fix is not None and all(e.site.name == "backward" for e in fix.edits)


def test_a_correct_file_is_not_searched():
    path = LEARNERS / "correct_layers.py"
    results, fix = search(path, "Swish")
    assert all(r.passed for r in results) and fix is None


def test_two_mistakes_are_fixed_by_a_pair_of_edits():
    _, fix = search(LEARNERS / "book_affine_two_bugs.py", "Affine")
    assert fix is not None and sorted(e.line for e in fix.edits) == [19, 20]


def test_what_is_shown_follows_the_level(tmp_path):
    _, fix = search(LEARNERS / "leaky_slope.py", "LeakyRelu")
    assert fix is not None
    shown = {level: [n.render("en") for n in fix_notes(fix, level)] for level in ("fix", "mistake", "where", "none")}
    assert "self.slope" in shown["fix"][0] and "0.1" in shown["fix"][0]
    assert "0.1" in shown["mistake"][0] and "self.slope" not in shown["mistake"][0]
    assert "line 17" in shown["where"][0] and "0.1" not in shown["where"][0]
    assert shown["none"] == []
    assert all("`" not in n.render("ko") or "줄" in n.render("ko") for n in fix_notes(fix, "mistake"))


def _result(title: str, failing: int = 0, problem: Note | None = None) -> CheckResult:
    checks = [GradientCheck(f"d{i}", i >= failing, "full") for i in range(2)]
    return CheckResult(title, checks=[] if problem else checks, problem=problem)


@given(st.integers(0, 2), st.integers(0, 2))
def test_a_problem_that_stays_the_same_is_neither_fixed_nor_counted(before, after):
    raised = Note("target.raised", {"where": "forward", "error": "IndexError"})
    original = [_result("A", before), _result("A (one-hot)", problem=raised)]
    edited = [_result("A", after), _result("A (one-hot)", problem=raised)]
    bad, fixed = standing(edited, original)
    assert bad == after and fixed == int(before > 0 and after == 0)
    worse = [_result("A", after), _result("A (one-hot)", problem=Note("target.raised", {"where": "backward", "error": "x"}))]
    assert standing(worse, original)[0] == after + 100


def test_an_edit_that_loops_for_ever_is_dropped_not_waited_for(tmp_path):
    path = tmp_path / "layers.py"
    path.write_text(CORRECT.replace("        dx = dout * (1.0 - self.out) * self.out\n",
                                    "        dx = dout * (1.0 - self.out) * self.out * 2\n        n = 1\n"
                                    "        while n > 0:\n            n -= 1\n"))
    results, fix = search(path, "Sigmoid", Options(shrink=False, timeout=5))
    assert not results[0].passed
    assert fix is not None and fix.edits[0].after in ("dout * (1.0 - self.out) * self.out", "dout * (1.0 - self.out) * self.out / 2")


def test_the_search_is_reachable_from_verify_and_names_no_other_cause(tmp_path):
    path = tmp_path / "layers.py"
    path.write_text(CORRECT.replace("self.db = np.sum(dout, axis=0)", "self.db = np.sum(dout, axis=1)"))
    report = verify_file(str(path), Options(shrink=False, targets=("Affine",)))
    diagnoses = [n for r in report.results for c in r.failures() for n in c.diagnoses]
    assert diagnoses and all(n.key.startswith("fix.") for n in diagnoses)
    assert "axis=0" in diagnoses[0].render("en")


def test_a_file_that_is_not_python_the_parent_can_read_is_not_searched(tmp_path):
    assert parse("def f(:\n") is None
    assert parse("x = " + "(" * 200_000) is None
    assert parse("# " + "x" * 500_000) is None


@pytest.mark.parametrize("kind", sorted({e.kind for edits in EDITS.values() for e in edits} | {
    "drop", "swap", "add_at", "range", "stride", "overflow", "precedence", "reduction_missing"}))
def test_every_kind_of_edit_can_be_said_as_a_mistake_in_both_languages(kind):
    from gradcheck.report.messages import CATALOGUES

    assert f"fix.mistake.{kind}" in CATALOGUES["en"] and f"fix.mistake.{kind}" in CATALOGUES["ko"]


def test_the_numpy_name_of_the_file_is_used_for_new_calls():
    source = "import numpy as jnp_like\n\n\ndef emb_backward(dout, cache):\n    x, W = cache\n    dW = jnp_like.zeros_like(W)\n" \
             "    dW[x] += dout\n    return dW\n"
    site = sites_for(ast.parse(source), ("emb_backward",))[0]
    edits = edits_of(site, source, {"dW"}, "jnp_like")
    assert any(e.kind == "add_at" and "jnp_like.add.at(dW, x, dout)" in e.after for e in edits)
