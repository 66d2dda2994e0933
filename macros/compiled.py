"""Compiled templates kept for the life of the process.

A batch worker builds many editions from the same theme templates and the same page
sources (campaign values are variables), so their compiled code is kept: a cache of
code, never of values. Nothing here depends on the edition being built.
"""

from __future__ import annotations

import jinja2


class _TemplateCache(jinja2.BytecodeCache):
    """Compiled theme templates, kept in memory for the life of the process. Jinja keys
    each entry by template name and source checksum, so an edited template recompiles."""

    def __init__(self):
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        code = self._store.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket):
        self._store[bucket.key] = bucket.bytecode_to_string()


TEMPLATE_CACHE = _TemplateCache()
_PAGE_CODE: dict[tuple, object] = {}


def reuse_compiled_pages(env: jinja2.Environment) -> None:
    """The pages' Markdown is the same for every edition (campaign values are variables),
    so its compiled code is kept for the process: a batch worker compiles each page once.
    Keyed by the source and the environment's syntax settings; the values still come
    from each build's own environment."""
    if getattr(env, "_xc_cached", False):
        return
    env._xc_cached = True
    compile_ = env.compile

    def cached(source, name=None, filename=None, raw=False, defer_init=False):
        if raw:
            return compile_(source, name, filename, raw, defer_init)
        key = (source, name, filename, defer_init, env.block_start_string, env.variable_start_string,
               env.comment_start_string, env.comment_end_string, env.line_statement_prefix, type(env.undefined))
        code = _PAGE_CODE.get(key)
        if code is None:
            code = _PAGE_CODE[key] = compile_(source, name, filename, raw, defer_init)
        return code

    env.compile = cached
