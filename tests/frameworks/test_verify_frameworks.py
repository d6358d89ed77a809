"""gradcheck verify recognises torch.autograd.Function subclasses and JAX custom_vjp functions in a file,
and checks them in the sandbox through their own backward."""

from pathlib import Path

import pytest

from gradcheck.verify import Options, verify_file

FILES = Path(__file__).parent / "files"


def test_torch_functions_in_a_file():
    pytest.importorskip("torch", reason="PyTorch is not installed: pip install 'gradcheck[torch]'")
    report = verify_file(str(FILES / "torch_functions.py"), Options())
    by_name = {r.target_id: r for r in report.results}
    assert set(by_name) == {"MyLinear", "MySigmoid"}
    assert by_name["MySigmoid"].passed
    wrong = by_name["MyLinear"]
    assert [c.gradient for c in wrong.failures()] == ["dw"]
    assert "twice" in wrong.render("en")


def test_a_jax_custom_vjp_in_a_file():
    pytest.importorskip("jax", reason="JAX is not installed: pip install 'gradcheck[jax]'")
    report = verify_file(str(FILES / "jax_custom_vjp.py"), Options())
    assert [r.target_id for r in report.results] == ["softplus"]
    assert not report.results[0].passed and "expected" in report.results[0].render("en")
