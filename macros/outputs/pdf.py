"""The print pack: every printable document of a built edition in one PDF.

The pages are printed by the Debian chromium through Playwright as a reader's browser
prints them (print media, the page size and margins from print.css), a few documents
per call (macros/outputs/pack.py: page numbers restarting at 1 for each document are
laid over afterwards), in the tabs of one browser kept for many editions; pypdf joins
them once, one bookmark per document, in the order of the edition's manifest (the
site's nav; print: true in documents.yml).

Fonts: Chromium embeds CFF-outline CJK fonts (Noto CJK) as Type 3, which some print
shops' RIPs refuse. The pack is therefore printed with Debian's TrueType CJK faces
(AR PL UMing/UKai, WenQuanYi Zen Hei, installed by `make setup`), which Chromium
embeds as CID TrueType. A reader printing from a browser gets the fonts of their own
machine (the GB/T 9704 faces where installed).

    python -m macros.outputs.pdf SITE_DIR OUT.pdf [speeches/leader-opening.html …]

Playwright's own browser download is never used (`playwright install` is not run):
editions are built on intranet machines that only have the distribution's chromium.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import sys
from pathlib import Path
from typing import Iterator
from urllib.parse import unquote, urlparse

CHROMIUM = "/usr/bin/chromium"
# No sandbox: builds run as root in containers. The rest keeps chromium from calling
# home (component updates, sync, field trials) on machines with no way out.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]
SITE_SUFFIX = " - "
# Two tabs keep two cores busy; more only queue behind them.
TABS = 2

# TrueType faces for the pack (see the module docstring); the stacks of xc.css are kept
# as fallbacks behind them.
PACK_CSS = """
:root {
  --xc-font-title: "AR PL UMing CN", "AR PL UMing TW", serif;
  --xc-font-fang: "AR PL UMing CN", "AR PL UMing TW", serif;
  --xc-font-song: "AR PL UMing CN", "AR PL UMing TW", serif;
  --xc-font-kai: "AR PL UKai CN", "AR PL UKai TW", serif;
  --xc-font-hei: "WenQuanYi Zen Hei", sans-serif;
}
:lang(zh) body { --md-text-font-family: "WenQuanYi Zen Hei", sans-serif; }
/* These faces have no bold: Chromium would embolden the outlines itself and embed
   them as Type 3. Emphasis is set in 黑体 instead, as Chinese documents do. */
* { font-synthesis: none; }
strong, b, th { font-family: "WenQuanYi Zen Hei", sans-serif; }
"""


def documents(site_dir: Path) -> list[str]:
    """The printable pages of a built edition, in order, from its manifest."""
    from ..output import MARKER

    data = json.loads((Path(site_dir) / MARKER).read_text(encoding="utf-8"))
    return [d["url"] for d in data.get("documents", []) if d.get("print")]


# ---- Sync API: one page at a time (tests, the command line) -------------------------------


@contextlib.contextmanager
def browser() -> Iterator[object]:
    """A headless Debian chromium, closed afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


def print_page(b, html_path: Path, pack_fonts: bool = False) -> tuple[str, bytes]:
    """(title, PDF bytes) of one built page, printed with print media and the CSS page size."""
    page = b.new_page()
    try:
        page.goto(Path(html_path).resolve().as_uri(), wait_until="load")
        page.emulate_media(media="print")
        if pack_fonts:
            page.add_style_tag(content=PACK_CSS)
        # Every face must be loaded before printing, or Chromium prints with the fallback.
        page.evaluate("document.fonts.ready.then(() => true)")
        title = page.title().split(SITE_SUFFIX)[0].strip() or Path(html_path).stem
        return title, page.pdf(prefer_css_page_size=True, print_background=True)
    finally:
        page.close()


# ---- Async: many tabs at once, one browser kept for many editions -------------------------


