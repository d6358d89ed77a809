"""Child side of a network's computational graph: one gradient computation of the learner's network with
every node recorded (its inputs, its output, the gradient it received, the gradients it returned).

The book's networks are traced layer by layer (``self.layers``, an OrderedDict or a list, and the loss layer
after it); cs231n's by the layer functions their modules call (``affine_forward``/``affine_backward``,
``affine_relu_forward``, ``softmax_loss``, ...), a forward paired with its backward by the cache it returned.
Only plain values go back: the parent does every comparison.
"""

from __future__ import annotations

import copy
import inspect
import os
import sys
import types

import numpy as np

LAST_LAYERS = ("lastLayer", "last_layer", "loss_layer")


def build_network(module, name: str, spec: dict):
    """The learner's network, built with ``spec["kwargs"]`` (the ``float64`` ones set to np.float64); a
    second-book network that stores float32 (the book's default) is evaluated in float64 (``Float64NumPy``)."""
    kwargs = dict(spec["kwargs"])
    for key in spec.get("float64", []):
        kwargs[key] = np.float64
    net = getattr(module, name)(**kwargs)
    if isinstance(getattr(net, "params", None), list) and promote(net):
        vars(net)["_gradcheck_float64"] = True
    return net


def _float32(dtype) -> bool:
    try:
        return dtype is not None and np.dtype(dtype) == np.float32
    except TypeError:
        return False


class Float64NumPy(types.ModuleType):
    """NumPy as the learner's module sees it, with float32 asked for (``dtype='f'``, ``np.float32``) made
    float64: the same code, computed at the precision finite differences need."""

    float32 = np.float64

    def __init__(self):
        super().__init__("numpy")

    def __getattr__(self, name):
        value = getattr(np, name)
        if name in ("empty", "zeros", "ones", "full", "array", "asarray", "empty_like", "zeros_like", "ones_like",
                    "full_like", "arange"):
            def made(*args, _fn=value, **kwargs):
                if _float32(kwargs.get("dtype")):
                    kwargs["dtype"] = np.float64
                args = tuple(np.float64 if isinstance(a, (str, type)) and _float32(a) else a for a in args)
                return _fn(*args, **kwargs)
            value = made
        setattr(self, name, value)  # looked up once: the learner's loops call np.zeros on every step
        return value


def _modules_of(objects) -> list[types.ModuleType]:
    found: dict[str, types.ModuleType] = {}
    for obj in objects:
        module = sys.modules.get(type(obj).__module__)
        if module is not None:
            found[module.__name__] = module
    for module in list(found.values()):
        for value in vars(module).values():
            other = sys.modules.get(getattr(value, "__module__", "") or "") if isinstance(value, (types.FunctionType, type)) else None
            if other is not None and not other.__name__.startswith(("numpy", "gradcheck")):
                found.setdefault(other.__name__, other)
    return list(found.values())


def promote(net) -> bool:
    """Every float32 array the network and its layers hold made float64, shared arrays still shared; their
    modules' ``np`` made ``Float64NumPy`` (for the arrays their code makes later).  Whether any array held was
    float32."""
    copies: dict[int, np.ndarray] = {}
    seen: set[int] = set()
    objects: list = []

    def convert(value):
        if not isinstance(value, np.ndarray) or value.dtype != np.float32:
            return value
        base = value.base
        if isinstance(base, np.ndarray) and base.dtype == np.float32 and value.shape == base.shape[::-1] \
                and value.strides == base.strides[::-1]:  # a tied weight (``embed_W.T``) stays the other's view
            return copies.setdefault(id(value), convert(base).T)
        return copies.setdefault(id(value), value.astype(np.float64))

    def walk(obj, depth: int):
        if depth > 4 or id(obj) in seen:
            return
        seen.add(id(obj))
        if isinstance(obj, list):
            for i, v in enumerate(obj):
                obj[i] = convert(v)
                walk(obj[i], depth + 1)
        elif isinstance(obj, dict):
            for k, v in list(obj.items()):
                obj[k] = convert(v)
                walk(obj[k], depth + 1)
        elif hasattr(obj, "__dict__") and not isinstance(obj, (type, types.ModuleType, types.FunctionType)):
            objects.append(obj)
            for k, v in list(vars(obj).items()):
                setattr(obj, k, convert(v))
                walk(getattr(obj, k), depth + 1)

    walk(net, 0)
    proxy = Float64NumPy()
    for module in _modules_of(objects):
        if vars(module).get("np") is np:
            module.np = proxy
    return bool(copies)


