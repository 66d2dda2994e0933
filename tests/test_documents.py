"""The documents of entry and the on-site weeks (issue 15), built for every sample and
held-out campaign: the 巡察通知 (page and .docx), the meeting agenda, the talk schedule
and outlines, the 民主测评表, the questionnaire, the 立行立改通知书 and the register of
documents handed over.

Facts are checked against the campaign file fed in, dates against the real calendar
(`oracle_dates` in test_calendar.py). Page setup of the .docx files and printing are
tested elsewhere (test_docx.py, test_print.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT, load_yaml
from lxml import html as lh
from test_calendar import article_text, campaign_params, cn, docx_text, oracle_dates, year_2031

NEW_PAGES = ["notices/notification.html", "notices/agenda.html", "talks/schedule.html", "talks/outlines.html",
             "forms/evaluation.html", "forms/questionnaire.html", "forms/rectify-now.html", "forms/handover.html"]
SCHEDULE_COLUMNS = ["序号", "姓名", "职务/身份", "类别", "时间", "地点", "谈话人", "记录人", "备注"]
HANDOVER_BLANKS = ["份数", "移交日期", "移交人", "接收人", "归还日期"]
GRADES = ["好", "较好", "一般", "差"]
_NUM = "零一二三四五六七八九"


def numeral(n: int) -> str:
    """1..99 as a Chinese numeral (第三巡察组, 第十二巡察组)."""
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else _NUM[tens]) + "十" if tens else "") + (_NUM[ones] if ones else "")


def group_name(data: dict) -> str:
    g = data["group"]
    return g.get("name") or f"{data['committee']['short']}第{numeral(g['number'])}巡察组"


def doc(site: Path, rel: str):
    return lh.fromstring((site / rel).read_text(encoding="utf-8"))


def body(site: Path, rel: str):
    """The printed document of a page (the .xc-doc block), without the usage note."""
    return doc(site, rel).xpath("//article//div[contains(concat(' ', @class, ' '), ' xc-doc ')]")[0]


def text_of(node) -> str:
    return " ".join(node.text_content().split())


@pytest.fixture(scope="module", params=campaign_params())
def built(request, edition):
    data = load_yaml(request.param)
    return edition(request.param), data, oracle_dates(data)


def _own_text(td) -> str:
    """A checklist cell's item text without its screen-only note."""
    for note in td.xpath(".//*[contains(@class,'xc-checklist__note')]"):
        note.drop_tree()
    return text_of(td)


def materials_items_plain(site: Path) -> list[str]:
    d = doc(site, "checklists/materials.html")
    return [_own_text(td) for td in d.xpath("//tr[@data-item]/td[contains(@class,'xc-checklist__text')]")]


# ---- Every campaign -------------------------------------------------------------------------------


@pytest.mark.parametrize("rel", NEW_PAGES)
def test_page_builds_and_names_group_and_unit(built, rel):
    """Each new page exists, has its title and names this campaign's group and unit."""
    site, data, _ = built
    d = doc(site, rel)
    assert d.xpath("//article//h1")
    text = text_of(body(site, rel))
    assert group_name(data) in text
    assert any(x in text for x in (data["inspected"]["unit"], data["inspected"]["org"],
                                   data["inspected"].get("short") or "\0")), rel
    assert "〔待填：" not in text_of(d.xpath("//article//h1")[0])


