"""Load and validate a campaign file, and derive the values pages need.

`load(path)` returns a validated `Campaign` or raises `CampaignError` with every
problem in the file at once, each as a dotted key path and a Chinese message.
`context(campaign)` builds the template variables; every string in it is escaped,
so a campaign value can never become markup in a page.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from . import cn, period
from .schema import Campaign

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CAMPAIGN = "campaigns/example.yml"


class CampaignError(Exception):
    """A campaign file that cannot be used; `problems` is a list of (key path, message)."""

    def __init__(self, path: str | os.PathLike, problems: list[tuple[str, str]]):
        self.path = str(path)
        self.problems = problems
        super().__init__(self.report())

    def report(self) -> str:
        lines = [f"巡察版本文件有误：{self.path}"]
        for key, msg in self.problems:
            lines.append(f"  - {key or '（文件）'}：{msg}")
        lines.append(f"共 {len(self.problems)} 处问题，请修改后重试；本次未生成、未覆盖任何文件。")
        return "\n".join(lines)


# ---- YAML loading ---------------------------------------------------------------


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps timestamps as strings, so pydantic (not PyYAML) judges
    dates: a bad date becomes a key-path error instead of a YAML crash."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _read_yaml(path: Path) -> Any:
    try:
        # utf-8-sig: files saved by Windows editors often start with a BOM.
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CampaignError(path, [("", "文件不存在")]) from None
    except UnicodeDecodeError:
        raise CampaignError(path, [("", "文件不是 UTF-8 编码，请另存为 UTF-8")]) from None
    except IsADirectoryError:
        raise CampaignError(path, [("", "这是一个文件夹，请指定一个 .yml 文件")]) from None
    except OSError as e:
        raise CampaignError(path, [("", f"无法读取文件：{e.strerror or e}")]) from None
    if not text.strip():
        raise CampaignError(path, [("", "文件为空")])
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as e:
        where = ""
        mark = getattr(e, "problem_mark", None)
        if mark is not None:
            where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列附近"
        raise CampaignError(path, [("", f"不是有效的 YAML {where}：{getattr(e, 'problem', e)}")]) from None
    if data is None:
        raise CampaignError(path, [("", "文件为空")])
    if not isinstance(data, dict):
        raise CampaignError(path, [("", "顶层应为键值映射（如 id: …、committee: …）")])
    return data


# ---- Error messages -------------------------------------------------------------

_PATTERN_HINTS = {
    "id": "只能由小写字母、数字和连字符组成，不能有空格，如 2026-r5-g3-czj",
    "contact.phone": "应为电话号码（数字、连字符、括号），并用引号括起",
    "contact.sms": "应为手机号码，并用引号括起",
    "contact.email": "应为有效的电子邮箱地址，如 xc3@example.gov.cn",
}


def _keypath(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _message(err: dict, key: str) -> str:
    t = err["type"]
    ctx = err.get("ctx") or {}
    got = err.get("input")
    shown = f"（当前值：{got!r}）" if not isinstance(got, (dict, list)) and t != "missing" else ""
    if t == "missing":
        return "缺少必填项"
    if t == "extra_forbidden":
        return "未知的键，请检查拼写（可用的键见 campaigns/campaign.schema.json）"
    if t == "string_type":
        if isinstance(got, int) and not isinstance(got, bool):
            return f"应为字符串：数字会被 YAML 改写（如以 0 开头的号码），请加引号{shown}"
        return f"应为字符串，请加引号{shown}"
    if t in ("int_type", "int_parsing", "int_from_float"):
        return f"应为整数{shown}"
    if t == "greater_than_equal":
        return f"应不小于 {ctx.get('ge')}{shown}"
    if t == "greater_than":
        return f"应大于 {ctx.get('gt')}{shown}"
    if t == "less_than_equal":
        return f"应不大于 {ctx.get('le')}{shown}"
    if t == "string_pattern_mismatch":
        return _PATTERN_HINTS.get(key, "格式不正确") + shown
    if t == "string_too_short":
        return f"内容过短，至少 {ctx.get('min_length')} 个字{shown}"
    if t == "string_too_long":
        return f"内容过长，至多 {ctx.get('max_length')} 个字{shown}"
    if t == "too_short":
        return f"至少需要 {ctx.get('min_length')} 项"
    if t.startswith("date"):
        return f"应为有效日期，格式 YYYY-MM-DD{shown}"
    if t == "literal_error":
        return f"应为以下之一：{ctx.get('expected')}{shown}"
    if t in ("model_type", "dict_type", "model_attributes_type"):
        return "应为键值映射"
    if t == "list_type":
        return "应为列表，如 [甲, 乙] 或逐行以“- ”开头"
    if t == "value_error":
        return str(ctx.get("error", err.get("msg")))
    return err.get("msg", t)


def _problems(e: ValidationError) -> list[tuple[str, str]]:
    out = []
    for err in e.errors():
        key = _keypath(err["loc"])
        if err["type"] == "value_error" and "@" in str(err.get("ctx", {}).get("error", "")):
            # Cross-field checks pack several "@path@message" pairs into one error.
            for chunk in str(err["ctx"]["error"]).split("；"):
                m = re.search(r"@([^@]+)@(.*)", chunk)
                if m:
                    out.append((m.group(1), m.group(2)))
            continue
        out.append((key, _message(err, key)))
    return out


def load(path: str | os.PathLike) -> Campaign:
    path = Path(path)
    data = _read_yaml(path)
    try:
        return Campaign.model_validate(data)
    except ValidationError as e:
        raise CampaignError(path, _problems(e)) from None


def resolve_path(config_extra: dict | None = None) -> Path:
    """The campaign to build: extra.campaign_file (set by the editions command),
    else $CAMPAIGN, else campaigns/example.yml. Relative paths are from the project root."""
    value = (config_extra or {}).get("campaign_file") or os.environ.get("CAMPAIGN") or DEFAULT_CAMPAIGN
    p = Path(value)
    if not p.is_absolute() and not p.exists():
        p = ROOT / p
    return p


# ---- Derived values -------------------------------------------------------------

# Escape for HTML *and* Markdown in one pass per character: entities survive both raw-HTML
# blocks and Markdown paragraphs, so "<script>", "*x*" or "O'Neil" shows exactly as typed.
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;",
            **{c: f"&#{ord(c)};" for c in "*_`[]\\{}#|~!$"}}


def esc(value: Any) -> str:
    return "".join(_ESCAPES.get(ch, ch) for ch in str(value))


class Ns(dict):
    """A dict whose keys read as attributes in templates: {{ c.group.name }}."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


