"""Finding what a learner's file defines that can be checked, and under which convention."""

from __future__ import annotations

from dataclasses import dataclass, field

from .cs231n import LOSSES, PAIRS
from .dlfs import DLFS_NAMES
from .functions import find_derivatives


@dataclass
class Target:
    """One checkable thing: its convention ("dlfs", "generic", "cs231n_pair", "cs231n_loss", "function",
    "optimizer", "cs231n_optimizer"), its name, and what discovery learned about it."""

    kind: str
    name: str
    info: dict = field(default_factory=dict)


OPTIMIZER_CLASSES = ("SGD", "Momentum", "Nesterov", "AdaGrad", "RMSprop", "Adam")
OPTIMIZER_FUNCTIONS = ("sgd", "sgd_momentum", "rmsprop", "adam")


def discover(catalogue: list[dict], only: tuple[str, ...] = ()) -> list[Target]:
    """The targets in a file's catalogue, in the order the file defines them; ``only`` keeps those named."""
    functions = {c["name"]: c["params"] for c in catalogue if c["kind"] == "function"}
    targets: list[Target] = []
    for item in catalogue:
        name = item["name"]
        if item["kind"] == "class":
            methods = set(item["methods"])
            if name in OPTIMIZER_CLASSES and "update" in methods:
                targets.append(Target("optimizer", name, item))
            elif {"forward", "backward"} <= methods:
                if name in DLFS_NAMES:
                    targets.append(Target("dlfs", name, item))
                elif item["init_required"] == 0:
                    targets.append(Target("generic", name, item))
        elif name in LOSSES:
            targets.append(Target("cs231n_loss", name, item))
        elif name in OPTIMIZER_FUNCTIONS:
            targets.append(Target("cs231n_optimizer", name, item))
    for prefix, pair in PAIRS.items():
        if pair.forward in functions and pair.backward in functions:
            targets.append(Target("cs231n_pair", prefix))
    for name, spec in find_derivatives(functions).items():
        targets.append(Target("function", name, spec))
    if only:
        targets = [t for t in targets if t.name in only]
    return targets
