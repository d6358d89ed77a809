"""The cs231n convention: every ``NAME_forward(...) -> (out, cache)`` with ``NAME_backward(dout, cache)``,
and loss functions returning ``(loss, gradient)``.

Inputs come from what the code says (docstring shapes, parameter names, parameter dicts filled with working
values); each pair is wrapped in the child as a layer whose inputs are its float arrays, and checked like a
DLFS class against finite differences, and against the reference forward where the layer is a known one.
"""

from __future__ import annotations

import re

import numpy as np

from ..layers import activations, affine, conv, norm
from ..layers.cases import distinct
from ..numeric.layer import check_layer
from ..options import Options
from ..report.model import CheckResult, Note
from ..sandbox.runner import LearnerFault
from ..numeric.compare import compare_outputs
from ..numeric.slopes import compare_slopes, void_gradients
from .base import Skipped, Target
from .remote import remote_layer
from .candidates import name_mistake
from .cs231n_mistakes import CANDIDATES
from .shapes import ArgInfo, concrete, name_shape, parse_docstring, sizes_for

NAME = "cs231n"

#: Working values for the parameter dicts cs231n passes; each list entry is one case.
DICT_CASES: dict[str, list[dict]] = {
    "conv_param": [{"stride": 1, "pad": 0}, {"stride": 2, "pad": 1}],
    "pool_param": [{"pool_height": 2, "pool_width": 2, "stride": 2}, {"pool_height": 3, "pool_width": 3, "stride": 2}],
    "bn_param": [{"mode": "train", "eps": 1e-5, "momentum": 0.9}],
    "ln_param": [{"eps": 1e-5}],
    "gn_param": [{"eps": 1e-5}],
    "dropout_param": [{"mode": "train", "p": 0.6, "seed": 123}, {"mode": "test", "p": 0.6, "seed": 123}],
}
#: Image sizes per pooling case, so that every window fits (4 for 2x2/2, 5 for 3x3/2).
POOL_SIZES = [4, 5]
#: Scalars a function may require, by name.
#: Scalars by name: a regularisation strength, group counts, and dropout's probability (``p``, ``keep_prob``).
SCALARS = {"reg": 0.1, "G": 2, "num_groups": 2, "eps": 1e-5, "p": 0.6, "keep_prob": 0.6, "drop_prob": 0.4,
           "dropout": 0.6, "lam": 0.1, "lambd": 0.1}
INTEGER_NAMES = ("y", "labels", "captions", "idx", "indices", "t")
POSITIVE = ("gamma",)


def _pairs(functions: dict[str, dict]) -> list[tuple[str, str, str]]:
    """(id, forward, backward) for every NAME_forward[_S] with a NAME_backward[_S] (or NAME_backward_S for
    an alternative backward of NAME_forward, like batchnorm_backward_alt)."""
    found = []
    for bname in functions:
        m = re.fullmatch(r"(\w*?)_?backward(_\w+)?", bname)
        if not m or not m.group(1):
            continue
        prefix, suffix = m.group(1), m.group(2) or ""
        fname = f"{prefix}_forward{suffix}"
        if fname not in functions:
            fname = f"{prefix}_forward"
        if fname in functions:
            found.append((prefix + suffix, fname, bname))
    return found


def _arg_plan(item: dict, options: Options) -> tuple[list[dict] | None, str]:
    """Per positional argument its role and how to make it, or (None, reason) when that is unknown."""
    docs = parse_docstring(item.get("doc", ""))
    names = {p["name"] for p in item["signature"]}
    plan, seen = [], {}
    for p in item["signature"]:
        name, doc = p["name"], docs.get(p["name"], ArgInfo())
        if not p["required"] and name not in DICT_CASES:
            continue  # keep the function's own default (verbose=False and the like)
        if name in DICT_CASES:
            plan.append({"name": name, "role": "dict"})
        elif name in options.shapes:
            plan.append({"name": name, "role": "input", "shape": list(options.shapes[name])})
        elif name in SCALARS or (doc.integer and doc.shape is None):
            plan.append({"name": name, "role": "scalar", "value": SCALARS.get(name, 2)})
        elif name.endswith("_param") or doc.dictionary:
            plan.append({"name": name, "role": "dict_unknown"})
        else:
            shape = doc.shape or name_shape(name, names, item["name"])
            integer = doc.integer or name in INTEGER_NAMES
            upper = doc.upper
            if integer and seen and (shape is None or upper is None):
                label_shape, upper = _label_shape(seen) if upper is None else (None, upper)
                shape = shape or label_shape
            if shape is None:
                return None, name
            seen[name] = shape
            boolean = doc.boolean or name == "mask"
            role = "bool" if boolean else "int" if integer else "input"
            plan.append({"name": name, "role": role, "shape": shape, "upper": upper})
    return plan, ""


