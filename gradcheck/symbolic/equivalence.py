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
import re
import signal
import time
from decimal import Decimal, InvalidOperation

import sympy as sp

from ..report.model import Note
from ..sandbox.limits import run_limited
from .derive import parse_definitions, substitute_all
from .parse import FUNCTIONS, ParseError, parse

DIGITS = 30
#: Two expressions are equal at a point when they agree to this fraction of the expected answer's own size
#: (its value, or its terms before they cancel), evaluated with DIGITS digits: a question is exact unless it
#: declares a tolerance, which only numeric answers use.
EXACT_RTOL = 1e-20
#: Distances from a kink (of abs, max, min, sign, Heaviside) at which it is sampled on both sides.
KINK_OFFSETS = (1e-3, 0.15)


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
    read_as: str = ""  # the answer as it was read, so a misreading shows before it costs points

    def __bool__(self) -> bool:
        return self.verdict is Verdict.EQUAL

    def explain(self, lang: str = "en", reveal: bool = True) -> str:
        """The verdict in ``lang``; with ``reveal=False`` (an exam) no expected value or hint is shown."""
        if not reveal and self.verdict is Verdict.NOT_EQUAL:
            hidden = Equivalence(self.verdict, Note("equiv.not_equal_hidden", {}), read_as=self.read_as,
                                 notes=[n for n in self.notes if n.key.startswith("equiv.extra_variable")])
            return hidden.explain(lang)
        reason = self.reason.render(lang)
        if not self.read_as:
            return " ".join([reason] + [n.render(lang) for n in self.notes])
        read = Note("equiv.read_as", {"expr": self.read_as}).render(lang)
        return " ".join([read, reason[:1].upper() + reason[1:]] + [n.render(lang) for n in self.notes])

    def to_json(self) -> dict:
        """Plain data, for the trip from the child process that decided it."""
        note = lambda n: {"key": n.key, "params": n.params}  # noqa: E731
        return {"verdict": self.verdict.value, "reason": note(self.reason), "witness": self.witness,
                "notes": [note(n) for n in self.notes]}

    @classmethod
    def from_json(cls, data: dict) -> "Equivalence":
        return cls(Verdict(data["verdict"]), Note(data["reason"]["key"], data["reason"]["params"]), data["witness"],
                   [Note(n["key"], n["params"]) for n in data["notes"]])


def _fmt(v) -> str:
    return f"{float(v):.6g}"


def _fmt_pair(a, b) -> tuple[str, str]:
    """Both values with just enough digits to tell them apart (up to DIGITS)."""
    sa = sb = ""
    for digits in range(6, DIGITS + 1):
        sa, sb = (_shown(v, digits) for v in (a, b))
        if sa != sb:
            break
    return sa, sb


def _shown(v, digits: int) -> str:
    """``v`` to ``digits`` significant digits, without trailing zeros."""
    text = sp.Float(v, DIGITS).evalf(digits).__format__("") if not isinstance(v, float) else f"{v:.{digits}g}"
    text = text.replace("E", "e")
    if "e" not in text and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _value(expr: sp.Expr, point: dict, digits: int = DIGITS):
    """The real value of ``expr`` at ``point`` to ``digits`` digits (a SymPy Float), or None where it is not real."""
    try:
        v = expr.evalf(digits, subs=point)
        re, im = (sp.Float(0), sp.Float(0)) if v == 0 else v.as_real_imag()
        re, im = sp.Float(re, digits), sp.Float(im, digits)
    except (TypeError, ValueError, ZeroDivisionError, OverflowError, AttributeError):
        return None
    if not (re.is_finite and im.is_finite) or abs(im) > sp.Float(1e-25) * max(1, abs(re)):
        return None
    return re


