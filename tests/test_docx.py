"""The .docx downloads, read as WordprocessingML (unzipped, as Word and WPS read them).

Every page that offers a .docx has it; each file has the GB/T 9704 page, a document
grid that Word, WPS and LibreOffice all honour (lines only), the GB fonts in its font
table with stand-ins, a small Chinese-named style set, honest properties, the page's
text, highlighted fill markers, and the unsealed signature block.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lh

from conftest import ALL_CAMPAIGNS, CAMPAIGNS

from macros import edition as edition_mod
from macros.outputs import docx as docx_out

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def q(name: str) -> str:
    return f"{{{W}}}{name}"


def read_docx(path: Path) -> dict:
    with zipfile.ZipFile(path) as z:
        return {n: (etree.fromstring(z.read(n)) if n.endswith(".xml") or n.endswith(".rels") else z.read(n))
                for n in z.namelist()}


def para_text(p) -> str:
    return "".join(t.text or "" for t in p.iter(q("t")))


def body_text(parts) -> str:
    return "".join(para_text(p) for p in parts["word/document.xml"].iter(q("p")))


def no_space(s: str) -> str:
    # Zero-width spaces are break opportunities in e-mail addresses, not text.
    return re.sub(r"[\s\u200b]+", "", s)


def docx_pages(site: Path) -> dict[Path, Path]:
    """{docx file: the page offering it} for every page of the edition with a download."""
    out = {}
    for page in site.rglob("*.html"):
        doc = lh.parse(str(page)).getroot()
        for div in doc.xpath('//div[@data-docx]'):
            out[page.parent / div.get("data-docx")] = page
    return out


@pytest.fixture(scope="module", params=ALL_CAMPAIGNS, ids=[p.stem for p in ALL_CAMPAIGNS])
def built(request, edition):
    site = edition(request.param)
    return request.param, site, docx_pages(site)


def test_every_download_exists_and_names_the_unit(built):
    """Each page's .docx is there and carries the unit and the group."""
    campaign_file, _, files = built
    ed = edition_mod.from_file(campaign_file)
    assert len(files) >= 10
    for docx in files:
        assert docx.is_file(), f"{docx.name} missing"
        text = body_text(read_docx(docx))
        assert ed.values.inspected.unit in text or ed.values.inspected.org in text or ed.terms["org_short"] in text, \
            f"{docx.name}: the unit is not named"


def test_page_setup_and_grid(built):
    """A4, GB/T 9704 margins; a grid of lines only (28.95pt, 22 to the page; the public
    notice 18–22pt) that Word, WPS and LibreOffice all honour."""
    _, _, files = built
    for docx, page in files.items():
        parts = read_docx(docx)
        sect = parts["word/document.xml"].find(f".//{q('sectPr')}")
        size = sect.find(q("pgSz"))
        assert (size.get(q("w")), size.get(q("h"))) == ("11906", "16838"), f"{docx.name}: not A4"
        mar = sect.find(q("pgMar"))
        assert {k: int(mar.get(q(k))) for k in ("top", "bottom", "left", "right")} == {
            "top": 2098, "bottom": 1984, "left": 1587, "right": 1474}, docx.name
        grid = sect.find(q("docGrid"))
        assert grid.get(q("type")) == "lines", f"{docx.name}: grid {grid.get(q('type'))}"
        pitch = int(grid.get(q("linePitch")))
        if docx.name == "announcement.docx":
            assert 360 <= pitch <= 440, pitch
        else:
            assert pitch == 579 and round((16838 - 2098 - 1984) / pitch) == 22, pitch


