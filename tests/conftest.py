"""Test settings: Hypothesis pinned (derandomized, no database, no deadline) so every run gives the same verdicts."""

import os

import pytest
from hypothesis import HealthCheck, settings

_COMMON = dict(
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("gradcheck", max_examples=25, **_COMMON)
settings.register_profile("gradcheck-slow", max_examples=400, **_COMMON)


def pytest_addoption(parser):
    parser.addoption("--slow", action="store_true", help="run the long property runs (hundreds of examples each)")


def pytest_configure(config):
    # CI=true would otherwise make Hypothesis load its own "ci" profile.
    settings.load_profile("gradcheck-slow" if config.getoption("--slow") else "gradcheck")
    os.environ.setdefault("LANG", "C.UTF-8")
    # the grader's keys go to a state folder of this run, not the tester's home
    import tempfile

    os.environ["XDG_STATE_HOME"] = tempfile.mkdtemp(prefix="gradcheck-test-state-")


def pytest_collection_modifyitems(config, items):
    # The PyTorch and JAX tests load libraries that start threads; forking after that (every limited child of
    # the symbolic and grading tests forks) is unsafe, so they run last.
    items.sort(key=lambda item: "frameworks/" in item.nodeid)
    if config.getoption("--slow"):
        return
    skip = pytest.mark.skip(reason="long property run; use --slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
