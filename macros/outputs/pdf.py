"""The print pack: every printable document of a built edition in one PDF.

Each page is printed by the Debian chromium through Playwright exactly as a reader's
browser prints it (print media, the page size and margins from print.css, page
numbers restarting at 1 for each document), then the documents are joined with
pypdf, one bookmark per document. Chromium embeds the fonts it used.

    python -m macros.pdf SITE_DIR OUT.pdf [speeches/leader-opening.html …]

Playwright's own browser download is never used (`playwright install` is not run):
editions are built on intranet machines that only have the distribution's chromium.
"""

from __future__ import annotations

import contextlib
import io
import sys
from pathlib import Path
from typing import Iterator

# The pack's order: what the unit receives, in the order it is used.
DOCUMENTS = [
    "speeches/leader-opening.html",
    "speeches/unit-pledge.html",
    "notices/announcement.html",
    "checklists/before-entry.html",
    "checklists/during.html",
    "checklists/materials.html",
    "checklists/rectification.html",
    "rules/unit-discipline.html",
    "rules/interviews.html",
    "rules/team-discipline.html",
    "rules/quick-card.html",
]

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


def print_page(b, html_path: Path) -> tuple[str, bytes]:
    """(title, PDF bytes) of one built page, printed with print media and the CSS page size."""
    page = b.new_page()
    try:
        page.goto(Path(html_path).resolve().as_uri(), wait_until="load")
        page.emulate_media(media="print")
        # Every face must be loaded before printing, or Chromium prints with the fallback.
        page.evaluate("document.fonts.ready.then(() => true)")
        title = page.title().split(SITE_SUFFIX)[0].strip() or Path(html_path).stem
        pdf = page.pdf(prefer_css_page_size=True, print_background=True)
        return title, pdf
    finally:
        page.close()


def build_pack(site_dir: Path, out_pdf: Path, pages: list[str] | None = None) -> Path:
    """Print `pages` (site-relative .html paths; default: DOCUMENTS that the edition
    has) and join them into `out_pdf`, one bookmark per document."""
    from pypdf import PdfReader, PdfWriter

    site_dir = Path(site_dir)
    if pages is None:
        pages = [rel for rel in DOCUMENTS if (site_dir / rel).is_file()]
        if not pages:
            raise FileNotFoundError(f"{site_dir} 中没有可打印的文书页面（是否先构建了版本？）")
    missing = [rel for rel in pages if not (site_dir / rel).is_file()]
    if missing:
        raise FileNotFoundError(f"{site_dir} 中缺少页面：{'、'.join(missing)}")

    writer = PdfWriter()
    with browser() as b:
        for rel in pages:
            title, data = print_page(b, site_dir / rel)
            start = len(writer.pages)
            writer.append(PdfReader(io.BytesIO(data)))
            writer.add_outline_item(title, start)
    writer.add_metadata({"/Title": "巡察工作文书打印包", "/Producer": "pypdf"})
    writer.page_mode = "/UseOutlines"

    out_pdf = Path(out_pdf)
    out_pdf.parent.mkdir(parents=True, exist_ok=True)
    # Write beside the target and rename: a failed run never leaves half a PDF.
    tmp = out_pdf.with_name(f".{out_pdf.name}.tmp")
    with open(tmp, "wb") as fh:
        writer.write(fh)
    tmp.replace(out_pdf)
    return out_pdf


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if len(argv) < 2 or argv[0] in ("-h", "--help"):
        print(__doc__.strip().splitlines()[0])
        print("用法：python -m macros.pdf 站点目录 输出.pdf [页面.html …]")
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
