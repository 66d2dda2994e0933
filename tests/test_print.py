"""Paper: built pages printed by the Debian chromium (print media, CSS page size), then
measured with poppler (pdfinfo, pdftotext -bbox, pdffonts).

GB/T 9704 for the speeches: A4, nothing inside the 37/26/35/28 mm margins but the
running header and "— N —", the 22-line grid; the announcement and the quick card
each on one sheet for every campaign; checklists print their boxes; the print pack
joins every document with its own page numbers.
"""

from __future__ import annotations

import concurrent.futures
import html
import re
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import html as lh

from conftest import CAMPAIGNS, ROOT

from macros import campaign as campaign_mod
from macros import pdf as pdfmod

MM = 72 / 25.4
A4 = (210 * MM, 297 * MM)
# GB/T 9704 margins, with the standard's ±1 mm and a little for glyph side bearings.
TOP, BOTTOM, LEFT, RIGHT = 37 * MM, 35 * MM, 28 * MM, 26 * MM
SLACK = 2 * MM
PAGE_NO = re.compile(r"—\s*(\d+)\s*—")
SPEECH = "speeches/leader-opening.html"


# ---- Helpers ------------------------------------------------------------------------


def run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True, timeout=120).stdout


def page_size(pdf: Path) -> tuple[float, float]:
    m = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", run("pdfinfo", str(pdf)))
    return float(m.group(1)), float(m.group(2))


def page_count(pdf: Path) -> int:
    return int(re.search(r"Pages:\s+(\d+)", run("pdfinfo", str(pdf))).group(1))


def words(pdf: Path) -> list[list[dict]]:
    """Per page, the words pdftotext finds, with their boxes in points from the top left."""
    out = run("pdftotext", "-bbox", str(pdf), "-")
    pages = []
    for page in re.findall(r"<page [^>]*>(.*?)</page>", out, re.S):
        ws = []
        for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
                             page):
            x0, y0, x1, y1 = map(float, m.groups()[:4])
            ws.append({"x0": x0, "y0": y0, "x1": x1, "y1": y1, "text": html.unescape(m.group(5))})
        pages.append(ws)
    return pages


def text_of(pdf: Path, first: int | None = None, last: int | None = None) -> str:
    args = ["pdftotext"]
    if first:
        args += ["-f", str(first), "-l", str(last or first)]
    return run(*args, str(pdf), "-")


def mid(w: dict) -> float:
    return (w["y0"] + w["y1"]) / 2


def ink_rows(pdf: Path, page: int, dpi: int = 72) -> tuple[list[int], list[tuple[int, int]]]:
    """Rows with ink on one page (y in points from the top) and, per row, the leftmost and
    rightmost inked x, from a greyscale rendering by pdftoppm."""
    data = subprocess.run(["pdftoppm", "-f", str(page), "-l", str(page), "-r", str(dpi), "-gray", str(pdf)],
                          check=True, capture_output=True, timeout=120).stdout
    m = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    w, h = int(m.group(1)), int(m.group(2))
    px = data[m.end():]
    rows, extent = [], []
    scale = 72 / dpi
    for y in range(h):
        line = px[y * w:(y + 1) * w]
        dark = [x for x in range(w) if line[x] < 128]
        if dark:
            rows.append(round(y * scale))
            extent.append((round(dark[0] * scale), round(dark[-1] * scale)))
    return rows, extent


def squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def header_strings(campaign_file: Path) -> list[str]:
    """The running header's two parts, from the campaign's derived values."""
    v = campaign_mod.values(campaign_mod.load(campaign_file))
    return [squash(v.print_header), squash(v.label)]


@pytest.fixture(scope="module")
def browser(chromium):
    return chromium


@pytest.fixture(scope="module")
def printed(browser, tmp_path_factory):
    """print(site, rel) → PDF path, printed once per page and edition."""
    out = tmp_path_factory.mktemp("printed")
    cache: dict[tuple[Path, str], Path] = {}

    def _print(site: Path, rel: str) -> Path:
        key = (site, rel)
        if key not in cache:
            _, data = pdfmod.print_page(browser, site / rel)
            path = out / f"{len(cache)}-{rel.replace('/', '_')}.pdf"
            path.write_bytes(data)
            cache[key] = path
        return cache[key]

    return _print


# ---- A speech on paper ------------------------------------------------------------------


def test_speech_is_a4(example_site, printed):
    w, h = page_size(printed(example_site, SPEECH))
    assert abs(w - A4[0]) < 1.5 and abs(h - A4[1]) < 1.5, (w, h)


