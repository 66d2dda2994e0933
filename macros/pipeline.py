"""The stages of a build that are ours, whatever renders the HTML.

The site generator (MkDocs today) renders the Markdown pages to HTML. Everything else
is a stage here, called the same way by `mkdocs build` (through the thin adapter in
macros/hooks.py), by the batch command and by the tests:

1. `edition_of(config)`: the one Edition of this build, built once and kept on the
   build's own config object (never in module state);
2. `Output.start(...)`: the output folder is checked (ours or refused), and the
   generator writes into a temporary folder beside it;
3. `finish(site, edition)`: on the rendered HTML: the placeholder scan, the home page's
   list of fills, the .docx files, and removal of what an offline edition must not carry;
4. `Output.complete()`: the finished folder replaces the old one in one atomic step.

`build_site(edition, folder)` runs a whole MkDocs build in this process.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import weakref
from pathlib import Path

from . import campaign, edition as edition_mod, leftovers, output

ROOT = Path(__file__).resolve().parent.parent
EDITION_KEY = "xc_edition"
OUTPUT_KEY = "xc_output"
WORD_KEY = "xc_word"


class BuildFailure(Exception):
    """The rendered edition must not be published; the message lists every reason."""


# ---- 1. The edition -----------------------------------------------------------------------


def edition_of(config) -> edition_mod.Edition:
    """The edition this build renders: the one a caller placed on the config (the batch,
    the tests), else the campaign named by extra.campaign_file / $CAMPAIGN / the sample,
    loaded once and kept on the config for every later stage of the same build."""
    ed = config.get(EDITION_KEY)
    if ed is None:
        ed = edition_mod.from_file(campaign.resolve_path(config.get("extra")))
        config[EDITION_KEY] = ed
    return ed


# ---- 2 and 4. The output folder ----------------------------------------------------------


class WarningCount(logging.Handler):
    """Counts the generator's warnings during one build (a strict build that logged any
    must not replace the output). Attached to the "mkdocs" logger, it is also how the
    error hooks, which get no config, find the build they must clean up after."""

    def __init__(self, out: "Output"):
        super().__init__(level=logging.WARNING)
        self.out = out
        self.count = 0

    def emit(self, record):
        self.count += 1


class Output:
    """One build's output: the folder it replaces and the temporary folder it writes."""

    def __init__(self, final: Path, force: bool = False):
        self.final = output.check_target(final, force)
        parent = self.final.parent
        parent.mkdir(parents=True, exist_ok=True)
        # Leftovers of builds of this folder that were killed before they could clean up.
        output.remove_stale(parent, rf"\.xc-tmp-{re.escape(self.final.name)}-(\d+)")
        self.tmp = parent / f".xc-tmp-{self.final.name}-{os.getpid()}"
        shutil.rmtree(self.tmp, ignore_errors=True)
        self.warnings = WarningCount(self)
        logging.getLogger("mkdocs").addHandler(self.warnings)
        # However the build ends (error, exit, interpreter shutdown), no temporary folder stays.
        self._cleanup = weakref.finalize(self, shutil.rmtree, str(self.tmp), True)

    def _detach(self):
        logging.getLogger("mkdocs").removeHandler(self.warnings)

    def complete(self, strict: bool) -> None:
        """Swap the finished folder in; a strict build that logged warnings fails instead."""
        self._detach()
        if strict and self.warnings.count:
            self.discard()
            raise BuildFailure(f"严格模式下出现 {self.warnings.count} 条警告（见上），构建中止；原有输出未改动。")
        output.swap_in(self.tmp, self.final)

    def discard(self):
        self._detach()
        shutil.rmtree(self.tmp, ignore_errors=True)


def abandon_active() -> None:
    """Discard the temporary output of any build still attached (after an error)."""
    for h in list(logging.getLogger("mkdocs").handlers):
        if isinstance(h, WarningCount):
            h.out.discard()


def force_requested() -> bool:
    return os.environ.get("XC_FORCE", "") not in ("", "0")


# ---- 3. After rendering ---------------------------------------------------------------------