def _scale(expr: sp.Expr, point: dict):
    """An upper bound on the rounding a 30-digit evaluation can suffer (what cancels in sums), without
    expanding: sums become sums of absolute values, products act on absolute values, and an integer power
    passes its base's bound on by its derivative.  Kept as a SymPy number: 9^900 does not fit a float."""
    if expr.is_Add:
        return sum((_scale(a, point) for a in expr.args), sp.Float(0))
    if expr.is_Mul:
        out = sp.Float(1)
        for a in expr.args:
            out *= _scale(a, point)
        return out
    if expr.is_Pow and expr.exp.is_Integer and expr.exp > 0:
        # an error e in the base becomes n |b|^(n-1) e: (sum of |terms|)^n would accept anything where the
        # base nearly cancels (3 (x+y+z)^200 for (x+y+z)^200 with x + y + z near 0)
        n, base = int(expr.exp), _value(expr.base, point)
        b = abs(base) if base is not None else sp.Float(0)
        return max(b**n, n * b ** (n - 1) * _scale(expr.base, point))
    v = _value(expr, point)
    return abs(v) if v is not None else sp.Float(0)


_KINKED = (sp.Abs, sp.sign, sp.Heaviside, sp.Max, sp.Min)


def _kink_arguments(exprs) -> list[sp.Expr]:
    """The expressions whose zeros are kinks: abs, sign and Heaviside of an argument, max and min of several
    (where two of them are equal), and the conditions of a piecewise expression."""
    found = []
    for expr in exprs:
        for f in expr.atoms(*_KINKED):
            found += [f.args[0]] if not isinstance(f, (sp.Max, sp.Min)) else [a - b for a in f.args for b in f.args if a != b]
        for f in expr.atoms(sp.Piecewise):
            for _, condition in f.args:
                if isinstance(condition, sp.core.relational.Relational):
                    found.append(condition.lhs - condition.rhs)
    return found


def _real_roots(expr: sp.Expr, symbol: sp.Symbol, seconds: float) -> list[float]:
    """The real zeros of ``expr`` in ``symbol`` that SymPy's solver finds in time: all of a finite set, and of
    a periodic family (``sin(x) = 0.99999999``) the members nearest 0."""
    roots = _within(seconds, sp.solveset, expr, symbol, sp.S.Reals)
    members = []
    if isinstance(roots, sp.FiniteSet):
        members = list(roots)
    elif isinstance(roots, sp.Union):
        parts = [a for a in roots.args if isinstance(a, (sp.FiniteSet, sp.ImageSet))]
        members = [m for part in parts for m in (part.args if isinstance(part, sp.FiniteSet) else _image_members(part))]
    elif isinstance(roots, sp.ImageSet):
        members = _image_members(roots)
    out = []
    for root in members:
        value = _value(root, {})
        if value is not None and abs(value) < 1e12:
            out.append(float(value))
    return out


def _image_members(image: sp.ImageSet) -> list[sp.Expr]:
    """A periodic family's members for n = -2..2 (an integer-indexed ImageSet)."""
    try:
        return [image.lamda(n) for n in range(-2, 3)]
    except (TypeError, ValueError):
        return []


#: Seconds per variable for finding special points: enough for the arguments learners write, bounded for any.
SPECIAL_SECONDS = 1.0
#: Functions whose argument's extremes are where a narrow feature hides (a bump exp(-1e8 (x-7)^2)).
_SMOOTH = (sp.exp, sp.sin, sp.cos, sp.tan, sp.tanh, sp.log)


def _held(arg: sp.Expr, symbol: sp.Symbol, point: dict | None) -> sp.Expr | None:
    held = arg.subs({s: v for s, v in (point or {}).items() if s != symbol})
    return held if held.free_symbols == {symbol} else None


def _kinks(exprs, symbol: sp.Symbol, point: dict | None = None, seconds: float = 0.5) -> list[float]:
    """Where ``symbol`` crosses a kink of ``exprs``, the other variables held at ``point``: every real zero of
    every kink argument, found by SymPy's solver (``x^2 - 9``, ``exp(x) - 20``, ``x + y - 6``), not only the
    arguments linear in one variable, and the members of a periodic family nearest 0."""
    found = set()
    for arg in _kink_arguments(exprs):
        if symbol not in arg.free_symbols:
            continue
        held = _held(arg, symbol, point)
        if held is not None:
            found.update(_real_roots(held, symbol, seconds))
    return sorted(found)


