"""Editable .docx files of the speeches and the announcement, laid out to GB/T 9704-2012.

`build_all(site_dir, edition)` runs after every build (macros/pipeline.py, finish): each
built page with `<div class="xc-doc" data-docx="name.docx">` gets `name.docx` beside it,
holding the same text as the page (the usage note and buttons are outside the div).

The layout lives in the *styles*, not in the runs, so a drafter who changes 标题 1 or
正文 in Word/WPS restyles the whole document:

- page: A4, margins 37/35/28/26 mm, a 22-line × 28-character grid (docGrid);
- Title: 2号 (22pt) 方正小标宋简体, centred; author and date lines 楷体, centred;
- Normal: 3号 (16pt) 仿宋_GB2312, first line indented two characters, exact 28.95pt;
- heading 1 / heading 2 (built-in names kept, so Word restyles instead of adding
  copies): 黑体 / 楷体_GB2312, 3号, indented like the text;
- footer: "— PAGE —" in 4号宋体, odd pages right and even pages left (evenAndOddHeaders);
- East Asian fonts named in w:eastAsia (ascii/hAnsi Times New Roman), theme fonts
  removed, language zh-CN;
- fill markers (〔待填：…〕) as yellow-highlighted runs.

Output is reproducible: core properties and zip timestamps come from the campaign's
start date, so the same campaign file gives byte-identical files.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import io
import logging
import math
import re
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, Twips
from lxml import html as lh

from ..output import fixed_zip

log = logging.getLogger("mkdocs.xc.docx")

# ---- GB/T 9704 numbers ----------------------------------------------------------------
# Margins in twips (1 mm = 56.69 twips): top 37, bottom 35, left 28, right 26 mm.
MARGINS = {"top": 2098, "bottom": 1984, "left": 1587, "right": 1474}
# 225 mm 版心 / 22 lines = 28.95pt = 579 twentieths of a point.
LINE_PITCH = 579
# The public announcement is posted as one sheet: 22pt leading, as print.css sets it
# (GB/T 9704 lets the 22-line grid be adjusted where a document needs it).
PUBLIC_PITCH = 440
PUBLIC_TITLE_PITCH = 600
# 156 mm line (442.2pt) / 28 characters = 15.79pt: 16pt characters drawn 0.25pt closer
# (w:spacing in twentieths of a point) put 28 on a line with 1.2pt to spare.
CHAR_SPACING = -5
# One character's advance on that grid, in twips (16pt = 320, less the 0.25pt).
CHAR_TWIPS = 320 + CHAR_SPACING
# Footer distance: the dashes of the page number sit about 7 mm below the 版心.
FOOTER_DISTANCE = Mm(22)
HEADER_DISTANCE = Mm(15)

LATIN = "Times New Roman"
FONT_BODY = "仿宋_GB2312"
FONT_H1 = "黑体"
FONT_H2 = "楷体_GB2312"
FONT_TITLE = "方正小标宋简体"
FONT_PAGE = "宋体"

# Custom paragraph styles: (style id, name shown in Word/WPS).
STYLE_BYLINE = ("XcByline", "讲话人与日期")
STYLE_SALUTATION = ("XcSalutation", "称谓")
STYLE_SIGN = ("XcSign", "落款")

SKIP_CLASSES = {"xc-usage", "xc-tools", "headerlink", "xc-noprint", "md-clipboard"}
_CJK = r"\u2e80-\u9fff\u3000-\u303f\uff00-\uffef〔〕“”‘’—…"
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\.docx$")


# ---- Entry point ---------------------------------------------------------------------


def build_all(site_dir, ed) -> list[Path]:
    """Write a .docx beside every built page that asks for one; return the files written."""
    site_dir = Path(site_dir)
    if not site_dir.is_dir():
        return []
    meta = _meta(ed)
    written = []
    for page in sorted(site_dir.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        if "data-docx" not in text:
            continue
        for div in _docs(text):
            name = div.get("data-docx", "").strip()
            if not _SAFE_NAME.match(name):
                # A page names its own download; nothing may escape the page's folder.
                raise ValueError(f"{page.relative_to(site_dir)}：data-docx=“{name}” 不是有效的 .docx 文件名")
            out = page.parent / name
            out.write_bytes(render(div, meta))
            written.append(out)
    if written:
        log.info("已生成 %d 个 Word 文档", len(written))
    return written


def _docs(text: str):
    doc = lh.fromstring(text)
    return doc.xpath('//div[contains(concat(" ", normalize-space(@class), " "), " xc-doc ")][@data-docx]')


def stamp_of(ed) -> dt.datetime:
    """The fixed date of an edition's files: midnight of its first day on site."""
    start = ed.dates.start
    return dt.datetime(start.year, start.month, start.day, 0, 0, 0)


