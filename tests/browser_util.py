"""Helpers for the browser tests: Debian Chromium, a local static server, request logs, search.

The browser is the system `/usr/bin/chromium` (never `playwright install`): editions are
read offline on intranet PCs, and the tests must not download anything either.
"""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path
from urllib.parse import unquote, urlparse

# The browser itself is the `chromium` fixture in conftest.py, launched by macros/pdf.py
# with the same flags as the PDF print pack (Debian chromium, nothing that phones home).

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 800}

# Material's site chrome, which must not appear on paper.
CHROME_SELECTORS = [".md-header", ".md-sidebar", ".md-footer", ".md-search", ".md-tabs"]


def html_pages(site: Path) -> list[str]:
    """Every built page of an edition (relative, '/'-separated)."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def file_url(site: Path, rel: str = "index.html") -> str:
    return (site / rel).resolve().as_uri()


class StaticServer:
    """`http.server` for one edition on 127.0.0.1, a free port, in a thread (a context manager)."""

    def __init__(self, root: Path):
        handler = functools.partial(_QuietHandler, directory=str(root))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> "StaticServer":
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # keep pytest output readable
        pass


class Watch:
    """Everything a page does that a test may object to: requests, console errors, dialogs.

    `allowed(url)` is True only for the edition itself: file: URLs inside its folder, data:,
    blob:, and (for a served run) URLs under the static server's base.
    """

    def __init__(self, page, site: Path, base: str | None = None):
        self.site = str(site.resolve())
        self.base = base
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        page.on("dialog", self._dialog)

    def _console(self, msg):
        if msg.type == "error":
            loc = msg.location or {}
            self.errors.append(f"console.error: {msg.text} ({loc.get('url', '')}:{loc.get('lineNumber', '')})")

    def _dialog(self, dialog):
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        # Tests that expect a confirm() (e.g. "clear all ticks?") accept it; an alert is
        # recorded above and fails the privacy test.
        dialog.accept()

    def allowed(self, url: str) -> bool:
        scheme = url.split(":", 1)[0].lower()
        if scheme in ("data", "blob"):
            return True
        if scheme == "file":
            path = unquote(urlparse(url).path)
            return path == self.site or path.startswith(self.site + "/")
        if self.base and url.startswith(self.base):
            return True
        return False

    def outside(self) -> list[str]:
        return [u for u in self.requests if not self.allowed(u)]

    def reset(self):
        self.requests.clear()
        self.errors.clear()
        self.dialogs.clear()


# ---- Search -------------------------------------------------------------------------


def open_search(page):
    """Focus the search box. On a phone the box sits behind the header's search button."""
    button = page.locator("label.md-header__button[for=__search]")
    if button.count() and button.first.is_visible():
        button.first.click()
    box = page.locator("input.md-search__input")
    box.click()
    return box


def search(page, query: str, timeout: float = 8000) -> list[str]:
    """Type a query as a user would and return the titles of the results ([] if none)."""
    box = open_search(page)
    box.fill("")
    box.press_sequentially(query)
    # press_sequentially inserts CJK text without key events, and Material searches only
    # on a real key press (stack-notes §6).
    page.keyboard.press("End")
    meta = page.locator(".md-search-result__meta")
    try:
        page.wait_for_selector(".md-search-result__item", timeout=timeout)
    except Exception:
        return []
    # Results render in batches; the meta line ("找到 N 个…") is final once items exist.
    meta.wait_for()
    return page.locator(".md-search-result__item .md-search-result__article h1, "
                        ".md-search-result__item .md-search-result__article h2").all_inner_texts()


def search_meta(page) -> str:
    return page.locator(".md-search-result__meta").inner_text()


# ---- Layout probes ----------------------------------------------------------------

OVERFLOW_JS = """() => {
  const doc = document.documentElement;
  const wide = [];
  if (doc.scrollWidth > window.innerWidth) {
    // Name the culprits: the deepest elements whose right edge passes the viewport.
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.right > window.innerWidth + 1 && r.width > 0 && !el.querySelector('*')) {
        wide.push(el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ').join('.') : '')
                  + ' right=' + Math.round(r.right));
        if (wide.length >= 5) break;
      }
    }
  }
  return {scrollWidth: doc.scrollWidth, innerWidth: window.innerWidth, wide};
}"""

BOX_STYLE_JS = """(el) => {
  // The visible square of a checkbox: the input itself, unless it is hidden and a
  // sibling/label pseudo-element draws the box instead.
  const pick = (e, pseudo) => {
    const s = getComputedStyle(e, pseudo);
    return {width: s.borderTopWidth, style: s.borderTopStyle, color: s.borderTopColor,
            appearance: s.appearance, display: s.display, visibility: s.visibility,
            opacity: s.opacity, w: s.width, h: s.height, content: s.content};
  };
  const sized = (e) => {  // an element's own box also needs an on-page size
    const o = pick(e, null); const r = e.getBoundingClientRect();
    o.rw = r.width; o.rh = r.height; return o;
  };
  const out = {input: sized(el)};
  const next = el.nextElementSibling;
  if (next) { out.next = sized(next); out.nextBefore = pick(next, '::before'); }
  const label = el.closest('label');
  if (label) { out.labelBefore = pick(label, '::before'); }
  const r = el.getBoundingClientRect();
  out.rect = {w: r.width, h: r.height};
  return out;
}"""
