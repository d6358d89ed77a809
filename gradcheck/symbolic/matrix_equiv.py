"""Are two matrix answers equal?  Decided by exact random instantiation of the declared shapes.

Each dimension name (N, D, M) gets a distinct size, each matrix random integer entries, and both answers are
evaluated in exact rational arithmetic.  Two answers built from sums, products, transposes, sums over an axis
and division by constants are polynomials in the entries, so by the Schwartz-Zippel lemma a wrong one agrees
at a random integer point with probability at most (degree / range); three points with two different size
assignments leave less than 1e-15.  ``exp`` and ``log`` are evaluated at 50 digits (mpmath) and compared to
1e-30 relative: a factor exp(1e-10) is a difference, not float64's rounding.
SymPy's matrix symbols cannot express elementwise products or sums over an axis, so they decide nothing here.
A shape that cannot be formed, the transpose of the right answer and a constant factor get their own reason.
"""

from __future__ import annotations

import math
import random
from fractions import Fraction

import mpmath
import numpy as np

from ..report.model import Note
from ..sandbox.limits import run_limited
from .equivalence import Equivalence, Verdict, why_undecided
from .matrix_parse import parse_matrix, shown_matrix
from .parse import ParseError

#: Sizes the dimensions are drawn from: distinct primes, none 1, so a size names its dimension and no sum or
#: product of sizes is the same under two assignments.
PRIMES = (2, 3, 5, 7, 11, 13, 17, 19, 23)
ASSIGNMENTS = 3


def _assignments(dims: list[str], seed: int) -> list[dict[str, int]]:
    """Fresh size assignments for ``dims`` (secret when the seed is: drawn from the system's randomness),
    each a different permutation of distinct primes."""
    rng = random.Random(seed ^ 0x5EED)
    out = []
    while len(out) < ASSIGNMENTS:
        sizes = rng.sample(PRIMES, len(dims)) if len(dims) <= len(PRIMES) else [rng.choice(PRIMES) for _ in dims]
        assignment = dict(zip(dims, sizes))
        if assignment not in out or len(dims) < 2:
            out.append(assignment)
    return out
RANGE = 10**6


class ShapeError(Exception):
    """An operation whose operands' shapes do not fit; ``note`` says which shapes, in dimension names."""

    def __init__(self, note: Note):
        self.note = note
        super().__init__(note.key)


def read_shapes(shapes: dict) -> dict[str, tuple[str, ...]]:
    """{"x": "N,D", "b": "M", "s": ""} -> {"x": ("N", "D"), "b": ("M",), "s": ()}."""
    out = {}
    for name, text in shapes.items():
        dims = tuple(d.strip() for d in str(text).split(",") if d.strip())
        if not name.isidentifier() or not all(d.isidentifier() or d.isdigit() for d in dims) or len(dims) > 2:
            raise ParseError("parse.matrix_shape", name=name, shape=str(text))
        out[name] = dims
    return out


def _dims(shapes: dict[str, tuple[str, ...]]) -> list[str]:
    return sorted({d for dims in shapes.values() for d in dims if not d.isdigit()})


