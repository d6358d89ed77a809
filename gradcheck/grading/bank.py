"""The exercise bank: loading and validating ``exercise.toml`` folders.

The bundled bank is the top-level ``exercises/`` folder, installed as the
package data ``gradcheck.bank``; instructors add their own folders with
``--exercises-dir`` or the ``GRADCHECK_EXERCISES`` environment variable.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..report.model import Note
from ..errors import GradcheckError

ENV = "GRADCHECK_EXERCISES"
KINDS = ("answers", "code")
CHECK_KINDS = ("gradient", "gate", "values", "numerical_gradient")


class BankError(GradcheckError):
    """An exercise folder or id that cannot be used; ``note`` says why and what to do."""

    def __init__(self, key: str, **params):
        self.note = Note(key, params)
        super().__init__(self.note.render("en"))


@dataclass
class Question:
    """One question of an answers exercise."""

    id: str
    prompt: dict
    expected: str
    points: float = 1.0
    where: dict = field(default_factory=dict)
    variables: list = field(default_factory=list)
    tol: float = 1e-6
    domain: dict = field(default_factory=dict)  # variable -> [low, high] where answers are sampled
    positive: list = field(default_factory=list)  # variables sampled only above 0 (a standard deviation, say)
    function: str = ""  # for expected = "derive(F, v)": F with the values put in, and v, so that an answer
    wrt: str = ""  # that differentiates by another variable is told so
    shapes: dict = field(default_factory=dict)  # a matrix question: name -> "N,D" (from a [questions.variables] table)


@dataclass
class CheckSpec:
    """One graded check of a code exercise."""

    name: str
    points: float
    kind: str = "gradient"
    targets: list = field(default_factory=list)  # class or function names, any convention
    gradient: str | list = "*"  # which gradient(s) ("dW", ["dW", "db"], "forward", "trajectory"), or every one
    hidden: bool = False
    function: str = ""
    cases: list = field(default_factory=list)

    @property
    def gradients(self) -> set[str]:
        """The gradient names this check scores, lower-cased ({"*"} for every one)."""
        return {g.lower() for g in ([self.gradient] if isinstance(self.gradient, str) else self.gradient)}


@dataclass
class Exercise:
    """An exercise: what is asked, how it is scored, and its files."""

    id: str
    kind: str
    title: dict
    prompt: dict
    root: Path
    hints: dict = field(default_factory=dict)
    questions: list[Question] = field(default_factory=list)
    checks: list[CheckSpec] = field(default_factory=list)
    template: str = ""
    solution: str = ""
    submission: str = ""  # the file name looked for inside a student's folder
    hidden_seed: int = 7919
    selftests: list[dict] = field(default_factory=list)
    params: dict = field(default_factory=dict)  # name -> "randint(2, 9)" or "choice([2, 3, 5])": a question per student
    defaults: dict = field(default_factory=dict)  # name -> the value of the default variant (the fixed exercise)
    variant_seed: int = 0
    diagnosis: str = "mistake"  # what a failing submission is told of the edit that fixes it (see gradcheck.feedback)
    backward_may_call_forward: bool = True  # False: a backward that calls forward (finite differences) scores 0

    @property
    def max_score(self) -> float:
        items = self.questions if self.kind == "answers" else self.checks
        return float(sum(i.points for i in items))

    def text(self, field_: dict, lang: str) -> str:
        return field_.get(lang) or field_.get("en") or ""


_RANDINT = re.compile(r"\s*randint\(\s*(-?\d+)\s*,\s*(-?\d+)\s*\)\s*")
_CHOICE = re.compile(r"\s*choice\(\s*\[([^\]]*)\]\s*\)\s*")
_NUMBER = re.compile(r"\s*-?\d+(\.\d+)?\s*")


def param_options(spec: object) -> list | None:
    """The values a parameter spec (randint(LOW, HIGH) or choice([A, B, ...])) can take, read by a pattern
    and never evaluated; None when it is not one of them."""
    if not isinstance(spec, str):
        return None
    m = _RANDINT.fullmatch(spec)
    if m:
        low, high = int(m.group(1)), int(m.group(2))
        return list(range(low, high + 1)) if low <= high and high - low <= 10_000 else None
    m = _CHOICE.fullmatch(spec)
    if m:
        items = [t for t in m.group(1).split(",") if t.strip()]
        if items and all(_NUMBER.fullmatch(t) for t in items):
            return [float(t) if "." in t else int(t) for t in items]
    return None


def _shapes(value: dict, question, path) -> dict:
    """A matrix question's shapes ({"x": "N,D"}), refused naming the question when one cannot be read."""
    from ..symbolic.matrix_equiv import read_shapes
    from ..symbolic.parse import ParseError

    try:
        read_shapes(value)
    except ParseError as err:
        raise BankError("bank.bad_shapes", path=str(path), question=str(question), reason=err.note.render()) from None
    return {str(k): str(v) for k, v in value.items()}