def _meta(ed) -> dict:
    return {"stamp": stamp_of(ed), "author": ed.values.group.name, "label": ed.values.label,
            "name": f"巡察公告（巡察版本文件 {ed.path}）"}


# ---- One document --------------------------------------------------------------------


def render(div, meta: dict) -> bytes:
    """The .docx bytes for one `div.xc-doc` element."""
    classes = (div.get("class") or "").split()
    public = "xc-doc--public" in classes
    pitch = _public_pitch(div, meta.get("name", "")) if public else LINE_PITCH
    # Page, styles and footers are the same for every document of a kind: set up once
    # per process and copied (python-docx's set-up costs more than the text).
    doc = Document(io.BytesIO(_base(pitch, public)))

    w = _Writer(doc, "xc-doc--notice" in classes, pitch)
    w.block(div)
    # Document() starts with no paragraphs; if the page's div was empty, still valid.
    title = w.title or ""
    _trim_styles(doc)

    cp = doc.core_properties
    cp.title = title
    cp.author = meta["author"]
    cp.last_modified_by = meta["author"]
    cp.subject = ""
    cp.comments = ""
    cp.keywords = ""
    # The label belongs on internal documents only.
    cp.category = "" if public else meta["label"]
    cp.revision = 1
    cp.created = meta["stamp"]
    cp.modified = meta["stamp"]
    cp.last_printed = meta["stamp"]

    buf = io.BytesIO()
    doc.save(buf)
    return fixed_zip(buf.getvalue(), meta["stamp"],
                     {"word/fontTable.xml": FONT_TABLE, "docProps/app.xml": _app_xml()})


@functools.lru_cache(maxsize=8)
def _base(pitch: int, public: bool) -> bytes:
    """An empty document with the page, the styles and (for internal documents) the
    page-number footers."""
    doc = Document()
    _setup_styles(doc, pitch)
    _setup_page(doc, pitch)
    if not public:  # a public notice is one sheet: no page number
        _setup_footers(doc)
    _drop_template_extras(doc)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _public_pitch(div, name: str) -> int:
    """Leading (twips) that puts a public notice on one sheet: 22pt where it fits, else
    as much less as needed down to 18pt, the type staying 3号 (16pt). Lines are
    estimated as a converter sets them: 28 characters, Latin at half width plus a
    little space where it meets Chinese, a two-character first-line indent."""
    def cells(text: str) -> float:
        width = sum(0.5 if ord(ch) < 0x2E80 else 1 for ch in text)
        return width + 0.25 * sum(1 for a, b in zip(text, text[1:]) if (ord(a) < 0x2E80) != (ord(b) < 0x2E80))

    title_lines, body = 0, 0
    for el in div.iter("h1", "h2", "h3", "p", "li"):
        if _classes(el) & SKIP_CLASSES or any(_classes(a) & SKIP_CLASSES for a in el.iterancestors()):
            continue
        text = _squash(el.text_content())
        if not text:
            continue
        if el.tag == "h1":
            title_lines += len(el.xpath('.//br[contains(@class, "xc-tl-br")]')) + 1
        else:
            body += math.ceil((2 + cells(text)) / 28)
    # 版心 225 mm = 637.8pt: the title, one blank line under it and one above the
    # signature, the body lines. Lines snap to the document grid, so each 30pt title
    # line takes as many whole grid lines as it needs.
    pt = PUBLIC_PITCH / 20
    while pt > 18 and (math.ceil(PUBLIC_TITLE_PITCH / 20 / pt) * pt * title_lines + (body + 2) * pt) > 637.8:
        pt -= 0.5
    if math.ceil(PUBLIC_TITLE_PITCH / 20 / pt) * pt * title_lines + (body + 2) * pt > 637.8:
        log.warning("%s：公告内容较多，3号字一页放不下（约 %d 行）。请精简意见箱、来访地点等内容；"
                    "单位名称较长的，在版本文件中写 inspected.short（简称）；或在 Word 中调整后再印发。",
                    name or "巡察公告", body)
    return int(pt * 20)


