"""The command line: a thin layer that parses options, calls the library and renders.

Imports of the engines happen inside the commands so that ``gradcheck --help``
stays fast.
"""

from __future__ import annotations

import dataclasses
import os
import sys

import click

from .grading.formats import FORMATS
from .report.file_formats import FILE_FORMATS
from .report.model import Note

LANG = click.option("--lang", type=click.Choice(["en", "ko"]), default=None, help="Message language (default: from LANG).")
DIAGNOSIS = click.option(
    "--diagnosis", type=click.Choice(["fix", "mistake", "where", "none"]), default=None,
    help="What a failure is told of the edit of the code that fixes it: the edit itself, the mistake in words, "
         "only the line, or nothing (default: fix for verify, the exercise's choice for grade).")
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
@click.option("--format", "fmt", type=click.Choice(list(FILE_FORMATS)), default="text", show_default=True,
              help="github: workflow commands that annotate the failing line in a pull request.")
@click.option("--mode", type=click.Choice(["auto", "full", "fast"]), default="auto", show_default=True)
@click.option("--timeout", type=click.FloatRange(min=0.1), default=5.0, show_default=True, help="Seconds allowed for each call into your code.")
@click.option("--memory", type=click.IntRange(min=64), default=4096, show_default=True, help="Memory limit in MB for your code.")
@click.option("--target", "targets", multiple=True, help="Check only this class or function (repeatable).")
@click.option("--shape", "shapes", multiple=True, metavar="NAME=N,M", help="Input shape for a custom layer, e.g. x=4,5.")
@click.option("--init", "inits", multiple=True, metavar="NAME=VALUE",
              help="A constructor argument by name, e.g. input_size=5 or hidden_size_list=4,4 (repeatable).")
@click.option("--shrink/--no-shrink", default=True, show_default=True, help="Find the smallest input that shows each failure.")
@click.option("--verbose", is_flag=True, help="Show every failing case, not each failure once.")
@DIAGNOSIS
@click.option("--plot", "plot_path", default=None, type=click.Path(dir_okay=False),
              help="Draw each elementwise layer's derivative against the true one to a PNG (pip install 'gradcheck[plot]').")
@SEED
@LANG
def verify(paths, fmt, mode, timeout, memory, targets, shapes, inits, shrink, verbose, diagnosis, plot_path, seed, lang):
    """Check every layer, function and optimizer in each file: exit 0 all passed, 1 a check failed, 2 could not run."""
    from .report.file_formats import render_files
    from .options import parse_value
    from .verify import Options, exit_status
    from .verify import verify as run

    lang = _lang(lang)
    init = {}
    for item in inits:
        name, sep, value = item.partition("=")
        if not sep or not name.strip().isidentifier():
            raise click.BadParameter(f"{item!r}: write NAME=VALUE, for example input_size=5", param_hint="--init")
        init[name.strip()] = parse_value(value)
    options = Options(seed=seed, mode=mode, timeout=timeout, memory_mb=memory, targets=tuple(targets),
                      shapes=_parse_shapes(shapes), init=init, shrink=shrink, curves=bool(plot_path),
                      diagnosis=diagnosis or "fix")
    reports = run(paths, options)
    status = exit_status(reports)
    if plot_path:
        _plot_curves(reports, plot_path, lang)
    text = render_files(fmt, reports, status, lang, verbose)
    click.echo(_coloured(text) if fmt == "text" else text)
    sys.exit(status)


def _plot_curves(reports, path: str, lang: str) -> None:
    """Draw the derivative curves verify recorded; say on stderr where they went or why there are none."""
    try:
        from .report.plot_curves import plot_derivatives

        drawn = plot_derivatives([r for report in reports for r in report.results], path)
    except ImportError:
        click.echo(Note("descent.no_matplotlib").render(lang), err=True)
        return
    except OSError as err:
        click.echo(Note("plot.cannot_write", {"path": path, "error": err.strerror or str(err)}).render(lang), err=True)
        return
    click.echo(Note("plot.written" if drawn else "plot.nothing", {"path": path, "count": drawn}).render(lang), err=True)


