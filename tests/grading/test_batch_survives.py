"""One submission never stops the batch: a folder nested 1,100 levels deep, a file name that is not UTF-8,
a 17 MB notebook, and an error of gradcheck's own on one submission are each that submission's result, and
every other student is graded."""

from __future__ import annotations

import json
import os
from pathlib import Path

from gradcheck.grading import batch
from gradcheck.grading.bank import find_exercise
from gradcheck.grading.batch import grade_many

EXERCISE = find_exercise("affine")
CORRECT = (EXERCISE.root / "solution.py").read_text(encoding="utf-8")


def _nest(folder: Path, levels: int) -> None:
    here = os.getcwd()
    os.chdir(folder)
    try:
        for _ in range(levels):  # relative steps: the whole path is longer than the kernel's PATH_MAX
            os.mkdir("d")
            os.chdir("d")
    finally:
        os.chdir(here)


def _unnest(folder: Path) -> None:
    """Remove what ``_nest`` made, deepest first (a recursive rmtree would exceed Python's recursion limit)."""
    here, depth = os.getcwd(), 0
    os.chdir(folder)
    try:
        while os.path.isdir("d"):
            os.chdir("d")
            depth += 1
        for _ in range(depth):
            os.chdir("..")
            os.rmdir("d")
    finally:
        os.chdir(here)


def test_odd_submissions_are_each_their_own_result_and_the_rest_are_graded(tmp_path, monkeypatch):
    subs = tmp_path / "subs"
    for name in ("deep", "nonutf8", "bignb", "ok", "zz_ok"):
        (subs / name).mkdir(parents=True)
    (subs / "deep" / "affine.py").write_text(CORRECT)
    _nest(subs / "deep", 1100)
    (subs / "nonutf8" / "affine.py").write_text(CORRECT)
    with open(os.path.join(os.fsencode(subs / "nonutf8"), b"\xff\xfe.py"), "w") as fh:
        fh.write("x = 1\n")
    cells = [{"cell_type": "code", "source": [CORRECT], "metadata": {}, "outputs": [], "execution_count": None},
             {"cell_type": "markdown", "source": ["a" * (17 * 1024 * 1024)], "metadata": {}}]
    (subs / "bignb" / "affine.ipynb").write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    (subs / "ok" / "affine.py").write_text(CORRECT)
    (subs / "zz_ok" / "affine.py").write_text(CORRECT)
    real = batch.grade_submission

    def broken_on_one(exercise, path, **kw):
        if Path(path).name == "ok":
            raise RuntimeError("a bug of ours")
        return real(exercise, path, **kw)

    monkeypatch.setattr(batch, "grade_submission", broken_on_one)
    try:
        results = {Path(r.submission).name: r for r in grade_many(EXERCISE, sorted(subs.iterdir()), jobs=1, timeout=5.0)}
    finally:
        _unnest(subs / "deep")
    assert set(results) == {"deep", "nonutf8", "bignb", "ok", "zz_ok"}
    assert results["zz_ok"].score == results["zz_ok"].max_score
    text = {name: r.tests[0].output for name, r in results.items()}
    assert "nest more than" in text["deep"] and "not UTF-8" in text["nonutf8"]
    assert "a bug of ours" in text["ok"] and all(t.error for t in results["ok"].tests)
    assert results["bignb"].score in (0, results["bignb"].max_score)  # graded or refused, never the batch's end
