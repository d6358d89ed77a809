"""The hidden pass runs in a child of its own: nothing the learner's code prints on the hidden inputs reaches
the feedback, and the hidden checks still grade."""

from __future__ import annotations

from gradcheck.grading.bank import find_exercise
from gradcheck.grading.grade import grade_code
from gradcheck.verify import Options, verify_file

EXERCISE = find_exercise("affine")
PRINTING = EXERCISE.root.joinpath("solution.py").read_text(encoding="utf-8").replace(
    "    def forward(self, x):\n", "    def forward(self, x):\n        print('INPUT', x.shape, float(x.flat[0]))\n", 1)


def _printed(text: str) -> set[str]:
    return {line.strip(" |") for line in text.splitlines() if "INPUT" in line}


def test_what_the_code_prints_on_hidden_inputs_is_not_in_the_feedback(tmp_path):
    assert "print('INPUT'" in PRINTING and any(c.hidden for c in EXERCISE.checks)
    path = tmp_path / "affine.py"
    path.write_text(PRINTING)
    result = grade_code(EXERCISE, path, "s1", seed=0, timeout=10.0, lang="en")
    assert result.score == result.max_score
    shown = _printed("\n".join(t.output for t in result.tests))
    hidden = _printed(verify_file(str(path), Options(seed=EXERCISE.hidden_seed, run_dir=str(tmp_path), shrink=False,
                                                     diagnosis="none", targets=("Affine",))).output)
    assert shown and hidden and not shown & hidden
