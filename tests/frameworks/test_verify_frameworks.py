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


def test_torch_modules_in_a_file_with_their_parameters():
    pytest.importorskip("torch", reason="PyTorch is not installed: pip install 'gradcheck[torch]'")
    report = verify_file(str(FILES / "torch_modules.py"), Options())
    by_name = {r.target_id: r for r in report.results}
    assert set(by_name) == {"HalfSquare", "ScaledTanh", "Head", "ConvBlock"}  # NeedsWidth needs an argument
    head = by_name["Head"]
    assert head.passed and {c.gradient for c in head.checks} == {"dx", "dfc_weight", "dfc_bias"}
    block = by_name["ConvBlock"]
    assert {c.gradient for c in block.failures()} == {"dx", "dconv_weight", "dconv_bias"}
    assert "a third" in block.render("en") or "1/3" in block.render("en")
    assert not by_name["ScaledTanh"].passed and by_name["HalfSquare"].passed
    assert [s.name for s in report.skipped] == ["NeedsWidth"] and "--init" in report.skipped[0].reason.render("en")
    wide = verify_file(str(FILES / "torch_modules.py"), Options(init={"width": 5}, targets=("NeedsWidth",)))
    assert [r.target_id for r in wide.results] == ["NeedsWidth"] and wide.results[0].passed


def test_guessed_shapes_that_raise_a_shape_error_suggest_giving_them(tmp_path):
    pytest.importorskip("torch", reason="PyTorch is not installed: pip install 'gradcheck[torch]'")
    path = tmp_path / "torch_layers.py"
    path.write_text('''import torch


class Scaled(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, w):
        ctx.save_for_backward(x, w)
        return x * w.sum(dim=0)

    @staticmethod
    def backward(ctx, grad):
        x, w = ctx.saved_tensors
        return grad.mm(w.t()), x.t().mm(grad)
''', encoding="utf-8")
    result = verify_file(str(path), Options()).results[0]
    text = result.render("en")
    assert not result.passed and "the input shapes were guessed" in text and "--shape w=" in text
    given = verify_file(str(path), Options(shapes={"x": (4, 5), "w": (4, 5)})).results[0]
    assert "the input shapes were guessed" not in given.render("en")  # shapes the author gave are not second-guessed