def _domain(value, question, path) -> dict:
    """A question's sampling domain, {name: [low, high]} with low < high."""
    if not isinstance(value, dict) or not all(
            isinstance(v, list) and len(v) == 2 and all(isinstance(b, (int, float)) for b in v) and v[0] < v[1]
            for v in value.values()):
        raise BankError("bank.bad_domain", path=str(path), question=str(question))
    return {str(k): (float(v[0]), float(v[1])) for k, v in value.items()}


def _require(data: dict, key: str, where: Path, item: str = ""):
    if key not in data:
        if item:
            raise BankError("bank.missing_in", field=key, path=str(where), item=item)
        raise BankError("bank.missing_field", field=key, path=str(where))
    return data[key]


#: The keys each part of exercise.toml may have: anything else is a typo, refused with the nearest key.
KEYS = {
    "exercise": {"id", "kind", "title", "prompt", "hints", "template", "solution", "submission", "hidden_seed",
                 "selftest", "params", "defaults", "variant_seed", "questions", "checks", "diagnosis",
                 "backward_may_call_forward"},
    "question": {"id", "prompt", "expected", "points", "where", "variables", "tol", "domain", "positive"},
    "check": {"name", "points", "kind", "targets", "gradient", "hidden", "function", "cases"},
    "selftest": {"file", "replace", "score"},
}


def _known_keys(data, part: str, where: Path, item: str) -> None:
    """Refuse a key that ``part`` does not have (``point = 3`` would otherwise be silently ignored)."""
    import difflib

    if not isinstance(data, dict):
        raise BankError("bank.not_table", path=str(where), item=item)
    for key in data:
        if key not in KEYS[part]:
            near = difflib.get_close_matches(key, sorted(KEYS[part]), n=1)
            raise BankError("bank.unknown_key", path=str(where), item=item, name=key,
                            hint=near[0] if near else ", ".join(sorted(KEYS[part])))


def _number(data: dict, key: str, default, where: Path, item: str) -> float:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise BankError("bank.not_number", path=str(where), item=item, name=key, value=repr(value))
    return float(value)


def module_name(exercise_id: str) -> str:
    """The file name a code exercise's submission gets: an importable module (``sigmoid-layer`` -> ``sigmoid_layer``)."""
    return re.sub(r"\W", "_", exercise_id).lstrip("0123456789") or "submission"


def _diagnosis(data: dict, path: Path) -> str:
    from ..feedback import LEVELS

    level = data.get("diagnosis", "mistake")
    if level not in LEVELS:
        raise BankError("bank.bad_diagnosis", path=str(path), value=repr(level), levels=", ".join(LEVELS))
    return level


