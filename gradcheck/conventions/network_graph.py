"""A network as a computational graph: each node's backward checked on the very values the network gave it,
the wiring checked (each node receives what the node after it returned), and the wrong node named.

The child records one gradient computation (``graph_trace``); here every node is checked alone against finite
differences of that node (one node, not the network: cheap), and the gradient each node received is compared
with the one the next node returned, so that a ``gradient()`` that skips or repeats a node is told so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..numeric.layer import check_layer
from ..options import Options
from ..report.model import CheckResult, Note
from ..feedback.nodes import explain_node
from ..sandbox.runner import LearnerFault
from .remote import remote_layer


@dataclass
class GraphNode:
    """One node of the traced graph, with its own check."""

    label: str  # ``layers['Relu1']`` or ``relu_backward``, with a call number where a function runs more than once
    where: str  # file:line of its backward
    parent: int | None  # the node whose backward called this one (cs231n's composite layer functions)
    record: dict
    result: CheckResult | None = None
    composed: bool | None = None  # a layer function that is exactly its callees, wired as its forward: their verdict

    @property
    def passed(self) -> bool | None:
        if self.composed is not None:
            return self.composed
        return None if self.result is None else self.result.passed


@dataclass
class Graph:
    """The nodes in forward order, what the wiring check found, and the nodes blamed."""

    nodes: list[GraphNode]
    wiring: list[Note] = field(default_factory=list)
    blamed: list[int] = field(default_factory=list)

    def drawing(self) -> list[dict]:
        """Plain data for the renderers: each node's label, verdict, place and nesting depth."""
        out = []
        for i, node in enumerate(self.nodes):
            depth, p = 0, node.parent
            while p is not None:
                depth, p = depth + 1, self.nodes[p].parent
            skipped = node.record.get("backward_calls", 0) == 0
            out.append({"label": node.label, "passed": node.passed, "where": node.where, "depth": depth,
                        "skipped": skipped, "blamed": i in self.blamed})
        return out


def _labels(nodes: list[dict]) -> list[str]:
    names = [n["backward"] if n.get("kind") == "pair" else n["name"] for n in nodes]
    counts = {name: names.count(name) for name in names}
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(f"{name} [{seen[name]}]" if counts[name] > 1 else name)
    return out


def trace(session, target_id: str, spec: dict, seed: int) -> list[dict] | None:
    """The child's record of one gradient computation (no nodes where the network keeps no layers and calls
    no layer functions), or None where that computation raised."""
    try:
        traced = session.run_adapter("network_trace", target_id, spec, reseed=seed)
    except LearnerFault:
        return None
    nodes = traced.get("nodes") if isinstance(traced, dict) else None
    return nodes if isinstance(nodes, list) else None


def _float_array(value) -> bool:
    return isinstance(value, np.ndarray) and value.dtype.kind == "f"


def _node_check(session, target_id: str, spec: dict, node: dict, label: str, options: Options, rtol: float) -> CheckResult | None:
    """The node's backward against finite differences of the node alone, at the inputs the network gave it."""
    if node.get("backward_calls", 0) == 0:
        return None
    args = node.get("args") or []
    if node["style"] == "book":
        node_spec = dict(spec, style="book", node=node["key"])
        inputs = [a for a in args if a is not None]
        kwargs = {k: v for k, v in (node.get("kwargs") or {}).items() if isinstance(v, (bool, int, float, str))}
    else:
        roles = ["input" if _float_array(a) and (node["kind"] != "loss" or i == 0) else "fixed" for i, a in enumerate(args)]
        if node["kind"] == "pair" and roles.count("input") != len(node.get("grads") or []):
            return None  # its backward returns gradients for other arguments than the arrays: not one we can place
        names = node.get("arg_names") or [f"arg{i}" for i in range(len(args))]
        node_spec = {"style": "functions", "module": node["module"], "forward": node["forward"],
                     "backward": node.get("backward", ""), "kind": node["kind"],
                     "args": [{"name": n, "role": r, "value": a} for n, a, r in zip(names, args, roles)]}
        inputs = [a for a, r in zip(args, roles) if r == "input"]
        kwargs = {}
    if not inputs or not all(isinstance(a, np.ndarray) for a in inputs):
        return None
    try:
        created = session.adapt("network_node", target_id, node_spec, reseed=options.seed)
    except LearnerFault:
        return None
    names = [n for n, a in zip(node.get("arg_names") or [], args) if any(a is i for i in inputs)]
    layer = remote_layer(session, created, names, options.seed, label)
    return check_layer(layer, *inputs, mode=_node_mode(options.mode, node, inputs, created[1]), seed=options.seed, name=label, forward_kwargs=kwargs,
                       rtol=rtol, batch=int(inputs[0].shape[0]) if inputs[0].ndim else None)


