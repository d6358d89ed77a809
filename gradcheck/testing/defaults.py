"""The mode and seed an assertion uses when its call gives none: the engine's defaults, or what the pytest
plugin's --gradcheck-mode and --gradcheck-seed set for the run (so direct calls and the fixture agree)."""

from __future__ import annotations

RUN = {"mode": "auto", "seed": 0}


def mode(given: str | None) -> str:
    """``given``, else the run's mode."""
    return given if given is not None else RUN["mode"]


def seed(given: int | None) -> int:
    """``given``, else the run's seed."""
    return given if given is not None else RUN["seed"]
