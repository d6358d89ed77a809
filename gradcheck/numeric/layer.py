"""``check_layer``: gradient checks for any object with ``forward`` and ``backward(dout)``.

This is the "Deep Learning from Scratch" convention: ``backward`` returns the
input gradients (one array, or a tuple for several inputs) and stores each
parameter ``P``'s gradient in the attribute ``dP``.
"""

from __future__ import annotations

import inspect
import warnings
from typing import Any

import numpy as np

from ..report.model import CheckResult, Note
from .check import FastPlan, check_gradients
from .diff import EPS


class LearnerError(Exception):
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
    return _call("backward", layer.backward, dout.copy())


def check_layer(
    layer,
    *inputs,
    mode: str = "auto",
    seed: int = 0,
    forward_kwargs: dict | None = None,
    name: str | None = None,
    plan: FastPlan = FastPlan(),
) -> CheckResult:
    """Check ``layer.backward`` against finite differences of ``layer.forward``.

    The input gradients returned by ``backward`` and every parameter ``P`` with a
    gradient attribute ``dP`` are checked.  Inputs for which ``backward`` returns
    no gradient (the labels ``t`` of a loss layer) are held fixed.  The result's
    ``passed`` is the verdict; ``str(result)`` explains it.
    """
    result = CheckResult(name or type(layer).__name__, seed=seed, mode=mode)
    kwargs = dict(forward_kwargs or {})
    try:
        _run(layer, inputs, kwargs, result, plan)
    except LearnerError as err:
        result.problem = err.note()
    return result


def _run(layer, inputs, kwargs, result: CheckResult, plan: FastPlan) -> None:
    work = []
    for i, x in enumerate(inputs):
        if isinstance(x, np.ndarray) and np.issubdtype(x.dtype, np.floating):
            if x.dtype != np.float64:
                result.notes.append(Note("precision.input", {"index": i, "dtype": str(x.dtype)}))
            work.append(np.array(x, dtype=np.float64, order="C"))
        else:
            work.append(x)
    pristine = [w.copy() if isinstance(w, np.ndarray) else w for w in work]
    candidates = {k: getattr(layer, k) for k in _parameter_names(layer)}
    for k, v in candidates.items():
        if v.dtype != np.float64 or not v.flags.c_contiguous:
            result.notes.append(Note("precision.parameter", {"name": k, "dtype": str(v.dtype)}))
            setattr(layer, k, np.array(v, dtype=np.float64, order="C"))
            candidates[k] = getattr(layer, k)

    copies_needed = False

    def evaluate():
        args = [w.copy() if copies_needed and isinstance(w, np.ndarray) else w for w in work]
        return _output(_call("forward", layer.forward, *args, **kwargs), "forward")

    def evaluate_raw():
        return _call("forward", layer.forward, *[w.copy() if isinstance(w, np.ndarray) else w for w in work], **kwargs)

    probe_out = _call("forward", layer.forward, *work, **kwargs)
    if any(isinstance(w, np.ndarray) and not np.array_equal(w, p) for w, p in zip(work, pristine)):
        result.notes.append(Note("inplace.input"))
        for w, p in zip(work, pristine):
            if isinstance(w, np.ndarray):
                np.copyto(w, p)
        copies_needed = True
        probe_out = evaluate_raw()
    out = _output(probe_out, "forward")
    raw_dtype = np.asarray(probe_out).dtype if isinstance(probe_out, np.ndarray) else np.dtype(np.float64)
    eps = EPS
    if np.issubdtype(raw_dtype, np.floating) and raw_dtype.itemsize < 8:
        eps = float(np.finfo(raw_dtype).eps)
        result.notes.append(Note("precision.output", {"dtype": str(raw_dtype)}))

    scalar = out.ndim == 0
    rng = np.random.default_rng(result.seed)
    probe = 1.0 if scalar else rng.standard_normal(out.shape)
    if not scalar:
        result.notes.append(Note("probe.random", {"seed": result.seed}))
    dout = None if scalar else probe.copy()
    returned = _backward(layer, dout, scalar)
    if dout is not None and not np.array_equal(dout, probe):
        result.notes.append(Note("inplace.dout"))

    float_inputs = [i for i, w in enumerate(work) if isinstance(w, np.ndarray) and np.issubdtype(w.dtype, np.floating)]
    grads_list = _split_grads(returned, len(float_inputs))
    names = _input_names(layer, len(work))
    blocks, grads = [], {}
    for i, g in zip(float_inputs, grads_list):
        blocks.append((names[i], work[i]))
        grads[names[i]] = g
    for k, arr in candidates.items():
        if getattr(layer, k, None) is arr and hasattr(layer, "d" + k):
            blocks.append(("d" + k, arr))
            g = getattr(layer, "d" + k)
            grads["d" + k] = g.copy() if isinstance(g, np.ndarray) else g
    if not blocks:
        result.problem = Note("target.no_gradients")
        return
    batch = work[0].shape[0] if isinstance(work[0], np.ndarray) and work[0].ndim >= 1 else None
    many = None
    if hasattr(layer, "forward_many"):  # a sandboxed layer: batch the evaluations into one request per block
        targets = {names[i]: ("arg", i) for i in float_inputs} | {"d" + k: ("attr", k) for k in candidates}

        def many(name, arr, indices, values):
            out = _call("forward", layer.forward_many, work, kwargs, targets[name], indices, values, copies_needed)
            return _output(out, "forward")

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        result.checks = check_gradients(
            evaluate, blocks, grads, probe, mode=result.mode, seed=result.seed + 1, eps=eps, batch=batch, plan=plan,
            evaluate_many=many,
        )
    result.mode = result.checks[0].method if result.checks else result.mode
