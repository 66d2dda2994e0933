"""Paper: built pages printed by the Debian chromium (print media, CSS page size), then
measured with poppler (pdfinfo, pdftotext -bbox, pdffonts, pdftoppm).

GB/T 9704 for the speeches: A4, nothing inside the 37/26/35/28 mm margins but the
running header and "— N —", the 22-line grid of 28 characters. The announcement is a
public notice: one sheet, no label, no running header, no page number, no bullets, the
unsealed signature block. Every printable page is A4 without site chrome; tables
repeat their header on each page. The print pack joins every document and embeds no
Type 3 font.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys

import pytest
from lxml import html as lh

from conftest import ALL_CAMPAIGNS, ROOT, variant
from paper import (A4, BOTTOM, LEFT, MM, PAGE_NO, RIGHT, TOP, body_lines, cells, fonts, gaps, line_text,
                   lines, page_count, page_size, squash, text_of, words)

from macros import edition as edition_mod

SPEECH = "speeches/leader-opening.html"
ANNOUNCEMENT = "notices/announcement.html"
SLACK = 2 * MM


def header_strings(campaign_file) -> list[str]:
    """The running header's two parts: the edition's short description and its label."""
    v = edition_mod.from_file(campaign_file).values
    return [squash(v.print_header), squash(v.label)]


def printable(site) -> list[str]:
    """The edition's printable pages, from its manifest (documents.yml: print: true)."""
    data = json.loads((site / ".xc-edition.json").read_text(encoding="utf-8"))
    return [d["url"] for d in data["documents"] if d.get("print")]


# ---- A speech on paper ------------------------------------------------------------------


def test_speech_is_a4_inside_the_gbt9704_margins(example_site, printed):
    """Every page of the speech: A4, body text inside the 版心, the running header above
    it, the page number below it, odd numbers right and even numbers left."""
    pdf = printed(example_site, SPEECH)
    w, h = page_size(pdf)
    assert abs(w - A4[0]) < 1.5 and abs(h - A4[1]) < 1.5, (w, h)
    header = header_strings(ROOT / "campaigns" / "example.yml")
    pages = words(pdf)
    assert len(pages) >= 4, "the leader's speech runs to several pages"
    for n, ws in enumerate(pages, start=1):
        top = [x for x in ws if x.mid < TOP]
        bottom = [x for x in ws if x.mid > A4[1] - BOTTOM]
        body = [x for x in ws if x not in top and x not in bottom]
        assert body, f"page {n}: no text in the 版心"
        top_text = squash("".join(x.text for x in top))
        assert top_text and all(squash(x.text) in "".join(header) for x in top), \
            f"page {n}: unexpected text above the 版心: {top_text}"
        number = squash("".join(x.text for x in bottom))
        assert PAGE_NO.fullmatch(number) and int(PAGE_NO.fullmatch(number).group(1)) == n, \
            f"page {n}: bottom margin holds {number!r}"
        for x in body:
            assert x.x0 >= LEFT - SLACK and x.x1 <= A4[0] - RIGHT + SLACK, f"page {n}: {x.text} outside the 版心"
        centre = (min(x.x0 for x in bottom) + max(x.x1 for x in bottom)) / 2
        assert (centre > A4[0] / 2) == (n % 2 == 1), f"page {n}: number at {centre / MM:.0f} mm"


