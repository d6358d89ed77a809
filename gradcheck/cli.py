"""The command line: a thin layer that parses options, calls the library and renders.

Imports of the engines happen inside the commands so that ``gradcheck --help``
stays fast.
"""

from __future__ import annotations

import sys

import click

LANG = click.option("--lang", type=click.Choice(["en", "ko"]), default=None, help="Message language (default: from LANG).")
SEED = click.option("--seed", type=int, default=0, show_default=True, help="Seed for every random draw.")


def _lang(lang: str | None) -> str:
    from .report.messages import default_lang

    return lang or default_lang()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="gradcheck")
def main() -> None:
    """Tell whether a gradient is right, and if not, where and why."""


@main.command()
@click.option("--mode", type=click.Choice(["auto", "full", "fast"]), default="auto", show_default=True)
@SEED
@LANG
def demo(mode: str, seed: int, lang: str | None) -> None:
    """Check every bundled reference layer and print the results."""
    from .demo import run_demo

    ok = run_demo(mode=mode, seed=seed, lang=_lang(lang), echo=click.echo)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":  # pragma: no cover
    main()
