"""The zygote holds nothing of any submission: a notebook's code goes to its own child over the child's pipe,
never in the spawn request, so a child forked later cannot find a classmate's code in inherited memory."""

from __future__ import annotations

import json

from gradcheck.sandbox import runner
from gradcheck.verify import Options, verify_file

SECRET = "classmate_secret_7f3a"
NOTEBOOK = {"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                       "source": [f"{SECRET} = 1\n", "def f(x):\n    return x * x\n", "def df_dx(x):\n    return 2 * x\n"]}],
            "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def test_a_notebooks_code_never_travels_through_the_zygote(tmp_path, monkeypatch):
    seen = []
    real = runner.zygote

    class Recording:
        def spawn(self, fds, request):
            seen.append(json.dumps(request))
            return real().spawn(fds, request)

        def __getattr__(self, name):  # everything else as the real zygote does it
            return getattr(real(), name)

    monkeypatch.setattr(runner, "zygote", Recording)
    path = tmp_path / "homework.ipynb"
    path.write_text(json.dumps(NOTEBOOK))
    report = verify_file(str(path), Options(run_dir=str(tmp_path), shrink=False, diagnosis="none"))
    assert report.results and report.results[0].passed, [str(r) for r in report.results] or report.problem
    assert seen and not any(SECRET in request for request in seen)
