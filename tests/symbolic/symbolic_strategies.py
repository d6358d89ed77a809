"""Random SymPy expressions over x, y, z built from the functions the parser knows."""

import sympy as sp
from hypothesis import strategies as st

x, y, z = (sp.Symbol(n, real=True) for n in "xyz")
SYMBOLS = (x, y, z)

leaves = st.one_of(st.sampled_from(SYMBOLS), st.integers(-5, 5).map(sp.Integer))


def _combine(children):
    return st.one_of(
        st.tuples(children, children).map(lambda p: p[0] + p[1]),
        st.tuples(children, children).map(lambda p: p[0] * p[1]),
        st.tuples(children, children).map(lambda p: p[0] - p[1]),
        st.tuples(children, st.integers(2, 3)).map(lambda p: p[0] ** p[1]),
        children.map(sp.sin),
        children.map(sp.cos),
        children.map(lambda c: sp.exp(c / 4)),
        children.map(sp.tanh),
    )


expressions = st.recursive(leaves, _combine, max_leaves=6)
polynomials = st.recursive(
    leaves,
    lambda ch: st.one_of(
        st.tuples(ch, ch).map(lambda p: p[0] + p[1]),
        st.tuples(ch, ch).map(lambda p: p[0] * p[1]),
        st.tuples(ch, st.integers(2, 3)).map(lambda p: p[0] ** p[1]),
    ),
    max_leaves=6,
)
