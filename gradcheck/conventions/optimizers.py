"""Optimizers: the book's classes (``update(params, grads)``) and cs231n's functions
(``(w, dw, config) -> (next_w, config)``), run for several steps against the reference formulations."""

from __future__ import annotations

from ..options import Options
from ..report.model import CheckResult
from .base import Skipped, Target

CLASSES = ("SGD", "Momentum", "Nesterov", "AdaGrad", "RMSprop", "Adam")
FUNCTIONS = ("sgd", "sgd_momentum", "rmsprop", "adam")


def recognise(catalogue: list[dict], options: Options) -> tuple[list[Target], list[Skipped]]:
    targets = []
    for item in catalogue:
        name = item["name"]
        if item["kind"] == "class" and name in CLASSES and "update" in item["methods"]:
            targets.append(Target(name, "optimizer", name, (name,), item))
        elif item["kind"] == "function" and name in FUNCTIONS:
            targets.append(Target(name, "cs231n_optimizer", name, (name,), item))
    return targets, []


def check(session, target: Target, options: Options) -> list[CheckResult]:
    from ..optim.verify import check_optimizer_target

    return [check_optimizer_target(session, target, options.seed)]


CHECKS = {"optimizer": check, "cs231n_optimizer": check}