class _Writer:
    """Walks the HTML of one document and appends paragraphs."""

    def __init__(self, doc, notice: bool, pitch: int = LINE_PITCH):
        self.doc = doc
        self._ids: dict[str, str] = {}
        self.pitch = pitch
        self.notice = notice
        self.title = None
        self.seen_heading = False
        self.prev_class = ""

    # Block level ---------------------------------------------------------------------

    def block(self, el, depth: int = 0):
        for child in el:
            if not isinstance(child.tag, str):
                continue  # comments, processing instructions
            if _classes(child) & SKIP_CLASSES or child.tag in ("script", "style", "template", "button"):
                continue
            tag = child.tag.lower()
            cls = _classes(child)
            if tag == "h1":
                p = self.para(child, "Title")
                self.title = self.title or _plain(child)
            elif tag == "h2":
                self.para(child, "Heading 1")
                self.seen_heading = True
            elif tag == "h3":
                self.para(child, "Heading 2")
                self.seen_heading = True
            elif tag in ("h4", "h5", "h6"):
                self.para(child, "Heading 3")
                self.seen_heading = True
            elif tag == "p":
                self.paragraph(child, cls)
            elif tag in ("ul", "ol"):
                self.list(child, ordered=(tag == "ol"), depth=depth)
            elif tag == "table":
                self.table(child)
            elif tag == "hr":
                continue
            elif tag == "pre":
                self.para(child, "Normal")
            elif "admonition-title" in cls:
                p = self.para(child, "Normal")
                for r in p.runs:
                    r.bold = True
            else:
                # div, section, blockquote, admonitions: their content, in order.
                self.block(child, depth)
            self.prev_class = " ".join(sorted(cls)) if tag == "p" else ""

    def paragraph(self, el, cls: set):
        if "xc-doc-author" in cls or "xc-doc-date" in cls:
            p = self.para(el, STYLE_BYLINE[1])
            # One blank line after the date line, as on paper.
            if "xc-doc-date" in cls:
                p.paragraph_format.space_after = Twips(self.pitch)
            return
        if "xc-doc-sign" in cls:
            p = self.para(el, STYLE_SIGN[1])
            # The page computed the GB/T 9704 offset in characters (blocks.sign_offsets).
            right = el.get("data-xc-right")
            if right:
                # Both forms: Word prefers *Chars (and would take the style's 2 characters
                # over a bare twips value); LibreOffice reads the twips.
                ind = _child(p._p.get_or_add_pPr(), "w:ind")
                ind.set(qn("w:rightChars"), str(round(float(right) * 100)))
                ind.set(qn("w:right"), str(round(float(right) * CHAR_TWIPS)))
                _order_ppr(p._p.pPr)
            if "xc-doc-sign" not in self.prev_class:
                p.paragraph_format.space_before = Twips(self.pitch)
            return
        text = _plain(el)
        if self._is_salutation(text, after_date="xc-doc-date" in self.prev_class):
            self.para(el, STYLE_SALUTATION[1])
            return
        self.para(el, "Normal")

    def _is_salutation(self, text: str, after_date: bool) -> bool:
        # 同志们： / 尊敬的…各位领导，同志们： — the line after the date (as print.css
        # sees it), or a short line ending in a colon before any heading.
        if self.notice or self.seen_heading:
            return False
        return after_date or (text.endswith("：") and len(text) <= 30)

    def list(self, el, ordered: bool, depth: int):
        n = 0
        for li in el:
            if not isinstance(li.tag, str) or li.tag.lower() != "li":
                continue
            n += 1
            prefix = f"{n}." if ordered else ""
            # Nested lists and block children become paragraphs of their own.
            inline_nodes, blocks = _split_li(li)
            p = self.add("Normal")
            if prefix:
                p.add_run(prefix)
            _Inline(p).fill(inline_nodes)
            for b in blocks:
                if b.tag.lower() in ("ul", "ol"):
                    self.list(b, ordered=b.tag.lower() == "ol", depth=depth + 1)
                else:
                    wrapper = lh.Element("div")
                    wrapper.append(copy.deepcopy(b))
                    self.block(wrapper, depth + 1)

    def table(self, el):
        rows = el.xpath("./thead/tr|./tbody/tr|./tr")
        if not rows:
            return
        width = max(len(r.xpath("./th|./td")) for r in rows)
        t = self.doc.add_table(rows=len(rows), cols=width)
        t.style = self.doc.styles["Table Grid"]
        cells = t._cells  # the grid once, not once per cell
        for i, r in enumerate(rows):
            for j, cell in enumerate(r.xpath("./th|./td")):
                target = cells[i * width + j].paragraphs[0]
                self._set_style(target, STYLE_SALUTATION[1])
                _Inline(target).fill([cell])
                if cell.tag == "th":
                    for run in target.runs:
                        run.bold = True

    def para(self, el, style: str):
        p = self.add(style)
        _Inline(p).fill([el], root=True)
        return p

    def add(self, style: str):
        p = self.doc.add_paragraph()
        self._set_style(p, style)
        return p

    def _set_style(self, p, style: str):
        # python-docx looks a style up by name with a scan of every style for each
        # paragraph; the ids are looked up once per document instead.
        sid = self._ids.get(style)
        if sid is None:
            sid = self._ids[style] = self.doc.styles[style].style_id
        if sid != "Normal":
            p._p.get_or_add_pPr().get_or_add_pStyle().val = sid
        else:
            ppr = p._p.pPr
            if ppr is not None and ppr.pStyle is not None:
                ppr._remove_pStyle()


