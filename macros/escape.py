"""Escaping campaign values for the places they are shown: Markdown-and-HTML, CSS strings.

A campaign value is always escaped before a page sees it (`escape_tree` over the whole
value tree), so "<script>", "*x*" or "{{ x }}" in a campaign shows exactly as typed.
"""

from __future__ import annotations

import re
from typing import Any

# Escape for HTML *and* Markdown in one pass per character: entities survive both raw-HTML
# blocks and Markdown paragraphs, so "<script>", "*x*" or "O'Neil" shows exactly as typed.
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;",
            **{c: f"&#{ord(c)};" for c in "*_`[]\\{}#|~!$"}}


def esc(value: Any) -> str:
    return "".join(_ESCAPES.get(ch, ch) for ch in str(value))


class Ns(dict):
    """A dict whose keys read as attributes in templates: {{ c.group.name }}."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def ns(tree: Any) -> Any:
    """Nested dicts as Ns, so templates can use dotted names."""
    if isinstance(tree, dict):
        return Ns({k: ns(v) for k, v in tree.items()})
    if isinstance(tree, (list, tuple)):
        return [ns(v) for v in tree]
    return tree


def escape_tree(v: Any) -> Any:
    """The same tree with every string escaped (numbers, booleans and None kept)."""
    if isinstance(v, dict):
        return Ns({k: escape_tree(x) for k, x in v.items()})
    if isinstance(v, (list, tuple)):
        return [escape_tree(x) for x in v]
    if isinstance(v, str):
        return esc(v)
    return v


_TIME = re.compile(r"\d{1,2}[:：]\d{2}(?:\s*[—–~～-]\s*\d{1,2}[:：]\d{2})?")


def contact_markup(value: str, kind: str) -> str:
    """A contact value escaped and marked for line breaking: a phone number never breaks,
    a time range never breaks, an e-mail address or other long Latin run may break
    anywhere (else the justified line before it would spread its letters apart)."""
    if kind == "phone":
        # "0800-5551234（每天8:30—18:30）": the number whole, each time range whole.
        head, sep, rest = value.partition("（")
        out = f'<span class="xc-nobreak">{esc(head)}</span>'
        return out + (esc(sep) + contact_markup(rest, "hours") if sep else "")
    if kind == "email":
        return f'<span class="xc-break">{esc(value)}</span>'
    if kind == "hours":
        out, pos = [], 0
        for m in _TIME.finditer(value):
            out.append(esc(value[pos:m.start()]))
            out.append(f'<span class="xc-nobreak">{esc(m.group(0))}</span>')
            pos = m.end()
        out.append(esc(value[pos:]))
        return "".join(out)
    return esc(value)


def css_string(value: str) -> str:
    """Escape text for a CSS string inside an inline <style>: every character that is
    not a letter, digit or CJK becomes a CSS escape, so no value can end the string
    or the <style> element."""
    out = []
    for ch in value:
        if ch.isalnum() or ch in " ·、，（）":
            out.append(ch)
        else:
            # The trailing space ends the escape; CSS swallows it, so a following space survives.
            out.append(f"\\{ord(ch):06x} ")
    return "".join(out)
