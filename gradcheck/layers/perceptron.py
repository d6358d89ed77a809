"""The perceptron's step function and logic gates; the step has no useful gradient, so gates are checked on truth tables."""

from __future__ import annotations

import numpy as np

from ..report.model import CheckResult, Evidence, GradientCheck

TRUTH_TABLES = {
    "AND": {(0, 0): 0, (0, 1): 0, (1, 0): 0, (1, 1): 1},
    "OR": {(0, 0): 0, (0, 1): 1, (1, 0): 1, (1, 1): 1},
    "NAND": {(0, 0): 1, (0, 1): 1, (1, 0): 1, (1, 1): 0},
    "XOR": {(0, 0): 0, (0, 1): 1, (1, 0): 1, (1, 1): 0},
}


def step_function(x):
    """1 where x > 0, else 0."""
    return (np.asarray(x) > 0).astype(np.int64)


def _gate(x1, x2, w, b) -> int:
    return int(step_function(np.dot(np.array([x1, x2], dtype=np.float64), w) + b))


def AND(x1, x2):
    return _gate(x1, x2, np.array([0.5, 0.5]), -0.7)


def NAND(x1, x2):
    return _gate(x1, x2, np.array([-0.5, -0.5]), 0.7)


def OR(x1, x2):
    return _gate(x1, x2, np.array([0.5, 0.5]), -0.2)


def XOR(x1, x2):
    """Not linearly separable: a second layer combines NAND and OR with AND."""
    return AND(NAND(x1, x2), OR(x1, x2))


def check_gate(fn, gate: str) -> CheckResult:
    """Check a two-input gate function against its truth table, row by row."""
    table = TRUTH_TABLES[gate]
    result = CheckResult(gate, mode="truth table", kind="gate")
    wrong = []
    for (a, b), want in table.items():
        try:
            got = int(fn(a, b))
        except Exception:  # any failure on a row counts as a wrong row
            got = -1
        if got != want:
            wrong.append(Evidence(f"({a}, {b})", float(want), float(got), 0.0))
    result.checks.append(GradientCheck("output", not wrong, "truth table", len(table), wrong[0] if wrong else None))
    return result
