"""Individual talks: the outline for each category of interviewee, and the schedule.

The categories, their questions by kind and unit type, and whether the theme's topics
are asked of them come from macros/data/talks.yml; how many people of each category a
unit of this type usually has comes from unit-types.yml (`talk_counts`).
"""

from __future__ import annotations

from . import catalogue, cn, wording
from .escape import esc
from .schema import Campaign

# Columns of the printed schedule; names and times are written by hand.
COLUMNS = ("序号", "姓名", "职务/身份", "类别", "时间", "地点", "谈话人", "记录人", "备注")


def _question(text: str) -> str:
    text = text.strip().rstrip("，、；。")
    return text if text.endswith(("？", "?")) else text + "？"


def outlines(c: Campaign, terms: dict[str, str], theme_topics: list[str]) -> list[dict]:
    """One outline per category, in the file's order, as plain text."""
    out = []
    for n, (key, role) in enumerate(catalogue.talks().roles.items(), start=1):
        qs = [wording.fill(q, terms) for q in role.outline(c.kind, c.inspected.type)]
        out.append({
            "key": key,
            "ordinal": cn.numeral(n),
            "label": wording.fill(catalogue.for_type(role.label, c.inspected.type), terms),
            "required": "必谈" if role.required else "选谈",
            "purpose": wording.fill(catalogue.for_type(role.purpose, c.inspected.type), terms),
            "questions": [_question(q) for q in qs if q.strip()],
            "theme_topics": list(theme_topics) if role.theme_questions else [],
        })
    return out


def schedule_html(roles: list[dict], counts: dict[str, int], villages: list[dict]) -> str:
    """The printable schedule: rows grouped by category (and by village when a town's
    villages are inspected with it), blank cells to write in."""
    cols = len(COLUMNS)
    parts = ['<table class="xc-form-table xc-talk-schedule">',
             "<thead><tr>" + "".join(f'<th scope="col">{h}</th>' for h in COLUMNS) + "</tr></thead>", "<tbody>"]
    n = 0

    def group(title: str, label: str, kind: str, rows: int):
        nonlocal n
        parts.append(f'<tr class="xc-form-group"><th scope="colgroup" colspan="{cols}">{esc(title)}</th></tr>')
        for _ in range(rows):
            n += 1
            kind_text = f"（{kind}）" if kind else ""
            parts.append(f"<tr><td>{n}</td><td></td><td></td><td>{esc(label)}{kind_text}</td>"
                         + "<td></td>" * (cols - 4) + "</tr>")

    for r in roles:
        group(f"{r['label']}（{r['required']}）", r["label"], r["required"], max(1, counts.get(r["key"], 1)))
    for v in villages:
        # The group's title says who is talked to in the village; each row names the village.
        group(f"{v['name']}（必谈：村党组织书记、村“两委”成员；选谈：党员、村民代表）", v["name"], "", 4)
    parts.append("</tbody></table>")
    return "\n".join(parts)
