"""A question of their own for every student: parameters, variants by student id, templates and grading."""

import tomllib

import pytest
import sympy as sp
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gradcheck.cli import main
from gradcheck.errors import GradcheckError
from gradcheck.grading.answers_template import answers_template
from gradcheck.grading.bank import find_exercise, load_exercise, param_options
from gradcheck.grading.grade import grade_submission
from gradcheck.grading.selfcheck import check_exercise
from gradcheck.grading.variants import _fill, values, variant
from gradcheck.symbolic.equivalence import equivalent

PARAMETRIZED = ["partial-derivatives", "chain-rule", "gradient-descent", "regularization"]
#: The exercises as they were written before they had parameters: the default variant must ask the same.
FIXED = {
    "partial-derivatives": {"q1": "5", "q2": "3y^2", "q3": "2x + 5", "q4": "12xy"},
    "chain-rule": {"q1": "4y(4z - 1)", "q2": "4y"},
    "gradient-descent": {"q1": "61", "q2": "14.39", "q3": "14/5", "q4": "5*b1 - 14"},
    "regularization": {"q1": "14/6", "q2": "2"},
}
students = st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=0x1FFF), min_size=1, max_size=20)


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_param_specs_are_read_by_pattern_never_evaluated():
    assert param_options("randint(2, 4)") == [2, 3, 4]
    assert param_options("choice([0.01, 2, 5])") == [0.01, 2, 5]
    for spec in ("__import__('os').system('true')", "randint(5, 2)", "choice([a, b])", "range(3)", 3, "randint(0, 10**9)"):
        assert param_options(spec) is None


def test_a_bad_parameter_is_refused_naming_it(tmp_path):
    (tmp_path / "exercise.toml").write_text(
        'id = "p"\nkind = "answers"\ntitle = { en = "P" }\nprompt = { en = "P" }\n[params]\nk = "open(\'/etc/passwd\')"\n[defaults]\nk = 1\n'
        '[[questions]]\nid = "q1"\nexpected = "k"\n', encoding="utf-8")
    with pytest.raises(GradcheckError) as err:
        load_exercise(tmp_path)
    assert "parameter k" in err.value.note.render("en")


@pytest.mark.parametrize("exercise_id", PARAMETRIZED)
def test_the_default_variant_is_the_fixed_exercise(exercise_id):
    ex = find_exercise(exercise_id)
    assert ex.params, "the exercise declares parameters"
    default = {q.id: q for q in variant(ex, None).questions}
    for qid, fixed in FIXED[exercise_id].items():
        q = default[qid]
        assert equivalent(fixed, q.expected, where=q.where or None, variables=q.variables or None)


@pytest.mark.parametrize("exercise_id", PARAMETRIZED)
def test_every_sampled_variant_is_solved_by_its_expected_answers(exercise_id):
    assert check_exercise(find_exercise(exercise_id)) == []


@settings(max_examples=25, deadline=None)
@given(student=students)
def test_a_student_always_gets_the_same_question_within_the_declared_options(student):
    ex = find_exercise("gradient-descent")
    vals = values(ex, student)
    assert vals == values(ex, student)
    assert all(vals[name] in param_options(spec) for name, spec in ex.params.items())


def test_neighbours_get_different_questions():
    ex = find_exercise("partial-derivatives")
    seen = {tuple(sorted(values(ex, f"s{i}").items())) for i in range(20)}
    assert len(seen) >= 10
    shifted = type(ex)(**{**ex.__dict__, "variant_seed": 1})
    assert [values(shifted, f"s{i}") for i in range(20)] != [values(ex, f"s{i}") for i in range(20)]


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(student=students)
def test_a_derived_expected_answer_is_the_derivative_of_the_students_function(student, tmp_path_factory):
    ex = find_exercise("partial-derivatives")
    vals = values(ex, student)
    own = {q.id: q for q in variant(ex, student).questions}
    x, y = sp.symbols("x y", real=True)
    by_hand = sp.diff(y ** vals["b"] + vals["a"] * x, y)
    assert equivalent(str(by_hand), own["q2"].expected)
    assert equivalent(str(4 * vals["c"] * x * (x**2 + 1)), own["q4"].expected, where=own["q4"].where)
    assert f"y^{vals['b']}" in own["q1"].prompt["en"]
    folder = tmp_path_factory.mktemp("answers") / "answers.toml"
    folder.write_text(f'q1 = "{vals["a"]}"\nq2 = "{by_hand}"\n', encoding="utf-8")
    result = grade_submission(ex, folder, student=student)
    assert [t.score for t in result.tests[:2]] == [2, 2]


def test_a_prompt_writes_a_coefficient_of_one_as_a_learner_would():
    assert _fill("f = {a}z^2 - {b}z + {b}", {"a": -1, "b": 1}) == "f = -z^2 - z + 1"
    assert _fill("E + {c}*b1^2", {"c": 1}) == "E + 1*b1^2"