class _Inline:
    """Runs of one paragraph: text, bold, italic, line breaks, highlighted fill markers.

    Text is collected first and written at the end, so whitespace between pieces can
    be judged with both neighbours in view (a line break of the Markdown source between
    two Chinese characters is no space at all)."""

    BREAK = object()

    def __init__(self, paragraph):
        self.p = paragraph
        self.parts: list[tuple[object, tuple]] = []

    def fill(self, nodes, root: bool = False):
        for node in nodes:
            if isinstance(node, str):
                self.text(node, ())
            elif root:
                self.text(node.text or "", ())
                for child in node:
                    self.node(child, ())
                    self.text(child.tail or "", ())
            else:
                self.node(node, ())
        self.flush()

    def node(self, el, fmt: tuple):
        if not isinstance(el.tag, str):
            return
        tag = el.tag.lower()
        cls = _classes(el)
        if cls & SKIP_CLASSES or tag in ("script", "style", "button"):
            return
        if tag == "br":
            self.parts.append((self.BREAK, fmt))
            return
        extra = set(fmt)
        if tag in ("strong", "b"):
            extra.add("bold")
        elif tag in ("em", "i"):
            extra.add("italic")
        if "xc-fill" in cls:
            extra.add("fill")
        fmt = tuple(sorted(extra))
        if "xc-break" in cls:
            # An e-mail address may break after @, dots and hyphens (zero-width spaces),
            # or a justified line before it would spread its letters apart.
            self.text(re.sub(r"([@./_-])", "\\1\u200b", el.text_content()), fmt)
            return
        self.text(el.text or "", fmt)
        for child in el:
            self.node(child, fmt)
            self.text(child.tail or "", fmt)

    def text(self, s: str, fmt: tuple):
        # Whitespace with a line break in it is a segment break of the Markdown source
        # ("\n"); other whitespace is a real space. Both are judged in flush().
        if s:
            self.parts.append((_WS.sub(lambda m: "\n" if "\n" in m.group(0) else " ", s), fmt))

    def flush(self):
        """Write the collected text as runs. Following CSS Text 3, a segment break
        between Chinese characters disappears (the source's line wrapping), other
        whitespace becomes one space; nothing at either end of the paragraph."""
        text = "".join("\0" if t is self.BREAK else t for t, _ in self.parts)
        keep = _keep_mask(text)
        out: list[list] = []
        pos = 0
        for t, fmt in self.parts:
            if t is self.BREAK:
                out.append([self.BREAK, fmt])
                pos += 1
                continue
            chars = []
            for ch in t:
                if keep[pos]:
                    chars.append(" " if ch == "\n" else ch)
                pos += 1
            piece = "".join(chars)
            if not piece:
                continue
            if out and out[-1][1] == fmt and out[-1][0] is not self.BREAK:
                out[-1][0] += piece
            else:
                out.append([piece, fmt])
        for s, fmt in out:
            if s is self.BREAK:
                self.p.add_run().add_break()
                continue
            run = self.p.add_run(s)
            if "bold" in fmt:
                run.bold = True
            if "italic" in fmt:
                run.italic = True
            if "fill" in fmt:
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        self.parts = []


