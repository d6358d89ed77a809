"""The command line: a thin layer that parses options, calls the library and renders.

Imports of the engines happen inside the commands so that ``gradcheck --help``
stays fast.
"""

from __future__ import annotations

import os
import sys

import click

LANG = click.option("--lang", type=click.Choice(["en", "ko"]), default=None, help="Message language (default: from LANG).")
SEED = click.option("--seed", type=int, default=0, show_default=True, help="Seed for every random draw.")


def _lang(lang: str | None) -> str:
    from .report.messages import default_lang

    return lang or default_lang()


class _Guarded(click.Group):
    """A click group that turns an unexpected error of gradcheck's own into one sentence and exit status 2."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit, KeyboardInterrupt):
            raise
        except BrokenPipeError:  # the reader (e.g. `| head`) stopped listening: stop quietly, as a shell tool does
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(141)
        except Exception as exc:  # a bug of ours: say so plainly, never a traceback
            click.echo(f"gradcheck: internal error ({type(exc).__name__}: {exc}); please report it with the command you ran.", err=True)
            sys.exit(2)


@click.group(cls=_Guarded, context_settings={"help_option_names": ["-h", "--help"]})
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


def _parse_shapes(shapes) -> dict:
    out = {}
    for item in shapes:
        name, sep, dims = item.partition("=")
        try:
            out[name.strip()] = tuple(int(d) for d in dims.split(",") if d.strip())
        except ValueError:
            raise click.BadParameter(f"{item!r}: write NAME=N,M, for example x=4,5", param_hint="--shape") from None
        if not sep or not out[name.strip()] or min(out[name.strip()]) < 1:
            raise click.BadParameter(f"{item!r}: write NAME=N,M with positive sizes, for example x=4,5", param_hint="--shape")
    return out


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json", "junit"]), default="text", show_default=True)
@click.option("--mode", type=click.Choice(["auto", "full", "fast"]), default="auto", show_default=True)
@click.option("--timeout", type=click.FloatRange(min=0.1), default=5.0, show_default=True, help="Seconds allowed for each call into your code.")
@click.option("--memory", type=click.IntRange(min=64), default=4096, show_default=True, help="Memory limit in MB for your code.")
@click.option("--target", "targets", multiple=True, help="Check only this class or function (repeatable).")
@click.option("--shape", "shapes", multiple=True, metavar="NAME=N,M", help="Input shape for a custom layer, e.g. x=4,5.")
@SEED
@LANG
def verify(paths, fmt, mode, timeout, memory, targets, shapes, seed, lang):
    """Check every layer, function and optimizer in each file: exit 0 all passed, 1 a check failed, 2 could not run."""
    from .report.render import render_files_json, render_files_junit, render_files_text
    from .verify import Options, exit_status
    from .verify import verify as run

    lang = _lang(lang)
    options = Options(seed=seed, mode=mode, timeout=timeout, memory_mb=memory, targets=tuple(targets), shapes=_parse_shapes(shapes))
    reports = run(paths, options)
    status = exit_status(reports)
    if fmt == "json":
        click.echo(render_files_json(reports, status, lang))
    elif fmt == "junit":
        click.echo(render_files_junit(reports, lang))
    else:
        click.echo(render_files_text(reports, lang))
    sys.exit(status)


@main.command()
@click.argument("cost")
@click.option("--start", type=float, required=True, help="The starting value.")
@click.option("--lr", type=click.FloatRange(min=0, min_open=True), required=True, help="The learning rate.")
@click.option("--var", "variable", default=None, help="The variable (when the cost has more than one name).")
@click.option("--l2", type=click.FloatRange(min=0), default=0.0, show_default=True, help="Add l2 * var^2 to the cost.")
@click.option("--l1", type=click.FloatRange(min=0), default=0.0, show_default=True, help="Add l1 * |var| to the cost.")
@click.option("--every", type=click.IntRange(min=1), default=1, show_default=True, help="Print every N-th step.")
@click.option("--max-steps", type=click.IntRange(min=1), default=100_000, show_default=True)
@LANG
def descend(cost, start, lr, variable, l2, l1, every, max_steps, lang):
    """Run gradient descent on a one-parameter COST and print the iterates."""
    from .optim.descent import descend as run
    from .report.messages import message
    from .symbolic.parse import ParseError

    lang = _lang(lang)
    try:
        result = run(cost, start, lr, variable, l2=l2, l1=l1, max_steps=max_steps)
    except ParseError as err:
        _fail_usage(err.note, lang)
    v = result.variable
    click.echo(message("descent.header", lang, var=v, lr=lr, derivative=result.derivative))
    last = len(result.iterates) - 1
    for k, (x, c) in enumerate(zip(result.iterates, result.costs)):
        if k % every == 0 or k == last:
            click.echo(message("descent.row", lang, step=k, var=v, value=x, cost=c))
    key = "descent.converged" if result.converged else "descent.not_converged"
    click.echo(message(key, lang, var=v, value=result.iterates[-1], steps=result.steps))
    sys.exit(0 if result.converged else 1)


def _fail_usage(note, lang: str) -> None:
    """Print one clear sentence for input the command cannot use, and exit with status 2."""
    click.echo(f"gradcheck: {note.render(lang)}", err=True)
    sys.exit(2)


WHERE = click.option(
    "--where", "where", multiple=True, metavar="NAME=EXPR", help="An intermediate definition, e.g. y=x^2+1 (repeatable)."
)


@main.command()
@click.argument("expr")
@click.option("--wrt", required=True, help="The variable to differentiate with respect to.")
@WHERE
@click.option("--steps", is_flag=True, help="Show each factor of the chain rule.")
@click.option("--latex", is_flag=True, help="Print LaTeX instead of plain text.")
@click.option("--substitute", is_flag=True, help="Give the result in the base variables only.")
@LANG
def derive(expr, wrt, where, steps, latex, substitute, lang):
    """Differentiate EXPR, through intermediate definitions, and show the chain rule."""
    from .symbolic.derive import derive as run
    from .symbolic.parse import ParseError
    from .symbolic.render import render_derivation

    lang = _lang(lang)
    try:
        derivation = run(expr, wrt, where)
    except ParseError as err:
        _fail_usage(err.note, lang)
    click.echo(render_derivation(derivation, steps=steps, latex=latex, substitute=substitute))


@main.command()
@click.argument("answer")
@click.argument("expected")
@WHERE
@click.option("--tol", type=float, default=1e-9, show_default=True, help="Relative tolerance for numeric answers.")
@LANG
def equiv(answer, expected, where, tol, lang):
    """Exit 0 if ANSWER equals EXPECTED (after substituting --where definitions), 1 if not, saying why."""
    from .symbolic.equivalence import equivalent
    from .symbolic.parse import ParseError

    lang = _lang(lang)
    try:
        result = equivalent(answer, expected, where, tol=tol)
    except ParseError as err:
        _fail_usage(err.note, lang)
    click.echo(result.explain(lang))
    sys.exit(0 if result else 1)


if __name__ == "__main__":  # pragma: no cover
    main()
