"""How often the answer checker accepts a wrong answer and refuses a right one, over the labelled set in
tests/corpus/answers.toml (right answers as learners type them; wrong ones that fooled earlier checkers).

    python bench/answer_accuracy.py [--rounds N]

Each label is first confirmed by a checker of this file's own: both sides evaluated with SymPy at 120
digits on a fixed grid of magnitudes from 1e-7 to 1e4 on both signs (the parser is shared; the decision is
not).  Then gradcheck decides every pair (``equivalent_many``, one sheet per expected expression), in
``--rounds`` fresh draws of sample points (default 5): a pair counts as wrongly decided if any draw is wrong.  Prints
the wrong answers accepted, the share of right answers accepted, what was undecided (with its reason) and
what raised, and the median seconds per sheet."""

from __future__ import annotations

import statistics
import sys
import time
import tomllib
from pathlib import Path

import sympy as sp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gradcheck.symbolic.derive import parse_definitions, substitute_all  # noqa: E402
from gradcheck.symbolic.equivalence import Verdict, equivalent_many  # noqa: E402
from gradcheck.symbolic.parse import ParseError, parse  # noqa: E402

MAGNITUDES = (1e-7, 1e-3, 0.37, 1.3, 2.9, 3.1, 5.3, 7.7, 29, 51, 101, 199, 201, 401, 999, 1001, 5001, 10001)
OTHERS = (0.7, -0.7, 2.3, 11.0, 101.0)  # values of a second variable
OFF_GRID = sp.Float(1, 130) / 7919000  # added to every point, so no point is a round number


def _sheets() -> list[dict]:
    data = tomllib.loads((ROOT / "tests" / "corpus" / "answers.toml").read_text(encoding="utf-8"))
    return data["answer"]


def _values(expr: sp.Expr, point: dict):
    v = expr.evalf(120, subs=point)
    return v if v.is_real else ("not real" if v.is_finite is not False else "undefined")


def _differs(a: sp.Expr, b: sp.Expr, domain: dict, witness: float | None = None, precise: bool = False) -> bool:
    """Whether ``a`` and ``b`` differ anywhere on the grid (and at the label's ``witness``, a point where a
    narrow difference lies), at 120 digits (a non-real side is a difference)."""
    symbols = sorted(a.free_symbols | b.free_symbols, key=str)
    if witness is not None and len(symbols) == 1 and _apart(a, b, {symbols[0]: sp.Float(repr(witness), 130)}):
        return True
    for m in MAGNITUDES:
        for sign in (1, -1):
            for other in OTHERS[: 1 if len(symbols) < 2 else len(OTHERS)]:
                point = {}
                for i, s in enumerate(symbols):
                    v = sign * m if i == 0 else other
                    lo, hi = domain.get(str(s), (-float("inf"), float("inf")))
                    if not lo <= v <= hi:
                        break
                    point[s] = sp.Float(repr(v), 130) + OFF_GRID
                else:
                    if _apart(a, b, point, precise):
                        return True
    return False


def _apart(a: sp.Expr, b: sp.Expr, point: dict, precise: bool = False) -> bool:
    """Whether the two differ at ``point``: one side not real where the other is, or their values apart at
    120 digits; ``precise`` (to confirm an answer labelled right) confirms a difference by evaluating it as one
    expression with the precision raised as far as cancellation needs (cosh^2 - sinh^2 at 1000)."""
    av, bv = _values(a, point), _values(b, point)
    if isinstance(av, str) or isinstance(bv, str):
        return av != bv
    if abs(av - bv) <= sp.Float(10) ** -100 * max(1, abs(bv)):
        return False
    if not precise:
        return True
    difference = (a - b).evalf(120, subs=point, maxn=40000)
    return abs(difference) > sp.Float(10) ** -100 * max(1, abs(bv))


