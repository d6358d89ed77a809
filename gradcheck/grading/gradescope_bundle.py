"""A Gradescope autograder for one exercise: ``setup.sh`` and ``run_autograder`` in a zip, as Gradescope's
autograder specification asks.  setup.sh installs gradcheck from a copy inside the zip (no package index is
needed); run_autograder grades /autograder/submission and writes /autograder/results/results.json.  Each
Gradescope submission runs in its own container, which is the isolation there; confinement by Landlock is
used where that kernel has it and not required."""

from __future__ import annotations

import shutil
import stat
import zipfile
from pathlib import Path

from .bank import Exercise, bundled_root

SETUP = """#!/usr/bin/env bash
# Gradescope runs this once when the autograder image is built. gradcheck needs Python 3.11 or newer.
set -euo pipefail
apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-pip python3-venv
new_enough() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; }
PY=python3
if ! new_enough "$PY"; then  # Ubuntu 22.04 images have 3.10: take 3.11 from the distribution
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3.11 python3.11-venv || true
    PY=python3.11
fi
if ! new_enough "$PY"; then
    echo "gradcheck needs Python 3.11 or newer, and this image has $(python3 --version 2>&1); choose a newer base image in Gradescope's autograder settings" >&2
    exit 1
fi
"$PY" -m venv /autograder/venv
/autograder/venv/bin/pip install --quiet /autograder/source/gradcheck-src
"""

RUN = """#!/usr/bin/env bash
# Gradescope runs this for every submission; the student's files are in /autograder/submission.
set -uo pipefail
cd /autograder/source
mkdir -p /autograder/results
/autograder/venv/bin/gradcheck grade {id} /autograder/submission --format gradescope --lang {lang} \\
    --out /autograder/results/results.json {extra}
"""


INSTALLED = ("pyproject.toml", "README.md", "LICENSE", "gradcheck", "exercises")


def checkout_root() -> Path | None:
    """The source checkout gradcheck runs from (with pyproject.toml), or None for an installed wheel."""
    root = Path(__file__).resolve().parents[2]
    return root if (root / "pyproject.toml").is_file() and (root / "gradcheck").is_dir() else None


#: The project file of a source tree made from an installed gradcheck (name, version and dependencies are
#: the installed distribution's own).
PYPROJECT = """[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "gradcheck"
version = "{version}"
requires-python = ">=3.11"
dependencies = {dependencies}

[project.scripts]
gradcheck = "gradcheck.cli:main"

[tool.setuptools.packages.find]
include = ["gradcheck*"]
namespaces = true

[tool.setuptools.package-data]
"gradcheck" = ["py.typed"]
"gradcheck.bank" = ["*/*.toml", "*/*.py", "*/wrong/*"]
"""


def _from_installed(src: Path, ignore) -> None:
    """A source tree pip can install, made from the installed package (its bank included) and its metadata."""
    import json
    from importlib import metadata

    package = Path(__file__).resolve().parents[1]
    shutil.copytree(package, src / "gradcheck", ignore=ignore)
    if not (src / "gradcheck" / "bank").is_dir():  # an editable install keeps the bank at the top level
        shutil.copytree(bundled_root(), src / "gradcheck" / "bank", ignore=ignore)
    requires = [r for r in (metadata.requires("gradcheck") or []) if "extra ==" not in r]
    (src / "pyproject.toml").write_text(PYPROJECT.format(version=metadata.version("gradcheck"), dependencies=json.dumps(requires)),
                                        encoding="utf-8")


def write_bundle(exercise: Exercise, out: Path, source: Path | None = None, lang: str = "en") -> Path:
    """Write the autograder folder ``out`` and ``out/autograder.zip``; returns the zip's path.  ``source`` is
    gradcheck's source tree to install (default: the checkout this copy runs from, else a tree made from
    the installed package)."""
    source = source or checkout_root()
    if source is not None and not (Path(source) / "pyproject.toml").is_file():
        raise FileNotFoundError("gradcheck's source tree (with pyproject.toml)")
    out.mkdir(parents=True, exist_ok=True)
    src = out / "gradcheck-src"
    if src.exists():
        shutil.rmtree(src)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    if source is None:
        _from_installed(src, ignore)
        source = src
    for name in INSTALLED if source != src else ():  # what pip needs, nothing of the checkout's caches or tests
        if (Path(source) / name).is_dir():
            shutil.copytree(Path(source) / name, src / name, ignore=ignore)
        elif (Path(source) / name).is_file():
            src.mkdir(parents=True, exist_ok=True)
            shutil.copy2(Path(source) / name, src / name)
    extra = "--unconfined"
    if exercise.root.resolve() != (bundled_root() / exercise.root.name).resolve():  # an instructor's own exercise
        shutil.copytree(exercise.root, out / "exercises" / exercise.root.name, dirs_exist_ok=True, ignore=ignore)
        extra += " --exercises-dir /autograder/source/exercises"
    for name, text in (("setup.sh", SETUP), ("run_autograder", RUN.format(id=exercise.id, lang=lang, extra=extra))):
        path = out / name
        path.write_text(text, encoding="utf-8")
        path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    bundle = out / "autograder.zip"
    with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(out.rglob("*")):
            if path.is_file() and path != bundle:
                info = zipfile.ZipInfo.from_file(path, path.relative_to(out).as_posix())
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, path.read_bytes())
    return bundle
