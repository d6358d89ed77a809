"""Whole networks: every ``params[key]`` checked against finite differences of the network's loss.

The book's networks (``params``, ``loss(x, t)``, ``gradient(x, t)``: TwoLayerNet, MultiLayerNet(Extend),
SimpleConvNet) and cs231n's (``loss(X, y) -> (loss, grads)``: TwoLayerNet, FullyConnectedNet,
ThreeLayerConvNet, CaptioningRNN) are built small, by constructor argument names, in float64, once
plainly and once per option that changes the graph (batch norm, dropout, an LSTM cell).  Randomness inside
(dropout) repeats because the child reseeds NumPy before every call.
"""

from __future__ import annotations

import numpy as np

from ..numeric.layer import check_layer
from ..options import Options
from ..report.model import CheckResult, Note
from .base import Skipped, Target
from .network_graph import Graph, examine, explain
from .remote import remote_layer

NAME = "network"

N, T, CLASSES, FEATURES = 4, 4, 3, 5
WORDS = {"<NULL>": 0, "<START>": 1, "<END>": 2, "a": 3, "b": 4, "c": 5}
#: Small sizes by constructor argument name.
SIZES = {
    "input_size": FEATURES, "hidden_size": 4, "output_size": CLASSES, "hidden_size_list": [4, 4], "hidden_dims": [4, 3],
    "num_classes": CLASSES, "hidden_dim": 4, "num_filters": 3, "filter_size": 3, "wordvec_dim": 4,
    "weight_init_std": 0.3, "weight_scale": 0.3, "reg": 0.1, "weight_decay_lambda": 0.1, "seed": 0,
    "word_to_idx": WORDS, "vocab_size": 7, "wordvec_size": 4, "window_size": 1, "corpus": list(range(7)) * 3,
}
#: Options that change the graph, each tried as one more variant: (name, value it takes, its default).
VARIANTS = [("use_batchnorm", True), ("use_dropout", True), ("normalization", "batchnorm"), ("normalization", "layernorm"),
            ("dropout_keep_ratio", 0.5), ("dropout", 0.5), ("cell_type", "lstm")]
CONV_KEYS = {"filter_num": 3, "filter_size": 3}
SCALES = ("weight_init_std", "weight_scale")
#: A network's loss may differ from what its backward differentiates by a small constant (the book's
#: cross-entropy adds 1e-7 inside the log): agreement to this relative error passes; real bugs are far above.
RTOL = 1e-5


def _input_dim(default):
    if isinstance(default, (tuple, list)) and len(default) == 3:
        return (min(int(default[0]), 3) if isinstance(default[0], int) else 1, 8, 8)
    return FEATURES


def _small(name: str, default):
    """Our small size for an argument, in the shape of its default: a list default stays a list of its length."""
    value = SIZES[name]
    if isinstance(default, (list, tuple)) and default and not isinstance(value, dict):
        return [value[0] if isinstance(value, list) else value] * len(default)
    return value


def constructor(item: dict, options: Options, own: bool = False) -> tuple[dict | None, list[str], str]:
    """(keyword arguments, the ones to set to float64, the first required one nothing fills).  ``own`` keeps
    every default the constructor has (for code whose sizes are fixed inside it, a 28x28 input say)."""
    kwargs, float64 = {}, []
    # weights scaled for our small sizes would saturate the softmax at a network's real sizes (and the book's
    # 1e-7 inside the log then flattens the loss): there the author's own scale stays
    real = own or any(isinstance(SIZES.get(name), (int, list)) and name != "seed" for name in options.init)
    for p in item["init_params"]:
        name, default = p["name"], p.get("default")
        if name in options.init:
            kwargs[name] = options.init[name]
        elif name in SCALES and real and not p["required"]:
            continue
        elif name == "dtype":
            float64.append(name)
        elif own and not p["required"]:
            continue
        elif name == "input_dim":
            kwargs[name] = _input_dim(default)
        elif name == "conv_param" and isinstance(default, dict):
            kwargs[name] = {k: CONV_KEYS.get(k, v) for k, v in default.items()}
        elif name in SIZES:
            kwargs[name] = _small(name, default)
        elif p["required"]:
            return None, [], name
    return kwargs, float64, ""