class _Evaluator:
    """Evaluates trees on one instantiation: sizes for the dimensions, exact entries for the matrices."""

    def __init__(self, shapes, sizes: dict[str, int], rng: random.Random, exact: bool):
        self.sizes, self.exact = sizes, exact
        self.names = {v: k for k, v in sizes.items()}
        self.values = {}
        for name, dims in shapes.items():
            shape = tuple(int(d) if d.isdigit() else sizes[d] for d in dims)
            count = math.prod(shape)
            entries = [Fraction(rng.randint(-RANGE, RANGE), RANGE) for _ in range(count)]
            array = np.array(entries if exact else [_precise(e) for e in entries], dtype=object)
            self.values[name] = array.reshape(shape) if shape else array[0]

    def shape(self, value) -> str:
        dims = np.shape(value)
        return "(" + ",".join(self.names.get(d, str(d)) for d in dims) + ")" if dims else "a number"

    def run(self, node):
        kind = node[0]
        if kind == "sym":
            if node[1] in self.values:
                return self.values[node[1]]
            return Fraction(self.sizes[node[1]]) if self.exact else mpmath.mpf(self.sizes[node[1]])
        if kind == "num":
            return node[1] if self.exact else _precise(node[1])
        if kind == "neg":
            return -self.run(node[1])
        if kind == "T":
            value = self.run(node[1])
            return value.T if np.ndim(value) == 2 else value
        if kind == "call":
            return self._call(node[1], self.run(node[2]), node[3])
        a, b = self.run(node[1]), self.run(node[2])
        if kind in ("add", "sub"):
            self._broadcast(a, b, "+" if kind == "add" else "-")
            return a + b if kind == "add" else a - b
        if kind == "div":
            if np.ndim(b):
                self._broadcast(a, b, "/")
            return a / b
        if kind == "mul" and (not np.ndim(a) or not np.ndim(b) or self._fits(a, b)):
            return a * b
        return self._matmul(a, b)

    def _fits(self, a, b) -> bool:
        try:
            np.broadcast_shapes(np.shape(a), np.shape(b))
            return True
        except ValueError:
            return False

    def _broadcast(self, a, b, op: str) -> None:
        if not self._fits(a, b):
            raise ShapeError(Note("matrix.shapes_elementwise", {"a": self.shape(a), "b": self.shape(b), "op": op}))

    def _matmul(self, a, b):
        if not np.ndim(a) or not np.ndim(b):
            return a * b
        if np.shape(a)[-1] != np.shape(b)[0]:
            inner = [self.names.get(n, str(n)) for n in (np.shape(a)[-1], np.shape(b)[0])]
            raise ShapeError(Note("matrix.shapes_product", {"a": self.shape(a), "b": self.shape(b), "left": inner[0],
                                                             "right": inner[1]}))
        return a @ b

    def _call(self, name: str, value, axis):
        if name == "transpose":
            return value.T if np.ndim(value) == 2 else value
        if name in ("sum", "mean"):
            if axis is not None and axis >= np.ndim(value):
                raise ShapeError(Note("matrix.axis", {"name": name, "axis": axis, "shape": self.shape(value)}))
            total = np.sum(value, axis=axis) if np.ndim(value) else value
            count = math.prod(np.shape(value)) if axis is None else np.shape(value)[axis]
            return total / count if name == "mean" else total
        if self.exact:
            raise _Inexact
        function = mpmath.exp if name == "exp" else _log
        return np.vectorize(function, otypes=[object])(value) if np.ndim(value) else function(value)


def _log(v):
    """The real logarithm; not a number where it is undefined (v <= 0), as NumPy's log gives."""
    return mpmath.log(v) if v > 0 else mpmath.mpf("nan")


PRECISE_DIGITS = 50
PRECISE_RTOL = mpmath.mpf(10) ** -30


def _precise(value: Fraction):
    return mpmath.mpf(value.numerator) / value.denominator


class _Inexact(Exception):
    """exp or log met in exact arithmetic: evaluate in floating point instead."""


def _evaluate(tree, shapes, sizes, seed: int):
    for exact in (True, False):
        try:
            with mpmath.workdps(PRECISE_DIGITS):
                ev = _Evaluator(shapes, sizes, random.Random(seed), exact)
                return ev, ev.run(tree)
        except _Inexact:
            continue
    raise AssertionError("unreachable")


def _is_exact(value) -> bool:
    return all(isinstance(v, Fraction) for v in np.ravel(np.asarray(value, dtype=object)))


def _equal(a, b, exact: bool) -> bool:
    if np.shape(a) != np.shape(b):
        return False
    if exact:
        return bool(np.all(np.asarray(a == b)))
    a, b = np.ravel(np.asarray(a, dtype=object)), np.ravel(np.asarray(b, dtype=object))
    with mpmath.workdps(PRECISE_DIGITS):
        a, b = ([_precise(v) if isinstance(v, Fraction) else v for v in side] for side in (a, b))
        largest = max((abs(v) for v in b if not mpmath.isnan(v)), default=mpmath.mpf(0))
        return all((mpmath.isnan(x) and mpmath.isnan(y)) or abs(x - y) <= PRECISE_RTOL * (1 + largest)
                   for x, y in zip(a, b))


def _same(r, q) -> bool:
    """Two ratios equal: exactly for fractions, to 30 digits where exp or log made them inexact."""
    if isinstance(r, Fraction) and isinstance(q, Fraction):
        return r == q
    with mpmath.workdps(PRECISE_DIGITS):
        r, q = (_precise(v) if isinstance(v, Fraction) else v for v in (r, q))
        return abs(r - q) <= PRECISE_RTOL * abs(q)


