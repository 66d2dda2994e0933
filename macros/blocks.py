"""Small content blocks for pages: fill markers, due dates, print tools.

Everything returned here is HTML that goes into Markdown; author text and campaign
values are escaped with `escape.esc`.
"""

from __future__ import annotations

from . import schedule
from .escape import esc

FILL_CLASS = "xc-fill"
FILL_SUMMARY_MARK = "<!--xc-fill-summary-->"


def fill(hint: str) -> str:
    """Text only the inspected unit can supply: shown highlighted as 〔待填：hint〕."""
    return f'<span class="{FILL_CLASS}" title="待本单位填写">〔待填：{esc(hint)}〕</span>'


def due(rule: str, dates: schedule.KeyDates) -> str:
    """A time limit as words and a real date, e.g. 进驻前2个工作日（2026年11月27日）;
    a date that follows from the estimated feedback date gets （预计） after it."""
    d = schedule.due(rule, dates)
    if d.estimated:
        return f"{esc(d.label)}（{esc(d.text.removesuffix('（预计）'))}）（预计）"
    return f"{esc(d.label)}（{esc(d.text)}）"


def notices(items) -> str:
    """What the reader should know about this edition's dates and theme (home page)."""
    if not items:
        return ""
    lis = "".join(f"<li>{esc(n.text)}</li>" for n in items)
    return (f'<div class="admonition warning xc-notices" role="note"><p class="admonition-title">请注意</p>'
            f"<ul>{lis}</ul></div>")


def print_tools(docx: str | None = None) -> str:
    """The print button (and the .docx download when `docx` names a file beside the page)."""
    parts = ['<div class="xc-tools" role="group" aria-label="打印与下载" data-search-exclude>',
             '<button type="button" class="md-button md-button--primary xc-print" data-xc-print>打印本页</button>']
    if docx:
        parts.append(f'<a class="md-button xc-docx" href="{esc(docx)}" download>下载 Word 文档（.docx）</a>')
    parts.append('<p class="xc-tools__note">打印前请在浏览器打印设置中取消勾选“页眉和页脚”，'
                 '纸张选 A4、缩放选“默认”或 100%。</p>')
    parts.append("</div>")
    return "".join(parts)
