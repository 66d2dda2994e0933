"""A round: several groups sent to several units by one decision, in one file.

A round file holds the committee once, `defaults` for every edition, and one entry per
edition under `editions`. Each entry is deep-merged as committee + defaults + entry and
then validated as a campaign; its problems carry the entry's path (editions[2].contact.phone).

The same round can be kept in Excel (`workbook_to_round`): sheet 本轮设置 holds the
committee and defaults, sheet 巡察安排 one row per edition with Chinese column headers.
It becomes exactly the mapping a YAML round file gives, so both build the same bytes;
problems name the sheet, row and column (巡察安排!第7行「联系电话」).
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from pathlib import Path
from typing import Any

from . import campaign, yamlio
from .schema import KINDS, UNIT_TYPES, Round

WHAT = "本轮巡察文件"


def is_round(data: Any) -> bool:
    return isinstance(data, dict) and "editions" in data


def merge(base: dict, over: dict) -> dict:
    """Deep merge: mappings merge key by key, anything else in `over` replaces."""
    out = copy.deepcopy(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


def entries(data: dict, path: Path) -> list[tuple[str, dict]]:
    """(key path of the entry, merged campaign mapping) for each edition of a round.
    A round whose own keys are wrong raises CampaignError for the whole file."""
    try:
        r = yamlio.validate(Round, data, path, WHAT)
    except yamlio.InputError as e:
        raise campaign.CampaignError(path, e.problems, WHAT) from None
    out = []
    for i, entry in enumerate(r.editions):
        merged = merge(merge({"committee": r.committee}, r.defaults), entry)
        out.append((f"editions[{i}]", merged))
    return out


# ---- Excel -----------------------------------------------------------------------------------

SETTINGS = "本轮设置"
PLAN = "巡察安排"
HELP = "填写说明"
SEP = re.compile(r"[；;\n]+")

# 本轮设置: (label, key path, what to write). Committee first, then defaults.
SETTING_ROWS = (
    ("党委全称", "committee.name", "公告落款用的全称，如“中共示例市委”"),
    ("党委简称", "committee.short", "行文简称：市委、县委、区委"),
    ("届次", "committee.term", "数字，12 表示“十二届”"),
    ("轮次", "committee.round", "数字，6 表示“第六轮”"),
    ("巡察工作领导小组", "committee.leading_group", "可不填；不填为“××巡察工作领导小组”"),
    ("默认巡察类型", "defaults.kind", "各组都一样时填写：" + "、".join(KINDS)),
    ("默认驻点天数", "defaults.dates.days", "各组都一样时填写，如 40"),
    ("受理截止提前天数", "defaults.dates.deadline_days_before", "受理截止日在驻点结束日之前几天，不填为 3"),
    ("预计反馈间隔天数", "defaults.dates.feedback_after_days", "驻点结束后多少天反馈（预计），不填为 30"),
    ("受理时段", "defaults.contact.hours", "如“工作日8:30—17:30”"),
    ("保管标识", "defaults.label", "内部文书上的标识，不填为“内部资料 注意保存”"),
)

# 巡察安排: (header, key path, kind of value, what to write).
PLAN_COLUMNS = (
    ("版本标识", "id", "text", "小写字母、数字和连字符，如 2027-r6-g1-jyj；作为文件夹名，各行不能重复"),
    ("组号", "group.number", "int", "数字，1 表示第一巡察组"),
    ("组长", "group.leader", "text", "可不填"),
    ("巡察组名称", "group.name", "text", "组名不是“××第几巡察组”时填写，如“市委第一提级巡察组”"),
    ("被巡察党组织", "inspected.org", "text", "全称，如“市教育局党组”"),
    ("被巡察单位", "inspected.unit", "text", "如“市教育局”"),
    ("单位类型", "inspected.type", "choice", "从下拉列表中选：" + "、".join(UNIT_TYPES)),
    ("党组织简称", "inspected.short", "text", "可不填；党组织全称较长时填写行文用的简称"),
    ("表态人职务", "inspected.leader_title", "text", "如“党组书记、局长”"),
    ("表态人姓名", "inspected.leader_name", "text", "可不填"),
    ("所在地党委全称", "inspected.home_committee.name", "text", "提级巡察必填，如“中共临川县委”"),
    ("所在地党委简称", "inspected.home_committee.short", "text", "提级巡察必填，如“临川县委”"),
    ("一并巡察的村", "inspected.villages", "villages",
     "乡镇、街道一并巡察所辖村（社区）时填写，多个用“；”分隔；某村单设意见箱的，写成“石门村（村委会门口、文化广场）”"),
    ("巡察类型", "kind", "choice", "从下拉列表中选；与本轮设置相同时可不填"),
    ("巡察主题", "theme", "text", "专项、机动巡察填写，如“医保基金管理使用”"),
    ("上次巡察", "previous", "text", "巡察“回头看”必填，如“十二届市委第二轮巡察”"),
    ("同步开展巡察的党委", "linked", "list", "可不填；多个用“；”分隔，如“东山区委；南河县委”"),
    ("进驻日期", "dates.start", "date", "日期，如 2027-03-08"),
    ("驻点天数", "dates.days", "int", "数字；与本轮设置相同时可不填"),
    ("受理截止日", "dates.deadline", "date", "可不填；不填按受理截止提前天数推算"),
    ("通知日期", "dates.notice", "date", "可不填；不填为进驻前第10个工作日"),
    ("反馈日期", "dates.feedback", "date", "可不填；不填按驻点结束后的天数预计"),
    ("联系电话", "contact.phone", "phone", "文本格式，如 0123-1234561"),
    ("受理时段", "contact.hours", "text", "与本轮设置相同时可不填"),
    ("电子邮箱", "contact.email", "text", "如 g1@example.cn"),
    ("意见箱地点", "contact.mailboxes", "list", "至少一处，多个用“；”分隔"),
    ("邮政信箱", "contact.post_box", "text", "可不填"),
    ("来访接待地点", "contact.reception", "text", "可不填"),
    ("短信号码", "contact.sms", "phone", "可不填，文本格式"),
)


def _set(d: dict, dotted: str, value):
    keys = dotted.split(".")
    for k in keys[:-1]:
        d = d.setdefault(k, {})
    d[keys[-1]] = value


def _blank(v) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _convert(v, kind: str, where: str, label: str, problems: list) -> Any:
    """An Excel cell as the value a YAML file would hold, or a problem for the reader."""
    if kind == "date":
        if isinstance(v, dt.datetime):
            return v.date().isoformat()
        if isinstance(v, dt.date):
            return v.isoformat()
        if isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v.strip()):
            return v.strip()
        problems.append((where, f"「{label}」应为日期：请按日期格式输入（如 2027-03-08），不要输入“{v}”这样的文字"))
        return None
    if kind == "int":
        if isinstance(v, bool):
            problems.append((where, f"「{label}」应为数字"))
            return None
        if isinstance(v, (int, float)) and float(v).is_integer():
            return int(v)
        if isinstance(v, str) and v.strip().isdigit():
            return int(v.strip())
        problems.append((where, f"「{label}」应为整数（当前：{v}）"))
        return None
    if kind == "phone":
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            problems.append((where, f"「{label}」被 Excel 当成了数字，开头的 0 会丢失：请把这一列设为“文本”格式后重新输入号码"))
            return None
        return str(v).strip()
    if kind == "list":
        return [x.strip() for x in SEP.split(str(v)) if x.strip()]
    if kind == "villages":
        out = []
        for item in (x.strip() for x in SEP.split(str(v)) if x.strip()):
            m = re.fullmatch(r"(.+?)[（(](.+)[)）]", item)
            if m:
                out.append({"name": m.group(1).strip(),
                            "mailboxes": [b.strip() for b in re.split(r"[、，,]", m.group(2)) if b.strip()]})
            else:
                out.append(item)
        return out
    if isinstance(v, dt.datetime):
        return v.date().isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip() if not isinstance(v, str) else v.strip()


def workbook_to_round(path: Path) -> tuple[dict, dict[str, str], dict[str, list[tuple[str, str]]]]:
    """(round mapping, {entry key path prefix: "巡察安排!第N行"}, {entry key path prefix:
    problems of cells that could not be read}) from a filled workbook. A cell of one row
    that cannot be read (a phone typed as a number) fails that row only; a problem in the
    settings sheet or the header fails the whole workbook."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, data_only=True, read_only=True)
    except Exception as e:
        raise campaign.CampaignError(path, [("", f"无法作为 Excel 工作簿打开（{type(e).__name__}），请另存为 .xlsx 后再试")],
                                     WHAT) from None
    for sheet in (SETTINGS, PLAN):
        if sheet not in wb.sheetnames:
            raise campaign.CampaignError(path, [("", f"找不到工作表“{sheet}”（现有：{'、'.join(wb.sheetnames)}）；"
                                                     f"请从 --xlsx-template 生成的模板开始填写")], WHAT)
    problems: list[tuple[str, str]] = []
    data: dict = {"committee": {}, "defaults": {}, "editions": []}
    labels = {label: (key, kind) for label, key, kind in
              [(lbl, key, "int" if key.endswith(("term", "round", "days", "before")) else "text")
               for lbl, key, _ in SETTING_ROWS]}
    for n, row in enumerate(wb[SETTINGS].iter_rows(min_row=2, values_only=True), start=2):
        if not row or _blank(row[0]):
            continue
        label = str(row[0]).strip()
        value = row[1] if len(row) > 1 else None
        if label not in labels:
            problems.append((f"{SETTINGS}!第{n}行", f"未知的项目“{label}”（可用：{'、'.join(labels)}）"))
            continue
        if _blank(value):
            continue
        key, kind = labels[label]
        converted = _convert(value, kind, f"{SETTINGS}!第{n}行", label, problems)
        if converted is not None:
            _set(data, key, converted)

    rows = list(wb[PLAN].iter_rows(values_only=True))
    header = [str(h).strip() if h is not None else "" for h in (rows[0] if rows else [])]
    known = {h: (key, kind) for h, key, kind, _ in PLAN_COLUMNS}
    for h in header:
        if h and h not in known:
            problems.append((f"{PLAN}!第1行", f"未知的列“{h}”；请不要改动表头"))
    where: dict[str, str] = {}
    row_problems: dict[str, list[tuple[str, str]]] = {}
    for n, row in enumerate(rows[1:], start=2):
        if all(_blank(v) for v in row):
            continue
        entry: dict = {}
        mine: list[tuple[str, str]] = []
        for h, v in zip(header, row):
            if not h or h not in known or _blank(v):
                continue
            key, kind = known[h]
            converted = _convert(v, kind, f"{PLAN}!第{n}行「{h}」", h, mine)
            if converted is not None:
                _set(entry, key, converted)
        key = f"editions[{len(data['editions'])}]"
        where[key] = f"{PLAN}!第{n}行"
        if mine:  # this row alone is not built; the others still are
            row_problems[key] = mine
        data["editions"].append(entry)
    if problems:
        raise campaign.CampaignError(path, problems, WHAT)
    if not data["editions"]:
        raise campaign.CampaignError(path, [(PLAN, "没有任何一行巡察安排")], WHAT)
    data["defaults"] = data["defaults"] or {}
    return data, where, row_problems