def _variants(item: dict) -> list[dict]:
    defaults = {p["name"]: p.get("default") for p in item["init_params"]}
    return [{}] + [{name: value} for name, value in VARIANTS if name in defaults and defaults[name] != value]


#: Names a forward's second argument has when it takes the labels, so that forward returns the loss.
LABELS = frozenset({"t", "ts", "y", "ys", "target", "targets", "label", "labels", "answer", "answers"})


def built_from_sizes(item: dict) -> bool:
    """A second-book class with ``forward`` and ``backward`` that its constructor builds from sizes alone (a
    layer is built from arrays, a loss layer from nothing): a model, or a block of one (an Encoder)."""
    methods = set(item["methods"])
    if not {"forward", "backward"} <= methods or "loss" in methods:
        return False
    sizes = [p["name"] for p in item["init_params"] if _size_name(p["name"])]
    return bool(sizes) and all(_size_name(p["name"]) or not p["required"] for p in item["init_params"])


def takes_labels(item: dict) -> bool:
    """Whether ``forward(x, t)`` takes the labels second (a model returning its loss), not ``forward(xs, h)``."""
    names = [n for n in item.get("forward", []) if n != "train_flg"]
    return len(names) >= 2 and names[1] in LABELS


def _second_book(item: dict) -> bool:
    """A network in the second book's style: ``forward(x, t)`` returning the loss and ``backward(dout=1)``,
    built from sizes."""
    return built_from_sizes(item) and takes_labels(item)


def _size_name(name: str) -> bool:
    """An argument that gives a size (``hidden_size``, ``vocab_size``, ``input_dim``), not a weight or a rate;
    or the corpus a negative sampler counts words in."""
    return name in ("input_dim", "corpus") or name.endswith("_size") or (name.endswith(("_dim", "_dims", "_list")) and name in SIZES)


def recognise(catalogue: list[dict], options: Options) -> tuple[list[Target], list[Skipped]]:
    """Classes with a loss method (and a gradient method, or no forward/backward of their own), and the second
    book's models (``forward(x, t)`` and ``backward()``, built from sizes)."""
    targets, skipped = [], []
    for item in catalogue:
        if item["kind"] != "class" or item.get("abstract"):
            continue
        methods = set(item["methods"])
        second = _second_book(item)
        if not second and ("loss" not in methods or ("gradient" not in methods and {"forward", "backward", "update"} & methods)):
            continue
        kwargs, float64, missing = constructor(item, options)
        if kwargs is None:
            skipped.append(Skipped(item["name"], Note("skip.init_unknown", {"name": item["name"], "arg": missing})))
            continue
        own, _, _ = constructor(item, options, own=True)
        defaults = {p["name"]: p.get("default") for p in item["init_params"] if not p["required"]}
        method = "gradient" if "gradient" in methods else "loss" if "loss" in methods else "backward"
        info = {"kwargs": kwargs, "own": own, "defaults": defaults, "float64": float64,
                "loss": item.get("forward" if second else "loss", []), "variants": _variants(item), "method": method}
        targets.append(Target(item["name"], NAME, item["name"], (item["name"],), info))
    return targets, skipped


