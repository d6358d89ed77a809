"""Code checks that are not gradients: gates on truth tables, functions on value tables, and a learner's
own ``numerical_gradient`` against exact gradients.  All learner calls go through the sandbox."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..layers.perceptron import TRUTH_TABLES
from ..numeric import own_numerical
from ..report.messages import message
from ..sandbox.program import program_for
from ..sandbox.runner import LearnerFault, Limits, Session
from ..sources import read_source
from .bank import CheckSpec, Exercise
from .results import TestResult

def _call(session: Session, name: str, args: list):
    return session.call(name, *args)


def _gate(session: Session, spec: CheckSpec, lang: str) -> tuple[bool, str]:
    table = TRUTH_TABLES[spec.cases[0] if spec.cases else spec.function]
    for (a, b), want in table.items():
        got = _call(session, spec.function, [a, b])
        try:
            ok = int(got) == want
        except (TypeError, ValueError):
            ok = False
        if not ok:
            return False, message("grade.gate_row", lang, name=spec.function, a=a, b=b, want=want, got=repr(got))
    return True, message("grade.passed", lang)


def _values(session: Session, spec: CheckSpec, lang: str) -> tuple[bool, str]:
    for case in spec.cases:
        got = _call(session, spec.function, list(case["args"]))
        if not numbers_close(got, case["expected"]):
            args = ", ".join(repr(a) for a in case["args"])
            return False, message("grade.value_wrong", lang, name=spec.function, args=args, want=case["expected"], got=repr(got))
    return True, message("grade.passed", lang)


def _numerical_gradient(session: Session, spec: CheckSpec, lang: str) -> tuple[bool, str]:
    probes = own_numerical.cases((2, 3))
    replies = session.run_adapter("numgrad", spec.function, {"cases": probes})
    for case, reply in zip(probes, replies):
        wrong, _ = own_numerical.judge(case, reply, spec.function)
        if wrong is not None:
            return False, wrong.render(lang)
    return True, message("grade.passed", lang)


def numbers_close(got, want, rtol: float = 1e-9) -> bool:
    """Elementwise closeness of two nested number structures, after converting to float64 arrays."""
    try:
        g, w = np.array(got, dtype=np.float64), np.array(want, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    return g.shape == w.shape and bool(np.all(np.abs(g - w) <= rtol * np.maximum(1.0, np.abs(w))))


CHECKERS = {"gate": _gate, "values": _values, "numerical_gradient": _numerical_gradient}


def grade_special(exercise: Exercise, file, timeout: float, lang: str) -> dict:
    """Score every non-gradient check of ``exercise`` in one sandboxed child; returns {check name: TestResult}."""

    specs = [c for c in exercise.checks if c.kind != "gradient"]
    if not specs:
        return {}
    source, problem = read_source(str(file))
    if problem is not None:
        return {s.name: TestResult(s.name, 0.0, s.points, problem.render(lang), s.hidden) for s in specs}
    program = program_for(str(file), str(Path(file).parent), source if str(file).endswith(".ipynb") else None, own_tree=False)
    session = Session(None, file.name, Limits(timeout, 2048), program=program)
    out = {}
    try:
        session.start()
        for spec in specs:
            try:
                ok, text = CHECKERS[spec.kind](session, spec, lang)
            except LearnerFault as fault:
                ok, text = False, fault.note(spec.function).render(lang)
            out[spec.name] = TestResult(spec.name, spec.points if ok else 0.0, spec.points, text, spec.hidden)
    except LearnerFault as fault:
        text = fault.note(file.name).render(lang)
        out = {s.name: TestResult(s.name, 0.0, s.points, text, s.hidden) for s in specs}
    finally:
        session.close()
    return out
