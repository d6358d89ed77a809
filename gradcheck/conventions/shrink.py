"""The smallest input that shows a failure: Hypothesis searches small cases and shrinks the first failing one.

Runs only after a layer has failed, with Hypothesis derandomized and without an
example database, so the same file always gets the same counterexample.  A
fault of the learner's code during the search ends it (the search is about the
wrong gradient, not the crash).
"""

from __future__ import annotations

import contextlib
import tempfile

import numpy as np
from hypothesis import HealthCheck, Phase, configuration, find, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample, Unsatisfiable

from ..layers.cases import Case
from ..report.model import Note
from ..sandbox.runner import LearnerFault
from ..testing.strategies import arrays, labels, nonzero
from .book_layers import BookLayer, check_learner_layer
from .remote import remote_layer

_VALUES = nonzero(0.5, 3.0).map(lambda v: round(v, 2))
@contextlib.contextmanager
def _storage_outside_the_learners_folder():
    """Hypothesis caches what it learns in ``.hypothesis/`` of the folder it runs in, the learner's: while we
    search, in a folder of our own that goes away after (with absolute paths inside, it was no one's to keep)."""
    before = getattr(configuration.storage_directory(intent_to_write=False), "home_directory", None)
    if before is None:  # a Hypothesis without a home directory to set: nothing of ours to move
        yield
        return
    with tempfile.TemporaryDirectory(prefix="gradcheck-hypothesis-") as own:
        configuration.set_hypothesis_home_dir(own)
        try:
            yield
        finally:
            configuration.set_hypothesis_home_dir(before)


SETTINGS = settings(
    derandomize=True, database=None, deadline=None, max_examples=40,
    phases=[Phase.generate, Phase.shrink], suppress_health_check=list(HealthCheck),
)


@st.composite
def _case(draw, spec):
    sizes = {d: draw(st.integers(1, 3)) for d in ("N", "D", "M")}
    shape = lambda dims: tuple(sizes[d] for d in dims)  # noqa: E731
    params = [draw(arrays(shape(dims), elements=_VALUES)) for _, dims in spec.get("params", [])]
    inputs = [draw(arrays(shape(dims), elements=_VALUES)) for dims in spec["inputs"]]
    if spec.get("labels"):
        inputs.append(draw(labels(sizes["N"], sizes["D"])))
    return params, inputs


def _describe(spec, params, inputs) -> str:
    names = [n for n, _ in spec.get("params", [])] + (["x", "y"] if len(spec["inputs"]) == 2 else ["x"]) + (
        ["t"] if spec.get("labels") else []
    )
    text = [f"{n} = {np.array2string(np.asarray(v), precision=4, separator=', ')}" for n, v in zip(names, params + inputs)]
    return "; ".join(" ".join(t.split()) for t in text)


def smallest_failure(session, record: BookLayer, info: dict, seed: int, gradients: frozenset[str] = frozenset()) -> Note | None:
    """A note with the smallest case on which the learner's layer fails, or None when none is found; the
    shapes to search come from the layer's record.  With ``gradients``, the case must fail one of them: the
    input shown must show the failure reported, not another."""
    spec, name = record.shrink, record.name
    if spec is None:
        return None

    class Fault(Exception):
        pass

    def fails(case) -> bool:
        params, inputs = case
        try:
            layer = remote_layer(session, session.create(name, params, {}, reseed=seed), info.get("forward", []), seed, name)
            result = check_learner_layer(record, layer, Case(args=tuple(params), inputs=tuple(inputs)), "full", seed, name)
        except LearnerFault:
            raise Fault() from None
        if result.problem is not None and result.problem.key.startswith("fault."):
            raise Fault()
        if gradients:
            return any(c.gradient in gradients for c in result.failures())
        return not result.passed

    try:
        with _storage_outside_the_learners_folder():
            params, inputs = find(_case(spec), fails, settings=SETTINGS)
    except (Fault, NoSuchExample, Unsatisfiable):
        return None
    return Note("shrink.smallest", {"case": _describe(spec, params, inputs)})
