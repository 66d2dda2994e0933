"""One edition: everything derived from one campaign file, worked out once per build.

`from_file(path)` reads the campaign and builds an `Edition`; pages (through the macros
registered in macros/__init__.py), the exporters and the batch command all read it.
It is frozen: nothing changes it after it is built, and nothing holds it but the build
that made it.

What it holds, all as plain (unescaped) text:
- `values`: the campaign's facts and what follows from them (names, dates, channels);
- `terms`: the vocabulary the data files' `{placeholders}` are filled from;
- `words`: the phrases that depend on kind (and, later, unit type, level and theme);
- `regs`: the regulations cited, from macros/data/regulations.yml;
- `focus`: the leader speech's focus areas; `lists`: the four checklists.
Pages get the same trees escaped (`page_variables`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
import re
from typing import Any, Optional

from . import campaign as campaign_io
from . import catalogue, checklists, cn, focus, period, rectify, schedule, talks, wording, workcal
from .escape import Ns, contact_markup, css_string, esc, escape_tree, ns
from .schema import THEMED_KINDS, Campaign

# When 机动 names no theme, its own focus areas say what it is about; texts that need
# one phrase for "the matter at hand" use this.
TOPIC_FALLBACK = "群众反映集中、问题较为突出的事项"


@dataclass(frozen=True)
class Edition:
    path: Path
    campaign: Campaign
    dates: schedule.KeyDates
    terms: dict[str, str]
    values: Ns
    words: Ns
    regs: Ns
    shared: Ns
    focus: list[dict]
    talks: list[dict]
    lists: dict[str, checklists.EditionList]
    notices: tuple["Notice", ...] = field(default=())
    problems: tuple = ()
    ledger: Optional[tuple] = None
    theme: Optional[catalogue.Theme] = None
    unit_words: Optional[catalogue.UnitWords] = None

    @property
    def id(self) -> str:
        return self.campaign.id

    @cached_property
    def page_variables(self) -> dict[str, Any]:
        """What Markdown pages see: every string escaped for HTML and Markdown."""
        c = escape_tree(self.values)
        # Channels also as marked-up text, so numbers and times never break and e-mail
        # addresses may (`k` is the same for the running text of speeches).
        for shown, ch in zip(c["channels"], self.values["channels"]):
            shown["html"] = contact_markup(ch["value"], ch["type"])
        ct = self.values["contact"]
        k = ns({"phone": contact_markup(ct["phone"], "phone"), "hours": contact_markup(ct["hours"], "hours"),
                "email": contact_markup(ct["email"], "email"), "sms": contact_markup(ct["sms"], "phone")})
        return {"c": c, "t": escape_tree(self.terms), "w": escape_tree(self.words),
                "p": escape_tree(self.shared), "r": escape_tree(self.regs), "focus": escape_tree(self.focus),
                "talks": escape_tree(self.talks), "k": k}

    def theme_values(self) -> dict[str, str]:
        """Values for overrides/main.html, which does not escape: HTML-escaped for the
        banner, CSS-escaped for the running header on paper."""
        v = self.values
        return {"label": esc(v.label), "edition_title": esc(v.edition_title), "unit": esc(v.inspected.unit),
                "print_header": css_string(v.print_header), "print_label": css_string(v.label)}


class EditionError(campaign_io.CampaignError):
    """A campaign that is valid on its own but cannot make an edition (e.g. a checklist
    override naming an item that does not exist)."""


def from_file(path: str | Path) -> Edition:
    path = Path(path)
    return build(campaign_io.load(path), path)


@dataclass(frozen=True)
class Notice:
    """Something the reader of the edition should know (shown on the home page) and the
    office's staff should check (the build log adds the campaign key)."""

    text: str
    key: str = ""

    @property
    def log(self) -> str:
        return f"{self.text}（{self.key}）" if self.key else self.text


