"""Right answers in the notation learners type: fullwidth characters, the Korean middle dot, vulgar fractions,
subscripts, math italic letters, labels and equation left sides, NumPy in matrix answers; and matrix answers
sized fresh each time, so a factor built from public sizes is refused."""

from __future__ import annotations

import pytest

from gradcheck.symbolic.equivalence import Verdict, equivalent
from gradcheck.symbolic.matrix_equiv import matrix_equivalent

SCALAR = [("３ｘ²", "3*x^2"), ("３ｙ＾２", "3*y^2"), ("（x+1）^(-2)", "(x+1)^(-2)"), ("２x＋５", "2*x + 5"), ("3ㆍx^2", "3*x^2"),
          ("3∙x^2", "3*x^2"), ("½x^(-½)", "1/(2*sqrt(x))"), ("¼x", "x/4"), ("dy/dx = 3x^2", "3*x^2"), ("f'(x) = 3x^2", "3*x^2"),
          ("답: 3x^2", "3*x^2"), ("3x^2 입니다", "3*x^2"), ("𝑥^2", "x^2"), ("㏑x", "log(x)"), ("—3x", "-3*x"),
          ("np.exp(x)", "exp(x)"), ("math.exp(x)", "exp(x)"), ("np.tanh(x)", "tanh(x)")]

SHAPES = {"x": "N,D", "W": "D,M", "dout": "N,M"}
MATRIX = [("np.dot(x.T, dout)", "x^T dout"), ("x.T.dot(dout)", "x^T dout"), ("np.matmul(x.T, dout)", "x^T dout"),
          ("dout.dot(W.T)", "dout W^T"), ("np.sum(dout, axis=0)", "sum(dout, axis=0)"), ("dout.sum(axis=0)", "sum(dout, axis=0)"),
          ("x⊤ dout", "x^T dout"), ("x^T · dout", "x^T dout"), ("dW = x^T dout", "x^T dout"), ("x^T dout − (−x^T dout)", "2 x^T dout")]


@pytest.mark.parametrize("answer, expected", SCALAR)
def test_a_right_scalar_answer_in_learners_notation_is_accepted(answer, expected):
    assert equivalent(answer, expected, variables=["x", "y"]).verdict is Verdict.EQUAL


@pytest.mark.parametrize("answer, expected", MATRIX)
def test_a_right_matrix_answer_in_numpy_or_unicode_is_accepted(answer, expected):
    assert matrix_equivalent(answer, expected, SHAPES).verdict is Verdict.EQUAL


@pytest.mark.parametrize("answer, expected", [("x^T dout * D*M*N/30", "x^T dout"),
                                              ("mean(dout, axis=0) * (10 - D - M)", "sum(dout, axis=0)")])
def test_a_factor_built_from_public_sizes_is_refused(answer, expected):
    for _ in range(3):  # fresh sizes each time
        assert matrix_equivalent(answer, expected, SHAPES).verdict is Verdict.NOT_EQUAL


def test_a_definition_with_an_underscore_matches_answers_in_either_spelling():
    for answer in ("2*(y_hat - y)", "2*(yhat - y)", "2*(a - y)"):
        assert equivalent(answer, "2*(y_hat - y)", where={"y_hat": "a"}).verdict is Verdict.EQUAL


def test_derive_reads_the_books_words_whole_and_refuses_a_name_not_in_the_expression():
    from click.testing import CliRunner

    from gradcheck.cli import main

    result = CliRunner().invoke(main, ["derive", "apple*num*tax", "--wrt", "apple"])
    assert result.exit_code == 0 and "num*tax" in result.output
    assert CliRunner().invoke(main, ["derive", "xy^2", "--wrt", "x"]).output.strip().endswith("y^2")  # xy is x*y
    missing = CliRunner().invoke(main, ["derive", "x^2", "--wrt", "w1"])
    assert missing.exit_code == 2 and "does not contain w1" in missing.output


def test_a_power_that_takes_only_its_number_says_how_it_was_read_and_what_to_write():
    wrong = equivalent("e^-2x", "-2*exp(-2*x)")
    assert not wrong
    said = wrong.explain("en")
    assert "e^-2x is read as e^(-2) times x" in said and "e^(-2x)" in said
    right = equivalent("e^(-2x)*(-2)", "-2*exp(-2*x)")
    assert right and "parentheses" not in right.explain("en")
