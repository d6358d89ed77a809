"""Reading a learner's file before anything runs: regular files only, bounded in size, UTF-8, and a notebook's
code cells as one module.  Whatever the file holds, the answer is text or one sentence saying why not."""

from __future__ import annotations

import json
import os
import stat

from .report.model import Note

#: The largest learner file read (a notebook with outputs can be large; a layer file is a few kB).
MAX_BYTES = 20 * 1024 * 1024


#: Folders a learner's tree holds that are not their code.
SKIPPED_FOLDERS = frozenset({"__pycache__", ".ipynb_checkpoints", "site-packages", "node_modules", "build", "dist"})


def expand(paths) -> list[str]:
    """Each path as given, a folder as every ``.py`` file and notebook under it (sorted, its hidden folders,
    caches and virtual environments left out), so a whole repository verifies from its root."""
    found: list[str] = []
    for path in map(str, paths):
        if not os.path.isdir(path):
            found.append(path)
            continue
        inside = []
        for folder, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED_FOLDERS
                             and not os.path.exists(os.path.join(folder, d, "pyvenv.cfg")))
            inside += [os.path.join(folder, f) for f in sorted(files) if f.endswith((".py", ".ipynb"))]
        found += [os.path.normpath(p) for p in inside] or [path]
    return found


def read_text(path: str) -> tuple[str | None, Note | None]:
    """A regular file's UTF-8 text, at most ``MAX_BYTES``, or why it cannot be read."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None, Note("file.missing", {"path": path})
    except OSError as exc:
        return None, Note("file.unreadable", {"path": path, "error": exc.strerror or str(exc)})
    if stat.S_ISDIR(info.st_mode):
        return None, Note("file.directory", {"path": path})
    if not stat.S_ISREG(info.st_mode):  # a device (/dev/zero), a pipe, /proc: never read
        return None, Note("file.not_regular", {"path": path})
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        return None, Note("file.unreadable", {"path": path, "error": exc.strerror or str(exc)})
    if len(raw) > MAX_BYTES:
        return None, Note("file.too_large", {"path": path, "mb": MAX_BYTES // (1024 * 1024)})
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, Note("file.encoding", {"path": path, "position": exc.start})
    return text, None


def read_source(path: str) -> tuple[str | None, Note | None]:
    """The Python source of a .py file or a notebook's code cells, or why it cannot be read."""
    text, problem = read_text(path)
    if problem is not None:
        return None, problem
    if path.endswith(".ipynb"):
        return notebook_source(text, path)
    if not text.strip():
        return None, Note("file.empty", {"path": path})
    return text, None


def notebook_source(text: str, path: str) -> tuple[str | None, Note | None]:
    """A notebook's code cells as one module, without shell (!) and magic (%) lines."""
    try:
        cells = json.loads(text).get("cells", [])
    except (ValueError, AttributeError, RecursionError):  # not JSON, not an object, or nested without end
        return None, Note("file.notebook", {"path": path})
    if not isinstance(cells, list):
        return None, Note("file.notebook", {"path": path})
    lines = []
    for cell in cells:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        if isinstance(source, list):
            source = "".join(s for s in source if isinstance(s, str))
        if not isinstance(source, str) or source.lstrip().startswith("%%"):
            continue
        lines.extend(line for line in source.splitlines() if not line.lstrip().startswith(("!", "%")))
        lines.append("")
    if not "".join(lines).strip():
        return None, Note("file.empty", {"path": path})
    return "\n".join(lines), None