#: Output elements sent back over all of one node's full-mode evaluations (two per coordinate) above which
#: ``auto`` checks the node by random projections: a convolution's input and output at 28x28 would be gigabytes.
NODE_FULL_BUDGET = 20_000_000


def _node_mode(mode: str, node: dict, inputs: list, attrs: dict) -> str:
    if mode != "auto":
        return mode
    outputs = sum(np.size(o) for o in node.get("out") or [] if isinstance(o, np.ndarray))
    grads = set(attrs.get("grads", []))
    coordinates = sum(a.size for a in inputs) + sum(np.size(v) for k, v in (attrs.get("params") or {}).items() if "d" + k in grads)
    return "fast" if 2 * coordinates * max(outputs, 1) > NODE_FULL_BUDGET else mode


def _same(a, b) -> bool:
    if not isinstance(a, np.ndarray) or not isinstance(b, np.ndarray):
        return False
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-10, atol=1e-12))


def _grad_for(node: dict, position: int):
    """What ``node``'s backward returned for its argument at ``position`` (counted among its float arrays)."""
    args = node.get("args") or []
    grads = node.get("grads") or []
    index = sum(_float_array(a) for a in args[:position])
    return grads[index] if index < len(grads) else None


def _edges(nodes: list[dict], members: list[int]) -> list[tuple[int, int, int]]:
    """(a, b, position) wherever node ``a``'s output is node ``b``'s argument at ``position``, among ``members``:
    the data flow a backward must retrace."""
    producer = {oid: i for i in members for oid in nodes[i].get("out_ids", [])}
    return [(producer[oid], b, position) for b in members for position, oid in enumerate(nodes[b].get("in_ids", []))
            if producer.get(oid, b) != b]


def _composed(nodes: list[dict], i: int) -> bool:
    """Whether layer function ``i`` (``conv_relu_pool_backward``) backpropagates exactly through its callees,
    wired as its forward: each callee receives what the next returned, the last receives what ``i`` received,
    and every gradient ``i`` returns is one a callee returned.  Then it is right exactly when they are, and
    needs no finite differences of its own (for a naive convolution, the dearest node of a network)."""
    node = nodes[i]
    children = [j for j, n in enumerate(nodes) if n.get("parent") == i]
    if not children or node.get("backward_calls", 0) != 1 or any(nodes[j].get("backward_calls", 0) != 1 for j in children):
        return False
    if not all(_same(nodes[a].get("dout"), _grad_for(nodes[b], position)) for a, b, position in _edges(nodes, children)):
        return False
    ends = set(node.get("out_ids", []))
    last = next((j for j in children if ends & set(nodes[j].get("out_ids", []))), None)
    if last is None or not _same(node.get("dout"), nodes[last].get("dout")):
        return False
    returned = [g for j in children for g in (nodes[j].get("grads") or [])]
    grads = [g for g in node.get("grads") or [] if g is not None]
    return bool(grads) and all(any(_same(g, c) for c in returned) for g in grads)


def wiring(nodes: list[dict], labels: list[str], method: str) -> list[Note]:
    """Whether each node receives, in the backward, the gradient the node it feeds returned."""
    notes: list[Note] = []
    top = [i for i, n in enumerate(nodes) if n.get("parent") is None]
    edges = _edges(nodes, top)
    for b in top:
        if nodes[b].get("backward_calls", 0) > max(1, nodes[b].get("forward_calls", 1)):
            notes.append(Note("network.repeated", {"node": labels[b], "n": nodes[b]["backward_calls"], "method": method}))
    for a, b, position in edges:
        node, before, sent = nodes[b], nodes[a], _grad_for(nodes[b], position)
        if node.get("backward_calls", 0) == 0 and before.get("backward_calls", 0) > 0:
            after = next((c for x, c, _ in edges if x == b and nodes[c].get("backward_calls", 0)), None)
            key = "network.skipped_direct" if after is not None and _same(before.get("dout"), nodes[after].get("grads", [None])[0]) \
                else "network.skipped"
            notes.append(Note(key, {"node": labels[b], "before": labels[a], "after": labels[after] if after is not None else "",
                                    "method": method}))
        elif node.get("backward_calls", 0) and before.get("backward_calls", 0) and sent is not None \
                and not _same(before.get("dout"), sent):
            notes.append(Note("network.miswired", {"node": labels[a], "after": labels[b], "method": method}))
    return notes


