"""The red team's attacks on the grader's own files, kept as regression tests: a key planted beside ``--out``
signs nothing, the journal is never opened through a link or as a FIFO, and ``grade merge`` takes only
parts this grader signed, with aliased paths seen as the same submission; merge writes any format."""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from gradcheck.cli import main
from gradcheck.grading import signing

ANSWERS = {"ana": {"q1": "5", "q2": "3y^2", "q3": "2x + 5", "q4": "12xy"}, "ben": {"q1": "3y^2", "q2": "3y^2", "q3": "2x", "q4": "6y"}}


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def sheets(tmp_path) -> list[Path]:
    files = []
    for name, answers in ANSWERS.items():
        files.append(tmp_path / f"{name}.toml")
        files[-1].write_text("".join(f'{k} = "{v}"\n' for k, v in answers.items()), encoding="utf-8")
    return files


def test_a_key_planted_beside_the_output_signs_nothing(tmp_path, sheets):
    out = tmp_path / "grades.json"
    planted = b"k" * 32
    Path(str(out) + ".partial.jsonl.key").write_bytes(planted)
    forged = {"submission": str(sheets[1]), "score": 10.0, "max_score": 10.0, "tests": [], "sha256": ""}
    lines = []
    for sheet in sheets:
        from gradcheck.grading.batch import _key
        from gradcheck.grading.bank import find_exercise

        key = _key(find_exercise("partial-derivatives"), sheet, 0, False)
        text = json.dumps({"key": key, "result": dict(forged, submission=str(sheet))}, sort_keys=True, ensure_ascii=False)
        lines.append(json.dumps({"key": key, "result": dict(forged, submission=str(sheet)),
                                 "mac": hmac.new(planted, text.encode(), hashlib.sha256).hexdigest()}))
    Path(str(out) + ".partial.jsonl").write_text("\n".join(lines) + "\n")
    result = run("grade", "partial-derivatives", *sheets, "--format", "json", "--out", out)
    assert result.exit_code == 0, result.output
    scores = {Path(s["submission"]).stem: s["score"] for s in json.loads(out.read_text())["submissions"]}
    assert scores["ben"] < 10 and scores["ana"] == 10


def test_the_journal_is_never_opened_through_a_link_or_as_a_fifo(tmp_path, sheets):
    classmate = tmp_path / "classmate_affine.py"
    classmate.write_text("class Affine: pass\n")
    out = tmp_path / "grades.json"
    Path(str(out) + ".partial.jsonl").symlink_to(classmate)
    result = run("grade", "partial-derivatives", *sheets, "--out", out)
    assert result.exit_code == 2 and "symbolic link" in result.output and "Traceback" not in result.output
    assert classmate.read_text() == "class Affine: pass\n"
    fifo_out = tmp_path / "other.json"
    os.mkfifo(str(fifo_out) + ".partial.jsonl")
    result = run("grade", "partial-derivatives", *sheets, "--out", fifo_out)  # must return, not wait for a writer
    assert result.exit_code == 2 and "not a regular file" in result.output


def test_keys_live_in_the_graders_own_state_folder():
    folder = signing.state_folder()
    assert oct(os.lstat(folder).st_mode & 0o777) == "0o700"
    secret = signing.key("probe.key")
    assert signing.key("probe.key") == secret and len(secret) == signing.KEY_BYTES
    os.unlink(folder / "probe.key")
    os.symlink("/etc/hostname", folder / "probe.key")
    with pytest.raises(signing.UnsafeFile):
        signing.key("probe.key")
    os.unlink(folder / "probe.key")


def _parts(tmp_path: Path, sheets: list[Path]) -> list[Path]:
    parts = []
    for k in (1, 2):
        parts.append(tmp_path / f"part-{k}.json")
        result = run("grade", "partial-derivatives", *sheets, "--shard", f"{k}/2", "--format", "json", "--out", parts[-1])
        assert result.exit_code == 0, result.output
    return parts


def test_merge_refuses_an_unsigned_or_edited_part_and_sees_aliased_paths(tmp_path, sheets):
    parts = _parts(tmp_path, sheets)
    doc = json.loads(parts[1].read_text())
    doc["submissions"][0]["score"] = 10.0
    parts[1].write_text(json.dumps(doc))
    result = run("grade", "merge", tmp_path / "all.json", *parts)
    assert result.exit_code == 2 and "signature" in result.output and not (tmp_path / "all.json").exists()
    del doc["signature"]
    parts[1].write_text(json.dumps(doc))
    assert run("grade", "merge", tmp_path / "all.json", *parts).exit_code == 2
    alias = tmp_path / "alias.json"
    first = json.loads(parts[0].read_text())
    first["submissions"][0]["submission"] = first["submissions"][0]["submission"].replace(str(tmp_path), str(tmp_path) + "/.")
    first["signature"] = signing.sign(first)
    alias.write_text(json.dumps(first))
    result = run("grade", "merge", tmp_path / "all.json", parts[0], alias)
    assert result.exit_code == 2 and "the shards overlap" in result.output


def test_merge_writes_any_format(tmp_path, sheets):
    parts = _parts(tmp_path, sheets)
    result = run("grade", "merge", tmp_path / "all.csv", *parts, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO((tmp_path / "all.csv").read_text())))
    assert len(rows) >= 3 and any("ana" in cell for row in rows for cell in row)
    result = run("grade", "merge", tmp_path / "all.html", *parts, "--format", "html")
    assert result.exit_code == 0 and (tmp_path / "all.html").read_text().lstrip().lower().startswith("<!doctype html")


def test_merge_has_its_own_help_and_usage():
    helped = CliRunner().invoke(main, ["grade", "merge", "--help"])
    assert helped.exit_code == 0 and helped.output.startswith("Usage: gradcheck grade merge OUT PART...")
    assert "EXERCISE_ID" not in helped.output
    bare = CliRunner().invoke(main, ["grade", "merge"])
    assert bare.exit_code == 2 and "gradcheck grade merge OUT PART.json" in bare.output