_WS = re.compile(r"\s+")


def _keep_mask(text: str) -> list[bool]:
    """Which characters of the paragraph's text survive whitespace processing."""
    keep = [True] * len(text)
    n = len(text)
    for i, ch in enumerate(text):
        if ch not in " \n":
            continue
        # Previous surviving character and next non-blank character.
        j = i - 1
        while j >= 0 and not keep[j]:
            j -= 1
        prev = text[j] if j >= 0 else ""
        k = i + 1
        while k < n and text[k] in " \n":
            k += 1
        nxt = text[k] if k < n else ""
        if not prev or not nxt or prev in " \n\0" or nxt == "\0":
            keep[i] = False          # paragraph ends, line breaks, doubled spaces
        elif ch == "\n" and (_is_cjk(prev) or _is_cjk(nxt)):
            keep[i] = False          # source line wrap next to Chinese text
    return keep


def _is_cjk(ch: str) -> bool:
    return bool(ch) and re.match(f"[{_CJK}]", ch) is not None


def _split_li(li):
    """(inline content, block children) of a list item. The item's own text and its
    first <p> are the item's paragraph; nested lists and further blocks follow it."""
    inline, blocks = [li.text or ""], []
    took_p = False
    for child in li:
        if not isinstance(child.tag, str):
            inline.append(child.tail or "")
            continue
        tag = child.tag.lower()
        if tag in ("ul", "ol", "table", "div", "blockquote") or (tag == "p" and took_p):
            blocks.append(child)
        else:
            took_p = took_p or tag == "p"
            inline.append(child)
        if child.tail and child.tail.strip():
            inline.append(child.tail)
    return inline, blocks


def _classes(el) -> set:
    return set((el.get("class") or "").split())


def _squash(s: str) -> str:
    """Plain text with the same whitespace rules as the runs (see _keep_mask)."""
    s = _WS.sub(lambda m: "\n" if "\n" in m.group(0) else " ", s)
    keep = _keep_mask(s)
    return "".join((" " if ch == "\n" else ch) for ch, k in zip(s, keep) if k)


def _plain(el) -> str:
    return _squash(el.text_content()).strip()


# ---- Styles ----------------------------------------------------------------------------


def _set_fonts(rpr, east_asia: str, latin: str = LATIN):
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in list(rfonts.attrib):
        del rfonts.attrib[attr]
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)
    rfonts.set(qn("w:cs"), latin)


def _strip_theme_fonts(root):
    """Theme fonts (minorEastAsia…) would win over nothing and resolve to the template's
    Japanese/Latin faces: drop every w:*Theme attribute from w:rFonts."""
    for rfonts in root.iter(qn("w:rFonts")):
        for attr in list(rfonts.attrib):
            if attr.endswith("Theme") or attr == qn("w:cstheme"):
                del rfonts.attrib[attr]


def _child(parent, tag: str):
    el = parent.find(qn(tag))
    if el is None:
        el = OxmlElement(tag)
        parent.append(el)
    return el


def _remove(parent, *tags):
    for tag in tags:
        for el in parent.findall(qn(tag)):
            parent.remove(el)


