"""Fast mode's directions and the search for what a disagreeing projection saw.

A projection direction gives each distinct value of the array one random sign (scaled to the value's size),
and leaves zeros where they are: tied cells move together and a ReLU input at exactly 0 does not move, so a
max-pool with ties or a ReLU with zeros has a well-defined directional derivative and raises no false alarm.
When a projection disagrees, adaptive group testing finds a wrong element: the suspect set is halved, and
the half whose own projection still disagrees is kept (each step one directional difference); the element
found is checked on its own, as full mode would, and the error's extent is told apart by projecting on its
row, column or channel and on everything outside them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..report.model import Evidence, Note
from .compare import compare_full, compare_projections
from .diff import EPS, Estimate, directional_estimate

#: Search steps at most: enough to halve 2**40 coordinates down to one.
MAX_STEPS = 40


def magnitudes(arr: np.ndarray, step: float = 1.0) -> np.ndarray:
    """How far each element moves along a direction: ``step`` * (1 + |value|), and 0 for a zero.  Elements
    move by equal amounts only where their values are equal in size: with max(1, |value|) every element
    below 1 moved alike, and an error of two such elements in opposite senses (a transposed 2 x 2 dW)
    cancelled in half of all directions."""
    m = np.abs(arr)
    m += 1.0
    if step != 1.0:
        m *= step
    m[arr == 0.0] = 0.0
    return m


def _multiplier(key: int) -> np.uint64:
    """An odd 64-bit multiplier drawn from ``key``: the multiply-shift hash family, whose top bit is the sign."""
    mixed = (key * 0x9E3779B97F4A7C15 + 0xD1B54A32D192ED03) & 0xFFFFFFFFFFFFFFFF
    mixed ^= mixed >> 31
    return np.uint64(mixed | 1)


def direction(arr: np.ndarray, key: int, mask: np.ndarray | None = None, scale: np.ndarray | None = None,
              out: np.ndarray | None = None) -> np.ndarray:
    """A random direction that is a function of each element's value (``key`` picks the function): equal
    values move equally, zeros stay; restricted to ``mask`` when given.  ``scale`` is ``magnitudes(arr)``
    (times a step), passed in when several directions of one array are drawn; ``out``, a float64 array of
    ``arr``'s shape to write into (a large array's fresh pages cost more than the arithmetic)."""
    scale = magnitudes(arr) if scale is None else scale
    bits = np.ascontiguousarray(arr, dtype=np.float64).view(np.uint64)
    hashed = np.empty(arr.shape, dtype=np.float64) if out is None else out
    np.multiply(bits, _multiplier(key), out=hashed.view(np.uint64))  # its sign bit is the hash's top bit
    d = np.copysign(scale, hashed, out=hashed)
    if mask is not None:
        d[~mask] = 0.0
    return d


@dataclass
class Probe:
    """What the search needs to evaluate projections of one gradient."""

    name: str
    arr: np.ndarray
    got: np.ndarray
    evaluate: object
    estimate_one: object  # flat index -> its coordinate Estimate (kinks included), as full mode takes it
    base_out: np.ndarray
    probe: object
    eps: float = EPS
    key: int = 0
    scale: np.ndarray | None = None  # magnitudes(arr, step), drawn once
    step: float = EPS ** (1.0 / 3.0)  # how far along ``scale`` the first central difference goes
    used: int = field(default=0)  # projections evaluated

    def disagrees(self, mask: np.ndarray) -> bool:
        """Whether the projection on the elements in ``mask`` disagrees with the claimed gradient."""
        return self._judged(self.arr, self.got, direction(self.arr, self.key, mask, self.scale))

    def disagrees_between(self, lo: int, hi: int) -> bool:
        """``disagrees`` for the flat elements lo..hi-1, moving only them: the search's halves are ranges, so
        each step costs passes over its half, not over the whole array."""
        part = self.arr.reshape(-1)[lo:hi]  # a view: the array is C-contiguous, and evaluate reads it
        scale = None if self.scale is None else self.scale.reshape(-1)[lo:hi]
        return self._judged(part, self.got.reshape(-1)[lo:hi], direction(part, self.key, scale=scale))

    def _judged(self, arr: np.ndarray, got: np.ndarray, d: np.ndarray) -> bool:
        if not np.any(d):
            return False
        self.used += 1
        claimed, scale = float(np.sum(got * d)), float(np.sum(np.abs(got * d)))
        agrees = lambda e: compare_projections(self.name, [claimed], [e], [scale], ["part"], self.eps).passed  # noqa: E731
        est = directional_estimate(self.evaluate, [arr], [d], self.base_out, self.probe, self.eps, agrees,
                                   step=self.step)  # a half that agrees at once costs two evaluations, not four
        return not agrees(est)


@dataclass
class Located:
    """A wrong element found by the search, with its evidence and the extent of the error."""

    index: tuple[int, ...]
    worst: Evidence
    pattern: Note | None


def _leaf(p: Probe, flat_index: int):
    """The element checked on its own (with its kink range), as full mode checks it; at the probe's long step
    where the search needed one (the function is linear there, and the error below the usual step's sight)."""
    est = p.estimate_one(flat_index) if p.step <= 1.0 else _alone_at_step(p, flat_index)
    label = str([int(i) for i in np.unravel_index(flat_index, p.arr.shape)])
    return compare_full(p.name, p.got.reshape(-1)[[flat_index]], np.array([est.value]), np.array([est.error]),
                        np.array([est.lower]), np.array([est.upper]), np.array([est.kink]), p.eps, index_labels=[label])


def _alone_at_step(p: Probe, flat_index: int) -> Estimate:
    """The derivative by one element, from moving it alone along the probe's direction at the probe's step."""
    mask = np.zeros(p.arr.size, dtype=bool)
    mask[flat_index] = True
    d = direction(p.arr, p.key, mask.reshape(p.arr.shape), p.scale)
    unit = float(d.reshape(-1)[flat_index])
    if unit == 0.0:  # a zero does not move along a direction
        return p.estimate_one(flat_index)
    est = directional_estimate(p.evaluate, [p.arr], [d], p.base_out, p.probe, p.eps, step=p.step)
    lower, upper = sorted((est.lower / unit, est.upper / unit))
    return Estimate(est.value / unit, est.error / abs(unit), lower, upper, est.kink)


def _search(p: Probe) -> int | None:
    """A flat index the disagreement leads to: keep the half of the suspects whose projection disagrees."""
    lo, hi = 0, p.arr.size
    for _ in range(MAX_STEPS):
        if hi - lo == 1:
            return lo
        mid = lo + (hi - lo) // 2
        if p.disagrees_between(lo, mid):
            hi = mid
        else:
            lo = mid
    return None


def _extent(p: Probe, index: tuple[int, ...]) -> Note | None:
    """Only the element, its row, its column or its channel; None when the error reaches further."""
    shape = p.arr.shape
    if len(shape) < 2:
        return None
    row = np.zeros(shape, dtype=bool)
    row[index[0]] = True
    col = np.zeros(shape, dtype=bool)
    col[(Ellipsis, index[-1])] = True
    alone = np.zeros(shape, dtype=bool)
    alone[index] = True
    if not p.disagrees(~row):
        if p.disagrees(row & ~alone):
            return Note("diag.one_row", {"row": int(index[0])})
        return Note("diag.only_element", {"index": str(list(index))})
    if not p.disagrees(~col):
        return Note("diag.one_column", {"column": int(index[-1])})
    if len(shape) == 4:
        channel = np.zeros(shape, dtype=bool)
        channel[:, index[1]] = True
        if not p.disagrees(~channel):
            return Note("diag.some_channels", {"which": str(index[1]), "count": 1, "total": shape[1]})
    return None


def locate(p: Probe) -> Located | None:
    """The wrong element a disagreeing projection leads to, with the error's extent.  Where the search ends on
    an element that is right on its own (an error spread over every element, 1e-4 of each, leads the search to
    the first element, which may be small), the element with the largest claimed gradient is checked instead:
    a relative error spread evenly is largest in absolute terms there.  None when that one is right too."""
    flat = _search(p)
    if flat is None:
        return None
    leaf = _leaf(p, flat)
    if leaf.passed or leaf.worst is None:
        flat = int(np.argmax(np.abs(p.got).reshape(-1)))
        leaf = _leaf(p, flat)
        if leaf.passed or leaf.worst is None:
            return None
    index = tuple(int(i) for i in np.unravel_index(flat, p.arr.shape))
    return Located(index, leaf.worst, _extent(p, index))
