"""Grading throughput: 200 submissions of `affine` (half correct, half with different bugs) with --jobs 2, with
and without the search for the edit that fixes a failing submission, against the baseline of running each
submission in a fresh `python` process, in the same run; and 200 submissions of an answers exercise.

python bench/grade_speed.py [COUNT]
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from gradcheck.grading.bank import find_exercise
from gradcheck.grading.variants import variant
from gradcheck.grading.batch import grade_many

BUGS = [
    ("self.db = np.sum(dout, axis=0)", "self.db = dout"),
    ("self.dW = np.dot(self.x.T, dout)", "self.dW = np.dot(dout.T, self.x)"),
    ("dx = np.dot(dout, self.W.T)", "dx = np.dot(dout, self.W)"),
    ("self.dW = np.dot(self.x.T, dout)", "self.dW = np.dot(self.x.T, dout) / len(dout)"),
    ("return np.dot(self.x, self.W) + self.b", "return np.dot(self.x, self.W)"),
]

BASELINE = '''
import importlib.util, sys, numpy as np
spec = importlib.util.spec_from_file_location("sub", sys.argv[1]); mod = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mod)
rng = np.random.default_rng(0)
layer = mod.Affine(rng.standard_normal((4, 3)), rng.standard_normal(3))
out = layer.forward(rng.standard_normal((2, 4))); layer.backward(np.ones_like(out))
'''


def make_class(folder: Path, count: int) -> list[Path]:
    solution = (find_exercise("affine").root / "solution.py").read_text()
    paths = []
    for i in range(count):
        text = solution if i % 2 == 0 else solution.replace(*BUGS[(i // 2) % len(BUGS)])
        student = folder / f"student{i:03d}"
        student.mkdir()
        (student / "affine.py").write_text(text)
        paths.append(student)
    return paths


def answers_rate(count: int) -> float:
    """Submissions per second for an answers exercise (parametrized: each folder is a student with their own
    variant): half solve their own variant, half hand in a wrong answer file."""
    ex = find_exercise("partial-derivatives")
    wrong = sorted((ex.root / "wrong").iterdir())
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i in range(count):
            student = Path(tmp, f"student{i:03d}")
            student.mkdir()
            own = variant(ex, student.name)
            right = "".join(f'{q.id} = "{q.expected}"\n' for q in own.questions)
            text = right if i % 2 == 0 else wrong[(i // 2) % len(wrong)].read_text()
            (student / "answers.toml").write_text(text)
            paths.append(student)
        start = time.perf_counter()
        grade_many(ex, paths, jobs=2)
        return count / (time.perf_counter() - start)


def main(count: int = 200):
    ex = find_exercise("affine")
    with tempfile.TemporaryDirectory() as tmp:
        paths = make_class(Path(tmp), count)
        start = time.perf_counter()
        results = grade_many(ex, paths, jobs=2)
        ours = time.perf_counter() - start
        start = time.perf_counter()
        grade_many(dataclasses.replace(ex, diagnosis="none"), paths, jobs=2)
        quiet = time.perf_counter() - start
        script = Path(tmp, "baseline.py")
        script.write_text(BASELINE)
        start = time.perf_counter()
        for p in paths:
            subprocess.run([sys.executable, str(script), str(p / "affine.py")], capture_output=True)
        base = time.perf_counter() - start
    full = sum(r.score == r.max_score for r in results)
    print(f"gradcheck grade --jobs 2: {count} submissions in {ours:.1f} s = {count / ours:.1f} per second "
          f"({full} full marks, {count - full} with lost points)")
    print(f"the same without the search for a fix (diagnosis none): {count / quiet:.1f} per second")
    print(f"baseline, a fresh python process per submission (load + one forward/backward, no checks): "
          f"{count / base:.1f} per second")
    print(f"ratio: {(count / ours) / (count / base):.2f}x the baseline's rate")
    print(f"answers exercise (partial-derivatives), --jobs 2: {answers_rate(count):.1f} per second")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
