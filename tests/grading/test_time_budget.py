"""A correct layer that sleeps just under the per-call limit cannot hold a batch for minutes: one file's
checks share one wall-clock budget, and the checks not reached when it is spent score nothing, said so."""

from __future__ import annotations

from gradcheck.grading.bank import find_exercise
from gradcheck.grading.grade import budget
from gradcheck.verify import Options, verify_file

EXERCISE = find_exercise("affine")
SLEEPY = EXERCISE.root.joinpath("solution.py").read_text(encoding="utf-8").replace(
    "    def forward(self, x):\n", "    def forward(self, x):\n        import time\n        time.sleep(0.05)\n", 1)


def test_a_sleeping_layer_spends_the_files_budget_and_is_told(tmp_path):
    assert "time.sleep" in SLEEPY
    path = tmp_path / "affine.py"
    path.write_text(SLEEPY)
    # sleeping takes at least as long as asked on any machine: a busy one only spends the budget sooner
    report = verify_file(str(path), Options(run_dir=str(tmp_path), shrink=False, diagnosis="none", budget=0.5, timeout=10.0))
    stopped = [r for r in report.results if r.problem is not None and r.problem.key == "fault.budget"]
    assert stopped and not any(r.passed for r in stopped)
    assert "time budget" in stopped[0].problem.render("en")


def test_the_grading_budget_is_generous_and_grows_with_the_per_call_limit():
    assert budget(1.0) == 60.0 and budget(10.0) == 120.0
