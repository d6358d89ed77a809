"""Child-side wrappers that give other conventions the DLFS layer shape (forward, backward, P/dP).

These run inside the sandboxed child, around the learner's functions; the
parent then checks them exactly as it checks a DLFS class.
"""

from __future__ import annotations

import copy
import sys

import numpy as np

from ..sandbox.worker import Unrecognised, import_ours
from .graph_trace import book_node, build_network, module_source, promote, run_gradient, trace_network


def _call_args(spec_args: list, inputs) -> list:
    """The positional arguments: the checked inputs in their places, fixed values (fresh copies) elsewhere."""
    it = iter(inputs)
    return [next(it) if a["role"] == "input" else copy.deepcopy(a["value"]) for a in spec_args]


def _flatten(outs: tuple) -> tuple[np.ndarray, list]:
    """Several outputs (an LSTM step's next_h, next_c) as one flat array, with their shapes to split by."""
    arrays = [np.asarray(o, dtype=np.float64) for o in outs]
    return np.concatenate([a.ravel() for a in arrays]), [a.shape for a in arrays]


def _unflatten(dout, shapes: list) -> list[np.ndarray]:
    """The upstream gradient of a flattened output, back in the outputs' shapes."""
    sizes = np.cumsum([int(np.prod(s)) for s in shapes])[:-1]
    return [d.reshape(s) for d, s in zip(np.split(np.asarray(dout), sizes), shapes)]


def tied(params: list) -> dict[int, list[tuple[int, bool]]]:
    """Parameters that are one array (CBOW's ``W_in`` in every context layer) or one array and its transpose
    (a weight-tied ``embed_W.T``): for the first of each, the later ones and whether each is transposed.  A
    step on the first moves them all, so its gradient is the sum of theirs, as the book's trainer sums them."""
    groups: dict[int, list[tuple[int, bool]]] = {}
    owner: dict[int, int] = {}
    for j, p in enumerate(params):
        for i in range(j):
            q = params[i]
            if i in owner or not isinstance(p, np.ndarray) or not isinstance(q, np.ndarray):
                continue
            if p is q or (p.shape == q.shape and p.base is not None and p.base is q.base and p.strides == q.strides):
                transposed = False
            elif p.shape == q.shape[::-1] and (p.base is q or q.base is p) and p.strides == q.strides[::-1]:
                transposed = True
            else:
                continue
            groups.setdefault(i, []).append((j, transposed))
            owner[j] = i
            break
    return groups


def tied_names(groups: dict, name: str) -> dict[str, str]:
    """Each later tied parameter by name, with the name of the first it is checked with."""
    return {f"{name}[{j}]": f"{name}[{i}]" + (".T" if t else "") for i, others in groups.items() for j, t in others}


def summed(grads: list, groups: dict) -> list:
    """``grads`` with each tied group's total in its first place (transposed back where the parameter is)."""
    grads = list(grads)
    for i, others in groups.items():
        if isinstance(grads[i], np.ndarray):
            total = np.array(grads[i], dtype=np.float64)
            for j, transposed in others:
                if isinstance(grads[j], np.ndarray):
                    total = total + (grads[j].T if transposed else grads[j])
            grads[i] = total
    return grads


class PairAdapter:
    """A cs231n pair ``name_forward(...) -> (out..., cache)`` and ``name_backward(dout..., cache) -> grads``
    as one layer: forward takes the float arrays that get gradients, in signature order; dicts, integer
    arrays and scalars are fixed.  Several outputs (an LSTM step's next_h, next_c) travel as one flat array."""

    def __init__(self, fwd, bwd, spec: dict):
        self._fwd, self._bwd, self._args = fwd, bwd, spec["args"]
        self._n = sum(a["role"] == "input" for a in self._args)
        self._names = [a["name"] for a in self._args if a["role"] == "input"]
        self._cache = None
        self._shapes: list = []

    def forward(self, *inputs):
        result = self._fwd(*_call_args(self._args, inputs))
        if not isinstance(result, tuple) or len(result) < 2:
            raise TypeError(f"{self._fwd.__name__} must return (out, cache)")
        *outs, self._cache = result
        if len(outs) == 1:
            self._shapes = []
            return outs[0]
        flat, self._shapes = _flatten(outs)
        return flat

    def backward(self, dout):
        if self._shapes:
            grads = self._bwd(*_unflatten(dout, self._shapes), self._cache)
        else:
            grads = self._bwd(dout, self._cache)
        if not isinstance(grads, tuple):
            grads = (grads,)
        grads = self._of_inputs(tuple(grads))
        return grads[0] if self._n == 1 else tuple(grads)

    def _of_inputs(self, grads: tuple) -> tuple:
        """The gradients of the checked inputs: one per input; or one per argument of the forward (the fixed
        ones' None or anything), taken by position; or the inputs' followed by extras that are not arrays."""
        if len(grads) == self._n:
            return grads
        if len(grads) == len(self._args):
            return tuple(g for g, a in zip(grads, self._args) if a["role"] == "input")
        if len(grads) > self._n and not any(isinstance(g, np.ndarray) for g in grads[self._n:]):
            return grads[: self._n]
        names = ", ".join("d" + n for n in self._names)
        raise TypeError(f"{self._bwd.__name__} returned {len(grads)} value(s); expected {self._n} ({names})")