def _ratio(a, b) -> Fraction | None:
    """The one ratio a/b over every element where b is not zero (and a is zero where b is), or None."""
    pairs = list(zip(np.ravel(a), np.ravel(b)))
    if any(y == 0 and x != 0 for x, y in pairs):
        return None
    if all(isinstance(v, Fraction) for pair in pairs for v in pair):
        ratios = {x / y for x, y in pairs if y != 0}
        return ratios.pop() if len(ratios) == 1 else None
    with mpmath.workdps(PRECISE_DIGITS):  # exp or log: one ratio to 30 digits
        precise = [(_precise(x) if isinstance(x, Fraction) else x) / (_precise(y) if isinstance(y, Fraction) else y)
                   for x, y in pairs if y != 0]
        if any(mpmath.isnan(r) for r in precise) or not precise:
            return None
        if all(abs(r - precise[0]) <= PRECISE_RTOL * abs(precise[0]) for r in precise):
            near = Fraction(str(mpmath.nstr(precise[0], 40, strip_zeros=True))).limit_denominator(1000)
            return near if abs(_precise(near) - precise[0]) <= PRECISE_RTOL * abs(precise[0]) else precise[0]
    return None


def matrix_equivalent(answer: str, expected: str, shapes: dict, seed: int | None = None,
                      timeout: float = 10.0) -> Equivalence:
    """Is ``answer`` equal to ``expected`` for matrices of the declared ``shapes`` ({"x": "N,D", ...})?
    Both are parsed here (a ParseError says what is wrong); the arithmetic runs in a child with CPU and memory
    limits, and an answer whose evaluation would not end in ``timeout`` seconds is UNDECIDED."""
    shapes = read_shapes(shapes)
    names = set(shapes) | set(_dims(shapes))
    a_tree, b_tree = parse_matrix(answer, names), parse_matrix(expected, names)
    seed = random.SystemRandom().randrange(2**32) if seed is None else seed
    outcome = run_limited(lambda: _decide(a_tree, b_tree, shapes, seed).to_json(), timeout=timeout, memory_mb=2048)
    if outcome.ok:
        result = Equivalence.from_json(outcome.value)
    else:
        result = Equivalence(Verdict.UNDECIDED, Note("equiv.undecided", {"reason": why_undecided(outcome, timeout)}))
    result.read_as = shown_matrix(a_tree)
    return result


def _decide(a_tree, b_tree, shapes: dict, seed: int) -> Equivalence:
    results = []
    for k, assignment in enumerate(_assignments(_dims(shapes), seed)):
        ev, want = _evaluate(b_tree, shapes, assignment, seed + k)
        try:
            _, got = _evaluate(a_tree, shapes, assignment, seed + k)
        except ShapeError as err:
            return Equivalence(Verdict.NOT_EQUAL, err.note)
        except ZeroDivisionError:
            return Equivalence(Verdict.NOT_EQUAL, Note("matrix.divides_by_zero", {}))
        exact = _is_exact(got) and _is_exact(want)
        if np.shape(got) != np.shape(want):
            if np.ndim(got) == 2 and np.shape(got) == np.shape(want)[::-1] and _equal(got.T, want, exact):
                return Equivalence(Verdict.NOT_EQUAL, Note("matrix.transposed", {"shape": ev.shape(want)}))
            return Equivalence(Verdict.NOT_EQUAL, Note("matrix.shape", {"got": ev.shape(got), "want": ev.shape(want)}))
        if not _equal(got, want, exact):
            return Equivalence(Verdict.NOT_EQUAL, _difference(a_tree, b_tree, shapes, seed))
        results.append(exact)
    return Equivalence(Verdict.EQUAL, Note("matrix.equal" if all(results) else "matrix.equal_float", {}))


def _difference(a_tree, b_tree, shapes, seed: int) -> Note:
    """Why two same-shaped answers differ: a sign, a dimension as a factor (the same one under both size
    assignments), another constant factor, or only that they differ."""
    ratios, named = [], []
    for assignment in _assignments(_dims(shapes), seed)[:2]:
        got, want = (_evaluate(t, shapes, assignment, seed)[1] for t in (a_tree, b_tree))
        ratio = _ratio(got, want) if np.shape(got) == np.shape(want) else None
        ratios.append(ratio)
        named.append({(dim, op) for dim, size in assignment.items()
                      for op, r in (("divide", Fraction(size)), ("multiply", Fraction(1, size))) if ratio == r})
    if ratios[0] == -1 and ratios[1] == -1:
        return Note("matrix.sign", {})
    for dim, op in sorted(named[0] & named[1]):
        return Note("matrix.factor_dim", {"dim": dim, "op": op})
    if ratios[0] is not None and ratios[1] is not None and ratios[0] != 0 and _same(ratios[0], ratios[1]):
        factor = ratios[0]
        shown = f"{float(factor):g}" if isinstance(factor, Fraction) else mpmath.nstr(factor, 15)
        return Note("matrix.factor", {"factor": shown})
    return Note("matrix.differs", {})