def build(c: Campaign, path: Path) -> Edition:
    kinds = catalogue.kinds()
    regs = catalogue.regulations()
    unit_words = catalogue.unit_types()[c.inspected.type]
    theme, generic = _theme(c, path)
    terms = _terms(c, unit_words, theme, generic)
    cal = workcal.for_campaign(c)
    dates = schedule.key_dates(c, cal, terms)
    notices = _date_notices(c, dates)
    if theme is not None and c.inspected.type not in theme.fits:
        notices.append(Notice(f"巡察主题“{theme.name}”通常用于{'、'.join(theme.fits)}，本次被巡察单位是{c.inspected.type}："
                              f"请巡察组核对讲话中的监督重点、调阅资料和谈话提纲是否适用。", "theme"))
    terms["kind_label"] = _fill(kinds[c.kind].label, terms, "kinds.yml", f"{c.kind}.label")
    words = {
        "unit": {k: terms[k] for k in UNIT_TERMS},
        "theme": _theme_words(theme or generic, terms, theme is not None) if c.theme else NO_THEME,
    }
    words["kind"] = _fill_phrases(kinds[c.kind], terms, "kinds.yml", c.kind, c.inspected.type)
    shared = _fill_phrases(catalogue.phrases(), terms, "phrases.yml", "", c.inspected.type)
    values = _values(c, dates, terms)
    areas = focus.areas(c, terms, theme)
    values["timeline"] = [{"key": st.key, "label": st.label, "date": st.day.isoformat(), "text": st.text,
                           "estimated": st.estimated} for st in schedule.timeline(dates)]
    values["feedback_areas"] = [{"ordinal": a["ordinal"], "heading": focus.feedback_heading(a["title"])} for a in areas]
    try:
        lists = checklists.edition_lists(c, terms, theme)
    except checklists.ChecklistError as e:
        raise EditionError(path, [tuple(line.split("：", 1)) if "：" in line else ("checklists", line)
                                  for line in str(e).splitlines()]) from None
    ledger_rows = None
    lp = rectify.ledger_path(c, path)
    if lp is not None:
        ledger_rows = rectify.read_ledger(lp, c, dates.start)
    return Edition(
        path=path,
        campaign=c,
        dates=dates,
        terms=terms,
        values=ns(values),
        words=ns(words),
        shared=ns(shared),
        regs=ns(_regs(regs)),
        focus=ns(areas),
        talks=ns(talks.outlines(c, terms, words["theme"]["interview_topics"])),
        lists=lists,
        notices=tuple(notices),
        problems=tuple(rectify.problems(c)),
        ledger=tuple(ledger_rows) if ledger_rows is not None else None,
        theme=theme,
        unit_words=unit_words,
    )


def _theme(c: Campaign, path: Path) -> tuple[Optional[catalogue.Theme], catalogue.GenericTheme]:
    """The catalogue theme the campaign names, and the generic wording for any other."""
    generic = catalogue.generic_theme()
    if not c.theme:
        return None, generic
    theme = catalogue.find_theme(c.theme)
    own_focus = c.focus is not None and c.focus.mode == "replace"
    if theme is None and c.kind in THEMED_KINDS and not own_focus:
        names = "、".join(t.name for t in catalogue.themes().values())
        raise EditionError(path, [("theme", f"主题“{c.theme}”不在主题目录中。请改用目录中的主题（{names}），"
                                            f"或在 focus 中写明这次巡察的监督重点（mode: replace）。")])
    return theme, generic


NO_THEME = {"catalogued": False, "name": "", "why": "", "scope": "", "receipt": "", "selfcheck": "", "hope": "",
            "materials": [], "interview_topics": [], "problems": [], "signature": []}

UNIT_TERMS = ("self", "we", "body", "own_body", "people", "staff", "leaders", "cadres", "departments",
              "subordinates", "decision_body", "study_group", "receipt_scope", "premises", "office", "hr",
              "finance", "discipline_org", "party_office", "business_dept", "parent", "attendees", "life_meeting",
              "contribution", "followup", "rectify_team",
              "rectify_pace")


def _theme_words(t, terms: dict[str, str], catalogued: bool) -> dict[str, Any]:
    file = "themes/" + (t.name if catalogued else "_generic.yml")
    out = {"catalogued": catalogued, "name": t.name if catalogued else terms["theme"]}
    for key in ("why", "scope", "receipt", "selfcheck", "hope"):
        out[key] = _fill(getattr(t, key), terms, file, key)
    for key in ("materials", "interview_topics", "problems"):
        out[key] = [_fill(x, terms, file, key) for x in getattr(t, key)]
    out["signature"] = list(t.signature) if catalogued else []
    return out