class LossAdapter:
    """A loss ``fn(...) -> (loss, d_first)`` (cs231n's ``softmax_loss(x, y)``, ``svm_loss_naive(W, X, y, reg)``,
    ``temporal_softmax_loss(x, y, mask)``) as a loss layer of its first argument; the rest are fixed."""

    def __init__(self, fn, spec: dict):
        self._fn, self._args = fn, spec["args"]
        self._grad = None

    def forward(self, x):
        result = self._fn(*_call_args(self._args, [x]))
        if not isinstance(result, tuple) or len(result) != 2:
            raise Unrecognised(f"{self._fn.__name__} returns only the loss, not (loss, gradient)")
        loss, self._grad = result
        return loss

    def backward(self, dout=1):
        return None if self._grad is None else self._grad * dout


class ElementwiseAdapter:
    """A function ``f(x)`` and its elementwise derivative ``f_grad(x)`` (the book's ``sigmoid_grad``) as a layer."""

    def __init__(self, fn, grad):
        self._fn, self._grad, self._x = fn, grad, None

    def forward(self, x):
        self._x = x.copy()
        return self._fn(x)

    def backward(self, dout):
        return dout * self._grad(self._x.copy())


def make_pair(module, name: str, spec: dict):
    return PairAdapter(getattr(module, spec["forward"]), getattr(module, spec["backward"]), spec)


def make_loss(module, name: str, spec: dict):
    return LossAdapter(getattr(module, name), spec)


def make_elementwise(module, name: str, spec: dict):
    return ElementwiseAdapter(getattr(module, name), getattr(module, spec["grad"]))


def trace_function(module, name: str, spec: dict) -> dict:
    """Trace a plain function symbolically in the child; derivatives go back as text for the safe parser."""
    oracles = import_ours("gradcheck.symbolic.oracles")
    sp = oracles.sp
    try:
        grads = oracles.traced_gradient(getattr(module, name), spec["params"])
    except oracles.NotTraceable as exc:
        return {"traced": False, "reason": str(exc)}
    return {"traced": True, "grads": {k: sp.sstr(v) for k, v in grads.items()}}