def _confirm(sheet: dict, answer: str, right: bool) -> str | None:
    """None when the label holds on this file's own grid, else why it does not."""
    defs, _ = parse_definitions(sheet.get("where"))
    try:
        a = substitute_all(parse(answer, symbols={str(s): s for s in defs}), defs)
    except ParseError:
        return None  # an unreadable answer cannot be confirmed here; gradcheck must say so
    b = substitute_all(parse(sheet["expected"]), defs)
    exact_number = not a.free_symbols and not b.free_symbols
    if exact_number:
        return None  # a number's label is about rounding, which the grid cannot judge
    domain = {k: tuple(v) for k, v in sheet.get("domain", {}).items()}
    differs = _differs(a, b, domain, sheet.get("witnesses", {}).get(answer), precise=right)
    if right and differs:
        return "labelled right, differs on the grid"
    if not right and not differs:
        return "labelled wrong, equal on the grid"
    return None


def main(argv: list[str]) -> int:
    rounds = int(argv[argv.index("--rounds") + 1]) if "--rounds" in argv else 5
    wrong_accepted, right_refused, undecided, raised, mislabelled = [], [], [], [], []
    right_total = wrong_total = 0
    seconds = []
    for sheet in _sheets():
        items, labels = [], []
        domain = {k: tuple(v) for k, v in sheet.get("domain", {}).items()}
        for label, answers in (("right", sheet.get("right", [])), ("wrong", sheet.get("wrong", []))):
            for answer in answers:
                problem = _confirm(sheet, answer, label == "right")
                if problem:
                    mislabelled.append((sheet["expected"], answer, problem))
                items.append({"answer": answer, "expected": sheet["expected"], "where": sheet.get("where"),
                              "domain": domain})
                labels.append(label)
        draws = []
        for _ in range(rounds):
            start = time.perf_counter()
            try:
                draws.append(equivalent_many(items))
            except Exception as exc:  # a crash of the checker is what this bench exists to catch
                draws.append([exc] * len(items))
            seconds.append(time.perf_counter() - start)
        for k, (item, label) in enumerate(zip(items, labels)):
            verdict = _worst([d[k] for d in draws], label)
            right_total += label == "right"
            wrong_total += label == "wrong"
            pair = (sheet["expected"], item["answer"])
            if isinstance(verdict, ParseError):
                (right_refused if label == "right" else []).append(pair + (verdict.note.render("en"),))
            elif isinstance(verdict, Exception):
                raised.append(pair + (repr(verdict),))
            elif verdict.verdict is Verdict.UNDECIDED:
                undecided.append(pair + (verdict.explain("en"),))
            elif bool(verdict) and label == "wrong":
                wrong_accepted.append(pair + ("",))
            elif not verdict and label == "right":
                right_refused.append(pair + (verdict.explain("en"),))
    print(f"labelled answers: {right_total} right, {wrong_total} wrong, in {len(_sheets())} sheets, {rounds} draws each")
    print(f"labels contradicted by the 120-digit grid: {len(mislabelled)}")
    print(f"wrong answers accepted: {len(wrong_accepted)} of {wrong_total}")
    accepted = right_total - len(right_refused) - sum(1 for u in undecided if u[1] in _rights())
    print(f"right answers accepted: {accepted} of {right_total} ({100 * accepted / max(1, right_total):.1f}%)")
    print(f"undecided: {len(undecided)}; raised: {len(raised)}")
    print(f"seconds per sheet: median {statistics.median(seconds):.2f}, max {max(seconds):.2f}")
    for title, rows in (("mislabelled", mislabelled), ("WRONG ACCEPTED", wrong_accepted),
                        ("right refused", right_refused), ("undecided", undecided), ("raised", raised)):
        if rows:
            print(f"\n{title}:")
            for expected, answer, why in rows:
                print(f"  {answer!r} for {expected!r}" + (f": {why[:160]}" if why else ""))
    return 1 if wrong_accepted or raised or mislabelled else 0


def _worst(verdicts: list, label: str):
    """The draw that decided against the label, if any did (an exception first, then a wrong verdict)."""
    for v in verdicts:
        if isinstance(v, Exception) and not isinstance(v, ParseError):
            return v
    for v in verdicts:
        if isinstance(v, ParseError) or (bool(v) if label == "wrong" else v.verdict is not Verdict.EQUAL):
            return v
    return verdicts[0]


def _rights() -> set[str]:
    return {a for sheet in _sheets() for a in sheet.get("right", [])}


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
