"""Printable forms of an edition: the democratic evaluation, the questionnaire and the
register of documents handed over. Every form is an HTML table; the cells people fill
in by hand are empty, and no form asks for the respondent's name.
"""

from __future__ import annotations

from . import catalogue, cn, wording
from .escape import esc


def _table(head: list[str], rows: list[list[str]], cls: str) -> str:
    out = [f'<table class="xc-form-table {cls}">',
           "<thead><tr>" + "".join(f'<th scope="col">{h}</th>' for h in head) + "</tr></thead><tbody>"]
    out += ["<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows]
    out.append("</tbody></table>")
    return "".join(out)


def _box() -> str:
    return '<span class="xc-box" aria-hidden="true"></span>'


def evaluation_html(kind: str, terms: dict[str, str], team_size: int, fill) -> str:
    """The 民主测评表: the leadership team, each member (a row to fill per member), and,
    for the kinds that call for it, 选人用人. Each part prints on a page of its own."""
    e = catalogue.evaluation()
    grades = e.grades
    f = lambda t: wording.fill(t, terms)  # noqa: E731
    head = ["序号", "测评内容", *grades]
    parts = []

    team_items = [x for x in (f(i) for i in e.team.items) if x]
    rows = [[str(n), esc(item), *[_box() for _ in grades]] for n, item in enumerate(team_items, start=1)]
    parts.append(_section(f"一、{esc(f(e.team.title))}", _table(head, rows, "xc-eval")))

    rows = [[str(n), fill("班子成员姓名和职务"), *[_box() for _ in grades]] for n in range(1, team_size + 1)]
    parts.append(_section(f"二、{esc(f(e.members.title))}",
                          f'<p class="xc-form-note">{esc(f(e.members.note))}</p>'
                          + _table(["序号", "姓名和职务", *grades], rows, "xc-eval")))

    if kind in e.selection.kinds:
        rows = [[str(n), esc(f(item)), *[_box() for _ in grades]] for n, item in enumerate(e.selection.items, start=1)]
        parts.append(_section(f"三、{esc(f(e.selection.title))}", _table(head, rows, "xc-eval")))
    return "\n".join(parts)


def _section(title: str, body: str) -> str:
    return f'<section class="xc-form-part"><h2 class="xc-form-part__title">{title}</h2>{body}</section>'


def questionnaire_html(terms: dict[str, str]) -> str:
    q = catalogue.evaluation().questionnaire
    f = lambda t: wording.fill(t, terms)  # noqa: E731
    parts = [f'<p class="xc-form-note">{esc(f(q.intro))}</p>']
    n = 0
    for choice in q.choices:
        text = f(choice.question)
        if not text:
            continue
        n += 1
        opts = "".join(f'<span class="xc-option">{_box()}{esc(o)}</span>' for o in choice.options)
        parts.append(f'<div class="xc-question"><p class="xc-question__text">{n}. {esc(text)}</p>'
                     f'<p class="xc-question__options">{opts}</p></div>')
    for text in q.open:
        n += 1
        parts.append(f'<div class="xc-question xc-question--open"><p class="xc-question__text">{n}. {esc(f(text))}</p>'
                     '<div class="xc-write" aria-hidden="true"></div></div>')
    return "\n".join(parts)


HANDOVER = ("序号", "资料名称", "份数", "移交日期", "移交人", "接收人", "归还日期")


def handover_html(materials) -> str:
    """The register of documents handed over: every item of the materials checklist,
    with blank columns for the count, the dates and the people."""
    current = None
    out = ['<table class="xc-form-table xc-handover">',
           "<thead><tr>" + "".join(f'<th scope="col">{h}</th>' for h in HANDOVER) + "</tr></thead><tbody>"]
    n = 0
    for e in materials.entries:
        if e.category and e.category != current:
            current = e.category
            out.append(f'<tr class="xc-form-group"><th scope="colgroup" colspan="{len(HANDOVER)}">'
                       f"{cn.numeral(materials.categories.index(current) + 1)}、{esc(current)}</th></tr>")
        n += 1
        out.append(f'<tr data-item="{esc(e.id)}"><td>{n}</td><td class="xc-handover__name">{esc(e.text)}</td>'
                   + "<td></td>" * (len(HANDOVER) - 2) + "</tr>")
    for _ in range(5):  # materials asked for later, written by hand
        n += 1
        out.append(f"<tr><td>{n}</td>" + "<td></td>" * (len(HANDOVER) - 1) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)
