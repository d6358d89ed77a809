"""PyTorch ``autograd.Function`` subclasses in a file: each is checked through ``Function.apply`` in float64,
so the author's own ``backward`` is what the engine compares with finite differences of ``forward``.

Inputs are drawn for the names of ``forward(ctx, ...)``: ``--shape name=...`` where given, else all of one
shape (4 x 5), else a chain that fits a matrix product (4 x 5, 5 x 3, 3)."""

from __future__ import annotations

import numpy as np

from ..numeric.layer import check_layer
from ..options import Options
from ..report.model import CheckResult, Note
from ..sandbox.runner import LearnerFault
from .base import Skipped, Target
from .remote import remote_layer

NAME = "torch_function"
CHAINS = (((4, 5), (4, 5), (4, 5)), ((4, 5), (5, 3), (3,)))


def recognise(catalogue: list[dict], options: Options) -> tuple[list[Target], list[Skipped]]:
    targets = [Target(item["name"], NAME, item["name"], (item["name"],), item) for item in catalogue
               if item["kind"] == "class" and "Function" in item.get("bases", [])
               and {"forward", "backward"} <= set(item["methods"])]
    return targets, []


def _inputs(names: list[str], options: Options, chain) -> list[np.ndarray]:
    rng = np.random.default_rng(options.seed)
    shapes = [tuple(options.shapes.get(n, chain[min(i, len(chain) - 1)])) for i, n in enumerate(names)]
    return [rng.choice((-1.0, 1.0), s) * rng.uniform(0.1, 2.0, s) for s in shapes]


def check(session, target: Target, options: Options) -> list[CheckResult]:
    names = target.info.get("forward", []) or ["x"]
    created = session.adapt(NAME, target.id, {}, reseed=options.seed)
    layer = remote_layer(session, created, names, options.seed, target.id)
    for chain in CHAINS:
        inputs = _inputs(names, options, chain)
        try:
            layer.forward(*inputs)
        except LearnerFault:
            continue
        return [check_layer(layer, *inputs, mode=options.mode, seed=options.seed, name=target.title)]
    return [CheckResult(target.title, seed=options.seed, mode=options.mode,
                        problem=Note("torch.shapes", {"name": target.id, "names": ", ".join(names)}))]


CHECKS = {NAME: check}
