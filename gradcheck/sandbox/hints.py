"""Naming what went wrong when a learner's file fails for a reason that is not a bug in its gradients:
a third-party module that is not installed, or code written for NumPy 1.x that NumPy 2 refuses."""

from __future__ import annotations

import os
import re

from ..report.model import Note

#: Import names whose package on PyPI has another name.
PACKAGES = {
    "past": "future", "cv2": "opencv-python", "PIL": "Pillow", "sklearn": "scikit-learn", "skimage": "scikit-image",
    "yaml": "PyYAML", "imageio": "imageio", "scipy": "scipy", "matplotlib": "matplotlib", "h5py": "h5py",
}

#: NumPy 1.x names and behaviours that NumPy 2 removed, each with the catalogue key of its fix (matched in the
#: error text; the groups become the fix's ``a`` and ``b``).
NUMPY2 = [
    (r"module 'numpy' has no attribute '(float|int|bool|object|str|complex)'", "hint.np_alias"),
    (r"`np\.(\w+)` was removed in the NumPy 2\.0 release\. Use `([^`]+)`", "hint.np_renamed"),
    (r"module 'numpy' has no attribute '(float_|complex_|NaN|Inf|PINF|NINF|infty|product|cumproduct|alltrue|sometrue|asscalar|round_|in1d|row_stack)'",
     "hint.np_removed"),
    (r"only (length-1|0-dimensional|size-1) arrays can be converted to Python scalars", "hint.np_scalar"),
]


def local_folder(module: str, filename: str) -> str:
    """The folder beside the learner's file (or one or two levels up) that holds ``module`` as a folder or a
    file, or ''.  Such a module is the learner's own (the book's ``common/``), not a package to install."""
    top = (module or "").split(".")[0]
    if not top:
        return ""
    here = os.path.dirname(os.path.abspath(filename))
    for folder in (here, os.path.dirname(here), os.path.dirname(os.path.dirname(here))):
        if os.path.isdir(os.path.join(folder, top)) or os.path.isfile(os.path.join(folder, top + ".py")):
            return folder
    return ""


#: Errors of a size or an index that became a float: Python 2's ``/`` of integers gave an integer, Python 3's
#: gives a float (``out_h = 1 + (H + 2 * pad - HH) / stride``).
PY2_DIVISION = re.compile(r"'float' object cannot be interpreted as an integer|slice indices must be integers"
                          r"|only integers, slices \(`:`\), ellipsis|arrays used as indices must be of integer")


def division_note(detail: str, where: str) -> Note | None:
    """When an error text shows a float where a size or an index must be an integer, name ``/`` and ``//``."""
    return Note("fault.py2_division", {"where": where, "detail": detail}) if PY2_DIVISION.search(detail or "") else None


def missing_module_note(module: str, where: str, local: str = "", script_dir: str = "") -> Note:
    """A module the file imports is not found: the folder to run from when it is the learner's own (the book's
    ``common/``, reached by ``sys.path.append(os.pardir)`` from a chapter folder), else the package to install."""
    top = (module or "").split(".")[0]
    if top.endswith("_cython") or top.endswith("_ext"):
        return Note("fault.extension_missing", {"where": where, "module": module})
    if local:
        # a file of the package itself (common/base_model.py importing common.np) runs from the folder above it
        inside = os.path.basename(os.path.normpath(script_dir or "")) == top
        return Note("fault.local_module", {"where": where, "module": module, "folder": local,
                                           "run": local if inside or not script_dir else script_dir})
    return Note("fault.missing_module", {"where": where, "module": module, "package": PACKAGES.get(top, top)})


_NETWORK = re.compile(r"^(?:URLError|HTTPError|ConnectionError|ConnectionRefusedError|gaierror|socket\.gaierror|"
                      r"TimeoutError|RemoteDisconnected|OSError: \[Errno (?:-3|-2|101|111|113)\])|Name or service not known|"
                      r"Temporary failure in name resolution|Network is unreachable|Operation not permitted.*socket")


def network_note(detail: str, where: str) -> Note | None:
    """When loading the file reached for the network (the book's chapter scripts download MNIST at import):
    say that checks run offline and run the file's top-level code, and what to check instead."""
    if not _NETWORK.search(detail or ""):
        return None
    return Note("fault.network", {"where": where, "detail": detail.splitlines()[0][:200]})


_DENIED = re.compile(r"PermissionError: \[Errno 13\] Permission denied: '([^']+)'")


def forbidden_note(detail: str, where: str) -> Note | None:
    """When the learner's code was refused a file (the sandbox allows only its own tree), say which."""
    match = _DENIED.search(detail or "")
    return Note("fault.forbidden", {"where": where, "path": match.group(1)}) if match else None


def numpy2_hint(detail: str) -> Note | None:
    """The fix, when an error text shows code written for NumPy 1.x failing under NumPy 2."""
    for pattern, key in NUMPY2:
        match = re.search(pattern, detail or "")
        if match:
            groups = match.groups() + ("", "")
            return Note(key, {"a": groups[0], "b": groups[1]})
    return None