class Printer:
    """One headless chromium, kept open for many print packs (one per batch worker).
    Its tabs are opened once, set to print media once, and reused for page after page;
    an edition's pages are shared out among them."""

    def __init__(self, tabs: int = TABS, pack_fonts: bool = True):
        self.tabs = tabs
        # False prints as a reader's browser does, with the site's own font stacks.
        self.pack_fonts = pack_fonts
        self.loop = asyncio.new_event_loop()
        self._pw = None
        self._browser = None
        self._pages: list = []
        # Page-number stamps by (kind of page, number of pages), kept for the next edition.
        self._stamps: dict[tuple[str, int], bytes] = {}

    def _run(self, coro):
        return self.loop.run_until_complete(coro)

    async def _route(self, route):
        req = route.request
        # Printing needs the page and its styles only: the site's scripts (search, ticks,
        # the timeline), images and web fonts change nothing on paper.
        if req.resource_type in ("script", "image", "font", "media"):
            await route.abort()
        elif self.pack_fonts and req.resource_type == "stylesheet" and req.url.endswith("/print.css"):
            # The pack's fonts ride on the print style sheet: no extra style pass per page.
            css = Path(unquote(urlparse(req.url).path)).read_text(encoding="utf-8") + PACK_CSS
            await route.fulfill(body=css, content_type="text/css; charset=utf-8")
        else:
            await route.continue_()

    async def _start(self):
        from playwright.async_api import async_playwright

        self._pw = await async_playwright().start()
        self._browser = await self._pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = await self._browser.new_context()
        await context.route("**/*", self._route)
        for _ in range(self.tabs):
            page = await context.new_page()
            await page.emulate_media(media="print")
            self._pages.append(page)

    async def _print_all(self, paths: list[Path]) -> list[tuple[str, bytes]]:
        if self._browser is None:
            await self._start()
        queue: asyncio.Queue = asyncio.Queue()
        for i, p in enumerate(paths):
            queue.put_nowait((i, p))
        out: list = [None] * len(paths)

        async def tab(page):
            while not queue.empty():
                i, path = queue.get_nowait()
                await page.goto(path.resolve().as_uri(), wait_until="load")
                # Every face must be loaded before printing, or Chromium prints with the fallback.
                await page.evaluate("document.fonts.ready.then(() => true)")
                title = (await page.title()).split(SITE_SUFFIX)[0].strip() or path.stem
                out[i] = (title, await page.pdf(prefer_css_page_size=True, print_background=True))

        await asyncio.gather(*(tab(p) for p in self._pages))
        return out

    def print_pages(self, paths: list[Path]) -> list[tuple[str, bytes]]:
        return self._run(self._print_all(paths))

    # ---- The print pack: a few long pages instead of one page per document (pack.py)

    async def _print_file(self, page, path: Path, extra_css: str = "") -> bytes:
        await page.goto(path.resolve().as_uri(), wait_until="load")
        if extra_css:
            await page.add_style_tag(content=extra_css)
        await page.evaluate("document.fonts.ready.then(() => true)")
        return await page.pdf(prefer_css_page_size=True, print_background=True)

    async def _pack(self, site: Path, rels: list[str]):
        from pypdf import PdfReader

        from . import pack

        if self._browser is None:
            await self._start()
        docs = [pack.read(site, rel, SITE_SUFFIX) for rel in rels]
        groups = pack.groups(docs)
        made: list[Path] = []
        try:
            queue: asyncio.Queue = asyncio.Queue()
            for i, g in enumerate(groups):
                path = pack.long_page(site, g, pack.temp_name(f"group{i}"))
                made.append(path)
                queue.put_nowait((i, path))
            printed: list = [None] * len(groups)

            async def tab(page):
                while not queue.empty():
                    i, path = queue.get_nowait()
                    printed[i] = await self._print_file(page, path, pack.GROUP_CSS)

            await asyncio.gather(*(tab(p) for p in self._pages))
            # Each document's pages: from its group where its start is found, else alone.
            pieces = []  # (doc, reader, first page, page count)
            for g, data in zip(groups, printed):
                reader = PdfReader(io.BytesIO(data))
                begin = pack.starts(reader, g)
                if begin is None:
                    alone = await self._print_all([site / d.rel for d in g])
                    for d, (_, one) in zip(g, alone):
                        r = PdfReader(io.BytesIO(one))
                        pieces.append((d, r, 0, len(r.pages), False))
                    continue
                ends = begin[1:] + [len(reader.pages)]
                for d, a, b in zip(g, begin, ends):
                    pieces.append((d, reader, a, b - a, True))
            # Page numbers for the documents printed in groups, one stamp per kind and length.
            for d, _, _, n, numbered in pieces:
                if numbered and d.kind != "public" and (d.kind, n) not in self._stamps:
                    path = pack.stamp_page(site, d.rel, d.kind, n, pack.temp_name(f"{d.kind}{n}"))
                    made.append(path)
                    self._stamps[(d.kind, n)] = await self._print_file(self._pages[0], path)
            return pieces
        finally:
            for path in made:
                path.unlink(missing_ok=True)

    def print_pack(self, site: Path, rels: list[str]) -> bytes:
        """The edition's documents as one PDF: a bookmark and page numbers from 1 for each."""
        from pypdf import PdfReader, PdfWriter

        pieces = self._run(self._pack(Path(site), rels))
        writer = PdfWriter()
        for d, reader, first, n, numbered in pieces:
            start = len(writer.pages)
            stamp = PdfReader(io.BytesIO(self._stamps[(d.kind, n)])) if numbered and d.kind != "public" else None
            for k in range(n):
                page = reader.pages[first + k]
                if stamp is not None:
                    page.merge_page(stamp.pages[k])
                # Paper needs no links: not the pixel links to the sections, and not the
                # pages' own links, which would carry the build folder's file:// paths.
                if "/Annots" in page:
                    del page["/Annots"]
                writer.add_page(page)
            writer.add_outline_item(d.title, start)
        writer.add_metadata({"/Title": "巡察工作文书打印包", "/Producer": "pypdf"})
        writer.page_mode = "/UseOutlines"
        buf = io.BytesIO()
        writer.write(buf)
        return buf.getvalue()

    def close(self):
        async def stop():
            if self._browser is not None:
                await self._browser.close()
            if self._pw is not None:
                await self._pw.stop()

        try:
            self._run(stop())
        finally:
            self.loop.close()