def _where(fn) -> str:
    """``file:line`` of a function, the file relative to the folder the learner's code runs in."""
    fn = inspect.unwrap(fn)
    try:
        path = inspect.getsourcefile(fn) or ""
        line = inspect.getsourcelines(fn)[1]
    except (OSError, TypeError):
        return ""
    bases = [os.getcwd()] + [os.path.abspath(p) for p in sys.path if isinstance(p, str) and p]
    rels = [os.path.relpath(path, b) for b in bases if path and os.path.isabs(path)]
    inside = [r for r in rels if not r.startswith("..")]
    return f"{min(inside, key=len) if inside else os.path.basename(path)}:{line}"


def _arg_names(fn, n: int) -> list[str]:
    """The names of a function's first ``n`` positional parameters (``x``, ``w``, ``b``), for the report."""
    try:
        names = [p for p in inspect.signature(fn).parameters if p != "self"]
    except (TypeError, ValueError):
        names = []
    return (names + [f"arg{i}" for i in range(len(names), n)])[:n]


def _copy(value):
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, (int, float, str, bool, type(None))):
        return value
    if isinstance(value, (list, tuple, dict)):
        try:
            return copy.deepcopy(value)
        except Exception:  # noqa: BLE001 - a value we cannot copy is not one we need
            return None
    return None


class _Recorder:
    """The nodes met in one gradient computation, in the order their forwards ran."""

    def __init__(self):
        self.nodes: list[dict] = []
        self.keep: list = []  # every recorded object stays alive, so that no id is reused during the trace
        self.active: list[int] = []  # the backwards running now, innermost last (a layer function's callees)
        self.forwards: list[int] = []

    def _ids(self, values) -> list[int]:
        self.keep.extend(values)
        return [id(v) for v in values]

    def begin_forward(self, node: dict, args, kwargs) -> dict:
        node.update({"args": [_copy(a) for a in args], "kwargs": {k: _copy(v) for k, v in kwargs.items()},
                     "in_ids": self._ids(list(args)), "parent": self.forwards[-1] if self.forwards else None,
                     "forward_calls": 1, "backward_calls": 0, "dout": None, "grads": None})
        for seen in self.nodes:  # the same node run again (predict called twice): the last run counts
            if seen["name"] == node["name"] and seen.get("key") == node.get("key") and node.get("key") is not None:
                node["forward_calls"] += seen["forward_calls"]
                self.nodes.remove(seen)
                break
        self.nodes.append(node)
        self.forwards.append(len(self.nodes) - 1)
        return node

    def end_forward(self, node: dict, outs: list) -> None:
        self.forwards.pop()
        node["out"] = [_copy(o) for o in outs]
        node["out_ids"] = self._ids(outs)

    def begin_backward(self, node: dict, dout) -> None:
        node["backward_calls"] += 1
        node["dout"] = _copy(dout)
        node["backward_parent"] = self.active[-1] if self.active else None
        self.active.append(self.nodes.index(node))

    def end_backward(self, node: dict, grads) -> None:
        self.active.pop()
        values = list(grads) if isinstance(grads, tuple) else [grads]
        node["grads"] = [_copy(g) for g in values]
        node["grad_ids"] = self._ids(values)