def _label_shape(seen: dict[str, list]) -> tuple[list, str | None]:
    """Labels beside scores x (N, C): shape (N,), values below C; beside weights W (D, C) and data X (N, D):
    shape (N,), values below C."""
    data = next((seen[k] for k in ("x", "X", "scores", "score", "logits") if k in seen), next(iter(seen.values())))
    weights = next((seen[k] for k in ("W", "w") if k in seen), None)
    last = (weights or data)[-1]
    return data[:-1], last if isinstance(last, str) else None


def _dict_cases(plan: list[dict]) -> list[dict[str, dict]]:
    """One dict of parameter dicts per case: each listed value once, a convolution followed by pooling
    (conv_relu_pool) as one case that keeps the image size for the pool."""
    dicts = [a["name"] for a in plan if a["role"] == "dict"]
    if {"conv_param", "pool_param"} <= set(dicts):
        base = {d: DICT_CASES[d][0] for d in dicts}
        return [dict(base, conv_param={"stride": 1, "pad": 1}, pool_param=DICT_CASES["pool_param"][0])]
    count = max([len(DICT_CASES[d]) for d in dicts], default=1)
    return [{d: DICT_CASES[d][min(k, len(DICT_CASES[d]) - 1)] for d in dicts} for k in range(count)]


def _make_case(plan: list[dict], dicts: dict[str, dict], case_index: int, rng, first_only: bool = False):
    """The arguments of one case: the adapter's spec args, the checked inputs by name, and a label.
    ``first_only``: only the first float array is checked (a loss of weights: X is data)."""
    shapes = {a["name"]: a["shape"] for a in plan if "shape" in a}
    dims = sizes_for(shapes)
    if "pool_param" in dicts and "conv_param" not in dicts:
        dims["H"] = dims["W"] = POOL_SIZES[min(case_index, len(POOL_SIZES) - 1)]
    if "conv_param" in dicts and "pool_param" in dicts:
        dims["H"] = dims["W"] = 4
    args, inputs = [], {}
    for a in plan:
        role = a["role"]
        if role == "dict":
            args.append({"name": a["name"], "role": "fixed", "value": dict(dicts[a["name"]])})
        elif role == "dict_unknown":
            args.append({"name": a["name"], "role": "fixed", "value": {}})
        elif role == "scalar":
            args.append({"name": a["name"], "role": "fixed", "value": a["value"]})
        else:
            shape = concrete(a["shape"], dims)
            if shape is None:
                return None
            if role == "int":
                upper = dims.get(a["upper"] or "C", dims["C"])
                args.append({"name": a["name"], "role": "fixed", "value": rng.integers(0, upper, size=shape)})
            elif role == "bool":
                mask = rng.random(shape) > 0.3
                mask.reshape(-1)[0] = True
                args.append({"name": a["name"], "role": "fixed", "value": mask})
            else:
                value = _float_input(a["name"], shape, dicts, rng)
                if first_only and inputs:
                    args.append({"name": a["name"], "role": "fixed", "value": value})
                    continue
                args.append({"name": a["name"], "role": "input"})
                inputs[a["name"]] = value
    label = ", ".join(f"{k}={v}" for k, v in dicts.items() if k in ("conv_param", "pool_param", "dropout_param"))
    return args, inputs, label


def _float_input(name: str, shape, dicts, rng) -> np.ndarray:
    if name in POSITIVE:
        return rng.uniform(0.5, 1.5, shape)
    if "pool_param" in dicts and "conv_param" not in dicts and name == "x":
        return distinct(rng, shape)
    return rng.standard_normal(shape)


# -- references for the layers whose forward is fixed ---------------------------------------------------

def _conv_ref(i, d):
    cp = d["conv_param"]
    return conv.Convolution(i["w"], i["b"], cp["stride"], cp["pad"]).forward(i["x"])


def _pool_ref(i, d):
    pp = d["pool_param"]
    return conv.Pooling(pp["pool_height"], pp["pool_width"], pp["stride"]).forward(i["x"])


def _bn_ref(i, d):
    layer = norm.BatchNormalization(i["gamma"], i["beta"], eps=d["bn_param"].get("eps", 1e-5))
    return layer.forward(i["x"], train_flg=True)


