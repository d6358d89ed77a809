"""``check_layer``: gradient checks for any object with ``forward`` and ``backward(dout)``.

This is the "Deep Learning from Scratch" convention: ``backward`` returns the
input gradients (one array, or a tuple for several inputs) and stores each
parameter ``P``'s gradient in the attribute ``dP``.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
import warnings
from typing import Any

import numpy as np

from ..report.model import CheckResult, Note
from .check import FastPlan, check_gradients
from .diff import EPS
from .effort import decided
from ..errors import GradcheckError


class LearnerError(GradcheckError):
    """The code under check raised; carries where, so the report can say so."""

    def __init__(self, where: str, exc: BaseException):
        super().__init__(f"{where}: {type(exc).__name__}: {exc}")
        self.where = where
        self.error = f"{type(exc).__name__}: {exc}"
        self.exc = exc

    def note(self) -> Note:
        """A sandbox fault explains itself; any other exception is reported as raised."""
        if hasattr(self.exc, "note"):
            return self.exc.note(self.where)
        return Note("target.raised", {"where": self.where, "error": self.error})


def _call(where: str, fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except Exception as exc:
        raise LearnerError(where, exc) from exc


def _input_names(layer, count: int) -> list[str]:
    declared = getattr(layer, "_gradcheck_input_names", None)
    if declared is not None and len(declared) >= count:
        return ["d" + n for n in declared[:count]]
    try:
        params = [
            p.name
            for p in inspect.signature(layer.forward).parameters.values()
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]
    except (TypeError, ValueError):
        params = []
    names = params[:count] if len(params) >= count else [f"x{i}" for i in range(count)]
    return ["d" + n for n in names]


def _is_float_array(value: Any) -> bool:
    return isinstance(value, np.ndarray) and np.issubdtype(value.dtype, np.floating)


def _parameter_names(layer) -> list[str]:
    """Float array attributes that are not themselves the gradient ``dP`` of another."""
    attrs = vars(layer) if hasattr(layer, "__dict__") else {}
    return [k for k, v in attrs.items() if _is_float_array(v) and not (k.startswith("d") and k[1:] in attrs)]


def _output(value, where: str) -> np.ndarray:
    if isinstance(value, tuple):
        raise LearnerError(where, TypeError("forward returned a tuple; a layer's forward returns one array"))
    try:
        return np.array(value, dtype=np.float64)  # a copy: forward may return a view of its input
    except Exception as exc:
        raise LearnerError(where, exc) from exc


def _split_grads(returned, count: int) -> list:
    """One gradient per input: a tuple means several, anything else is the first input's."""
    if isinstance(returned, tuple):
        return list(returned)
    if isinstance(returned, list) and count > 1 and len(returned) == count:
        return list(returned)
    return [returned]


def _backward(layer, dout, scalar: bool):
    if scalar:
        try:
            sig = inspect.signature(layer.backward)
            takes_arg = any(
                p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL) for p in sig.parameters.values()
            )
        except (TypeError, ValueError):
            takes_arg = True
        return _call("backward", layer.backward, 1.0) if takes_arg else _call("backward", layer.backward)
    return _call("backward", layer.backward, dout)  # a copy of the probe: a change to it is noticed after


def check_layer(
    layer,
    *inputs,
    mode: str = "auto",
    seed: int = 0,
    forward_kwargs: dict | None = None,
    name: str | None = None,
    plan: FastPlan = FastPlan(),
    rtol: float = 0.0,
    batch: int | None = None,
    atol: float = 0.0,
) -> CheckResult:
    """Check ``layer.backward`` against finite differences of ``layer.forward``.

    The input gradients returned by ``backward`` and every parameter ``P`` with a
    gradient attribute ``dP`` are checked.  Inputs for which ``backward`` returns
    no gradient (the labels ``t`` of a loss layer) are held fixed.  The result's
    ``passed`` is the verdict; ``str(result)`` explains it.  ``batch`` (the first
    input's length by default) names a missing or extra 1/N in a diagnosis.
    """
    result = CheckResult(name or type(layer).__name__, seed=seed, mode=mode)
    settings = _Settings(mode, seed, plan, rtol, batch, atol)
    try:
        _run(layer, inputs, dict(forward_kwargs or {}), result, settings)
    except LearnerError as err:
        result.problem = err.note()
    decided(result)
    return result


def _working_inputs(inputs, result: CheckResult) -> list:
    """Float inputs as float64 C-contiguous copies (noting a precision change); anything else as it is."""
    work = []
    for i, x in enumerate(inputs):
        if isinstance(x, np.ndarray) and np.issubdtype(x.dtype, np.floating):
            if x.dtype != np.float64:
                result.notes.append(Note("precision.input", {"index": i, "dtype": str(x.dtype)}))
            work.append(np.array(x, dtype=np.float64, order="C"))
        else:
            work.append(x)
    return work


def _parameter_arrays(layer, result: CheckResult) -> dict[str, np.ndarray]:
    """The layer's candidate parameter arrays, made float64 and contiguous so they can be perturbed in place."""
    candidates = {k: getattr(layer, k) for k in _parameter_names(layer)}
    for k, v in candidates.items():
        if v.dtype != np.float64 or not v.flags.c_contiguous:
            result.notes.append(Note("precision.parameter", {"name": k, "dtype": str(v.dtype)}))
            setattr(layer, k, np.array(v, dtype=np.float64, order="C"))
            candidates[k] = getattr(layer, k)
    return candidates


def _output_eps(raw, result: CheckResult) -> float:
    """The rounding unit of the forward's own precision, noted when it is below float64."""
    dtype = raw.dtype if isinstance(raw, np.ndarray) else np.dtype(np.float64)
    if np.issubdtype(dtype, np.floating) and dtype.itemsize < 8:
        result.notes.append(Note("precision.output", {"dtype": str(dtype)}))
        return float(np.finfo(dtype).eps)
    return EPS


