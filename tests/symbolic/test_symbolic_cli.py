"""The derive and equiv commands: results, steps, exit codes, and one-sentence errors."""

from click.testing import CliRunner

from gradcheck.cli import main


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_derive_shows_the_chain_rule_steps():
    r = run("derive", "2*z**2 - z + 2", "--wrt", "x", "--where", "z=y**2", "--where", "y=2*x+3", "--steps")
    assert r.exit_code == 0
    assert "df/dx = df/dz * dz/dy * dy/dx" in r.output
    assert "dz/dy = 2*y" in r.output
    assert "df/dx = 4*y*(4*z - 1)" in r.output


def test_derive_substitute_and_latex():
    r = run("derive", "3y^2", "--wrt", "x", "--where", "y=x^2+1", "--substitute")
    assert r.exit_code == 0 and "12*x*(x^2 + 1)" in r.output
    r = run("derive", "3y^2", "--wrt", "x", "--where", "y=x^2+1", "--latex")
    assert "12 x y" in r.output


def test_bad_expression_exits_2_with_one_sentence():
    r = run("derive", "__import__('os')", "--wrt", "x")
    assert r.exit_code == 2
    assert "not a mathematical expression" in r.output
    assert "Traceback" not in r.output


def test_bad_definition_exits_2():
    r = run("derive", "y", "--wrt", "x", "--where", "nonsense")
    assert r.exit_code == 2 and "NAME=EXPRESSION" in r.output


def test_equiv_exit_codes_and_reason():
    assert run("equiv", "12x^3+12x", "12xy", "--where", "y=x^2+1").exit_code == 0
    r = run("equiv", "(4z-1)*2y", "4y(4z-1)", "--where", "z=y^2", "--where", "y=2x+3")
    assert r.exit_code == 1 and "differs" in r.output.lower()
    r = run("equiv", "(4z-1)*2y", "4y(4z-1)", "--where", "z=y^2", "--where", "y=2x+3", "--lang", "ko")
    assert "다릅니다" in r.output


def test_an_answer_may_start_with_a_minus_and_undecided_has_its_own_status():
    r = run("equiv", "-2e^(-2x)", "-2*exp(-2*x)")
    assert r.exit_code == 0 and r.output.startswith("I read your answer as -2*exp(-2*x).")
    assert run("equiv", "-2e^(-2x)", "2*exp(-2*x)").exit_code == 1
    r = run("equiv", "exp(exp(exp(exp(abs(x)+3))))", "2*exp(exp(exp(exp(abs(x)+3))))")
    assert r.exit_code == 3 and "could not decide" in r.output.lower()


def test_derive_refuses_two_names_and_a_defined_variable():
    r = run("derive", "x*y", "--wrt", "x y")
    assert r.exit_code == 2 and "one variable name" in r.output
    r = run("derive", "sigma(z)", "--wrt", "z", "--where", "z=w*x+b")
    assert r.exit_code == 2 and "z is defined by --where" in r.output and "(b, w, x)" in r.output


def test_derive_writes_a_sigmoid_derivative_with_sigma_where_the_learner_did():
    r = run("derive", "sigma(z)", "--wrt", "x", "--where", "z=2*x", "--steps")
    assert "df/dz = (1 - σ(z))*σ(z)" in r.output
    assert "in the base variables: 2*(1 - σ(2*x))*σ(2*x)" in r.output
    assert "exp" not in r.output
    assert "σ" not in run("derive", "softplus(x)", "--wrt", "x").output


def test_derive_at_a_point_gives_the_value_and_where_points_there():
    r = run("derive", "z^2", "--wrt", "x", "--where", "z=3x+1", "--at", "x=1/2")
    assert r.exit_code == 0 and "at x = 1/2: df/dx = 15" in r.output
    defined = run("derive", "x^2", "--wrt", "x", "--where", "x=5")
    assert defined.exit_code == 2 and "--at x=VALUE" in defined.output
    assert run("derive", "x^3", "--wrt", "x", "--at", "y=5").exit_code == 2
    assert run("derive", "x^3", "--wrt", "x", "--at", "x=y").exit_code == 2


def test_derive_shows_the_expanded_form_with_decimals():
    r = run("derive", "(x+5)^2/100", "--wrt", "x")
    assert "df/dx = (x + 5)/50" in r.output and "0.02*x + 0.1" in r.output