def _book_layers(net) -> list[tuple[object, object, str]]:
    """(key, layer, kind) for each layer of a book network, the loss layer last."""
    layers = getattr(net, "layers", None)
    items = list(layers.items()) if isinstance(layers, dict) else list(enumerate(layers)) if isinstance(layers, list) else []
    out = [(key, layer, "layer") for key, layer in items if callable(getattr(layer, "backward", None))]
    for attr in LAST_LAYERS:
        layer = getattr(net, attr, None)
        if layer is not None and callable(getattr(layer, "backward", None)):
            out.append((attr, layer, "loss"))
            break
    return out


def _wrap_layer(rec: _Recorder, key, layer, kind: str) -> None:
    forward, backward = layer.forward, layer.backward
    title = (f"layers[{key!r}]" if isinstance(key, str) else f"layers[{key}] ({type(layer).__name__})") if kind == "layer" else key
    node_base = {"name": title, "key": repr(key), "class": type(layer).__name__, "kind": kind,
                 "where": _where(type(layer).backward), "style": "book", "module": type(layer).__module__}

    def traced_forward(*args, **kwargs):
        node = rec.begin_forward(dict(node_base, arg_names=_arg_names(forward, len(args))), args, kwargs)
        out = forward(*args, **kwargs)
        rec.end_forward(node, [out])
        return out

    def traced_backward(*args, **kwargs):
        node = next(n for n in reversed(rec.nodes) if n["key"] == node_base["key"])
        rec.begin_backward(node, args[0] if args else kwargs.get("dout"))
        grads = backward(*args, **kwargs)
        rec.end_backward(node, grads)
        return grads

    layer.forward, layer.backward = traced_forward, traced_backward


def _layer_functions(net) -> dict[str, types.ModuleType]:
    """The modules whose layer functions a cs231n network calls: its own, and those its functions come from."""
    first = sys.modules.get(type(net).__module__)
    found = {first.__name__: first} if first is not None else {}
    for module in list(found.values()):
        for value in list(vars(module).values()):
            if isinstance(value, types.FunctionType) and value.__module__ not in found:
                other = sys.modules.get(value.__module__)
                if other is not None and other.__name__ not in ("numpy",) and not other.__name__.startswith("gradcheck"):
                    found[other.__name__] = other
    return found


def _partner(fname: str, this: str, other: str) -> str:
    """``conv_forward_naive`` -> ``conv_backward_naive`` (and camelCase ``convForward`` -> ``convBackward``)."""
    return fname.replace(this, other).replace(this.capitalize(), other.capitalize())


def _wrap_functions(rec: _Recorder, modules: dict[str, types.ModuleType]) -> list[tuple[dict, str, object]]:
    """Wrap every ``X_forward``/``X_backward`` pair and ``*_loss`` function in the modules' namespaces."""
    originals: list[tuple[dict, str, object]] = []
    by_cache: dict[int, dict] = {}
    for module in modules.values():
        space = vars(module)
        for fname, fn in list(space.items()):
            if not isinstance(fn, types.FunctionType):
                continue
            backward, forward = _partner(fname, "forward", "backward"), _partner(fname, "backward", "forward")
            if backward != fname and isinstance(space.get(backward), types.FunctionType):
                originals.append((space, fname, fn))
                space[fname] = _traced_forward(rec, fn, fname, by_cache, space[backward])
            elif forward != fname and isinstance(space.get(forward), types.FunctionType):
                originals.append((space, fname, fn))
                space[fname] = _traced_backward(rec, fn, by_cache)
            elif fname.endswith("_loss"):
                originals.append((space, fname, fn))
                space[fname] = _traced_loss(rec, fn)
    return originals


def _traced_forward(rec: _Recorder, fn, fname: str, by_cache: dict, backward):
    def traced(*args, **kwargs):
        node = rec.begin_forward({"name": fname, "forward": fn.__name__, "backward": backward.__name__,
                                  "module": fn.__module__, "kind": "pair", "where": _where(backward), "style": "functions",
                                  "arg_names": _arg_names(fn, len(args))}, args, kwargs)
        result = fn(*args, **kwargs)
        outs = list(result[:-1]) if isinstance(result, tuple) and len(result) >= 2 else [result]
        rec.end_forward(node, outs)
        if isinstance(result, tuple) and len(result) >= 2:
            rec.keep.append(result[-1])
            by_cache[id(result[-1])] = node
        return result
    return traced


