"""gradcheck in Jupyter: a real notebook executed by nbclient loads the extension, checks a class defined in
a cell with %gradcheck and with gradcheck.check, and shows a table with a heatmap of the wrong elements."""

import pytest

nbformat = pytest.importorskip("nbformat", reason="the notebook extra is not installed: pip install 'gradcheck[notebook]' nbclient ipykernel")
nbclient = pytest.importorskip("nbclient", reason="nbclient is not installed (it comes with gradcheck[test])")
pytest.importorskip("ipykernel", reason="ipykernel is not installed (it comes with gradcheck[test])")

CELLS = [
    "%load_ext gradcheck",
    "import numpy as np\nSCALE = 2.0\n\ndef doubled(a):\n    return SCALE * a\n",
    # the learner's Affine: dW is twice too large (every element wrong), db forgets the sum
    "class Affine:\n"
    "    def __init__(self, W, b):\n        self.W, self.b = W, b\n"
    "    def forward(self, x):\n        self.x = x\n        return np.dot(x, self.W) + self.b\n"
    "    def backward(self, dout):\n        self.dW = doubled(np.dot(self.x.T, dout))\n"
    "        self.db = np.sum(dout, axis=0)\n        return np.dot(dout, self.W.T)\n",
    "%gradcheck Affine",
    "%gradcheck Affine --lang ko",
    "import gradcheck\nresult = gradcheck.check(Affine)\nprint(result.passed)\nprint(result)",
    "%gradcheck Nothing",
    "class Relu:\n    def forward(self, x):\n        self.mask = x <= 0\n        out = x.copy()\n        out[self.mask] = 0\n"
    "        return out\n    def backward(self, dout):\n        dout = dout.copy()\n        dout[self.mask] = 0\n"
    "        return dout\n",
    "%gradcheck Relu",
    # a subclass that inherits the constructor and the forward, and overrides backward wrongly
    "class BadAffine(Affine):\n    def backward(self, dout):\n        dx = np.dot(dout, self.W.T)\n"
    "        self.dW = np.dot(self.x.T, dout)\n        self.db = np.sum(dout, axis=1)\n        return dx\n",
    "%gradcheck BadAffine",
]


def _outputs(cell, kind):
    return [o for o in cell.outputs if o.get("output_type") == kind]


@pytest.fixture(scope="module")
def executed():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in CELLS]
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=False).execute()
    return nb.cells


def test_the_magic_shows_a_table_with_the_wrong_gradient_and_a_heatmap(executed):
    html = _outputs(executed[3], "execute_result")[0]["data"]["text/html"]
    assert "a gradient is wrong" in html and "<table>" in html
    assert "dW" in html and 'class="heatmap"' in html and "<rect" in html
    assert "twice the right value" in html  # the diagnosis: a constant factor
    ko = _outputs(executed[4], "execute_result")[0]["data"]["text/html"]
    assert "틀린 기울기가 있습니다" in ko


def test_check_in_plain_python_prints_the_text_report(executed):
    text = "".join(o["text"] for o in _outputs(executed[5], "stream"))
    assert text.startswith("False") and "[FAIL] Affine" in text and "backward -> dW" in text


def test_an_unknown_name_is_one_sentence_and_a_right_function_passes(executed):
    text = "".join(o["text"] for o in _outputs(executed[6], "stream"))
    assert "no class or function named 'Nothing'" in text and "Traceback" not in text
    html = _outputs(executed[8], "execute_result")[0]["data"]["text/html"]
    assert "every gradient is right" in html


def test_a_subclass_defined_in_a_cell_is_checked_and_no_temporary_path_is_shown(executed):
    html = _outputs(executed[10], "execute_result")[0]["data"]["text/html"]
    assert "a gradient is wrong" in html and "(0 checks)" not in html
    assert "db" in html and "gradcheck-check-" not in html and "/tmp/" not in html


def test_the_heatmap_is_large_enough_to_read_with_axes_and_a_legend(executed):
    import re

    html = _outputs(executed[3], "execute_result")[0]["data"]["text/html"]
    svg = html[html.index('<svg class="heatmap"'):]
    svg = svg[:svg.index("</svg>")]
    width = int(re.search(r'width="(\d+)"', svg).group(1))
    assert width >= 150
    assert "where dW is wrong" in svg and "error / tolerance" in svg and ">0</text>" in svg


def test_gradcheck_last_in_an_ipython_script_prints_the_report(tmp_path):
    import subprocess
    import sys

    script = tmp_path / "check.ipy"
    script.write_text("\n".join(CELLS[:3] + ["%gradcheck Affine"]) + "\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "IPython", "--colors=NoColor", str(script)], capture_output=True,
                          text=True, timeout=300, cwd=tmp_path)
    assert "[FAIL] Affine" in done.stdout and "backward -> dW" in done.stdout


def test_lines_of_a_cell_class_are_counted_in_its_own_definition(tmp_path):
    import subprocess
    import sys

    relu = ("class Relu:\n    def forward(self, x):\n        self.mask = x <= 0\n        out = x.copy()\n"
            "        out[self.mask] = 0\n        return out\n    def backward(self, dout):\n        dout = dout.copy()\n"
            "        dout[self.mask] = 1\n        return dout\n")
    script = tmp_path / "relu.ipy"
    script.write_text("\n".join([CELLS[0], "import numpy as np", relu, "%gradcheck Relu"]) + "\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "IPython", "--colors=NoColor", str(script)], capture_output=True,
                          text=True, timeout=300, cwd=tmp_path)
    assert "<Relu>:9" in done.stdout and "line 9 of Relu.backward" in done.stdout  # dout[self.mask] = 1