#: How many float arrays each reference takes: a pair of the same name with other inputs is a function of its own.
REFERENCE_ARITY = {"affine": 3, "relu": 1, "sigmoid": 1, "batchnorm": 3, "conv_naive": 3, "max_pool_naive": 1}
REFERENCES = {
    "affine": lambda i, d: affine.Affine(i["w"], i["b"]).forward(i["x"]),
    "relu": lambda i, d: activations.Relu().forward(i["x"]),
    "sigmoid": lambda i, d: activations.Sigmoid().forward(i["x"]),
    "batchnorm": _bn_ref,
    "conv_naive": _conv_ref,
    "max_pool_naive": _pool_ref,
}


def _reference_output(reference, target_id: str, inputs: dict, dicts: dict):
    """The reference layer's forward on the learner's inputs (``X``, ``W`` as ``x``, ``w``), or None where the
    inputs are not the reference's (a ``relu_forward(x, w, b)`` of its own): its forward is then its own."""
    if reference is None or len(inputs) != REFERENCE_ARITY.get(target_id, len(inputs)):
        return None
    try:
        return reference({n.lower(): v.copy() for n, v in inputs.items()}, dicts)
    except (KeyError, ValueError, TypeError, IndexError):
        return None


def _reference_slopes(layer, reference, inputs: dict, dicts: dict, seed: int):
    """The learner's forward against the reference's around the checked point (see ``numeric.slopes``)."""
    names = [n.lower() for n in inputs]
    return compare_slopes(lambda arrays: layer.forward(*arrays), lambda arrays: reference(dict(zip(names, arrays)), dicts),
                          list(inputs.values()), seed)


def svm_loss_reference(x, y):
    """Multiclass hinge loss with margin 1, averaged over the batch."""
    n = x.shape[0]
    correct = x[np.arange(n), y][:, None]
    margins = np.maximum(0.0, x - correct + 1.0)
    margins[np.arange(n), y] = 0.0
    return margins.sum() / n


def softmax_loss_reference(x, y):
    shifted = x - x.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -log_probs[np.arange(x.shape[0]), y].mean()


# -- recognising -----------------------------------------------------------------------------------------

def _is_loss(item: dict) -> bool:
    name = item["name"]
    return bool(re.search(r"(^|_)loss(_|$)", name)) and not name.endswith(("_forward", "_backward")) and len(item["params"]) >= 2


def recognise(catalogue: list[dict], options: Options) -> tuple[list[Target], list[Skipped]]:
    """Every forward/backward pair and every loss function of the file."""
    functions = {c["name"]: c for c in catalogue if c["kind"] == "function"}
    targets, skipped, paired = [], [], set()
    for pid, fname, bname in _pairs(functions):
        paired.update((fname, bname))
        plan, missing = _arg_plan(functions[fname], options)
        if plan is None:
            skipped.append(Skipped(fname, Note("skip.shape_unknown", {"name": fname, "arg": missing})))
            continue
        targets.append(Target(pid, NAME, f"{fname} / {bname}", (fname, bname), {"forward": fname, "backward": bname, "plan": plan}))
    for name, item in functions.items():
        if name in paired:
            continue
        if name.endswith("_forward") and not _is_loss(item):
            skipped.append(Skipped(name, Note("skip.no_backward", {"name": name, "backward": name.replace("_forward", "_backward", 1)})))
        elif _is_loss(item):
            plan, missing = _arg_plan(item, options)
            if plan is None or not plan or plan[0]["role"] != "input":
                skipped.append(Skipped(name, Note("skip.shape_unknown", {"name": name, "arg": missing or item["params"][0]})))
                continue
            targets.append(Target(name, "cs231n_loss", name, (name,), {"plan": plan}))
    return targets, skipped


# -- checking --------------------------------------------------------------------------------------------

#: Per-channel parameters that notebooks also shape (1, C, 1, 1) where the template's docstring says (C,).
PER_CHANNEL = ("gamma", "beta")
RAISED = ("fault.error", "target.raised")


