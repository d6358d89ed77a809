"""gradcheck.check in plain Python: the module written for a session's object runs on its own."""

import linecache
import types

import numpy as np
import pytest

from gradcheck.interactive import SourceNotFound, check, module_source, source_of

CELL = '''
from numpy import exp
SCALE = 2.0

def helper(a):
    return SCALE * a

class Sigmoid:
    def forward(self, x):
        self.out = 1 / (1 + exp(-x))
        return self.out

    def backward(self, dout):
        return helper(dout * self.out * (1.0 - self.out)) / SCALE
'''


def _cell(text, filename="<cell-7>"):
    """Run ``text`` as a notebook does: its lines kept in linecache under the cell's name."""
    linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
    namespace = {"__name__": "__main__", "np": np}
    exec(compile(text, filename, "exec"), namespace)
    return namespace


def test_a_cells_class_is_found_with_what_it_uses():
    ns = _cell(CELL)
    assert source_of(ns["Sigmoid"]).startswith("class Sigmoid:")
    module = module_source(ns["Sigmoid"], ns)
    assert "from numpy import exp as exp" in module and "SCALE = 2.0" in module and "def helper" in module
    assert module.index("def helper") < module.index("class Sigmoid")
    compile(module, "m.py", "exec")  # a module on its own


def test_check_gives_verify_s_verdict_for_a_session_object():
    ns = _cell(CELL, "<cell-8>")
    result = check(ns["Sigmoid"], namespace=ns)
    assert result.passed and "Sigmoid" in str(result) and "every gradient is right" in result._repr_html_()
    broken = _cell(CELL.replace("/ SCALE", ""), "<cell-9>")
    failed = check(broken["Sigmoid"], namespace=broken)
    assert not failed.passed and "twice" in str(failed)


def test_an_object_without_source_is_one_sentence():
    ns = {"__name__": "__main__"}
    exec("def f(x):\n    return x\n", ns)  # no cell kept: no source
    with pytest.raises(SourceNotFound) as err:
        source_of(types.FunctionType(ns["f"].__code__.replace(co_filename="<gone>"), ns))
    assert "cannot be found" in str(err.value)