def _traced_backward(rec: _Recorder, fn, by_cache: dict):
    def traced(*args, **kwargs):
        node = by_cache.get(id(args[-1])) if args else None
        if node is None:  # a cache we did not see made: not a node we can place
            return fn(*args, **kwargs)
        rec.begin_backward(node, args[0] if len(args) == 2 else list(args[:-1]))
        grads = fn(*args, **kwargs)
        rec.end_backward(node, grads)
        return grads
    return traced


def _traced_loss(rec: _Recorder, fn):
    def traced(*args, **kwargs):
        node = rec.begin_forward({"name": fn.__name__, "forward": fn.__name__, "module": fn.__module__, "kind": "loss",
                                  "where": _where(fn), "style": "functions", "arg_names": _arg_names(fn, len(args))}, args, kwargs)
        result = fn(*args, **kwargs)
        if isinstance(result, tuple) and len(result) == 2:
            rec.end_forward(node, [result[0]])
            node["backward_calls"], node["dout"] = 1, 1.0
            node["grads"], node["grad_ids"] = [_copy(result[1])], rec._ids([result[1]])
        else:
            rec.end_forward(node, [result])
        return result
    return traced


def run_gradient(net, spec: dict):
    """One gradient computation of the network as the adapter runs it: the book's ``gradient(x, t)``,
    cs231n's ``loss(X, y)``, or the second book's ``forward(x, t)`` and ``backward()``; ``reset_state()``
    first where the network keeps one."""
    if callable(getattr(net, "reset_state", None)):
        net.reset_state()
    args = spec["args"]
    if callable(getattr(net, "gradient", None)):
        return net.gradient(*args)
    if callable(getattr(net, "loss", None)):
        return net.loss(*args)
    loss = net.forward(*args)  # the second book: forward(x, t) -> loss, then backward() fills net.grads
    net.backward()
    return loss


def trace_network(module, name: str, spec: dict) -> dict:
    """Every node of one gradient computation, in forward order, or why there is no graph to draw."""
    net = build_network(module, name, spec)
    rec = _Recorder()
    book = _book_layers(net)
    originals: list = []
    if book:
        for key, layer, kind in book:
            _wrap_layer(rec, key, layer, kind)
    else:
        originals = _wrap_functions(rec, _layer_functions(net))
    try:
        run_gradient(net, spec)
    finally:
        for space, fname, fn in originals:
            space[fname] = fn
        for _key, layer, _kind in book:
            vars(layer).pop("forward", None)
            vars(layer).pop("backward", None)
    for node in rec.nodes:
        node.setdefault("out", [])
        node.setdefault("out_ids", [])
        node.setdefault("grad_ids", [])
        node.setdefault("backward_parent", None)
    return {"style": "book" if book else "functions", "nodes": rec.nodes}


def book_node(module, name: str, spec: dict):
    """The layer object of a book network named by ``spec["node"]`` (its key's repr), in a freshly built network."""
    net = build_network(module, name, spec)
    for key, layer, _kind in _book_layers(net):
        if repr(key) == spec["node"]:
            return layer
    raise LookupError(f"{name} has no layer {spec['node']}")


def module_source(module, name: str, spec: dict) -> np.ndarray:
    """The source of the learner's module ``name`` (a layer file the checked file imports) as UTF-8 bytes
    (the channel shortens long strings, not arrays), for the parent to parse, never to run: the search for a
    fix edits a wrong node where it is defined."""
    found = sys.modules.get(name)
    text = ""
    if found is not None and name.split(".")[0] not in ("gradcheck", "numpy"):
        try:
            text = inspect.getsource(found)
        except (OSError, TypeError):
            text = ""
    return np.frombuffer(text.encode("utf-8"), dtype=np.uint8).copy()