class _LayerRun:
    """One check of one layer: its working inputs and parameters, and how to evaluate its forward."""

    def __init__(self, layer, inputs, kwargs, result: CheckResult):
        self.layer, self.kwargs, self.result = layer, kwargs, result
        self.work = _working_inputs(inputs, result)
        self.params = _parameter_arrays(layer, result)
        self.copies = False  # set when forward changes its input: every call then gets copies

    def args(self, copy: bool) -> list:
        return [w.copy() if copy and isinstance(w, np.ndarray) else w for w in self.work]

    def evaluate(self) -> np.ndarray:
        return _output(_call("forward", self.layer.forward, *self.args(self.copies), **self.kwargs), "forward")

    def first_forward(self):
        """Forward on the working arrays themselves, to see whether it modifies them; restore them if it does."""
        pristine = self.args(copy=True)
        raw = _call("forward", self.layer.forward, *self.work, **self.kwargs)
        if _changed(self.layer) or any(isinstance(w, np.ndarray) and not np.array_equal(w, p) for w, p in zip(self.work, pristine)):
            self.result.notes.append(Note("inplace.input"))
            for w, p in zip(self.work, pristine):
                if isinstance(w, np.ndarray):
                    np.copyto(w, p)
            self.copies = True
            raw = _call("forward", self.layer.forward, *self.args(True), **self.kwargs)
        return raw

    def blocks(self, returned, names: list[str]) -> tuple[list, dict, list[int]]:
        """The arrays to perturb, each with the gradient backward claimed for it."""
        floats = [i for i, w in enumerate(self.work) if isinstance(w, np.ndarray) and np.issubdtype(w.dtype, np.floating)]
        blocks, grads = [], {}
        for i, g in zip(floats, _split_grads(returned, len(floats))):
            blocks.append((names[i], self.work[i]))
            grads[names[i]] = g
        for k, arr in self.params.items():
            if getattr(self.layer, k, None) is arr and hasattr(self.layer, "d" + k):
                g = getattr(self.layer, "d" + k)
                blocks.append(("d" + k, arr))
                grads["d" + k] = g  # check_gradients copies it before the next forward
        return blocks, grads, floats

    def batched(self, names: list[str], floats: list[int]):
        """For a sandboxed layer, evaluations batched into one request per block; otherwise None."""
        if not hasattr(self.layer, "forward_many"):
            return None
        targets = {names[i]: ("arg", i) for i in floats} | {"d" + k: ("attr", k) for k in self.params}

        def many(name, arr, indices, values):
            out = _call("forward", self.layer.forward_many, self.work, self.kwargs, targets[name], indices, values, self.copies)
            return _output(out, "forward")

        return many


def _changed(layer) -> bool:
    """Whether the last call of a sandboxed layer changed an argument in place (the child compares)."""
    return bool(getattr(layer, "_gradcheck_changed", None))


@dataclass(frozen=True)
class _Settings:
    """How one layer is checked; the probe uses ``seed``, the engine's random choices ``seed + 1``."""

    mode: str
    seed: int
    plan: FastPlan
    rtol: float
    batch: int | None
    atol: float = 0.0


def _run(layer, inputs, kwargs, result: CheckResult, settings: _Settings) -> None:
    run = _LayerRun(layer, inputs, kwargs, result)
    raw = run.first_forward()
    out = _output(raw, "forward")
    eps = _output_eps(raw, result)
    scalar = out.ndim == 0
    probe = 1.0 if scalar else np.random.default_rng(settings.seed).standard_normal(out.shape)
    if not scalar:
        result.notes.append(Note("probe.random", {"seed": settings.seed}))
    dout = None if scalar else probe.copy()
    returned = _backward(layer, dout, scalar)
    if dout is not None and (_changed(layer) or not np.array_equal(dout, probe)):
        result.notes.append(Note("inplace.dout"))
    names = _input_names(layer, len(run.work))
    blocks, grads, floats = run.blocks(returned, names)
    if not blocks:
        result.problem = Note("target.no_gradients")
        return
    first = run.work[0] if run.work else None
    batch = settings.batch
    if batch is None and isinstance(first, np.ndarray) and first.ndim >= 1:
        batch = first.shape[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        result.checks = check_gradients(
            run.evaluate, blocks, grads, probe, mode=settings.mode, seed=settings.seed + 1, eps=eps, batch=batch,
            plan=settings.plan, evaluate_many=run.batched(names, floats), rtol=settings.rtol, atol=settings.atol,
        )
    result.mode = result.checks[0].method if result.checks else settings.mode


def claimed_gradients(layer, inputs, dout, forward_kwargs: dict | None = None) -> dict[str, np.ndarray]:
    """What the layer's backward claims for ``dout`` after a forward on ``inputs``: each float input's gradient
    and each parameter's ``dP``, by the names the checks use.  Raises whatever the learner's code raises."""
    out = np.asarray(layer.forward(*inputs, **(forward_kwargs or {})), dtype=np.float64)
    returned = layer.backward(1.0 if out.ndim == 0 else np.array(dout, dtype=np.float64))
    floats = [i for i, w in enumerate(inputs) if isinstance(w, np.ndarray) and np.issubdtype(w.dtype, np.floating)]
    names = _input_names(layer, len(inputs))
    got: dict[str, np.ndarray] = {}
    for i, g in zip(floats, _split_grads(returned, len(floats))):
        got[names[i]] = g
    for k in _parameter_names(layer):
        g = getattr(layer, "d" + k, None)
        if g is not None:
            got["d" + k] = g
    return got
