"""The second "Deep Learning from Scratch" book's layers, whose weights and gradients are ``params`` and
``grads`` lists: recognised by the book's class names and constructor arguments (``W``, ``Wx``, ``Wh``,
``b``), built from arrays of the book's shapes, fed what the book feeds them (word ids for the embeddings,
(N, T, D) sequences for the Time layers), and checked with every gradient in ``grads`` (``dparams[i]``).

Layers the first book has too (``Affine``, ``Sigmoid``, ``SoftmaxWithLoss``, ...) keep that convention, which
checks the lists as well; float32 storage is evaluated in float64 by the same code (``graph_trace.promote``).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..numeric.layer import check_layer
from ..options import Options
from ..report.model import CheckResult, Note
from ..sandbox.runner import LearnerFault
from . import networks
from .base import Skipped, Target
from .remote import remote_layer

NAME = "dlfs2"
RTOL = 1e-5
N, T, D, H, V = 3, 4, 5, 4, 7


def _normal(r, *shape):
    return r.standard_normal(shape) * 0.5


def _ids(r, *shape):
    return r.integers(0, V, size=shape)


#: For each class: its constructor's array arguments by name, and the inputs of its forward.
Make = Callable[[np.random.Generator], tuple[dict, tuple]]
LAYERS: dict[str, Make] = {
    "MatMul": lambda r: ({"W": _normal(r, D, H)}, (_normal(r, N, D),)),
    "Embedding": lambda r: ({"W": _normal(r, V, D)}, (_ids(r, N),)),
    "RNN": lambda r: ({"Wx": _normal(r, D, H), "Wh": _normal(r, H, H), "b": _normal(r, H)}, (_normal(r, N, D), _normal(r, N, H))),
    "LSTM": lambda r: ({"Wx": _normal(r, D, 4 * H), "Wh": _normal(r, H, 4 * H), "b": _normal(r, 4 * H)},
                       (_normal(r, N, D), _normal(r, N, H), _normal(r, N, H))),
    "GRU": lambda r: ({"Wx": _normal(r, D, 3 * H), "Wh": _normal(r, H, 3 * H), "b": _normal(r, 3 * H)},
                      (_normal(r, N, D), _normal(r, N, H))),
    "TimeRNN": lambda r: ({"Wx": _normal(r, D, H), "Wh": _normal(r, H, H), "b": _normal(r, H)}, (_normal(r, N, T, D),)),
    "TimeLSTM": lambda r: ({"Wx": _normal(r, D, 4 * H), "Wh": _normal(r, H, 4 * H), "b": _normal(r, 4 * H)}, (_normal(r, N, T, D),)),
    "TimeGRU": lambda r: ({"Wx": _normal(r, D, 3 * H), "Wh": _normal(r, H, 3 * H), "b": _normal(r, 3 * H)}, (_normal(r, N, T, D),)),
    "TimeEmbedding": lambda r: ({"W": _normal(r, V, D)}, (_ids(r, N, T),)),
    "TimeAffine": lambda r: ({"W": _normal(r, D, H), "b": _normal(r, H)}, (_normal(r, N, T, D),)),
    "TimeSoftmaxWithLoss": lambda r: ({}, (_normal(r, N, T, V), _ids(r, N, T))),
    "EmbeddingDot": lambda r: ({"W": _normal(r, V, D)}, (_normal(r, N, D), _ids(r, N))),
    "SigmoidWithLoss": lambda r: ({}, (_normal(r, N), r.integers(0, 2, size=N))),
    "WeightSum": lambda r: ({}, (_normal(r, N, T, H), _normal(r, N, T))),
    "AttentionWeight": lambda r: ({}, (_normal(r, N, T, H), _normal(r, N, H))),
    "Attention": lambda r: ({}, (_normal(r, N, T, H), _normal(r, N, H))),
    "TimeAttention": lambda r: ({}, (_normal(r, N, T, H), _normal(r, N, T, H))),
    "TimeDropout": lambda r: ({}, (_normal(r, N, T, D),)),
    "TimeSigmoidWithLoss": lambda r: ({}, (_normal(r, N, T), r.integers(0, 2, size=(N, T)))),
    "TimeBiLSTM": lambda r: ({"Wx1": _normal(r, D, 4 * H), "Wh1": _normal(r, H, 4 * H), "b1": _normal(r, 4 * H),
                              "Wx2": _normal(r, D, 4 * H), "Wh2": _normal(r, H, 4 * H), "b2": _normal(r, 4 * H)},
                             (_normal(r, N, T, D),)),
    # the sampler draws with NumPy's generator, which the child reseeds before every call: the same
    # negative samples for every finite difference
    "NegativeSamplingLoss": lambda r: ({"W": _normal(r, V, D), "corpus": np.tile(np.arange(V), 3)}, (_normal(r, N, D), _ids(r, N))),
}


#: Inputs of a block built from sizes (an Encoder's ``xs``, a Decoder's ``h``), by argument name.
WORD_INPUTS = ("xs", "x", "ids", "idx", "word_ids", "words", "contexts")
STATE_INPUTS = ("h", "h_prev", "c", "c_prev", "dh")


def _block(item: dict, options: Options) -> tuple[dict | None, list[str], str]:
    """(constructor sizes, forward's input kinds, the first input we cannot make) for a block of a model."""
    kwargs, _, missing = networks.constructor(item, options)
    if kwargs is None:
        return None, [], missing
    kinds = []
    for arg in item.get("forward", []):
        if arg in ("train_flg", "stateful"):
            break
        kind = "words" if arg in WORD_INPUTS else "state" if arg in STATE_INPUTS else "states" if arg.endswith("hs") else ""
        if not kind:
            return None, [], arg
        kinds.append(kind)
    return kwargs, kinds, ""


def _block_inputs(kwargs: dict, kinds: list[str], rng) -> tuple:
    vocab, hidden = kwargs["vocab_size"], kwargs.get("hidden_size", H)
    made = {"words": lambda: rng.integers(0, vocab, size=(N, T)),
            "state": lambda: _normal(rng, N, hidden), "states": lambda: _normal(rng, N, T, hidden)}
    return tuple(made[k]() for k in kinds)


def recognise(catalogue: list[dict], options: Options) -> tuple[list[Target], list[Skipped]]:
    """The second book's layer classes, by name, where their constructor takes the book's arrays first; and
    the blocks of its word models (``Encoder``, ``Decoder``: built from ``vocab_size`` and other sizes), fed
    word ids and states."""
    targets, skipped = [], []
    for item in catalogue:
        name = item["name"]
        if item["kind"] == "class" and name not in LAYERS and not item.get("abstract") and "vocab_size" in item["init"] \
                and networks.built_from_sizes(item) and not networks.takes_labels(item):
            kwargs, kinds, missing = _block(item, options)
            if kwargs is None:
                skipped.append(Skipped(name, Note("skip.shape_unknown", {"name": name, "arg": missing})))
            else:
                targets.append(Target(name, NAME, name, (name,), dict(item, block={"kwargs": kwargs, "kinds": kinds})))
            continue
        if item["kind"] != "class" or name not in LAYERS or not {"forward", "backward"} <= set(item["methods"]):
            continue
        arrays = list(LAYERS[name](np.random.default_rng(0))[0])
        required = [p["name"] for p in item["init_params"] if p["required"]]
        if item["init"][: len(arrays)] != arrays or len(required) > len(arrays):
            got, want = f"{name}({', '.join(item['init'])})", f"{name}({', '.join(arrays)})"
            skipped.append(Skipped(name, Note("skip.init_not_book", {"name": name, "got": got, "want": want})))
            continue
        targets.append(Target(name, NAME, name, (name,), item))
    return targets, skipped


def check(session, target: Target, options: Options) -> list[CheckResult]:
    """Build the layer from the book's arrays and check every gradient it returns or writes into ``grads``."""
    block = target.info.get("block")
    if block:
        arrays, kwargs = {}, block["kwargs"]
        inputs = _block_inputs(kwargs, block["kinds"], np.random.default_rng(options.seed))
    else:
        (arrays, inputs), kwargs = LAYERS[target.id](np.random.default_rng(options.seed)), {}
    result = CheckResult(target.title, seed=options.seed, mode=options.mode)
    try:
        created = session.create(target.id, list(arrays.values()), kwargs, reseed=options.seed)
    except LearnerFault as fault:
        result.problem = fault.note(f"{target.id}()")
        return [result]
    layer = remote_layer(session, created, target.info.get("forward", []), options.seed, target.id)
    # the book's losses add 1e-7 inside the log that their backward leaves out, as its networks do
    rtol = RTOL if target.id.endswith("Loss") else 0.0
    result = check_layer(layer, *inputs, mode=options.mode, seed=options.seed, name=target.title, batch=N, rtol=rtol)
    result.notes.extend(Note("note.tied", {"tied": j, "first": i}) for j, i in (layer._gradcheck_info or {}).get("tied", {}).items())
    if rtol:
        result.notes.append(Note("note.loss_rtol", {"rtol": rtol}))
    if (arrays or block) and not any(c.gradient.startswith("dparams[") for c in result.checks) and result.problem is None:
        result.notes.append(Note("note.grads_unchecked", {"name": target.id}))
    return [result]


CHECKS = {NAME: check}