def _style(doc, name: str, east_asia: str, size_pt: float, *, align=None, first_line_chars=2,
           bold=False, space_after=0, line=LINE_PITCH, keep_next=False, right_chars=0):
    style = doc.styles[name]
    el = style.element
    rpr = el.get_or_add_rPr()
    _set_fonts(rpr, east_asia)
    _remove(rpr, "w:color", "w:spacing", "w:kern", "w:i", "w:iCs")
    _remove(rpr, "w:b", "w:bCs", "w:sz", "w:szCs")
    if bold:
        _child(rpr, "w:b")
    for tag in ("w:sz", "w:szCs"):
        _child(rpr, tag).set(qn("w:val"), str(int(size_pt * 2)))
    if size_pt == 16:  # 3号 text keeps the 28-character line (see CHAR_SPACING)
        _child(rpr, "w:spacing").set(qn("w:val"), str(CHAR_SPACING))

    pf = style.paragraph_format
    ppr = el.get_or_add_pPr()
    _remove(ppr, "w:pBdr", "w:contextualSpacing")
    pf.space_before = Pt(0)
    pf.space_after = Twips(space_after)
    # Exact leading keeps the 22-line grid whatever font the machine substitutes.
    spacing = _child(ppr, "w:spacing")
    spacing.set(qn("w:line"), str(line))
    spacing.set(qn("w:lineRule"), "exact")
    # No extra space between Chinese and Latin letters or digits: a 公文 sets
    # "2026年12月1日" solid, and the signature offsets count on that.
    for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):
        _child(ppr, tag).set(qn("w:val"), "0")
    _order_ppr(ppr)
    if align is not None:
        pf.alignment = align
    ind = _child(ppr, "w:ind")
    for attr in list(ind.attrib):
        del ind.attrib[attr]
    # Character units (firstLineChars="200" = two characters) with the twip value as the
    # fallback for readers that ignore them; zero is written explicitly so nothing
    # inherits Normal's indent.
    ind.set(qn("w:firstLineChars"), str(first_line_chars * 100))
    ind.set(qn("w:firstLine"), str(int(first_line_chars * size_pt * 20)))
    if right_chars:
        ind.set(qn("w:rightChars"), str(right_chars * 100))
        ind.set(qn("w:right"), str(int(right_chars * size_pt * 20)))
    pf.keep_with_next = keep_next or None
    _order_ppr(ppr)
    _order_rpr(rpr)
    return style


def _paragraph_style(doc, style_id: str, name: str):
    styles = doc.styles
    try:
        return styles[name]
    except KeyError:
        pass
    st = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    st.element.set(qn("w:styleId"), style_id)
    st.base_style = styles["Normal"]
    st.next_paragraph_style = styles["Normal"]
    st.quick_style = True
    return st


def _sync_linked(doc, name: str):
    """Linked character styles (Heading1Char…) carry the template's blue theme fonts;
    give them the paragraph style's run properties."""
    el = doc.styles[name].element
    link = el.find(qn("w:link"))
    if link is None:
        return
    for s in doc.styles.element.findall(qn("w:style")):
        if s.get(qn("w:styleId")) == link.get(qn("w:val")):
            old = s.find(qn("w:rPr"))
            if old is not None:
                s.remove(old)
            s.append(copy.deepcopy(el.find(qn("w:rPr"))))


