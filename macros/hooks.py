"""MkDocs hooks: the thin adapter between MkDocs' build events and our own stages.

Nothing here holds state: the edition and the output folder of a build live on that
build's config object (see macros/pipeline.py), and the error hooks, which get no
config, find the build to clean up through the logger it is attached to.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

# MkDocs loads hooks by file path, not as part of the package; make `macros` importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mkdocs.exceptions import Abort  # noqa: E402
from mkdocs.plugins import event_priority  # noqa: E402

from macros import compiled, documents, output, pipeline, yamlio  # noqa: E402

# Notices are for the office's staff, not failures: INFO, so a --strict build still succeeds.
log = logging.getLogger("mkdocs.plugins.xc")


@event_priority(100)
def on_config(config):
    """First of all: a bad campaign stops the build before anything is written, and the
    output folder is checked before MkDocs cleans it."""
    try:
        ed = pipeline.edition_of(config)
    except yamlio.InputError as e:
        raise Abort("\n" + e.report()) from None
    vendor = Path(config.docs_dir) / "assets" / "javascripts" / "vendor" / "iframe-worker.js"
    if not vendor.exists():
        raise Abort(f"缺少 {vendor}：请先运行 make setup（从 npm 取得离线搜索所需的 iframe-worker 垫片）。")
    try:
        out = pipeline.Output(Path(config.site_dir), force=bool(config.get("xc_force")) or pipeline.force_requested())
    except output.OutputRefused as e:
        raise Abort("\n" + str(e)) from None
    except OSError as e:
        raise Abort(f"\n无法写入输出文件夹 {config.site_dir}：{output.os_error_text(e)}。原有输出未改动。") from None
    config[pipeline.OUTPUT_KEY] = out
    config.site_dir = str(out.tmp)
    for n in ed.notices:
        log.info("提示：%s", n.log)
    config.extra["xc"] = ed.theme_values()
    # Material's search plugin cuts Chinese with jieba whenever jieba is installed. Our
    # search worker matches substrings and the index is cleaned of the cuts anyway
    # (macros/search.py), so the cutting is skipped: it is a fifth of a build.
    try:
        from material.plugins.search import plugin as search_plugin

        search_plugin.jieba = None
    except ImportError:
        pass
    # An edition is read from folders, not served: no 404 page (its assets load from the
    # server root) and no sitemap (dated by the build clock) are rendered at all.
    for name in ("404.html", "sitemap.xml"):
        config.theme.static_templates.discard(name)
    # 党政红 is the palette in mkdocs.yml; a campaign may ask for Material's indigo.
    if ed.campaign.palette == "靛蓝":
        config.theme["palette"] = {"scheme": "default", "primary": "indigo", "accent": "indigo"}
    return config


def on_env(env, config, files):
    """Theme templates compile once per process, not once per edition (a batch worker
    builds many editions with the same templates)."""
    env.bytecode_cache = compiled.TEMPLATE_CACHE
    return env


@event_priority(-1000)
def on_post_build(config):
    """Last of all (the offline plugin writes search/search_index.js at priority -100)."""
    ed = pipeline.edition_of(config)
    out = config[pipeline.OUTPUT_KEY]
    try:
        pipeline.finish(Path(config.site_dir), ed, documents.from_nav(config.nav),
                        word=config.get(pipeline.WORD_KEY, True))
        out.complete(strict=config.strict)
    except pipeline.BuildFailure as e:
        out.discard()
        raise Abort(str(e)) from None


def on_build_error(error):
    pipeline.abandon_active()
    if isinstance(error, OSError):
        # Read-only folder, disk full: one Chinese line instead of a traceback.
        raise Abort(f"\n构建中止，无法写入：{output.os_error_text(error)}。原有输出未改动。") from None


def on_shutdown():
    # A macro error exits via SystemExit, which skips on_build_error.
    pipeline.abandon_active()
