"""Layer classes of their own name built from a book layer's arrays (``SimpleAffine(W, b)``), recognised by
their code (the constructor's arrays, forward and backward) rather than by the book's class names, and
checked as the first book layer whose forward they compute.

This convention comes after every convention that knows classes by name (the second book's ``TimeAffine(W,
b)`` is its own layer, not a look-alike of Affine).
"""

from __future__ import annotations

import inspect

from ..options import Options
from ..report.model import CheckResult, Note
from .base import Skipped, Target
from .book_layers import LAYERS
from .dlfs import NOT_BOOK_WORDS, check_record

NAME = "lookalike"


def same_arrays(item: dict) -> list[str]:
    """The book's layers whose constructor takes the same arrays by the same names as this class of another
    name (``SimpleAffine(W, b)``: Affine, then Convolution), so it is recognised by its code, not its name."""
    required = [p["name"] for p in item["init_params"] if p["required"]]
    if not required or any(any(w in n.lower() for w in NOT_BOOK_WORDS) for n in required):
        return []
    found = []
    for name, record in LAYERS.items():
        params = inspect.signature(record.reference.__init__).parameters.values()
        if [p.name for p in params if p.name != "self" and p.default is inspect.Parameter.empty] == required:
            found.append(name)
    return found


def recognise(catalogue: list[dict], options: Options) -> tuple[list[Target], list[Skipped]]:
    """Classes with forward and backward, not named as a book layer, whose constructor takes a book layer's
    arrays by name; not where --init or --shape describe the class (the generic convention takes it then)."""
    targets: list[Target] = []
    if options.init or options.shapes:
        return targets, []
    for item in catalogue:
        if item["kind"] != "class" or item["name"] in LAYERS or item.get("abstract") \
                or not {"forward", "backward"} <= set(item["methods"]):
            continue
        like = same_arrays(item)
        if like:
            title = f"{item['name']} (built as the book's {like[0]})"
            targets.append(Target(item["name"], NAME, title, (item["name"],), dict(item, like=like)))
    return targets, []


def _forward_agrees(results: list[CheckResult]) -> bool:
    return all(r.problem is None and all(c.passed for c in r.checks if c.gradient == "forward") for r in results)


def check(session, target: Target, options: Options) -> list[CheckResult]:
    """A class of its own name built from a book layer's arrays: checked as the first such layer whose forward
    it computes.  Where it computes none, it is that layer only if its name says so (``SimpleAffine``);
    otherwise it is a layer of its own, listed with the reason, not failed against a function it is not."""
    tried = []
    for like in target.info["like"]:
        results = check_record(session, LAYERS[like], target, options)
        if _forward_agrees(results):
            return results
        tried.append((like, results))
    for like, results in tried:
        if like.lower() in target.id.lower():
            return results
    names = " or ".join(like for like, _ in tried)
    detail = (f"its constructor takes the arrays of the book's {names}, but its forward computes a different function; "
              f"give its inputs with --shape to check it as a layer of its own")
    return [CheckResult(target.title, problem=Note("fault.unrecognised", {"detail": detail}))]


CHECKS = {NAME: check}
