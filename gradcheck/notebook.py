"""The IPython extension: ``%load_ext gradcheck``, then ``%gradcheck Affine`` checks a class or function
defined in the notebook and shows the result as a table.  IPython is never imported: the running shell is
passed in by ``%load_ext``, and a result displays itself through ``_repr_html_``."""

from __future__ import annotations

import shlex

from .options import parse_value
from .report.messages import message


def _parse(line: str) -> tuple[str, dict]:
    """``NAME [--shape x=4,5]... [--init W=5,3]... [--mode M] [--lang L] [--seed N]`` -> (NAME, options)."""
    words = shlex.split(line)
    if not words or words[0].startswith("-"):
        raise ValueError
    name, options, shapes, init = words[0], {}, {}, {}
    rest = iter(words[1:])
    for flag in rest:
        value = next(rest)
        if flag in ("--shape", "--init"):
            key, sep, text = value.partition("=")
            if not sep or not key.isidentifier():
                raise ValueError
            target = shapes if flag == "--shape" else init
            parsed = parse_value(text)
            target[key] = tuple(parsed) if flag == "--shape" and isinstance(parsed, (list, tuple)) else \
                (parsed,) if flag == "--shape" else parsed
        elif flag in ("--mode", "--lang"):
            options[flag[2:]] = value
        elif flag == "--seed":
            options["seed"] = int(value)
        else:
            raise ValueError
    return name, {**options, "shapes": shapes, "init": init}


def load_ipython_extension(ipython) -> None:
    """Register the ``%gradcheck`` line magic on the running shell."""

    def gradcheck_magic(line: str):
        from .interactive import SourceNotFound, check

        try:
            name, options = _parse(line)
        except (ValueError, StopIteration):
            print(message("notebook.usage", "en"))
            return None
        lang = options.get("lang", "en")
        obj = ipython.user_ns.get(name)
        if obj is None or not callable(obj):
            print(message("notebook.unknown", lang, name=name))
            return None
        try:
            result = check(obj, namespace=ipython.user_ns, **options)
        except SourceNotFound:
            print(message("notebook.no_source", lang, name=name))
            return None
        if "ZMQ" not in type(ipython).__name__:  # a terminal or `ipython script.ipy`: nothing would show a value
            print(result)
            return None
        return result

    ipython.register_magic_function(gradcheck_magic, magic_kind="line", magic_name="gradcheck")
