"""The .docx downloads: present in every edition, GB/T 9704 page setup and styles, and
the same text as the page they come from (usage note excluded).

The files are unzipped and the WordprocessingML is read directly, as Word/WPS would.
"""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lh

from conftest import CAMPAIGNS

from macros import campaign as campaign_mod
from macros import docx_export

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
DOCS = {
    "speeches/leader-opening.docx": "speeches/leader-opening.html",
    "speeches/unit-pledge.docx": "speeches/unit-pledge.html",
    "notices/announcement.docx": "notices/announcement.html",
}


def q(name: str) -> str:
    return f"{{{W}}}{name}"


def read_docx(path: Path) -> dict[str, etree._Element]:
    with zipfile.ZipFile(path) as z:
        parts = {n: etree.fromstring(z.read(n)) for n in z.namelist() if n.endswith(".xml")}
    return parts


def paragraphs(root) -> list[str]:
    return ["".join(p.itertext()) for p in root.iter(q("p"))]


def body_text(parts) -> str:
    return "".join("".join(t.text or "" for t in p.iter(q("t"))) for p in parts["word/document.xml"].iter(q("p")))


def no_space(s: str) -> str:
    return re.sub(r"\s+", "", s)


def style(parts, style_id: str):
    found = parts["word/styles.xml"].xpath(f'//w:style[@w:styleId="{style_id}"]', namespaces=NS)
    assert found, f"style {style_id} missing"
    return found[0]


def east_asia(style_el) -> str | None:
    rf = style_el.find(f"{q('rPr')}/{q('rFonts')}")
    return None if rf is None else rf.get(q("eastAsia"))


def expected_names(campaign_file: Path) -> tuple[str, str]:
    """The inspected organisation and the group's name, as the edition states them."""
    model = campaign_mod.load(campaign_file)
    ctx = campaign_mod.context(model)
    return html.unescape(ctx.inspected.org), html.unescape(ctx.group.name)


@pytest.fixture(scope="module", params=CAMPAIGNS, ids=[p.stem for p in CAMPAIGNS])
def built(request, edition):
    return request.param, edition(request.param)


def test_every_edition_has_the_three_documents(built):
    campaign_file, site = built
    org, group = expected_names(campaign_file)
    for rel in DOCS:
        path = site / rel
        assert path.is_file(), f"{campaign_file.name}: {rel} missing"
        parts = read_docx(path)
        text = body_text(parts)
        assert org in text, f"{rel}: inspected organisation {org} not in the text"
        assert group in text, f"{rel}: group name {group} not in the text"


@pytest.mark.parametrize("rel", list(DOCS))
def test_page_setup_is_gbt9704(built, rel):
    _, site = built
    parts = read_docx(site / rel)
    sect = parts["word/document.xml"].find(f".//{q('sectPr')}")
    size = sect.find(q("pgSz"))
    assert (size.get(q("w")), size.get(q("h"))) == ("11906", "16838"), "A4"
    mar = sect.find(q("pgMar"))
    assert {k: mar.get(q(k)) for k in ("top", "bottom", "left", "right")} == {
        "top": "2098", "bottom": "1984", "left": "1587", "right": "1474"}
    grid = sect.find(q("docGrid"))
    assert grid.get(q("type")) == "linesAndChars"
    assert grid.get(q("linePitch")) == "579"
    # 22 lines of 28 characters: 225 mm / 579 twips and 156 mm / 28.
    assert round((16838 - 2098 - 1984) / 579) == 22


@pytest.mark.parametrize("rel", list(DOCS))
def test_styles_carry_the_fonts(built, rel):
    _, site = built
    parts = read_docx(site / rel)
    styles = parts["word/styles.xml"]
    normal = style(parts, "Normal")
    assert east_asia(normal) == "仿宋_GB2312"
    assert normal.find(f"{q('rPr')}/{q('sz')}").get(q("val")) == "32"
    ind = normal.find(f"{q('pPr')}/{q('ind')}")
    assert ind.get(q("firstLine")) == "640", "first-line indent 32pt (two characters)"
    # Built-in names kept, so Word restyles 标题 1/标题 2 instead of adding copies.
    h1, h2, title = style(parts, "Heading1"), style(parts, "Heading2"), style(parts, "Title")
    assert h1.find(q("name")).get(q("val")) == "heading 1"
    assert h2.find(q("name")).get(q("val")) == "heading 2"
    assert east_asia(h1) == "黑体"
    assert east_asia(h2) == "楷体_GB2312"
    assert east_asia(title) == "方正小标宋简体"
    assert title.find(f"{q('rPr')}/{q('sz')}").get(q("val")) == "44"
    assert title.find(f"{q('pPr')}/{q('jc')}").get(q("val")) == "center"
    for rf in styles.iter(q("rFonts")):
        themed = [a for a in rf.attrib if a.endswith("Theme") or a.endswith("theme")]
        assert not themed, f"theme font attributes left in styles.xml: {themed}"
    lang = styles.find(f"{q('docDefaults')}/{q('rPrDefault')}/{q('rPr')}/{q('lang')}")
    assert lang.get(q("eastAsia")) == "zh-CN"


@pytest.mark.parametrize("rel", list(DOCS))
def test_footer_has_a_page_field(built, rel):
    _, site = built
    parts = read_docx(site / rel)
    footers = [v for k, v in parts.items() if re.fullmatch(r"word/footer\d+\.xml", k)]
    assert footers, "no footer part"
    for f in footers:
        instr = "".join(t.text or "" for t in f.iter(q("instrText")))
        assert "PAGE" in instr, "footer without a PAGE field"
        assert [c.get(q("fldCharType")) for c in f.iter(q("fldChar"))] == ["begin", "separate", "end"]
        text = "".join(t.text or "" for t in f.iter(q("t")))
        assert text.startswith("— ") and text.endswith(" —"), text
    settings = parts["word/settings.xml"]
    assert settings.find(q("evenAndOddHeaders")) is not None, "odd/even page numbers need evenAndOddHeaders"


