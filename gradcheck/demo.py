"""The demo: every reference layer checked on its seeded case, and the logic gates on their truth tables."""

from __future__ import annotations

from typing import Callable


def run_demo(mode: str = "auto", seed: int = 0, lang: str = "en", echo: Callable[[str], None] = print) -> bool:
    """Check all reference layers and gates, print each result, and return whether all passed."""
    from .layers import perceptron
    from .layers.cases import CASES, check_reference
    from .report.messages import message

    results = [check_reference(name, seed=seed, mode=mode) for name in CASES]
    results += [perceptron.check_gate(getattr(perceptron, g), g) for g in perceptron.TRUTH_TABLES]
    for r in results:
        echo(r.render(lang))
    passed = sum(r.passed for r in results)
    echo(message("label.summary", lang, passed=passed, total=len(results)))
    return passed == len(results)