def _setup_styles(doc, pitch: int = LINE_PITCH):
    styles_el = doc.styles.element
    _strip_theme_fonts(styles_el)

    # docDefaults: 仿宋_GB2312 16pt, Chinese language, no space after paragraphs.
    defaults = styles_el.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr, FONT_BODY)
    for tag, val in (("w:sz", "32"), ("w:szCs", "32")):
        _child(rpr, tag).set(qn("w:val"), val)
    lang = _child(rpr, "w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    lang.set(qn("w:bidi"), "ar-SA")
    _order_rpr(rpr)
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    spacing = _child(ppr, "w:spacing")
    for attr in list(spacing.attrib):
        del spacing.attrib[attr]
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), str(pitch))
    spacing.set(qn("w:lineRule"), "exact")

    J = WD_ALIGN_PARAGRAPH
    _style(doc, "Normal", FONT_BODY, 16, align=J.JUSTIFY, line=pitch)
    _style(doc, "Title", FONT_TITLE, 22, align=J.CENTER, first_line_chars=0,
           space_after=pitch, line=700 if pitch == LINE_PITCH else PUBLIC_TITLE_PITCH)
    _style(doc, "Heading 1", FONT_H1, 16, align=J.JUSTIFY, keep_next=True, line=pitch)
    _style(doc, "Heading 2", FONT_H2, 16, align=J.JUSTIFY, keep_next=True, line=pitch)
    _style(doc, "Heading 3", FONT_BODY, 16, align=J.JUSTIFY, keep_next=True, line=pitch)
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        _sync_linked(doc, name)

    for sid, name in (STYLE_BYLINE, STYLE_SALUTATION, STYLE_SIGN):
        _paragraph_style(doc, sid, name)
    _style(doc, STYLE_BYLINE[1], FONT_H2, 16, align=J.CENTER, first_line_chars=0, keep_next=True, line=pitch)
    _style(doc, STYLE_SALUTATION[1], FONT_BODY, 16, align=J.LEFT, first_line_chars=0, line=pitch)
    _style(doc, STYLE_SIGN[1], FONT_BODY, 16, align=J.RIGHT, first_line_chars=0, right_chars=2, line=pitch)

    # Page numbers: 4号 宋体, also for the digits (GB/T 9704: 半角宋体阿拉伯数字).
    footer = doc.styles["Footer"]
    frpr = footer.element.get_or_add_rPr()
    _set_fonts(frpr, FONT_PAGE, latin=FONT_PAGE)
    _remove(frpr, "w:sz", "w:szCs")
    for tag in ("w:sz", "w:szCs"):
        _child(frpr, tag).set(qn("w:val"), "28")
    fppr = footer.element.get_or_add_pPr()
    _remove(fppr, "w:tabs")
    fsp = _child(fppr, "w:spacing")
    for attr in list(fsp.attrib):
        del fsp.attrib[attr]
    fsp.set(qn("w:after"), "0")
    fsp.set(qn("w:line"), "240")
    fsp.set(qn("w:lineRule"), "auto")
    find = _child(fppr, "w:ind")
    find.set(qn("w:firstLineChars"), "0")
    find.set(qn("w:firstLine"), "0")
    _order_ppr(fppr)
    _order_rpr(frpr)

    # Theme language: East Asian theme text is Chinese, not the template's ja-JP.
    settings = doc.settings.element
    tfl = settings.find(qn("w:themeFontLang"))
    if tfl is not None:
        tfl.set(qn("w:eastAsia"), "zh-CN")


def _trim_styles(doc):
    """Keep only the styles the document uses, the styles they are based on or linked
    to, and the defaults: python-docx's template carries 160-odd others, English quick
    styles included, that would show up in every reader's style list."""
    root = doc.styles.element
    by_id = {s.get(qn("w:styleId")): s for s in root.findall(qn("w:style"))}
    used = set()
    # Only footers that exist: reading `footer._element` of a section without one would
    # add an empty footer (the public notice has none).
    parts = [doc.element] + [f._element for sec in doc.sections for f in (sec.footer, sec.even_page_footer)
                             if not f.is_linked_to_previous]
    for part in parts:
        for tag in ("w:pStyle", "w:rStyle", "w:tblStyle"):
            for el in part.iter(qn(tag)):
                used.add(el.get(qn("w:val")))
    used |= {s.get(qn("w:styleId")) for s in by_id.values() if s.get(qn("w:default")) == "1"}
    todo = list(used)
    while todo:
        sid = todo.pop()
        st = by_id.get(sid)
        if st is None:
            continue
        for tag in ("w:basedOn", "w:link", "w:next"):
            ref = st.find(qn(tag))
            if ref is not None and ref.get(qn("w:val")) not in used:
                used.add(ref.get(qn("w:val")))
                todo.append(ref.get(qn("w:val")))
    for sid, st in by_id.items():
        if sid not in used:
            root.remove(st)
    latent = root.find(qn("w:latentStyles"))
    if latent is not None:
        root.remove(latent)


def _font(name, alt, panose, family, pitch="variable") -> str:
    alt_el = f'<w:altName w:val="{alt}"/>' if alt else ""
    charset = "86" if any(ord(c) > 0x2e7f for c in name) or alt else "00"
    return (f'<w:font w:name="{name}">{alt_el}<w:panose1 w:val="{panose}"/><w:charset w:val="{charset}"/>'
            f'<w:family w:val="{family}"/><w:pitch w:val="{pitch}"/></w:font>')


