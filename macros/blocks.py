"""Small content blocks used by pages: fill markers, due dates, print tools.

Everything returned here is HTML that goes into Markdown; author text and campaign
values are escaped with `campaign.esc`.
"""

from __future__ import annotations

import datetime as dt
import re

from . import cn, state
from .campaign import dates_of, esc
from .schema import DUE_PATTERN

FILL_CLASS = "xc-fill"
FILL_SUMMARY_MARK = "<!--xc-fill-summary-->"


def fill(hint: str) -> str:
    """Text only the inspected unit can supply: shown highlighted as 〔待填：hint〕."""
    return f'<span class="{FILL_CLASS}" title="待本单位填写">〔待填：{esc(hint)}〕</span>'


def fill_summary() -> str:
    """Where the home page lists every fill marker of the edition (filled in after rendering)."""
    return FILL_SUMMARY_MARK


# ---- Due dates ------------------------------------------------------------------


def parse_due(rule: str) -> tuple[str, int]:
    m = re.fullmatch(DUE_PATTERN, rule.strip())
    if not m:
        raise ValueError(f"时限规则“{rule}”无效，应如 start-2、during、feedback+30")
    return m.group(1), int(m.group(2) or 0)


def due_parts(rule: str) -> tuple[str, str, dt.date]:
    """(label, date text, sort date) for a due rule, computed from the campaign's dates."""
    anchor, offset = parse_due(rule)
    dd = dates_of(state.get().campaign)
    day = dd[anchor] + dt.timedelta(days=offset)
    if anchor == "during":
        return "驻点期间", cn.date_range(dd["start"], dd["end"]), dd["start"]
    if anchor == "start":
        label = "进驻当日" if offset == 0 else (f"进驻前{-offset}日" if offset < 0 else f"进驻后{offset}日内")
    elif anchor == "notice":
        label = "收到通知当日" if offset == 0 else (f"收到通知后{offset}日内" if offset > 0 else f"收到通知前{-offset}日")
    elif anchor == "end":
        label = "驻点结束前" if offset == 0 else (f"驻点结束前{-offset}日" if offset < 0 else f"驻点结束后{offset}日内")
    elif anchor == "after_end":
        label = "驻点结束当日" if offset == 0 else f"驻点结束后{offset}日内"
    elif anchor == "deadline":
        label = "受理截止前" if offset == 0 else (f"受理截止前{-offset}日" if offset < 0 else f"受理截止后{offset}日")
    else:  # feedback
        label = "反馈当日" if offset == 0 else (f"反馈后{offset}日内" if offset > 0 else f"反馈前{-offset}日")
    return label, cn.date(day), day


def due(rule: str) -> str:
    """A time limit as words and a real date, e.g. due("start-2") → 进驻前2日（2026年11月29日）."""
    label, date_text, _ = due_parts(rule)
    return f"{label}（{date_text}）"


# ---- Print and download tools ----------------------------------------------------


def print_tools(docx: str | None = None) -> str:
    """The print button (and the .docx download when `docx` names a file beside the page)."""
    parts = ['<div class="xc-tools" role="group" aria-label="打印与下载">',
             '<button type="button" class="md-button md-button--primary xc-print" data-xc-print>打印本页</button>']
    if docx:
        parts.append(f'<a class="md-button xc-docx" href="{esc(docx)}" download>下载 Word 文档（.docx）</a>')
    parts.append('<p class="xc-tools__note">打印前请在浏览器打印设置中取消勾选“页眉和页脚”，'
                 '纸张选 A4、缩放选“默认”或 100%。</p>')
    parts.append("</div>")
    return "".join(parts)
