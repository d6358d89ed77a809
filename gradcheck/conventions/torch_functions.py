"""PyTorch ``autograd.Function`` subclasses in a file: each is checked through ``Function.apply`` in float64,
so the author's own ``backward`` is what the engine compares with finite differences of ``forward``.

Inputs are drawn for the names of ``forward(ctx, ...)``: ``--shape name=...`` where given, else all of one
shape (4 x 5), else a chain that fits a matrix product (4 x 5, 5 x 3, 3)."""

from __future__ import annotations

from ..options import Options
from ..report.model import CheckResult
from .adapted import check_adapted
from .base import Skipped, Target

NAME = "torch_function"


def recognise(catalogue: list[dict], options: Options) -> tuple[list[Target], list[Skipped]]:
    targets = [Target(item["name"], NAME, item["name"], (item["name"],), item) for item in catalogue
               if item["kind"] == "class" and "Function" in item.get("bases", [])
               and {"forward", "backward"} <= set(item["methods"])]
    return targets, []


def check(session, target: Target, options: Options) -> list[CheckResult]:
    return check_adapted(session, target, options, NAME, target.info.get("forward", []) or ["x"])


CHECKS = {NAME: check}
