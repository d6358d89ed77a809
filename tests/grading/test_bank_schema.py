"""exercise.toml is validated as a schema: typos, missing keys and missing files are named with their place."""

import pytest
from click.testing import CliRunner

from gradcheck.cli import main
from gradcheck.errors import GradcheckError
from gradcheck.grading.bank import load_exercise, module_name
from gradcheck.grading.selfcheck import check_exercise

HEAD = 'id = "mine"\nkind = "answers"\ntitle = { en = "Mine" }\nprompt = { en = "d/dx x^3" }\n'


def write(tmp_path, body, head=HEAD):
    (tmp_path / "exercise.toml").write_text(head + body, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("body, words", [
    ('[[questions]]\nid = "q1"\nexpected = "3x^2"\npoint = 3\n', ["question q1", "'point'", "did you mean 'points'"]),
    ('[[questions]]\nid = "q1"\n', ["question q1 has no 'expected'"]),
    ('[[questions]]\nid = "q1"\nexpected = "3x^2"\npoints = "three"\n', ["question q1", "points must be a number"]),
    ('[[questions]]\nid = "q1"\nexpected = "3x^2"\n[[selftest]]\nscore = 0\n', ["self-test 1", "file = ", "replace = [old, new]"]),
    ('hint = { en = ["x"] }\n[[questions]]\nid = "q1"\nexpected = "3x^2"\n', ["exercise.toml", "'hint'", "'hints'"]),
])
def test_a_schema_mistake_is_one_sentence_naming_the_key_and_the_question(tmp_path, body, words):
    with pytest.raises(GradcheckError) as err:
        load_exercise(write(tmp_path, body))
    text = err.value.note.render("en")
    assert all(w in text for w in words), text
    assert err.value.note.render("ko") != text


def test_a_missing_solution_file_is_named_not_scored_zero(tmp_path):
    write(tmp_path, '[[questions]]\nid = "q1"\nexpected = "3x^2"\n[[selftest]]\nfile = "wrong.toml"\nscore = 0\n')
    (tmp_path / "answers.toml").write_text('q1 = ""\n', encoding="utf-8")
    problems = [p.render("en") for p in check_exercise(load_exercise(tmp_path))]
    assert any("the solution solution.toml is not in" in p for p in problems)
    assert any("wrong.toml is not in" in p for p in problems)
    r = CliRunner().invoke(main, ["exercises", "check", str(tmp_path)])
    assert r.exit_code == 1 and "solution.toml is not in" in r.output and "scores 0" not in r.output


def test_an_exercise_id_with_a_hyphen_gets_an_importable_submission_file(tmp_path):
    assert module_name("sigmoid-layer") == "sigmoid_layer" and module_name("2nd-layer") == "nd_layer"
    head = 'id = "sigmoid-layer"\nkind = "code"\ntitle = { en = "S" }\nprompt = { en = "S" }\n'
    ex = load_exercise(write(tmp_path, '[[checks]]\nname = "dx"\ntargets = ["sigmoid"]\n', head))
    assert ex.submission == "sigmoid_layer.py" and ex.submission[:-3].isidentifier()