def load_exercise(folder: Path) -> Exercise:
    """Read and validate ``folder/exercise.toml``."""
    path = Path(folder) / "exercise.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BankError("bank.no_toml", path=str(folder)) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise BankError("bank.bad_toml", path=str(path), error=str(exc)) from None
    _known_keys(data, "exercise", path, "exercise.toml")
    kind = _require(data, "kind", path)
    if kind not in KINDS:
        raise BankError("bank.bad_kind", path=str(path), kind=kind)
    ex = Exercise(
        id=str(_require(data, "id", path)), kind=kind, title=_require(data, "title", path),
        prompt=_require(data, "prompt", path), root=Path(folder), hints=data.get("hints", {}),
        template=data.get("template", "answers.toml" if kind == "answers" else "template.py"),
        solution=data.get("solution", "solution.toml" if kind == "answers" else "solution.py"),
        submission=data.get("submission", "answers.toml" if kind == "answers" else f"{module_name(str(data['id']))}.py"),
        hidden_seed=int(data.get("hidden_seed", 7919)), selftests=list(data.get("selftest", [])),
        params=dict(data.get("params", {})), defaults=dict(data.get("defaults", {})),
        variant_seed=int(data.get("variant_seed", 0)), diagnosis=_diagnosis(data, path),
        backward_may_call_forward=bool(data.get("backward_may_call_forward", True)),
    )
    for name, spec in ex.params.items():
        if param_options(spec) is None or name not in ex.defaults or not name.isidentifier():
            raise BankError("bank.bad_param", path=str(path), name=name, spec=str(spec))
    for n, test in enumerate(ex.selftests, 1):
        _known_keys(test, "selftest", path, f"self-test {n}")
        _require(test, "score", path, f"self-test {n}")
        if ("file" in test) == ("replace" in test):
            raise BankError("bank.selftest_form", path=str(path), item=f"self-test {n}")
    for n, q in enumerate(data.get("questions", []), 1):
        item = f"question {q.get('id', n) if isinstance(q, dict) else n}"
        _known_keys(q, "question", path, item)
        variables = q.get("variables", [])
        shapes = _shapes(variables, q.get("id"), path) if isinstance(variables, dict) else {}
        ex.questions.append(Question(
            str(_require(q, "id", path, item)), q.get("prompt", {}), str(_require(q, "expected", path, item)),
            _number(q, "points", 1, path, item), dict(q.get("where", {})), list(variables), _number(q, "tol", 1e-6, path, item),
            _domain(q.get("domain", {}), q.get("id"), path), [str(v) for v in q.get("positive", [])], shapes=shapes,
        ))
    for n, c in enumerate(data.get("checks", []), 1):
        item = f"check {c.get('name', n) if isinstance(c, dict) else n}"
        _known_keys(c, "check", path, item)
        spec = CheckSpec(
            str(_require(c, "name", path, item)), _number(c, "points", 1, path, item), c.get("kind", "gradient"),
            list(c.get("targets", [])), c.get("gradient", "*"), bool(c.get("hidden", False)),
            c.get("function", ""), list(c.get("cases", [])),
        )
        if spec.kind not in CHECK_KINDS:
            raise BankError("bank.bad_check", path=str(path), name=spec.name, kind=spec.kind)
        ex.checks.append(spec)
    items = ex.questions if kind == "answers" else ex.checks
    if not items:
        raise BankError("bank.empty", path=str(path))
    names = [i.id if kind == "answers" else i.name for i in items]
    if len(set(names)) != len(names):
        raise BankError("bank.duplicate", path=str(path))
    return ex


def bank_roots(extra: str | None = None) -> list[Path]:
    """Where exercises are looked for: the given folder, $GRADCHECK_EXERCISES, then the bundled bank."""
    roots = [Path(p) for p in (extra, os.environ.get(ENV)) if p]
    roots.append(bundled_root())
    return roots


def bundled_root() -> Path:
    """The bundled bank: the installed package data, or the checkout's exercises/ folder."""
    from importlib.resources import files

    try:
        return Path(str(files("gradcheck.bank")))
    except ModuleNotFoundError:
        return Path(__file__).resolve().parents[2] / "exercises"


def list_exercises(extra: str | None = None) -> list[Exercise]:
    """Every exercise in every root, the first root winning for a repeated id."""
    seen: dict[str, Exercise] = {}
    for root in bank_roots(extra):
        if not root.is_dir():
            continue
        for folder in sorted(p for p in root.iterdir() if (p / "exercise.toml").exists()):
            ex = load_exercise(folder)
            seen.setdefault(ex.id, ex)
    return list(seen.values())


def find_exercise(exercise_id: str, extra: str | None = None) -> Exercise:
    """The exercise with this id, or a BankError listing the ids there are."""
    if Path(exercise_id, "exercise.toml").exists():
        return load_exercise(Path(exercise_id))
    exercises = list_exercises(extra)
    for ex in exercises:
        if ex.id == exercise_id:
            return ex
    raise BankError("bank.unknown", id=exercise_id, known=", ".join(e.id for e in exercises))