def _special_points(exprs, symbol: sp.Symbol, kinks: list[float], point: dict | None = None,
                    seconds: float = 0.5) -> list[float]:
    """Points a narrow feature hides at, besides the ``kinks``: the extremes of the argument of exp, sin, cos,
    log and of a power's exponent (the centre of a bump), and midway between adjacent kinks (a narrow step)."""
    found = set()
    until = time.monotonic() + SPECIAL_SECONDS
    arguments = {f.exp if isinstance(f, sp.Pow) else f.args[0] for expr in exprs
                 for f in expr.atoms(*_SMOOTH) | {p for p in expr.atoms(sp.Pow) if p.exp.free_symbols}}
    for arg in sorted(arguments, key=sp.default_sort_key):
        held = _held(arg, symbol, point)
        linear = held is not None and held.is_polynomial(symbol) and sp.degree(held, symbol) <= 1
        if held is None or linear or time.monotonic() > until:  # a linear argument has no extreme inside
            continue
        found.update(_real_roots(sp.diff(held, symbol), symbol, min(seconds, max(0.05, until - time.monotonic()))))
    found.update((a + b) / 2 for a, b in zip(kinks, kinks[1:]))
    return sorted(found)


#: Magnitudes the sample points are drawn from, as (low, high, share): the usual range, then one point of each
#: sign in each band near 0 and each band of large values, so every comparison reaches from 1e-7 to 1e4.
MAGNITUDES = ((0.2, 2.6, 6), (1e-7, 1e-5, 1), (1e-5, 1e-3, 1), (1e-3, 0.2, 1), (2.6, 50, 1), (50, 1e3, 1), (1e3, 1e4, 1))
#: Denominators of the sample points are large primes, so no expression can be made exact on a grid.
_PRIMES = (1000003, 1000033, 1000037, 1000039, 1000081, 1000099, 1000117, 1000121, 1000133, 1000151)