class NetworkAdapter:
    """A whole network as one loss layer of its parameters: the book's (``params`` dict, ``loss(x, t)`` and
    ``gradient(x, t)`` returning a dict), cs231n's (``loss(X, y) -> (loss, grads)``) or the second book's
    (``params`` and ``grads`` lists, ``forward(x, t)`` and ``backward()``).  Each parameter becomes an
    attribute (the same array, so perturbing it perturbs the network: ``W1`` for ``params['W1']``,
    ``params[0]`` for a list's first) with its gradient in ``d`` + that name; the data stays fixed."""

    def __init__(self, net, data: dict):
        self._net, self._data = net, data
        params = getattr(net, "params", None)
        self._list = isinstance(params, list)
        self._tied = tied(params) if self._list else {}
        if self._list:
            later = {j for others in self._tied.values() for j, _ in others}
            params = {f"params[{i}]": p for i, p in enumerate(params) if i not in later}
        if not isinstance(params, dict) or not params:
            raise Unrecognised(f"{type(net).__name__} has no params dict after construction")
        self._keys = [k for k, v in params.items() if isinstance(v, np.ndarray) and v.dtype.kind == "f"]
        for key in self._keys:
            setattr(self, key, params[key])
            setattr(self, "d" + key, None)
        self._book = callable(getattr(net, "gradient", None))
        self._second = self._list or not callable(getattr(net, "loss", None))

    def _loss_kwargs(self) -> dict:
        return {"train_flg": True} if "train_flg" in self._data.get("loss_params", ()) else {}

    def forward(self):
        for key in self._keys:  # a learner's code may rebind params[key]; the checked array must be the one used
            if self._list:
                self._net.params[int(key[7:-1])] = getattr(self, key)
            else:
                self._net.params[key] = getattr(self, key)
        if callable(getattr(self._net, "reset_state", None)):  # a recurrent network starts from the same state
            self._net.reset_state()
        if self._second:
            return self._net.forward(*self._data["args"])
        value = self._net.loss(*self._data["args"], **self._loss_kwargs())
        if isinstance(value, tuple):
            if self._book or len(value) != 2 or not isinstance(value[1], dict):
                raise Unrecognised("loss returned a tuple that is not (loss, grads)")
            return value[0]
        if not self._book:
            raise Unrecognised("loss(X, y) returned only the loss: no grads dict and no gradient method")
        return value

    def backward(self, dout=1.0):
        grads = run_gradient(self._net, self._data)
        if self._second:
            listed = getattr(self._net, "grads", None)
            if not isinstance(listed, list):
                raise TypeError("the gradients must be in self.grads, a list in the order of self.params")
            grads = {f"params[{i}]": g for i, g in enumerate(summed(listed, self._tied))}
        elif not self._book:
            grads = grads[1]
        if not isinstance(grads, dict):
            raise TypeError(f"the gradients must come back as a dict keyed like params, not {type(grads).__name__}")
        for key in self._keys:
            value = grads.get(key)
            setattr(self, "d" + key, value.copy() if isinstance(value, np.ndarray) else value)
        return None

    def owners(self) -> dict:
        """For each parameter key, the layer that holds the very same array (book networks keep layers)."""
        layers = getattr(self._net, "layers", None)
        items = layers.items() if isinstance(layers, dict) else enumerate(layers) if isinstance(layers, list) else []
        found = {}
        for lname, layer in items:
            for attr, value in (vars(layer).items() if hasattr(layer, "__dict__") else []):
                for key in self._keys:
                    if value is getattr(self, key) and key not in found:
                        found[key] = f"layers[{lname!r}].{attr}"
        return found


class ListParamsLayer:
    """A second-book layer (``params`` and ``grads`` lists) as a layer with attributes: ``params[i]`` is the
    very array of the layer, its gradient ``dparams[i]`` what backward wrote into ``grads[i]``."""

    def __init__(self, layer):
        self._layer = layer
        self._shapes: list = []
        self._tied = tied(layer.params)
        later = {j for others in self._tied.values() for j, _ in others}
        self._gradcheck_info = {"tied": tied_names(self._tied, "dparams")}
        for i, p in enumerate(layer.params):
            if isinstance(p, np.ndarray) and p.dtype.kind == "f" and i not in later:
                setattr(self, f"params[{i}]", p)
                setattr(self, f"dparams[{i}]", None)

    def forward(self, *args, **kwargs):
        if callable(getattr(self._layer, "reset_state", None)):  # a stateful Time layer starts from h = None
            self._layer.reset_state()
        out = self._layer.forward(*args, **kwargs)
        self._shapes = []
        if isinstance(out, tuple):  # an LSTM cell's (h_next, c_next) travels as one flat array
            out, self._shapes = _flatten(out)
        return out

    def backward(self, *args, **kwargs):
        if self._shapes and args:
            args = tuple(_unflatten(args[0], self._shapes))
        dx = self._layer.backward(*args, **kwargs)
        for i, g in enumerate(summed(self._layer.grads, self._tied)):
            if hasattr(self, f"dparams[{i}]"):
                setattr(self, f"dparams[{i}]", g.copy() if isinstance(g, np.ndarray) else g)
        return dx


def make_network(module, name: str, spec: dict):
    net = build_network(module, name, spec)
    adapter = NetworkAdapter(net, spec)
    adapter._gradcheck_info = {"owners": adapter.owners(), "float64": bool(vars(net).get("_gradcheck_float64")),
                               "tied": tied_names(adapter._tied, "params")}
    return adapter


def view(obj):
    """A layer as our checks see it: a second-book layer (``params`` and ``grads`` lists of arrays) through
    ``ListParamsLayer``, so that its list gradients are checked too; anything else as it is."""
    params, grads = getattr(obj, "params", None), getattr(obj, "grads", None)
    if isinstance(params, list) and isinstance(grads, list) and params and len(params) == len(grads) \
            and all(isinstance(p, np.ndarray) for p in params) and callable(getattr(obj, "backward", None)):
        promote(obj)  # the book's float32 storage, evaluated in float64 by the same code
        return ListParamsLayer(obj)
    return obj


