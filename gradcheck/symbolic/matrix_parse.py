"""Safe parsing of matrix answers (``x^T dout``, ``(P - Y) W^T / N``, ``sum(dout, axis=0)``) into a small tree.

Like the scalar parser, nothing is evaluated while reading: a tokenizer accepts names, numbers, operators,
transposes (``^T``, ``.T``, ``\\top``, ``ᵀ``, ``'``) and parentheses, and a recursive-descent parser builds
tuples.  Juxtaposition, ``@`` and ``·`` are the matrix product; ``*`` and ``⊙`` are elementwise where the
shapes agree (as in NumPy) and the matrix product otherwise.
"""

from __future__ import annotations

import re
from fractions import Fraction

from .parse import MAX_DEPTH, MAX_DIGITS, ParseError, latex_to_plain, normalise_text, require_text

#: Functions of one matrix; ``sum`` and ``mean`` also take an axis (``sum(X, axis=0)`` or ``sum(X, 0)``).
FUNCTIONS = ("sum", "mean", "exp", "log", "transpose")
_REPLACE = [(r"^\top", "ᵀ"), (r"\top", "ᵀ"), (r"\odot", "⊙"), (r"\cdot", "·"), (r"\left", ""), (r"\right", ""), ("^{T}", "ᵀ"),
            ("^{\\top}", "ᵀ"), ("^T", "ᵀ"), (".T", "ᵀ"), ("'", "ᵀ"), ("**", "^")]
_TOKEN = re.compile(r"\s*(?:(?P<num>\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<op>[-+*/@⊙·()ᵀ,=^]))")


def _tokens(text: str) -> list[tuple[str, str, int]]:
    """(kind, text, position in the learner's text) for each token; positions survive the rewrites above."""
    out, pos = [], 0
    while pos < len(text):
        for old, new in _REPLACE:
            if text.startswith(old, pos):
                if new:
                    out.append(("op", new, pos))
                pos += len(old)
                break
        else:
            if text[pos].isspace():
                pos += 1
                continue
            m = _TOKEN.match(text, pos)
            if not m or m.end() == pos:
                raise ParseError("parse.character", char=text[pos], position=pos + 1)
            kind = m.lastgroup
            out.append((kind, m.group(kind), m.start(kind)))
            pos = m.end()
    return out


class _Parser:
    def __init__(self, text: str, names: set[str]):
        self.tokens = _tokens(text)
        self.i = 0
        self.names = names
        self.depth = 0

    def peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self, want: str | None = None) -> tuple[str, str, int]:
        tok = self.peek()
        if tok is None:
            raise ParseError("parse.incomplete")
        if want is not None and tok[1] != want:
            raise ParseError("parse.expected", want=want, got=tok[1], position=tok[2] + 1)
        self.i += 1
        return tok

    def expr(self):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ParseError("parse.too_deep")
        node = self.term()
        while (tok := self.peek()) and tok[1] in "+-":
            self.take()
            node = ("add" if tok[1] == "+" else "sub", node, self.term())
        self.depth -= 1
        return node

    def _starts_operand(self, tok) -> bool:
        return tok is not None and (tok[0] in ("name", "num") or tok[1] == "(")

    def term(self):
        node = self.unary()
        while True:
            tok = self.peek()
            if tok and tok[1] in ("*", "⊙"):
                self.take()
                node = ("mul", node, self.unary())
            elif tok and tok[1] in ("@", "·"):
                self.take()
                node = ("matmul", node, self.unary())
            elif tok and tok[1] == "/":
                self.take()
                node = ("div", node, self.unary())
            elif self._starts_operand(tok):
                node = ("matmul", node, self.unary())
            else:
                return node

    def unary(self):
        tok = self.peek()
        if tok and tok[1] in "+-":
            self.take()
            inner = self.unary()
            return ("neg", inner) if tok[1] == "-" else inner
        return self.postfix()

    def postfix(self):
        node = self.atom()
        while (tok := self.peek()) and tok[1] in ("ᵀ", "^"):
            if tok[1] == "^":
                raise ParseError("parse.matrix_power", position=tok[2] + 1)
            self.take()
            node = ("T", node)
        return node

    def atom(self):
        tok = self.take()
        kind, text, pos = tok
        if kind == "num":
            mantissa, _, exponent = text.lower().partition("e")
            if len(mantissa) > MAX_DIGITS or (exponent and abs(int(exponent)) > MAX_DIGITS):
                raise ParseError("parse.too_large")
            return ("num", Fraction(text))
        if text == "(":
            node = self.expr()
            self.take(")")
            return node
        if kind != "name":
            raise ParseError("parse.unexpected", token=text, position=pos + 1)
        if text in FUNCTIONS and (nxt := self.peek()) and nxt[1] == "(":
            self.take("(")
            arg = self.expr()
            axis = None
            if (sep := self.peek()) and sep[1] == ",":
                self.take()
                if (key := self.peek()) and key[1] == "axis":
                    self.take()
                    self.take("=")
                axis_tok = self.take()
                if axis_tok[0] != "num" or text not in ("sum", "mean") or axis_tok[1] not in ("0", "1"):
                    raise ParseError("parse.matrix_axis", name=text, position=axis_tok[2] + 1)
                axis = int(axis_tok[1])
            self.take(")")
            return ("call", text, arg, axis)
        if text not in self.names:
            raise ParseError("parse.matrix_name", name=text, known=", ".join(sorted(self.names)), position=pos + 1)
        return ("sym", text)


