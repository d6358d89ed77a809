"""A check shown in a notebook: a table of gradients with pass/fail, expected and got at the worst element and
the likely mistake, and for a failing matrix gradient a small heatmap (inline SVG) of where it is wrong."""

from __future__ import annotations

from html import escape

from .messages import message, render_note

STYLE = ("<style>.gc td,.gc th{padding:2px 8px;text-align:left;vertical-align:top}.gc .p{color:#1d7a32}"
         ".gc .f{color:#b3261e;font-weight:bold}.gc small{color:#555}</style>")


def heatmap(grid: list[list[float]], cell: int = 8) -> str:
    """Cells coloured by error/tolerance: white where within tolerance, red where it is exceeded the most."""
    rows, cols = len(grid), len(grid[0]) if grid else 0
    top = max((v for row in grid for v in row), default=1.0) or 1.0
    rects = []
    for i, row in enumerate(grid):
        for j, v in enumerate(row):
            if v > 0:
                shade = 235 - int(200 * min(1.0, v / top))
                rects.append(f'<rect x="{j * cell}" y="{i * cell}" width="{cell}" height="{cell}" '
                             f'fill="rgb(235,{shade},{shade})"><title>[{i}, {j}]: {v:g}</title></rect>')
    return (f'<svg class="heatmap" width="{cols * cell}" height="{rows * cell}" style="border:1px solid #ccc">'
            + "".join(rects) + "</svg>")


def render_html(report, lang: str = "en") -> str:
    """The table for one verify report (``verify.FileReport``)."""
    rows = []
    for result in report.results:
        title = escape(result.title(lang))
        if result.problem is not None:
            rows.append(f'<tr><td>{title}</td><td></td><td class="f">{escape(message("label.fail", lang))}</td>'
                        f'<td colspan="2">{escape(render_note(result.problem, lang))}</td></tr>')
        for c in result.checks:
            ok = c.passed
            mark = f'<td class="{"p" if ok else "f"}">{escape(message("label.pass" if ok else "label.fail", lang))}</td>'
            worst = ""
            if c.worst is not None and not ok:
                w = c.worst
                worst = escape(message("notebook.worst", lang, where=w.where, expected=w.expected, got=w.got))
            elif c.problem is not None:
                worst = escape(render_note(c.problem, lang))
            likely = "<br>".join(escape(render_note(n, lang)) for n in c.diagnoses)
            picture = heatmap(c.error_map) if c.error_map and not ok else ""
            rows.append(f"<tr><td>{title}</td><td>{escape(c.gradient)}</td>{mark}<td>{worst}</td>"
                        f"<td>{likely}{'<br>' if likely and picture else ''}{picture}</td></tr>")
    head = "".join(f"<th>{escape(message(k, lang))}</th>" for k in
                   ("notebook.target", "notebook.gradient", "notebook.verdict", "notebook.where", "notebook.likely"))
    summary = escape(message("notebook.summary_pass" if report.passed else "notebook.summary_fail", lang,
                             checks=sum(len(r.checks) for r in report.results)))
    problem = "".join(f"<p>{escape(render_note(n, lang))}</p>" for n in
                      ([report.problem] if report.problem is not None else []) + [s.reason for s in report.skipped])
    return f'{STYLE}<div class="gc"><p>{summary}</p>{problem}<table><tr>{head}</tr>{"".join(rows)}</table></div>'
