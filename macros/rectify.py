"""Rectification after the feedback: the problem list, the ledger workbook that goes to
the unit, and reading it back when it returns.

- `problems(campaign)`: the problems with stable ids (Z-01, Z-02…): the campaign's own
  `rectification.problems`, or numbered rows for the unit to fill in.
- `ledger_workbook(edition)`: the 整改台账 as an .xlsx made with openpyxl: Chinese headers,
  frozen panes, drop-down lists for 进展 and 销号, the deadlines from the calendar, a sheet
  that explains every column, page setup for A4 landscape.
- `read_ledger(path, campaign, dates)`: the unit's filled workbook, every row checked;
  every problem is reported with its cell (整改台账!F7), in Chinese, and nothing half-read
  is ever used.
- `progress(ledger, today)`: counts by status, overdue items, open items.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

from . import cn, yamlio
from .schema import Campaign

SHEET = "整改台账"
HELP_SHEET = "填写说明"
STATUSES = ("未启动", "推进中", "已完成", "长期坚持")
CLOSED = ("是", "否")
DEFAULT_ROWS = 8
WHAT = "整改台账"

# (header, width in characters, what to write): the order is the workbook's column order.
COLUMNS = (
    ("问题编号", 9, "巡察反馈问题的编号，如 Z-01。编号由巡察组确定，不要改动、不要重复。"),
    ("所属方面", 16, "问题属于反馈意见的哪一方面。"),
    ("问题描述", 36, "反馈意见中的问题表述。"),
    ("整改目标", 24, "整改要达到的目标。"),
    ("整改措施", 36, "具体措施，一条措施一句话。"),
    ("责任领导", 10, "牵头负责的班子成员。"),
    ("责任部门", 12, "具体承办的部门或岗位。"),
    ("完成时限", 12, "应当完成的日期，日期格式（如 2027-08-20）。已按反馈日期和整改报告时限填好，可按整改方案改写。"),
    ("进展", 10, "从下拉列表中选：未启动、推进中、已完成、长期坚持。"),
    ("完成日期", 12, "实际完成的日期，日期格式。进展为“已完成”的必须填写。"),
    ("销号", 8, "从下拉列表中选：是、否。经分管领导签字确认、佐证材料齐全的才能销号。"),
    ("佐证材料", 24, "能证明整改完成的文件、照片、记录等的名称。"),
    ("备注", 16, "其他需要说明的情况。"),
)
HEADERS = tuple(h for h, _, _ in COLUMNS)
COL = {h: i for i, h in enumerate(HEADERS)}


@dataclass(frozen=True)
class Problem:
    id: str
    area: str
    text: str


def problems(c: Campaign) -> list[Problem]:
    given = [Problem(p.id, p.area, p.text) for p in c.rectification.problems]
    if given:
        return given
    return [Problem(f"Z-{n:02d}", "", "") for n in range(1, DEFAULT_ROWS + 1)]


# ---- Writing the workbook --------------------------------------------------------------------


def ledger_workbook(c: Campaign, deadline: dt.date, title: str, author: str, stamp: dt.datetime) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    head_font = Font(name="黑体", bold=True, size=11)
    body_font = Font(name="仿宋", size=11)
    wrap = Alignment(wrap_text=True, vertical="top")
    ws.append(list(HEADERS))
    for cell in ws[1]:
        cell.font = head_font
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.fill = PatternFill("solid", fgColor="EDEDED")
        cell.border = border
    for p in problems(c):
        ws.append([p.id, p.area, p.text, "", "", "", "", deadline, "未启动", None, "否", "", ""])
    last = ws.max_row
    for row in ws.iter_rows(min_row=2, max_row=last):
        for cell in row:
            cell.font = body_font
            cell.alignment = wrap
            cell.border = border
        row[COL["完成时限"]].number_format = "yyyy-mm-dd"
        row[COL["完成日期"]].number_format = "yyyy-mm-dd"
    for i, (_, width, _) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[_letter(i)].width = width
    ws.freeze_panes = "B2"
    progress = DataValidation(type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=False,
                              showErrorMessage=True, errorTitle="进展", error="请从下拉列表中选择")
    closed = DataValidation(type="list", formula1='"' + ",".join(CLOSED) + '"', allow_blank=True,
                            showErrorMessage=True, errorTitle="销号", error="请选择“是”或“否”")
    dates = DataValidation(type="date", operator="greaterThan", formula1="DATE(2000,1,1)", allow_blank=True,
                           showErrorMessage=True, errorTitle="日期", error="请填写日期，如 2027-08-20")
    for dv in (progress, closed, dates):
        ws.add_data_validation(dv)
    progress.add(f"{_letter(COL['进展'] + 1)}2:{_letter(COL['进展'] + 1)}{max(last, 200)}")
    closed.add(f"{_letter(COL['销号'] + 1)}2:{_letter(COL['销号'] + 1)}{max(last, 200)}")
    for name in ("完成时限", "完成日期"):
        col = _letter(COL[name] + 1)
        dates.add(f"{col}2:{col}{max(last, 200)}")
    # A4 landscape, every column on the page, the header row on every page.
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.oddHeader.center.text = title
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"

    help_ws = wb.create_sheet(HELP_SHEET)
    help_ws.append(["栏目", "怎么填"])
    for cell in help_ws[1]:
        cell.font = head_font
    for header, _, text in COLUMNS:
        help_ws.append([header, text])
    help_ws.append(["", ""])
    help_ws.append(["交回", "每周更新一次，按巡察办要求交回。不要改动表头、不要删除或调换列；"
                            "新增问题须经巡察组确定编号后再加行。"])
    help_ws.column_dimensions["A"].width = 12
    help_ws.column_dimensions["B"].width = 90
    for row in help_ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap
            cell.font = body_font

    wb.properties.creator = author
    wb.properties.lastModifiedBy = author
    wb.properties.title = title
    wb.properties.created = stamp
    wb.properties.modified = stamp
    buf = io.BytesIO()
    wb.save(buf)
    from .output import fixed_zip

    return fixed_zip(buf.getvalue(), stamp)


def _letter(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)


# ---- Reading it back ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    line: int
    id: str
    area: str
    text: str
    owner: str
    dept: str
    due: dt.date | None
    status: str
    done: dt.date | None
    closed: str


class LedgerError(yamlio.InputError):
    def __init__(self, path, problems):
        super().__init__(path, problems, WHAT, "本次未生成、未覆盖任何文件。")


def ledger_path(c: Campaign, campaign_path: Path) -> Path | None:
    if not c.rectification.ledger:
        return None
    p = Path(c.rectification.ledger)
    return p if p.is_absolute() else (Path(campaign_path).parent / p)


def read_ledger(path: Path, c: Campaign, start: dt.date) -> list[Row]:
    """Every row of the unit's ledger, checked; LedgerError lists every problem."""
    from openpyxl import load_workbook

    path = Path(path)
    try:
        if not path.is_file():
            raise LedgerError(path, [("", "找不到这个文件（rectification.ledger）")])
        wb = load_workbook(path, data_only=True, read_only=True)
    except LedgerError:
        raise
    except Exception as e:  # not a workbook, damaged, encrypted
        raise LedgerError(path, [("", f"无法作为 Excel 工作簿打开（{type(e).__name__}），请用 Excel 或 WPS 另存为 .xlsx 后再试")]) from None
    if SHEET not in wb.sheetnames:
        raise LedgerError(path, [("", f"找不到工作表“{SHEET}”（现有：{'、'.join(wb.sheetnames)}），请不要改动工作表名称")])
    ws = wb[SHEET]
    rows = list(ws.iter_rows(values_only=True))
    problems: list[tuple[str, str]] = []
    header = [str(v).strip() if v is not None else "" for v in (rows[0] if rows else [])]
    missing = [h for h in HEADERS if h not in header]
    if missing:
        raise LedgerError(path, [(f"{SHEET}!第1行", f"缺少栏目：{'、'.join(missing)}；请不要改动表头")])
    idx = {h: header.index(h) for h in HEADERS}
    known = {p.id for p in c.rectification.problems}
    latest = dt.date(start.year + 5, start.month, min(start.day, 28))
    out: list[Row] = []
    seen: dict[str, int] = {}

    def cell(name: str, line: int) -> str:
        return f"{SHEET}!{_letter(idx[name] + 1)}{line}"

    for line, values in enumerate(rows[1:], start=2):
        values = list(values) + [None] * (len(header) - len(values))
        get = lambda name: values[idx[name]]  # noqa: E731
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        ident = str(get("问题编号") or "").strip()
        if not re.fullmatch(r"Z-\d{2,3}", ident):
            problems.append((cell("问题编号", line), f"问题编号应如 Z-01（当前：{ident or '空'}）"))
        elif known and ident not in known:
            problems.append((cell("问题编号", line), f"编号 {ident} 不在本次巡察的问题清单中"))
        elif ident in seen:
            problems.append((cell("问题编号", line), f"编号 {ident} 与第 {seen[ident]} 行重复"))
        seen.setdefault(ident, line)
        status = str(get("进展") or "").strip()
        if status not in STATUSES:
            problems.append((cell("进展", line), f"应为{'、'.join(STATUSES)}之一（当前：{status or '空'}）"))
        closed = str(get("销号") or "").strip()
        if closed and closed not in CLOSED:
            problems.append((cell("销号", line), f"应为“是”或“否”（当前：{closed}）"))
        dates = {}
        for name in ("完成时限", "完成日期"):
            v = get(name)
            d = _as_date(v)
            if v not in (None, "") and d is None:
                problems.append((cell(name, line), f"应为日期，如 2027-08-20（当前是文字“{v}”）；"
                                                  f"在 Excel 中把单元格格式设为日期后重新输入"))
            elif d is not None and not (start <= d <= latest):
                problems.append((cell(name, line), f"日期 {cn.date(d)} 不在本次巡察之后的合理范围内"
                                                  f"（{cn.date(start)}至{cn.date(latest)}）"))
            dates[name] = d
        if status == "已完成" and dates["完成日期"] is None:
            problems.append((cell("完成日期", line), "进展为“已完成”，须填写完成日期"))
        if closed == "是" and status != "已完成":
            problems.append((cell("销号", line), "只有进展为“已完成”的问题才能销号"))
        out.append(Row(line=line, id=ident, area=str(get("所属方面") or "").strip(),
                       text=str(get("问题描述") or "").strip(), owner=str(get("责任领导") or "").strip(),
                       dept=str(get("责任部门") or "").strip(), due=dates["完成时限"], status=status,
                       done=dates["完成日期"], closed=closed))
    if not out and not problems:
        problems.append((SHEET, "台账中没有任何问题记录"))
    if problems:
        raise LedgerError(path, problems)
    return out


def _as_date(v) -> dt.date | None:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if isinstance(v, str) and re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", v.strip()):
        try:
            y, m, d = map(int, v.strip().split("-"))
            return dt.date(y, m, d)
        except ValueError:
            return None
    return None


# ---- Progress -----------------------------------------------------------------------------------


def today() -> dt.date:
    """The build date: SOURCE_DATE_EPOCH when set (reproducible builds), else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return dt.date.today()


def progress(rows: list[Row], on: dt.date) -> dict:
    counts = {s: sum(1 for r in rows if r.status == s) for s in STATUSES}
    open_rows = [r for r in rows if r.status != "已完成"]
    overdue = [r for r in open_rows if r.status != "长期坚持" and r.due is not None and r.due < on]
    total = len(rows)
    return {
        "on": on,
        "total": total,
        "counts": counts,
        "closed": sum(1 for r in rows if r.closed == "是"),
        "rate": round(100 * counts["已完成"] / total) if total else 0,
        "open": open_rows,
        "overdue": overdue,
    }
