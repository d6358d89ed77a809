"""Where and as what a learner's file is imported: its module name, the folders on ``sys.path``, the run folder.

Worked out in the parent from paths alone (no learner code runs here), the way
``python`` would see the file when run from the folder ``verify`` was started in:
that folder and the file's own folder on ``sys.path``, and a file inside a
package (folders with ``__init__.py``) imported as that package's module.
"""

from __future__ import annotations

import functools
import keyword
import os
import site
import sys
import sysconfig

LEARNER_MODULE = "__learner__"


def _identifier(name: str) -> bool:
    return name.isidentifier() and not keyword.iskeyword(name)


def _package(folder: str) -> bool:
    return os.path.isfile(os.path.join(folder, "__init__.py")) and _identifier(os.path.basename(folder))


def _namespace_inside_package(folder: str) -> bool:
    """A folder without ``__init__.py`` inside a package (cs231n/classifiers/ in recent assignments): Python
    imports it as a namespace portion of that package, and relative imports in it work."""
    name = os.path.basename(folder)
    if not _identifier(name) or os.path.isfile(os.path.join(folder, "__init__.py")):
        return False
    parent = os.path.dirname(folder)
    while parent != os.path.dirname(parent) and _identifier(os.path.basename(parent)):
        if _package(parent):
            return True
        parent = os.path.dirname(parent)
    return False


def module_name(path: str) -> tuple[str, str]:
    """(dotted module name, the folder its top package sits in) for the file at ``path``."""
    folder, stem = os.path.split(os.path.abspath(path))
    stem = os.path.splitext(stem)[0]
    parts = [stem]
    while _package(folder) or _namespace_inside_package(folder):
        parts.insert(0, os.path.basename(folder))
        folder = os.path.dirname(folder)
    return ".".join(parts), folder


#: gradcheck's own files the child needs (the worker, the adapters, symbolic tracing); never the bank, the
#: reference layers or the grader (frameworks: the torch and JAX adapters; report: the messages symbolic
#: tracing imports; neither holds answers).
CHILD_FILES = ("__init__.py", "errors.py", "sandbox", "symbolic", "conventions/__init__.py", "conventions/adapters.py",
               "frameworks", "report")


def _python_dirs() -> list[str]:
    dirs = {sysconfig.get_paths()[k] for k in ("stdlib", "platstdlib", "purelib", "platlib")}
    dirs.update(site.getsitepackages() if hasattr(site, "getsitepackages") else [])
    dirs.add(site.getusersitepackages())
    return sorted(os.path.realpath(d) for d in dirs if os.path.isdir(d))


def _under(path: str, folders: list[str]) -> bool:
    return any(path == f or path.startswith(f.rstrip(os.sep) + os.sep) for f in folders)


@functools.lru_cache(maxsize=1)
def listable_roots() -> tuple[str, ...]:
    """The folders of the standard library and installed packages, to be listed (not read) by the child."""
    return tuple(_python_dirs())


@functools.lru_cache(maxsize=1)
def readable_roots() -> tuple[str, ...]:
    """Everything a child may read besides the learner's own tree: the standard library and every installed
    package except gradcheck's own folder, gradcheck's few child-side modules, and the system's shared
    libraries.  A folder that holds gradcheck's package is allowed entry by entry (Landlock can only allow),
    any other as a whole: fewer rules make a child start faster."""
    package = os.path.realpath(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    python_dirs = _python_dirs()
    roots = []
    for folder in python_dirs:
        if not _under(package, [folder]):
            if not any(folder != d and _under(folder, [d]) and not _under(package, [d]) for d in python_dirs):
                roots.append(folder)
            continue
        for entry in os.listdir(folder):
            path = os.path.realpath(os.path.join(folder, entry))
            if not (path == package or _under(package, [path]) or "gradcheck" in entry.lower()):
                roots.append(path)
    roots += [os.path.join(package, f) for f in CHILD_FILES]
    multiarch = sysconfig.get_config_var("MULTIARCH") or ""
    # the processor's description: PyTorch's cpuinfo reads it on import and prints an error without it
    hardware = ("/proc/cpuinfo", "/sys/devices/system/cpu")
    for lib in ("/lib", "/lib64", "/usr/lib64", f"/usr/lib/{multiarch}", "/etc/ld.so.cache", "/dev/urandom", *hardware):
        real = os.path.realpath(lib)
        if os.path.exists(real) and not any(_under(d, [real]) for d in python_dirs + [package]):
            roots.append(real)
    return tuple(dict.fromkeys(roots))


def program_for(path: str, run_dir: str | None = None, source: str | None = None, own_tree: bool = True) -> dict:
    """The load plan the child follows for ``path``; ``source`` is given for notebooks (their code cells).

    The child may read its folders; with ``own_tree`` (verify on one's own file) also the run folder's parent,
    since the book's chapter scripts reach ``common/`` through ``sys.path.append(os.pardir)``, and nothing
    above it.  Grading passes ``own_tree=False``: a submission reads its private copy and nothing beside it."""
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
    tree, above = list(dirs), []
    if own_tree:
        # the run folder's parent (the book's sys.path.append(os.pardir) from a chapter folder), and nothing
        # above it: a package root higher up (an __init__.py in a student's folder) is listed, not read
        limit = os.path.dirname(run_dir)
        own = (os.path.dirname(path), run_dir)  # always readable: the file's folder and the run folder
        tree = [d for d in dirs if d in own or _under(d, [limit])] + [limit]
        above = [d for d in dirs if d not in tree]
    return {"filename": path, "module": name, "path_dirs": dirs, "run_dir": run_dir, "source": source,
            "readable": [*readable_roots(), *dict.fromkeys(tree)], "listable": [*listable_roots(), *above]}



def program_from_source(source: str, filename: str) -> dict:
    """A load plan for source text that has no file of its own (tests, generated code)."""
    return {"filename": filename, "module": LEARNER_MODULE, "path_dirs": [], "run_dir": None, "source": source,
            "readable": list(readable_roots()), "listable": list(listable_roots())}