def _coloured(text: str) -> str:
    """PASS in green and FAIL in red on a terminal (click strips the colour when output is not a terminal)."""
    from .report.messages import message

    out = text
    for lang in ("en", "ko"):
        for key, colour in (("label.pass", "green"), ("label.fail", "red")):
            word = message(key, lang)
            out = out.replace(f"[{word}]", "[" + click.style(word, fg=colour, bold=True) + "]")
    return out


@main.command()
@click.argument("cost")
@click.option("--start", type=float, required=True, help="The starting value.")
@click.option("--lr", type=click.FloatRange(min=0, min_open=True), required=True, help="The learning rate.")
@click.option("--var", "variable", default=None, help="The variable (when the cost has more than one name).")
@click.option("--l2", type=click.FloatRange(min=0), default=0.0, show_default=True, help="Add l2 * var^2 to the cost.")
@click.option("--l1", type=click.FloatRange(min=0), default=0.0, show_default=True, help="Add l1 * |var| to the cost.")
@click.option("--every", type=click.IntRange(min=1), default=None,
              help="Print every N-th step (default: every step up to 40, else about 20 rows).")
@click.option("--max-steps", type=click.IntRange(min=1), default=100_000, show_default=True)
@click.option("--plot", "plot_path", default=None, type=click.Path(dir_okay=False),
              help="Draw the cost and the iterates to a PNG (needs matplotlib: pip install 'gradcheck[plot]').")