def _data(kwargs: dict, loss_params: list[str], rng, onehot: bool = False, defaults: dict | None = None) -> list:
    """The network's data: inputs shaped by its input size, labels (or captions) in range, one-hot where the
    code computes ``y - t``.  The batch differs from the class count, so a mismatch raises, never broadcasts."""
    kwargs = dict(defaults or {}, **kwargs)
    dim = kwargs.get("input_dim", kwargs.get("input_size", FEATURES))
    dim = tuple(dim) if isinstance(dim, list) else dim
    shape = (N, *dim) if isinstance(dim, tuple) else (N, dim)
    classes = kwargs.get("num_classes", kwargs.get("output_size", CLASSES))
    x = rng.standard_normal(shape)
    names = [p for p in loss_params if p != "train_flg"]
    if "word_to_idx" in kwargs:
        labels = rng.integers(0, len(kwargs["word_to_idx"]), size=(N, T + 1))
        labels[:, 0] = WORDS["<START>"]
    elif "vocab_size" in kwargs:  # word ids in and word ids as labels (one-hot where the code multiplies them)
        vocab = kwargs["vocab_size"]
        if names[:1] == ["contexts"]:  # a word2vec model: the words around each target word, and the target
            words = [rng.integers(0, vocab, size=(N, 2 * kwargs.get("window_size", 1))), rng.integers(0, vocab, size=N)]
        else:  # a language model or a seq2seq: (N, T) ids and the next ids as labels
            ids = rng.integers(0, vocab, size=(N, T + 1))
            words = [ids[:, :-1], ids[:, 1:]]
        return [np.eye(vocab)[w] if onehot else w for w in words][: max(1, len(names))]
    else:
        labels = rng.integers(0, classes, size=N)
        if onehot:
            labels = np.eye(classes)[labels]
    return [x, labels] if len(names) >= 2 else [x]


def _fitting(session, target: Target, variant: dict, options: Options) -> tuple[dict, list[Note], Graph | None]:
    """The first way of building and feeding the network its code supports (our small sizes with integer
    labels, then one-hot labels, then the constructor's own sizes), with the traced graph of that one."""
    info = target.info
    tries = [(info["kwargs"], False, False), (info["kwargs"], True, False)]
    if info["own"] is not None and info["own"] != info["kwargs"]:
        tries += [(info["own"], False, True), (info["own"], True, True)]
    first = None
    for kwargs, onehot, own in tries:
        kwargs = dict(kwargs, **variant)
        args = _data(kwargs, info["loss"], np.random.default_rng(options.seed), onehot, info["defaults"])
        spec = {"kwargs": kwargs, "float64": info["float64"], "args": args, "loss_params": info["loss"]}
        first = first or spec
        graph = examine(session, target.id, spec, options, f"{target.title}.{info['method']}", RTOL)
        if graph is not None:
            notes = [Note("network.labels_onehot")] if onehot else []
            if own:
                notes.append(Note("network.own_sizes"))
            return spec, notes, graph
    return first, [], None


def check(session, target: Target, options: Options) -> list[CheckResult]:
    """Check every node of the network where it is used and every parameter, once per variant; a failure
    names the node that is wrong (or the wiring, or the network's own code)."""
    results = []
    for variant in target.info["variants"]:
        spec, notes, graph = _fitting(session, target, variant, options)
        created = session.adapt("network", target.id, spec, reseed=options.seed)
        layer = remote_layer(session, created, [], options.seed, target.id)
        label = ", ".join(f"{k}={v!r}" for k, v in variant.items())
        title = f"{target.title} ({label})" if label else target.title
        # where every node is checked exactly, random projections of the whole network are enough
        mode = "fast" if graph is not None and graph.nodes and options.mode == "auto" else options.mode
        result = check_layer(layer, mode=mode, seed=options.seed, name=title, rtol=RTOL, batch=N)
        result.mode = options.mode
        result.notes.append(Note("network.rtol", {"rtol": RTOL}))
        result.notes.extend(notes)
        result.kind = "network"
        if label:
            result.case = Note("case.params", {"params": label})
        owners = (layer._gradcheck_info or {}).get("owners", {})
        result.notes.extend(Note("note.tied", {"tied": j, "first": i}) for j, i in (layer._gradcheck_info or {}).get("tied", {}).items())
        if (layer._gradcheck_info or {}).get("float64"):
            result.notes = [n for n in result.notes if not n.key.startswith("precision.")] + [Note("network.float64")]
        for check_ in result.checks:
            key = check_.gradient[1:] if check_.gradient.startswith("d") else check_.gradient
            check_.gradient = key if key.startswith("params[") else f"params[{key!r}]"  # a list's params[0] as it is
            if not check_.passed and key in owners:
                check_.notes.append(Note("network.owner", {"key": key, "owner": owners[key]}))
        if graph is not None and graph.nodes:
            explain(result, graph, target.title)
        results.append(result)
    return results


CHECKS = {NAME: check}
