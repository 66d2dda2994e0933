"""The home page's blocks: the two readers' entries, the timeline and the contact block."""

from __future__ import annotations

from .documents import AUDIENCES, phases
from .escape import esc

READER_HINT = {
    "巡察组": "讲话、提纲、测评和反馈文书，按使用的先后排列",
    "被巡察单位": "要准备、要张贴、要落实的事项，按使用的先后排列",
}


def role_entries(docs) -> str:
    parts = ['<div class="xc-roles">']
    for reader in AUDIENCES:
        parts.append(f'<section class="xc-role" aria-labelledby="role-{len(parts)}">'
                     f'<h2 class="xc-role__title" id="role-{len(parts)}">我是{reader}</h2>'
                     f'<p class="xc-role__hint">{READER_HINT[reader]}</p>')
        for phase, items in phases(docs):
            mine = [d for d in items if reader in d.readers]
            if not mine:
                continue
            parts.append(f'<h3 class="xc-role__phase">{esc(phase)}</h3><ol class="xc-role__docs">')
            for d in mine:
                parts.append(f'<li><a href="{esc(d.url)}">{esc(d.title)}</a>'
                             f'<span class="xc-role__use">{esc(d.use)}</span></li>')
            parts.append("</ol>")
        parts.append("</section>")
    parts.append("</div>")
    return "".join(parts)


def timeline(steps) -> str:
    parts = ['<ol class="xc-timeline" data-xc-timeline>']
    for s in steps:
        est = ' data-estimated="true"' if s["estimated"] else ""
        parts.append(f'<li class="xc-timeline__step" data-date="{s["date"]}"{est}>'
                     f'<span class="xc-timeline__date">{esc(s["text"])}</span>'
                     f'<span class="xc-timeline__label">{esc(s["label"])}</span>'
                     '<span class="xc-timeline__now" hidden>当前</span></li>')
    parts.append("</ol>")
    return "".join(parts)


def contact_block(v) -> str:
    rows = "".join(f'<div class="xc-contacts__row"><dt>{esc(ch["label"])}</dt>'
                   f'<dd class="xc-contacts__value xc-contacts__value--{ch["type"]}">{esc(ch["value"])}</dd></div>'
                   for ch in v["channels"])
    return (f'<dl class="xc-contacts">{rows}<div class="xc-contacts__row"><dt>受理截止</dt>'
            f'<dd class="xc-contacts__value">{esc(v["dates"]["deadline"])}</dd></div></dl>')
