"""Matrix answers: the notation read, rewritings EQUAL, mutations NOT_EQUAL with their reason, never a crash."""

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from gradcheck.cli import main
from gradcheck.symbolic.equivalence import Verdict
from gradcheck.symbolic.matrix_equiv import matrix_equivalent
from gradcheck.symbolic.matrix_parse import parse_matrix, shown_matrix
from gradcheck.symbolic.parse import ParseError

AFFINE = {"x": "N,D", "W": "D,M", "dout": "N,M", "b": "M"}
SOFTMAX = {"P": "N,C", "Y": "N,C"}
NAMES = set(AFFINE) | {"N", "D", "M"}


def verdict(answer, expected, shapes=AFFINE):
    return matrix_equivalent(answer, expected, shapes, seed=3)


@pytest.mark.parametrize("written", ["x^T dout", "x.T @ dout", "x' dout", r"x^\top dout", "xᵀ·dout", "transpose(x) dout",
                                     "(dout^T x)^T", "x^T (dout)", "x^{T} dout", "x.T * dout"])
def test_every_notation_for_the_affine_dw_is_equal(written):
    assert verdict(written, "x^T dout").verdict is Verdict.EQUAL


@pytest.mark.parametrize("answer, expected, shapes, reason", [
    ("dout^T x", "x^T dout", AFFINE, "transpose of the right answer"),
    ("x dout", "x^T dout", AFFINE, "cannot be multiplied: the inner sizes D and N differ"),
    ("dout W", "dout W^T", AFFINE, "cannot be multiplied"),
    ("sum(dout, axis=1)", "sum(dout, axis=0)", AFFINE, "shape (N), the right answer has shape (M)"),
    ("P - Y", "(P - Y)/N", SOFTMAX, "divide by N"),
    ("(P - Y)/(N N)", "(P - Y)/N", SOFTMAX, "multiply by N"),
    ("(Y - P)/N", "(P - Y)/N", SOFTMAX, "sign is wrong"),
    ("2(P - Y)/N", "(P - Y)/N", SOFTMAX, "2 times the right answer"),
    ("x + dout", "x^T dout", AFFINE, "cannot be combined with +"),
    ("x^T dout + 1", "x^T dout", AFFINE, "differs from the right answer"),
    ("x^T dout * exp(1e-10)", "x^T dout", AFFINE, "1.0000000001 times the right answer"),
    ("x^T dout * 1.000000000001", "x^T dout", AFFINE, "times the right answer"),
    ("x^T dout / 0", "x^T dout", AFFINE, "divides by zero"),
    ("x^T dout / (N - N)", "x^T dout", AFFINE, "divides by zero"),
])
def test_a_wrong_matrix_answer_gets_its_reason(answer, expected, shapes, reason):
    result = verdict(answer, expected, shapes)
    assert result.verdict is Verdict.NOT_EQUAL and reason.lower() in result.explain("en").lower()
    assert result.explain("ko") != result.explain("en")


def test_read_as_is_shown_and_elementwise_and_float_functions_work():
    result = verdict("exp(x) ⊙ x", "x * exp(x)", {"x": "N,D"})
    assert result.verdict is Verdict.EQUAL and "exp(x) * x" in result.read_as
    assert verdict("mean(dout)", "sum(dout)/(N M)").verdict is Verdict.EQUAL
    assert verdict("x W + b", "x @ W + b").verdict is Verdict.EQUAL
    assert verdict("2 x^T dout * exp(log(3)) / 6", "x^T dout").verdict is Verdict.EQUAL
    assert verdict("x^T dout * exp(0) * 1e2 / 100", "x^T dout").verdict is Verdict.EQUAL


@pytest.mark.parametrize("text, key", [("x^2", "parse.matrix_power"), ("q dout", "parse.matrix_name"),
                                       ("sum(x, axis=2)", "parse.matrix_axis"), ("x^T (dout", "parse.incomplete"),
                                       ("x; import os", "parse.character"), ("", "parse.empty")])
def test_bad_matrix_notation_is_one_sentence(text, key):
    with pytest.raises(ParseError) as err:
        parse_matrix(text, NAMES)
    assert err.value.note.key == key


# -- properties ------------------------------------------------------------------------------------

def _trees(depth):
    """Random well-shaped expressions of shape (D, M) over the Affine names, as text."""
    leaf = st.sampled_from(["x^T dout", "W", "(W^T)^T", "x^T x W", "W dout^T dout"])
    if depth == 0:
        return leaf
    sub = _trees(depth - 1)
    return st.one_of(leaf, st.tuples(sub, sub).map(lambda p: f"({p[0]} + {p[1]})"),
                     st.tuples(sub, sub).map(lambda p: f"({p[0]} - {p[1]})"),
                     st.tuples(st.integers(2, 5), sub).map(lambda p: f"{p[0]}({p[1]})"),
                     sub.map(lambda t: f"(({t})^T)^T"), sub.map(lambda t: f"({t})/N"))


@settings(max_examples=40, deadline=None)
@given(_trees(2))
def test_rewritings_are_equal(text):
    rewritten = shown_matrix(parse_matrix(text, NAMES))  # what "I read your answer as" shows reads back the same
    assert verdict(rewritten, text).verdict is Verdict.EQUAL
    assert verdict(f"(({text})^T)^T", text).verdict is Verdict.EQUAL
    assert verdict(f"{text} + x^T dout - (dout^T x)^T", text).verdict is Verdict.EQUAL


@settings(max_examples=40, deadline=None)
@given(_trees(2), st.sampled_from(["+ x^T dout", "- W", "+ W/N"]))
def test_mutations_are_never_equal(text, extra):
    assert verdict(f"{text} {extra}", text).verdict is Verdict.NOT_EQUAL
    if verdict(text, "0 W").verdict is Verdict.NOT_EQUAL:
        assert verdict(f"-({text})", text).verdict is Verdict.NOT_EQUAL


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="xWdoutbNDM ^T.'@*/+-()⊙·,=sumaxis012", max_size=40))
def test_the_matrix_parser_raises_nothing_but_its_own_error(text):
    try:
        tree = parse_matrix(text, NAMES)
    except ParseError:
        return
    assert shown_matrix(tree)


def test_equiv_command_takes_shapes():
    r = CliRunner().invoke(main, ["equiv", "dout^T x", "x^T dout", "--shape", "x=N,D", "--shape", "dout=N,M"])
    assert r.exit_code == 1 and "transpose of the right answer" in r.output
    r = CliRunner().invoke(main, ["equiv", "x^T dout", "x^T dout", "--shape", "x=N,D,K"])
    assert r.exit_code == 2 and "at most two" in r.output