def test_notification_carries_the_facts_and_the_calendar_date(built):
    """The 巡察通知: to the inspected organisation, the group, kind and theme, entry date
    and period, the intake deadline, every channel, the on-site arrangements, the
    contact person, the attachment, and the notice date of the calendar."""
    site, data, want = built
    b = body(site, "notices/notification.html")
    text = text_of(b)
    insp = data["inspected"]
    assert f"{insp['org']}：" in text
    assert cn(want["start"]) in text and f"{cn(want['start'])}至" in text
    assert cn(want["deadline"]) in text
    if data.get("theme"):
        assert data["theme"] in text
    c = data["contact"]
    for value in (c["phone"], c["email"], *c["mailboxes"], *(c[k] for k in ("post_box", "reception", "sms") if c.get(k))):
        assert value in text, value
    for word in ("办公用房", "联络员", "动员会", "联系人", "附件", "调阅资料清单"):
        assert word in text, word
    dates = [text_of(p) for p in b.xpath(".//*[contains(@class,'xc-doc-sign--date')]")]
    assert dates == [cn(want["notice"])]
    signs = " ".join(text_of(p) for p in b.xpath(".//*[contains(@class,'xc-doc-sign')]"))
    if data.get("notice_issuer") == "巡察组":
        assert group_name(data)[len(data["committee"]["short"]):] in signs
    else:
        assert "巡察工作领导小组办公室" in signs and data["committee"]["name"] in signs
    number = text_of(b.xpath(".//*[contains(@class,'xc-doc-number')]")[0])
    assert number == (data["notice_number"] if data.get("notice_number") else "〔待填：发文字号〕")


def test_notification_attachment_is_the_materials_checklist(built):
    """The notice's attachment lists every item of the edition's materials checklist."""
    site, _, _ = built
    b = body(site, "notices/notification.html")
    attached = [re.sub(r"^\d+\.\s*", "", text_of(p)) for p in b.xpath(".//*[contains(@class,'xc-list-item')]")]
    assert attached == materials_items_plain(site)


def test_notification_docx_has_the_date_and_the_unit(built):
    """notification.docx sits beside the page and carries the notice date and the unit."""
    site, data, want = built
    path = site / "notices" / "notification.docx"
    assert path.is_file()
    text = docx_text(path)
    assert cn(want["notice"]) in text
    assert data["inspected"]["org"] in text and group_name(data) in text


def test_agenda_has_both_meetings(built):
    """The agenda: 见面沟通会 and 动员会 on the entry date, who speaks and who attends, when
    the 民主测评 is held, and the materials to hand out."""
    site, data, want = built
    text = text_of(body(site, "notices/agenda.html"))
    assert "见面沟通会" in text and "动员会" in text
    assert text.count(cn(want["start"])) >= 2
    for word in ("主持", "参会范围", "民主测评", "会议材料", "表态发言", "动员讲话"):
        assert word in text, word
    assert (site / "notices" / "agenda.docx").is_file()


def test_talk_schedule_is_a_form_grouped_by_category(built):
    """The 个别谈话安排表: the nine columns, rows grouped by category (必谈 and 选谈), names
    and times left blank for handwriting, the unit and the period in its head; a town's
    villages get groups of their own."""
    site, data, want = built
    b = body(site, "talks/schedule.html")
    assert [text_of(th) for th in b.xpath(".//thead//th")] == SCHEDULE_COLUMNS
    groups = [text_of(th) for th in b.xpath(".//tr[contains(@class,'xc-form-group')]/th")]
    assert len(groups) >= 5
    assert any("必谈" in g for g in groups) and any("选谈" in g for g in groups)
    rows = [tr for tr in b.xpath(".//tbody/tr") if "xc-form-group" not in (tr.get("class") or "")]
    assert len(rows) >= len(groups)
    for tr in rows:
        cells = tr.xpath("./td")
        assert len(cells) == len(SCHEDULE_COLUMNS)
        assert text_of(cells[1]) == "" and text_of(cells[4]) == ""  # 姓名 and 时间 by hand
    head = text_of(b.xpath(".//*[contains(@class,'xc-form-head')]")[0])
    assert data["inspected"]["unit"] in head and cn(want["start"]) in head
    for v in data["inspected"].get("villages", []):
        name = v if isinstance(v, str) else v["name"]
        assert any(g.startswith(name) for g in groups), name


def _roles(site: Path) -> list[tuple[str, list[str], list[str]]]:
    """(heading, numbered questions, theme topics) of each role section of the outlines."""
    b = body(site, "talks/outlines.html")
    out = []
    for h2 in b.xpath(".//h2"):
        title = text_of(h2)
        if "必谈" not in title and "选谈" not in title:
            continue
        qs, topics = [], []
        for sib in h2.itersiblings():
            if sib.tag == "h2":
                break
            if sib.tag == "ol":
                qs += [text_of(li) for li in sib.xpath("./li")]
            if sib.tag == "ul":
                topics += [text_of(li) for li in sib.xpath("./li")]
        out.append((title, qs, topics))
    return out


