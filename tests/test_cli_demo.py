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
