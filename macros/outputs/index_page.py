"""The batch's index page: every edition in the output folder, by round and group, with
its status (worked out in the reader's browser from today's date), the documents people
open most, and the zip. One self-contained file: no request leaves it, it opens from
disk, and it reads on a phone (cards) as well as on a desktop (a table-like grid).
"""

from __future__ import annotations

import html
from itertools import groupby

CSS = """
:root { --red: #a4161a; --fg: #1f1f1f; --light: #5f5f5f; --line: #d9d9d9; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: #fafafa; font: 16px/1.7 system-ui, "Microsoft YaHei",
  "PingFang SC", "Noto Sans CJK SC", sans-serif; }
header { padding: 0.8rem 1rem; color: #fff; background: var(--red); }
header h1 { margin: 0; font-size: 1.25rem; }
main { max-width: 72rem; margin: 0 auto; padding: 1rem; }
p.n { color: var(--light); }
h2 { margin: 1.6rem 0 0.6rem; padding-bottom: 0.2rem; font-size: 1.15rem; border-bottom: 2px solid var(--red); }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(20rem, 1fr)); gap: 0.9rem; }
.card { padding: 0.8rem 1rem; background: #fff; border: 1px solid var(--line); border-top: 4px solid var(--red);
  border-radius: 4px; min-width: 0; }
.card h3 { margin: 0; font-size: 1.05rem; }
.card .unit { margin: 0.1rem 0 0.4rem; font-weight: 700; }
.card dl { margin: 0.3rem 0; display: grid; grid-template-columns: 5em 1fr; gap: 0.1rem 0.6rem; }
.card dt { color: var(--light); }
.card dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }
.status { display: inline-block; margin-left: 0.4rem; padding: 0 0.45rem; font-size: 0.8rem; border-radius: 3px;
  color: #fff; background: #757575; vertical-align: 0.1em; }
.status[data-state="驻点中"] { background: var(--red); }
.status[data-state="未进驻"] { background: #1565c0; }
.links { display: flex; flex-wrap: wrap; gap: 0.4rem 0.9rem; margin: 0.5rem 0 0; padding: 0; list-style: none; }
.links a { color: var(--red); }
.id { margin: 0.5rem 0 0; color: var(--light); font-size: 0.8rem; overflow-wrap: anywhere; }
@media (max-width: 30em) { .cards { grid-template-columns: 1fr; } main { padding: 0.6rem; } }
"""

# Status by the reader's own date: no network, no clock on the build machine.
SCRIPT = """
(function () {
  var d = new Date(), p = function (n) { return (n < 10 ? "0" : "") + n; };
  var today = d.getFullYear() + "-" + p(d.getMonth() + 1) + "-" + p(d.getDate());
  Array.prototype.forEach.call(document.querySelectorAll("[data-start]"), function (el) {
    var s = el.getAttribute("data-start"), e = el.getAttribute("data-end");
    var state = today < s ? "未进驻" : (today <= e ? "驻点中" : "已结束");
    var badge = el.querySelector(".status");
    badge.textContent = state;
    badge.setAttribute("data-state", state);
  });
})();
"""


def render(entries: list[dict]) -> str:
    e = lambda v: html.escape(str(v if v is not None else ""), quote=True)  # noqa: E731
    by_round = sorted(entries, key=lambda x: (x.get("round", ""), x.get("group_number", 0), x.get("group", ""), x["id"]))
    sections = []
    for round_label, items in groupby(by_round, key=lambda x: x.get("round", "")):
        items = list(items)
        cards = []
        notice = items[0].get("round_notice")
        head = f"<h2>{e(round_label)}</h2>"
        if notice:
            head += f'<p><a href="{e(notice)}">本轮巡察进驻情况公告</a></p>'
        for x in items:
            ident = x["id"]
            links = [f'<li><a href="{e(ident)}/index.html">打开</a></li>']
            if x.get("docx"):  # not built with --formats site
                links.append(f'<li><a href="{e(ident)}/speeches/leader-opening.docx" download>讲话（Word）</a></li>')
            links += [f'<li><a href="{e(ident)}/notices/announcement.html">巡察公告</a></li>',
                      f'<li><a href="{e(ident)}/checklists/before-entry.html">配合清单</a></li>']
            if x.get("zip"):
                links.append(f'<li><a href="{e(ident)}.zip" download>压缩包</a></li>')
            if x.get("pdf"):
                links.append(f'<li><a href="{e(ident)}/print-pack.pdf">打印包</a></li>')
            cards.append(
                f'<article class="card" data-start="{e(x.get("start"))}" data-end="{e(x.get("end"))}">'
                f'<h3>{e(x.get("group"))}<span class="status">未进驻</span></h3>'
                f'<p class="unit">{e(x.get("org"))}</p>'
                f'<dl><dt>类型</dt><dd>{e(x.get("kind"))}</dd><dt>驻点时间</dt><dd>{e(x.get("dates"))}</dd></dl>'
                f'<ul class="links">{"".join(links)}</ul>'
                f'<p class="id">版本标识：{e(ident)}</p></article>')
        sections.append(head + f'<div class="cards">{"".join(cards)}</div>')
    body = "".join(sections) if sections else "<p>暂无版本。</p>"
    return f"""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>巡察工作指引与文书 · 版本一览</title>
<style>{CSS}</style>
</head>
<body>
<header><h1>巡察工作指引与文书 · 版本一览</h1></header>
<main>
<p class="n">每次巡察一个版本，共 {len(entries)} 个。点“打开”直接阅读；“压缩包”可拷贝到其他电脑，解压后打开其中的 index.html。状态按本机日期显示。</p>
{body}
</main>
<script>{SCRIPT}</script>
</body>
</html>
"""
