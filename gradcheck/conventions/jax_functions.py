"""JAX functions with a ``custom_vjp`` in a file: each is checked through ``jax.vjp`` in float64, so the
author's own backward rule is what the engine compares with finite differences of the function.  Inputs are
drawn for the function's parameter names as for a torch Function (``--shape name=...``, else 4 x 5)."""

from __future__ import annotations

from ..options import Options
from ..report.model import CheckResult
from .adapted import check_adapted
from .base import Skipped, Target

NAME = "jax_custom_vjp"


def recognise(catalogue: list[dict], options: Options) -> tuple[list[Target], list[Skipped]]:
    return [Target(item["name"], NAME, item["name"], (item["name"],), item) for item in catalogue
            if item["kind"] == "custom_vjp"], []


def check(session, target: Target, options: Options) -> list[CheckResult]:
    return check_adapted(session, target, options, NAME, target.info.get("params", []) or ["x"])


CHECKS = {NAME: check}
