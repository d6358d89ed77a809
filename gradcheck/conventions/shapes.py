"""Inputs for a function from what its code says: shapes in its docstring, else its parameter names.

cs231n's templates write ``- x: Input data, of shape (N, D)`` for every input, with named dimensions
shared across inputs; a dimension drawn once serves every input that names it.  Where a docstring says
nothing, the parameter names (x, w, b, gamma, prev_h, Wx, W_embed, mask ...) give the usual shapes.
All text here is only matched by regular expressions, never evaluated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

#: Sizes of the named dimensions: small, distinct where a mix-up would hide a bug, G dividing C.
DIMS = {"N": 3, "D": 4, "M": 5, "C": 4, "H": 5, "W": 5, "F": 3, "HH": 3, "WW": 3, "T": 3, "V": 6, "K": 3, "G": 2}
#: ``d_1, ..., d_k`` in a docstring: two trailing dimensions whose product is D.
ELLIPSIS = (2, 2)

_ENTRY = re.compile(r"^\s*[-*]?\s*([A-Za-z_]\w*)\s*(?:\([^)]*\))?\s*:\s*(.*)$")
_SHAPE = re.compile(r"shape\s*(?:of\s*)?\(([^()]*)\)", re.IGNORECASE)
#: A shape written first in a short entry: ``x: (N, C) scores``.
_LEADING_SHAPE = re.compile(r"^\s*\(([^()]*)\)")
#: Where a one-line docstring starts its next entry: ``x: (N, C) scores, y: (N,) integer labels``.
_NEXT_ENTRY = re.compile(r"[,;]\s+(?=[A-Za-z_]\w*\s*:\s)")
_UPPER = re.compile(r"<\s*([A-Za-z]\w*)")
_TERM = re.compile(r"^(\d*)\s*\*?\s*([A-Za-z]\w*)$")


@dataclass
class ArgInfo:
    """What a docstring says of one argument: its shape in named dimensions, and its kind."""

    shape: list | None = None  # items: int, "NAME", (k, "NAME") for k*NAME, or "..." for d_1..d_k
    integer: bool = False
    boolean: bool = False
    upper: str | None = None  # integer values lie in [0, upper)
    dictionary: bool = False


def _dims(text: str) -> list | None:
    out: list = []
    for token in (t.strip() for t in text.split(",")):
        if not token:
            continue
        if token in ("...", "…") or re.fullmatch(r"d_?\w+", token):
            if not out or out[-1] != "...":
                out.append("...")
            continue
        if token.isdigit():
            out.append(int(token))
            continue
        term = _TERM.match(token)
        if term is None:
            return None
        k, name = term.groups()
        out.append((int(k), name) if k else name)
    return out


def parse_docstring(doc: str) -> dict[str, ArgInfo]:
    """Per argument named in ``- name: text`` entries: the shape and kind the text states."""
    entries: dict[str, str] = {}
    current = None
    lines = [part for line in (doc or "").splitlines() for part in _NEXT_ENTRY.split(line)]
    for line in lines:
        match = _ENTRY.match(line)
        if match and not line.strip().lower().startswith(("returns", "inputs", "input", "outputs", "output")):
            current = match.group(1)
            entries.setdefault(current, "")
            entries[current] += " " + match.group(2)
        elif current is not None and line.strip():
            entries[current] += " " + line.strip()
    info = {}
    for name, text in entries.items():
        shape = _SHAPE.search(text) or _LEADING_SHAPE.match(text)
        lower = text.lower()
        upper = _UPPER.search(text)
        info[name] = ArgInfo(
            shape=_dims(shape.group(1)) if shape else None,
            integer=any(w in lower for w in ("integer", "indices", "labels", "int array")),
            boolean="boolean" in lower,
            upper=upper.group(1) if upper else None,
            dictionary="dictionary" in lower or "dict " in lower,
        )
    return info


def name_shape(name: str, names: set[str], fname: str) -> list | None:
    """The usual shape of an argument called ``name`` beside ``names`` in function ``fname``, or None."""
    spatial = bool({"conv_param", "pool_param"} & names) or any(k in fname for k in ("conv", "pool", "spatial"))
    lstm = "prev_c" in names or "lstm" in fname
    hidden = (4, "H") if lstm else "H"
    sequence = "h0" in names or "temporal" in fname
    if name in ("x", "X", "inputs") or name == "features":
        if spatial:
            return ["N", "C", "H", "W"]
        return ["N", "T", "D"] if sequence else ["N", "D"]
    if name in ("w", "W") and {"x", "X", "inputs", "features"} & names:
        return ["F", "C", "HH", "WW"] if spatial else ["D", "M"]
    if name in ("w", "W", "W_embed"):
        return ["V", "D"] if "embed" in fname or name == "W_embed" else ["D", "C"]
    if name == "b":
        if "Wx" in names:
            return [hidden]
        return ["F"] if spatial else ["M"]
    if name in ("gamma", "beta"):
        if {"w", "W"} & names:
            return ["F"] if spatial else ["M"]
        return ["C"] if spatial else ["D"]
    if name in ("scores", "score", "logits"):
        return ["N", "C"]
    if name in ("prev_h", "h0", "prev_c", "c0"):
        return ["N", "H"]
    if name == "Wx":
        return ["D", hidden]
    if name == "Wh":
        return ["H", hidden]
    if name in ("mask",):
        return ["N", "T"]
    return None


def concrete(shape: list, dims: dict[str, int]) -> tuple[int, ...] | None:
    """The shape in numbers, or None when it names a dimension without a size."""
    out: list[int] = []
    for item in shape:
        if item == "...":
            out.extend(ELLIPSIS)
        elif isinstance(item, int):
            out.append(item)
        elif isinstance(item, tuple):
            if item[1] not in dims:
                return None
            out.append(item[0] * dims[item[1]])
        elif item in dims:
            out.append(dims[item])
        else:
            return None
    return tuple(out)


def sizes_for(shapes: dict[str, list]) -> dict[str, int]:
    """The dimension sizes: the defaults, with D the product of d_1..d_k where a docstring uses them, and any
    other named dimension given a small size of its own."""
    dims = dict(DIMS)
    if any("..." in s for s in shapes.values()):
        dims["D"] = int(np.prod(ELLIPSIS))
    extra = 2
    for shape in shapes.values():
        for item in shape:
            name = item[1] if isinstance(item, tuple) else item
            if isinstance(name, str) and name != "..." and name not in dims:
                dims[name] = extra
                extra = 3 if extra == 2 else 2
    return dims
