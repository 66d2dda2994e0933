"""Titles break by meaning (GB/T 9704: 回行时词意完整), in print and in the .docx.

Campaigns with long names are built; every document title that needs more than one
line is printed by Chromium and read back from the PDF, and read from the .docx's
manual line breaks. No line break may fall inside a word of jieba's segmentation of
the title (the campaign's own names counted as single words), no line may start with
closing punctuation, and the last line never holds a single character.
"""

from __future__ import annotations

import json
import re
import zipfile

import pytest
from lxml import etree
from lxml import html as lh

from conftest import ROOT, variant
from paper import squash, title_lines

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

LONG_NAMES = {
    "long-soe": lambda: variant(ROOT / "campaigns" / "soe-special.yml",
                                inspected__org="南江市城市建设投资发展集团有限公司党委",
                                inspected__unit="南江市城市建设投资发展集团有限公司",
                                inspected__short="城投集团"),
    "long-bureau": lambda: variant(ROOT / "campaigns" / "county-regular.yml",
                                   kind="专项", theme="招投标",
                                   inspected__org="临川县住房和城乡建设局党组",
                                   inspected__unit="临川县住房和城乡建设局",
                                   inspected__short="县住建局"),
}


def names_of(data: dict) -> list[str]:
    """The campaign's own names, each to be kept whole on a line."""
    ins = data["inspected"]
    return [n for n in (ins.get("org"), ins.get("unit"), ins.get("short"), data.get("theme")) if n]


def boundaries(title: str, names: list[str]) -> set[int]:
    """Positions where a line may break: between words of jieba's segmentation, with
    the names as single words."""
    import jieba

    spans = []
    for n in sorted(set(names), key=len, reverse=True):
        for m in re.finditer(re.escape(n), title):
            if not any(a < m.end() and m.start() < b for a, b in spans):
                spans.append((m.start(), m.end()))
    spans.sort()
    cuts, pos = {0, len(title)}, 0
    for a, b in spans + [(len(title), len(title))]:
        acc = pos
        for w in jieba.lcut(title[pos:a]):
            acc += len(w)
            cuts.add(acc)
        cuts.update({a, b})
        pos = b
    return cuts


def check_lines(where: str, title: str, got: list[str], names: list[str]) -> None:
    assert "".join(got) == title, f"{where}: lines {got} do not make the title {title}"
    allowed = boundaries(title, names)
    pos = 0
    for line in got[:-1]:
        pos += len(line)
        assert pos in allowed, f"{where}: break inside a word: {title[:pos]}｜{title[pos:]}"
    assert len(got[-1]) >= 2, f"{where}: one character alone on the last line: {got}"
    for line in got[1:]:
        assert line[0] not in "，。、；：？！）》”’", f"{where}: a line starts with punctuation: {got}"


@pytest.fixture(scope="module", params=sorted(LONG_NAMES))
def long_site(request, edition):
    data = LONG_NAMES[request.param]()
    return data, edition(data)


def _long_titles(site) -> list[tuple[str, str]]:
    """(page, title) for the printable documents whose title needs more than one line."""
    manifest = json.loads((site / ".xc-edition.json").read_text(encoding="utf-8"))
    out = []
    for d in manifest["documents"]:
        if not d.get("print"):
            continue
        doc = lh.parse(str(site / d["url"])).getroot()
        h1 = doc.xpath('//div[contains(@class, "xc-doc")]//h1')
        if h1:
            text = squash(h1[0].text_content())
            if sum(0.5 if ord(c) < 0x2E80 else 1 for c in text) > 20:
                out.append((d["url"], text))
    return out


def test_printed_titles_break_between_words(long_site, printed):
    """Every long document title prints in lines cut between words."""
    data, site = long_site
    titles = _long_titles(site)
    assert len(titles) >= 5, "long names should give several multi-line titles"
    pdfs = printed.many(site, [rel for rel, _ in titles])
    for (rel, title), pdf in zip(titles, pdfs):
        got = title_lines(pdf)
        assert len(got) >= 2, f"{rel}: {title} printed on one line"
        check_lines(rel, title, got, names_of(data))


def test_docx_titles_break_between_words(long_site):
    """The .docx title holds the same lines, as manual line breaks."""
    data, site = long_site
    checked = 0
    for docx in site.rglob("*.docx"):
        with zipfile.ZipFile(docx) as z:
            root = etree.fromstring(z.read("word/document.xml"))
        for p in root.iter(f"{W}p"):
            style = p.find(f"{W}pPr/{W}pStyle")
            if style is None or style.get(f"{W}val") != "Title":
                continue
            parts, cur = [], ""
            for el in p.iter(f"{W}t", f"{W}br"):
                if el.tag == f"{W}br":
                    parts.append(cur)
                    cur = ""
                else:
                    cur += el.text or ""
            parts.append(cur)
            parts = [squash(x) for x in parts if squash(x)]
            if len(parts) > 1:
                check_lines(docx.name, "".join(parts), parts, names_of(data))
                checked += 1
    assert checked >= 5, f"only {checked} multi-line titles in the .docx files"
