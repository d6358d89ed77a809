"""PyTorch ``nn.Module`` subclasses in a file: each is built (its constructor's required arguments from
``--init name=value``), converted to float64, and checked through autograd, so every custom ``autograd.Function`` inside it is checked as used, and
each parameter (``fc.weight`` as ``fc_weight``) has its gradient compared too.

Inputs are drawn for the names of ``forward(self, ...)``: ``--shape name=...`` where given, else shapes that
fit the first weight (a Linear's ``(out, in)`` takes ``4 x in``, a Conv2d's ``(out, in, kh, kw)`` takes
``3 x in x 6 x 6``; an odd batch, so that half is not read as 1/N), else those of a torch Function."""

from __future__ import annotations

from ..options import Options
from ..report.model import CheckResult, Note
from .adapted import check_adapted
from .base import Skipped, Target

NAME = "torch_module"


def recognise(catalogue: list[dict], options: Options) -> tuple[list[Target], list[Skipped]]:
    targets, skipped = [], []
    for item in catalogue:
        if not (item["kind"] == "class" and "Module" in item.get("bases", []) and "forward" in item["methods"]
                and "backward" not in item["methods"]):
            continue
        missing = [p["name"] for p in item.get("init_params", []) if p["required"] and p["name"] not in options.init]
        if missing:
            skipped.append(Skipped(item["name"], Note("skip.init_needed", {"name": item["name"], "args": ", ".join(missing)})))
        else:
            targets.append(Target(item["name"], NAME, item["name"], (item["name"],), item))
    return targets, skipped


def fitting_shapes(params: dict) -> tuple[tuple[int, ...], ...]:
    """Input shapes that the module's first weight suggests: a batch of its input features (or channels)."""
    for value in params.values():
        shape = getattr(value, "shape", ())
        if len(shape) == 2:
            return ((4, shape[1]),)
        if len(shape) == 4:
            return ((3, shape[1], 6, 6),)
        if len(shape) == 3:
            return ((3, shape[1], 16),)
    return ()


def check(session, target: Target, options: Options) -> list[CheckResult]:
    kwargs = {k: v for k, v in options.init.items() if k in target.info.get("init", [])}
    return check_adapted(session, target, options, NAME, target.info.get("forward", []) or ["x"], fitting_shapes,
                         spec={"kwargs": kwargs})


CHECKS = {NAME: check}