def test_speech_body_is_on_the_22_line_grid(example_site, printed):
    """A full page holds 22 lines 28.95pt apart, and a full line 28 characters."""
    pages = body_lines(printed(example_site, SPEECH))
    page = pages[1]
    assert 20 <= len(page) <= 22, f"{len(page)} lines on page 2"
    tops = [ln[0].y0 for ln in page]
    pitches = sorted(b - a for a, b in zip(tops, tops[1:]))
    assert abs(pitches[len(pitches) // 2] - 28.95) < 0.6, pitches
    widths = [cells(line_text(ln)) + round((ln[0].x0 - LEFT) / 16) for ln in page
              if not any(ch.isascii() for ch in line_text(ln))]
    assert max(widths) in (28, 28.5, 29), widths


def test_no_site_chrome_on_paper(example_site, printed):
    """Navigation, search, buttons and usage notes stay on screen."""
    page_html = (example_site / SPEECH).read_text(encoding="utf-8")
    doc = lh.fromstring(page_html)
    article = squash(doc.xpath("//article")[0].text_content())
    text = squash(text_of(printed(example_site, SPEECH)))
    for chrome in ["搜索", "跳转至", "打印本页", "下载Word文档", "使用说明", "取消勾选"]:
        assert chrome not in text, f"site chrome on paper: {chrome}"
    for t in doc.xpath('//nav[contains(@class, "md-nav--primary")]//a//text()'):
        t = squash(t)
        if len(t) >= 4 and t not in article:
            assert t not in text, f"navigation on paper: {t}"
    for note in doc.xpath('//*[contains(concat(" ", @class, " "), " xc-usage ")]//p[not(contains(@class, "title"))]'):
        chunk = squash(note.text_content())[:20]
        assert chunk not in text, f"usage note on paper: {chunk}"


@pytest.mark.parametrize("rel", [SPEECH, "speeches/unit-pledge.html", "feedback/leader-speech.html", ANNOUNCEMENT])
def test_no_letters_spread_apart(example_site, printed, rel):
    """No printed line of running text opens a gap wider than half a character between
    neighbouring words (a justified line before an unbreakable e-mail address did)."""
    for n, page in enumerate(body_lines(printed(example_site, rel)), start=1):
        for line in page:
            wide = [g for g in gaps(line) if g[0] > 8.0]
            assert not wide, f"{rel} page {n}: gap in {line_text(line)!r}: {wide[:2]}"


def test_contact_numbers_and_times_do_not_break(example_site, printed):
    """The phone number and each time range of the speech's contact sentence are printed
    on one line; the e-mail address may break."""
    campaign = edition_mod.from_file(ROOT / "campaigns" / "example.yml").campaign
    text_lines = [squash(line_text(ln)) for page in body_lines(printed(example_site, SPEECH)) for ln in page]
    phone = campaign.contact.phone
    assert any(phone in ln for ln in text_lines), f"{phone} split across lines"
    for t in re.findall(r"\d{1,2}:\d{2}—\d{1,2}:\d{2}", campaign.contact.hours):
        assert any(t in ln for ln in text_lines), f"{t} split across lines"


# ---- The announcement: a public notice on one sheet ----------------------------------------


@pytest.mark.parametrize("campaign_file", ALL_CAMPAIGNS, ids=[p.stem for p in ALL_CAMPAIGNS])
def test_announcement_is_one_public_sheet(edition, printed, campaign_file):
    """One page; no label, no running header and no page number; no bullets; the
    contact lines as text."""
    site = edition(campaign_file)
    pdf = printed(site, ANNOUNCEMENT)
    assert page_count(pdf) == 1, f"{campaign_file.stem}: the announcement prints on {page_count(pdf)} pages"
    ws = words(pdf)[0]
    assert not [w.text for w in ws if w.mid < TOP - 3 * MM], "text above the 版心 (running header or label)"
    assert not [w.text for w in ws if w.mid > A4[1] - BOTTOM + 2 * MM], "text below the 版心 (page number)"
    text = text_of(pdf)
    v = edition_mod.from_file(campaign_file).values
    assert squash(v.label) not in squash(text)
    assert not re.search(r"[•●▪◦·]", text), "list bullets on the announcement"
    div = lh.parse(str(site / ANNOUNCEMENT)).getroot().xpath('//div[@data-docx]')[0]
    assert not div.xpath(".//ul|.//ol"), "the announcement is set as paragraphs, not lists"


def test_announcement_signature_is_the_unsealed_form(example_site, printed):
    """GB/T 9704, unsealed: the issuer two characters from the right edge, the date on
    the next line starting two characters right of the issuer's first character."""
    campaign = edition_mod.from_file(ROOT / "campaigns" / "example.yml")
    name, date = campaign.values.group.signature, campaign.values.dates.start
    page = [ln for ln in lines(words(printed(example_site, ANNOUNCEMENT))[0])]
    [sign] = [ln for ln in page if squash(line_text(ln)) == squash(name)]
    [when] = [ln for ln in page if squash(line_text(ln)) == squash(date)]
    char = 16.0
    right_edge = A4[0] - RIGHT
    assert abs((right_edge - sign[-1].x1) / char - 2) <= 0.35, f"issuer ends {(right_edge - sign[-1].x1) / char:.2f} chars in"
    assert abs((when[0].x0 - sign[0].x0) / char - 2) <= 0.35, f"date starts {(when[0].x0 - sign[0].x0) / char:.2f} chars right"
    assert when[0].y0 > sign[0].y0


def test_an_announcement_that_cannot_fit_says_so(tmp_path):
    """A campaign with more mailboxes than one sheet holds fails the build with a
    Chinese message, instead of printing the notice in type below 3号."""
    from macros import pipeline

    data = variant(ROOT / "campaigns" / "example.yml",
                   contact__mailboxes=[f"第{i}号办公楼一层大厅东侧楼梯口右手边（靠近值班室和收发室）" for i in range(1, 21)])
    path = tmp_path / "crowded.yml"
    import yaml
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(Exception) as err:
        pipeline.build_site(edition_mod.from_file(path), tmp_path / "site")
    assert "一页放不下" in str(err.value) or "一页放不下" in repr(err.value.__dict__)


# ---- Every printable page ---------------------------------------------------------------


@pytest.mark.parametrize("rel", ["talks/schedule.html", "checklists/materials.html", "rectification/plan.html"])
def test_long_tables_repeat_their_header_and_keep_rows_whole(example_site, printed, chromium, rel):
    """A table running over pages repeats its header row at the top of each page, and no
    row is split between two pages."""
    doc = lh.parse(str(example_site / rel)).getroot()
    tables = doc.xpath('//article//table[thead]')
    assert tables, f"{rel}: no table with a header row"
    pdf = printed(example_site, rel)
    pages = words(pdf)
    heads = [squash(th.text_content()) for th in tables[0].xpath(".//thead//th")]
    heads = [h for h in heads if h]
    if len(pages) < 2:
        pytest.skip(f"{rel} fits one page in this edition")
    # Every page that continues the first table starts with its header cells.
    for n, ws in enumerate(pages[1:], start=2):
        text = squash("".join(w.text for w in sorted(ws, key=lambda w: (round(w.mid), w.x0))))
        if any(h in text for h in heads):
            continue
        pytest.fail(f"{rel} page {n}: the table's header row is not repeated ({heads})")
    page = chromium.new_page()
    try:
        page.goto((example_site / rel).resolve().as_uri())
        page.emulate_media(media="print")
        styles = page.evaluate("""() => [...document.querySelectorAll('article table')].map(t => ({
            head: t.tHead ? getComputedStyle(t.tHead).display : null,
            rows: [...t.tBodies].flatMap(b => [...b.rows]).map(r => getComputedStyle(r).breakInside)}))""")
    finally:
        page.close()
    for st in styles:
        if st["head"] is not None:
            assert st["head"] == "table-header-group", st
        assert set(st["rows"]) <= {"avoid"}, f"{rel}: rows may split across pages: {set(st['rows'])}"


def test_checklist_prints_a_table_with_boxes(example_site, chromium):
    """Each checklist row prints a box to tick by hand."""
    rel = "checklists/before-entry.html"
    page = chromium.new_page()
    try:
        page.goto((example_site / rel).resolve().as_uri())
        page.emulate_media(media="print")
        result = page.evaluate("""() => {
          const rows = [...document.querySelectorAll('.xc-doc--checklist table tbody tr')];
          const visible = el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
          const boxed = el => {
            const s = getComputedStyle(el), r = el.getBoundingClientRect();
            const sides = ['Top', 'Right', 'Bottom', 'Left'];
            const border = sides.every(k => parseFloat(s['border' + k + 'Width']) > 0 && s['border' + k + 'Style'] !== 'none');
            return border && r.width >= 6 && r.width <= 40 && Math.abs(r.width - r.height) < 3;
          };
          const hasBox = tr => [...tr.querySelectorAll('*')].some(el =>
            visible(el) && (boxed(el) || (el.matches('input[type=checkbox]') && getComputedStyle(el).appearance !== 'none')));
          return {rows: rows.length, boxed: rows.filter(hasBox).length};
        }""")
    finally:
        page.close()
    assert result["rows"] > 0 and result["boxed"] == result["rows"], result


# ---- The print pack ------------------------------------------------------------------------


def test_print_pack_joins_every_document_with_real_fonts(example_site, tmp_path):
    """The pack holds every printable document in manifest order, each numbered from
    "— 1 —", every page A4 without site chrome, and embeds every font as CID/TrueType,
    none as Type 3."""
    from pypdf import PdfReader

    out = tmp_path / "pack.pdf"
    r = subprocess.run([sys.executable, "-m", "macros.outputs.pdf", str(example_site), str(out)],
                       cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    reader = PdfReader(str(out))
    expected = printable(example_site)
    titles = [o.title for o in reader.outline]
    assert len(titles) == len(expected), "one bookmark per document"
    starts = [reader.get_destination_page_number(o) for o in reader.outline]
    assert starts == sorted(starts) and starts[0] == 0
    # Printed in groups, each document has the pages it has when printed alone (with the
    # pack's fonts; the async printer runs on its own thread, away from other browsers).
    import concurrent.futures

    from macros.outputs import pdf

    def one_by_one():
        printer = pdf.Printer()
        try:
            return [len(PdfReader(io.BytesIO(data)).pages)
                    for _, data in printer.print_pages([example_site / rel for rel in expected])]
        finally:
            printer.close()

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        alone = pool.submit(one_by_one).result(timeout=600)
    bounds = starts + [len(reader.pages)]
    assert [b - a for a, b in zip(bounds, bounds[1:])] == alone
    # Every document is numbered 1, 2, 3… on its own pages (the public notice not at all).
    pages_text = text_of(out).split("\f")
    for (a, b), title, rel in zip(zip(bounds, bounds[1:]), titles, expected):
        numbers = [PAGE_NO.findall(squash(pages_text[k])) for k in range(a, b)]
        if rel == ANNOUNCEMENT:
            assert numbers == [[]], f"{title}: {numbers}"
        else:
            assert [n[-1] if n else None for n in numbers] == [str(k) for k in range(1, b - a + 1)], \
                f"{title}: page numbers {numbers}"
    # Every page of every document: A4, no navigation or buttons.
    for n in range(1, len(reader.pages) + 1):
        box = reader.pages[n - 1].mediabox
        assert abs(float(box.width) - A4[0]) < 1.5 and abs(float(box.height) - A4[1]) < 1.5, f"page {n}"
    text = squash(text_of(out))
    for chrome in ["跳转至", "打印本页", "下载Word文档", "使用说明", "清除勾选", "导出勾选"]:
        assert chrome not in text, f"{chrome} on paper"
    rows = fonts(out)
    assert rows and all(f["embedded"] for f in rows), rows
    assert not [f for f in rows if "Type 3" in f["type"]], [f for f in rows if "Type 3" in f["type"]]
    print(f"\nprint pack: {len(reader.pages)} pages, {out.stat().st_size / 1e6:.1f} MB")


def test_pdf_command_line_refuses_a_missing_page(example_site, tmp_path):
    """A page that is not in the edition is refused in Chinese and no PDF is left."""
    bad = subprocess.run([sys.executable, "-m", "macros.outputs.pdf", str(example_site), str(tmp_path / "x.pdf"),
                          "no/such-page.html"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert bad.returncode != 0 and not (tmp_path / "x.pdf").exists()
    assert "缺少页面" in bad.stderr and "Traceback" not in bad.stderr
