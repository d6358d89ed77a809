"""Why a learner's forward differs from the reference, told by the variant of the reference it matches:
batch norm with another ``eps``, or in inference mode with the batch's statistics (``train_flg`` ignored).
Each variant is the reference layer built or called differently; only the reference runs here."""

from __future__ import annotations

import dataclasses
from typing import Callable

import numpy as np

from ..layers.cases import Case
from ..report.model import Note

#: A variant is named only when the learner's output is that variant's to rounding: an eps of 1e-5 instead of
#: 1e-6 moves the output by about 1e-6, far more than this.
MATCH_RTOL = 1e-9

#: eps values learners use (PyTorch's and Keras's 1e-5 and 1e-3, cs231n's 1e-5, 1e-8 of Adam's habit, none)
EPSILONS = (1e-5, 1e-7, 1e-8, 1e-3, 1e-4, 0.0)


def _batch_norm(case: Case) -> list[tuple[Note, Case]]:
    want = case.kwargs.get("eps", 1e-6)
    out = [(Note("forward.eps", {"eps": f"{e:g}", "want": f"{want:g}"}), dataclasses.replace(case, kwargs={**case.kwargs, "eps": e}))
           for e in EPSILONS if e != want]
    if case.forward_kwargs.get("train_flg") is False:
        out.insert(0, (Note("forward.inference_batch_stats"),
                       dataclasses.replace(case, forward_kwargs={**case.forward_kwargs, "train_flg": True})))
    return out


#: layer name -> the variants of its reference case worth naming
VARIANTS: dict[str, Callable[[Case], list[tuple[Note, Case]]]] = {"BatchNormalization": _batch_norm}


def explain_difference(name: str, reference, case: Case, got) -> Note | None:
    """The note of the first variant whose output ``got`` matches, or None."""
    try:
        got = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    for note, variant in VARIANTS.get(name, lambda c: [])(case):
        want = np.asarray(variant.build(reference).forward(*[np.array(i) for i in variant.inputs], **variant.forward_kwargs))
        if want.shape == got.shape:
            tol = MATCH_RTOL * (np.abs(want) + max(1.0, float(np.max(np.abs(want), initial=0.0))))
            if np.all(np.abs(got - want) <= tol):
                return note
    return None
