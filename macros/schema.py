"""Campaign file schema: the single source of truth for what a campaign YAML may hold.

Every campaign file is validated against these pydantic models before any page is
rendered. The committed JSON Schema (`campaigns/campaign.schema.json`) is generated
from here by `python -m macros.schema`; a test fails when it is stale.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Annotated, Literal, Optional

from pydantic import (AfterValidator, BaseModel, ConfigDict, Field, StrictInt, StrictStr, field_validator,
                      model_validator)

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "campaigns" / "campaign.schema.json"

KINDS = ("常规", "专项", "机动", "提级", "回头看")

# A due-date rule as written in checklist data and overrides, e.g. "start-2", "feedback+30".
DUE_PATTERN = r"^(notice|start|end|deadline|feedback|during|after_end)([+-][0-9]{1,3})?$"


class StrictModel(BaseModel):
    # extra="forbid": a typo in a key (campaign or data file) is an error, never silently ignored.
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _single_line(v: str) -> str:
    # A newline or control character would break table rows and lists in the pages and
    # cannot be written into a .docx at all.
    if re.search(r"[\x00-\x1f\x7f]", v):
        raise ValueError("不能含换行、制表符或其他控制字符，请写成一行")
    return v


# Strict: an unquoted YAML number or date is an error, not a silent conversion.
Text = Annotated[StrictStr, AfterValidator(_single_line)]


def _no_placeholder(v: str) -> str:
    # Placeholders like {theme} belong to the data files; in a campaign file, write the words.
    if re.search(r"[{}｛｝]", v):
        raise ValueError("请直接写明内容，不要用 {…} 占位符或花括号")
    return v


# Text a campaign adds to the focus areas or checklists.
OwnText = Annotated[Text, AfterValidator(_no_placeholder)]


class Committee(StrictModel):
    name: Text = Field(min_length=2, description="党委全称，用于公告落款，如“中共示例市委”")
    short: Text = Field(min_length=2, max_length=6, description="行文简称：市委 / 县委 / 区委")
    term: StrictInt = Field(ge=1, le=99, description="届次，12 → “十二届市委”")
    round: StrictInt = Field(ge=1, le=99, description="本届第几轮巡察，5 → “第五轮”")
    leading_group: Optional[Text] = Field(
        None, description="巡察工作领导小组名称；缺省为“<short>巡察工作领导小组”")


class Group(StrictModel):
    number: StrictInt = Field(ge=1, le=99, description="巡察组编号，3 → “市委第三巡察组”")
    leader: Optional[Text] = Field(None, min_length=2, description="组长姓名（可选）；缺省时文中只称“组长”")
    name: Optional[Text] = Field(
        None, description="巡察组全称（可选），如“市委第一提级巡察组”；缺省由 short 和 number 生成")


class Inspected(StrictModel):
    org: Text = Field(min_length=2, description="被巡察党组织，如“市财政局党组”")
    unit: Text = Field(min_length=2, description="被巡察单位，如“市财政局”")
    self: Text = Field(min_length=1, max_length=4, description="单位自称用字：局 → “我局”“全局干部职工”")
    leader_title: Text = Field(min_length=2, description="表态发言人职务，如“党组书记、局长”")
    leader_name: Optional[Text] = Field(None, description="表态发言人姓名（可选），用于落款")


class Dates(StrictModel):
    start: dt.date = Field(description="进驻（动员会）日期，YYYY-MM-DD")
    days: StrictInt = Field(ge=1, le=365, description="驻点天数，含首尾：结束日 = start + days − 1")
    deadline: Optional[dt.date] = Field(None, description="受理截止日（可选）；缺省为结束日前 deadline_days_before 天")
    deadline_days_before: StrictInt = Field(3, ge=0, le=60, description="缺省受理截止日提前的天数")
    notice: Optional[dt.date] = Field(None, description="收到巡察通知的日期（可选）；缺省为进驻前 10 日")
    feedback: Optional[dt.date] = Field(None, description="反馈日期（可选）；缺省为结束后 feedback_after_days 天（预计）")
    feedback_after_days: StrictInt = Field(30, ge=1, le=365, description="缺省预计反馈日在结束日之后的天数")

    @field_validator("start", "deadline", "notice", "feedback", mode="before")
    @classmethod
    def _date_only(cls, v):
        # YAML gives a datetime for "2026-12-01 08:00"; we want a plain calendar date.
        if isinstance(v, dt.datetime):
            raise ValueError("应为日期（YYYY-MM-DD），不带时刻")
        if isinstance(v, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", v.strip()):
            raise ValueError("应为日期，格式 YYYY-MM-DD")
        return v

    @field_validator("start", "deadline", "notice", "feedback")
    @classmethod
    def _plausible_year(cls, v):
        # Dates far outside any real inspection are typos, and overflow date arithmetic.
        if v is not None and not 2000 <= v.year <= 2100:
            raise ValueError("年份应在 2000 至 2100 之间")
        return v

    @property
    def end(self) -> dt.date:
        return self.start + dt.timedelta(days=self.days - 1)


class Contact(StrictModel):
    phone: Text = Field(pattern=r"^[0-9０-９+()（）\- ]{5,30}$", description="联系电话（字符串，须加引号）")
    hours: Text = Field(min_length=3, description="受理电话时段，如“8:30—18:30”")
    email: Text = Field(pattern=r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}$",
                        description="电子邮箱")
    mailboxes: list[Text] = Field(min_length=1, description="意见箱设置地点，至少一处")
    post_box: Optional[Text] = Field(None, description="邮政信箱（可选），如“示例市1960邮箱转市委第三巡察组（邮编000000）”")
    reception: Optional[Text] = Field(None, description="来访接待地点（可选）")
    sms: Optional[Text] = Field(None, pattern=r"^[0-9+\- ]{5,20}$", description="可接收短信的手机号（可选）")

    @field_validator("mailboxes")
    @classmethod
    def _non_empty_items(cls, v):
        for item in v:
            if not item.strip():
                raise ValueError("意见箱地点不能为空字符串")
        return v


class FocusArea(StrictModel):
    title: OwnText = Field(min_length=2, description="监督重点标题")
    points: list[OwnText] = Field(default_factory=list, description="该重点下的具体内容")


class Focus(StrictModel):
    mode: Literal["replace", "extend"] = Field("extend", description="replace 取代按类型生成的重点；extend 追加在其后")
    areas: list[FocusArea] = Field(min_length=1, description="监督重点列表")


class ChecklistItem(StrictModel):
    """One checklist item; the data files (macros/checklists.py) and campaign additions share it."""

    id: Text = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", description="事项标识：小写字母、数字、连字符")
    text: Text = Field(min_length=4, description="事项内容")
    owner: Text = Field(min_length=2, description="责任部门或岗位")
    due: Text = Field(pattern=DUE_PATTERN, description="时限规则，如 start-2、during、feedback+30")
    category: Optional[Text] = Field(None, description="资料类别（仅调阅资料清单）")
    note: Optional[Text] = Field(None, description="备注")


class ChecklistItemAdd(ChecklistItem):
    list: Literal["before-entry", "during", "materials", "rectification"] = Field(description="加入哪一张清单")
    text: OwnText = Field(min_length=4, description="事项内容")
    owner: OwnText = Field(min_length=2, description="责任部门或岗位")
    category: Optional[OwnText] = Field(None, description="资料类别（仅调阅资料清单）")
    note: Optional[OwnText] = Field(None, description="备注")


class Checklists(StrictModel):
    drop: list[Text] = Field(default_factory=list, description="删去的清单事项 id")
    due: dict[str, Text] = Field(default_factory=dict, description="改写时限：事项 id → 时限规则（如 start-3）")
    add: list[ChecklistItemAdd] = Field(default_factory=list, description="追加的清单事项")

    @field_validator("due")
    @classmethod
    def _due_rules(cls, v):
        for key, rule in v.items():
            if not re.fullmatch(DUE_PATTERN, rule):
                raise ValueError(f"{key} 的时限规则“{rule}”无效，应如 start-2、end、feedback+30")
        return v


class Campaign(StrictModel):
    id: Text = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=64,
                     description="版本标识：小写字母、数字、连字符；作为输出目录名")
    committee: Committee
    group: Group
    inspected: Inspected
    kind: Literal["常规", "专项", "机动", "提级", "回头看"] = Field(description="巡察类型")
    theme: Optional[Text] = Field(None, min_length=2, description="巡察主题；专项巡察必填，如“乡村振兴领域”")
    linked: list[Text] = Field(default_factory=list, description="同步联动开展巡察的地区或单位（可选）")
    previous: Optional[Text] = Field(None, description="回头看：上次巡察的名称，如“十一届市委第八轮巡察”（可选）")
    dates: Dates
    contact: Contact
    focus: Optional[Focus] = Field(None, description="覆盖或扩展按类型生成的监督重点（可选）")
    checklists: Checklists = Field(default_factory=Checklists, description="清单事项的增删与时限调整（可选）")
    label: Text = Field("内部资料 注意保存", description="屏幕与纸面显示的密级/保管标识")

    @model_validator(mode="after")
    def _cross_field(self):
        errors = []
        if self.kind == "专项" and not self.theme:
            errors.append(("theme", "专项巡察必须填写 theme（巡察主题）"))
        d = self.dates
        if d.deadline is not None and not (d.start <= d.deadline <= d.end):
            errors.append(("dates.deadline", f"受理截止日应在 {d.start} 至 {d.end} 之间"))
        if d.feedback is not None and d.feedback <= d.end:
            errors.append(("dates.feedback", "反馈日期应在巡察结束之后"))
        if d.notice is not None and d.notice >= d.start:
            errors.append(("dates.notice", "通知日期应在进驻之前"))
        if errors:
            # Raised as one ValueError; the loader splits it back into key paths.
            raise ValueError("；".join(f"@{path}@{msg}" for path, msg in errors))
        return self


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
