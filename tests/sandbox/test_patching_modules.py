"""Patches land in the module asked for (a layer file the checked file imports) and are put back; our own
modules and NumPy are never patched."""

from __future__ import annotations

import sys
import types

import pytest

from gradcheck.sandbox.patching import Patches


def test_a_patch_in_another_module_is_put_back_and_ours_are_refused():
    layers = types.ModuleType("learner_layers_for_test")
    exec("def relu_backward(dout, x):\n    return dout * (x > 0) * 2\n", vars(layers))
    sys.modules[layers.__name__] = layers
    try:
        patches = Patches(types.ModuleType("checked_file"))
        original = layers.relu_backward
        patches.patch("", "relu_backward", "def relu_backward(dout, x):\n    return dout * (x > 0)\n", 1, layers.__name__)
        assert layers.relu_backward(2.0, 1.0) == 2.0
        patches.restore()
        assert layers.relu_backward is original
        for name in ("gradcheck.numeric.layer", "numpy", "not_loaded_anywhere"):
            with pytest.raises(LookupError):
                patches.patch("", "f", "def f():\n    pass\n", 1, name)
    finally:
        del sys.modules[layers.__name__]


def test_what_an_edited_copy_prints_is_not_the_learners_output(capsys):
    module = types.ModuleType("checked_file_prints")
    exec("def f(x):\n    return x\n", vars(module))
    patches = Patches(module)
    print("before")
    patches.patch("", "f", "def f(x):\n    print('from the edit')\n    import sys; sys.stderr.write('edit warns')\n    return x\n", 1)
    assert module.f(3) == 3
    patches.restore()
    print("after")
    out = capsys.readouterr()
    assert out.out == "before\nafter\n" and "edit" not in out.err