def build_pack(site_dir: Path, out_pdf: Path, pages: list[str] | None = None, printer: Printer | None = None) -> Path:
    """Print `pages` (site-relative .html paths; default: the edition's printable
    documents) and join them into `out_pdf`, one bookmark per document."""
    from pypdf import PdfReader, PdfWriter

    site_dir = Path(site_dir)
    if pages is None:
        pages = [rel for rel in documents(site_dir) if (site_dir / rel).is_file()]
        if not pages:
            raise FileNotFoundError(f"{site_dir} 中没有可打印的文书页面（是否先构建了版本？）")
    missing = [rel for rel in pages if not (site_dir / rel).is_file()]
    if missing:
        raise FileNotFoundError(f"{site_dir} 中缺少页面：{'、'.join(missing)}")

    own = printer is None
    printer = printer or Printer()
    try:
        data = printer.print_pack(site_dir, pages)
    finally:
        if own:
            printer.close()

    out_pdf = Path(out_pdf)
    out_pdf.parent.mkdir(parents=True, exist_ok=True)
    # Write beside the target and rename: a failed run never leaves half a PDF.
    tmp = out_pdf.with_name(f".xc-tmp-{out_pdf.name}")
    tmp.write_bytes(data)
    tmp.replace(out_pdf)
    return out_pdf


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if len(argv) < 2 or argv[0] in ("-h", "--help"):
        print(__doc__.strip().splitlines()[0])
        print("用法：python -m macros.outputs.pdf 站点文件夹 输出.pdf [页面.html …]")
        return 2
    site, out, pages = Path(argv[0]), Path(argv[1]), argv[2:] or None
    try:
        path = build_pack(site, out, pages)
    except FileNotFoundError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 1
    except Exception as e:  # e.g. chromium missing: say what failed, without a traceback
        print(f"错误：打印失败（{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}）。"
              f"请确认已安装 Debian 的 chromium（make setup）。", file=sys.stderr)
        return 1
    print(f"已生成 {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
