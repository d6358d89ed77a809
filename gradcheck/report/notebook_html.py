"""A check shown in a notebook: a table of gradients with pass/fail, expected and got at the worst element and
the likely mistake, and for a failing matrix gradient a small heatmap (inline SVG) of where it is wrong."""

from __future__ import annotations

from html import escape

from .messages import message, render_note
from .render import node_verdict

STYLE = ("<style>.gc td,.gc th{padding:2px 8px;text-align:left;vertical-align:top}.gc .p{color:#1d7a32}"
         ".gc .f{color:#b3261e;font-weight:bold}.gc small{color:#555}</style>")


def heatmap(grid: list[list[float]], lang: str = "en", gradient: str = "") -> str:
    """Cells coloured by error/tolerance, white within tolerance and deepest red where it is exceeded the most,
    with row and column indices and a legend; large enough to read (cells of 8 to 40 px, about 240 px across)."""
    rows, cols = len(grid), len(grid[0]) if grid else 0
    if not rows or not cols:
        return ""
    cell = max(8, min(40, 240 // max(rows, cols)))
    top = max((v for row in grid for v in row), default=1.0) or 1.0
    left, head, legend = 34, 30, 36
    width, height = max(left + cols * cell + 8, left + 200), head + rows * cell + legend  # room for the legend
    step = max(1, (max(rows, cols) + 7) // 8)  # about eight labels along each axis
    parts = [f'<svg class="heatmap" width="{width}" height="{height}" font-size="10" font-family="sans-serif">',
             f'<text x="{left}" y="10">{escape(message("notebook.heatmap_title", lang, gradient=gradient))}</text>']
    for j in range(0, cols, step):
        parts.append(f'<text x="{left + j * cell + cell / 2}" y="{head - 4}" text-anchor="middle">{j}</text>')
    for i in range(0, rows, step):
        parts.append(f'<text x="{left - 4}" y="{head + i * cell + cell / 2 + 3}" text-anchor="end">{i}</text>')
    parts.append(f'<rect x="{left}" y="{head}" width="{cols * cell}" height="{rows * cell}" fill="white" stroke="#999"/>')
    for i, row in enumerate(grid):
        for j, v in enumerate(row):
            if v > 0:
                shade = 235 - int(200 * min(1.0, v / top))
                parts.append(f'<rect x="{left + j * cell}" y="{head + i * cell}" width="{cell}" height="{cell}" '
                             f'fill="rgb(235,{shade},{shade})"><title>[{i}, {j}]: {v:g}</title></rect>')
    y = head + rows * cell + 10
    parts.append(f'<defs><linearGradient id="gc-err"><stop offset="0" stop-color="white"/>'
                 f'<stop offset="1" stop-color="rgb(235,35,35)"/></linearGradient></defs>'
                 f'<rect x="{left}" y="{y}" width="80" height="8" fill="url(#gc-err)" stroke="#999"/>'
                 f'<text x="{left}" y="{y + 20}">{escape(message("notebook.heatmap_ok", lang))}</text>'
                 f'<text x="{left + 80}" y="{y + 20}" text-anchor="end">{top:.3g}×</text>'
                 f'<text x="{left + 88}" y="{y + 8}">{escape(message("notebook.heatmap_legend", lang))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def graph_svg(graph: list[dict], lang: str = "en") -> str:
    """A network's nodes left to right (the forward), each box coloured by its own check: green right, red wrong,
    grey not checked alone; a layer function's callees are listed in its box's tooltip.  The gradient flows
    back along the arrows from right to left."""
    top = [i for i, n in enumerate(graph) if n["depth"] == 0]
    boxes, x = [], 4
    for i in top:
        node = graph[i]
        inner = []
        for later in graph[i + 1:]:
            if later["depth"] == 0:
                break
            inner.append(later)
        wrong = node["passed"] is False or any(n["passed"] is False for n in inner)
        fill = "#f8d7d4" if wrong else "#e6f4ea" if node["passed"] else "#eeeeee"
        stroke = "#b3261e" if wrong else "#1d7a32" if node["passed"] else "#888888"
        width = 14 + 7 * len(node["label"])
        tip = "; ".join([node["where"]] + [f"{n['label']}: {node_verdict(n, lang)}" for n in inner])
        if node["skipped"]:
            tip += "; " + message("graph.skipped", lang)
        if boxes:
            boxes.append(f'<line x1="{x - 18}" y1="20" x2="{x - 2}" y2="20" stroke="#555" marker-end="url(#gcarrow)"/>')
        dash = ' stroke-dasharray="4 3"' if node["skipped"] else ""
        boxes.append(f'<g><title>{escape(tip)}</title><rect x="{x}" y="6" width="{width}" height="28" rx="4" fill="{fill}" '
                     f'stroke="{stroke}"{dash}/><text x="{x + 7}" y="25" font-size="12" font-family="monospace">'
                     f'{escape(node["label"])}</text></g>')
        x += width + 22
    marker = ('<defs><marker id="gcarrow" markerWidth="8" markerHeight="8" refX="6" refY="3" orient="auto">'
              '<path d="M0,0 L6,3 L0,6 z" fill="#555"/></marker></defs>')
    return f'<svg class="graph" width="{x}" height="40">{marker}{"".join(boxes)}</svg>'


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
            picture = heatmap(c.error_map, lang, c.gradient) if c.error_map and not ok else ""
            rows.append(f"<tr><td>{title}</td><td>{escape(c.gradient)}</td>{mark}<td>{worst}</td>"
                        f"<td>{likely}{'<br>' if likely and picture else ''}{picture}</td></tr>")
        if result.graph:
            found = "".join(f"<br>{escape(render_note(n, lang))}" for n in result.notes
                            if n.key.startswith("network.") and n.key != "network.rtol")
            rows.append(f'<tr><td>{title}</td><td colspan="4">{escape(message("graph.title", lang))}<br>'
                        f'{graph_svg(result.graph, lang)}{found}</td></tr>')
    head = "".join(f"<th>{escape(message(k, lang))}</th>" for k in
                   ("notebook.target", "notebook.gradient", "notebook.verdict", "notebook.where", "notebook.likely"))
    checks = sum(len(r.checks) for r in report.results)
    key = "notebook.summary_pass" if report.passed else "notebook.summary_fail" if checks else "notebook.summary_none"
    summary = escape(message(key, lang, checks=checks))
    problem = "".join(f"<p>{escape(render_note(n, lang))}</p>" for n in
                      ([report.problem] if report.problem is not None else []) + [s.reason for s in report.skipped])
    return f'{STYLE}<div class="gc"><p>{summary}</p>{problem}<table><tr>{head}</tr>{"".join(rows)}</table></div>'
