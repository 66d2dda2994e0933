"""Measuring PDFs with poppler: pages, words and lines with their boxes, fonts, ink.

Shared by the print tests (Chromium's PDFs) and the office tests (LibreOffice's PDFs).
Points throughout, from the top left of the page.
"""

from __future__ import annotations

import functools
import html
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

MM = 72 / 25.4
A4 = (210 * MM, 297 * MM)
# GB/T 9704 margins.
TOP, BOTTOM, LEFT, RIGHT = 37 * MM, 35 * MM, 28 * MM, 26 * MM
PAGE_NO = re.compile(r"—\s*(\d+)\s*—")


def run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True, timeout=120).stdout


def page_size(pdf: Path) -> tuple[float, float]:
    m = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", run("pdfinfo", str(pdf)))
    return float(m.group(1)), float(m.group(2))


def page_count(pdf: Path) -> int:
    return int(re.search(r"Pages:\s+(\d+)", run("pdfinfo", str(pdf))).group(1))


def text_of(pdf: Path, first: int | None = None, last: int | None = None) -> str:
    args = ["pdftotext"]
    if first:
        args += ["-f", str(first), "-l", str(last or first)]
    return run(*args, str(pdf), "-")


def squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def fonts(pdf: Path) -> list[dict]:
    """pdffonts rows: name, type, embedded."""
    rows = []
    for line in run("pdffonts", str(pdf)).splitlines()[2:]:
        if not line.strip():
            continue
        m = re.match(r"(\S+)\s+(.+?)\s+(\S+)\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$", line)
        if m:
            rows.append({"name": m.group(1), "type": m.group(2).strip(), "embedded": m.group(4) == "yes"})
    return rows


@dataclass
class Word:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str

    @property
    def mid(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def height(self) -> float:
        return self.y1 - self.y0


def words(pdf: Path) -> list[list[Word]]:
    """Per page, the words pdftotext finds, with their boxes (read once per file)."""
    st = Path(pdf).stat()
    return _words(str(pdf), st.st_mtime_ns, st.st_size)


@functools.lru_cache(maxsize=512)
def _words(pdf: str, mtime_ns: int, size: int) -> list[list[Word]]:
    out = run("pdftotext", "-bbox", pdf, "-")
    pages = []
    for page in re.findall(r"<page [^>]*>(.*?)</page>", out, re.S):
        ws = []
        for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
                             page):
            x0, y0, x1, y1 = map(float, m.groups()[:4])
            ws.append(Word(x0, y0, x1, y1, html.unescape(m.group(5))))
        pages.append(ws)
    return pages


def lines(ws: list[Word], tolerance: float = 3.0) -> list[list[Word]]:
    """Words grouped into printed lines (same vertical middle), each sorted left to right,
    lines top to bottom."""
    out: list[list[Word]] = []
    for w in sorted(ws, key=lambda w: (w.mid, w.x0)):
        if out and abs(out[-1][0].mid - w.mid) <= tolerance:
            out[-1].append(w)
        else:
            out.append([w])
    return [sorted(line, key=lambda w: w.x0) for line in out]


def cells(text: str) -> float:
    """Width of a text in characters: a Chinese character or full-width mark is one, an
    ASCII character half."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1 for ch in text if not ch.isspace())


def body_lines(pdf: Path) -> list[list[list[Word]]]:
    """Per page, the lines of body text inside the 版心 (not the title, not the running
    header or the page number). Body text is the most common word height in the file:
    box heights follow each font's ascent and descent, which differ between producers."""
    from collections import Counter

    pages_words = words(pdf)
    heights = Counter(round(w.height, 1) for ws in pages_words for w in ws)
    if not heights:
        return [[] for _ in pages_words]
    body_h = heights.most_common(1)[0][0]
    pages = []
    for ws in pages_words:
        inside = [w for w in ws if TOP - 3 * MM < w.mid < A4[1] - BOTTOM + 2 * MM and not PAGE_NO.fullmatch(squash(w.text))]
        pages.append(lines([w for w in inside if abs(w.height - body_h) <= 0.05 * body_h]))
    return pages


def title_lines(pdf: Path) -> list[str]:
    """The lines of the first page set larger than the body text (the title)."""
    from collections import Counter

    pages_words = words(pdf)
    heights = Counter(round(w.height, 1) for ws in pages_words for w in ws)
    body_h = heights.most_common(1)[0][0]
    first = [w for w in pages_words[0] if w.height > body_h * 1.15]
    return [squash(line_text(ln)) for ln in lines(first)]


def line_text(line: list[Word]) -> str:
    return "".join(w.text for w in line)


def gaps(line: list[Word]) -> list[tuple[float, str, str]]:
    """The blank space between neighbouring words of a line, with the words."""
    return [(b.x0 - a.x1, a.text, b.text) for a, b in zip(line, line[1:])]