def cell_of(key: str, where: dict[str, str]) -> str:
    """editions[2].contact.phone → 巡察安排!第4行「联系电话」 for a workbook's messages."""
    m = re.match(r"(editions\[\d+\])\.?(.*)", key)
    if not m or m.group(1) not in where:
        return key
    rest = m.group(2)
    header = next((h for h, k, _, _ in PLAN_COLUMNS if rest == k or rest.startswith(k + ".") or rest.startswith(k + "[")),
                  None)
    return f"{where[m.group(1)]}「{header}」" if header else f"{where[m.group(1)]}（{rest}）"


def write_template(path: Path) -> None:
    """An empty round workbook with drop-down lists, date cells and the explanations."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    head = Font(bold=True)
    fill = PatternFill("solid", fgColor="EDEDED")
    ws = wb.active
    ws.title = SETTINGS
    ws.append(["项目", "内容", "说明"])
    for label, _, help_text in SETTING_ROWS:
        ws.append([label, None, help_text])
    ws.column_dimensions["A"].width = 20
    ws.column_dimensions["B"].width = 30
    ws.column_dimensions["C"].width = 60
    kind_dv = DataValidation(type="list", formula1='"' + ",".join(KINDS) + '"', allow_blank=True)
    ws.add_data_validation(kind_dv)
    kind_dv.add(f"B{1 + [r[0] for r in SETTING_ROWS].index('默认巡察类型') + 1}")

    plan = wb.create_sheet(PLAN)
    plan.append([h for h, _, _, _ in PLAN_COLUMNS])
    for i, (h, key, kind, _) in enumerate(PLAN_COLUMNS, start=1):
        col = get_column_letter(i)
        plan.column_dimensions[col].width = max(10, min(24, len(h) * 2 + 4))
        if kind == "date":
            for r in range(2, 202):
                plan[f"{col}{r}"].number_format = "yyyy-mm-dd"
            dv = DataValidation(type="date", operator="greaterThan", formula1="DATE(2000,1,1)", allow_blank=True,
                                showErrorMessage=True, error="请输入日期，如 2027-03-08")
        elif kind == "phone":
            for r in range(2, 202):
                plan[f"{col}{r}"].number_format = "@"
            dv = None
        elif kind == "choice":
            values = UNIT_TYPES if key == "inspected.type" else KINDS
            dv = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True,
                                showErrorMessage=True, error="请从下拉列表中选择")
        else:
            dv = None
        if dv is not None:
            plan.add_data_validation(dv)
            dv.add(f"{col}2:{col}201")
    for ws_ in (ws, plan):
        for cell in ws_[1]:
            cell.font = head
            cell.fill = fill
    plan.freeze_panes = "B2"

    helpsheet = wb.create_sheet(HELP)
    helpsheet.append(["工作表", "栏目", "怎么填"])
    for label, _, text in SETTING_ROWS:
        helpsheet.append([SETTINGS, label, text])
    for h, _, _, text in PLAN_COLUMNS:
        helpsheet.append([PLAN, h, text])
    helpsheet.append(["", "", ""])
    helpsheet.append(["", "多个值", "意见箱地点、同步开展巡察的党委、一并巡察的村等可以填多个，用“；”分隔，或在单元格内换行"])
    helpsheet.append(["", "生成", "填好后运行：python -m macros.editions --out 输出文件夹 本文件.xlsx"])
    for c, w in (("A", 12), ("B", 20), ("C", 80)):
        helpsheet.column_dimensions[c].width = w
    for row in helpsheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for cell in helpsheet[1]:
        cell.font = head
        cell.fill = fill
    wb.save(path)