@pytest.mark.parametrize("rel", list(DOCS))
def test_same_text_as_the_page_without_the_usage_note(built, rel):
    _, site = built
    parts = read_docx(site / rel)
    text = no_space(body_text(parts))
    page = lh.parse(str(site / DOCS[rel])).getroot()
    div = page.xpath('//div[contains(concat(" ", @class, " "), " xc-doc ")][@data-docx]')[0]
    blocks = div.xpath(".//h1|.//h2|.//h3|.//h4|.//p|.//li[not(p)]")
    assert blocks
    for b in blocks:
        want = no_space(b.text_content())
        if want:
            assert want in text, f"{rel}: text of the page missing from the .docx: {want[:40]}"
    # Entities were decoded, not copied.
    assert "&lt;" not in text and "&amp;" not in text and "&#" not in text
    for note in page.xpath('//*[contains(concat(" ", @class, " "), " xc-usage ")]'):
        for p in note.xpath(".//p[not(contains(@class, 'admonition-title'))]"):
            chunk = no_space(p.text_content())[:30]
            if chunk:
                assert chunk not in text, f"{rel}: usage note in the .docx: {chunk}"
    for tool in ("打印本页", "下载 Word 文档", "使用说明"):
        assert no_space(tool) not in text


@pytest.mark.parametrize("rel", list(DOCS))
def test_fill_markers_are_highlighted(built, rel):
    _, site = built
    parts = read_docx(site / rel)
    page = lh.parse(str(site / DOCS[rel])).getroot()
    fills = page.xpath('//div[@data-docx]//span[contains(concat(" ", @class, " "), " xc-fill ")]')
    marked = []
    for r in parts["word/document.xml"].iter(q("r")):
        t = "".join(x.text or "" for x in r.iter(q("t")))
        if "〔待填：" in t:
            hl = r.find(f"{q('rPr')}/{q('highlight')}")
            assert hl is not None and hl.get(q("val")) == "yellow", f"{rel}: fill marker not highlighted: {t}"
            marked.append(t)
    assert len(marked) == len(fills), f"{rel}: {len(fills)} fill markers on the page, {len(marked)} in the .docx"


# ---- The converter itself, on small documents ---------------------------------------


class _St:
    """The slice of the build state the converter reads."""

    def __init__(self, campaign_file: Path):
        self.campaign = campaign_mod.load(campaign_file)


def _div(body: str, cls: str = "xc-doc"):
    page = lh.fromstring(f'<html><body><div class="{cls}" data-docx="t.docx">{body}</div></body></html>')
    return page.xpath("//div[@data-docx]")[0]


def _parts_of(data: bytes, tmp_path: Path) -> dict:
    path = tmp_path / "t.docx"
    path.write_bytes(data)
    return read_docx(path)


def test_converter_maps_elements_to_styles(tmp_path):
    div = _div('<h1>标题</h1><p class="xc-doc-author">某某</p><p class="xc-doc-date">（日期）</p>'
               "<p>同志们：</p><h2>一、黑体</h2><h3>（一）楷体</h3>"
               '<p>正文 A&amp;B &lt;b&gt;\n续行<span class="xc-fill">〔待填：事项〕</span>。</p>'
               '<ol><li>第一</li><li><p>第二</p></li></ol><p class="xc-doc-sign">落款单位</p>')
    meta = docx_export._meta(_St(CAMPAIGNS[0]))
    parts = _parts_of(docx_export.render(div, meta), tmp_path)
    doc = parts["word/document.xml"]
    got = [(p.find(f"{q('pPr')}/{q('pStyle')}").get(q("val")) if p.find(f"{q('pPr')}/{q('pStyle')}") is not None
            else "Normal", "".join(t.text or "" for t in p.iter(q("t")))) for p in doc.iter(q("p"))]
    assert got == [
        ("Title", "标题"), ("XcByline", "某某"), ("XcByline", "（日期）"), ("XcSalutation", "同志们："),
        ("Heading1", "一、黑体"), ("Heading2", "（一）楷体"),
        ("Normal", "正文 A&B <b>续行〔待填：事项〕。"),
        ("Normal", "1.第一"), ("Normal", "2.第二"), ("XcSign", "落款单位"),
    ]
    hl = [r for r in doc.iter(q("r")) if r.find(f"{q('rPr')}/{q('highlight')}") is not None]
    assert ["".join(t.text for t in r.iter(q("t"))) for r in hl] == ["〔待填：事项〕"]
    sign = style(parts, "XcSign")
    assert sign.find(f"{q('pPr')}/{q('jc')}").get(q("val")) == "right"


def test_output_is_reproducible(tmp_path):
    div = _div("<h1>标题</h1><p>正文</p>")
    meta = docx_export._meta(_St(CAMPAIGNS[0]))
    a, b = docx_export.render(div, meta), docx_export.render(div, meta)
    assert a == b
    core = _parts_of(a, tmp_path)["docProps/core.xml"]
    created = core.find("{http://purl.org/dc/terms/}created").text
    assert created.startswith(str(_St(CAMPAIGNS[0]).campaign.dates.start))


def test_unsafe_file_name_is_refused(tmp_path):
    (tmp_path / "p.html").write_text('<div class="xc-doc" data-docx="../evil.docx"><p>x</p></div>',
                                     encoding="utf-8")
    with pytest.raises(ValueError):
        docx_export.build_all(tmp_path, _St(CAMPAIGNS[0]))
    assert not (tmp_path.parent / "evil.docx").exists()