def _alternatives(plan: list[dict], fname: str) -> list[tuple[list[dict], str]]:
    """Other shapes the convention documents for the same arguments, each with what changed: per-channel
    parameters as (1, C, 1, 1) beside an (N, C, H, W) input, and every array at its usual shape for its name
    (a docstring with a typo, ``w: (D2, D2)``, or sizes that do not agree with each other)."""
    out = []
    if any(a["role"] == "input" and len(a.get("shape") or []) == 4 for a in plan):
        alt = [dict(a, shape=[1, a["shape"][0], 1, 1]) if a["name"] in PER_CHANNEL and len(a.get("shape") or []) == 1 else a
               for a in plan]
        changed = [a["name"] for a, b in zip(alt, plan) if a is not b]
        if changed:
            out.append((alt, ", ".join(f"{n}: (1, C, 1, 1)" for n in changed)))
    names = {a["name"] for a in plan}
    by_name, changed = [], []
    for a in plan:
        usual = name_shape(a["name"], names, fname) if a["role"] == "input" else None
        if usual and usual != a.get("shape"):
            by_name.append(dict(a, shape=usual))
            changed.append(f"{a['name']}: ({', '.join(map(str, usual))})")
        else:
            by_name.append(a)
    if changed:
        out.append((by_name, ", ".join(changed)))
    return out


def check(session, target: Target, options: Options) -> list[CheckResult]:
    """Check one pair on each of its cases; where the docstring's shapes make the code raise in every case,
    the convention's other documented shapes are tried before the learner is blamed."""
    plan = target.info["plan"]
    results = _check_plan(session, target, plan, options)
    if results and all(r.problem is not None and r.problem.key in RAISED for r in results):
        for alt, changed in _alternatives(plan, target.info["forward"]):
            tried = _check_plan(session, target, alt, options)
            if tried and not any(r.problem is not None and r.problem.key in RAISED for r in tried):
                raised = results[0].problem.params
                tried[0].notes.append(Note("note.shape_alternative", {"error": raised.get("detail") or raised.get("error", ""),
                                                                      "changed": changed}))
                return tried
    return results


def _check_plan(session, target: Target, plan: list[dict], options: Options) -> list[CheckResult]:
    rng = np.random.default_rng(options.seed)
    results = []
    for k, dicts in enumerate(_dict_cases(plan)):
        made = _make_case(plan, dicts, k, rng)
        if made is None:
            continue
        args, inputs, label = made
        spec = {"forward": target.info["forward"], "backward": target.info["backward"], "args": args}
        names = list(inputs)
        created = session.adapt("pair", target.id, spec, reseed=options.seed)
        layer = remote_layer(session, created, names, options.seed, target.id)
        title = f"{target.title} ({label})" if label else target.title
        result = check_layer(layer, *inputs.values(), mode=options.mode, seed=options.seed, name=title)
        result.kind = "function"
        if label:
            result.case = Note("case.params", {"params": label})
        reference = REFERENCES.get(target.id)
        want = _reference_output(reference, target.id, inputs, dicts) if result.problem is None else None
        if want is not None:
            forward = compare_outputs(want, layer.forward(*inputs.values()))
            result.checks.append(forward)
            if forward.passed:  # and around the point too: a forward that remembers its output there fails
                slopes = _reference_slopes(layer, reference, inputs, dicts, options.seed)
                result.checks.extend([slopes] if slopes is not None else [])
                void_gradients(result)
        _name_mistake(result, layer, target.id, inputs, dicts, options.seed)
        results.append(result)
    if target.id in ("batchnorm", "batchnorm_alt") and results:
        inference = _batchnorm_inference(session, target, plan, options)
        if inference is not None:
            results.append(inference)
    return results


def _batchnorm_inference(session, target: Target, plan: list[dict], options: Options) -> CheckResult | None:
    """Batch norm in test mode normalises with bn_param's running averages, not the batch's own statistics;
    forward only (cs231n backpropagates in training only)."""
    rng = np.random.default_rng(options.seed + 1)
    made = _make_case(plan, {"bn_param": DICT_CASES["bn_param"][0]}, 0, rng)
    if made is None or not {"x", "gamma", "beta"} <= set(made[1]):
        return None
    args, inputs, _ = made
    size = inputs["gamma"].shape[0]
    mean, var = rng.standard_normal(size), rng.uniform(0.5, 2.0, size)
    for a in args:
        if a["name"] == "bn_param":
            a["value"] = {"mode": "test", "eps": 1e-5, "momentum": 0.9, "running_mean": mean.copy(), "running_var": var.copy()}
    result = CheckResult(target.title, seed=options.seed, mode=options.mode, kind="function", case=Note("case.inference"))
    spec = {"forward": target.info["forward"], "backward": target.info["backward"], "args": args}
    try:
        layer = remote_layer(session, session.adapt("pair", target.id, spec, reseed=options.seed), list(inputs), options.seed, target.id)
        got = layer.forward(*inputs.values())
    except LearnerFault as fault:
        result.problem = fault.note(f"{target.info['forward']} (mode 'test')")
        return result
    want = (inputs["x"] - mean) / np.sqrt(var + 1e-5) * inputs["gamma"] + inputs["beta"]
    result.checks.append(compare_outputs(want, got))
    return result