def test_talk_outlines_have_role_sections_with_questions(built):
    """At least five role sections, each with 6–12 questions that end in a question mark."""
    site, _, _ = built
    roles = _roles(site)
    assert len(roles) >= 5
    for title, qs, _ in roles:
        assert 6 <= len(qs) <= 12, (title, len(qs))
        assert all(q.endswith("？") for q in qs), title
    assert (site / "talks" / "talk-outlines.docx").is_file()


def test_talk_principles_come_from_the_rules(built):
    """The outlines' 谈话须知 are the same lines as the interview rules page (one source),
    and cite the secrecy and obstruction articles."""
    site, _, _ = built
    b = body(site, "talks/outlines.html")
    h2 = [h for h in b.xpath(".//h2") if "谈话须知" in text_of(h)][0]
    lines = [text_of(li) for li in h2.getnext().xpath("./li")]
    assert len(lines) >= 5
    rules = article_text(site / "rules" / "interviews.html")
    assert all(line in rules for line in lines)
    joined = "".join(lines)
    assert "第一百四十四条" in joined and "第六十二条" in joined and "保密" in joined


def _evaluation_parts(site: Path):
    b = body(site, "forms/evaluation.html")
    return b, b.xpath(".//section[contains(@class,'xc-form-part')]")


def test_evaluation_form_is_anonymous(built):
    """The printed 民主测评表 asks for no respondent's name or signature: no 填表人, 姓名
    line, 签名 or 签字 anywhere on the form, and no input field."""
    site, _, _ = built
    b, _ = _evaluation_parts(site)
    text = text_of(b)
    for word in ("填表人", "签名", "签字", "姓名：", "单位：", "职务："):
        assert word not in text, word
    assert not b.xpath(".//input|.//*[contains(@class,'xc-sign')]")


def test_evaluation_rates_each_leadership_member(built):
    """One rated row per member of the leadership, as many as the talk schedule has for
    the unit's chief and the other members, each with a name fill and the four grades;
    the team part uses the same 好/较好/一般/差 scale."""
    site, data, _ = built
    _, parts = _evaluation_parts(site)
    assert len(parts) >= 2
    for part in parts:
        assert [text_of(th) for th in part.xpath(".//thead//th")][-4:] == GRADES
    members = parts[1].xpath(".//tbody/tr")
    sched = body(site, "talks/schedule.html")
    groups = sched.xpath(".//tr[contains(@class,'xc-form-group')]")
    leadership = 0
    for g in groups[:2]:  # the first two groups: the chief, then the other members
        for tr in g.itersiblings():
            if "xc-form-group" in (tr.get("class") or ""):
                break
            leadership += 1
    assert len(members) == leadership
    for tr in members:
        assert len(tr.xpath(".//*[contains(@class,'xc-fill')]")) == 1
        assert len(tr.xpath(".//*[contains(@class,'xc-box')]")) == len(GRADES)
    titles = [text_of(p.xpath(".//h2")[0]) for p in parts]
    if data["kind"] == "常规":
        assert any("选人用人" in t for t in titles)


def test_questionnaire_is_anonymous(built):
    """The staff questionnaire names the unit, has choice and open questions, and asks
    for no name."""
    site, data, _ = built
    b = body(site, "forms/questionnaire.html")
    text = text_of(b)
    assert data["inspected"]["unit"] in text or data["inspected"]["org"] in text
    assert len(b.xpath(".//*[contains(@class,'xc-question')][.//*[contains(@class,'xc-option')]]")) >= 3
    assert b.xpath(".//*[contains(@class,'xc-question--open')]")
    for word in ("填表人", "签名", "签字", "姓名"):
        assert word not in text, word