DATE_LABELS = {"start": "进驻日", "notice": "巡察通知日期", "deadline": "受理截止日", "feedback": "反馈日期"}


def _date_notices(c: Campaign, dates: schedule.KeyDates) -> list[Notice]:
    cal = dates.cal
    out = []
    for key, label in DATE_LABELS.items():
        day = getattr(c.dates, key)
        if day is not None and not cal.is_workday(day):
            out.append(Notice(f"{label}{cn.date(day)}是{cal.why_off(day)}，不是工作日；已按填写的日期保留，请确认。",
                              f"dates.{key}"))
    if dates.end != dates.planned_end:
        out.append(Notice(f"按{c.dates.days}天推算，驻点结束日{cn.date(dates.planned_end)}是{cal.why_off(dates.planned_end)}，"
                          f"已提前到此前最后一个工作日{cn.date(dates.end)}，驻点共{dates.days}天。", "dates.days"))
    every = [dates.notice, dates.start, dates.end, dates.deadline, dates.feedback, *dates.steps.values()]
    for year in cal.years_not_official(every):
        out.append(Notice(f"{year}年的法定节假日调休安排尚未收录，本版本{year}年的日期按周末和法定节日推算，"
                          f"未计入调休上班和调休放假，请以巡察办的通知为准。"))
    return out


# ---- Terms and values ----------------------------------------------------------------


def _terms(c: Campaign, uw: catalogue.UnitWords, theme, generic) -> dict[str, str]:
    short = c.committee.short
    group = c.group.name or f"{short}第{cn.numeral(c.group.number)}巡察组"
    unit = c.inspected.unit
    self_ = c.inspected.self or _self_from_name(unit, uw)
    body = _body(c.inspected.org, unit, uw.body)
    org_short = c.inspected.short or _org_short(c.inspected.org, unit, body)
    per = period.for_date(c.dates.start)
    area = _area(short)
    home = c.inspected.home_committee
    t = {
        "committee": short,
        "committee_name": c.committee.name,
        "leading_group": c.committee.leading_group or f"{short}巡察工作领导小组",
        "round": f"{cn.numeral(c.committee.term)}届{short}第{cn.numeral(c.committee.round)}轮巡察",
        "group": group,
        "leader_ref": f"{c.group.leader}同志" if c.group.leader else "组长",
        "org": c.inspected.org,
        "org_short": org_short,
        "body": body,
        "own_body": f"{self_}{body}" if not body.startswith(self_) else body,
        "unit": unit,
        "self": self_,
        "we": f"我{self_}",
        "area": area,
        "home": home.short if home else short,
        "home_distinct": home.short if home and home.short != short else "",
        "home_area": _area(home.short) if home else area,
        "theme": c.theme or "",
        "topic": c.theme or TOPIC_FALLBACK,
        "previous": c.previous or "",
        "linked": "、".join(c.linked),
        "villages": "、".join(v.name for v in c.inspected.villages),
        "spirit": per["spirit"],
        "since": per["since"],
        "study": per["study"],
        "plan": per["plan"],
        "plan_goal": per["plan_goal"],
        "kind_label": "",
        "theme_role": "",
        "committees": f"{short}和{home.short}" if home and home.short != short else short,
        **{f"theme_{k}": "" for k in ("why", "scope", "receipt", "selfcheck", "hope")},
    }
    # The unit type's words may use {self}, {own_body}, {org_short}, {unit}.
    for key in UNIT_TERMS[4:]:
        t[key] = _fill(getattr(uw, key), t, "unit-types.yml", f"{c.inspected.type}.{key}")
    if c.theme:
        source = theme or generic
        role = theme.responsibility(unit, c.inspected.type) if theme else generic.responsibility
        t["theme_role"] = _fill(role, t, "themes", "responsibilities")
        for k in ("why", "scope", "receipt", "selfcheck", "hope"):
            t[f"theme_{k}"] = _fill(getattr(source, k), t, "themes", k)
    return t


def _self_from_name(unit: str, uw: catalogue.UnitWords) -> str:
    for s in uw.self_from_name:
        if unit.endswith(s) or (len(s) > 1 and s in unit):
            return s
    return uw.self


