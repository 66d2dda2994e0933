"""MkDocs hooks: checks and outputs that need the rendered pages.

- after each page renders: count fill markers; scan the visible text for leftovers
  (template syntax, None/undefined, template-pack placeholders such as 第X…、××、202X);
- before pages are written: fail the build listing every leftover, with page and context;
- the home page gets the list of fill markers;
- after the build: .docx downloads; with `mkdocs build`, the new site replaces the
  output folder only when the build is complete (a failed build leaves it as it was).
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
from pathlib import Path

# MkDocs loads hooks by file path, not as part of the package; make `macros` importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mkdocs.exceptions import Abort  # noqa: E402
from mkdocs.plugins import CombinedEvent, event_priority  # noqa: E402

from macros import blocks, campaign, leftovers, search_words, state  # noqa: E402

log = logging.getLogger("mkdocs.hooks.xc")

_atomic = {"enabled": False, "final": None, "tmp": None}
_warnings = {"count": 0}
_epoch_set = {"by_us": False}


class _WarningCounter(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)

    def emit(self, record):
        _warnings["count"] += 1


_counter = _WarningCounter()


def on_startup(command, dirty):
    # Only `mkdocs build` writes into a folder people keep; serve uses a temp dir,
    # and macros.editions does its own atomic swap.
    _atomic["enabled"] = command == "build" and not dirty


@event_priority(100)
def _on_config_first(config):
    # A bad campaign file stops the build before anything else runs (and before the
    # output folder is touched); macros.define_env loads it again for the pages.
    path = campaign.resolve_path(config.get("extra"))
    try:
        campaign.load(path)
    except campaign.CampaignError as e:
        raise Abort("\n" + e.report()) from None
    # Before the search plugin loads its user dictionary into jieba's globals.
    search_words.snapshot()
    return config


@event_priority(-100)
def _on_config_last(config):
    vendor = Path(config.docs_dir) / "assets" / "javascripts" / "vendor" / "iframe-worker.js"
    if not vendor.exists():
        raise Abort(f"缺少 {vendor}：请先运行 `make setup`（从 npm 取得 iframe-worker 离线搜索垫片）。")
    st = state.get()
    # Reproducible output: sitemap dates and gzip stamps come from the campaign, not the clock.
    if "SOURCE_DATE_EPOCH" not in os.environ:
        os.environ["SOURCE_DATE_EPOCH"] = str(_epoch(st.campaign.dates.start))
        _epoch_set["by_us"] = True
    _add_search_words(st)
    _warnings["count"] = 0
    logging.getLogger("mkdocs").removeHandler(_counter)
    logging.getLogger("mkdocs").addHandler(_counter)
    if _atomic["enabled"]:
        final = Path(config.site_dir)
        tmp = final.with_name(f".{final.name}.building-{os.getpid()}")
        shutil.rmtree(tmp, ignore_errors=True)
        _atomic.update(final=final, tmp=tmp)
        config.site_dir = str(tmp)
    return config


on_config = CombinedEvent(_on_config_first, _on_config_last)


def _epoch(d):
    import calendar

    return calendar.timegm(d.timetuple())


def _add_search_words(st):
    # The campaign's own names are single search terms (市财政局, the theme, linked units).
    c = st.campaign
    search_words.add([c.inspected.unit, c.inspected.org, c.theme, *c.linked, *c.contact.mailboxes])


def _end_of_build():
    """Undo process-wide changes, so the next in-process build starts clean."""
    search_words.restore()
    if _epoch_set["by_us"]:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
        _epoch_set["by_us"] = False


def on_page_content(html, page, config, files):
    st = state.get()
    url = page.url or "index.html"
    st.titles[url] = page.title or url
    hints = leftovers.fill_hints(html)
    if hints:
        st.fills[url] = hints
    for text, ctx in leftovers.scan(html):
        st.leftovers.append((page.file.src_uri, text, ctx))
    return html


def on_env(env, config, files):
    st = state.get()
    if st.leftovers:
        lines = [f"构建失败：{len(st.leftovers)} 处未替换的占位符或模板残留（巡察版本文件：{st.path}）"]
        for src, text, ctx in st.leftovers:
            lines.append(f"  - {src}：“{text}” …{ctx}…")
        raise Abort("\n".join(lines))
    return env


def on_post_page(output, page, config):
    if blocks.FILL_SUMMARY_MARK in output:
        output = output.replace(blocks.FILL_SUMMARY_MARK, leftovers.fill_summary_html(state.get()))
    # The whole page (navigation, title, footer included) must be free of leftovers too.
    for text, ctx in leftovers.scan(output):
        raise Abort(f"构建失败：{page.file.src_uri} 的页面框架中有未替换的占位符“{text}” …{ctx}…")
    return output


def _on_post_build_docx(config):
    from macros import docx_export

    docx_export.build_all(Path(config.site_dir), state.get())
    _end_of_build()


@event_priority(-1000)
def _on_post_build_swap(config):
    # Last of all: the offline plugin writes search/search_index.js at priority -100.
    if _atomic["enabled"] and _atomic["tmp"] is not None:
        if config.strict and _warnings["count"]:
            # mkdocs aborts right after this hook; keep the old output untouched.
            shutil.rmtree(_atomic["tmp"], ignore_errors=True)
            return
        _swap(_atomic["tmp"], _atomic["final"])


on_post_build = CombinedEvent(_on_post_build_docx, _on_post_build_swap)


def on_build_error(error):
    _end_of_build()
    if _atomic["enabled"] and _atomic["tmp"] is not None:
        shutil.rmtree(_atomic["tmp"], ignore_errors=True)


def _swap(tmp: Path, final: Path):
    old = final.with_name(f".{final.name}.old-{os.getpid()}")
    if final.exists():
        final.rename(old)
    tmp.rename(final)
    shutil.rmtree(old, ignore_errors=True)


def on_shutdown():
    # A macro error exits via SystemExit, which skips on_build_error: clean up here.
    _end_of_build()
    tmp = _atomic.get("tmp")
    if tmp is not None and Path(tmp).exists():
        shutil.rmtree(tmp, ignore_errors=True)
