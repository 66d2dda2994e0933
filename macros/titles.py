"""Titles broken by meaning (GB/T 9704: 回行时词意完整, lines in a balanced shape).

A title is cut into words with jieba, the campaign's own names (the group, the unit,
the theme…) kept whole; the lines are chosen among the word boundaries so that no line
is longer than the paper allows, the lines are as even as possible (longer lines first,
the 梯形 shape), and the last line never holds a single character.

`mark_up(text, names, width)` gives the title's HTML: on screen the words do not break
and the browser wraps between them (<wbr>); on paper and in the .docx the chosen lines
are kept (<br class="xc-tl-br">, shown only in print).
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

# Characters per line of a title at 2号 (22pt) on the 156 mm 版心, and of a reading
# page's 18pt heading.
DOC_WIDTH = 20
PAGE_WIDTH = 24


def _width(s: str) -> float:
    """Width in Chinese characters: ASCII letters and digits are half as wide."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in s)


@lru_cache(maxsize=4096)
def _cut(part: str) -> tuple[str, ...]:
    import jieba

    return tuple(w for w in jieba.lcut(part, HMM=False) if w)


def words(text: str, names: tuple[str, ...]) -> list[str]:
    """The title as words; `names` (longest first wins) are never split. Punctuation
    sticks to the word before it (a line never starts with 、，。）” or ends with （“)."""
    names = tuple(sorted({n for n in names if n and len(n) >= 2}, key=len, reverse=True))
    pieces: list[str] = []
    rest = text
    if names:
        pattern = re.compile("|".join(re.escape(n) for n in names))
        pos = 0
        for m in pattern.finditer(text):
            if m.start() > pos:
                pieces += list(_cut(text[pos:m.start()]))
            pieces.append(m.group(0))
            pos = m.end()
        rest = text[pos:]
        pieces += list(_cut(rest)) if rest else []
    else:
        pieces = list(_cut(text))
    out: list[str] = []
    for w in pieces:
        if out and (w[0] in "、，。：；！？）”’》」』" or out[-1][-1] in "（“‘《「『"):
            out[-1] += w
        else:
            out.append(w)
    return out


def lines(ws: list[str], width: float) -> list[str]:
    """The best lines for words `ws`: fewest lines that fit, then the most even, with
    longer lines before shorter ones (梯形), and no one-character last line."""
    from itertools import combinations

    total = _width("".join(ws))
    if total <= width:
        return ["".join(ws)]
    n_words = len(ws)
    for n_lines in range(2, min(n_words, 6) + 1):
        target = total / n_lines
        best = None
        for cuts in combinations(range(1, n_words), n_lines - 1):
            bounds = (0, *cuts, n_words)
            ls = ["".join(ws[a:b]) for a, b in zip(bounds, bounds[1:])]
            widths = [_width(x) for x in ls]
            if max(widths) > width or len(ls[-1]) < 2:
                continue
            # Even lines first; a line shorter than the one below it costs extra (not 梯形).
            cost = sum((w - target) ** 2 for w in widths)
            cost += sum(15 for w1, w2 in zip(widths, widths[1:]) if w2 > w1 + 0.5)
            if best is None or cost < best[0]:
                best = (cost, ls)
        if best is not None:
            return best[1]
    # A single word longer than a line: it has to break inside, evenly.
    text = "".join(ws)
    k = max(2, -(-len(text) // max(1, int(width))))
    size = -(-len(text) // k)
    return [text[i:i + size] for i in range(0, len(text), size)]


def mark_up(text: str, names: tuple[str, ...], width: float) -> str:
    ws = words(text, names)
    out_lines = lines(ws, width)
    bounds = {0}
    acc = 0
    for w in ws:
        acc += len(w)
        bounds.add(acc)
    cuts = [sum(len(x) for x in out_lines[:k]) for k in range(len(out_lines) + 1)]
    if not set(cuts) <= bounds:  # a word had to break: plain lines
        return '<br class="xc-tl-br">'.join(html.escape(x, quote=False) for x in out_lines)
    parts = []
    pos = 0
    for n, line in enumerate(out_lines):
        if n:
            parts.append('<br class="xc-tl-br">')
        # words of this line
        line_words = []
        acc = ""
        while pos < len(ws) and acc != line:
            acc += ws[pos]
            line_words.append(ws[pos])
            pos += 1
        parts.append("<wbr>".join(f'<span class="xc-w">{html.escape(w, quote=False)}</span>' for w in line_words))
    return "".join(parts)
