"""Where and as what a learner's file is imported: its module name, the folders on ``sys.path``, the run folder.

Worked out in the parent from paths alone (no learner code runs here), the way
``python`` would see the file when run from the folder ``verify`` was started in:
that folder and the file's own folder on ``sys.path``, and a file inside a
package (folders with ``__init__.py``) imported as that package's module.
"""

from __future__ import annotations

import keyword
import os
import sys

LEARNER_MODULE = "__learner__"


def _identifier(name: str) -> bool:
    return name.isidentifier() and not keyword.iskeyword(name)


def module_name(path: str) -> tuple[str, str]:
    """(dotted module name, the folder its top package sits in) for the file at ``path``."""
    folder, stem = os.path.split(os.path.abspath(path))
    stem = os.path.splitext(stem)[0]
    parts = [stem]
    while os.path.isfile(os.path.join(folder, "__init__.py")) and _identifier(os.path.basename(folder)):
        parts.insert(0, os.path.basename(folder))
        folder = os.path.dirname(folder)
    return ".".join(parts), folder


def program_for(path: str, run_dir: str | None = None, source: str | None = None) -> dict:
    """The load plan the child follows for ``path``; ``source`` is given for notebooks (their code cells)."""
    path = os.path.abspath(path)
    run_dir = os.path.abspath(run_dir or os.getcwd())
    name, root = module_name(path)
    top = name.split(".")[0]
    if source is not None or not all(_identifier(p) for p in name.split(".")):
        name = LEARNER_MODULE
    elif "." not in name and (top in sys.modules or top in sys.stdlib_module_names):
        name = "__learner_" + name  # a file called random.py must not shadow (or be shadowed by) the module
    dirs = []
    for folder in (os.path.dirname(path), run_dir, root):
        if folder not in dirs:
            dirs.append(folder)
    return {"filename": path, "module": name, "path_dirs": dirs, "run_dir": run_dir, "source": source}


def program_from_source(source: str, filename: str) -> dict:
    """A load plan for source text that has no file of its own (tests, generated code)."""
    return {"filename": filename, "module": LEARNER_MODULE, "path_dirs": [], "run_dir": None, "source": source}
