"""Fast mode's projections: the claimed gradients against directional differences along random directions.

Each direction gives every distinct value of an array one random sign (see ``locate.direction``), scaled by
cbrt(eps) of the value's size; all arrays move together.  For arrays above WIDE_LIMIT elements the first
direction is also taken WIDE times further.  Where the function is linear along it (an Affine or a
convolution in its weights or inputs: the differences at the long step and at half of it agree to rounding),
the rounding error falls WIDE times and the truncation error stays zero, so that projection sees an error
WIDE times smaller: one element 0.1% off whose gradient is small among a million.  Its evaluations replace
the further narrow directions; where the function is not linear the narrow directions are taken as usual.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..report.model import GradientCheck
from .compare import SAFETY, compare_projections
from .diff import Estimate, central_difference, directional_estimate
from .locate import direction, magnitudes

#: Arrays of more elements than this get the wide projection: below it a single element's share of a
#: projection is large enough for the narrow step.
WIDE_LIMIT = 100_000

#: The wide step, in units of the narrow one.
WIDE = 256.0


@dataclass
class Projected:
    """The verdict of the projections, the key of the first direction, and the step that verdict needs
    (1.0, or WIDE when the wide projection is the one that disagrees): the search for the wrong element
    follows the first direction at that step."""

    check: GradientCheck
    key: int
    step: float


def project(name: str, arrays: list[np.ndarray], gots: list[np.ndarray], moves: list[np.ndarray], evaluate, base_out,
            probe, eps: float, rng, count: int, wide: bool | None = None, rtol: float = 0.0) -> Projected:
    """``count`` projections of the claimed gradients ``gots`` of ``arrays`` (moved together, ``moves`` their
    magnitudes times the narrow step), the first also at the wide step where an array is large (or wherever
    ``wide`` is true: an array of a joint check that only the wide step saw fail)."""
    wide = max(a.size for a in arrays) > WIDE_LIMIT if wide is None else wide
    originals = [a.copy() for a in arrays]
    buffers = [np.empty_like(a) for a in arrays]
    scale = sum(_dot(np.abs(g, out=b), m) for g, m, b in zip(gots, moves, buffers))
    claims, ests, labels = [], [], []
    first_key, step = int(rng.integers(0, 2**63)), 1.0
    try:
        k = 0
        while k < count:
            key = first_key if k == 0 else int(rng.integers(0, 2**63))
            dirs = [direction(a, key + i, scale=m, out=b) for i, (a, m, b) in enumerate(zip(arrays, moves, buffers))]
            claimed = sum(_dot(g, d) for g, d in zip(gots, dirs))
            agrees = lambda e, c=claimed: compare_projections(name, [c], [e], [scale], ["h"], eps, rtol).passed  # noqa: E731
            est = directional_estimate(evaluate, arrays, dirs, base_out, probe, eps, accept=agrees, step=1.0,
                                       originals=originals, restore=False)
            claims.append(claimed)
            ests.append(est)
            labels.append(f"projection {k + 1}")
            k += 1
            if len(claims) == 1 and wide and agrees(est):
                long = _wide(evaluate, arrays, dirs, originals, base_out, probe, eps, est)
                if long is not None:
                    claims.append(claimed)
                    ests.append(long)
                    labels.append("projection 1 at a long step")
                    step = WIDE if not agrees(long) else step
                    k = count  # linear along it: the wide projection stands for the other narrow ones
    finally:
        for a, a0 in zip(arrays, originals):
            np.copyto(a, a0)
    check = compare_projections(name, claims, ests, [scale] * len(claims), labels, eps, rtol)
    return Projected(check, first_key, step)


def _wide(evaluate, arrays, dirs, originals, base_out, probe, eps, narrow: Estimate) -> Estimate | None:
    """The first direction at steps WIDE and WIDE/2; None where the function is visibly not linear along it
    (the long step's difference leaves the narrow one's tolerance, or the two long ones differ beyond rounding)."""
    far = central_difference(evaluate, arrays, dirs, originals, base_out, probe, WIDE, eps, restore=False)
    if abs(far.value - narrow.value) > SAFETY * (narrow.error + far.error):
        return None
    near = central_difference(evaluate, arrays, dirs, originals, base_out, probe, WIDE / 2, eps, restore=False)
    gap = abs(far.value - near.value)
    if gap > 3.0 * near.error:
        return None
    return Estimate(near.value, near.error + gap, near.value, near.value, False)


def _dot(a: np.ndarray, b: np.ndarray) -> float:
    """sum(a * b) in one pass on this thread: BLAS's dot would leave its worker threads spinning on the other
    cores, where they slow a framework's own thread pool (a torch forward took 15 times longer after one)."""
    return float(np.einsum("i,i->", a.reshape(-1), b.reshape(-1)))


def magnitudes_of(arrays: list[np.ndarray], eps: float) -> list[np.ndarray]:
    """Each array's magnitudes times the narrow step cbrt(eps), folded in once (a pass less per evaluation)."""
    return [magnitudes(a, eps ** (1.0 / 3.0)) for a in arrays]