def make_network_node(module, name: str, spec: dict):
    """One node of a traced network as a layer: the book's layer object itself, or a cs231n layer function
    (a forward/backward pair, or a loss) on the arguments the network gave it, its arrays the checked inputs."""
    if spec["style"] == "book":
        return view(book_node(module, name, spec))
    space = sys.modules[spec["module"]]
    if spec["kind"] == "loss":
        return LossAdapter(getattr(space, spec["forward"]), spec)
    return PairAdapter(getattr(space, spec["forward"]), getattr(space, spec["backward"]), spec)


class _RecordingConfig(dict):
    """A cs231n config dict that remembers which keys were looked up while absent (``config.get('mu', 0.9)``)."""

    def __init__(self, *args):
        super().__init__(*args)
        self.missing: set[str] = set()

    def _look(self, key):
        if key not in self.keys():
            self.missing.add(str(key))

    def __getitem__(self, key):
        self._look(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self._look(key)
        return super().get(key, default)

    def setdefault(self, key, default=None):
        self._look(key)
        return super().setdefault(key, default)

    def __contains__(self, key):
        self._look(key)
        return super().__contains__(key)


def optimizer_step(module, name: str, spec: dict) -> dict:
    """One call of a cs231n update rule, with the config keys it looked up in vain."""
    config = _RecordingConfig(spec["config"])
    result = getattr(module, name)(spec["w"], spec["dw"], config)
    return {"result": result, "missing": sorted(config.missing)}


def _numgrad_functions(elementwise: bool = False):
    import numpy as np

    parts = {
        "sum_squares": lambda x: x**2,
        "sin_exp": lambda x: np.sin(x) * np.exp(x / 3),
        "cubic": lambda x: x**3 - 2 * x,
    }
    return parts if elementwise else {k: (lambda x, f=f: np.sum(f(x))) for k, f in parts.items()}


def numerical_gradient_probe(module, name: str, spec: dict) -> list:
    """Call the learner's numerical gradient on our functions; report the result and whether x was restored.
    ``style``: "book" ``numerical_gradient(f, x)``; "cs231n" ``eval_numerical_gradient(f, x, verbose=False)``;
    "cs231n_array" ``eval_numerical_gradient_array(f, x, df)`` with f elementwise."""
    fn, style = getattr(module, name), spec.get("style", "book")
    functions = _numgrad_functions(elementwise=style == "cs231n_array")
    out = []
    for case in spec["cases"]:
        x = case["x"].copy()
        f = functions[case["f"]]
        if style == "cs231n_array":
            grad = fn(f, x, case["df"].copy())
        elif style == "cs231n":
            try:
                grad = fn(f, x, verbose=False)
            except TypeError:  # a version without the verbose flag
                x = case["x"].copy()
                grad = fn(f, x)
        else:
            grad = fn(f, x)
        out.append({"grad": grad, "restored": bool((x == case["x"]).all())})
    return out


def make_torch_function(module, name: str, spec) -> object:
    """A torch.autograd.Function subclass of the file, as a layer (through Function.apply, in float64)."""
    return import_ours("gradcheck.frameworks.torch_layer").TorchLayer(getattr(module, name))


def make_torch_module(module, name: str, spec) -> object:
    """An nn.Module subclass of the file, built with ``spec["kwargs"]``, as a layer with its parameters (in float64)."""
    return import_ours("gradcheck.frameworks.torch_layer").TorchLayer(getattr(module, name)(**spec.get("kwargs", {})))


def make_jax_function(module, name: str, spec) -> object:
    """A JAX custom_vjp function of the file, as a layer (through jax.vjp, in float64)."""
    return import_ours("gradcheck.frameworks.jax_layer").JaxLayer(getattr(module, name))


ADAPTERS = {"pair": make_pair, "loss": make_loss, "elementwise": make_elementwise, "network": make_network,
            "network_node": make_network_node, "network_trace": trace_network, "module_source": module_source, "view": view,
            "trace": trace_function, "numgrad": numerical_gradient_probe, "optim_step": optimizer_step,
            "torch_function": make_torch_function, "torch_module": make_torch_module, "jax_custom_vjp": make_jax_function}
