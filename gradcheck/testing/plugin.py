"""The pytest plugin (entry point ``pytest11``): --gradcheck-seed, --gradcheck-mode and the ``gradcheck`` fixture.

It imports nothing heavy when pytest starts; the checking code loads when the fixture is first used.
"""

from __future__ import annotations

import pytest


def pytest_addoption(parser):
    group = parser.getgroup("gradcheck", "gradient checks")
    group.addoption("--gradcheck-seed", type=int, default=0, help="seed for probes and sampled coordinates (default 0)")
    group.addoption(
        "--gradcheck-mode", choices=("auto", "full", "fast"), default="auto",
        help="full: every coordinate; fast: random projections; auto: full up to 4096 coordinates",
    )


def pytest_configure(config):
    """Direct assertion calls use this run's options too, not only the fixture."""
    from . import defaults

    defaults.RUN.update(mode=config.getoption("gradcheck_mode"), seed=config.getoption("gradcheck_seed"))


@pytest.fixture(scope="session")
def gradcheck(request):
    """Assertions bound to this run's options: gradcheck.layer(...), gradcheck.vjp(...), gradcheck.grad(...)."""
    from .assertions import Checker

    config = request.config
    return Checker(seed=config.getoption("gradcheck_seed"), mode=config.getoption("gradcheck_mode"))