@LANG
def descend(cost, start, lr, variable, l2, l1, every, max_steps, plot_path, lang):
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
    first = 0 if every else 5  # the first steps show how the descent starts
    every = every or (1 if last <= 40 else max(1, last // 20))
    for k, (x, c) in enumerate(zip(result.iterates, result.costs)):
        if k <= first or k % every == 0 or k == last:
            click.echo(message("descent.row", lang, step=k, var=v, value=x, cost=c))
    if result.stopped:
        limit = f"{result.limit:.4g}" if result.limit is not None else "?"
        key = f"descent.{result.stopped}" + ("" if result.limit is not None else "_no_limit")
        click.echo(message(key, lang, lr=lr, limit=limit, steps=result.steps))
    else:
        key = "descent.converged" if result.converged else "descent.not_converged"
        if not result.converged and result.too_slow():
            key = "descent.too_slow" if result.limit is not None else "descent.too_slow_no_limit"
        suggested = f"{result.limit / 2:.3g}" if result.limit is not None else "?"
        click.echo(message(key, lang, var=v, value=result.iterates[-1], steps=result.steps, lr=lr, suggested=suggested))
    if plot_path:
        try:
            from .optim.plot import plot_descent
        except ImportError:
            _fail_usage(Note("descent.no_matplotlib"), lang)
        try:
            plot_descent(result, result.cost, plot_path, title=f"{cost}, lr = {lr:g}")
        except ImportError:
            _fail_usage(Note("descent.no_matplotlib"), lang)
        click.echo(plot_path)
    sys.exit(0 if result.converged else 1)


EXERCISES_DIR = click.option(
    "--exercises-dir", default=None, type=click.Path(file_okay=False),
    help="A folder of your own exercises (also $GRADCHECK_EXERCISES); the bundled bank is searched after it.",
)


def _exercise(exercise_id: str, exercises_dir, lang: str):
    from .grading.bank import BankError, find_exercise

    try:
        return find_exercise(exercise_id, exercises_dir)
    except BankError as err:
        _fail_usage(err.note, lang)


@main.group()
def exercises() -> None:
    """List, show, start and validate exercises of the bank."""


@exercises.command("list")
@EXERCISES_DIR
@LANG
def exercises_list(exercises_dir, lang):
    """The exercises there are, with their kind and points."""
    from .grading.bank import BankError, list_exercises
    from .grading.catalogue import exercise_table

    lang = _lang(lang)
    try:
        found = list_exercises(exercises_dir)
    except BankError as err:
        _fail_usage(err.note, lang)
    click.echo(exercise_table(found, lang))


STUDENT = click.option("--student", default=None, metavar="ID",
                       help="The student whose own variant of a parametrized exercise is meant.")


def _variant(ex, student):
    from .grading.variants import variant

    return variant(ex, student)


@exercises.command("show")
@click.argument("exercise_id")
@STUDENT
@EXERCISES_DIR
@LANG
def exercises_show(exercise_id, student, exercises_dir, lang):
    """The prompt of an exercise, with its questions or checks and their points."""
    lang = _lang(lang)
    ex = _variant(_exercise(exercise_id, exercises_dir, lang), student)
    click.echo(f"{ex.text(ex.title, lang)}  [{ex.id}, {ex.max_score:g}]\n")
    click.echo(ex.text(ex.prompt, lang).strip())
    for q in ex.questions:
        click.echo(f"  {q.id} ({q.points:g}): {ex.text(q.prompt, lang)}")
    for c in ex.checks:
        click.echo(f"  - {c.name} ({c.points:g})")
    hints = ex.hints.get(lang) or ex.hints.get("en") or []
    for h in hints:
        click.echo(f"  * {h}")


@exercises.command("init")
@click.argument("exercise_id")
@click.argument("directory", required=False)
@STUDENT
@EXERCISES_DIR
@LANG
def exercises_init(exercise_id, directory, student, exercises_dir, lang):
    """Write the exercise's template into DIRECTORY (default: a new folder named after the exercise, or the student)."""
    import shutil
    from pathlib import Path

    from .grading.answers_template import answers_template
    from .report.messages import message

    lang = _lang(lang)
    ex = _variant(_exercise(exercise_id, exercises_dir, lang), student)
    folder = Path(directory or student or ex.id)
    target = folder / ex.submission
    if target.exists():
        _fail_usage(Note("bank.init_exists", {"path": str(target)}), lang)
    folder.mkdir(parents=True, exist_ok=True)
    if ex.kind == "answers":
        target.write_text(answers_template(ex, lang), encoding="utf-8")
    else:
        shutil.copyfile(ex.root / ex.template, target)
    click.echo(str(target))
    graded = str(folder) if student and folder.name == student else str(target) + (f" --student {student}" if student else "")
    click.echo(message("init.next_answers" if ex.kind == "answers" else "init.next", lang, path=str(target), id=ex.id,
                       graded=graded))


@exercises.command("gradescope")
@click.argument("exercise_id")
@click.option("--out", "out_dir", default=None, type=click.Path(file_okay=False),
              help="The folder to write (default: gradescope-ID).")
@click.option("--source", default=None, type=click.Path(exists=True, file_okay=False),
              help="gradcheck's source tree to install in the autograder (default: this checkout, or the installed gradcheck).")
@EXERCISES_DIR
@LANG
def exercises_gradescope(exercise_id, out_dir, source, exercises_dir, lang):
    """Write a Gradescope autograder (setup.sh, run_autograder, autograder.zip) for EXERCISE_ID."""
    from pathlib import Path

    from .grading.gradescope_bundle import write_bundle
    from .report.messages import message

    lang = _lang(lang)
    ex = _exercise(exercise_id, exercises_dir, lang)
    try:
        bundle = write_bundle(ex, Path(out_dir or f"gradescope-{ex.id}"), Path(source) if source else None, lang)
    except FileNotFoundError:
        _fail_usage(Note("gradescope.no_source"), lang)
    click.echo(message("gradescope.written", lang, path=str(bundle)))


@exercises.command("check")
@click.argument("directories", nargs=-1, required=True, type=click.Path(exists=True, file_okay=False))
@LANG
def exercises_check(directories, lang):
    """Validate exercise folders: the solution must score full marks and every self-test its declared score."""
    from pathlib import Path

    from .grading.bank import BankError, load_exercise
    from .grading.selfcheck import check_exercise
    from .report.messages import message

    lang = _lang(lang)
    failed = False
    for d in directories:
        folders = [Path(d)] if (Path(d) / "exercise.toml").exists() else sorted(p.parent for p in Path(d).glob("*/exercise.toml"))
        for folder in folders:
            try:
                ex = load_exercise(folder)
            except BankError as err:
                click.echo(err.note.render(lang))
                failed = True
                continue
            problems = check_exercise(ex)
            for p in problems:
                click.echo(p.render(lang))
            if not problems:
                click.echo(message("bank.check_ok", lang, id=ex.id, score=ex.max_score, max_score=ex.max_score))
            failed = failed or bool(problems)
    sys.exit(1 if failed else 0)


MERGE_HELP = """Usage: gradcheck grade merge OUT PART... [--format F] [--exercises-dir DIR] [--lang L]

  Join the signed JSON reports that shards of one batch wrote (PART...) into one report OUT, in any grade
  format (default json: text, json, csv, junit, html, gradebook, ...). Parts must be gradcheck's own,
  unedited, and must not overlap.
"""


class _GradeCommand(click.Command):
    """``grade``, whose first argument ``merge`` names a sub-command of its own: its --help is merge's."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args[:1] == ["merge"] and any(a in ("--help", "-h") for a in args[1:]):
            click.echo(MERGE_HELP.rstrip())
            ctx.exit(0)
        if args[:1] == ["merge"] and len([a for a in args[1:] if not a.startswith("-")]) < 2:
            _fail_usage(Note("merge.usage"), _lang(None))
        return super().parse_args(ctx, args)


@main.command(cls=_GradeCommand)
@click.argument("exercise_id")
@click.argument("submissions", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="text", show_default=True)
@click.option("--out", default=None, type=click.Path(dir_okay=False), help="Write the report here (atomically); an interrupted batch resumes from it.")
@click.option("--jobs", type=click.IntRange(min=1), default=1, show_default=True, help="Submissions graded in parallel.")
@click.option("--shard", default=None, metavar="K/N", help="Grade only the K-th of N slices of the submissions.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=5.0, show_default=True)
@click.option("--shrink", is_flag=True, help="Also find the smallest input that shows each failure (slower).")
@click.option("--unconfined", is_flag=True, help="Grade even where the kernel cannot confine submissions (no Landlock).")
@click.option("--hide-expected", is_flag=True, help="Keep expected values out of the feedback (an exam).")
@DIAGNOSIS
@STUDENT
@EXERCISES_DIR
@SEED
@LANG
def grade(exercise_id, submissions, fmt, out, jobs, shard, timeout, shrink, unconfined, hide_expected, diagnosis, student,
          exercises_dir, seed, lang):
    """Grade SUBMISSIONS (files, one folder per student, or globs) of exercise EXERCISE_ID.
    `gradcheck grade merge OUT PARTS...` combines the JSON reports of shards into OUT."""
    if exercise_id == "merge":  # a merged report is JSON unless --format asks for another
        given = click.get_current_context().get_parameter_source("fmt") != click.core.ParameterSource.DEFAULT
        _merge(submissions, fmt if given else "json", exercises_dir, lang)
        return
    from .grading import batch, formats, signing
    from .grading.class_summary import render_summary, summarize
    from .grading.progress import Progress
    from .report.messages import message

    lang = _lang(lang)
    ex = _exercise(exercise_id, exercises_dir, lang)
    if diagnosis is not None:
        ex = dataclasses.replace(ex, diagnosis=diagnosis)
    paths = batch.expand(submissions)
    if shard:
        try:
            k, n = (int(v) for v in shard.split("/"))
            assert 1 <= k <= n
        except (ValueError, AssertionError):
            _fail_usage(Note("grade.shard"), lang)
        paths = batch.shard(paths, k, n)
    if not paths:
        _fail_usage(Note("grade.no_submissions", {"patterns": " ".join(submissions)}), lang)
    if formats.one_submission(fmt) and len(paths) != 1:
        _fail_usage(Note("grade.one_submission", {"format": fmt, "count": len(paths)}), lang)
    if student is not None and len(paths) != 1:
        _fail_usage(Note("grade.student_one", {"count": len(paths)}), lang)
    progress = Progress(len(paths), lang)
    try:
        results = batch.grade_many(ex, paths, jobs=jobs, seed=seed, timeout=timeout, lang=lang, out=out, shrink=shrink,
                                   unconfined=unconfined, student=student, reveal=not hide_expected, progress=progress)
    except batch.ConfinementError:
        _fail_usage(Note("grade.unconfined"), lang)
    except signing.UnsafeFile as err:
        _fail_usage(err.note, lang)
    except KeyboardInterrupt:
        key = "grade.interrupted" if out else "grade.interrupted_nothing"
        click.echo("\n" + message(key, lang, done=progress.done, total=len(paths), journal=f"{out}.partial.jsonl"), err=True)
        sys.exit(130)
    if progress.start_done:  # a rerun of an interrupted batch: say what it did not grade again
        click.echo(message("grade.reused", lang, count=progress.start_done, total=len(paths)), err=True)
    text = formats.render(fmt, ex, results, lang)
    summary = render_summary(summarize(results), lang) if len(results) > 1 else ""
    if out:
        batch.write_atomically(out, text + "\n")
        batch.finish(out)
        if summary:
            click.echo(summary)
    else:
        click.echo(text + ("\n\n" + summary if summary and fmt == "text" else ""))


def _merge(args, fmt: str, exercises_dir, lang: str | None) -> None:
    """grade merge OUT PARTS... [--format F]: one report, in any format, from the shards' signed JSON reports."""
    from pathlib import Path

    from .grading import formats
    from .grading.batch import write_atomically
    from .grading.merge import MergeError, merge_results
    from .report.messages import message

    lang = _lang(lang)
    if len(args) < 2:
        _fail_usage(Note("merge.usage"), lang)
    out, parts = args[0], [Path(p) for p in args[1:]]
    try:
        exercise_id, results = merge_results(parts)
    except MergeError as err:
        _fail_usage(err.note, lang)
    ex = _exercise(exercise_id, exercises_dir, lang)
    write_atomically(out, formats.render(fmt, ex, results, lang) + "\n")
    click.echo(message("merge.done", lang, out=out, count=len(results), parts=len(parts)))


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
@click.option("--at", "at", multiple=True, metavar="NAME=VALUE", help="Also give the derivative's value at this point, e.g. x=5 (repeatable).")
@LANG
def derive(expr, wrt, where, steps, latex, substitute, at, lang):
    """Differentiate EXPR, through intermediate definitions, and show the chain rule."""
    from .symbolic.derive import absent
    from .symbolic.derive import derive as run
    from .symbolic.parse import ParseError
    from .symbolic.render import render_derivation

    lang = _lang(lang)
    try:
        derivation = run(expr, wrt, where)
        missing = absent(expr, wrt.strip(), where)
    except ParseError as err:
        _fail_usage(err.note, lang)
    if missing is not None:  # a 0 printed for a mistyped name would look like an answer
        _fail_usage(missing, lang)
    try:
        click.echo(render_derivation(derivation, steps=steps, latex=latex, substitute=substitute, lang=lang, at=at))
    except ParseError as err:
        _fail_usage(err.note, lang)


@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("answer")
@click.argument("expected")
@WHERE
@click.option("--tol", type=float, default=1e-9, show_default=True, help="Relative tolerance for numeric answers.")
@click.option("--shape", "shapes", multiple=True, metavar="NAME=DIMS",
              help="Declare a matrix and its shape (x=N,D): the answers are then matrix expressions.")
@LANG
def equiv(answer, expected, where, tol, shapes, lang):
    """Exit 0 if ANSWER equals EXPECTED (after substituting --where definitions), 1 if not, 3 if it cannot be
    decided, saying why.  An answer may start with a minus sign: gradcheck equiv "-2e^(-2x)" "-2*exp(-2*x)".
    With --shape, both are matrix expressions: gradcheck equiv "x^T dout" "x.T @ dout" --shape x=N,D --shape dout=N,M."""
    from .symbolic.equivalence import equivalent
    from .symbolic.parse import ParseError

    lang = _lang(lang)
    try:
        if shapes:
            from .symbolic.matrix_equiv import matrix_equivalent

            declared = dict(s.partition("=")[::2] for s in shapes)
            result = matrix_equivalent(answer, expected, declared)
        else:
            result = equivalent(answer, expected, where, tol=tol)
    except ParseError as err:
        _fail_usage(err.note, lang)
    click.echo(result.explain(lang))
    sys.exit(0 if result else 3 if result.verdict.value == "undecided" else 1)


if __name__ == "__main__":  # pragma: no cover
    main()
