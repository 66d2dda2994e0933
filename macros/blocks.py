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
    return f'<span class="{FILL_CLASS}" title="待填写：按实际情况补写">〔待填：{esc(hint)}〕</span>'


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
    parts = ['<div class="xc-tools" role="group" aria-label="打印与下载" data-search-exclude="">',
             '<button type="button" class="md-button md-button--primary xc-print" data-xc-print>打印本页</button>']
    if docx:
        parts.append(f'<a class="md-button xc-docx" href="{esc(docx)}" download>下载 Word 文档（.docx）</a>')
    parts.append('<p class="xc-tools__note">打印前请在浏览器打印设置中取消勾选“页眉和页脚”，'
                 '纸张选 A4、缩放选“默认”或 100%。</p>')
    parts.append("</div>")
    return "".join(parts)


# GB/T 9704 sets 28 characters to a line; signature offsets are counted in characters.
LINE_CHARS = 28


def _cells(text: str) -> float:
    """Width in characters: a Chinese character or full-width mark is one, an ASCII
    letter or digit half (the dates' Arabic numerals are half-width)."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1 for ch in text)


def sign_offsets(name: str, date: str | None) -> tuple[float, float]:
    """Right indents (in characters) of the signature and the date line, unsealed form of
    GB/T 9704: the signature two characters from the right, the date starting two
    characters right of the signature's first character; a date longer than that is set
    two from the right and the signature moves left to keep the two-character step."""
    name_w = _cells(name)
    if not date:
        return 2.0, 0.0
    date_w = _cells(date)
    date_right = 2 + name_w - 2 - date_w
    if date_right >= 2:
        return 2.0, date_right
    return 2 + date_w + 2 - name_w, 2.0


def signature(name: str, date: str | None = None) -> str:
    """The signature block: the issuer's name and, below it, the date. `name` and `date`
    come escaped from the page variables; widths are counted on the plain text."""
    import html as _html

    import re as _re

    def plain(s):
        return _html.unescape(_re.sub(r"<[^>]+>", "", s))

    name_r, date_r = sign_offsets(plain(name), plain(date) if date else None)
    out = [f'<p class="xc-doc-sign" data-xc-right="{name_r:g}" style="padding-right:{name_r:g}em">{name}</p>']
    if date:
        out.append(f'<p class="xc-doc-sign xc-doc-sign--date" data-xc-right="{date_r:g}" '
                   f'style="padding-right:{date_r:g}em">{date}</p>')
    return "\n".join(out)
