"""HTML for the rectification pages: the plan's table of problems and the progress
summary of a returned ledger (the logic is in macros/rectify.py)."""

from __future__ import annotations

from . import cn, rectify, schedule
from .blocks import fill
from .escape import esc

PLAN_COLUMNS = ("序号", "问题", "整改目标", "整改措施", "责任领导", "责任部门", "完成时限", "完成标志")


def plan_table(ed) -> str:
    due = schedule.date_text(ed.dates.steps["report"], ed.dates.estimated("report"))
    out = ['<table class="xc-form-table xc-plan">',
           "<thead><tr>" + "".join(f'<th scope="col">{h}</th>' for h in PLAN_COLUMNS) + "</tr></thead><tbody>"]
    for p in ed.problems:
        problem = esc(p.text) if p.text else fill("反馈问题")
        area = f'<span class="xc-plan__area">{esc(p.area)}</span>' if p.area else ""
        out.append(f'<tr data-problem="{esc(p.id)}"><td>{esc(p.id)}</td><td>{area}{problem}</td>'
                   f"<td></td><td></td><td></td><td></td><td>{esc(due)}</td><td></td></tr>")
    out.append("</tbody></table>")
    return "".join(out)


def progress(ed) -> str:
    if ed.ledger is None:
        return ('<p class="xc-ledger-none xc-noprint">尚未收到{unit}交回的整改台账。台账交回后，巡察办将据此重新生成本页，'
                "列出整改进展、逾期事项和整改进展情况通报稿。</p>").format(unit=esc(ed.values.inspected.unit))
    p = rectify.progress(list(ed.ledger), rectify.today())
    counts = p["counts"]
    parts = [f'<p class="xc-ledger-date">统计日期：{cn.date(p["on"])}。共 <strong data-xc-total>{p["total"]}</strong> 个问题，'
             f'已完成 <strong data-xc-done>{counts["已完成"]}</strong> 个（完成率 {p["rate"]}%），'
             f'已销号 <strong data-xc-closed>{p["closed"]}</strong> 个。</p>',
             '<table class="xc-form-table xc-ledger-counts"><thead><tr><th scope="col">进展</th><th scope="col">问题数</th>'
             "</tr></thead><tbody>"]
    for status in rectify.STATUSES:
        parts.append(f'<tr data-status="{status}"><td>{status}</td><td>{counts[status]}</td></tr>')
    parts.append("</tbody></table>")
    parts.append(f'<h2 id="overdue">逾期未完成的问题（{len(p["overdue"])} 个）</h2>')
    parts.append(_rows(p["overdue"], "xc-ledger-overdue") if p["overdue"] else "<p>没有逾期未完成的问题。</p>")
    parts.append(f'<h2 id="open">尚未完成的问题（{len(p["open"])} 个）</h2>')
    parts.append(_rows(p["open"], "xc-ledger-open") if p["open"] else "<p>全部问题已完成整改。</p>")
    return "\n".join(parts)


def _rows(rows, cls: str) -> str:
    head = ("编号", "问题", "责任领导", "责任部门", "完成时限", "进展")
    out = [f'<table class="xc-form-table {cls}"><thead><tr>' + "".join(f'<th scope="col">{h}</th>' for h in head)
           + "</tr></thead><tbody>"]
    for r in rows:
        due = cn.date(r.due) if r.due else ""
        out.append(f'<tr data-problem="{esc(r.id)}"><td>{esc(r.id)}</td><td>{esc(r.text)}</td><td>{esc(r.owner)}</td>'
                   f"<td>{esc(r.dept)}</td><td>{due}</td><td>{esc(r.status)}</td></tr>")
    out.append("</tbody></table>")
    return "".join(out)


def bulletin_numbers(ed) -> dict:
    """The numbers the public progress bulletin needs (None when no ledger came back)."""
    if ed.ledger is None:
        return {}
    p = rectify.progress(list(ed.ledger), rectify.today())
    return {"total": p["total"], "done": p["counts"]["已完成"], "ongoing": p["counts"]["推进中"],
            "long": p["counts"]["长期坚持"], "rate": p["rate"], "on": cn.date(p["on"])}
