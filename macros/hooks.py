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
import re
import shutil
import sys
from pathlib import Path

# MkDocs loads hooks by file path, not as part of the package; make `macros` importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mkdocs.exceptions import Abort  # noqa: E402
from mkdocs.plugins import CombinedEvent, event_priority  # noqa: E402

from macros import atomic, blocks, campaign, leftovers, search_words, state  # noqa: E402

log = logging.getLogger("mkdocs.hooks.xc")

_atomic = {"enabled": False, "final": None, "tmp": None}
_epoch_set = {"by_us": False}





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
    # The search plugin reads jieba_dict_user relative to the working folder; make it
    # relative to mkdocs.yml so `mkdocs build -f path/to/mkdocs.yml` works from anywhere.
    search = config.plugins.get("material/search")
    if search is not None and search.config.get("jieba_dict_user"):
        base = Path(config.config_file_path).parent
        search.config["jieba_dict_user"] = str(base / search.config["jieba_dict_user"])
    return config


@event_priority(-100)
def _on_config_last(config):
    vendor = Path(config.docs_dir) / "assets" / "javascripts" / "vendor" / "iframe-worker.js"
    if not vendor.exists():
        raise Abort(f"缺少 {vendor}：请先运行 `make setup`（从 npm 取得 iframe-worker 离线搜索垫片）。")
    st = state.get()
    # Reproducible output: sitemap dates and gzip stamps come from the campaign, not the clock.
    if "SOURCE_DATE_EPOCH" not in os.environ:
        os.environ["SOURCE_DATE_EPOCH"] = str(atomic.epoch_of(st.campaign))
        _epoch_set["by_us"] = True
    _add_search_words(st)
    if _atomic["enabled"]:
        final = Path(config.site_dir)
        # Leftovers of builds that were killed before they could clean up.
        if final.parent.exists():
            atomic.remove_stale(final.parent, rf"\.{re.escape(final.name)}\.building-(\d+)")
        tmp = final.with_name(f".{final.name}.building-{os.getpid()}")
        _atomic.update(final=final, tmp=tmp)
        config.site_dir = str(tmp)
    return config


on_config = CombinedEvent(_on_config_first, _on_config_last)


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

    site = Path(config.site_dir)
    docx_export.build_all(site, state.get())
    # Material's 404 page loads its assets from the server root (/assets/…): opened from
    # disk it reaches outside the edition. An edition is read from folders, not served.
    (site / "404.html").unlink(missing_ok=True)
    _end_of_build()


@event_priority(-1000)
def _on_post_build_swap(config):
    # Last of all: the offline plugin writes search/search_index.js at priority -100.
    if _atomic["enabled"] and _atomic["tmp"] is not None:
        if config.strict and _strict_warnings():
            # mkdocs aborts right after this hook; keep the old output untouched.
            shutil.rmtree(_atomic["tmp"], ignore_errors=True)
            return
        atomic.swap_in(_atomic["tmp"], _atomic["final"])


def _strict_warnings() -> int:
    """Warnings counted so far by MkDocs' own strict-mode counter (it aborts on them
    right after post_build): asking it misses none, however early they were logged."""
    from mkdocs.utils import CountHandler

    for handler in logging.getLogger("mkdocs").handlers:
        if isinstance(handler, CountHandler):
            return sum(n for _, n in handler.get_counts())
    return 0


on_post_build = CombinedEvent(_on_post_build_docx, _on_post_build_swap)


def on_build_error(error):
    _end_of_build()
    if _atomic["enabled"] and _atomic["tmp"] is not None:
        shutil.rmtree(_atomic["tmp"], ignore_errors=True)




def on_shutdown():
    # A macro error exits via SystemExit, which skips on_build_error: clean up here.
    _end_of_build()
    tmp = _atomic.get("tmp")
    if tmp is not None and Path(tmp).exists():
        shutil.rmtree(tmp, ignore_errors=True)