def test_speech_text_stays_inside_gbt9704_margins(example_site, printed):
    pdf = printed(example_site, SPEECH)
    header = header_strings(ROOT / "campaigns" / "example.yml")
    pages = words(pdf)
    assert len(pages) >= 2, "the leader's speech should run to several pages"
    for n, ws in enumerate(pages, start=1):
        # Classified by the middle of each word: pdftotext's boxes use the font's full
        # ascent and descent, taller than the ink (ink is measured below).
        top = [w for w in ws if mid(w) < TOP]
        bottom = [w for w in ws if mid(w) > A4[1] - BOTTOM]
        body = [w for w in ws if w not in top and w not in bottom]
        assert body, f"page {n}: no text in the 版心"
        # The top margin holds the running header only, the bottom margin the page number.
        top_text = squash("".join(w["text"] for w in top))
        assert top_text and all(squash(w["text"]) in "".join(header) for w in top), \
            f"page {n}: unexpected text above the 版心: {top_text}"
        assert PAGE_NO.fullmatch(squash("".join(w["text"] for w in bottom))), \
            f"page {n}: bottom margin should hold only the page number, got {[w['text'] for w in bottom]}"
        assert int(PAGE_NO.search("".join(w["text"] for w in bottom)).group(1)) == n
        for w in body:
            assert w["x0"] >= LEFT - SLACK, f"page {n}: {w['text']} starts {w['x0'] / MM:.1f} mm from the left"
            assert w["x1"] <= A4[0] - RIGHT + SLACK, f"page {n}: {w['text']} ends in the right margin"
        # The text starts at the left margin (not pushed in by site layout).
        assert min(w["x0"] for w in body) <= LEFT + 3 * MM
    # Odd page numbers on the right, even ones on the left (GB/T 9704 7.5).
    for n, ws in enumerate(pages[:2], start=1):
        no = [w for w in ws if w["y0"] > A4[1] - BOTTOM + SLACK]
        centre = (min(w["x0"] for w in no) + max(w["x1"] for w in no)) / 2
        assert (centre > A4[0] / 2) == (n % 2 == 1), f"page {n}: number at {centre / MM:.0f} mm"
    assert re.search(r"—\s*1\s*—", text_of(pdf, 1))


def test_speech_ink_is_inside_the_type_area(example_site, printed):
    """Measured on the rendered page: between the running header and the page number
    there is no ink outside the 156 × 225 mm 版心."""
    pdf = printed(example_site, SPEECH)
    for n in (1, 2):
        rows, extent = ink_rows(pdf, n)
        header = [y for y in rows if y < 30 * MM]
        footer = [y for y in rows if y > A4[1] - 30 * MM]
        body = [(y, e) for y, e in zip(rows, extent) if 30 * MM <= y <= A4[1] - 30 * MM]
        assert header and footer and body, f"page {n}: header, body and page number expected"
        first, last = body[0][0], body[-1][0]
        assert first >= TOP - 1.5 * MM, f"page {n}: first ink {first / MM:.1f} mm from the top"
        assert last <= A4[1] - BOTTOM + 1.5 * MM, f"page {n}: ink {A4[1] / MM - last / MM:.1f} mm from the bottom"
        left = min(e[0] for _, e in body)
        right = max(e[1] for _, e in body)
        assert LEFT - 1.5 * MM <= left <= LEFT + 2 * MM, f"page {n}: text begins {left / MM:.1f} mm from the left"
        assert right <= A4[0] - RIGHT + 1.5 * MM, f"page {n}: text reaches {right / MM:.1f} mm"
        # The page number sits about 7 mm below the 版心 (GB/T 9704 7.5).
        assert A4[1] - BOTTOM + 3 * MM <= footer[0] <= A4[1] - BOTTOM + 12 * MM


