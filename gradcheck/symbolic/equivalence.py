"""Deciding whether a learner's answer equals the expected one.

First numerically, at seeded random points evaluated to 30 digits (which gives a
counterexample when they differ, and is immune to the cancellation that breaks
float64 comparisons of expanded polynomials); then by a time-limited symbolic
proof in a child process.  Intermediate definitions are substituted first, so an
answer in x, in y, or in both is judged on the same footing.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
import math
import random
import signal
from decimal import Decimal, InvalidOperation

import sympy as sp

from ..report.model import Note
from ..sandbox.limits import run_limited
from .derive import parse_definitions, substitute_all
from .parse import ParseError, parse

DIGITS = 30
POINTS = 12


class Verdict(enum.Enum):
    EQUAL = "equal"
    NOT_EQUAL = "not_equal"
    UNDECIDED = "undecided"


@dataclass
class Equivalence:
    """The verdict, a reason a learner can act on, and a witness point when the answers differ."""

    verdict: Verdict
    reason: Note
    witness: dict[str, float] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.verdict is Verdict.EQUAL

    def explain(self, lang: str = "en") -> str:
        return " ".join([self.reason.render(lang)] + [n.render(lang) for n in self.notes])

    def to_json(self) -> dict:
        """Plain data, for the trip from the child process that decided it."""
        note = lambda n: {"key": n.key, "params": n.params}  # noqa: E731
        return {"verdict": self.verdict.value, "reason": note(self.reason), "witness": self.witness,
                "notes": [note(n) for n in self.notes]}

    @classmethod
    def from_json(cls, data: dict) -> "Equivalence":
        return cls(Verdict(data["verdict"]), Note(data["reason"]["key"], data["reason"]["params"]), data["witness"],
                   [Note(n["key"], n["params"]) for n in data["notes"]])


def _fmt(v: float) -> str:
    return f"{v:.6g}"


def _fmt_pair(a: float, b: float) -> tuple[str, str]:
    """Both values with just enough digits to tell them apart."""
    for digits in range(6, 18):
        sa, sb = f"{a:.{digits}g}", f"{b:.{digits}g}"
        if sa != sb:
            return sa, sb
    return sa, sb


def _value(expr: sp.Expr, point: dict) -> complex | None:
    try:
        v = complex(expr.evalf(DIGITS, subs=point))
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        return None
    if not math.isfinite(v.real) or not math.isfinite(v.imag) or abs(v.imag) > 1e-20 * max(1.0, abs(v.real)):
        return None
    return v.real


def _scale(expr: sp.Expr, point: dict) -> float:
    """An upper bound on the size of the terms being summed (what expansion would cancel), without expanding:
    sums become sums of absolute values, products and integer powers act on absolute values."""
    if expr.is_Add:
        return sum(_scale(a, point) for a in expr.args)
    if expr.is_Mul:
        out = 1.0
        for a in expr.args:
            out *= _scale(a, point)
        return out
    if expr.is_Pow and expr.exp.is_Integer and expr.exp > 0:
        return _scale(expr.base, point) ** int(expr.exp)
    v = _value(expr, point)
    return abs(v) if v is not None else 0.0


def _points(symbols: list[sp.Symbol], seed: int) -> list[dict]:
    rng = random.Random(seed)  # the standard library's: answers are checked without importing NumPy
    pts = []
    for k in range(POINTS):
        values = [rng.randint(3, 24) / 10.0 for _ in symbols]
        if k >= POINTS * 2 // 3:
            values = [v * rng.choice((-1.0, 1.0)) for v in values]
        pts.append({s: sp.Rational(str(v)) for s, v in zip(symbols, values)})
    return pts


class _OutOfTime(Exception):
    pass


def _within(seconds: float, fn, *args):
    """``fn(*args)``, or None when it takes longer than ``seconds`` or runs out of memory.  Runs inside the
    limited child (its main thread), where an interval timer can interrupt SymPy without another fork."""
    def stop(signum, frame):
        raise _OutOfTime

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.01))
    try:
        return fn(*args)
    except (_OutOfTime, MemoryError, RecursionError):
        return None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _symbolic_zero(difference: sp.Expr):
    """True when SymPy proves the difference is zero, None when it cannot tell."""
    if difference == 0 or sp.expand(difference) == 0:
        return True
    for candidate in (difference, difference.rewrite(sp.Piecewise)):
        try:
            if sp.simplify(candidate) == 0:
                return True
        except (TypeError, ValueError, NotImplementedError):
            pass
    try:
        return True if difference.equals(0) else None
    except (TypeError, ValueError, NotImplementedError):
        return None


def _decimal_places(text: str) -> int | None:
    stripped = text.strip()
    try:
        Decimal(stripped)
    except InvalidOperation:
        return None
    return len(stripped.split(".")[1]) if "." in stripped else None


def _compare_numbers(a: sp.Expr, b: sp.Expr, text: str, tol: float) -> Equivalence:
    av, bv = float(a.evalf(DIGITS)), float(b.evalf(DIGITS))
    if abs(av - bv) <= tol * max(abs(av), abs(bv), 1e-300) or a == b:
        return Equivalence(Verdict.EQUAL, Note("equiv.equal"))
    places = _decimal_places(text)
    significant = len(text.strip().lstrip("-+0.").replace(".", ""))
    if places is not None and significant >= 3 and abs(av - bv) <= 0.5 * 10.0**-places * (1 + 1e-12):
        return Equivalence(Verdict.EQUAL, Note("equiv.equal_rounded", {"answer": text.strip(), "expected": _fmt(bv)}))
    return Equivalence(Verdict.NOT_EQUAL, Note("equiv.differs_number", {"got": _fmt(av), "want": _fmt(bv)}))


def _pattern(pairs: list[tuple[float, float]]) -> Note | None:
    ratios = [g / w for g, w in pairs if w != 0]
    if len(ratios) >= 2 and all(abs(r - ratios[0]) <= 1e-9 * max(1, abs(ratios[0])) for r in ratios):
        return Note("equiv.factor", {"factor": _fmt(ratios[0])})
    offsets = [g - w for g, w in pairs]
    if len(offsets) >= 2 and all(abs(o - offsets[0]) <= 1e-9 * max(1, abs(offsets[0])) for o in offsets):
        return Note("equiv.offset", {"offset": _fmt(offsets[0])})
    return None


def equivalent(answer, expected, where=None, tol: float = 1e-9, variables=(), seed: int = 0, timeout: float = 10.0):
    """Is ``answer`` equal to ``expected`` once the intermediate definitions in ``where`` are substituted?

    Both are text (parsed safely; a ParseError says what is wrong) or SymPy
    expressions.  ``tol`` is the relative tolerance for purely numeric answers.
    The decision runs in a child process with CPU and memory limits: an
    expression whose evaluation would not end in ``timeout`` seconds is UNDECIDED.
    """
    job = _prepare(answer, expected, where, tol, variables, seed)
    outcome = run_limited(lambda: _decide(*job, timeout / 2).to_json(), timeout=timeout, memory_mb=2048)
    if outcome.ok:
        return Equivalence.from_json(outcome.value)
    key = "symbolic.memory" if outcome.status == "memory" else "symbolic.timeout"
    return Equivalence(Verdict.UNDECIDED, Note("equiv.undecided", {"reason": Note(key, {"seconds": f"{timeout:g}"}).render()}))


def _prepare(answer, expected, where, tol: float, variables, seed: int) -> tuple:
    """The parsed pair and its definitions, ready for ``_decide``; a ParseError says what is wrong."""
    defs, names = parse_definitions(where, extra_names=variables)
    a = parse(answer, variables=names) if isinstance(answer, str) else sp.sympify(answer)
    b = parse(expected, variables=names) if isinstance(expected, str) else sp.sympify(expected)
    text = answer if isinstance(answer, str) else str(answer)
    return a, b, defs, text, tol, seed


def equivalent_many(items: list[dict], timeout: float = 10.0) -> list:
    """``equivalent`` for each item (``answer``, ``expected`` and optionally ``where``, ``tol``, ``variables``),
    decided in one limited child: a question sheet costs one fork, not one per question.  An item that
    cannot be parsed gets its ParseError in its place; if the whole sheet runs out of time or memory, each
    item is decided again on its own, so one hard answer cannot cost the others theirs."""
    jobs: list = []
    for item in items:
        try:
            jobs.append(_prepare(item["answer"], item["expected"], item.get("where"), item.get("tol", 1e-9),
                                 item.get("variables", ()), item.get("seed", 0)))
        except ParseError as err:
            jobs.append(err)
    todo = [j for j in jobs if not isinstance(j, ParseError)]
    outcome = run_limited(lambda: [_decide(*j, timeout / 2).to_json() for j in todo], timeout=timeout * max(1, len(todo)),
                          memory_mb=2048)
    decided = iter([Equivalence.from_json(v) for v in outcome.value] if outcome.ok else [])
    out = []
    for item, job in zip(items, jobs):
        if isinstance(job, ParseError):
            out.append(job)
        elif outcome.ok:
            out.append(next(decided))
        else:
            out.append(equivalent(item["answer"], item["expected"], item.get("where"), item.get("tol", 1e-9),
                                  item.get("variables", ()), item.get("seed", 0), timeout))
    return out


def _decide(a, b, defs, text: str, tol: float, seed: int, proof_seconds: float) -> Equivalence:
    a_full, b_full = substitute_all(a, defs), substitute_all(b, defs)
    if not a_full.free_symbols and not b_full.free_symbols:
        return _compare_numbers(a_full, b_full, text, tol)
    difference = a_full - b_full
    if difference.is_number and difference.is_zero is False:  # the same terms cancelled, a constant is left
        offset = _value(difference, {})
        if offset is not None:
            return Equivalence(Verdict.NOT_EQUAL, Note("equiv.constant_offset", {"offset": _fmt(offset)}))
    symbols = sorted(a_full.free_symbols | b_full.free_symbols, key=str)
    usable, witness = 0, None
    pairs = []
    for point in _points(symbols, seed):
        av, bv = _value(a_full, point), _value(b_full, point)
        if av is None or bv is None:
            continue
        usable += 1
        scale = max(abs(av), abs(bv), _scale(a_full, point), _scale(b_full, point))
        pairs.append((av, bv))
        if abs(av - bv) > 1e-20 + 1e-12 * scale and witness is None:
            witness = (point, av, bv)
    if witness is not None:
        return _not_equal(witness, pairs, a_full, b_full, defs)
    if usable < 3:
        return Equivalence(Verdict.UNDECIDED, Note("equiv.undecided", {"reason": Note("equiv.undefined_everywhere").render()}))
    if _within(proof_seconds, _symbolic_zero, a_full - b_full) is True:
        return Equivalence(Verdict.EQUAL, Note("equiv.equal"))
    return Equivalence(Verdict.EQUAL, Note("equiv.equal_numeric", {"points": usable}))


def _not_equal(witness, pairs, a_full, b_full, defs) -> Equivalence:
    point, av, bv = witness
    where = ", ".join(f"{s}={float(v):g}" for s, v in point.items())
    got, want = _fmt_pair(av, bv)
    result = Equivalence(
        Verdict.NOT_EQUAL,
        Note("equiv.differs", {"point": where, "got": got, "want": want}),
        {str(s): float(v) for s, v in point.items()},
    )
    pattern = _pattern(pairs)
    if pattern is not None:
        result.notes.append(pattern)
    extra = sorted(str(s) for s in a_full.free_symbols - b_full.free_symbols - set(defs))
    if extra:
        known = sorted(str(s) for s in b_full.free_symbols | set(defs)) or ["numbers"]
        result.notes.append(Note("equiv.extra_variable", {"names": ", ".join(extra), "known": ", ".join(known)}))
    return result