def test_font_table_lists_the_gb_fonts_with_stand_ins(built):
    """fontTable.xml names the GB fonts with altName and panose, and no Japanese faces."""
    _, _, files = built
    want = {"仿宋_GB2312": {"仿宋", "FangSong"}, "方正小标宋简体": {"华文中宋", "宋体"},
            "楷体_GB2312": {"楷体", "KaiTi"}, "黑体": {"SimHei"}}
    for docx in files:
        table = read_docx(docx)["word/fontTable.xml"]
        fonts = {f.get(q("name")): f for f in table.iter(q("font"))}
        for name, alts in want.items():
            assert name in fonts, f"{docx.name}: {name} not in the font table"
            alt = fonts[name].find(q("altName"))
            assert alt is not None and alt.get(q("val")) in alts, f"{docx.name}: {name} without a stand-in"
            assert fonts[name].find(q("panose1")) is not None
            assert fonts[name].find(q("charset")).get(q("val")) == "86", "GB2312 charset"
        assert not [n for n in fonts if re.search(r"[ぁ-んァ-ン]|ＭＳ|MS Mincho|MS Gothic", n)], list(fonts)


def test_styles_are_few_used_and_chinese(built):
    """At most 20 styles, each used, a default, or the base of one used; the custom ones
    have Chinese names; body 仿宋_GB2312 3号, headings 黑体/楷体, title 方正小标宋简体 2号."""
    _, _, files = built
    for docx in files:
        parts = read_docx(docx)
        styles = parts["word/styles.xml"]
        all_styles = {s.get(q("styleId")): s for s in styles.iter(q("style"))}
        assert len(all_styles) <= 20, f"{docx.name}: {len(all_styles)} styles"
        used = {p.get(q("val")) for tag in ("pStyle", "rStyle", "tblStyle")
                for p in parts["word/document.xml"].iter(q(tag))}
        used |= {p.get(q("val")) for part, x in parts.items() if part.startswith("word/footer")
                 for p in x.iter(q("pStyle"))}
        keep = set(used)
        for sid in list(used):
            node = all_styles.get(sid)
            while node is not None:
                for tag in ("basedOn", "link"):
                    ref = node.find(q(tag))
                    if ref is not None:
                        keep.add(ref.get(q("val")))
                nxt = node.find(q("basedOn"))
                node = all_styles.get(nxt.get(q("val"))) if nxt is not None else None
        defaults = {sid for sid, s in all_styles.items() if s.get(q("default")) == "1"}
        unused = set(all_styles) - keep - defaults
        assert not unused, f"{docx.name}: unused styles {sorted(unused)}"
        for sid, s in all_styles.items():
            if sid.startswith("Xc"):
                assert re.search(r"[\u4e00-\u9fff]", s.find(q("name")).get(q("val"))), sid

        def east_asia(sid):
            rf = all_styles[sid].find(f"{q('rPr')}/{q('rFonts')}")
            return None if rf is None else rf.get(q("eastAsia"))

        assert east_asia("Normal") == "仿宋_GB2312"
        assert all_styles["Normal"].find(f"{q('rPr')}/{q('sz')}").get(q("val")) == "32"
        if "Title" in all_styles:
            assert east_asia("Title") == "方正小标宋简体"
            assert all_styles["Title"].find(f"{q('rPr')}/{q('sz')}").get(q("val")) == "44"
        if "Heading1" in used:
            assert east_asia("Heading1") == "黑体"
        if "Heading2" in used:
            assert east_asia("Heading2") == "楷体_GB2312"


def test_properties_are_honest(built):
    """docProps: the group as author, the campaign's date, no foreign application or
    template author; the label only on internal documents."""
    campaign_file, _, files = built
    ed = edition_mod.from_file(campaign_file)
    for docx in files:
        parts = read_docx(docx)
        raw = b"".join(zipfile.ZipFile(docx).read(n) for n in ("docProps/app.xml", "docProps/core.xml"))
        for foreign in (b"Microsoft", b"Macintosh", b"python-docx", b"Normal.dotm", b"Steve Canny", b"WPS"):
            assert foreign not in raw, f"{docx.name}: {foreign!r} in docProps"
        core = parts["docProps/core.xml"]
        creator = core.find("{http://purl.org/dc/elements/1.1/}creator").text
        assert creator == ed.values.group.name
        created = core.find("{http://purl.org/dc/terms/}created").text
        assert created.startswith(str(ed.campaign.dates.start)), created
        category = core.find("{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}category")
        text = body_text(parts)
        if docx.name == "announcement.docx":
            assert category is None or not (category.text or ""), "a public notice carries no label"
            assert ed.values.label not in text
            assert not [k for k in parts if k.startswith("word/footer") or k.startswith("word/header")], \
                "a public notice has no running header or page number"