def test_speech_body_is_on_the_22_line_grid(example_site, printed):
    pages = words(printed(example_site, SPEECH))
    # A full page in the middle of the speech: distinct baselines of the body text.
    ws = [w for w in pages[1] if TOP - SLACK < w["y0"] < A4[1] - BOTTOM]
    tops = sorted({round(w["y0"], 1) for w in ws})
    lines = [t for i, t in enumerate(tops) if i == 0 or t - tops[i - 1] > 5]
    gaps = sorted(b - a for a, b in zip(lines, lines[1:]))
    assert 20 <= len(lines) <= 22, f"{len(lines)} lines on page 2"
    pitch = gaps[len(gaps) // 2]
    assert abs(pitch - 28.95) < 0.6, f"line pitch {pitch:.2f} pt"
    # Full lines hold 28 characters of 3号 text (156 mm / 28).
    by_line: dict[float, int] = {}
    for w in ws:
        key = min(lines, key=lambda t: abs(t - w["y0"]))
        by_line[key] = by_line.get(key, 0) + len(w["text"])
    assert max(by_line.values()) in (28, 29), by_line


def test_no_site_chrome_on_paper(example_site, printed):
    page_html = (example_site / SPEECH).read_text(encoding="utf-8")
    article = squash(lh.fromstring(page_html).xpath("//article")[0].text_content())
    text = squash(text_of(printed(example_site, SPEECH)))
    site_name = re.search(r"^site_name:\s*(.+)$", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M).group(1)
    for chrome in [site_name, "搜索", "跳转至", "打印本页", "下载Word文档", "使用说明", "取消勾选"]:
        assert squash(chrome) not in text, f"site chrome on paper: {chrome}"
    # Titles of the other pages (navigation), unless the speech itself mentions them.
    doc = lh.fromstring(page_html)
    for t in doc.xpath('//nav[contains(@class, "md-nav--primary")]//a//text()'):
        t = squash(t)
        if len(t) >= 4 and t not in article:
            assert t not in text, f"navigation on paper: {t}"
    # The usage note stays on screen.
    for note in doc.xpath('//*[contains(concat(" ", @class, " "), " xc-usage ")]//p[not(contains(@class, "title"))]'):
        chunk = squash(note.text_content())[:20]
        assert chunk not in text, f"usage note on paper: {chunk}"


def test_fonts_are_embedded(example_site, printed):
    out = run("pdffonts", str(printed(example_site, SPEECH)))
    rows = [line for line in out.splitlines()[2:] if line.strip()]
    assert rows, "no fonts"
    for line in rows:
        m = re.search(r"\b(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$", line)
        assert m and m.group(1) == "yes", f"font not embedded: {line}"


# ---- One-sheet documents, checklists ---------------------------------------------------


@pytest.mark.parametrize("campaign_file", CAMPAIGNS, ids=[p.stem for p in CAMPAIGNS])
@pytest.mark.parametrize("rel", ["notices/announcement.html", "rules/quick-card.html"])
def test_one_sheet_documents_fit_one_page(edition, printed, campaign_file, rel):
    site = edition(campaign_file)
    pdf = printed(site, rel)
    assert page_count(pdf) == 1, f"{campaign_file.stem}: {rel} prints on {page_count(pdf)} pages"
    assert PAGE_NO.search(text_of(pdf))


def test_announcement_signature_is_right_aligned(example_site, printed):
    pdf = printed(example_site, "notices/announcement.html")
    doc = lh.parse(str(example_site / "notices/announcement.html")).getroot()
    signs = [squash(p.text_content()) for p in doc.xpath('//p[contains(@class, "xc-doc-sign")]')]
    assert signs
    ws = words(pdf)[0]
    for s in signs:
        hits = [w for w in ws if squash(w["text"]) and squash(w["text"]) in s]
        assert hits, s
        right = max(w["x1"] for w in hits)
        assert right > A4[0] - RIGHT - 20 * MM, f"signature {s} not at the right"


def test_checklist_prints_a_table_with_boxes(example_site, browser, printed):
    rel = "checklists/before-entry.html"
    text = squash(text_of(printed(example_site, rel)))
    assert "序号" in text
    page = browser.new_page()
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
          const cell = document.querySelector('.xc-doc--checklist table td');
          return {rows: rows.length, boxed: rows.filter(hasBox).length,
                  table: !!cell && visible(cell) && parseFloat(getComputedStyle(cell).borderTopWidth) > 0};
        }""")
    finally:
        page.close()
    assert result["rows"] > 0, "no checklist rows"
    assert result["table"], "checklist table has no ruled cells in print"
    assert result["boxed"] == result["rows"], f"rows without a printed box: {result}"


# ---- Print button and scripts ------------------------------------------------------------


def test_print_button_prints_and_pages_have_no_script_errors(example_site, browser):
    pages = sorted(p.relative_to(example_site).as_posix() for p in example_site.rglob("*.html"))
    errors: list[str] = []
    page = browser.new_page()
    page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
    page.on("console", lambda m: errors.append(f"{page.url}: {m.text}") if m.type == "error" else None)
    try:
        for rel in pages:
            page.goto((example_site / rel).resolve().as_uri(), wait_until="load")
        page.goto((example_site / SPEECH).resolve().as_uri(), wait_until="load")
        page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
        page.click("[data-xc-print]")
        assert page.evaluate("window.__printed") == 1
    finally:
        page.close()
    assert not errors, errors


# ---- The print pack ------------------------------------------------------------------------


def test_build_pack_joins_every_document(example_site, tmp_path):
    from pypdf import PdfReader

    # Playwright's sync API refuses to nest inside the module's open browser: own thread.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        out = pool.submit(pdfmod.build_pack, example_site, tmp_path / "pack.pdf").result(timeout=600)
    reader = PdfReader(str(out))
    expected = [rel for rel in pdfmod.DOCUMENTS if (example_site / rel).is_file()]
    assert len(expected) >= 5
    starts = [reader.get_destination_page_number(o) for o in reader.outline]
    assert len(starts) == len(expected), "one bookmark per document"
    assert starts == sorted(starts) and starts[0] == 0
    assert len(reader.pages) > len(expected)
    # Every document starts again at "— 1 —"; the page before it is the previous one's last.
    for s in starts:
        assert re.search(r"—\s*1\s*—", text_of(out, s + 1)), f"document at page {s + 1} not numbered from 1"
    assert page_size(out)[0] == pytest.approx(A4[0], abs=1.5)


def test_pdf_command_line(example_site, tmp_path):
    out = tmp_path / "one.pdf"
    r = subprocess.run([sys.executable, "-m", "macros.pdf", str(example_site), str(out), "rules/quick-card.html"],
                       cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert page_count(out) == 1
    bad = subprocess.run([sys.executable, "-m", "macros.pdf", str(example_site), str(tmp_path / "x.pdf"),
                          "no/such-page.html"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert bad.returncode != 0 and not (tmp_path / "x.pdf").exists()
