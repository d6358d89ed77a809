"""PyTorch layers through gradcheck's engine: Functions (their own backward), Modules (their parameters),
functions (autograd), planted bugs located, no false alarm at kinks, second order, the fixture and messages."""

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="PyTorch is not installed: pip install 'gradcheck[torch]' (CI installs the CPU build)")

from gradcheck.testing import assert_layer_gradients, assert_second_order  # noqa: E402


def linear(bug=None):
    class Linear(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, w):
            ctx.save_for_backward(x, w)
            return x @ w

        @staticmethod
        def backward(ctx, dout):
            x, w = ctx.saved_tensors
            dw = x.T @ dout
            if bug == "row":
                dw[2] *= 1.01
            elif bug == "element":
                dw[1, 3] *= 1 + 1e-3
            elif bug == "uniform":
                dw = dw * (1 + 1e-4)
            return dout @ w.T, dw

    return Linear


class LeakyRelu(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return torch.where(x > 0, x, 0.01 * x)

    @staticmethod
    def backward(ctx, dout):
        (x,) = ctx.saved_tensors
        return torch.where(x > 0, dout, 0.1 * dout)  # the slope written as 0.1


def data(seed=0, n=8, d=6, m=4):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, d)), rng.standard_normal((d, m))


@pytest.mark.parametrize("seed", range(3))
def test_a_correct_function_passes(seed):
    assert_layer_gradients(linear(), *data(seed))


@pytest.mark.parametrize("bug, words", [("row", ["dw", "row 2"]), ("element", ["dw", "[1, 3]"]),
                                        ("uniform", ["dw", "1.0001 times"])])
def test_planted_bugs_are_caught_and_located(bug, words):
    with pytest.raises(AssertionError) as err:
        assert_layer_gradients(linear(bug), *data())
    text = str(err.value)
    assert all(w in text for w in words), text
    assert "expected" in text and "got" in text


def test_a_wrong_slope_is_found_where_the_input_is_negative():
    x = np.random.default_rng(1).standard_normal((6, 5))
    with pytest.raises(AssertionError) as err:
        assert_layer_gradients(LeakyRelu, x)
    assert "LeakyRelu" in str(err.value) and "[FAIL]" in str(err.value)


def test_no_false_alarm_at_relu_zeros_or_max_pool_ties_in_either_mode():
    x = np.random.default_rng(2).integers(-2, 3, size=(4, 3, 8, 8)).astype(float)  # exact zeros and ties
    for mode in ("full", "fast"):
        assert_layer_gradients(torch.relu, x, framework="torch", mode=mode)
        assert_layer_gradients(lambda t: torch.nn.functional.max_pool2d(t, 2), x, framework="torch", mode=mode)


def test_a_module_is_checked_through_its_named_parameters():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(6, 5), torch.nn.Tanh(), torch.nn.Linear(5, 3))
    result = assert_layer_gradients(model, data()[0])
    assert {c.gradient for c in result.checks} >= {"d0_weight", "d0_bias", "d2_weight", "d2_bias"}

    class Scaled(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.weight = torch.nn.Parameter(torch.randn(6, 4))

        def forward(self, x):
            return linear("row").apply(x, self.weight)

    with pytest.raises(AssertionError, match="dweight"):
        assert_layer_gradients(Scaled(), data()[0])


def test_second_order_checks_the_backward_of_the_backward():
    class Tanh(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return torch.tanh(x)

        @staticmethod
        def backward(ctx, dout):
            (x,) = ctx.saved_tensors
            return dout * (1 - torch.tanh(x) ** 2)

    class DetachedTanh(Tanh):
        @staticmethod
        def backward(ctx, dout):
            (x,) = ctx.saved_tensors
            return dout * (1 - torch.tanh(x).detach() ** 2)  # right once, but not differentiable again

    x = np.random.default_rng(3).standard_normal((5, 4))
    assert_layer_gradients(DetachedTanh, x)
    assert_second_order(Tanh, x)
    with pytest.raises(AssertionError):
        assert_second_order(DetachedTanh, x)


def test_tolerance_overrides_loosen_only_when_asked():
    with pytest.raises(AssertionError):
        assert_layer_gradients(linear("uniform"), *data())
    assert_layer_gradients(linear("uniform"), *data(), rtol=1e-3, mode="full")


def test_the_fixture_takes_torch_objects(gradcheck):
    gradcheck.layer(linear(), *data())


pytest_plugins = ["pytester"]


def test_a_failure_shows_the_authors_call_not_gradchecks_frames(pytester):
    pytester.makepyfile(test_author="""
        import numpy as np, torch
        from gradcheck.testing import assert_layer_gradients

        class Bad(torch.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x * 2

            @staticmethod
            def backward(ctx, dout):
                return dout * 3

        def test_bad():
            assert_layer_gradients(Bad, np.ones((3, 2)) * np.arange(2))
    """)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    text = result.stdout.str()
    assert "assert_layer_gradients(Bad" in text and "1.5 times" in text
    assert "assertions.py" not in text and "CheckResult(" not in text


def test_torch_imported_inside_the_confined_child_prints_no_cpuinfo_error(tmp_path):
    import subprocess
    import sys

    from gradcheck.sandbox import landlock

    if landlock.abi_version() < 1:
        pytest.skip("this kernel has no Landlock: nothing is confined")
    script = (
        "from gradcheck.sandbox import landlock\n"
        "from gradcheck.sandbox.program import listable_roots, readable_roots\n"
        f"assert landlock.confine(list(readable_roots()), [{str(tmp_path)!r}], list(listable_roots())) == 'landlock'\n"
        "import torch\n"
        "x = torch.ones(64, 64, dtype=torch.float64)\n"
        "print(float((x @ x).sum()))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == str(64.0**3)
    assert "cpuinfo" not in done.stderr  # without /proc/cpuinfo: "Error in cpuinfo: failed to parse ..."
