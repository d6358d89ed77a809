"""LaTeX answers in TOML's double quotes: damaged escapes and unreadable files are told as quoting, with the
learner's own path (never the private copy's)."""

import json

from click.testing import CliRunner

from gradcheck.cli import main


def _grade(path):
    r = CliRunner().invoke(main, ["grade", "partial-derivatives", str(path), "--format", "json"])
    return json.loads(r.output)["submissions"][0]


def test_a_form_feed_made_of_frac_is_told_to_use_single_quotes(tmp_path):
    answers = tmp_path / "answers.toml"
    answers.write_text('q1 = "5"\nq2 = "\\frac{6y^2}{2}"\nq3 = \'\\frac{4x+10}{2}\'\n', encoding="utf-8")
    tests = {t["name"]: t for t in _grade(answers)["tests"]}
    assert tests["q2"]["score"] == 0 and "single quotes" in tests["q2"]["output"]
    assert "\x0c" not in tests["q2"]["output"] and "rac(" not in tests["q2"]["output"]
    assert tests["q3"]["score"] == tests["q3"]["max_score"]  # the same LaTeX in single quotes is read


def test_an_invalid_escape_names_the_learners_file_and_line(tmp_path):
    folder = tmp_path / "kim"
    folder.mkdir()
    answers = folder / "answers.toml"
    answers.write_text('q1 = "5"\nq2 = "3\\sqrt{y}"\n', encoding="utf-8")
    sub = _grade(answers)
    said = sub.get("output", "") + json.dumps(sub)
    assert f"{answers}, line 2" in said and "single quotes" in said
    assert "Unescaped" not in said


def test_another_toml_error_keeps_the_learners_path(tmp_path):
    answers = tmp_path / "answers.toml"
    answers.write_text('q1 = "5"\nq2 = 3 y\n', encoding="utf-8")
    said = json.dumps(_grade(answers))
    assert str(answers) in said and "line 2" in said