def test_rectify_now_notice_has_its_fields(built):
    """The 立行立改通知书: a number, the problem, the requirement, the time limit, the
    reply, and two signatures (group leader, the unit's principal), to the organisation."""
    site, data, _ = built
    b = body(site, "forms/rectify-now.html")
    text = text_of(b)
    for word in ("编号", "存在的问题", "整改要求", "整改时限", "整改情况"):
        assert word in text, word
    assert text.count("（签字）") == 2 and "组长" in text and "主要负责人" in text
    assert (site / "forms" / "rectify-now.docx").is_file()


def test_handover_register_lists_every_material(built):
    """The handover register lists every item of the same edition's materials checklist,
    in order, with blank columns for 份数, 移交日期, 移交人, 接收人, 归还日期."""
    site, _, _ = built
    b = body(site, "forms/handover.html")
    heads = [text_of(th) for th in b.xpath(".//thead//th")]
    assert all(h in heads for h in HANDOVER_BLANKS)
    names = [text_of(td) for td in b.xpath(".//td[contains(@class,'xc-handover__name')]")]
    assert names == materials_items_plain(site)
    blank_cols = [heads.index(h) for h in HANDOVER_BLANKS]
    for tr in b.xpath(".//tr[@data-item]"):
        cells = tr.xpath("./td")
        assert all(text_of(cells[i]) == "" for i in blank_cols)


# ---- Across campaigns -------------------------------------------------------------------------------


def _site(edition, stem: str) -> Path:
    return edition(ROOT / "campaigns" / f"{stem}.yml")


def _questions(site: Path) -> list[str]:
    return [q for _, qs, topics in _roles(site) for q in qs + topics]


def test_hospital_insurance_asks_the_leadership_about_the_fund(edition):
    """A 医保 special inspection of a hospital asks its leadership about 医保基金."""
    roles = _roles(_site(edition, "hospital-insurance"))
    chief = roles[0]
    assert any("医保" in q for q in chief[1] + chief[2])


def test_village_asks_about_assets_and_subsidies(edition):
    """A village inspection asks about 三资 and 惠农补贴."""
    qs = " ".join(_questions(_site(edition, "village")))
    assert "三资" in qs and "惠农补贴" in qs


def test_hospital_and_village_share_at_most_a_third(edition):
    """The outlines of the 医保 hospital campaign and the village campaign share no more
    than a third of their questions."""
    a = set(_questions(_site(edition, "hospital-insurance")))
    b = set(_questions(_site(edition, "village")))
    shared = a & b
    assert len(shared) * 3 <= min(len(a), len(b)), sorted(shared)


def test_outlines_differ_by_kind(edition):
    """Two 部门 campaigns of different kinds (常规, 专项) ask each role different questions."""
    regular, special = _roles(_site(edition, "county-regular")), _roles(_site(edition, "example"))
    assert len(regular) == len(special)
    for (title, q1, _), (_, q2, _) in zip(regular, special):
        assert set(q1) != set(q2), title


def test_outlines_differ_by_theme(edition):
    """The same 部门 and kind with another theme (乡村振兴领域 vs 医保基金) asks differently,
    and each outline speaks of its own theme only."""
    a = _roles(_site(edition, "example"))
    b = _roles(edition(year_2031()))
    for (title, q1, t1), (_, q2, t2) in zip(a, b):
        assert set(q1 + t1) != set(q2 + t2), title
    ta, tb = " ".join(_questions(_site(edition, "example"))), " ".join(q for r in b for q in r[1] + r[2])
    assert "乡村振兴" in ta and "医保" not in ta
    assert "医保" in tb and "乡村振兴" not in tb


def test_agenda_attendance_depends_on_the_unit_type(edition):
    """The 动员会's attendance differs between a 部门 and a village."""
    def attendance(stem):
        text = text_of(body(_site(edition, stem), "notices/agenda.html"))
        return re.search(r"参会范围：([^ ]+)", text).group(1)

    dept, village = attendance("county-regular"), attendance("village")
    assert dept != village
    assert "村" in village and "村" not in dept