def test_internal_documents_number_their_pages(built):
    """Internal documents carry "— N —" in a PAGE field, odd and even pages apart."""
    _, _, files = built
    for docx in files:
        if docx.name == "announcement.docx":
            continue
        parts = read_docx(docx)
        footers = [v for k, v in parts.items() if re.fullmatch(r"word/footer\d+\.xml", k)]
        assert footers, f"{docx.name}: no footer"
        for f in footers:
            assert "PAGE" in "".join(t.text or "" for t in f.iter(q("instrText")))
            text = "".join(t.text or "" for t in f.iter(q("t")))
            assert text.startswith("— ") and text.endswith(" —"), text
        assert parts["word/settings.xml"].find(q("evenAndOddHeaders")) is not None


def test_same_text_as_the_page(built):
    """Every heading and paragraph of the page's document is in the .docx, entities
    decoded; the usage note and the buttons are not."""
    _, _, files = built
    for docx, page in files.items():
        parts = read_docx(docx)
        text = no_space(body_text(parts))
        doc = lh.parse(str(page)).getroot()
        div = doc.xpath(f'//div[@data-docx="{docx.name}"]')[0]
        for b in div.xpath(".//h1|.//h2|.//h3|.//h4|.//p|.//li[not(p)]|.//td"):
            if b.xpath('ancestor-or-self::*[contains(@class, "xc-usage") or contains(@class, "xc-tools")]'):
                continue
            want = no_space(b.text_content())
            if want:
                assert want in text, f"{docx.name}: missing from the .docx: {want[:40]}"
        assert "&lt;" not in text and "&amp;" not in text and "&#" not in text
        for tool in ("打印本页", "下载Word文档", "使用说明"):
            assert tool not in text


def test_fill_markers_are_highlighted(built):
    """Each 〔待填：…〕 of the page is a yellow-highlighted run in the .docx."""
    _, _, files = built
    for docx, page in files.items():
        parts = read_docx(docx)
        doc = lh.parse(str(page)).getroot()
        fills = doc.xpath(f'//div[@data-docx="{docx.name}"]//span[contains(concat(" ", @class, " "), " xc-fill ")]')
        marked = 0
        for r in parts["word/document.xml"].iter(q("r")):
            t = "".join(x.text or "" for x in r.iter(q("t")))
            if "〔待填：" in t:
                hl = r.find(f"{q('rPr')}/{q('highlight')}")
                assert hl is not None and hl.get(q("val")) == "yellow", f"{docx.name}: {t} not highlighted"
                marked += t.count("〔待填：")
        assert marked == len(fills), f"{docx.name}: {len(fills)} markers on the page, {marked} in the file"


def _width(text: str) -> float:
    return sum(0.5 if ord(ch) < 0x2E80 else 1 for ch in text)


