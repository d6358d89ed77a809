"""The demo command and the README's promises about set-up."""

import re
from pathlib import Path

from click.testing import CliRunner

from gradcheck.cli import main

ROOT = Path(__file__).resolve().parent.parent


def test_demo_checks_every_reference_layer_and_passes():
    result = CliRunner().invoke(main, ["demo"])
    assert result.exit_code == 0, result.output
    assert re.search(r"(\d+) of \1 targets passed", result.output)
    assert "[FAIL]" not in result.output


def test_demo_in_korean():
    result = CliRunner().invoke(main, ["demo", "--lang", "ko"])
    assert result.exit_code == 0
    assert "통과" in result.output


def test_ci_runs_the_readme_test_command_verbatim():
    readme, ci = (ROOT / "README.md"), (ROOT / ".ci" / "run")
    if not readme.exists() or not ci.exists():  # an installed copy without the checkout
        return
    blocks = re.findall(r"```sh\n(.*?)\n```", readme.read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 2
    assert blocks[1].strip() in ci.read_text(encoding="utf-8")


def test_bundled_example_passes_and_the_buggy_one_names_its_mistakes():
    good = CliRunner().invoke(main, ["verify", str(ROOT / "examples" / "my_layer.py")])
    if not (ROOT / "examples").exists():
        return
    assert good.exit_code == 0, good.output
    bad = CliRunner().invoke(main, ["verify", str(ROOT / "examples" / "buggy_layer.py")])
    assert bad.exit_code == 1
    assert "x where the forward output y was meant" in bad.output
    assert "sum it over the batch axis" in bad.output
    assert "division by the batch size N = 4 is missing" in bad.output
