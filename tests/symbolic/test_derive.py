"""Derivatives and the chain rule: the posts' worked examples, and agreement with finite differences."""

import numpy as np
import pytest
import sympy as sp
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gradcheck.symbolic import ParseError, derive, equivalent
from gradcheck.symbolic.derive import substitute_all

from symbolic_strategies import expressions, x, y, z

b1, lam = sp.Symbol("b1", real=True), sp.Symbol("lambda", real=True)
E = "((2-b1)^2 + (6-2*b1)^2)/2"


@pytest.mark.parametrize(
    "expr, wrt, where, want",
    [
        ("y^3+5x", "x", None, "5"),
        ("y^3+5x", "y", None, "3y^2"),
        ("x^2+5x", "x", None, "2x+5"),
        ("3y^2", "x", {"y": "x^2+1"}, "12xy"),
        ("2z^2-z+2", "x", {"z": "y^2", "y": "2x+3"}, "4y(4z-1)"),
    ],
)
def test_worked_examples_reproduce_exactly(expr, wrt, where, want):
    d = derive(expr, wrt, where)
    assert sp.expand(d.derivative - equivalent_expr(want)) == 0


def equivalent_expr(text):
    from gradcheck.symbolic import parse

    return parse(text)


def test_chain_rule_steps_for_the_three_level_example():
    d = derive("2z^2-z+2", "x", {"z": "y^2", "y": "2x+3"})
    labels = [s.label for s in d.steps]
    assert labels == ["df/dz", "dz/dy", "dy/dx", "df/dx"]
    assert d.formula == "df/dz * dz/dy * dy/dx"
    assert d.steps[2].value == 2
    assert sp.expand(d.substituted - substitute_all(d.derivative, {sp.Symbol("z", real=True): y**2, y: 2 * x + 3})) == 0


def test_gradient_descent_example_from_the_cost_post():
    d = derive(E, "b1").derivative
    assert sp.expand(d - (5 * b1 - 14)) == 0
    assert d.subs(b1, 15) == 61
    assert 15 - sp.Rational(1, 100) * d.subs(b1, 15) == sp.Rational(1439, 100)
    assert sp.solve(d, b1) == [sp.Rational(14, 5)]


@pytest.mark.parametrize("lam_value, minimizer", [(sp.Rational(1, 2), sp.Rational(14, 6)), (1, 2)])
def test_l2_penalty_moves_the_minimizer(lam_value, minimizer):
    d = derive(f"{E} + lambda*b1^2", "b1").derivative
    assert sp.solve(d.subs(lam, lam_value), b1) == [minimizer]


@given(expressions, st.floats(-1.5, 1.5), st.floats(-1.5, 1.5), st.floats(-1.5, 1.5))
def test_derivative_agrees_with_finite_differences(expr, xv, yv, zv):
    f = sp.lambdify(sp.symbols("x y z", real=True), expr, "numpy")
    d = sp.lambdify(sp.symbols("x y z", real=True), derive(expr, "x").derivative, "numpy")
    h = 1e-5
    with np.errstate(all="ignore"):
        fd = (f(xv + h, yv, zv) - f(xv - h, yv, zv)) / (2 * h)
        exact = d(xv, yv, zv)
    assume(np.isfinite(fd) and np.isfinite(exact) and abs(exact) < 1e6)
    assert abs(fd - exact) <= 1e-4 * max(1.0, abs(exact))


@given(expressions, expressions)
def test_chain_rule_through_a_definition_equals_differentiating_the_composition(outer, inner):
    outer, inner = outer.subs(x, y), inner.subs(y, z)  # f(y, z) with y = g(x, z)
    d = derive(outer, "x", {"y": sp.sstr(inner)})
    direct = sp.diff(outer.subs(y, inner), x)
    assert equivalent(d.substituted, direct)


def test_circular_definitions_are_refused():
    with pytest.raises(ParseError, match="circular"):
        derive("y", "x", {"y": "z + x", "z": "y^2"})


@settings(max_examples=30, deadline=None)
@given(a=st.integers(-4, 4).filter(bool), b=st.integers(-3, 3), power=st.integers(1, 3))
def test_the_sigma_form_of_a_derivative_is_the_same_function(a, b, power):
    from gradcheck.symbolic.render import in_sigma

    d = derive(f"sigma({a}x + {b})^{power}", "x")
    shown = in_sigma(d.derivative, d.sigmoid_args)
    assert not shown.has(sp.exp)
    back = shown.replace(sp.Function("sigma"), lambda u: 1 / (1 + sp.exp(-u)))
    for x0 in (-1.3, 0.2, 2.1):
        assert abs(float((back - d.derivative).subs(sp.Symbol("x", real=True), x0))) < 1e-12


@given(st.integers(-50, 50), st.integers(1, 9))
def test_value_at_a_point_is_the_derivative_there(p, q):
    from gradcheck.symbolic.derive import value_at

    d = derive("x^3 + z^2", "x", ["z=2x+1"])
    point, value = value_at(d, [f"x={p}/{q}"])
    at = sp.Rational(p, q)
    assert value == 3 * at**2 + 4 * (2 * at + 1)
