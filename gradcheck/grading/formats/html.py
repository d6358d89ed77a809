"""The instructor's class report: one self-contained HTML page (no network, no CDN) with the score
distribution, each test's pass rate, the most common diagnoses across the class, and each student's feedback
behind a link.  Everything is inline (CSS, an SVG histogram, a few lines of script for the roster filter)."""

from __future__ import annotations

import os
from html import escape

from ...report.messages import message
from ...report.render import refused_line
from ..bank import Exercise
from ..class_summary import ClassSummary, band_label, summarize
from ..results import SubmissionResult

STYLE = """
body{font-family:system-ui,'Noto Sans KR',sans-serif;margin:2em auto;max-width:62em;color:#222;padding:0 1em}
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:2em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;width:100%}td,th{padding:.25em .5em;text-align:left;border-bottom:1px solid #eee}
.bar{background:#e8eef7;height:1em;position:relative;min-width:8em}.bar span{display:block;height:100%;background:#3b6fb6}
.pass{color:#1d7a32;white-space:nowrap}.fail{color:#b3261e;white-space:nowrap}pre{white-space:pre-wrap;background:#f7f7f7;padding:.5em;font-size:.9em}
section.student{margin:1em 0;padding:.5em 1em;border-left:4px solid #3b6fb6}.num{text-align:right;white-space:nowrap}
"""
SCRIPT = """
const box=document.getElementById('filter');const rows=[...document.querySelectorAll('#roster tbody tr')];
function apply(){const q=box.value.toLowerCase();let n=0;rows.forEach(r=>{const s=r.dataset.name.includes(q);
r.hidden=!s;n+=s});document.getElementById('shown').textContent=n;}
box.addEventListener('input',apply);apply();document.body.dataset.ready='1';
"""


def _histogram(summary: ClassSummary, lang: str) -> str:
    peak = max((c for _, _, c in summary.bins), default=0) or 1
    width, height, bar, top = 40 * len(summary.bins), 140, 36, 16
    parts = [f'<svg role="img" aria-label="{escape(message("html.distribution", lang))}" width="{width}" '
             f'height="{height + top + 20}" viewBox="0 -{top} {width} {height + top + 20}">']
    for i, (low, high, c) in enumerate(summary.bins):
        h = round(height * c / peak)
        parts.append(f'<rect x="{i * 40 + 2}" y="{height - h}" width="{bar}" height="{h}" fill="#3b6fb6">'
                     f'<title>{low:.3g}-{high:.3g}: {c}</title></rect>')
        label = band_label(low, high, i == len(summary.bins) - 1)
        parts.append(f'<text x="{i * 40 + 20}" y="{height + 14}" font-size="9" text-anchor="middle">{escape(label)}</text>')
        if c:
            parts.append(f'<text x="{i * 40 + 20}" y="{height - h - 3}" font-size="10" text-anchor="middle">{c}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _labels(results: list[SubmissionResult]) -> list[str]:
    """Each submission as the instructor named it: its path below the folder they all share."""
    paths = [os.path.abspath(r.submission) for r in results]
    if len(paths) < 2:
        return [os.path.basename(p) or p for p in paths]
    common = os.path.commonpath(paths)
    return [os.path.relpath(p, common) if p != common else os.path.basename(p) for p in paths]


def _student(index: int, r: SubmissionResult, label: str, lang: str) -> str:
    rows = []
    for t in r.tests:
        ok = t.score >= t.max_score
        mark = message("label.pass" if ok else "label.fail", lang)
        rows.append(f'<tr><td class="{"pass" if ok else "fail"}">{escape(mark)}</td><td>{escape(t.name)}</td>'
                    f'<td class="num">{t.score:g} / {t.max_score:g}</td></tr>')
        if not ok or t.hidden:
            rows.append(f'<tr><td></td><td colspan="2"><pre>{escape(t.output.strip())}</pre></td></tr>')
    return (f'<section class="student" id="s{index}"><h3 title="{escape(r.submission)}">{escape(label)}: '
            f'{r.score:g} / {r.max_score:g}</h3>{_refused(r, lang)}<table>{"".join(rows)}</table>'
            f'<p><a href="#roster">{escape(message("html.back", lang))}</a></p></section>')


def _refused(r: SubmissionResult, lang: str) -> str:
    if not r.refused:
        return ""
    return f'<p class="fail refused">{escape(refused_line(r.refused, lang))}</p>'


def _flags(summary: ClassSummary, labels: dict[str, str], lang: str) -> str:
    """The class's warnings: submissions refused an access outside their folder, byte-identical submissions."""
    items = [message("class.refused", lang, submission=labels.get(s, s), what="; ".join(refused[:4]))
             for s, refused in summary.refused]
    items += [message("class.identical", lang, n=len(g), submissions=", ".join(labels.get(s, s) for s in g))
              for g in summary.identical]
    if not items:
        return ""
    return (f'<h2>{escape(message("html.flags", lang))}</h2><ul id="flags">'
            + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>")


def render(exercise: Exercise, results: list[SubmissionResult], lang: str = "en") -> str:
    summary = summarize(results)
    title = exercise.text(exercise.title, lang) or exercise.id
    rates = "".join(
        f'<tr><td>{escape(t.name)}</td><td class="num">{t.passed} / {t.total}</td>'
        f'<td><div class="bar"><span style="width:{100 * t.rate:.0f}%"></span></div></td></tr>' for t in summary.tests)
    mistakes = "".join(
        f'<tr><td class="num">{m.count} / {summary.count}</td><td>{escape(m.test)}</td><td>{escape(m.text)}</td></tr>'
        for m in summary.mistakes) or f'<tr><td colspan="3">{escape(message("html.no_mistakes", lang))}</td></tr>'
    labels = _labels(results)
    roster = "".join(
        f'<tr data-name="{escape(label.lower())}"><td><a href="#s{i}">{escape(label)}</a></td>'
        f'<td class="num">{r.score:g} / {r.max_score:g}</td></tr>' for i, (r, label) in enumerate(zip(results, labels)))
    students = "".join(_student(i, r, label, lang) for i, (r, label) in enumerate(zip(results, labels)))
    head = message("class.head", lang, count=summary.count, mean=summary.mean, median=summary.median,
                   max_score=summary.max_score)
    return f"""<!DOCTYPE html>
<html lang="{escape(lang)}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>{escape(title)} - gradcheck</title><style>{STYLE}</style></head>
<body data-ready="0"><h1>{escape(title)} <small>({escape(exercise.id)})</small></h1>
<p id="summary">{escape(head)}</p>
<h2>{escape(message("html.distribution", lang))}</h2>{_histogram(summary, lang)}
<h2>{escape(message("html.pass_rates", lang))}</h2><table id="rates">{rates}</table>
<h2>{escape(message("html.mistakes", lang))}</h2><table id="mistakes">{mistakes}</table>
{_flags(summary, dict(zip((r.submission for r in results), labels)), lang)}
<h2 id="roster-title">{escape(message("html.students", lang))}</h2>
<p><input id="filter" placeholder="{escape(message("html.filter", lang))}"> <span id="shown">{len(results)}</span></p>
<table id="roster"><tbody>{roster}</tbody></table>
{students}
<script>{SCRIPT}</script></body></html>"""