def _points(symbols: list[sp.Symbol], seed: int | None, exprs=(), domain: dict | None = None) -> list[dict]:
    """Eighteen points, each variable negative at half of them, at magnitudes from 1e-7 to 1e4 (log-uniform
    outside the usual range), rationals with a large prime denominator (off any decimal grid), plus points
    on both sides of every kink.  With ``seed`` None they are drawn fresh from the system's randomness: no
    answer can be fitted to points it knows in advance.  ``domain`` maps a variable's name to the (low,
    high) it is drawn from (a question's declared domain; (0, inf) for a positive one)."""
    rng = random.Random(seed) if seed is not None else random.SystemRandom()
    domain = domain or {}
    # every band on both signs (an answer may be wrong only where x < -3), the usual band half each way
    usual, share = MAGNITUDES[0][:2], MAGNITUDES[0][2]
    strata = [(usual, sign) for sign in [1, -1] * (share // 2)]
    strata += [((low, high), sign) for low, high, n in MAGNITUDES[1:] for _ in range(n) for sign in (1, -1)]
    strata = {s: rng.sample(strata, len(strata)) for s in symbols}
    signs = {s: [sign for _, sign in strata[s]] for s in symbols}
    bands = {s: [band for band, _ in strata[s]] for s in symbols}
    count = len(next(iter(strata.values()), ()))

    def exact(v: float) -> sp.Rational:
        q = rng.choice(_PRIMES)
        return sp.Rational(int(round(v * q)), q) if abs(v) * q >= 1 else sp.Rational(repr(v))

    def magnitude(low: float, high: float) -> float:
        return rng.uniform(low, high) if high / low < 20 else math.exp(rng.uniform(math.log(low), math.log(high)))

    def draw(s, sign: int, k: int | None = None) -> float:
        size = magnitude(*(bands[s][k] if k is not None else MAGNITUDES[0][:2]))
        if str(s) not in domain:
            return sign * size
        low, high = domain[str(s)]
        if not (math.isfinite(low) and math.isfinite(high)):  # a half-line: magnitudes from its end
            return low + size if low >= 0 else high - size if high <= 0 else sign * size
        if low < 0 < high:  # an interval across 0: each sign from its own side
            return rng.uniform(low, -1e-3) if sign < 0 else rng.uniform(1e-3, high)
        return rng.uniform(low, high)

    pts = [{s: exact(draw(s, signs[s][k], k)) for s in symbols} for k in range(count)]
    base = pts[0] if pts else {}
    for s in symbols:
        low, high = domain.get(str(s), (-math.inf, math.inf))
        kinks = _kinks(exprs, s, base)
        near = [root + side * offset * (1 + rng.random()) * max(1.0, abs(root))
                for root in kinks for offset in KINK_OFFSETS for side in (-1, 1)]
        for v in _special_points(exprs, s, kinks, base) + near:
            value = exact(v)
            if low <= value <= high:
                pts.append({**base, s: value})
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


def _differs_precisely(a: sp.Expr, b: sp.Expr, point: dict, scale) -> bool:
    """Whether a difference seen at DIGITS digits survives evaluation with as many more digits as the two
    sides' terms are large: ``cosh(x)^2 - sinh(x)^2`` at x = 700 cancels 600 digits, which 30 cannot hold,
    and ``10^100 (sin^2 + cos^2 - 1)`` is still 0, never a tolerance of 10^72.  A point that cannot be
    evaluated so precisely in time is no witness (the points where the terms are small decide)."""
    size = max(sp.Float(1), _scale(a, point), _scale(b, point))
    if size <= 1:
        return True
    digits = DIGITS + int(sp.log(size, 10).evalf(10)) + 10
    if digits > MAX_PRECISE_DIGITS:
        return False
    box: list = []
    if _within(POINT_SECONDS * 5, lambda: box.append((_value(a, point, digits), _value(b, point, digits))) or True) is None:
        return False
    av, bv = box[0]
    return av is not None and bv is not None and abs(av - bv) > EXACT_RTOL * scale + sp.Float(10) ** -(DIGITS - 2)


#: The most digits a point is evaluated with to see through cancellation.
MAX_PRECISE_DIGITS = 20000


#: Seconds one expression may take at one sample point (a nested exponential at a large point needs more
#: digits than any answer): such a point is left out, not waited for.
POINT_SECONDS = 0.2


def _evaluate(expr: sp.Expr, point: dict) -> tuple:
    """(``_value`` of ``expr`` at ``point``, whether it ran out of time)."""
    box: list = []
    finished = _within(POINT_SECONDS, lambda: box.append(_value(expr, point)) or True)
    return (box[0] if box else None), finished is None


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


def _rounding(text: str) -> tuple[int, int] | None:
    """(significant digits, decimal places) of a number as written (``2.5e-3``: 2 digits, 4 places; the
    exponent's characters are not digits), or None when the text is not a plain decimal number."""
    try:
        sign, digits, exponent = Decimal(text.strip()).as_tuple()
    except InvalidOperation:
        return None
    if not isinstance(exponent, int):
        return None
    significant = len("".join(map(str, digits)).lstrip("0")) or 1
    return significant, max(0, -exponent)


def _compare_numbers(a: sp.Expr, b: sp.Expr, text: str, tol: float) -> Equivalence:
    """Two numbers compared exactly where they are rational, else at DIGITS digits with SymPy's unbounded
    exponents: ``10^400`` is never a float's infinity equal to everything, ``--tol 0`` means equal."""
    if a == b:
        return Equivalence(Verdict.EQUAL, Note("equiv.equal"))
    av, bv = _value(a, {}), _value(b, {})
    if av is None or bv is None:
        return Equivalence(Verdict.NOT_EQUAL, Note("equiv.differs_number", {"got": shown(a), "want": shown(b)}))
    exact = (a - b).is_Rational and a.is_Rational and b.is_Rational
    difference = abs(a - b) if exact else abs(av - bv)
    size = max(abs(a), abs(b)) if exact else max(abs(av), abs(bv))
    if difference <= sp.Rational(repr(float(tol))) * size:
        return Equivalence(Verdict.EQUAL, Note("equiv.equal"))
    written = _rounding(text)
    if written is not None and written[0] >= 3 and difference <= sp.Rational(1, 2) * sp.Rational(10) ** -written[1] \
            * (1 + sp.Rational(1, 10**12)):
        return Equivalence(Verdict.EQUAL, Note("equiv.equal_rounded", {"answer": text.strip(), "expected": _fmt_pair(bv, bv)[0]}))
    got, want = _fmt_pair(av, bv)
    return Equivalence(Verdict.NOT_EQUAL, Note("equiv.differs_number", {"got": got, "want": want}))


def _pattern(pairs: list[tuple[float, float]]) -> Note | None:
    ratios = [g / w for g, w in pairs if w != 0]
    if len(ratios) >= 2 and all(abs(r - ratios[0]) <= 1e-9 * max(1, abs(ratios[0])) for r in ratios):
        if abs(ratios[0] + 1) <= 1e-9:
            return Note("equiv.sign", {})
        return Note("equiv.factor", {"factor": _fmt(ratios[0])})
    offsets = [g - w for g, w in pairs]
    if len(offsets) >= 2 and all(abs(o - offsets[0]) <= 1e-9 * max(1, abs(offsets[0])) for o in offsets):
        return Note("equiv.offset", {"offset": _fmt(offsets[0])})
    return None


def equivalent(answer, expected, where=None, tol: float = 1e-9, variables=None, seed: int | None = None, timeout: float = 10.0,
               domain: dict | None = None):
    """Is ``answer`` equal to ``expected`` once the intermediate definitions in ``where`` are substituted?
    ``domain`` maps a variable to the (low, high) its sample points are drawn from (a question's domain).

    Both are text (parsed safely; a ParseError says what is wrong) or SymPy
    expressions.  ``tol`` is the relative tolerance for purely numeric answers.
    The decision runs in a child process with CPU and memory limits: an
    expression whose evaluation would not end in ``timeout`` seconds is UNDECIDED.
    """
    job = _prepare(answer, expected, where, tol, variables, seed, domain)
    outcome = run_limited(lambda: _decide(*job, timeout / 2).to_json(), timeout=timeout, memory_mb=2048)
    if outcome.ok:
        result = Equivalence.from_json(outcome.value)
    else:
        result = Equivalence(Verdict.UNDECIDED, Note("equiv.undecided", {"reason": why_undecided(outcome, timeout)}))
    result.read_as = shown(job[0])
    _note_reading(result, answer)
    return result


_TIGHT_POWER = re.compile(r"(\w*)\s*\^\s*(-?\s*\d+(?:\.\d+)?)\s*([A-Za-z][A-Za-z0-9]*)")


def _note_reading(result: Equivalence, answer) -> None:
    """A wrong answer whose power takes only the number after ``^`` (``e^-2x`` is e^(-2)·x) is told how to
    write the exponent it likely meant; a right one needs no such sentence."""
    if result.verdict is not Verdict.NOT_EQUAL or not isinstance(answer, str):
        return
    m = _TIGHT_POWER.search(answer)
    if m and not any(m.group(1).endswith(f) for f in FUNCTIONS):  # tanh^2 x is tanh(x)^2, as meant
        base, power, name = m.group(1)[-1:] if m.group(1) else "", m.group(2).replace(" ", ""), m.group(3)
        result.notes.append(Note("equiv.power_binds", {"text": f"{base}^{power}{name}", "power": f"{base}^({power})",
                                                      "name": name, "meant": f"{base}^({power}{name})"}))


def why_undecided(outcome, timeout: float) -> str:
    """What kept the decision from being made, as it happened: out of memory, out of time, or an error."""
    if outcome.status == "memory":
        return Note("symbolic.memory").render()
    if outcome.status == "error":
        return Note("symbolic.error", {"detail": outcome.detail[:200]}).render()
    return Note("symbolic.timeout", {"seconds": f"{timeout:g}"}).render()


def shown(expr) -> str:
    """An expression as a learner writes it: ^ for powers, no spaces around * and /."""
    return sp.sstr(expr).replace("**", "^").replace(" * ", "*").replace(" / ", "/").replace("Abs(", "abs(")


def _prepare(answer, expected, where, tol: float, variables, seed: int, domain: dict | None = None) -> tuple:
    """The parsed pair and its definitions, ready for ``_decide``; a ParseError says what is wrong."""
    defs, names = parse_definitions(where, extra_names=variables or ())
    a = parse(answer, variables=names) if isinstance(answer, str) else sp.sympify(answer)
    b = parse(expected, variables=names) if isinstance(expected, str) else sp.sympify(expected)
    text = answer if isinstance(answer, str) else str(answer)
    return a, b, defs, text, tol, seed, dict(domain or {})


def equivalent_many(items: list[dict], timeout: float = 10.0) -> list:
    """``equivalent`` for each item (``answer``, ``expected`` and optionally ``where``, ``tol``, ``variables``,
    ``alternatives``), decided in one limited child: a question sheet costs one fork, not one per question.
    ``alternatives`` are (note, expression) pairs, the answers a known mistake gives (or a function returning
    them, called only for a wrong answer): a wrong answer equal to one gets its note.  An item that
    cannot be parsed gets its ParseError in its place; if the whole sheet runs out of time or memory, each
    item is decided again on its own, so one hard answer cannot cost the others theirs."""
    jobs: list = []
    for item in items:
        try:
            jobs.append(_prepare(item["answer"], item["expected"], item.get("where"), item.get("tol", 1e-9),
                                 item.get("variables", ()), item.get("seed"), item.get("domain")))
        except ParseError as err:
            jobs.append(err)
    todo = [(j, item.get("alternatives", ())) for j, item in zip(jobs, items) if _undecided(j)]
    outcome = run_limited(lambda: [_decide_with(j, alts, timeout / 2).to_json() for j, alts in todo],
                          timeout=timeout * max(1, len(todo)), memory_mb=2048) if todo else None
    decided = iter([Equivalence.from_json(v) for v in outcome.value] if outcome and outcome.ok else [])
    out = []
    for item, job in zip(items, jobs):
        if isinstance(job, ParseError):
            out.append(job)
        elif not _undecided(job):
            out.append(Equivalence(Verdict.EQUAL, Note("equiv.equal")))
        elif outcome.ok:
            out.append(next(decided))
        else:
            out.append(equivalent(item["answer"], item["expected"], item.get("where"), item.get("tol", 1e-9),
                                  item.get("variables", ()), item.get("seed"), timeout, item.get("domain")))
        if isinstance(out[-1], Equivalence):
            out[-1].read_as = shown(job[0])
            _note_reading(out[-1], item["answer"])
    return out


def _undecided(job) -> bool:
    """Whether a prepared pair needs the limited child: not when it failed to parse, nor when the answer
    parsed to the very expression expected (a structural comparison, which evaluates nothing)."""
    return not isinstance(job, ParseError) and job[0] != job[1]


def _decide_with(job: tuple, alternatives, proof_seconds: float) -> Equivalence:
    """``_decide``, then for a wrong answer the first named mistake whose answer it equals."""
    result = _decide(*job, proof_seconds)
    if result.verdict is Verdict.NOT_EQUAL:
        a, _, defs, text, tol, seed, domain = job
        for note, expr in alternatives() if callable(alternatives) else alternatives:
            if _decide(a, expr, defs, text, tol, seed, domain, proof_seconds).verdict is Verdict.EQUAL:
                result.notes.append(note)
                break
    return result


def _decide(a, b, defs, text: str, tol: float, seed: int, domain: dict, proof_seconds: float) -> Equivalence:
    a_full, b_full = substitute_all(a, defs), substitute_all(b, defs)
    if not a_full.free_symbols and not b_full.free_symbols:
        return _compare_numbers(a_full, b_full, text, tol)
    difference = a_full - b_full
    if difference == 0:  # the same expression once written out: a proof, no sampling needed
        return Equivalence(Verdict.EQUAL, Note("equiv.equal"))
    if difference.is_number and difference.is_zero is False:  # the same terms cancelled, a constant is left
        offset = _value(difference, {})
        if offset is not None:
            return Equivalence(Verdict.NOT_EQUAL, Note("equiv.constant_offset", {"offset": _fmt(offset)}))
    symbols = sorted(a_full.free_symbols | b_full.free_symbols, key=str)
    usable, witness, not_real, largest = 0, None, None, 0
    pairs, checked = [], []
    # a rational function with rational coefficients is evaluated exactly: 3.000000000000000000001x^2 is not 3x^2
    rational = all(n.is_Rational for n in difference.atoms(sp.Number)) and difference.is_rational_function(*symbols)
    for point in _points(symbols, seed, (a_full, b_full), domain):
        (av, slow_a), (bv, slow_b) = _evaluate(a_full, point), _evaluate(b_full, point)
        if slow_a or slow_b:  # cos(exp(exp(y))) at a large y: this point cannot be evaluated in time
            continue
        if bv is None:  # the expected answer is not real (or undefined) here: outside the question's domain
            continue
        if av is None:  # the answer is not real (or undefined) where the expected one is: a difference
            not_real = not_real or (point, bv)
            continue
        usable += 1
        checked.append((point, bv))
        if rational:
            exact = _within(1.0, lambda p=point: difference.subs(p))
            if exact is not None and exact.is_Rational:
                pairs.append((float(av), float(bv)))
                size = abs(exact) / max(1, abs(bv))
                if exact != 0 and (witness is None or size > largest):  # shown where the difference shows most
                    witness, largest = (point, av, bv), size
                continue
        scale = max(abs(bv), _scale(b_full, point))  # the expected answer's size, never the answer's
        pairs.append((float(av), float(bv)))
        if abs(av - bv) > EXACT_RTOL * scale + sp.Float(10) ** -(DIGITS - 2) and witness is None \
                and _differs_precisely(a_full, b_full, point, scale):
            witness = (point, av, bv)
    if witness is not None:
        return _not_equal(witness, pairs, a_full, b_full, defs)
    if not_real is not None:
        point, bv = not_real
        where = ", ".join(f"{s}={float(v):g}" for s, v in point.items())
        return Equivalence(Verdict.NOT_EQUAL, Note("equiv.not_real", {"point": where, "want": _fmt_pair(bv, bv)[0]}),
                           {str(s): float(v) for s, v in point.items()})
    if rational and _within(proof_seconds, lambda: sp.cancel(difference)) == 0:
        return Equivalence(Verdict.EQUAL, Note("equiv.equal"))
    if usable < 3:
        return Equivalence(Verdict.UNDECIDED, Note("equiv.undecided", {"reason": Note("equiv.undefined_everywhere").render()}))
    if _within(proof_seconds, _symbolic_zero, a_full - b_full) is True:
        return Equivalence(Verdict.EQUAL, Note("equiv.equal"))
    tiny = _residue(difference, b_full, checked)
    if tiny is not None:
        point, value = tiny
        where = ", ".join(f"{s}={float(v):g}" for s, v in point.items())
        shown_value = _shown(value, 6) if abs(value) > 0 else f"below 1e-{RESIDUE_DIGITS}, never 0"
        return Equivalence(Verdict.NOT_EQUAL, Note("equiv.differs_tiny", {"point": where, "difference": shown_value}),
                           {str(s): float(v) for s, v in point.items()})
    return Equivalence(Verdict.EQUAL, Note("equiv.equal_numeric", {"points": usable}))


#: Digits the difference itself is evaluated with before agreement at the sample points counts: a learner's
#: answer is exact (its decimals are read as fractions), so only evaluation's own rounding may be forgiven.
RESIDUE_DIGITS = 60


def _residue(difference: sp.Expr, expected: sp.Expr, checked: list) -> tuple[dict, sp.Expr] | None:
    """A point where the difference, evaluated as one expression at RESIDUE_DIGITS digits, is not zero
    (``sin(x)/10^25``), or any point when SymPy knows it is never zero (``exp(x - 10^5)``, far below any
    tolerance, or ``log(1 + exp(x - 10^6))``, below even 60 digits)."""
    if not checked:
        return None
    never = _within(0.5, lambda: difference.is_zero)
    for point, bv in checked[:8]:
        box: list = []
        if _within(POINT_SECONDS * 5, lambda p=point, box=box: box.append(_value(difference, p, RESIDUE_DIGITS)) or True) is None:
            continue
        value = box[0] if box else None
        if value is None:
            continue
        scale = max(sp.Float(1), abs(bv), _scale(expected, point))
        if never is False or abs(value) > sp.Float(10) ** -(RESIDUE_DIGITS - 15) * scale:
            return point, value
    return None


def _missing_factor(a_full, b_full, defs: dict, point: dict) -> Note | None:
    """A chain-rule factor dv/du of the definitions that, multiplied in, turns the answer into the expected one
    (at the witness point and two more): the learner stopped the chain rule one link early."""
    base = {s: v for s, v in point.items()}
    others = [{s: v * sp.Rational(7, 5) + sp.Rational(1, 3) for s, v in base.items()},
              {s: -v * sp.Rational(3, 4) - sp.Rational(1, 7) for s, v in base.items()}]
    for v, definition in sorted(defs.items(), key=lambda kv: str(kv[0])):
        for u in sorted(definition.free_symbols, key=str):
            factor = sp.diff(definition, u)
            if factor == 0 or factor == 1:
                continue
            candidate = a_full * substitute_all(factor, defs)
            if all(_close(_value(candidate, p), _value(b_full, p)) for p in [base] + others):
                return Note("equiv.missing_factor", {"factor": f"d{v}/d{u} = {shown(factor)}"})
    return None


def _close(a, b) -> bool:
    return a is not None and b is not None and abs(a - b) <= EXACT_RTOL * max(1, abs(b)) * 1e6


def _not_equal(witness, pairs, a_full, b_full, defs) -> Equivalence:
    point, av, bv = witness
    where = ", ".join(f"{s}={float(v):g}" for s, v in point.items())
    got, want = _fmt_pair(av, bv)
    result = Equivalence(
        Verdict.NOT_EQUAL,
        Note("equiv.differs", {"point": where, "got": got, "want": want}),
        {str(s): float(v) for s, v in point.items()},
    )
    missing = _missing_factor(a_full, b_full, defs, point)
    pattern = None if missing is not None else _pattern(pairs)
    for note in (missing, pattern):
        if note is not None:
            result.notes.append(note)
    extra = sorted(str(s) for s in a_full.free_symbols - b_full.free_symbols - set(defs))
    if extra:
        known = sorted(str(s) for s in b_full.free_symbols | set(defs))
        result.notes.append(Note("equiv.extra_variable", {"names": ", ".join(extra), "known": ", ".join(known)}) if known
                            else Note("equiv.extra_variable_number", {"names": ", ".join(extra)}))
    return result
