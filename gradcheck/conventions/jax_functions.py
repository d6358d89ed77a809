"""JAX functions with a ``custom_vjp`` in a file: each is checked through ``jax.vjp`` in float64, so the
author's own backward rule is what the engine compares with finite differences of the function.  Inputs are
drawn for the function's parameter names as for a torch Function (``--shape name=...``, else 4 x 5)."""

from __future__ import annotations

from ..numeric.layer import check_layer
from ..options import Options
from ..report.model import CheckResult, Note
from ..sandbox.runner import LearnerFault
from .base import Skipped, Target
from .remote import remote_layer
from .torch_functions import CHAINS, _inputs

NAME = "jax_custom_vjp"


def recognise(catalogue: list[dict], options: Options) -> tuple[list[Target], list[Skipped]]:
    return [Target(item["name"], NAME, item["name"], (item["name"],), item) for item in catalogue
            if item["kind"] == "custom_vjp"], []


def check(session, target: Target, options: Options) -> list[CheckResult]:
    names = target.info.get("params", []) or ["x"]
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