def finish(site: Path, ed: edition_mod.Edition, docs: list | None = None, word: bool = True) -> None:
    """Checks and outputs that need the rendered pages; `docs` are the edition's documents
    in order (macros/documents.py); `word` False skips the .docx files (a batch run with
    --formats site). Raises BuildFailure listing every leftover placeholder; nothing is
    published then."""
    from .outputs import docx

    docs = docs or []
    rank = {d.url: i for i, d in enumerate(docs)}
    pages = sorted(site.rglob("*.html"),
                   key=lambda p: (rank.get(p.relative_to(site).as_posix(), len(rank)), p.as_posix()))
    problems = []
    fills: dict[str, list[str]] = {}
    titles: dict[str, str] = {}
    for page in pages:
        rel = page.relative_to(site).as_posix()
        html = page.read_text(encoding="utf-8")
        for text, ctx in leftovers.scan(html):
            problems.append(f"  - {rel}：“{text}” …{ctx}…")
        hints = leftovers.fill_hints(leftovers.article(html))
        if hints:
            fills[rel] = hints
        titles[rel] = leftovers.page_title(html) or rel
    if problems:
        raise BuildFailure("\n".join([f"构建失败：{len(problems)} 处未替换的占位符或模板残留（巡察版本文件：{ed.path}）",
                                      *_sources_of(problems, ed), *problems]))
    names = title_names(ed)
    for page in pages:
        text = page.read_text(encoding="utf-8")
        marked = _H1.sub(lambda m: _title(m, names), text)
        if not word:  # no .docx beside the pages: no download buttons either
            marked = _DOCX_LINK.sub("", marked)
        if marked != text:
            page.write_text(marked, encoding="utf-8")
    home = site / "index.html"
    summary = ""
    if home.is_file():
        html = home.read_text(encoding="utf-8")
        if leftovers.FILL_SUMMARY_MARK in html:
            summary = leftovers.fill_summary_html(fills, titles)
            home.write_text(html.replace(leftovers.FILL_SUMMARY_MARK, summary), encoding="utf-8")
    if word:
        docx.build_all(site, ed)
    from . import search
    from .outputs import ics

    search.rewrite(site, ed, {"index.html#fills": summary})
    (site / ics.NAME).write_bytes(ics.calendar_bytes(ed))
    if (site / "rectification" / "ledger.html").is_file():
        from . import rectify

        (site / "rectification" / "ledger.xlsx").write_bytes(rectify.ledger_workbook(
            ed.campaign, ed.dates.steps["report"], f"{ed.values.group.name}巡察{ed.values.inspected.org_short}整改台账",
            ed.values.group.name, docx.stamp_of(ed)))
    # An edition is read from folders, not served: Material's 404 page loads its assets
    # from the server root, and a sitemap (dated by the build clock) serves no one.
    for name in ("404.html", "sitemap.xml", "sitemap.xml.gz"):
        (site / name).unlink(missing_ok=True)
    output.write_marker(site, ed.id, [{"url": d.url, "title": d.title, "phase": d.phase, "print": d.printable}
                                      for d in docs])


def _sources_of(problems: list[str], ed: edition_mod.Edition) -> list[str]:
    """The campaign values a leftover comes from (a unit named 第X镇 is the user's to fix,
    not ours), as key paths: one line, or none when it comes from our own texts."""
    found = sorted({m.group(1) for p in problems for m in [re.search(r"：“([^”]+)”", p)] if m})
    keys = []

    def walk(v, path):
        if isinstance(v, str):
            if any(f in v for f in found):
                keys.append(f"{path}（{v}）")
        elif isinstance(v, dict):
            for k, x in v.items():
                walk(x, f"{path}.{k}" if path else k)
        elif isinstance(v, (list, tuple)):
            for i, x in enumerate(v):
                walk(x, f"{path}[{i}]")

    walk(ed.campaign.model_dump(mode="json", exclude_defaults=True), "")
    return [f"  残留来自巡察版本文件中的：{'、'.join(keys)}，请改写这些值。"] if keys else []


_DOCX_LINK = re.compile(r'<a class="md-button xc-docx"[^>]*>[^<]*</a>')
_H1 = re.compile(r'(<h1\b[^>]*>)([^<]+)(</h1>)')


def _title(m: re.Match, names: tuple[str, ...]) -> str:
    from . import titles

    text = m.group(2)
    if "xc-doc" in m.string[max(0, m.start() - 400):m.start()]:
        width = titles.DOC_WIDTH
    else:
        width = titles.PAGE_WIDTH
    import html as _html

    return m.group(1) + titles.mark_up(_html.unescape(text), names, width) + m.group(3)


def title_names(ed) -> tuple[str, ...]:
    """The campaign's own names, kept whole when a title is broken into lines."""
    t = ed.terms
    keys = ("group", "org", "org_short", "unit", "theme", "kind_label", "round", "leading_group", "committee_name",
            "committee", "home", "previous")
    names = [t[k] for k in keys if t.get(k)]
    names += list(ed.campaign.linked) + [v.name for v in ed.campaign.inspected.villages]
    return tuple(names)


# ---- A whole build in this process ----------------------------------------------------


def build_site(ed: edition_mod.Edition, folder: Path, force: bool = False, word: bool = True) -> None:
    """Build `ed` into `folder` with MkDocs, in this process, with every stage above
    (`word` False: no .docx files). Raises BuildFailure (with the generator's messages)
    when the edition is not built."""
    import mkdocs.commands.build
    import mkdocs.config
    from mkdocs.exceptions import Abort

    collect = _Collect()
    mk = logging.getLogger("mkdocs")
    mk.addHandler(collect)
    cfg = None
    try:
        cfg = mkdocs.config.load_config(str(ROOT / "mkdocs.yml"), site_dir=str(folder), strict=True)
        cfg[EDITION_KEY] = ed
        if force:
            cfg["xc_force"] = True
        cfg[WORD_KEY] = word
        mkdocs.commands.build.build(cfg)
    except Abort as e:
        raise BuildFailure(_with_log(e.format_message().strip() or "构建中止。", collect)) from None
    except SystemExit as e:  # mkdocs-macros exits 100 on a macro error (on_error_fail)
        raise BuildFailure(_with_log("页面宏渲染出错。" if e.code == 100 else f"构建异常退出（{e.code}）。",
                                     collect)) from None
    finally:
        mk.removeHandler(collect)
        abandon_active()


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        try:
            self.messages.append(record.getMessage())
        except Exception:  # a malformed log call must not hide the real error
            self.messages.append(str(record.msg))


def _with_log(msg: str, collect: _Collect) -> str:
    extra = [m for m in collect.messages if m and m not in msg]
    return "\n".join([msg, *extra]) if extra else msg
