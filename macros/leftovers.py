"""Find what must never reach a reader: template residue and template-pack placeholders.

`scan(html)` looks at the *visible* text of rendered HTML (scripts, styles and tags
removed, entities decoded) and returns every offender with some context. The fill
markers (〔待填：…〕) are collected here too, for the home page's list.
"""

from __future__ import annotations

import html as htmllib
import re

from .blocks import FILL_SUMMARY_MARK  # noqa: F401  (re-exported for the pipeline)
from .escape import esc

# Each pattern names a kind of leftover. Uppercase/fullwidth X only: lowercase x is
# legitimate in e-mail addresses and the like.
PATTERNS = [
    r"\{\{|\}\}|\{%|%\}|\{##|##\}",          # Jinja syntax
    r"(?<![A-Za-z])(?:None|undefined|null|NaN)(?![A-Za-z])",
    r"第\s*[XＸ×]+",                          # 第X巡察组、第X轮
    r"[XＸ]+\s*(?:届|轮|组|年|月|日|天|号|同志|局|县|市|区|镇|@)",
    r"(?<![A-Za-z])[XＸ]{2,}(?![A-Za-z])",    # XX局
    r"×{2,}|〇〇|○○",                         # ××单位
    r"20[0-9Xx]?[XＸ]",                       # 202X年
    r"(?<![A-Za-z0-9])X@",                    # X@163.com
    r"_{4,}|＿{2,}",                          # blanks to write on
    r"no such element|Macro Rendering Error|UndefinedError",
    r"(?<![A-Za-z])[xX]{1,3}(?=[\u4e00-\u9fff])",   # x局、xx县 (lowercase too)
    r"(?<=[\u4e00-\u9fff])[xX]{1,3}(?![A-Za-z])",   # 第x、202x年 after Han text
    r"20[0-9]?[xX]{1,2}",                          # 20xx年
    r"第\s*[NnＮ](?![A-Za-z])",                      # 第N轮
    r"某某",                                        # 某某单位
    r"\{[A-Za-z_]+\}",                              # {theme}: a data placeholder left unfilled
    r"\[['\"]|['\"]\]",                              # ['a', 'b']: a Python list printed as is
    r"(?<![A-Za-z])(?:True|False)(?![A-Za-z])",
    r"&#?[A-Za-z0-9]+;",                            # an entity still visible: escaped twice
]
_RX = re.compile("|".join(f"(?:{p})" for p in PATTERNS))

_DROP = re.compile(r"<(script|style|template)\b.*?</\1\s*>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")
_FILL = re.compile(r'<span class="xc-fill"[^>]*>〔待填：(.*?)〕</span>', re.S)


def visible_text(html: str) -> str:
    text = _DROP.sub(" ", html)
    text = _TAG.sub(" ", text)
    return htmllib.unescape(text)


def scan(html: str) -> list[tuple[str, str]]:
    text = visible_text(html)
    out = []
    for m in _RX.finditer(text):
        a, b = max(0, m.start() - 15), min(len(text), m.end() + 15)
        ctx = re.sub(r"\s+", " ", text[a:b]).strip()
        out.append((m.group(0), ctx))
    return out


_ARTICLE = re.compile(r'<article\b[^>]*>(.*)</article>', re.S)
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)


def article(html: str) -> str:
    """The page's article (its own content, without navigation); the whole page if none."""
    m = _ARTICLE.search(html)
    return m.group(1) if m else html


def page_title(html: str) -> str:
    """The page's own title: the <title> without the site name after " - "."""
    m = _TITLE.search(html)
    return htmllib.unescape(m.group(1)).split(" - ")[0].strip() if m else ""


def fill_hints(html: str) -> list[str]:
    return [htmllib.unescape(_TAG.sub("", h)) for h in _FILL.findall(html)]


def fill_summary_html(fills: dict[str, list[str]], titles: dict[str, str]) -> str:
    """The home page's list of fill markers: how many, and on which pages."""
    total = sum(len(v) for v in fills.values())
    if not total:
        return '<p class="xc-fill-summary">本版本没有待填写的内容。</p>'
    parts = [f'<div class="xc-fill-summary"><p>本版本共有 <strong data-xc-fill-total>{total}</strong> '
             f'处待填写内容（<span class="xc-fill">〔待填：…〕</span>），由使用该文书的一方（巡察组或被巡察单位）依实际情况补写，'
             f'发出或宣读前须全部填好：</p><ul>']
    for url, hints in fills.items():
        title = esc(titles.get(url, url))
        items = "；".join(esc(h) for h in hints)
        parts.append(f'<li><a href="{esc(url)}">{title}</a>：{len(hints)} 处（{items}）</li>')
    parts.append("</ul></div>")
    return "".join(parts)
