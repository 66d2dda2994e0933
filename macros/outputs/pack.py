"""The print pack, printed a few documents at a time instead of one by one.

Printing is mostly Chromium's fixed cost per `pdf()` call, so the edition's documents
are joined into a few long pages (each document a section, starting on a new sheet,
with its own named page: GB/T 9704, compact for checklists, public for the
announcement) and each long page is printed once. Two things the browser cannot do in
one call are done here:

- **Page numbers that restart for every document.** The long pages are printed without
  numbers; every document gets "— N —" from a blank page of the same kind printed once
  per length and laid over its pages (odd numbers right, even left, as print.css sets).
- **Fonts embedded as subsets.** Above roughly a thousand different glyphs in one call,
  Chromium embeds a whole 20 MB Chinese face; a group of documents is kept below that.

Where a document's start cannot be found in the printed PDF, its group is printed
document by document instead: never a wrong page number.
"""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

from lxml import html as lh

# Different Chinese characters per printed group (Chromium embeds the whole face above
# about a thousand glyphs; measured: 942 subset, 978 whole).
GLYPH_LIMIT = 880
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")
_SPACE = re.compile(r"\s+")

# On the long pages: one document per section, each on its own named page, no page
# numbers (laid over afterwards), no running header on the public notice.
GROUP_CSS = """
body:has(.xc-doc--checklist), body:has(.xc-doc--card), body:has(.xc-doc--public) { page: auto !important; }
.xc-pack-doc + .xc-pack-doc { break-before: page; }
.xc-pack-links { position: absolute; top: 0; left: 0; }
.xc-pack-links a { display: inline-block; width: 1px; height: 1px; }
.xc-pack-doc--compact { page: xc-compact; }
.xc-pack-doc--public { page: xc-public; }
@page :right { @bottom-right { content: none; } }
@page :left { @bottom-left { content: none; } }
@page xc-compact:right { @bottom-right { content: none; } }
@page xc-compact:left { @bottom-left { content: none; } }
@page xc-public { @top-left { content: none; } @top-right { content: none; } }
"""


@dataclass
class Doc:
    rel: str
    title: str       # the bookmark: the page's title
    heading: str     # its first h1, to find where it starts in the printed outline
    kind: str        # "default", "compact" or "public"
    body: list       # the article's children
    glyphs: set


def read(site: Path, rel: str, suffix: str) -> Doc:
    doc = lh.parse(str(site / rel)).getroot()
    article = doc.xpath("//article")[0]
    title = (doc.findtext(".//title") or rel).split(suffix)[0].strip()
    h1 = article.xpath(".//h1")
    classes = " ".join(article.xpath(".//@class"))
    kind = ("public" if "xc-doc--public" in classes else
            "compact" if ("xc-doc--checklist" in classes or "xc-doc--card" in classes) else "default")
    return Doc(rel, title, _SPACE.sub("", h1[0].text_content()) if h1 else "", kind, list(article),
               set(_CJK.findall(article.text_content())))


def groups(docs: list[Doc]) -> list[list[Doc]]:
    """Consecutive documents, as many per group as the glyph limit allows."""
    out: list[list[Doc]] = []
    seen: set = set()
    for d in docs:
        if out and len(seen | d.glyphs) <= GLYPH_LIMIT:
            out[-1].append(d)
            seen |= d.glyphs
        else:
            out.append([d])
            seen = set(d.glyphs)
    return out


def long_page(site: Path, group: list[Doc], name: str) -> Path:
    """The group's documents as sections of one page, written beside the first document
    (so its relative links to the style sheets hold); the caller removes it."""
    first = group[0]
    shell = lh.parse(str(site / first.rel)).getroot()
    article = shell.xpath("//article")[0]
    for child in list(article):
        article.remove(child)
    # One link per section, a pixel each, so that the PDF names where each one starts.
    links = lh.Element("div")
    links.set("class", "xc-pack-links")
    for i in range(len(group)):
        a = lh.Element("a")
        a.set("href", f"#{_anchor(i)}")
        links.append(a)
    article.append(links)
    for i, d in enumerate(group):
        section = lh.Element("section")
        section.set("id", _anchor(i))
        section.set("class", f"xc-pack-doc xc-pack-doc--{d.kind}")
        for child in d.body:
            section.append(child)
        article.append(section)
    path = (site / first.rel).parent / name
    path.write_bytes(lh.tostring(shell, doctype="<!doctype html>", encoding="utf-8"))
    return path


def stamp_page(site: Path, first_rel: str, kind: str, n: int, name: str) -> Path:
    """n blank pages of one kind that carry only the page numbers."""
    cls = "xc-doc xc-doc--checklist" if kind == "compact" else "xc-doc"
    blanks = "".join('<div style="break-before: page; height: 1px"></div>' for _ in range(n - 1))
    html = (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
            f'<link rel="stylesheet" href="../assets/stylesheets/xc.css">'
            f'<link rel="stylesheet" href="../assets/stylesheets/print.css"></head>'
            f'<body><div class="{cls}" style="height: 1px"></div>{blanks}</body></html>')
    path = (site / first_rel).parent / name
    path.write_text(html, encoding="utf-8")
    return path


def starts(reader, group: list[Doc]) -> list[int] | None:
    """The page where each document of the group starts: every section is the target of
    an invisible link (see long_page), and Chromium records link targets as named
    destinations. None when one is missing (the caller then prints the group document
    by document)."""
    dests = reader.named_destinations
    out = []
    for i in range(len(group)):
        d = dests.get(f"/{_anchor(i)}")
        if d is None:
            return None
        out.append(reader.get_destination_page_number(d))
    return out if out and out[0] == 0 and out == sorted(set(out)) else None


def _anchor(i: int) -> str:
    return f"xc-pack-doc-{i}"


def temp_name(kind: str) -> str:
    return f".xc-pack-{kind}-{os.getpid()}.html"
