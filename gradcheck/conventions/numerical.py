"""A learner's own numerical-gradient routine: the book's ``numerical_gradient(f, x)`` (common/gradient.py,
with its ``_numerical_gradient_1d`` / ``_no_batch`` helpers) and cs231n's ``eval_numerical_gradient(f, x)``
and ``eval_numerical_gradient_array(f, x, df)`` (gradient_check.py), each run on functions whose gradients
are known exactly (``numeric.own_numerical``)."""

from __future__ import annotations

from ..numeric import own_numerical
from ..options import Options
from ..report.model import CheckResult, GradientCheck
from .base import Skipped, Target

#: name -> (style, the shape of x it is called with): the 1-D helpers take a vector, the rest a matrix
ROUTINES = {
    "numerical_gradient": ("book", (2, 3)),
    "numerical_gradient_2d": ("book", (2, 3)),
    "_numerical_gradient_1d": ("book", (5,)),
    "numerical_gradient_1d": ("book", (5,)),
    "_numerical_gradient_no_batch": ("book", (5,)),
    "eval_numerical_gradient": ("cs231n", (2, 3)),
    "eval_numerical_gradient_array": ("cs231n_array", (2, 3)),
}


def recognise(catalogue: list[dict], options: Options) -> tuple[list[Target], list[Skipped]]:
    targets = []
    for item in catalogue:
        if item["kind"] == "function" and item["name"] in ROUTINES and len(item.get("params", [])) >= 2:
            style, shape = ROUTINES[item["name"]]
            targets.append(Target(item["name"], "numerical_gradient", item["name"], (item["name"],),
                                  {"style": style, "shape": shape}))
    return targets, []


def check(session, target: Target, options: Options) -> list[CheckResult]:
    style, shape = target.info["style"], tuple(target.info["shape"])
    probes = own_numerical.cases(shape, seed=options.seed + 11, upstream=style == "cs231n_array")
    replies = session.run_adapter("numgrad", target.id, {"cases": probes, "style": style}, reseed=options.seed)
    result = CheckResult(target.title, seed=options.seed, mode="exact", kind="function")
    for case, reply in zip(probes, replies):
        wrong, size = own_numerical.judge(case, reply, target.id)
        check = GradientCheck(f"numerical gradient of {case['f']}", wrong is None, "exact", size)
        if wrong is not None:
            check.diagnoses.append(wrong)
        result.checks.append(check)
    return [result]


CHECKS = {"numerical_gradient": check}
