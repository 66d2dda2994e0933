"""mkdocs-macros entry point: give pages the edition's values and macros.

This module only registers. The edition is built once per build (macros/pipeline.py,
macros/edition.py); the logic lives in plain, unit-tested modules.
"""

from __future__ import annotations


def define_env(env):
    # Imported here so `python -m macros.<module>` doesn't pre-import its own module.
    from . import documents, page_macros, pipeline, yamlio

    try:
        ed = pipeline.edition_of(env.conf)
        docs = documents.from_nav(env.conf.get("nav"))
    except yamlio.InputError as e:
        # Site generators without our hooks (a Zensical dry run) land here first.
        raise SystemExit("\n" + e.report()) from None
    env.variables.update(ed.page_variables)
    for name, fn in page_macros.for_edition(ed, docs).items():
        env.macro(fn, name)


def on_pre_page_macros(env):
    # mkdocs-macros creates its Jinja environment after define_env; each page passes here.
    from . import compiled

    compiled.reuse_compiled_pages(env.env)
