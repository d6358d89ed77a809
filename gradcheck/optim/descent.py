"""Gradient descent: on a one-parameter cost given as an expression, and over a dataset in batches.

``descend("((2-b1)^2 + (6-2*b1)^2)/2", start=15, lr=0.01)`` reproduces the cost
post's example: the first step gives 14.39 and the iterates converge to 2.8;
an L2 penalty ``lam * b1^2`` moves the minimizer to 14 / (5 + 2 * lam).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from ..symbolic.parse import ParseError


@dataclass
class Descent:
    """The iterates of a descent and whether (and when) it converged."""

    variable: str
    derivative: str
    iterates: list[float] = field(default_factory=list)
    costs: list[float] = field(default_factory=list)
    converged: bool = False
    cost: object = None  # E as a NumPy function, for plotting
    stopped: str = ""  # why it stopped early: "diverged" (not finite or growing) or "cycle" (jumping between two points)
    limit: float | None = None  # 2 / L, the largest learning rate that does not overshoot, where the curvature L is known

    @property
    def steps(self) -> int:
        return len(self.iterates) - 1

    def too_slow(self) -> bool:
        """Whether a descent that did not converge was still going downhill the same way at every step of its
        last tenth: the learning rate is too small (a larger one gets there), not too large."""
        tail = self.iterates[-max(3, len(self.iterates) // 10):]
        costs = self.costs[-len(tail):]
        moves = np.diff(tail)
        return bool(len(moves) and (np.all(moves > 0) or np.all(moves < 0)) and np.all(np.diff(costs) <= 0))


def descend(cost: str, start: float, lr: float, variable: str | None = None, l2: float = 0.0, l1: float = 0.0,
            tol: float = 1e-10, max_steps: int = 100_000) -> Descent:
    """Minimise ``cost`` (+ l2 * v^2 + l1 * |v|) from ``start`` by v <- v - lr * dE/dv until a step is below ``tol``."""
    import sympy as sp

    from ..symbolic.derive import derive
    from ..symbolic.oracles import numpy_function
    from ..symbolic.parse import parse

    names = (variable,) if variable else ()
    expr = parse(cost, variables=names)
    free = sorted(expr.free_symbols, key=str)
    if variable is None:
        if len(free) != 1:
            raise ParseError("descent.variable", names=", ".join(map(str, free)) or "none")
        variable = str(free[0])
    v = sp.Symbol(variable, real=True)
    expr = expr + l2 * v**2 + l1 * sp.Abs(v)
    if expr.free_symbols - {v}:
        raise ParseError("descent.variable", names=", ".join(sorted(map(str, expr.free_symbols))))
    d = derive(expr, variable).derivative
    f, df = numpy_function(expr, [v]), numpy_function(d, [v])
    curvature = numpy_function(sp.diff(d, v), [v])
    run = Descent(variable, sp.sstr(d), [float(start)], [float(f(float(start)))], cost=f)
    x = float(start)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for _ in range(max_steps):
            step = lr * float(df(x))
            x -= step
            run.iterates.append(x)
            run.costs.append(float(f(x)))
            if abs(step) < tol:
                run.converged = True
                break
            run.stopped = _stop_reason(run.iterates, run.costs)
            if run.stopped:
                break
        bend = abs(float(curvature(x if np.isfinite(x) else start)))
    run.limit = 2.0 / bend if bend > 0 and np.isfinite(bend) else None
    return run


#: Steps in a row that make the cost grow before a descent is called diverging.
GROWING = 8


def _stop_reason(xs: list[float], costs: list[float]) -> str:
    """"diverged" when the iterate is no longer finite or the cost has grown for GROWING steps in a row,
    "cycle" when the iterates jump back and forth between the same two points."""
    if not np.isfinite(xs[-1]) or not np.isfinite(costs[-1]):
        return "diverged"
    if len(costs) > GROWING and all(costs[-k] > costs[-k - 1] for k in range(1, GROWING + 1)):
        return "diverged"
    if len(xs) > 6:
        a, b, c, d = xs[-4:]
        if a == c and b == d and a != b:
            return "cycle"
    return ""


def minibatches(n: int, batch_size: int | None, rng: np.random.Generator | None) -> list[np.ndarray]:
    """Index batches for one epoch: the whole set (batch), single rows (stochastic) or batch_size rows."""
    order = rng.permutation(n) if rng is not None else np.arange(n)
    size = n if batch_size is None else batch_size
    return [order[i : i + size] for i in range(0, n, size)]


def gradient_descent(grad: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray], w0, X, y, lr: float,
                     epochs: int, batch_size: int | None = None, seed: int | None = 0, shuffle: bool = True,
                     l2: float = 0.0, l1: float = 0.0) -> list[np.ndarray]:
    """Batch (batch_size=None), stochastic (1) or mini-batch gradient descent; returns w after every update.

    ``grad(w, X_batch, y_batch)`` is the gradient of the mean loss over the batch; the L2 and L1
    penalties l2 * |w|^2 and l1 * |w|_1 add 2 * l2 * w and l1 * sign(w).
    """
    rng = np.random.default_rng(seed) if shuffle else None
    w = np.array(w0, dtype=np.float64)
    path = []
    for _ in range(epochs):
        for idx in minibatches(len(X), batch_size, rng):
            g = grad(w, X[idx], y[idx]) + 2 * l2 * w + l1 * np.sign(w)
            w = w - lr * g
            path.append(w.copy())
    return path


def least_squares_grad(w, X, y):
    """The gradient of mean((X w - y)^2): 2 X^T (X w - y) / n."""
    return 2.0 * X.T @ (X @ w - y) / len(X)
