"""The edition's search index, made for Chinese readers.

MkDocs Material writes `search/search_index.json` (and the offline plugin a copy as
`search_index.js` for pages opened from disk). We keep its documents but clean them
(no zero-width characters), and add the alias groups of this edition (the unit's full
and short names, the theme's other names, common abbreviations). The browser side is
our own worker (docs/assets/javascripts/search-worker.js), which finds any substring
of a page's text, so every two-to-four-character word on a page is found whether or
not a word segmenter would cut there.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from . import catalogue

_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


def aliases(ed) -> list[list[str]]:
    """Groups of interchangeable names for this edition, longest names first in each."""
    groups: list[list[str]] = [list(g) for g in catalogue.search_aliases()]
    if ed.theme is not None:
        groups += [list(g) for g in ed.theme.search_aliases]
        groups.append([ed.theme.name, *ed.theme.aliases])
    v = ed.values.inspected
    names = [v.unit, v.org, v.org_short, ed.terms.get("unit_short", "")]
    groups.append([n for n in dict.fromkeys(names) if n])
    out = []
    for g in groups:
        g = [x for x in dict.fromkeys(x.strip() for x in g) if len(x) >= 2]
        if len(g) >= 2:
            out.append(sorted(g, key=len, reverse=True))
    return out


def rewrite(site: Path, ed, added: dict[str, str] | None = None) -> int:
    """Clean the index and add the aliases; `added` maps a section's location to HTML
    written into the page after MkDocs indexed it (the home page's list of fills).
    Returns the index size in bytes."""
    added = dict(added or {})
    folder = site / "search"
    path = folder / "search_index.json"
    if not path.is_file():
        return 0
    index = json.loads(path.read_text(encoding="utf-8"))
    docs = []
    for doc in index.get("docs", []):
        doc["title"] = _INVISIBLE.sub("", doc.get("title", ""))
        doc["text"] = _INVISIBLE.sub("", doc.get("text", "") + added.pop(doc.get("location"), ""))
        docs.append(doc)
    index["docs"] = docs
    index.setdefault("config", {})["aliases"] = aliases(ed)
    data = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
    path.write_text(data, encoding="utf-8")
    js = folder / "search_index.js"
    if js.is_file():
        js.write_text(f"var __index = {data}", encoding="utf-8")
    return len(data.encode("utf-8"))
