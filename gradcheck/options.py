"""The options of a verify run, passed whole from the command line down to every convention and check."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Options:
    """Options of a verify run; the defaults make every run of the same file give the same verdicts."""

    seed: int = 0
    mode: str = "auto"
    timeout: float = 5.0
    memory_mb: int | None = 4096
    targets: tuple[str, ...] = ()
    shapes: dict[str, tuple[int, ...]] = field(default_factory=dict)
    init: dict[str, Any] = field(default_factory=dict)  # constructor arguments by name (--init name=value)
    shrink: bool = True  # search for the smallest failing input (costs a few seconds per failing layer)
    run_dir: str | None = None  # where the learner would run the file; the current folder when None
    own_tree: bool = True  # the file's parent folders are readable too (verify); grading reads the submission alone
    graded: bool = False  # grading: an input the code declines with its own assert is a failed case, not a skip
    budget: float | None = None  # wall-clock seconds for all of one file's checks (grading); None: no limit
    no_forward_in_backward: bool = False  # an exercise's rule: a backward that calls forward fails its gradients
    curves: bool = False  # record each elementwise target's derivative over a range (verify --plot)
    diagnosis: str = "fix"  # what a failure is told of the edit that fixes it: fix | mistake | where | none
    fix_budget: int = 200  # edits of the learner's code tried per failing target (see gradcheck.feedback)



_ARRAY = re.compile(r"(randn|zeros|ones)\(\s*(\d+(?:\s*,\s*\d+)*)\s*,?\s*\)")
#: The largest array ``--init`` makes (a typo of one digit must not ask for gigabytes).
MAX_INIT_ELEMENTS = 10_000_000


def parse_value(text: str) -> Any:
    """A constructor argument typed on the command line: a number, True/False/None, an array ``randn(4,3,3,3)``,
    ``zeros(4)`` or ``ones(4)``, a list ``4,4`` or ``[4, 4]``, a tuple ``(1, 8, 8)``, else the text itself.
    Nothing is evaluated as code."""
    text = text.strip()
    array = _ARRAY.fullmatch(text)
    if array:  # randn(4,3,3,3), zeros(4), ones(4): an array of that shape (randn: seeded, scale 0.1)
        import numpy as np  # only here: the command line starts without NumPy

        shape = tuple(int(n) for n in array.group(2).split(",") if n.strip())
        if int(np.prod(shape, dtype=np.int64)) > MAX_INIT_ELEMENTS:
            return text
        maker = {"zeros": np.zeros, "ones": np.ones, "randn": lambda s: 0.1 * np.random.default_rng(0).standard_normal(s)}
        return maker[array.group(1)](shape)
    if text in ("True", "False", "None"):
        return {"True": True, "False": False, "None": None}[text]
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    inner = text.strip("()[]")
    if "," in text and inner:
        items = [parse_value(t) for t in inner.split(",") if t.strip()]
        return tuple(items) if text.startswith("(") else items
    return text.strip("'\"")