def test_answers_template_puts_each_prompt_above_its_line():
    ex = variant(find_exercise("chain-rule"), "alice")
    text = answers_template(ex, "ko")
    assert tomllib.loads(text) == {q.id: "" for q in ex.questions}
    lines = text.splitlines()
    for q in ex.questions:
        at = lines.index(f'{q.id} = ""')
        assert lines[at - 1].startswith(f"# {q.id}") and q.prompt["ko"] in lines[at - 1]


def test_show_init_and_grade_use_the_students_variant(tmp_path):
    alice = variant(find_exercise("chain-rule"), "alice")
    shown = run("exercises", "show", "chain-rule", "--student", "alice").output
    assert alice.questions[0].prompt["en"] in shown
    r = run("exercises", "init", "chain-rule", tmp_path / "alice", "--student", "alice")
    assert r.exit_code == 0 and "Write your answers in" in r.output and "grade chain-rule" in r.output
    answers = tmp_path / "alice" / "answers.toml"
    assert alice.questions[1].prompt["en"] in answers.read_text(encoding="utf-8")
    answers.write_text("".join(f'{q.id} = "{q.expected}"\n' for q in alice.questions), encoding="utf-8")
    assert "alice: 10 / 10" in run("grade", "chain-rule", tmp_path / "alice").output
    (tmp_path / "bob").mkdir()
    (tmp_path / "bob" / "answers.toml").write_text(answers.read_text(encoding="utf-8"), encoding="utf-8")
    assert "bob: 10 / 10" not in run("grade", "chain-rule", tmp_path / "bob").output
    assert "10 / 10" in run("grade", "chain-rule", tmp_path / "bob", "--student", "alice").output
    r = run("grade", "chain-rule", tmp_path / "alice", tmp_path / "bob", "--student", "alice")
    assert r.exit_code == 2 and "--student" in r.output


def test_an_unsolvable_variant_is_found_by_exercises_check(tmp_path):
    (tmp_path / "exercise.toml").write_text(
        'id = "p"\nkind = "answers"\ntitle = { en = "P" }\nprompt = { en = "P" }\n[params]\nk = "randint(2, 3)"\n[defaults]\nk = 2\n'
        '[[questions]]\nid = "q1"\nprompt = { en = "1/(k-3) for k = {k}" }\nexpected = "1/(k - 3)"\n'
        '[[selftest]]\nfile = "solution.toml"\nscore = 1\n', encoding="utf-8")
    (tmp_path / "solution.toml").write_text('q1 = "-1"\n', encoding="utf-8")
    ex = load_exercise(tmp_path)
    assert any(values(ex, s)["k"] == 3 for s in ("student00", "student01", "student02", "student03"))
    problems = check_exercise(ex)
    assert problems and "is not solved by its own expected answers" in problems[0].render("en")


def test_a_derivative_by_the_wrong_variable_is_named(tmp_path):
    ex = find_exercise("partial-derivatives")
    (tmp_path / "answers.toml").write_text('q1 = "3y^2"\nq2 = "5"\nq3 = "2x + 5"\nq4 = "12xy"\n', encoding="utf-8")
    result = grade_submission(ex, tmp_path / "answers.toml")
    q1, q2 = result.tests[:2]
    assert q1.score == 0 and "with respect to y; the question asks for the one with respect to x" in q1.output
    assert q2.score == 0 and "with respect to x; the question asks for the one with respect to y" in q2.output
    assert "x에 대한 도함수입니다" in grade_submission(ex, tmp_path / "answers.toml", lang="ko").tests[1].output
    (tmp_path / "answers.toml").write_text('q1 = "7"\n', encoding="utf-8")
    assert "with respect to" not in grade_submission(ex, tmp_path / "answers.toml").tests[0].output


def test_an_exercise_without_parameters_may_derive_its_expected_answer(tmp_path):
    (tmp_path / "exercise.toml").write_text(
        'id = "d"\nkind = "answers"\ntitle = { en = "D" }\nprompt = { en = "D" }\n'
        '[[questions]]\nid = "q1"\nprompt = { en = "df/dx, f = 2z^2 - z, z = 3x + 1" }\nexpected = "derive(2z^2 - z, x)"\n'
        'where = { z = "3x + 1" }\n[[selftest]]\nfile = "wrong.toml"\nscore = 0\n', encoding="utf-8")
    (tmp_path / "solution.toml").write_text('q1 = "3(4z - 1)"\n', encoding="utf-8")
    (tmp_path / "wrong.toml").write_text('q1 = "4z - 1"\n', encoding="utf-8")
    ex = load_exercise(tmp_path)
    assert check_exercise(ex) == []
    wrong = grade_submission(ex, tmp_path / "wrong.toml").tests[0].output
    assert "with respect to z" in wrong
