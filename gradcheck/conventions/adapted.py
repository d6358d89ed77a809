"""What the torch and JAX conventions share: inputs drawn for a forward's parameter names, tried against the
adapter in the child until they fit, then the engine's check of the adapter as a layer."""

from __future__ import annotations

import numpy as np

from ..numeric.layer import check_layer
from ..options import Options
from ..report.model import CheckResult, Note
from ..sandbox.runner import LearnerFault
from .base import Target
from .remote import remote_layer

#: Shapes tried in turn where --shape does not name an input: all alike, then a chain that fits a product.
CHAINS = (((4, 5), (4, 5), (4, 5)), ((4, 5), (5, 3), (3,)))


def _inputs(names: list[str], options: Options, chain) -> list[np.ndarray]:
    rng = np.random.default_rng(options.seed)
    shapes = [tuple(options.shapes.get(n, chain[min(i, len(chain) - 1)])) for i, n in enumerate(names)]
    return [rng.choice((-1.0, 1.0), s) * rng.uniform(0.1, 2.0, s) for s in shapes]


def check_adapted(session, target: Target, options: Options, adapter: str, names: list[str],
                  suggest=None, spec: dict | None = None) -> list[CheckResult]:
    """Wrap ``target`` in the child's ``adapter`` (given ``spec``) and check it on the first input shapes its
    forward accepts; ``suggest(params)``, when given, proposes a chain of shapes from the adapter's
    parameters, tried first."""
    created = session.adapt(adapter, target.id, spec or {}, reseed=options.seed)
    layer = remote_layer(session, created, names, options.seed, target.id)
    suggested = suggest(created[1].get("params", {})) if suggest else ()
    guessed = [n for n in names if n not in options.shapes]
    fallback = None
    for chain in ((suggested,) if suggested else ()) + CHAINS:
        inputs = _inputs(names, options, chain)
        try:
            layer.forward(*inputs)
        except LearnerFault:
            continue
        result = check_layer(layer, *inputs, mode=options.mode, seed=options.seed, name=target.title)
        if not (guessed and _shape_error(result)):
            return [result]
        # the forward took shapes it was not written for, and the backward says so: try the next guess
        shown = ", ".join(f"{n}={','.join(map(str, np.shape(x)))}" for n, x in zip(names, inputs) if n in guessed)
        result.notes.append(Note("torch.shapes_guessed", {"shapes": shown, "example": guessed[-1]}))
        fallback = fallback or result
    if fallback is not None:
        return [fallback]
    return [CheckResult(target.title, seed=options.seed, mode=options.mode,
                        problem=Note("torch.shapes", {"name": target.id, "names": ", ".join(names)}))]


_SHAPE_WORDS = ("shape", "size mismatch", "cannot be multiplied", "must match the size", "mat1 and mat2", "broadcast",
                "dimension", "Incompatible shapes", "incompatible")


def _shape_error(result: CheckResult) -> bool:
    """Whether the check failed on an error about the arrays' shapes (not on a wrong number)."""
    problems = [result.problem] + [c.problem for c in result.checks]
    details = [str(p.params.get("detail", "")) for p in problems if p is not None]
    return any(any(w in d for w in _SHAPE_WORDS) for d in details)