def _body(org: str, unit: str, default: str) -> str:
    """党组 / 党委 / 党工委 / 党支部 …: what the org is, from its name."""
    if org.startswith(unit) and len(org) > len(unit) + 1:
        return org[len(unit):]
    m = re.fullmatch(r"中共(.+?)(工作)?委员会", org)
    if m:
        return "党工委" if m.group(2) else "党委"
    m = re.search(r"(党组|党委|党工委|党总支|党支部|党组织)$", org)
    return m.group(1) if m else default


def _org_short(org: str, unit: str, body: str) -> str:
    """The name running text uses: 中共石桥镇委员会 → 石桥镇党委; 市财政局党组 stays."""
    if re.fullmatch(r"中共.+委员会", org):
        return f"{unit}{body}"
    return org


def _area(committee_short: str) -> str:
    """全市 / 全县 / 全区 from 市委 / 临川县委 / 江滨区委."""
    place = committee_short[:-1] if committee_short.endswith("委") else committee_short
    return f"全{place[-1]}" if place and place[-1] in "市县区州盟旗镇乡" else "本地区"


def _fill(template: str, terms: dict[str, str], file: str, key: str) -> str:
    try:
        return wording.fill(template, terms)
    except wording.MissingTerm as e:
        raise catalogue.yamlio.InputError(
            catalogue.DATA / file,
            [(key, f"用到了本次巡察没有的内容 {{{e.args[0]}}}；请把它放进可选部分 [ … ]")], "数据文件") from None


def _fill_phrases(phrases: catalogue.Phrases, terms: dict[str, str], file: str, prefix: str,
                  unit_type: str) -> dict[str, Any]:
    out = {}
    for name in type(phrases).model_fields:
        value = catalogue.for_type(getattr(phrases, name), unit_type)
        if isinstance(value, str):
            out[name] = _fill(value, terms, file, f"{prefix}.{name}".lstrip("."))
        else:
            out[name] = catalogue._fill_tree(value, terms)
    return out


def _values(c: Campaign, dates: schedule.KeyDates, terms: dict[str, str]) -> dict[str, Any]:
    leader = c.group.leader
    ct = c.contact
    kind_label = terms["kind_label"]
    v: dict[str, Any] = {
        "id": c.id,
        "label": c.label,
        "notice_number": c.notice_number or "",
        "notice_issuer": c.notice_issuer,
        "kind": c.kind,
        "kind_label": kind_label,
        "theme": c.theme or "",
        "previous": c.previous or "",
        "linked": list(c.linked),
        "linked_text": terms["linked"],
        "committee": {"name": c.committee.name, "short": terms["committee"], "term": c.committee.term,
                      "round": c.committee.round, "term_cn": cn.numeral(c.committee.term),
                      "round_cn": cn.numeral(c.committee.round), "leading_group": terms["leading_group"]},
        "round_label": terms["round"],
        "office_signature": _office_signature(c, terms["leading_group"]),
        "notice_signature": (_group_signature(c, terms["group"]) if c.notice_issuer == "巡察组"
                             else _office_signature(c, terms["leading_group"])),
        "group": {"number": c.group.number, "number_cn": cn.numeral(c.group.number), "name": terms["group"],
                  "signature": _group_signature(c, terms["group"]),
                  "leader": leader or "", "leader_ref": terms["leader_ref"],
                  "leader_full": f"组长{leader}同志" if leader else "组长"},
        "inspected": {"org": c.inspected.org, "org_short": terms["org_short"], "unit": c.inspected.unit,
                      "type": c.inspected.type, "self": terms["self"], "leader_title": c.inspected.leader_title,
                      "leader_name": c.inspected.leader_name or "", "speaker": _speaker(c, terms["self"])},
        "area": terms["area"],
        "home": terms["home"],
        "home_area": terms["home_area"],
        "home_distinct": terms["home_distinct"],
        "home_name": c.inspected.home_committee.name if c.inspected.home_committee else "",
        "villages": [{"name": v.name, "mailboxes": list(v.mailboxes)} for v in c.inspected.villages],
        "we": terms["we"],
        "all_staff": terms["people"],
        "dates": _date_values(c, dates),
        "contact": {"phone": ct.phone, "hours": ct.hours, "email": ct.email, "mailboxes": list(ct.mailboxes),
                    "mailboxes_text": "、".join(ct.mailboxes), "post_box": ct.post_box or "",
                    "reception": ct.reception or "", "sms": ct.sms or ""},
        "period": {k: terms[k] for k in ("spirit", "since", "study", "plan", "plan_goal")},
    }
    # Every channel people can use, in one order and with one set of names for all pages;
    # optional channels appear only when the campaign gives them.
    v["channels"] = [{"label": label, "value": value, "type": kind} for label, value, kind in (
        ("联系电话", f"{ct.phone}（{ct.hours}）", "phone"), ("短信", ct.sms, "phone"), ("电子邮箱", ct.email, "email"),
        ("意见箱", "、".join(ct.mailboxes), "place"),
        ("各村意见箱", "；".join(f"{v.name}：{'、'.join(v.mailboxes)}" for v in c.inspected.villages if v.mailboxes),
         "place"),
        ("邮政信箱", ct.post_box, "place"),
        ("来访接待", ct.reception, "place")) if value]
    # One-line descriptions of the edition, for the banner and the running header on paper.
    v["edition_title"] = f"{terms['group']}巡察{terms['org_short']}（{kind_label}，{v['dates']['range']}）"
    v["print_header"] = f"{terms['org_short']} · {kind_label}"
    return v


