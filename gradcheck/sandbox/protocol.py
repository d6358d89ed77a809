"""The wire format between the parent and a learner-code child: JSON plus raw array buffers, never pickle.

A message is a 4-byte big-endian length and a JSON header, followed by one
length-prefixed buffer per array.  The header gives each array's dtype (only
booleans, integers and floats are allowed) and shape, so an array is rebuilt
with ``np.frombuffer``: nothing is parsed as code on either side (``.npy``
headers would need a literal evaluator on every message, the slowest part of
a round trip).  Values are tagged JSON so that arrays, lists, tuples, numbers,
None and "something else" all survive the trip.
"""

from __future__ import annotations

import json
import os
import select
import struct
import time

import numpy as np

from ..errors import GradcheckError

MAX_HEADER = 16 * 1024 * 1024
#: The most bytes one message may carry in all its arrays: far above any check's needs (a batch of
#: evaluations is about 32 MB), far below what would exhaust the grader's memory.
MAX_MESSAGE = 256 * 1024 * 1024


class ChannelClosed(GradcheckError):
    """The other side closed the channel (it exited or crashed)."""


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


class ChannelTimeout(GradcheckError):
    """A message did not arrive whole before its deadline."""


#: Seconds a message may pause once it has begun: the sender writes each message in one go, so a message that
#: stops half-way and stays stopped comes from a sender that broke the channel (and may sleep behind it).
STALL = 3.0


def _read_exact(fd: int, n: int, deadline: float | None = None, stall: bool = False) -> bytes:
    chunks, left = [], n
    while left:
        if deadline is not None:
            until = min(deadline, time.monotonic() + STALL) if stall else deadline
            ready, _, _ = select.select([fd], [], [], max(0.0, until - time.monotonic()))
            if not ready:
                raise ChannelTimeout()
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            raise ChannelClosed()
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def encode(value, blobs: list[np.ndarray]):
    """Tag ``value`` for JSON; arrays are appended to ``blobs`` and referenced by index."""
    if value is None:
        return {"t": "none"}
    if isinstance(value, np.ndarray):
        if value.dtype == object or value.dtype.kind not in "biuf":
            return {"t": "other", "type": f"ndarray of {value.dtype}"}
        blobs.append(np.ascontiguousarray(value))
        return {"t": "array", "i": len(blobs) - 1, "dtype": value.dtype.str, "shape": list(value.shape)}
    if isinstance(value, (bool, np.bool_)):
        return {"t": "num", "v": bool(value)}
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return {"t": "num", "v": int(value)}
    if isinstance(value, (float, np.floating)):
        return {"t": "num", "v": float(value), "dtype": str(np.asarray(value).dtype)}
    if isinstance(value, str):
        return {"t": "str", "v": value}
    if isinstance(value, tuple):
        return {"t": "tuple", "items": [encode(v, blobs) for v in value]}
    if isinstance(value, list):
        return {"t": "list", "items": [encode(v, blobs) for v in value]}
    if isinstance(value, dict):
        return {"t": "dict", "items": {str(k): encode(v, blobs) for k, v in value.items()}}
    if isinstance(value, Opaque):
        return {"t": "other", "type": value.type_name}
    return {"t": "other", "type": type(value).__name__}


class Opaque:
    """Something the child could not send as data (an object of a learner's class, say)."""

    def __init__(self, type_name: str):
        self.type_name = type_name

    def __repr__(self) -> str:
        return f"<{self.type_name}>"


def decode(tagged, blobs: list[np.ndarray]):
    """The inverse of ``encode``."""
    kind = tagged.get("t")
    if kind == "none":
        return None
    if kind == "array":
        dtype = np.dtype(tagged["dtype"])
        if dtype.kind not in "biuf":
            raise ValueError("unsupported array type")
        return np.frombuffer(blobs[tagged["i"]], dtype=dtype).reshape(tagged["shape"]).copy()
    if kind == "num":
        v = tagged["v"]
        return np.dtype(tagged["dtype"]).type(v) if "dtype" in tagged else v
    if kind == "str":
        return tagged["v"]
    if kind == "tuple":
        return tuple(decode(v, blobs) for v in tagged["items"])
    if kind == "list":
        return [decode(v, blobs) for v in tagged["items"]]
    if kind == "dict":
        return {k: decode(v, blobs) for k, v in tagged["items"].items()}
    return Opaque(str(tagged.get("type", "object")))


def send(fd: int, header: dict, payload=None) -> None:
    """Send ``header`` with ``payload`` (any encodable value) stored under its "value" key."""
    blobs: list[np.ndarray] = []
    header = dict(header, value=encode(payload, blobs), blobs=len(blobs))
    raw = json.dumps(header).encode()
    parts = [struct.pack(">I", len(raw)), raw]
    for arr in blobs:
        data = arr.tobytes()
        parts += [struct.pack(">Q", len(data)), data]
    _write_all(fd, b"".join(parts))


def receive(fd: int, deadline: float | None = None) -> tuple[dict, object]:
    """Receive one message: (header, decoded value).  With a ``deadline`` (``time.monotonic()`` seconds) a message
    that stops half-way raises ``ChannelTimeout``; one larger than the bounds raises ``ChannelClosed``."""
    (size,) = struct.unpack(">I", _read_exact(fd, 4, deadline))
    if size > MAX_HEADER:
        raise ChannelClosed()
    header = json.loads(_read_exact(fd, size, deadline, stall=True).decode())
    if not isinstance(header, dict):
        raise ChannelClosed()
    blobs, total = [], 0
    for _ in range(int(header.get("blobs", 0))):
        (n,) = struct.unpack(">Q", _read_exact(fd, 8, deadline, stall=True))
        total += n
        if total > MAX_MESSAGE:
            raise ChannelClosed()
        blobs.append(_read_exact(fd, n, deadline, stall=True))
    return header, decode(header.get("value", {"t": "none"}), blobs)
