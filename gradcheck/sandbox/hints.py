"""Naming what went wrong when a learner's file fails for a reason that is not a bug in its gradients:
a third-party module that is not installed, or code written for NumPy 1.x that NumPy 2 refuses."""

from __future__ import annotations

import re

from ..report.model import Note

#: Import names whose package on PyPI has another name.
PACKAGES = {
    "past": "future", "cv2": "opencv-python", "PIL": "Pillow", "sklearn": "scikit-learn", "skimage": "scikit-image",
    "yaml": "PyYAML", "imageio": "imageio", "scipy": "scipy", "matplotlib": "matplotlib", "h5py": "h5py",
}

#: NumPy 1.x names and behaviours that NumPy 2 removed, with the fix (matched in the error text).
NUMPY2 = [
    (r"module 'numpy' has no attribute '(float|int|bool|object|str|complex)'", "use the built-in {0} instead of np.{0} (the alias was removed in NumPy 1.24)"),
    (r"`np\.(\w+)` was removed in the NumPy 2\.0 release\. Use `([^`]+)`", "use {1} instead of np.{0}"),
    (r"module 'numpy' has no attribute '(float_|complex_|NaN|Inf|PINF|NINF|infty|product|cumproduct|alltrue|sometrue|asscalar|round_|in1d|row_stack)'",
     "np.{0} was removed in NumPy 2; use its current name (np.float64, np.nan, np.inf, np.prod, np.all, np.any, .item(), np.round, np.isin, np.vstack)"),
    (r"only (length-1|0-dimensional|size-1) arrays can be converted to Python scalars",
     "NumPy 2 refuses int()/float() of an array with dimensions; take the element first (x.item() or x[0])"),
]


def missing_module_note(module: str, where: str) -> Note:
    """A module the file imports is not installed: name the package to install (not a bug in the learner's code)."""
    top = (module or "").split(".")[0]
    if top.endswith("_cython") or top.endswith("_ext"):
        return Note("fault.extension_missing", {"where": where, "module": module})
    return Note("fault.missing_module", {"where": where, "module": module, "package": PACKAGES.get(top, top)})


_DENIED = re.compile(r"PermissionError: \[Errno 13\] Permission denied: '([^']+)'")


def forbidden_note(detail: str, where: str) -> Note | None:
    """When the learner's code was refused a file (the sandbox allows only its own tree), say which."""
    match = _DENIED.search(detail or "")
    return Note("fault.forbidden", {"where": where, "path": match.group(1)}) if match else None


def numpy2_hint(detail: str) -> str | None:
    """The fix, when an error text shows code written for NumPy 1.x failing under NumPy 2."""
    for pattern, fix in NUMPY2:
        match = re.search(pattern, detail or "")
        if match:
            return fix.format(*match.groups())
    return None