# The GB/T 9704 faces with the names Word, WPS and LibreOffice fall back to when a machine
# lacks them (altName), and their classification (panose, family), so that a converter
# without the fonts picks a Chinese serif, not a Japanese sans.
FONT_TABLE = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              '<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
              + _font("仿宋_GB2312", "仿宋", "02010609030101010101", "modern", "fixed")
              + _font("仿宋", "FangSong", "02010609060101010101", "modern", "fixed")
              + _font("方正小标宋简体", "华文中宋", "02000000000000000000", "script")
              + _font("华文中宋", "宋体", "02010600040101010101", "auto")
              + _font("楷体_GB2312", "楷体", "02010609030101010101", "modern", "fixed")
              + _font("楷体", "KaiTi", "02010609060101010101", "modern", "fixed")
              + _font("黑体", "SimHei", "02010609060101010101", "modern", "fixed")
              + _font("宋体", "SimSun", "02010600030101010101", "auto")
              + _font("Times New Roman", "", "02020603050405020304", "roman")
              + "</w:fonts>").encode("utf-8")


def _app_xml() -> bytes:
    """Document properties that name no application and no template author."""
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
            'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            "<Application>巡察工作指引与文书</Application><DocSecurity>0</DocSecurity>"
            "<ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate>"
            "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>"
            "</Properties>").encode("utf-8")


# Schema order matters to Word (it refuses files whose pPr/rPr children are out of order).
_PPR_ORDER = ["pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
              "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
              "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
              "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
              "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle",
              "rPr", "sectPr", "pPrChange"]
_RPR_ORDER = ["rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike",
              "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden",
              "color", "spacing", "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect",
              "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout",
              "specVanish", "oMath"]


def _order(el, order):
    rank = {qn(f"w:{t}"): i for i, t in enumerate(order)}
    children = list(el)
    children.sort(key=lambda c: rank.get(c.tag, len(order)))
    for c in children:
        el.remove(c)
    for c in children:
        el.append(c)


def _order_ppr(ppr):
    _order(ppr, _PPR_ORDER)


def _order_rpr(rpr):
    _order(rpr, _RPR_ORDER)


# ---- Page, grid and footers -------------------------------------------------------------


def _setup_page(doc, pitch: int = LINE_PITCH):
    sec = doc.sections[0]
    sec.start_type = WD_SECTION.NEW_PAGE
    sec.page_width = Twips(11906)   # 210 mm
    sec.page_height = Twips(16838)  # 297 mm
    sec.top_margin = Twips(MARGINS["top"])
    sec.bottom_margin = Twips(MARGINS["bottom"])
    sec.left_margin = Twips(MARGINS["left"])
    sec.right_margin = Twips(MARGINS["right"])
    sec.header_distance = HEADER_DISTANCE
    sec.footer_distance = FOOTER_DISTANCE
    sec.gutter = Twips(0)
    sect = sec._sectPr
    grid = sect.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect.append(grid)
    for attr in list(grid.attrib):
        del grid.attrib[attr]
    # Lines only: Word, WPS and LibreOffice all honour a line grid, while a character
    # grid (linesAndChars) is read differently by each. 28 characters a line come from
    # the body styles' character spacing instead (CHAR_SPACING).
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(pitch))


def _page_field(paragraph):
    """— PAGE — with a real field, so Word/WPS number every page."""
    paragraph.add_run("— ")

    def fld(kind):
        r = paragraph.add_run()
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        r._r.append(el)

    fld("begin")
    r = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    r._r.append(instr)
    fld("separate")
    paragraph.add_run("1")
    fld("end")
    paragraph.add_run(" —")


def _setup_footers(doc):
    """Odd pages: number on the right, one character in; even pages: on the left."""
    doc.settings.odd_and_even_pages_header_footer = True
    sec = doc.sections[0]
    for footer, align, side in ((sec.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
                                (sec.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left")):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        p.style = doc.styles["Footer"]
        p.alignment = align
        ind = _child(p._p.get_or_add_pPr(), "w:ind")
        ind.set(qn(f"w:{side}Chars"), "100")
        ind.set(qn(f"w:{side}"), "280")
        _order_ppr(p._p.get_or_add_pPr())
        _page_field(p)


def _drop_template_extras(doc):
    """python-docx's template carries a thumbnail of someone else's page and a Word 2010
    copy of the styles (stylesWithEffects) that still has the theme fonts."""
    pkg = doc.part.package
    for rel_id, rel in list(pkg.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            del pkg.rels[rel_id]
    for rel_id, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            del doc.part.rels[rel_id]