KIND_LABEL = {"常规": "常规巡察", "机动": "机动巡察", "提级": "提级巡察", "回头看": "巡察“回头看”"}


def dates_of(c: Campaign) -> dict[str, dt.date]:
    """Anchor dates that checklists and texts compute from."""
    d = c.dates
    end = d.end
    deadline = d.deadline or (end - dt.timedelta(days=d.deadline_days_before))
    deadline = max(deadline, d.start)
    feedback = d.feedback or (end + dt.timedelta(days=d.feedback_after_days))
    notice = d.notice or (d.start - dt.timedelta(days=10))
    return {"start": d.start, "end": end, "deadline": deadline, "feedback": feedback,
            "notice": notice, "during": d.start, "after_end": end}


def context(c: Campaign) -> Ns:
    """All values pages may use, escaped (see `values` for the same tree unescaped)."""
    return _escape_tree(values(c))


def values(c: Campaign) -> Ns:
    """The derived values of a campaign, as plain text: for .docx, the editions index and
    anything else that is not HTML. Pages get them escaped through `context`."""
    dd = dates_of(c)
    short = c.committee.short
    group_name = c.group.name or f"{short}第{cn.numeral(c.group.number)}巡察组"
    term_cn = cn.numeral(c.committee.term)
    round_cn = cn.numeral(c.committee.round)
    kind_label = context_raw_kind(c)
    leader = c.group.leader
    v = {
        "id": c.id,
        "label": c.label,
        "kind": c.kind,
        "kind_label": kind_label,
        "theme": c.theme or "",
        "previous": c.previous or "",
        "linked": list(c.linked),
        "linked_text": "、".join(c.linked),
        "committee": Ns(name=c.committee.name, short=short, term=c.committee.term, round=c.committee.round,
                        term_cn=term_cn, round_cn=round_cn,
                        leading_group=c.committee.leading_group or f"{short}巡察工作领导小组"),
        # 十二届市委第五轮巡察
        "round_label": f"{term_cn}届{short}第{round_cn}轮巡察",
        "group": Ns(number=c.group.number, number_cn=cn.numeral(c.group.number), name=group_name,
                    leader=leader or "",
                    # “王立新同志” when named, else the office alone
                    leader_ref=f"{leader}同志" if leader else "组长",
                    leader_full=f"组长{leader}同志" if leader else "组长"),
        "inspected": Ns(org=c.inspected.org, unit=c.inspected.unit, self=c.inspected.self,
                        leader_title=c.inspected.leader_title, leader_name=c.inspected.leader_name or "",
                        speaker=speaker_line(c)),
        # 全市 / 全县 / 全区: the inspecting committee's area, for "为全市……作出贡献".
        "area": (f"全{short[:-1]}" if len(short) == 2 and short.endswith("委") else "本地区"),
        "we": f"我{c.inspected.self}",
        "all_staff": f"全{c.inspected.self}干部职工",
        "dates": Ns(start=cn.date(dd["start"]), end=cn.date(dd["end"]), days=c.dates.days,
                    range=cn.date_range(dd["start"], dd["end"]),
                    deadline=cn.date(dd["deadline"]), feedback=cn.date(dd["feedback"]),
                    feedback_given=c.dates.feedback is not None,
                    notice=cn.date(dd["notice"]), year=dd["start"].year),
        "contact": Ns(phone=c.contact.phone, hours=c.contact.hours, email=c.contact.email,
                      mailboxes=list(c.contact.mailboxes), mailboxes_text="、".join(c.contact.mailboxes),
                      post_box=c.contact.post_box or "", reception=c.contact.reception or "",
                      sms=c.contact.sms or ""),
    }
    # Every channel people can use, in one order and with one set of names for all pages;
    # optional channels appear only when the campaign gives them.
    ct = c.contact
    v["channels"] = [Ns(label=label, value=value) for label, value in (
        ("联系电话", f"{ct.phone}（{ct.hours}）"), ("短信", ct.sms), ("电子邮箱", ct.email),
        ("意见箱", "、".join(ct.mailboxes)), ("邮政信箱", ct.post_box), ("来访接待", ct.reception)) if value]
    # Congress spirit, study campaign and plan as of the first day (macros/data/periods.yml).
    v["period"] = Ns(period.for_date(c.dates.start))
    # One-line descriptions of the edition, for the banner and the running header on paper.
    v["edition_title"] = f"{group_name}巡察{c.inspected.org}（{kind_label}，{v['dates'].range}）"
    v["print_header"] = f"{c.inspected.org} · {kind_label}"
    return Ns(v)