def _date_values(c: Campaign, dates: schedule.KeyDates) -> dict[str, Any]:
    est = dates.estimated
    return {"start": cn.date(dates.start), "end": cn.date(dates.end), "days": dates.days,
            "range": cn.date_range(dates.start, dates.end),
            "deadline": cn.date(dates.deadline), "notice": cn.date(dates.notice),
            "feedback": schedule.date_text(dates.feedback, est("feedback")),
            "feedback_given": dates.feedback_given,
            "steps": {k: schedule.date_text(d, est(k)) for k, d in dates.steps.items()},
            "year": dates.start.year}


def _group_signature(c: Campaign, group: str) -> str:
    """The group's name as it signs a public notice, with the committee's full name:
    市委第三巡察组 → 中共示例市委第三巡察组; 市委第一提级巡察组 → 中共示例市委第一提级巡察组."""
    short = c.committee.short
    if group.startswith(short):
        return c.committee.name + group[len(short):]
    return f"{c.committee.name}第{cn.numeral(c.group.number)}巡察组"


def _office_signature(c: Campaign, leading_group: str) -> str:
    """The inspection office as it signs a notice: 中共示例市委巡察工作领导小组办公室."""
    short = c.committee.short
    rest = leading_group[len(short):] if leading_group.startswith(short) else "巡察工作领导小组"
    return f"{c.committee.name}{rest}办公室"


def _speaker(c: Campaign, own: str) -> str:
    """The pledge's by-line: unit + title, without doubling the unit's own word:
    河湾镇 + 镇党委书记 → 河湾镇党委书记; 市财政局 + 局长 → 市财政局局长."""
    unit, title = c.inspected.unit, c.inspected.leader_title
    rest = title[len(own):]
    if title.startswith(own) and rest.startswith("党"):
        return unit + rest
    return unit + title


def _regs(regs: catalogue.Regulations) -> dict[str, Any]:
    docs = {k: {"title": d.title, "cited": d.cited, "issued": d.issued, "issuer": d.issuer or ""}
            for k, d in regs.documents.items()}
    articles = {}
    for key, a in regs.articles.items():
        doc = regs.documents[a.document]
        articles[key] = {"cite": f"《{doc.title}》{a.number}", "number": a.number, "conduct": a.conduct,
                         "penalties": [{"degree": d, "penalty": p} for d, p in a.penalties],
                         "keeping": a.keeping or "",
                         "keeping_penalties": [{"degree": d, "penalty": p} for d, p in a.keeping_penalties]}
    cites = {key: a["cite"] for key, a in articles.items()}
    return {"doc": docs, "basis": [docs[k] for k in regs.basis], "art": articles,
            "obstruction": list(regs.obstruction),
            # {secrecy} and {obstruct} in these lines name the articles, from the same file.
            "talks": [line.format(**cites) for line in regs.talks]}

