"""Packaging: every package under gradcheck/ is listed for installation, and the bank ships with it."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_package_is_installed():
    pyproject = ROOT / "pyproject.toml"
    if not pyproject.exists():
        return
    listed = set(tomllib.loads(pyproject.read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "gradcheck").rglob("__init__.py")}
    assert found | {"gradcheck.bank"} == listed


def test_the_core_never_imports_the_optional_extras():
    """matplotlib, PyTorch, JAX, IPython and the notebook machinery are extras: importing every core module,
    the notebook extension included, loads none of them."""
    import subprocess
    import sys

    modules = ("gradcheck", "gradcheck.cli", "gradcheck.verify", "gradcheck.grading.grade", "gradcheck.testing",
               "gradcheck.interactive", "gradcheck.notebook", "gradcheck.report.notebook_html",
               "gradcheck.grading.formats.html")
    extras = ("matplotlib", "torch", "jax", "IPython", "ipykernel", "nbformat", "nbclient")
    code = (f"import sys, importlib; [importlib.import_module(m) for m in {modules!r}]; "
            f"print(sorted(m for m in {extras!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "[]", out.stderr