def _escape_tree(v):
    if isinstance(v, Ns):
        return Ns({k: _escape_tree(x) for k, x in v.items()})
    if isinstance(v, dict):
        return Ns({k: _escape_tree(x) for k, x in v.items()})
    if isinstance(v, list):
        return [_escape_tree(x) for x in v]
    if isinstance(v, str):
        return esc(v)
    return v


def css_string(value: str) -> str:
    """Escape text for a CSS string inside an inline <style>: every character that is
    not a letter, digit or CJK becomes a CSS escape, so no value can end the string
    or the <style> element."""
    out = []
    for ch in value:
        if ch.isalnum() or ch in " ·、，（）":
            out.append(ch)
        else:
            # The trailing space ends the escape; CSS swallows it, so a following space survives.
            out.append(f"\\{ord(ch):06x} ")
    return "".join(out)


def speaker_line(c: Campaign) -> str:
    """The pledge's by-line: unit + title, without doubling the unit's own word:
    河湾镇 + 镇党委书记 → 河湾镇党委书记; 市财政局 + 局长 → 市财政局局长."""
    unit, title, own = c.inspected.unit, c.inspected.leader_title, c.inspected.self
    rest = title[len(own):]
    if title.startswith(own) and rest.startswith("党"):
        return unit + rest
    return unit + title


def theme_values(c: Campaign) -> dict:
    """Values for the theme template (overrides/main.html), which does not escape:
    HTML-escaped for the banner, CSS-escaped for the running header on paper."""
    v = values(c)
    return {"label": esc(v.label), "edition_title": esc(v.edition_title),
            "print_header": css_string(v.print_header), "print_label": css_string(v.label)}


def context_raw_kind(c: Campaign) -> str:
    """The kind label as plain text, e.g. 乡村振兴领域专项巡察."""
    if c.kind == "专项":
        return f"{c.theme}专项巡察"
    if c.kind in ("机动", "提级") and c.theme:
        return f"{c.theme}{KIND_LABEL[c.kind]}"
    return KIND_LABEL[c.kind]
