"""The batch's index page: every edition in the output folder, with links."""

from __future__ import annotations

import html


def render(entries: list[dict]) -> str:
    e = lambda v: html.escape(str(v if v is not None else ""), quote=True)  # noqa: E731
    rows = []
    for x in entries:
        ident = x["id"]
        links = [f'<a href="{e(ident)}/index.html">打开</a>']
        if x.get("zip"):
            links.append(f'<a href="{e(ident)}.zip" download>压缩包</a>')
        if x.get("pdf"):
            links.append(f'<a href="{e(ident)}/print-pack.pdf">打印包</a>')
        rows.append(
            "<tr>"
            f'<td>{e(x.get("org"))}<br><span class="u">{e(x.get("unit"))}</span></td>'
            f'<td>{e(x.get("group"))}<br><span class="u">{e(x.get("round"))}</span></td>'
            f'<td>{e(x.get("kind"))}</td>'
            f'<td>{e(x.get("dates"))}</td>'
            f"<td><code>{e(ident)}</code></td>"
            f'<td class="l">{"　".join(links)}</td>'
            "</tr>"
        )
    body = "\n".join(rows) if rows else '<tr><td colspan="6">暂无版本。</td></tr>'
    return f"""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>巡察工作指引与文书 · 版本一览</title>
<style>
body {{ font-family: system-ui, "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", sans-serif;
  margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #222; }}
h1 {{ font-size: 1.5rem; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border: 1px solid #ccc; padding: .5rem .6rem; text-align: left; vertical-align: top; }}
th {{ background: #f3f3f3; }}
.u {{ color: #666; font-size: .9em; }}
.l {{ white-space: nowrap; }}
p.n {{ color: #555; }}
</style>
</head>
<body>
<h1>巡察工作指引与文书 · 版本一览</h1>
<p class="n">每次巡察一个版本。点击“打开”直接阅读；“压缩包”可拷贝到其他电脑，解压后打开其中的 index.html。共 {len(entries)} 个版本。</p>
<table>
<thead><tr><th>被巡察党组织 / 单位</th><th>巡察组 / 轮次</th><th>类型</th><th>进驻时间</th><th>版本标识</th><th>查看与下载</th></tr></thead>
<tbody>
{body}
</tbody>
</table>
</body>
</html>
"""
