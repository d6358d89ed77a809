"""Logic gates from the perceptron's step function, checked on their truth tables."""

import numpy as np
import pytest

from gradcheck.layers import perceptron


@pytest.mark.parametrize("gate", sorted(perceptron.TRUTH_TABLES))
def test_reference_gates_match_their_truth_tables(gate):
    fn = getattr(perceptron, gate)
    for (a, b), want in perceptron.TRUTH_TABLES[gate].items():
        assert fn(a, b) == want
    assert perceptron.check_gate(fn, gate).passed


def test_a_wrong_gate_fails_on_the_first_wrong_row():
    result = perceptron.check_gate(perceptron.OR, "XOR")
    assert not result.passed
    assert result.checks[0].worst.where == "(1, 1)"


def test_step_function():
    assert perceptron.step_function(np.array([-1.0, 0.0, 0.5])).tolist() == [0, 0, 1]
