"""A round's own outputs beside its editions: the combined announcement
(本轮巡察进驻情况公告, HTML and .docx) and round.json.

The announcement is one public notice for the whole round: the basis, one table of
every group, unit, period and channel, the scope of what is received, signed by the
leading group's office. Like an edition's announcement it carries no confidentiality
label and no running header, and prints on A4.
"""

from __future__ import annotations

import datetime as dt
import json

from .. import cn
from ..escape import esc

CSS = """
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
body { margin: 2rem auto; max-width: 48rem; padding: 0 1rem; color: #000; background: #fff;
  font-family: "仿宋_GB2312", "仿宋", "FangSong", "Noto Serif CJK SC", serif; font-size: 16pt; line-height: 1.75; }
h1 { margin: 0 0 1em; font-family: "方正小标宋简体", "华文中宋", "Noto Serif CJK SC", serif; font-size: 22pt;
  font-weight: normal; line-height: 1.5; text-align: center; text-wrap: balance; }
p { margin: 0; text-indent: 2em; text-align: justify; }
table { width: 100%; margin: 0.6em 0; border-collapse: collapse; font-size: 11pt; line-height: 1.5; }
th, td { padding: 0.3em 0.4em; border: 0.75pt solid #000; vertical-align: top; text-align: left; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
.c { overflow-wrap: anywhere; }
.sign { margin-top: 1.75em; padding-right: 4em; text-align: right; text-indent: 0; }
.sign + .sign { margin-top: 0; }
@media (max-width: 40em) { body { font-size: 13pt; } h1 { font-size: 17pt; } table { font-size: 10pt; } }
@media print { body { margin: 0; max-width: none; padding: 0; } }
"""


def _first(editions) -> object:
    return min(editions, key=lambda e: e.dates.start)


def html(editions) -> str:
    """The combined announcement of a round's editions (built editions only)."""
    first = _first(editions)
    v = first.values
    round_label = v.round_label
    rows = []
    for ed in sorted(editions, key=lambda e: (e.values.group.number, e.id)):
        x = ed.values
        channels = "<br>".join(f"{esc(ch['label'])}：<span class=\"c\">{esc(ch['value'])}</span>" for ch in x.channels)
        rows.append(f"<tr><td>{esc(x.group.name)}<br>{esc(x.group.leader and '组长：' + x.group.leader or '')}</td>"
                    f"<td>{esc(x.inspected.org)}<br>{esc(x.kind_label)}</td>"
                    f"<td>{esc(x.dates.range)}<br>受理截止：{esc(x.dates.deadline)}</td>"
                    f"<td>{channels}</td></tr>")
    scope = first.shared.round_receipt + "。"
    regulation = first.regs.doc.inspection.title
    start = min(ed.dates.start for ed in editions)
    return f"""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(round_label)}进驻情况公告</title>
<style>{CSS}</style>
</head>
<body>
<div class="xc-doc xc-doc--notice xc-doc--public" data-docx="announcement.docx">
<h1>{esc(round_label)}进驻情况公告</h1>
<p>根据{esc(v.committee.short)}统一部署，依照《{esc(regulation)}》有关规定，{esc(round_label)}的{cn.numeral(len(editions))}个巡察组陆续进驻，对{cn.numeral(len(editions))}个单位党组织开展巡察。现将各巡察组的驻点时间和受理方式公告如下：</p>
<table>
<thead><tr><th scope="col">巡察组</th><th scope="col">被巡察党组织</th><th scope="col">驻点时间</th><th scope="col">受理方式</th></tr></thead>
<tbody>
{"".join(rows)}
</tbody>
</table>
<p>{scope}</p>
<p class="sign xc-doc-sign">{esc(v.office_signature)}</p>
<p class="sign xc-doc-sign">{cn.date(start)}</p>
</div>
</body>
</html>
"""


def docx_bytes(page_html: str, editions) -> bytes:
    from lxml import html as lh

    from . import docx

    first = _first(editions)
    stamp = dt.datetime(first.dates.start.year, first.dates.start.month, first.dates.start.day)
    div = lh.fromstring(page_html).xpath('//div[@data-docx]')[0]
    return docx.render(div, {"stamp": stamp, "author": first.values.office_signature, "label": ""})


def round_json(editions) -> str:
    first = _first(editions)
    v = first.values
    data = {
        "round": v.round_label,
        "committee": v.committee.name,
        "editions": [{
            "id": ed.id, "group": ed.values.group.name, "leader": ed.values.group.leader,
            "org": ed.values.inspected.org, "unit": ed.values.inspected.unit, "type": ed.values.inspected.type,
            "kind": ed.values.kind_label, "start": ed.dates.start.isoformat(), "end": ed.dates.end.isoformat(),
            "deadline": ed.dates.deadline.isoformat(), "phone": ed.values.contact.phone,
            "email": ed.values.contact.email, "mailboxes": list(ed.values.contact.mailboxes),
        } for ed in sorted(editions, key=lambda e: (e.values.group.number, e.id))],
    }
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