@pytest.mark.parametrize("campaign_file", CAMPAIGNS, ids=[p.stem for p in CAMPAIGNS])
def test_signature_block_is_the_unsealed_form(edition, campaign_file):
    """GB/T 9704 (unsealed): the issuer two characters from the right; the date starts two
    characters right of the issuer's first character, or, when longer, ends two from
    the right with the issuer moved left to keep the step."""
    site = edition(campaign_file)
    parts = read_docx(site / "notices" / "announcement.docx")
    signs = [p for p in parts["word/document.xml"].iter(q("p"))
             if p.find(f"{q('pPr')}/{q('pStyle')}") is not None
             and p.find(f"{q('pPr')}/{q('pStyle')}").get(q("val")) == "XcSign"]
    assert len(signs) == 2
    name, date = para_text(signs[0]), para_text(signs[1])
    right = [int(p.find(f"{q('pPr')}/{q('ind')}").get(q("rightChars"))) / 100 for p in signs]
    if _width(date) <= _width(name) - 2:
        expect = (2, 2 + _width(name) - 2 - _width(date))
    else:
        expect = (2 + _width(date) + 2 - _width(name), 2)
    assert tuple(right) == pytest.approx(expect), (name, date, right)
    assert signs[0].find(f"{q('pPr')}/{q('spacing')}") is not None, "a blank line above the issuer"


# ---- The converter on small documents -----------------------------------------------------


def _div(body: str, cls: str = "xc-doc"):
    page = lh.fromstring(f'<html><body><div class="{cls}" data-docx="t.docx">{body}</div></body></html>')
    return page.xpath("//div[@data-docx]")[0]


def _meta():
    return docx_out._meta(edition_mod.from_file(CAMPAIGNS[0]))


def _parts(data: bytes, tmp_path: Path) -> dict:
    path = tmp_path / "t.docx"
    path.write_bytes(data)
    return read_docx(path)


def test_converter_maps_elements_to_styles(tmp_path):
    """h1→标题, by-line and date→讲话人与日期, salutation→称谓, h2/h3→标题 1/2, the rest 正文,
    lists numbered as text, the signature→落款; fill markers highlighted."""
    div = _div('<h1>标题</h1><p class="xc-doc-author">某某</p><p class="xc-doc-date">（日期）</p>'
               "<p>同志们：</p><h2>一、黑体</h2><h3>（一）楷体</h3>"
               '<p>正文 A&amp;B &lt;b&gt;\n续行<span class="xc-fill">〔待填：事项〕</span>。</p>'
               '<ol><li>第一</li><li><p>第二</p></li></ol><p class="xc-doc-sign" data-xc-right="2">落款单位</p>')
    parts = _parts(docx_out.render(div, _meta()), tmp_path)
    doc = parts["word/document.xml"]

    def style_of(p):
        ps = p.find(f"{q('pPr')}/{q('pStyle')}")
        return ps.get(q("val")) if ps is not None else "Normal"

    got = [(style_of(p), para_text(p)) for p in doc.iter(q("p"))]
    assert got == [
        ("Title", "标题"), ("XcByline", "某某"), ("XcByline", "（日期）"), ("XcSalutation", "同志们："),
        ("Heading1", "一、黑体"), ("Heading2", "（一）楷体"),
        ("Normal", "正文 A&B <b>续行〔待填：事项〕。"),
        ("Normal", "1.第一"), ("Normal", "2.第二"), ("XcSign", "落款单位"),
    ]
    names = {s.get(q("styleId")): s.find(q("name")).get(q("val")) for s in parts["word/styles.xml"].iter(q("style"))}
    assert names["XcSign"] == "落款" and names["XcSalutation"] == "称谓"


def test_output_is_reproducible(tmp_path):
    """The same page gives the same bytes (fixed timestamps, fixed order)."""
    div = _div("<h1>标题</h1><p>正文</p>")
    assert docx_out.render(div, _meta()) == docx_out.render(div, _meta())


def test_unsafe_file_name_is_refused(tmp_path):
    """A data-docx attribute cannot write outside the page's folder."""
    (tmp_path / "p.html").write_text('<div class="xc-doc" data-docx="../evil.docx"><p>x</p></div>', encoding="utf-8")
    with pytest.raises(ValueError):
        docx_out.build_all(tmp_path, edition_mod.from_file(CAMPAIGNS[0]))
    assert not (tmp_path.parent / "evil.docx").exists()
