"""Any other class with ``forward`` and ``backward``: built without arguments (or from ``--init``), fed an
input of ``--shape x=...`` (4 x 5 by default), and checked as a layer."""

from __future__ import annotations

import numpy as np

from ..numeric.layer import check_layer
from ..options import Options
from ..report.model import CheckResult, Note
from .base import Skipped, Target
from .candidates import name_mistake
from .custom_mistakes import candidates_for
from .elementwise_mistakes import derivative_curve, name_elementwise_mistake
from .remote import remote_layer

NAME = "generic"


def recognise(catalogue: list[dict], options: Options) -> tuple[list[Target], list[Skipped]]:
    targets, skipped = [], []
    for item in catalogue:
        if item["kind"] != "class" or not {"forward", "backward"} <= set(item["methods"]):
            continue
        if item.get("abstract"):
            skipped.append(Skipped(item["name"], Note("skip.abstract", {"name": item["name"]})))
            continue
        missing = [p["name"] for p in item.get("init_params", []) if p["required"] and p["name"] not in options.init]
        if missing:
            skipped.append(Skipped(item["name"], Note("skip.init_needed", {"name": item["name"], "args": ", ".join(missing)})))
            continue
        targets.append(Target(item["name"], NAME, item["name"], (item["name"],), item))
    return targets, skipped


def _inputs(item: dict, options: Options) -> list[np.ndarray]:
    rng = np.random.default_rng(options.seed)
    names = item.get("forward", []) or ["x"]
    shape = tuple(options.shapes.get(names[0], (4, 5)))
    x = rng.choice((-1.0, 1.0), shape) * rng.uniform(0.1, 2.0, shape)
    if len(names) >= 2:
        t = np.eye(shape[-1])[rng.integers(0, shape[-1], shape[0])] if len(shape) == 2 else rng.standard_normal(shape)
        return [x, t]
    return [x]


def check(session, target: Target, options: Options) -> list[CheckResult]:
    kwargs = {k: v for k, v in options.init.items() if k in target.info.get("init", [])}
    created = session.create(target.id, (), kwargs, reseed=options.seed)
    layer = remote_layer(session, created, target.info.get("forward", []), options.seed, target.id)
    inputs = _inputs(target.info, options)
    result = check_layer(layer, *inputs, mode=options.mode, seed=options.seed, name=target.title)
    if len(inputs) == 1:
        name_elementwise_mistake(result, layer, inputs[0])
        result.curve = derivative_curve(layer) if options.curves else None
    make = candidates_for(target.id)
    if make is not None:
        gamma = getattr(layer, "gamma", 1.0)
        name_mistake(result, layer, inputs, options.seed, lambda dout: make(inputs, dout, gamma))
    return [result]


CHECKS = {NAME: check}
