"""A question of their own for every student: an answers exercise may declare parameters
(``[params] a = "randint(2, 9)"``, ``b = "choice([2, 3, 5])"``) that its prompts (``{a}``) and expected answers
(``a*x + b``, or ``derive(a*z^2 - b*z + 2, x)`` with the question's ``where``) use.  The values come from the
student's id and the exercise's ``variant_seed``: the same student always gets the same question, and the
``[defaults]`` give the exercise as it is written for everyone else (its solution and self-tests).
Parameter specs are read by a pattern, never evaluated."""

from __future__ import annotations

import functools
import hashlib
import random
import re
from dataclasses import replace

from .bank import Exercise, Question, param_options

#: An expected answer worked out by gradcheck: derive(EXPR, VAR).
DERIVE = re.compile(r"derive\((.*),\s*([A-Za-z]\w*)\s*\)")


def values(exercise: Exercise, student: str | None) -> dict:
    """The parameters' values for ``student``; the defaults for None (or an exercise without parameters)."""
    if student is None or not exercise.params:
        return dict(exercise.defaults)
    digest = hashlib.sha256(f"{exercise.id}\0{exercise.variant_seed}\0{student}".encode()).digest()
    rng = random.Random(int.from_bytes(digest[:8], "big"))
    return {name: rng.choice(param_options(spec)) for name, spec in sorted(exercise.params.items())}


def _fill(text: str, vals: dict) -> str:
    """A prompt with the values in; a coefficient 1 or -1 before a letter or bracket is written as a
    learner would (``{b}z`` with b = 1 is ``z``)."""
    for name, value in vals.items():
        coefficient = {1: "", -1: "-"}.get(value) if float(value).is_integer() else None
        if coefficient is not None:
            text = re.sub(r"\{" + name + r"\}(?=[A-Za-z(])", coefficient, text)
        text = text.replace("{" + name + "}", str(value))
    return text


def _uses(q: Question, vals: dict) -> bool:
    """Whether a question's expected answer or definitions mention a parameter (its prompt alone may too)."""
    texts = [q.expected, *q.where.values()]
    return bool(DERIVE.fullmatch(q.expected.strip())) or any(_mentions(t, n) for n in vals for t in texts)


def _put(text: str, vals: dict, names: list[str]) -> str:
    """``text`` parsed with the parameters as symbols and their values put in, as a learner would write it."""
    from ..symbolic.equivalence import shown
    from ..symbolic.parse import parse

    import sympy as sp

    value = parse(text, variables=names).subs({_symbol(n): sp.Rational(str(v)) for n, v in vals.items()})
    return _decimal(value) or shown(value)


def _decimal(value) -> str | None:
    """A rational number whose decimal ends (1439/100) written as the decimal a learner would type (14.39)."""
    if not (value.is_Rational and not value.is_Integer):
        return None
    q = int(value.q)
    for p in (2, 5):
        while q % p == 0:
            q //= p
    return format(float(value), ".15g") if q == 1 else None


def _filled(q: Question, vals: dict) -> Question:
    """``q`` with the values put into its expected answer and definitions; ``derive(EXPR, VAR)`` differentiated
    through ``where``, keeping EXPR and VAR so a derivative by another variable can be named."""
    texts = (q.expected, *q.where.values())
    used = tuple(sorted((n, v) for n, v in vals.items() if any(_mentions(t, n) for t in texts)))
    expected, where, function, wrt = _worked(q.expected, tuple(q.where.items()), tuple(q.variables), used)
    return replace(q, expected=expected, where=dict(where), function=function or q.function, wrt=wrt or q.wrt)


@functools.lru_cache(maxsize=4096)
def _worked(expected: str, where_items: tuple, variables: tuple, used: tuple) -> tuple:
    """The expected answer, definitions, and for ``derive(...)`` its function and variable, for the values
    ``used``: worked out once per combination of the values a question mentions, which students share."""
    from ..symbolic.derive import derive
    from ..symbolic.equivalence import shown

    vals = dict(used)
    names = list(vals) + list(variables) + [k for k, _ in where_items]
    where = tuple((k, _put(v, vals, names)) for k, v in where_items)
    m = DERIVE.fullmatch(expected.strip())
    if not m:
        return _put(expected, vals, names), where, None, None
    function = _put(m.group(1), vals, names)
    derived = shown(derive(function, m.group(2), [f"{k}={v}" for k, v in where] or None).derivative)
    return derived, where, function, m.group(2)


def _mentions(text: str, name: str) -> bool:
    return re.search(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])", text) is not None


def _symbol(name: str):
    import sympy as sp

    return sp.Symbol(name, real=True)


def variant(exercise: Exercise, student: str | None) -> Exercise:
    """The exercise as ``student`` sees it: prompts and expected answers with their parameters' values (and any
    ``derive(...)`` expected answer worked out, parameters or not)."""
    if not exercise.params and not any(DERIVE.fullmatch(q.expected.strip()) for q in exercise.questions):
        return exercise
    vals = values(exercise, student)
    questions = []
    for q in exercise.questions:
        prompt = {k: _fill(v, vals) for k, v in q.prompt.items()}
        questions.append(_filled(replace(q, prompt=prompt), vals) if _uses(q, vals) else replace(q, prompt=prompt))
    return replace(exercise, questions=questions, prompt={k: _fill(v, vals) for k, v in exercise.prompt.items()})
