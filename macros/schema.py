"""Campaign and round files: the single source of truth for what they may hold.

Every campaign file is validated against these pydantic models before any page is
rendered; a round file is merged entry by entry into campaigns and validated the same
way. The committed JSON Schema (`campaigns/campaign.schema.json`) is generated from here
by `python -m macros.schema`; a test fails when it is stale.

The names of the inspection kinds, unit types and checklists are defined once here;
the data files under `macros/data/` are checked against the same constants.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Annotated, Literal, Optional, Union

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StrictInt, StrictStr,
                      field_validator, model_validator)

from .yamlio import bad_char, cross_errors

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "campaigns" / "campaign.schema.json"

# ---- Names used everywhere ------------------------------------------------------------

KINDS = ("常规", "专项", "机动", "提级", "回头看")
UNIT_TYPES = ("部门", "乡镇", "街道", "村", "社区", "国企", "学校", "医院", "事业单位")
LIST_NAMES = ("before-entry", "during", "materials", "rectification")
PALETTES = ("红色", "靛蓝")
ISSUERS = ("巡察办", "巡察组")

Kind = Literal[KINDS]
UnitType = Literal[UNIT_TYPES]
ListName = Literal[LIST_NAMES]

# Kinds whose texts need a subject: a catalogued theme, or the campaign's own focus areas.
THEMED_KINDS = ("专项", "机动")

# A due-date rule as written in checklist data and overrides: an anchor, then an offset in
# calendar days ("start-2", "feedback+30"), working days ("start-2w", "feedback+15w") or
# months ("feedback+3m"). plan, life_meeting and report are the rectification steps of
# macros/data/schedule.yml.
ANCHORS = ("notice", "start", "end", "deadline", "feedback", "plan", "life_meeting", "report", "during", "after_end")
DUE_PATTERN = r"^(notice|start|end|deadline|feedback|plan|life_meeting|report|during|after_end)(?:([+-][0-9]{1,3})([wm]?))?$"

# Windows refuses these as file and folder names; an id names the output folder.
RESERVED_IDS = {"con", "prn", "aux", "nul", *{f"com{i}" for i in range(10)}, *{f"lpt{i}" for i in range(10)}}


class StrictModel(BaseModel):
    # extra="forbid": a typo in a key (campaign or data file) is an error, never silently ignored.
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


# ---- Text fields -----------------------------------------------------------------------

def _clean_text(v: str) -> str:
    """Refuse characters a reader cannot see or that break pages and .docx files (the
    list and their names are in macros/yamlio.py; a YAML file is checked as it is read,
    this catches values that come another way, such as an Excel cell)."""
    for ch in v:
        name = bad_char(ch)
        if name is not None:
            raise ValueError(f"含有{name}（U+{ord(ch):04X}），请删除后重写；每项内容应写成一行普通文字")
    return v


def _no_placeholder(v: str) -> str:
    # Placeholders like {theme} belong to the data files; in a campaign file, write the words.
    if re.search(r"[{}｛｝\[\]]", v):
        raise ValueError("请直接写明内容，不要用 {…}、[…] 或花括号、方括号")
    return v


def TextOf(max_length: int, min_length: int = 1):
    """A one-line text field of at most `max_length` characters (the limit is in the schema)."""
    return Annotated[StrictStr, AfterValidator(_clean_text), Field(min_length=min_length, max_length=max_length)]


Name = TextOf(60, 2)          # names of bodies, units, places
Short = TextOf(30, 2)
Person = TextOf(20, 2)
Place = TextOf(120, 2)        # addresses and locations
Line = TextOf(200, 2)         # one sentence
OwnText = Annotated[StrictStr, AfterValidator(_clean_text), AfterValidator(_no_placeholder),
                    Field(min_length=2, max_length=300)]


def _date_only(v):
    # YAML gives a datetime for "2026-12-01 08:00"; we want a plain calendar date.
    if isinstance(v, dt.datetime):
        raise ValueError("应为日期（YYYY-MM-DD），不带时刻")
    if isinstance(v, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", v.strip()):
        raise ValueError("应为日期，格式 YYYY-MM-DD，如 2026-12-01")
    return v


def _plausible_year(v):
    # Dates far outside any real inspection are typos, and overflow date arithmetic.
    if v is not None and not 2000 <= v.year <= 2100:
        raise ValueError("年份应在 2000 至 2100 之间")
    return v


Day = Annotated[dt.date, BeforeValidator(_date_only), AfterValidator(_plausible_year)]


# ---- Campaign --------------------------------------------------------------------------


class Committee(StrictModel):
    name: Name = Field(description="党委全称，用于公告落款，如“中共示例市委”")
    short: TextOf(8, 2) = Field(description="行文简称：市委 / 县委 / 区委")
    term: StrictInt = Field(ge=1, le=99, description="届次，12 → “十二届市委”")
    round: StrictInt = Field(ge=1, le=99, description="本届第几轮巡察，5 → “第五轮”")
    leading_group: Optional[Name] = Field(None, description="巡察工作领导小组名称；不写则为“<short>巡察工作领导小组”")


class Group(StrictModel):
    number: StrictInt = Field(ge=1, le=99, description="巡察组编号，3 → “市委第三巡察组”")
    leader: Optional[Person] = Field(None, description="组长姓名（可选）；不写时文中只称“组长”")
    name: Optional[Short] = Field(None, description="巡察组全称（可选），如“市委第一提级巡察组”；不写则由 short 和 number 生成")


class HomeCommittee(StrictModel):
    name: Name = Field(description="被巡察单位所在地党委全称，如“中共临川县委”")
    short: TextOf(8, 2) = Field(description="简称，如“临川县委”")


class Village(StrictModel):
    name: Short = Field(description="村（社区）名称，如“青山村”")
    mailboxes: list[Place] = Field(default_factory=list, max_length=10, description="该村单设的意见箱地点（可选）")


def _village(v):
    # A village may be written as its name alone.
    return {"name": v} if isinstance(v, str) else v


class Inspected(StrictModel):
    org: Name = Field(description="被巡察党组织全称，如“市财政局党组”“中共石桥镇委员会”")
    unit: Name = Field(description="被巡察单位，如“市财政局”“石桥镇”")
    type: UnitType = Field("部门", description="单位类型：" + "、".join(UNIT_TYPES) + "（不写为部门）")
    short: Optional[Short] = Field(None, description="行文中对党组织的称呼（可选），如“石桥镇党委”；不写则由 org 推出")
    self: Optional[TextOf(4, 1)] = Field(None, description="单位自称用字（可选），局 → “我局”；不写则按类型推出")
    leader_title: Short = Field(description="表态发言人职务，如“党组书记、局长”")
    leader_name: Optional[Person] = Field(None, description="表态发言人姓名（可选），用于落款")
    home_committee: Optional[HomeCommittee] = Field(
        None, description="提级巡察必填：被巡察单位所在地的党委，如 {name: 中共临川县委, short: 临川县委}")
    # The JSON Schema states both spellings, so an editor accepts `- 东湾村` as well.
    villages: list[Annotated[Village, BeforeValidator(_village, json_schema_input_type=Union[Short, Village])]] = Field(
        default_factory=list, max_length=60,
        description="乡镇、街道可选：一并巡察的村（社区），每项写名称，或写 {name, mailboxes}")


class Dates(StrictModel):
    start: Day = Field(description="进驻（动员会）日期，YYYY-MM-DD")
    days: StrictInt = Field(ge=1, le=365, description="驻点天数，含首尾；结束日落在休息日时提前到此前最后一个工作日")
    deadline: Optional[Day] = Field(None, description="受理截止日（可选）；不写则为结束日前 deadline_days_before 天或之前最近的工作日")
    deadline_days_before: StrictInt = Field(3, ge=0, le=60, description="受理截止日在结束日之前的天数（不写为 3）")
    notice: Optional[Day] = Field(None, description="巡察通知日期（可选）；不写则为进驻前第 10 个工作日")
    feedback: Optional[Day] = Field(None, description="反馈日期（可选）；不写则按结束后 feedback_after_days 天预计")
    feedback_after_days: StrictInt = Field(30, ge=1, le=365, description="预计反馈日在结束日之后的天数（不写为 30）")


class LocalCalendar(StrictModel):
    holidays: list[Day] = Field(default_factory=list, max_length=60, description="本地另行放假的日期")
    workdays: list[Day] = Field(default_factory=list, max_length=60, description="本地另行安排上班的日期")


# Constraints before the validator, so the JSON Schema states them for editors too.
Phone = Annotated[StrictStr, Field(pattern=r"^[0-9０-９+()（）\- ]{5,30}$", max_length=30), AfterValidator(_clean_text)]


class Contact(StrictModel):
    phone: Phone = Field(description="联系电话（须加英文引号）")
    hours: TextOf(60, 3) = Field(description="受理电话时段，如“工作日8:30—17:30”")
    email: Annotated[StrictStr, Field(
        max_length=80, pattern=r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}$"),
        AfterValidator(_clean_text)] = Field(
        description="电子邮箱")
    mailboxes: list[Place] = Field(min_length=1, max_length=20, description="意见箱设置地点，至少一处")
    post_box: Optional[Place] = Field(None, description="邮政信箱（可选），如“示例市1960邮箱转市委第三巡察组（邮编000000）”")
    reception: Optional[Place] = Field(None, description="来访接待地点（可选）")
    sms: Optional[Annotated[StrictStr, Field(pattern=r"^[0-9+\- ]{5,20}$", max_length=20),
                            AfterValidator(_clean_text)]] = Field(
        None, description="可接收短信的手机号（可选，须加英文引号）")


class FocusArea(StrictModel):
    title: OwnText = Field(description="监督重点标题")
    points: list[OwnText] = Field(default_factory=list, max_length=12, description="该重点下的具体内容")


class Focus(StrictModel):
    mode: Literal["replace", "extend"] = Field("extend", description="replace 取代按类型和主题生成的重点；extend 追加在其后")
    areas: list[FocusArea] = Field(min_length=1, max_length=8, description="监督重点列表")


DueRule = Annotated[StrictStr, Field(pattern=DUE_PATTERN)]
ItemId = Annotated[StrictStr, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=40)]


class ChecklistItem(StrictModel):
    """One checklist item; the data files (macros/checklists.py) and campaign additions share it."""

    id: ItemId = Field(description="事项标识：小写字母、数字、连字符")
    text: TextOf(300, 4) = Field(description="事项内容")
    owner: TextOf(40, 2) = Field(description="责任部门或岗位")
    due: DueRule = Field(description="时限规则，如 start-2、start-2w（工作日）、during、feedback+15w")
    category: Optional[TextOf(40, 2)] = Field(None, description="资料类别（仅调阅资料清单）")
    note: Optional[TextOf(200, 2)] = Field(None, description="备注（只在屏幕上显示，不印在纸面上）")


class ChecklistItemAdd(ChecklistItem):
    list: ListName = Field(description="加入哪一张清单")
    text: OwnText = Field(description="事项内容")
    owner: Annotated[OwnText, Field(max_length=40)] = Field(description="责任部门或岗位")
    category: Optional[OwnText] = Field(None, description="资料类别（仅调阅资料清单）")
    note: Optional[OwnText] = Field(None, description="备注")


class Checklists(StrictModel):
    drop: list[ItemId] = Field(default_factory=list, description="删去的清单事项 id")
    due: dict[ItemId, DueRule] = Field(default_factory=dict, description="改写时限：事项 id → 时限规则（如 start-3w）")
    add: list[ChecklistItemAdd] = Field(default_factory=list, max_length=60, description="追加的清单事项")


class Problem(StrictModel):
    id: Annotated[StrictStr, Field(pattern=r"^Z-[0-9]{2,3}$")] = Field(description="问题编号，如 Z-01")
    area: TextOf(60, 2) = Field(description="问题所属方面，如“落实全面从严治党战略部署方面”")
    text: TextOf(300, 4) = Field(description="问题表述")


class Rectification(StrictModel):
    problems: list[Problem] = Field(default_factory=list, max_length=99, description="反馈问题清单（可选）")
    ledger: Optional[TextOf(260, 1)] = Field(None, description="被巡察单位交回的整改台账 .xlsx（相对本文件的路径，或绝对路径）")

    @field_validator("problems")
    @classmethod
    def _unique_ids(cls, v):
        seen = set()
        for p in v:
            if p.id in seen:
                raise ValueError(f"问题编号 {p.id} 重复")
            seen.add(p.id)
        return v


def _id(v: str) -> str:
    if v.lower() in RESERVED_IDS:
        raise ValueError(f"“{v}”是 Windows 保留的名称，不能用作版本标识（输出文件夹名），请换一个")
    return v


LinkedCommittee = Annotated[Short, AfterValidator(lambda v: _linked(v))]


def _linked(v: str) -> str:
    if not v.endswith("委"):
        raise ValueError(f"“{v}”应写成党委名称，如“东山区委”“南河县委”")
    return v


class Campaign(StrictModel):
    id: Annotated[StrictStr, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=64), AfterValidator(_id)] = Field(
        description="版本标识：小写字母、数字、连字符；作为输出文件夹名")
    committee: Committee
    group: Group
    inspected: Inspected
    kind: Kind = Field(description="巡察类型：" + "、".join(KINDS))
    theme: Optional[TextOf(40, 2)] = Field(None, description="巡察主题；专项、机动巡察填写，如“医保基金管理使用”")
    linked: list[LinkedCommittee] = Field(default_factory=list, max_length=20,
                                          description="同步开展巡察的党委（可选），如 [东山区委, 南河县委]")
    previous: Optional[TextOf(60, 4)] = Field(None, description="回头看必填：被检查整改情况的那次巡察，如“十二届市委第二轮巡察”")
    dates: Dates
    calendar: LocalCalendar = Field(default_factory=LocalCalendar, description="本地放假、调休的补充（可选）")
    contact: Contact
    focus: Optional[Focus] = Field(None, description="替换或补充监督重点（可选）")
    checklists: Checklists = Field(default_factory=Checklists, description="清单事项的增删与时限调整（可选）")
    rectification: Rectification = Field(default_factory=Rectification, description="整改问题与台账（可选）")
    label: TextOf(20, 2) = Field("内部资料 注意保存", description="内部文书在屏幕与纸面显示的保管标识")
    notice_number: Optional[TextOf(30, 4)] = Field(None, description="巡察通知的发文字号（可选），如“示巡办〔2026〕12号”")
    notice_issuer: Literal[ISSUERS] = Field("巡察办", description="巡察通知以谁的名义发出：巡察办 或 巡察组")
    palette: Literal[PALETTES] = Field("红色", description="页面配色：红色（默认）或 靛蓝")

    @model_validator(mode="after")
    def _cross_field(self):
        errors = []
        if self.kind == "回头看" and not self.previous:
            errors.append(("previous", "巡察“回头看”必须写明被检查的那次巡察，如“十二届市委第二轮巡察”"))
        if self.kind == "提级" and self.inspected.home_committee is None:
            errors.append(("inspected.home_committee",
                           "提级巡察必须写明被巡察单位所在地的党委，如 {name: 中共临川县委, short: 临川县委}"))
        if self.kind == "机动" and not self.theme and not (self.focus and self.focus.mode == "replace"):
            errors.append(("theme", "机动巡察必须写明针对的问题：填写 theme，或用 focus（mode: replace）列出监督重点"))
        if self.kind == "专项" and not self.theme:
            errors.append(("theme", "专项巡察必须填写 theme（巡察主题）"))
        if self.inspected.villages and self.inspected.type not in ("乡镇", "街道"):
            errors.append(("inspected.villages", "只有乡镇、街道可以一并巡察所辖村（社区）"))
        d = self.dates
        end = d.start + dt.timedelta(days=d.days - 1)
        if d.deadline is not None and not (d.start <= d.deadline <= end):
            errors.append(("dates.deadline", f"受理截止日应在 {d.start} 至 {end} 之间"))
        if d.feedback is not None and d.feedback <= end:
            errors.append(("dates.feedback", "反馈日期应在巡察结束之后"))
        if d.notice is not None and d.notice >= d.start:
            errors.append(("dates.notice", "通知日期应在进驻之前"))
        if errors:
            raise cross_errors(errors)
        return self


# ---- Round files ----------------------------------------------------------------------


class Round(StrictModel):
    """A round: the committee once, defaults for every entry, then one entry per edition.
    Entries are plain mappings here; each is merged and validated as a Campaign."""

    committee: dict = Field(description="本轮巡察的党委（同 campaign 的 committee）")
    defaults: dict = Field(default_factory=dict, description="各版本共同的设置，任一 campaign 键")
    editions: list[dict] = Field(min_length=1, max_length=60, description="每个巡察组、每个被巡察单位一项")


def json_schema() -> dict:
    schema = Campaign.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "巡察版本文件（campaign）"
    return schema


def schema_text() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    SCHEMA_PATH.write_text(schema_text(), encoding="utf-8")
    print(f"wrote {SCHEMA_PATH}")
