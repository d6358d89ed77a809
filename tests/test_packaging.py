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
