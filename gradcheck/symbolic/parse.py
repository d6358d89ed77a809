"""Safe parsing of the mathematics learners type, straight into SymPy objects.

Nothing here calls ``eval``, ``sympify`` or ``parse_expr``: a tokenizer accepts
only numbers, names, operators and parentheses, and a recursive-descent parser
builds SymPy expressions from a fixed grammar, so there is no code to run.
Homework notation is accepted: implicit products (``12xy``, ``4y(4z-1)``),
``^`` and ``**``, Unicode (``y²``, ``2·x``), ``e^x``, and a LaTeX subset.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

import sympy as sp

from ..report.model import Note
from ..errors import GradcheckError

MAX_LENGTH = 1000
MAX_DEPTH = 60
MAX_EXPONENT = 1000
MAX_DIGITS = 4000  # below Python's 4,300-digit limit on printing an integer


class ParseError(GradcheckError, ValueError):
    """The text is not a mathematical expression we accept; ``note`` says why, in any language."""

    def __init__(self, key: str, **params):
        self.note = Note(key, params)
        super().__init__(self.note.render("en"))


def _sigmoid(x):
    return 1 / (1 + sp.exp(-x))


FUNCTIONS = {
    "sin": sp.sin, "cos": sp.cos, "tan": sp.tan, "exp": sp.exp, "log": sp.log, "ln": sp.log,
    "sqrt": sp.sqrt, "tanh": sp.tanh, "sinh": sp.sinh, "cosh": sp.cosh, "abs": sp.Abs, "Abs": sp.Abs,
    "sigmoid": _sigmoid, "sigma": _sigmoid, "relu": lambda x: sp.Max(0, x), "max": sp.Max, "min": sp.Min,
    "sign": sp.sign, "arcsin": sp.asin, "arccos": sp.acos, "arctan": sp.atan, "asin": sp.asin,
    "acos": sp.acos, "atan": sp.atan, "softplus": lambda x: sp.log(1 + sp.exp(x)),
    "Heaviside": sp.Heaviside, "Max": sp.Max, "Min": sp.Min,
    "sech": sp.sech, "csch": sp.csch, "coth": sp.coth, "sec": sp.sec, "csc": sp.csc, "cot": sp.cot, "sgn": sp.sign,
    "log10": lambda x: sp.log(x, 10), "log2": lambda x: sp.log(x, 2),
    "clip": lambda x, low, high: sp.Min(sp.Max(x, low), high),
}
CONSTANTS = {"pi": sp.pi, "e": sp.E, "E": sp.E}
#: Multi-letter names that are always one symbol (Greek letters as learners spell them).
GREEK = {"lambda", "alpha", "beta", "gamma", "theta", "mu", "eta", "epsilon", "rho", "delta", "tau", "omega", "hat"}
#: Function names that are also Greek letters: followed by digits (sigma2) they are an indexed symbol.
INDEXABLE = GREEK | {"sigma"}
_LATEX_WORDS = {
    r"\cdot": "*", r"\times": "*", r"\left": "", r"\right": "", r"\,": "", r"\;": "", r"\!": "", r"\quad": " ",
    r"\ln": "ln ", r"\log": "log", r"\exp": "exp", r"\sin": "sin", r"\cos": "cos", r"\tan": "tan",
    r"\tanh": "tanh", r"\sigma": "sigma", r"\pi": "pi", r"\lambda": "lambda", r"\alpha": "alpha",
    r"\beta": "beta", r"\gamma": "gamma", r"\theta": "theta", r"\mu": "mu", r"\eta": "eta",
    r"\epsilon": "epsilon", r"\varepsilon": "epsilon", r"\delta": "delta", r"\tau": "tau", r"\omega": "omega",
    r"\rho": "rho", r"\sinh": "sinh", r"\cosh": "cosh", r"\sec": "sec", r"\csc": "csc", r"\cot": "cot",
    r"\max": "max", r"\min": "min", r"\arctan": "arctan", r"\arcsin": "arcsin", r"\arccos": "arccos",
}
#: LaTeX commands whose braced argument is a name written upright: \operatorname{sech}, \mathrm{sign}.
_LATEX_NAMES = (r"\operatorname", r"\mathrm", r"\text", r"\mathit", r"\textrm")
_UNICODE = {
    "·": "*", "⋅": "*", "×": "*", "∗": "*", "−": "-", "–": "-", "÷": "/", "π": "pi", "σ": "sigma",
    "λ": "lambda", "α": "alpha", "β": "beta", "γ": "gamma", "θ": "theta", "μ": "mu", "η": "eta", "√": "sqrt ",
    "⊙": "*",
}
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
_SUPERSCRIPT_RUN = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+")
_TOKEN = re.compile(r"\s*(?:(?P<num>\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+)|(?P<name>[A-Za-z]+(?:\d+[A-Za-z]+)*\d*(?:_[A-Za-z0-9]+)*)|(?P<op>\*\*|[-+*/^(),]))")
_ABS = re.compile(r"\|([^|]+)\|")
_LOG_BASE = re.compile(r"log_\(?(\d+)\)?")
_DECIMAL_COMMA = re.compile(r"(?<=\d),(?=\d)")
_DERIVATIVE = re.compile(r"(^|[^A-Za-z])d\s*/\s*d[A-Za-z]")


def _braced(text: str, start: int) -> tuple[str, int]:
    """The contents of the {...} group opening at ``start`` and the index after it."""
    if start >= len(text) or text[start] != "{":
        raise ParseError("parse.latex", detail="expected '{' at position %d" % (start + 1))
    depth = 0
    for i in range(start, len(text)):
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        if depth == 0:
            return text[start + 1 : i], i + 1
    raise ParseError("parse.unbalanced", text=text[start:][:30])


def _latex_argument(text: str, start: int) -> tuple[str, int]:
    """A command's argument: a {...} group, or without braces the one character or command after it
    (``\\sqrt x``, ``\\frac12``)."""
    while start < len(text) and text[start] == " ":
        start += 1
    if start < len(text) and text[start] == "{":
        return _braced(text, start)
    found = re.match(r"\\[A-Za-z]+|.", text[start:])
    if found is None:
        raise ParseError("parse.latex", detail="a command without its argument at the end")
    return found.group(0), start + len(found.group(0))


def latex_to_plain(text: str) -> str:
    """Translate the LaTeX subset learners use (\\frac, \\sqrt, \\cdot, ^{...}, \\left( ... \\right)) to plain notation."""
    text = text.strip()
    if text.startswith("$") and text.endswith("$"):
        text = text.strip("$")
    out, i = [], 0
    while i < len(text):
        if text.startswith(r"\frac", i) or text.startswith(r"\dfrac", i):
            num, i = _latex_argument(text, i + (6 if text.startswith(r"\dfrac", i) else 5))
            den, i = _latex_argument(text, i)
            out.append(f"(({latex_to_plain(num)})/({latex_to_plain(den)}))")
        elif text.startswith(r"\sqrt", i):
            inner, i = _latex_argument(text, i + 5)
            out.append(f"sqrt({latex_to_plain(inner)})")
        elif text.startswith(r"\hat", i):
            inner, i = _latex_argument(text, i + 4)
            out.append(f" {latex_to_plain(inner).strip()}hat ")
        elif any(text.startswith(c + "{", i) for c in _LATEX_NAMES):
            name, i = _braced(text, text.index("{", i))
            out.append(f" {name.strip()} ")
        elif text[i] == "\\":
            found = re.match(r"\\([A-Za-z]+|.)", text[i:])
            if found is None:
                raise ParseError("parse.latex", detail="a backslash at the end")
            word = found.group(0)
            if word not in _LATEX_WORDS:
                raise ParseError("parse.latex", detail=f"unknown command {word}")
            out.append(_LATEX_WORDS[word])
            i += len(word)
        elif text[i] in "{}":
            out.append("(" if text[i] == "{" else ")")
            i += 1
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _depth_zero_commas(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if ch == "," and depth == 0:
            return True
    return False


def _log_base(m: re.Match) -> str:
    if m.group(1) not in ("2", "10"):
        raise ParseError("parse.log_base", base=m.group(1))
    return "log" + m.group(1)


#: What learners write around an answer: a label (``답:``, ``Answer:``), the left side of an equation
#: (``dy/dx =``, ``f'(x) =``), a closing word (``입니다``) or full stop.
_LABEL = re.compile(r"^\s*(?:답|정답|풀이|answer|ans)\s*[:：]\s*", re.I)
_LEFT_SIDE = re.compile(
    r"^\s*(?:d\s*/\s*d\s*[A-Za-z]\w*\s*\([^=]*\)|"
    r"d\s*\w*\s*/\s*d\s*\w+|\w+'+\s*(?:\(\s*\w*\s*\))?|\w+\s*\(\s*\w+\s*\)|[A-Za-z_]\w*)\s*=(?!=)\s*")
_CLOSING = re.compile(r"\s*(?:입니다|이다|이에요|예요)?\s*[.。;]?\s*$")
_DISPLAY_MATH = re.compile(r"^\\[(\[](.*)\\[)\]]$", re.S)  # \( ... \) and \[ ... \], as $ ... $
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%")
_CALLED = re.compile(r"\b([A-Za-z]{3,})(?=\s*\()")  # ReLU(x), Sigmoid(x): a known function in another case
_NUMPY_PREFIX = re.compile(r"\b(?:np|numpy|math)\.(?=[a-z])")
_VULGAR = {"½": "(1/2)", "⅓": "(1/3)", "⅔": "(2/3)", "¼": "(1/4)", "¾": "(3/4)", "⅕": "(1/5)", "⅙": "(1/6)", "⅛": "(1/8)"}
#: After NFKC (which turns fullwidth ３ｘ, subscript p₁, math italic 𝑥 and ㏑ into ASCII): the dots and dashes left.
_AFTER_NFKC = {"ㆍ": "*", "ᆞ": "*", "∙": "*", "•": "*", "—": "-", "―": "-", "‐": "-", "⁄": "/", "∘": "*", "ŷ": "yhat", "\u0302": "hat"}


def normalise_text(text: str) -> str:
    """An answer as the parsers read it: the label, equation's left side and closing word a learner writes
    around it removed; superscripts as powers, vulgar fractions in parentheses, then Unicode compatibility
    forms (fullwidth, subscripts, math letters) as ASCII.  Shared by the scalar and the matrix parser."""
    text = _DISPLAY_MATH.sub(r"\1", text.strip())
    text = text.replace("∂", "d")  # ∂f/∂x = ... is a left side like df/dx
    text = _LABEL.sub("", text)
    text = _LEFT_SIDE.sub("", text, count=1)
    text = _CLOSING.sub("", text) or text
    text = _SUPERSCRIPT_RUN.sub(lambda m: "^(" + m.group(0).translate(_SUPERSCRIPTS) + ")", text)
    for k, v in {**_VULGAR, "ㆍ": "*"}.items():
        text = text.replace(k, v)
    text = unicodedata.normalize("NFKC", text.replace("ᵀ", "\x00")).replace("\x00", "ᵀ")  # NFKC makes ᵀ a T
    text = _NUMPY_PREFIX.sub("", text)
    for k, v in _AFTER_NFKC.items():
        text = text.replace(k, v)
    text = _PERCENT.sub(r"(\1/100)", text)
    return _CALLED.sub(lambda m: m.group(1).lower() if m.group(1).lower() in FUNCTIONS and m.group(1) not in FUNCTIONS
                       else m.group(1), text)


def _normalise(text: str) -> str:
    text = normalise_text(text)
    if _DERIVATIVE.search(text):
        raise ParseError("parse.derivative_notation")
    for k, v in _UNICODE.items():
        text = text.replace(k, v)
    if "\\" in text or "$" in text or "{" in text:
        text = latex_to_plain(text)
    text = _LOG_BASE.sub(_log_base, text)
    while _ABS.search(text):
        text = _ABS.sub(r"abs(\1)", text)
    if _depth_zero_commas(text) and _DECIMAL_COMMA.search(text):  # 0,5 cannot be a list here: a decimal comma
        text = _DECIMAL_COMMA.sub(".", text)
    return text


@dataclass(frozen=True)
class _Tok:
    kind: str  # num, sym, func, op
    text: str
    pos: int
    implicit: bool = False  # a multiplication the learner did not type (2x, x y)


def _split_letters(word: str, names: set[str], pos: int) -> list[_Tok]:
    """Split a run of letters into known functions, declared names and single-letter variables."""
    toks, i = [], 0
    known = sorted(set(FUNCTIONS) | names | GREEK | set(CONSTANTS) - {"e", "E"}, key=len, reverse=True)
    while i < len(word):
        hatted = re.match(r"[A-Za-z]hat\d*", word[i:])
        if hatted:  # yhat, xhat1: a hatted variable, as y_hat and ŷ are read
            toks.append(_Tok("sym", hatted.group(0), pos + i))
            i += len(hatted.group(0))
            continue
        for k in known:
            if len(k) > 1 and word.startswith(k, i):
                digits = re.match(r"\d*", word[i + len(k):]).group(0)
                if k in FUNCTIONS and k not in names and not (digits and k in INDEXABLE):
                    toks.append(_Tok("func", k, pos + i))
                    if digits:  # sin2x, sqrt2: the function of what follows it in the word
                        rest = word[i + len(k):]
                        toks.append(_Tok("op", "(", pos + i + len(k)))
                        toks.append(_Tok("num", digits, pos + i + len(k)))
                        toks.extend(_split_letters(rest[len(digits):], names, pos + i + len(k) + len(digits)) if rest[len(digits):] else [])
                        toks.append(_Tok("op", ")", pos + len(word)))
                        return toks
                    i += len(k)
                else:  # beta1, theta0: one indexed symbol
                    toks.append(_Tok("sym", k + digits, pos + i))
                    i += len(k) + len(digits)
                break
        else:
            m = re.match(r"[A-Za-z]\d*", word[i:])
            toks.append(_Tok("sym", m.group(0), pos + i))
            i += len(m.group(0))
    return toks


def tokenize(text: str, names: set[str] = frozenset()) -> list[_Tok]:
    """Tokens of ``text``, with the implicit multiplications made explicit."""
    toks, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            bad = text[pos:].lstrip()[:1]
            raise ParseError("parse.character", char=bad, position=pos + 1 + len(text[pos:]) - len(text[pos:].lstrip()))
        if m.group("num"):
            toks.append(_Tok("num", m.group("num"), m.start("num")))
        elif m.group("name"):
            word = m.group("name")
            if "_" in word:  # w_1, y_hat: one symbol, written as w1, yhat
                word = word.replace("_", "")
                toks.append(_Tok("sym", word, m.start("name")))
            elif word in names:
                toks.append(_Tok("sym", word, m.start("name")))
            else:
                split = _split_letters(word, names, m.start("name"))
                called = text[m.end():].lstrip().startswith("(")
                if called and len(split) > 1 and split[-1].kind == "sym" and not all(t.text in names for t in split):
                    raise ParseError("parse.unknown_function", name=word, known=", ".join(sorted(k for k in FUNCTIONS if k.islower())),
                                     product="*".join(word) + "*(...)")
                toks.extend(split)
        else:
            op = "^" if m.group("op") == "**" else m.group("op")
            toks.append(_Tok("op", op, m.start("op")))
        pos = m.end()
    out: list[_Tok] = []
    for tok in toks:
        if out:
            prev = out[-1]
            left = prev.kind in ("num", "sym") or prev.text == ")"
            right = tok.kind in ("num", "sym", "func") or tok.text == "("
            if left and right:
                if prev.kind == "num" and tok.kind == "num":
                    raise ParseError("parse.two_numbers", position=tok.pos + 1)
                out.append(_Tok("op", "*", tok.pos, implicit=True))
        out.append(tok)
    return out


class _Parser:
    def __init__(self, toks: list[_Tok], symbols: dict[str, sp.Symbol], text: str):
        self.toks, self.i, self.symbols, self.text, self.depth = toks, 0, symbols, text, 0

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self, text: str | None = None) -> _Tok:
        tok = self.peek()
        if tok is None:
            raise ParseError("parse.incomplete")
        if text is not None and tok.text != text:
            raise ParseError("parse.expected", want=text, got=tok.text, position=tok.pos + 1)
        self.i += 1
        return tok

    def arguments(self, func: _Tok) -> list:
        """f(a, b), or f's argument written without parentheses (sin x, ln 2x): the number and letters that
        follow, multiplied, up to the next operator or function."""
        nxt = self.peek()
        if nxt is None:
            raise ParseError("parse.incomplete")
        if nxt.text == "(":
            self.take("(")
            args = [self.expr()]
            while self.peek() is not None and self.peek().text == ",":
                self.take()
                args.append(self.expr())
            self.take(")")
            return args
        if nxt.kind not in ("num", "sym"):
            raise ParseError("parse.expected", want="(", got=nxt.text, position=nxt.pos + 1)
        value = self.power()
        while (tok := self.peek()) is not None and tok.implicit and self.i + 1 < len(self.toks) and self.toks[self.i + 1].kind in ("num", "sym"):
            self.take()
            value = value * self.power()
        return [value]

    def enter(self):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ParseError("parse.too_deep")

    def expr(self):
        self.enter()
        value = self.term()
        while (tok := self.peek()) is not None and tok.text in "+-" and tok.kind == "op":
            self.take()
            rhs = self.term()
            value = value + rhs if tok.text == "+" else value - rhs
        self.depth -= 1
        return value

    def term(self):
        value = self.unary()
        while (tok := self.peek()) is not None and tok.kind == "op" and tok.text in ("*", "/"):
            self.take()
            rhs = self.unary()
            value = value * rhs if tok.text == "*" else value / rhs
        return value

    def unary(self):
        tok = self.peek()
        if tok is not None and tok.kind == "op" and tok.text in "+-":
            self.take()
            self.enter()
            inner = self.unary()
            self.depth -= 1
            return -inner if tok.text == "-" else inner
        return self.power()

    def power(self):
        base = self.atom()
        tok = self.peek()
        if tok is not None and tok.text == "^":
            self.take()
            self.enter()
            exponent = self.unary()
            self.depth -= 1
            return _checked_power(base, exponent)
        return base

    def atom(self):
        tok = self.take()
        if tok.kind == "num":
            return _number(tok.text)
        if tok.kind == "sym":
            if tok.text in self.symbols:
                return self.symbols[tok.text]
            if tok.text in CONSTANTS:
                return CONSTANTS[tok.text]
            raise ParseError("parse.unknown_name", name=tok.text)
        if tok.kind == "func":
            power = None
            if self.peek() is not None and self.peek().text == "^":  # tanh^2(x), sin^2 x: the power of the value
                self.take()
                power = self.atom()
                if not power.is_Number or power < 0:
                    raise ParseError("parse.function_power", name=tok.text)
                if self.peek() is not None and self.peek().implicit:
                    self.take()
            args = self.arguments(tok)
            try:
                value = FUNCTIONS[tok.text](*args)
            except TypeError:
                raise ParseError("parse.arguments", name=tok.text, count=len(args)) from None
            except (ValueError, ArithmeticError):  # SymPy refuses max(0, sqrt(-1)): no order among non-reals
                raise ParseError("parse.not_real", name=tok.text) from None
            return value if power is None else _checked_power(value, power)
        if tok.text == "(":
            inner = self.expr()
            self.take(")")
            return inner
        raise ParseError("parse.unexpected", token=tok.text, position=tok.pos + 1)


def _number(text: str):
    """An exact rational (``1e400`` is 10^400, ``61.0000000000000001`` not 61), refused past MAX_DIGITS digits:
    ``1e99999999`` would be built digit by digit."""
    if len(text) > 50:
        raise ParseError("parse.too_large")
    mantissa, _, exponent = text.lower().partition("e")
    if exponent and abs(int(exponent.lstrip("+") or 0)) + len(mantissa) > MAX_DIGITS:
        raise ParseError("parse.too_large")
    return sp.Integer(text) if text.isdigit() else sp.Rational(text)


def bounded(expr: sp.Expr) -> sp.Expr:
    """``expr``, refused where one of its numbers has more than MAX_DIGITS digits (a product of powers that each
    passed, ``10^999 * 10^999 * ...``): such a number is neither an answer nor printable."""
    limit = MAX_DIGITS * 3.33
    for atom in expr.atoms(sp.Rational):
        if atom.p.bit_length() > limit or atom.q.bit_length() > limit:
            raise ParseError("parse.too_large")
    return expr


def _checked_power(base, exponent):
    """base ** exponent, refused when the result could not be computed in reasonable time or memory."""
    if exponent.is_Number:
        if abs(exponent) > MAX_EXPONENT:
            raise ParseError("parse.too_large")
        if base.is_Number and base != 0 and abs(base) != 1:
            digits = float(abs(exponent)) * abs(math.log10(abs(float(base)) if abs(float(base)) > 0 else 1.0))
            if digits > MAX_DIGITS:
                raise ParseError("parse.too_large")
    elif base.is_Number and abs(base) > 1 and exponent.free_symbols == set():
        raise ParseError("parse.too_large")
    return base**exponent


def require_text(text) -> None:
    """Refuse what is not an answer to read at all: not text, longer than MAX_LENGTH, or empty."""
    if not isinstance(text, str):
        raise ParseError("parse.not_text", type=type(text).__name__)
    if len(text) > MAX_LENGTH:
        raise ParseError("parse.too_long", limit=MAX_LENGTH)
    if not text.strip():
        raise ParseError("parse.empty")


def parse(text: str, variables=(), symbols: dict[str, sp.Symbol] | None = None) -> sp.Expr:
    """Parse ``text`` into a SymPy expression, never executing it.

    ``variables`` are names to keep whole (``lambda``, ``b1``); any other run of
    letters that is not a known function splits into single-letter variables
    (``xy`` is x*y).  Raises ParseError with one clear sentence otherwise.
    """
    require_text(text)
    plain = _normalise(text)
    names = set(variables)
    toks = tokenize(plain, names)
    table = dict(symbols or {})
    for tok in toks:
        if tok.kind == "sym" and tok.text not in table and (tok.text not in CONSTANTS or tok.text in names):
            table[tok.text] = sp.Symbol(tok.text, real=True)
    parser = _Parser(toks, table, plain)
    try:
        value = parser.expr()
    except RecursionError:
        raise ParseError("parse.too_deep") from None
    if parser.peek() is not None:
        tok = parser.peek()
        raise ParseError("parse.unexpected", token=tok.text, position=tok.pos + 1)
    if isinstance(value, sp.Basic) and value.has(sp.zoo, sp.nan):
        raise ParseError("parse.undefined")
    return bounded(value) if isinstance(value, sp.Basic) else value
