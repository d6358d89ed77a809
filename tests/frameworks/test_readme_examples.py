"""The README's code examples run as written, and a bug planted in the layer-author examples fails them.
Here, with the framework tests, because the PyTorch and JAX examples start those libraries' threads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gradcheck.testing.assertions import Checker

README = Path(__file__).resolve().parents[2] / "README.md"


def _block(starting: str) -> str:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)
    found = [b for b in blocks if b.startswith(starting)]
    assert len(found) == 1, f"one README example starts with {starting!r}"
    return found[0]


def _run(source: str) -> dict:
    namespace: dict = {"__name__": "readme_example"}
    exec(compile(source, str(README), "exec"), namespace)  # noqa: S102 - our own README's example
    return namespace


def test_the_python_api_example_prints_true(capsys):
    _run(_block("import numpy as np\nfrom gradcheck import check_layer"))
    assert capsys.readouterr().out.splitlines()[0] == "True"


def test_the_pytorch_example_passes_and_catches_a_planted_bug():
    pytest.importorskip("torch", reason="PyTorch is not installed: pip install 'gradcheck[torch]'")
    source = _block("import numpy as np, torch")
    _run(source)["test_my_linear"](Checker())
    planted = source.replace("return dout @ w.T, x.T @ dout", "return dout @ w.T, 2 * (x.T @ dout)")
    assert planted != source
    with pytest.raises(AssertionError, match="twice"):
        _run(planted)["test_my_linear"](Checker())


def test_the_jax_example_passes_and_catches_a_planted_bug():
    pytest.importorskip("jax", reason="JAX is not installed: pip install 'gradcheck[jax]'")
    source = _block("import jax, jax.numpy as jnp, numpy as np")
    _run(source)["test_softplus"]()
    planted = source.replace("g * jax.nn.sigmoid(x)", "g * jax.nn.sigmoid(2 * x)")
    assert planted != source
    with pytest.raises(AssertionError, match="expected"):
        _run(planted)["test_softplus"]()
