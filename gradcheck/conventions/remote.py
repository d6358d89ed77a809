"""Parent-side stand-ins for objects that live in the sandboxed child.

A ``RemoteLayer`` looks like a DLFS layer to ``check_layer``: its parameter
arrays are local copies, and before every call the elements that changed since
the last call (one element for a coordinate perturbation) are sent to the child.
"""

from __future__ import annotations

import numpy as np

from ..sandbox.runner import Session


class _Link:
    def __init__(self, session: Session, handle: int, reseed: int | None):
        self.session, self.handle, self.reseed = session, handle, reseed
        self.sent: dict[str, np.ndarray] = {}

    def changes(self, obj) -> dict:
        sets = {}
        for name, last in self.sent.items():
            current = getattr(obj, name, None)
            if not isinstance(current, np.ndarray) or current.shape != last.shape:
                continue
            diff = np.flatnonzero(current != last)
            if diff.size == 0:
                continue
            if diff.size * 4 > current.size:
                sets[name] = {"full": current}
            else:
                sets[name] = {"idx": diff, "val": current.reshape(-1)[diff]}
            last.reshape(-1)[diff] = current.reshape(-1)[diff]
        return sets

    def call(self, obj, method: str, args, kwargs, grads: bool = False):
        return self.session.call_method(self.handle, method, args, kwargs, self.changes(obj), self.reseed, grads)


class RemoteLayer:
    """A layer object in the child, driven through forward/backward over the channel."""

    def __init__(self, link: _Link, attrs: dict, input_names: list[str]):
        self._link = link
        self._gradcheck_info = attrs.get("info") or {}
        self._gradcheck_changed: list[int] = []  # which arguments the last call changed in place
        self._gradcheck_input_names = list(input_names)
        for name, value in attrs.get("params", {}).items():
            setattr(self, name, np.array(value))
            link.sent[name] = np.array(value)
        for name in attrs.get("grads", []):
            setattr(self, name, None)

    def forward(self, *args, **kwargs):
        reply = self._link.call(self, "forward", args, kwargs)
        self._gradcheck_changed = reply.get("changed") or []
        return reply["result"]

    def forward_many(self, args, kwargs, target, indices, values, copy: bool):
        """Outputs for each (index, value) change of one input (``("arg", i)``) or parameter (``("attr", name)``)."""
        link = self._link
        payload = {"args": list(args), "kwargs": kwargs, "sets": link.changes(self), "target": list(target),
                   "index": np.asarray(indices, dtype=np.int64), "values": np.asarray(values, dtype=np.float64),
                   "copy": copy}
        return link.session.forward_many(link.handle, link.reseed, payload)

    def backward(self, *args):
        reply = self._link.call(self, "backward", args, {}, grads=True)
        self._gradcheck_changed = reply.get("changed") or []
        for name, value in (reply.get("grads") or {}).items():
            if name[1:] in self._link.sent:
                setattr(self, name, value)
        return reply["result"]


def remote_layer(session: Session, created: tuple[int, dict], input_names, reseed: int | None = 0, name: str = "Layer"):
    """The stand-in for an object ``session.create`` or ``session.adapt`` made (with the same ``reseed``, so a
    constructor's and every call's np.random repeat)."""
    handle, attrs = created
    cls = type(name, (RemoteLayer,), {})
    return cls(_Link(session, handle, reseed), attrs, input_names)