#: The scalar parser's symbols as the matrix parser writes them (``⊤`` a transpose), kept from NFKC.
_MATRIX_UNICODE = {"^{\\top}": "ᵀ", "^\\top": "ᵀ", "\\top": "ᵀ", "^{T}": "ᵀ", "\\odot": "⊙", "\\cdot": "·", "\\left": "",
                   "\\right": "", "⊤": "ᵀ", "⋅": "·", "−": "-", "÷": "/"}
_CALL = re.compile(r"\b(dot|matmul|multiply)\(")
_METHOD = re.compile(r"([A-Za-z_]\w*(?:\.T)?)\.(dot|sum|mean)\(")


def _closing(text: str, start: int) -> int:
    """The index of the parenthesis that closes the one before ``start``, or -1."""
    depth = 1
    for i in range(start, len(text)):
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        if depth == 0:
            return i
    return -1


def _split_top(text: str) -> list[str]:
    parts, depth, last = [], 0, 0
    for i, ch in enumerate(text):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if ch == "," and depth == 0:
            parts.append(text[last:i])
            last = i + 1
    return parts + [text[last:]]


def numpy_text(text: str) -> str:
    """NumPy as learners type it (``np.`` already dropped by ``normalise_text``), in the matrix parser's
    notation: ``dot(x.T, dout)`` and ``x.T.dot(dout)`` as ``x^T @ dout``, ``np.multiply(a, b)`` as ``a * b``, ``dout.sum(axis=0)`` as ``sum(dout, axis=0)``."""
    for _ in range(50):  # one rewrite per round, innermost calls last: bounded by the answer's length anyway
        m = _METHOD.search(text)
        if m is not None:
            end = _closing(text, m.end())
            if end < 0:
                break
            args = text[m.end():end]
            if m.group(2) == "dot":
                text = f"{text[:m.start()]}(({m.group(1)}) @ ({args})){text[end + 1:]}"
            else:
                text = f"{text[:m.start()]}{m.group(2)}({m.group(1)}{', ' + args if args.strip() else ''}){text[end + 1:]}"
            continue
        m = _CALL.search(text)
        if m is None:
            break
        end = _closing(text, m.end())
        parts = _split_top(text[m.end():end]) if end >= 0 else []
        if len(parts) != 2:
            break
        op = "*" if m.group(1) == "multiply" else "@"
        text = f"{text[:m.start()]}(({parts[0]}) {op} ({parts[1]})){text[end + 1:]}"
    return text


def matrix_text(text: str) -> str:
    """A matrix answer through the scalar parser's front end (labels, fullwidth, subscripts), NumPy as it is
    typed, and LaTeX."""
    for k, v in _MATRIX_UNICODE.items():
        text = text.replace(k, v)
    text = numpy_text(normalise_text(text))
    if "\\" in text or "{" in text:
        text = latex_to_plain(text)
    return text


def parse_matrix(text, names) -> tuple:
    """The tree of a matrix answer over ``names`` (the declared matrices and dimension names)."""
    require_text(text)
    parser = _Parser(matrix_text(text), set(names))
    node = parser.expr()
    if (tok := parser.peek()) is not None:
        raise ParseError("parse.unexpected", token=tok[1], position=tok[2] + 1)
    return node


def shown_matrix(node) -> str:
    """A tree written back the way the answer is read: @ for the matrix product, ^T for a transpose."""
    kind = node[0]
    if kind == "sym":
        return node[1]
    if kind == "num":
        return str(node[1])
    if kind == "neg":
        return f"-{_wrapped(node[1])}"
    if kind == "T":
        return f"{_wrapped(node[1])}^T"
    if kind == "call":
        axis = "" if node[3] is None else f", axis={node[3]}"
        return f"{node[1]}({shown_matrix(node[2])}{axis})"
    op = {"add": " + ", "sub": " - ", "mul": " * ", "matmul": " @ ", "div": " / "}[kind]
    if kind == "matmul" and "num" in (node[1][0], node[2][0]):
        op = " * "
    if kind not in ("add", "sub"):
        left = shown_matrix(node[1]) if node[1][0] == kind and kind != "div" else _wrapped(node[1])
        return left + op + _wrapped(node[2])
    right = shown_matrix(node[2])
    return shown_matrix(node[1]) + op + (f"({right})" if kind == "sub" and node[2][0] in ("add", "sub") else right)


def _wrapped(node) -> str:
    text = shown_matrix(node)
    return f"({text})" if node[0] in ("add", "sub", "mul", "matmul", "div", "neg") else text