def _name_mistake(result: CheckResult, layer, target_id: str, inputs: dict, dicts: dict, seed: int,
                  given: dict | None = None) -> None:
    """Name the candidate mistake the learner's gradients equal; ``given`` adds values the candidates read
    that are not checked inputs (a loss's labels)."""
    make = CANDIDATES.get(target_id)
    if make is not None:
        pristine = {n: v.copy() if isinstance(v, np.ndarray) else v for n, v in inputs.items()}
        known = dict(given or {}) | pristine
        name_mistake(result, layer, list(pristine.values()), seed, lambda dout: make(known, dicts, dout))


def _loss_reference(name: str, args: list[dict], inputs: np.ndarray):
    """The reference loss for softmax and SVM losses, with both regularisation conventions tried."""
    values = {a["name"]: a.get("value") for a in args}
    kind = "softmax" if "softmax" in name else "svm" if "svm" in name else None
    if kind is None or "temporal" in name:
        return None
    data = softmax_loss_reference if kind == "softmax" else svm_loss_reference
    if "X" in values and "y" in values:
        w = inputs
        base = data(values["X"] @ w, values["y"])
        reg = float(values.get("reg") or 0.0)
        return [base + reg * np.sum(w * w), base + 0.5 * reg * np.sum(w * w)]
    if "y" in values:
        return [data(inputs, values["y"])]
    return None


def _batch(args: list[dict], first: np.ndarray) -> int:
    data = next((a["value"] for a in args if a["name"] in ("X", "x") and isinstance(a.get("value"), np.ndarray)), first)
    return int(data.shape[0])


def _name_summed_loss(result: CheckResult, got, want, n: int) -> None:
    """A loss summed over the batch (N times the mean) with a dx right for the mean: finite differences of the
    summed loss make dx look divided by N too often, but the mistake is in the loss; say so instead."""
    try:
        ratio = float(got) / float(want)
    except (TypeError, ValueError, ZeroDivisionError):
        return
    if not np.isfinite(float(got)):  # the loss overflowed (exp of scores near 1000 without the max subtracted)
        for check in result.failures():
            check.diagnoses = [Note("diag.overflow")]
        return
    if n < 2 or not np.isfinite(ratio) or abs(ratio - n) > 1e-6 * n:
        return
    for check in result.checks:
        check.diagnoses = [Note("diag.loss_summed", {"n": n})] if not check.passed else check.diagnoses


def check_loss(session, target: Target, options: Options) -> list[CheckResult]:
    """Check ``name(...) -> (loss, d_first)``; a softmax loss of scores also at logits near 1000."""
    plan = target.info["plan"]
    rng = np.random.default_rng(options.seed)
    made = _make_case(plan, {}, 0, rng, first_only=True)
    if made is None:
        return []
    args, inputs, _ = made
    first = next(iter(inputs.values()))
    cases = [("", first)]
    if "softmax" in target.id and len(inputs) == 1 and plan[0]["name"] in ("x", "scores"):
        cases.append(("large", 1000.0 + first))
    results = []
    for label, value in cases:
        created = session.adapt("loss", target.id, {"args": args}, reseed=options.seed)
        layer = remote_layer(session, created, [plan[0]["name"]], options.seed, target.id)
        result = check_layer(layer, value, mode=options.mode, seed=options.seed, name=target.title)
        result.kind = "function"
        if label:
            result.case = Note("case.large_logits")
        wants = _loss_reference(target.id, args, value)
        if result.problem is None and wants is not None:
            got = layer.forward(value)
            checks = [compare_outputs(w, got) for w in wants]
            result.checks.append(next((c for c in checks if c.passed), checks[0]))
            _name_summed_loss(result, got, wants[0], _batch(args, value))
        given = {a["name"]: a.get("value") for a in args} | {plan[0]["name"]: value, "x": value}
        if not any(n.key in ("diag.loss_summed", "diag.overflow") for c in result.checks for n in c.diagnoses):
            _name_mistake(result, layer, target.id, {plan[0]["name"]: value}, {}, options.seed, given)
        results.append(result)
    return results


CHECKS = {NAME: check, "cs231n_loss": check_loss}
