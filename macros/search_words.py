"""Campaign words for the Chinese search index, without side effects between builds.

jieba keeps its dictionary in process globals, and every build adds to it (the
search plugin loads the user dictionary again; we add the campaign's own names).
One worker of `macros.editions` builds many editions in turn, so the dictionary is
snapshotted before a build and restored after it: an edition's search index is then
the same whether it is built alone or after others.
"""

from __future__ import annotations

import re

try:
    import jieba
except ImportError:  # Material's search works (less well) without jieba
    jieba = None

_snapshot: dict | None = None


def snapshot() -> None:
    global _snapshot
    if jieba is None or _snapshot is not None:
        return
    jieba.initialize()
    _snapshot = {"freq": dict(jieba.dt.FREQ), "total": jieba.dt.total}


def add(words) -> None:
    if jieba is None:
        return
    for word in words:
        if not word or len(word) > 20:
            continue
        jieba.add_word(word)
        # jieba's words can't hold quotes or brackets (农村集体“三资”管理): add the Han runs too.
        for run in re.findall(r"[\u4e00-\u9fff]{2,}", word):
            if run != word:
                jieba.add_word(run)


def restore() -> None:
    global _snapshot
    if jieba is None or _snapshot is None:
        return
    jieba.dt.FREQ = _snapshot["freq"]
    jieba.dt.total = _snapshot["total"]
    _snapshot = None
