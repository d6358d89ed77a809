"""Numeric answers compared exactly (the red team's universal answer 10^400 no longer equals everything),
rounding judged by the digits as written, and numbers too large to print refused at once, not crashed on."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gradcheck.symbolic.equivalence import Verdict, equivalent
from gradcheck.symbolic.parse import ParseError, parse

HUGE = ["10^400", "-10^400", "e^1000", "9^999", "1e309", "(10^300)^2", "exp(exp(7))", "1000^300"]


@pytest.mark.parametrize("answer", HUGE)
@pytest.mark.parametrize("expected", ["61", "14.39", "2.8", "7850"])
def test_an_overflowing_number_equals_no_ordinary_number(answer, expected):
    assert equivalent(answer, expected).verdict is Verdict.NOT_EQUAL


@given(st.integers(-10**6, 10**6), st.integers(1, 10**6))
def test_exact_rationals_are_equal_only_when_equal_with_no_tolerance(p, q):
    from fractions import Fraction

    value = Fraction(p, q)
    text = f"{value.numerator}/{value.denominator}"
    assert equivalent(text, f"({p})/({q})", tol=0.0).verdict is Verdict.EQUAL
    assert equivalent(f"{text} + 1/10^18", f"({p})/({q})", tol=0.0).verdict is Verdict.NOT_EQUAL


def test_tol_zero_is_exact_and_rounding_counts_the_digits_written():
    assert equivalent("61.0000000000000001", "61", tol=0.0).verdict is Verdict.NOT_EQUAL
    assert equivalent("61.0", "61", tol=0.0).verdict is Verdict.EQUAL
    assert equivalent("14.4", "14.39").verdict is Verdict.EQUAL
    assert equivalent("1.44e1", "14.39").verdict is Verdict.EQUAL  # three digits, as 14.4
    assert equivalent("2.5e-3", "0.0024665").verdict is Verdict.NOT_EQUAL  # two digits are not a rounding
    assert equivalent("0.00247", "0.0024665").verdict is Verdict.EQUAL


@pytest.mark.parametrize("text", ["1e999999", "1e99999999", "(10^300)^16", "*".join(["10^999"] * 6), "(1e-4999)^1000"])
def test_numbers_too_large_to_compute_or_print_are_refused_with_a_sentence(text):
    with pytest.raises(ParseError) as err:
        parse(text)
    assert err.value.note.key == "parse.too_large"


@pytest.mark.parametrize("text", ["max(0, sqrt(-1))", "min(x, sqrt(-1))"])
def test_functions_given_non_real_arguments_are_refused_with_a_sentence(text):
    with pytest.raises(ParseError) as err:
        parse(text, variables=("x",))
    assert err.value.note.key in ("parse.not_real", "parse.undefined")