def examine(session, target_id: str, spec: dict, options: Options, method: str, rtol: float) -> Graph | None:
    """Trace the network once, check every node where it is used, check the wiring, and blame; None where the
    gradient computation raised (this way of building or feeding the network does not fit its code)."""
    nodes = trace(session, target_id, spec, options.seed)
    if nodes is None:
        return None
    labels = _labels(nodes)
    graph = Graph([GraphNode(labels[i], n.get("where", ""), n.get("backward_parent") if n.get("backward_parent") is not None
                             else n.get("parent"), n) for i, n in enumerate(nodes)])
    composites = {i for i, n in enumerate(nodes) if n.get("style") == "functions" and _composed(nodes, i)}
    for i, node in enumerate(graph.nodes):
        if i not in composites:
            node.result = _node_check(session, target_id, spec, node.record, labels[i], options, rtol)
    for i in sorted(composites, reverse=True):  # callees come after their caller: the innermost are decided first
        verdicts = [graph.nodes[j].passed for j, n in enumerate(nodes) if n.get("parent") == i]
        graph.nodes[i].composed = False if False in verdicts else None if None in verdicts else True
    graph.wiring = wiring(nodes, labels, method)
    failing = [i for i, n in enumerate(graph.nodes) if n.passed is False]
    graph.blamed = [i for i in failing if not any(graph.nodes[j].parent == i for j in failing)]
    searched: set[str] = set()
    for i in graph.blamed:  # one search per class or function: every call of it runs the same backward
        node = graph.nodes[i]
        record = node.record
        names = (record["class"],) if record["style"] == "book" else (record["forward"], record.get("backward", ""))
        if node.where in searched or not all(names):
            continue
        searched.add(node.where)
        explain_node(session, record.get("module", ""), tuple(n for n in names if n), node.label, options, node.result,
                     lambda opts, r=record, label=node.label: _node_check(session, target_id, spec, r, label, opts, rtol))
    return graph


def _base(label: str) -> str:
    return label.split(" [")[0]


def explain(result: CheckResult, graph: Graph, title: str) -> None:
    """Put the graph's findings into the network's result: the wrong node with its own checks and diagnoses
    (a function wrong at every call is named once, with its first call's checks), the wiring, or (every node
    right) the network's own code.  A wrong node fails the network; the parameters' own diagnoses give way to
    it, since they only echo it."""
    result.graph = graph.drawing()
    named: dict[str, list[int]] = {}  # the nodes blamed, by the backward they run: one class or function
    for i in graph.blamed:
        named.setdefault(graph.nodes[i].where or graph.nodes[i].label, []).append(i)
    for where, indices in named.items():
        node = graph.nodes[indices[0]]
        parent = _base(graph.nodes[node.parent].label) if node.parent is not None else ""
        labels = [graph.nodes[i].label for i in indices]
        calls = [label.split(" [")[1].rstrip("]") for label in labels if " [" in label]
        base = _base(labels[0])
        shown = (f"{base} [{', '.join(calls)}]" if calls else base) if all(_base(x) == base for x in labels) else ", ".join(labels)
        result.notes.append(Note("network.node_wrong_in" if parent else "network.node_wrong",
                                 {"node": shown, "where": where, "parent": parent, "network": title}))
        for check in node.result.failures():
            check.gradient = f"{node.label}.backward -> {check.gradient}" if node.record.get("style") == "book" \
                else f"{node.label} -> {check.gradient}"
            result.checks.append(check)
        if node.result.problem is not None:
            result.notes.append(node.result.problem)
    result.notes.extend(graph.wiring)
    if graph.blamed or graph.wiring:
        for check in result.checks:
            if check.gradient.startswith("params["):
                check.notes = [n for n in check.notes if n.key != "network.owner"]
                check.diagnoses = []
    elif not result.passed and result.problem is None:
        result.notes.append(Note("network.nodes_right", {"network": title}))
