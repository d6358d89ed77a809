"""The verify command: exit codes, formats, languages, determinism, and a real subprocess."""

import json
import os
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

from click.testing import CliRunner

from gradcheck.cli import main

FIXTURES = Path(__file__).parent / "fixtures"


def run(*args, env=None):
    return CliRunner().invoke(main, ["verify", *map(str, args)], env=env)


def test_exit_codes(hostile_dir):
    assert run(FIXTURES / "cs231n_good.py").exit_code == 0
    assert run("--diagnosis", "none", FIXTURES / "dlfs_buggy.py").exit_code == 1
    assert run(FIXTURES / "missing.py").exit_code == 2
    assert run(hostile_dir / "nothing.py").exit_code == 2
    assert run("--mode", "sideways", FIXTURES / "cs231n_good.py").exit_code == 2
    assert run("--shape", "x=four", FIXTURES / "custom_layer.py").exit_code == 2


def test_json_is_one_document_and_the_same_every_run():
    first = run("--format", "json", FIXTURES / "dlfs_buggy.py")
    second = run("--format", "json", FIXTURES / "dlfs_buggy.py")
    doc = json.loads(first.output)
    assert doc["exit_status"] == 1 and doc["passed"] is False
    assert doc["files"][0]["results"][0]["checks"][0]["gradient"] == "dx"
    assert first.output == second.output


def test_junit_is_valid_xml_with_failures():
    out = run("--format", "junit", "--diagnosis", "none", FIXTURES / "dlfs_buggy.py").output
    root = ET.fromstring(out)
    suite = root.find("testsuite")
    assert int(suite.get("failures")) > 0 and int(suite.get("tests")) >= int(suite.get("failures"))


def test_korean_from_option_and_from_lang():
    korean = run("--lang", "ko", FIXTURES / "dlfs_buggy.py").output
    assert "실패" in korean and "검증된 수정: Relu.backward의 11번째 줄" in korean
    assert "실패" in run("--diagnosis", "none", FIXTURES / "dlfs_buggy.py", env={"LANG": "ko_KR.UTF-8", "LC_ALL": ""}).output


def test_seed_is_reported_and_changes_the_probe():
    a = run("--format", "json", "--seed", "1", FIXTURES / "custom_layer.py").output
    assert json.loads(a)["files"][0]["results"][0]["seed"] == 1


def test_real_subprocess_exit_code_and_no_traceback(hostile_dir):
    proc = subprocess.run(
        [sys.executable, "-m", "gradcheck", "verify", "--timeout", "2", str(hostile_dir / "segfault.py")],
        capture_output=True, text=True, timeout=120, env=dict(os.environ, LANG="C.UTF-8"),
    )
    assert proc.returncode == 1
    assert "SIGSEGV" in proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr


SWISH_ONE_TERM = '''
import numpy as np

class Swish:
    def forward(self, x):
        self.x, self.s = x, 1 / (1 + np.exp(-x))
        return x * self.s

    def backward(self, dout):
        return dout * self.s

class Mean:
    def forward(self, x):
        return x - x.mean(axis=1, keepdims=True)

    def backward(self, dout):
        return dout - dout.mean(axis=1, keepdims=True)
'''


def test_plot_draws_each_elementwise_derivative_and_says_where(tmp_path):
    import pytest

    pytest.importorskip("matplotlib")
    src = tmp_path / "acts.py"
    src.write_text(SWISH_ONE_TERM)
    out = tmp_path / "curves.png"
    r = CliRunner().invoke(main, ["verify", str(src), "--plot", str(out)])
    assert r.exit_code == 1  # Swish is wrong; Mean is right but not elementwise, so it is not drawn
    assert "product-rule term is missing" in r.output
    assert f"wrote 1 plot of derivatives to {out}" in r.output
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_plot_with_nothing_elementwise_says_so_and_writes_nothing(tmp_path):
    src = tmp_path / "mean.py"
    src.write_text(SWISH_ONE_TERM.split("class Mean:")[0].split("class Swish:")[0] + "class Mean:" + SWISH_ONE_TERM.split("class Mean:")[1])
    out = tmp_path / "none.png"
    r = CliRunner().invoke(main, ["verify", str(src), "--plot", str(out)])
    assert r.exit_code == 0 and "nothing to plot" in r.output and not out.exists()
