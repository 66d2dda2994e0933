"""After the inspection (issue 16): the feedback speech, the written 反馈意见, the unit's
feedback pledge, the 整改方案 with its three lists, the ledger workbook (ledger.xlsx) and
reading a filled ledger back into the 整改进展 page, and the report outlines.

Every page is built for every sample and held-out campaign; dates are checked against
the real calendar (`oracle_dates` in test_calendar.py). The filled ledgers are made here
with openpyxl from the workbook an edition hands out; none is committed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
from pathlib import Path

import pytest
from conftest import CAMPAIGNS, ROOT, load_yaml, run_build, variant
from lxml import html as lh
from openpyxl import load_workbook
from test_calendar import (campaign_params, cn, docx_text, oracle_dates, oracle_workday,
                           write_campaign)
from test_documents import body, group_name, text_of

from macros import campaign as campaign_mod
from macros import edition as edition_mod
from macros import pipeline, rectify

EXAMPLE = ROOT / "campaigns" / "example.yml"
PLAN_COLUMNS = ["序号", "问题", "整改目标", "整改措施", "责任领导", "责任部门", "完成时限", "完成标志"]
STATUSES = ["未启动", "推进中", "已完成", "长期坚持"]
# What the ledger must hold (issue 16 §5, §6): the id, the three lists' columns, the
# workbook's own 完成时限, and the columns the unit updates.
LEDGER_HEADERS = ["问题编号", "问题描述", "整改目标", "整改措施", "责任领导", "责任部门", "完成时限", "进展", "完成日期", "销号"]
PAGES = ["feedback/leader-speech.html", "feedback/opinions.html", "feedback/unit-pledge.html",
         "rectification/plan.html", "rectification/ledger.html", "rectification/progress.html",
         "rectification/report.html"]
DOCX = {"feedback/leader-speech.html": "feedback/feedback-speech.docx",
        "feedback/opinions.html": "feedback/feedback-opinions.docx",
        "feedback/unit-pledge.html": "feedback/feedback-pledge.docx",
        "rectification/plan.html": "rectification/rectification-plan.docx",
        "rectification/report.html": "rectification/rectification-report.docx"}


def shown(day: dt.date, data: dict) -> str:
    """A date as printed: estimates (no feedback date given) carry （预计）."""
    return cn(day) + ("" if data["dates"].get("feedback") else "（预计）")


def life_meeting_word(data: dict) -> str:
    """Leadership teams hold a 民主生活会; a village or community Party organisation an
    组织生活会."""
    return "组织生活会" if data["inspected"].get("type") in ("村", "社区") else "民主生活会"


def page_doc(site: Path, rel: str):
    return lh.fromstring((site / rel).read_text(encoding="utf-8"))


@pytest.fixture(scope="module", params=campaign_params())
def built(request, edition):
    data = load_yaml(request.param)
    return edition(request.param), data, oracle_dates(data)


# ---- Every campaign -------------------------------------------------------------------------------


@pytest.mark.parametrize("rel", PAGES)
def test_page_builds_with_the_campaign_facts(built, rel):
    """Each page exists, names the group or the inspected unit or organisation, and its
    .docx sits beside it."""
    site, data, _ = built
    text = text_of(page_doc(site, rel).xpath("//article")[0])
    insp = data["inspected"]
    assert any(name and name in text for name in (group_name(data), insp["unit"], insp["org"], insp.get("short")))
    if rel in DOCX:
        assert (site / DOCX[rel]).is_file()


@pytest.mark.parametrize("rel", ["feedback/leader-speech.html", "feedback/opinions.html",
                                 "feedback/unit-pledge.html", "rectification/plan.html"])
def test_rectification_deadlines_are_the_calendars(built, rel):
    """The speeches, the opinions and the plan give the three deadlines of the calendar:
    整改方案 15 working days, the 专题生活会 a month, the report three months after the
    feedback, marked as estimates when the feedback date is not given; the .docx too."""
    site, data, want = built
    text = text_of(body(site, rel))
    for key in ("plan", "life_meeting", "report"):
        assert shown(want[key], data) in text, key
    assert f"专题{life_meeting_word(data)}" in text
    docx = docx_text(site / DOCX[rel])
    assert all(shown(want[k], data) in docx for k in ("plan", "life_meeting", "report"))


def _areas(site: Path) -> list[str]:
    return [re.sub(r"^（[一二三四五六七八九十]+）", "", text_of(h))
            for h in body(site, "feedback/leader-speech.html").xpath(".//h3")]


def test_feedback_speech_structure(built):
    """The feedback speech: when it is given, the inspection period, the overall
    assessment as a fill, the problems by focus area each with fill slots, clues and
    transfers, the suggestions and the rectification requirements; the usage note says
    how to state a problem (fact, nature, cause)."""
    site, data, want = built
    b = body(site, "feedback/leader-speech.html")
    text = text_of(b)
    assert shown(want["feedback"], data) in text
    assert f"{cn(want['start'])}至" in text
    heads = [text_of(h) for h in b.xpath(".//h2")]
    for word in ("总体评价", "主要问题", "意见建议", "整改要求"):
        assert any(word in h for h in heads), word
    areas = b.xpath(".//h3")
    assert len(areas) >= 2
    for h3 in areas:
        slots = []
        for sib in h3.itersiblings():
            if sib.tag in ("h2", "h3"):
                break
            slots += sib.xpath(".//*[contains(@class,'xc-fill')]")
        assert slots, text_of(h3)
    assert "问题线索" in text and "移交" in text
    note = text_of(page_doc(site, "feedback/leader-speech.html").xpath("//*[contains(@class,'xc-usage')]")[0])
    assert "事实" in note and "性质" in note and "原因" in note


def test_opinions_follow_the_speech(built):
    """The written 反馈意见 has the same problem areas as the speech, the feedback date
    and the group's signature."""
    site, data, want = built
    text = text_of(body(site, "feedback/opinions.html"))
    for area in _areas(site):
        assert area in text, area
    assert shown(want["feedback"], data) in text
    assert data["inspected"]["org"] in text


def test_unit_pledge_length(built):
    """The unit's feedback pledge is 800–1,400 characters: the speech itself, without
    title, by-line, date or the hints of its fills."""
    site, _, _ = built
    b = body(site, "feedback/unit-pledge.html")
    for fill in b.xpath(".//*[contains(@class,'xc-fill')]"):
        fill.drop_tree()
    paras = [p for p in b.xpath("./p") if not (p.get("class") or "").startswith("xc-doc")]
    n = len(re.sub(r"\s", "", "".join(p.text_content() for p in paras)))
    assert 800 <= n <= 1400, n


def test_unit_pledge_voice(built):
    """The pledge is spoken by the unit's principal, in the unit's own words (我局, 我村…)."""
    site, data, _ = built
    b = body(site, "feedback/unit-pledge.html")
    text = text_of(b)
    if data["inspected"].get("self"):
        assert f"我{data['inspected']['self']}" in text
    assert data["inspected"]["unit"] in text_of(b.xpath(".//*[contains(@class,'xc-doc-author')]")[0])


def test_plan_has_the_three_lists_and_steps(built):
    """The 整改方案: guiding thought, the 整改工作领导小组 by role, the steps with dates, and
    the three lists as one table with the specified columns, a row per problem with a
    stable id Z-01, Z-02…"""
    site, data, want = built
    b = body(site, "rectification/plan.html")
    text = text_of(b)
    heads = " ".join(text_of(h) for h in b.xpath(".//h2"))
    assert "指导思想" in heads and "组织领导" in heads and "工作步骤" in heads
    assert "领导小组" in text and "组长" in text
    table = b.xpath(".//table[.//th[normalize-space()='完成标志']]")[0]
    assert [text_of(th) for th in table.xpath(".//thead//th")] == PLAN_COLUMNS
    ids = [text_of(tr.xpath("./td")[0]) for tr in table.xpath(".//tbody/tr")]
    given = [p["id"] for p in (data.get("rectification") or {}).get("problems", [])]
    assert ids == (given or [f"Z-{n:02d}" for n in range(1, len(ids) + 1)])
    assert len(ids) >= 1 and len(set(ids)) == len(ids)


def test_report_outlines_both_reports(built):
    """The report outline: the 整改情况报告 and the 主要负责人组织落实情况报告, their
    sections, and the date they are due."""
    site, data, want = built
    b = body(site, "rectification/report.html")
    titles = [text_of(h) for h in b.xpath(".//h1")]
    assert len(titles) == 2 and "整改情况" in titles[0] and "主要负责人" in titles[1]
    assert len(b.xpath(".//h2")) >= 6
    note = text_of(page_doc(site, "rectification/report.html").xpath("//article")[0])
    assert shown(want["report"], data) in note


def test_progress_page_follows_the_ledger(built):
    """Without a returned ledger the progress page says none came back and shows no
    figures; with one it shows them (the figures themselves: test_returned_ledger_*)."""
    site, data, _ = built
    d = page_doc(site, "rectification/progress.html")
    text = text_of(d.xpath("//article")[0])
    has_ledger = bool((data.get("rectification") or {}).get("ledger"))
    assert ("尚未收到" in text) != has_ledger
    assert bool(d.xpath("//*[@data-xc-total]")) == has_ledger


def _ledger(site: Path):
    return load_workbook(site / "rectification" / "ledger.xlsx")


def _ws_rows(ws) -> tuple[list[str], list[tuple]]:
    rows = list(ws.iter_rows(values_only=True))
    return [str(h) for h in rows[0]], [r for r in rows[1:] if any(v not in (None, "") for v in r)]


def test_ledger_workbook_layout(built):
    """ledger.xlsx: Chinese headers as specified, the header row frozen, A4 landscape,
    drop-down lists on 进展 (the four statuses) and 销号, a sheet explaining every column."""
    site, _, _ = built
    wb = _ledger(site)
    ws = wb.worksheets[0]
    heads, _ = _ws_rows(ws)
    assert all(h in heads for h in LEDGER_HEADERS), heads
    assert all(re.search(r"[\u4e00-\u9fff]", h) and not re.search(r"[A-Za-z]", h) for h in heads)
    assert ws.freeze_panes and int(re.sub(r"\D", "", ws.freeze_panes)) >= 2
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"  # A4
    assert all((ws.column_dimensions[chr(65 + i)].width or 0) >= 6 for i in range(len(heads)))

    def validation(header):
        col = chr(65 + heads.index(header))
        return [dv for dv in ws.data_validations.dataValidation
                if dv.type == "list" and any(str(r).startswith(col) for r in str(dv.sqref).split())]

    progress = validation("进展")
    assert len(progress) == 1
    assert progress[0].formula1.strip('"').split(",") == STATUSES
    assert validation("销号")
    help_ws = wb.worksheets[1]
    explained = " ".join(str(v) for row in help_ws.iter_rows(values_only=True) for v in row if v)
    assert all(h in explained for h in heads)


def test_ledger_rows_have_ids_and_calendar_deadlines(built):
    """A row per problem (the given ones, or numbered rows Z-01… to fill), each with a
    完成时限: the date the plan page gives, a working day after the feedback."""
    site, data, want = built
    heads, rows = _ws_rows(_ledger(site).worksheets[0])
    ids = [r[heads.index("问题编号")] for r in rows]
    given = (data.get("rectification") or {}).get("problems", [])
    assert ids == ([p["id"] for p in given] or [f"Z-{n:02d}" for n in range(1, len(ids) + 1)])
    plan = body(site, "rectification/plan.html")
    plan_due = {text_of(tr.xpath("./td")[0]): text_of(tr.xpath("./td")[6])
                for tr in plan.xpath(".//table//tbody/tr")}
    for r in rows:
        due = r[heads.index("完成时限")]
        assert isinstance(due, dt.datetime), r
        due = due.date()
        assert oracle_workday(due) and want["feedback"] < due <= want["report"]
        assert plan_due[r[heads.index("问题编号")]].startswith(cn(due))


# ---- Across campaigns ---------------------------------------------------------------------------


def test_feedback_speeches_of_different_kinds_differ(edition):
    """The problem sections of the feedback speech differ between every two sample
    campaigns of different kinds."""
    by_kind: dict[str, Path] = {}
    for path in CAMPAIGNS:
        by_kind.setdefault(load_yaml(path)["kind"], path)
    assert len(by_kind) >= 3
    areas = {kind: _areas(edition(path)) for kind, path in by_kind.items()}
    kinds = sorted(areas)
    for i, a in enumerate(kinds):
        for b in kinds[i + 1:]:
            assert areas[a] != areas[b], (a, b)


# ---- A ledger that comes back ---------------------------------------------------------------------

BUILD_DAY = dt.date(2027, 3, 15)
PROBLEMS = [{"id": f"Z-{n:02d}", "area": area, "text": text} for n, (area, text) in enumerate([
    ("落实党中央决策部署方面", "衔接资金拨付进度滞后，部分资金滞留超过半年"),
    ("落实党中央决策部署方面", "项目库入库论证不充分，个别项目未按规定调整审批"),
    ("全面从严治党方面", "公务接待审批不严，存在超标准接待"),
    ("全面从严治党方面", "内部控制制度执行不到位，大额支出未经集体研究"),
    ("组织建设方面", "干部轮岗交流制度落实不够，重点岗位人员长期未交流"),
    ("整改落实方面", "上次审计指出的问题整改不彻底"),
], start=1)]
# (status, 完成时限, 完成日期, 销号) per problem, as the unit might return them.
FILLED = {
    "Z-01": ("已完成", dt.date(2027, 3, 1), dt.date(2027, 2, 20), "是"),
    "Z-02": ("推进中", dt.date(2027, 2, 26), None, "否"),      # overdue
    "Z-03": ("推进中", dt.date(2027, 4, 29), None, "否"),
    "Z-04": ("长期坚持", dt.date(2027, 2, 1), None, "否"),     # past, but never overdue
    "Z-05": ("未启动", dt.date(2027, 3, 10), None, "否"),      # overdue
    "Z-06": ("推进中", BUILD_DAY, None, "否"),                # due today: not yet past
}


def _fill(blank: Path, out: Path, rows: dict, *, extra=None, sheet: str | None = None) -> Path:
    """The workbook the edition handed out, filled in as the unit would."""
    wb = load_workbook(blank)
    ws = wb.worksheets[0]
    heads = [c.value for c in ws[1]]
    col = {h: i + 1 for i, h in enumerate(heads)}
    ws.delete_rows(2, ws.max_row)
    for n, (ident, (status, due, done, closed)) in enumerate(rows.items(), start=2):
        p = next(p for p in PROBLEMS if p["id"] == ident) if ident in FILLED else {"area": "", "text": ""}
        for h, v in (("问题编号", ident), ("所属方面", p["area"]), ("问题描述", p["text"]), ("完成时限", due),
                     ("进展", status), ("完成日期", done), ("销号", closed), ("责任领导", "班子成员甲"),
                     ("责任部门", "办公室")):
            ws.cell(row=n, column=col[h], value=v)
    if extra:
        extra(ws, col)
    if sheet:
        ws.title = sheet
    wb.save(out)
    return out


def _cell(blank: Path, header: str, row: int) -> str:
    heads = [c.value for c in load_workbook(blank).worksheets[0][1]]
    return f"{chr(65 + heads.index(header))}{row}"


def ledger_campaign(ledger: str) -> dict:
    return variant(EXAMPLE, id="2026-r5-g3-ledger", rectification={"problems": PROBLEMS, "ledger": ledger})


@pytest.fixture(scope="module")
def blank_ledger(example_site) -> Path:
    return example_site / "rectification" / "ledger.xlsx"


@pytest.fixture(scope="module")
def returned(blank_ledger, tmp_path_factory) -> Path:
    """An edition built with a filled ledger (relative path), on a fixed build date."""
    folder = tmp_path_factory.mktemp("ledger")
    _fill(blank_ledger, folder / "returned.xlsx", FILLED)
    path = write_campaign(ledger_campaign("returned.xlsx"), folder / "campaign.yml")
    epoch = int(dt.datetime(BUILD_DAY.year, BUILD_DAY.month, BUILD_DAY.day, 8, tzinfo=dt.timezone.utc).timestamp())
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", str(epoch))
        pipeline.build_site(edition_mod.from_file(path), folder / "site")
    return folder / "site"


def _ids(doc, cls: str) -> list[str]:
    return [tr.get("data-problem") for tr in doc.xpath(f"//table[contains(@class,'{cls}')]//tbody/tr")]


def test_returned_ledger_counts_and_overdue(returned):
    """The progress page matches the returned rows: counts by status, the overdue items
    (open and past their 完成时限 on the build date; 长期坚持 never), the open items."""
    doc = page_doc(returned, "rectification/progress.html")
    counts = {tr.get("data-status"): int(text_of(tr.xpath("./td")[1]))
              for tr in doc.xpath("//table[contains(@class,'xc-ledger-counts')]//tbody/tr")}
    want = {s: sum(1 for v in FILLED.values() if v[0] == s) for s in STATUSES}
    assert counts == want
    overdue = sorted(k for k, (s, due, _, _) in FILLED.items() if s not in ("已完成", "长期坚持") and due < BUILD_DAY)
    assert sorted(_ids(doc, "xc-ledger-overdue")) == overdue == ["Z-02", "Z-05"]
    assert sorted(_ids(doc, "xc-ledger-open")) == sorted(k for k, v in FILLED.items() if v[0] != "已完成")
    assert text_of(doc.xpath("//*[@data-xc-total]")[0]) == str(len(FILLED))
    assert cn(BUILD_DAY) in text_of(doc.xpath("//article")[0])


def test_returned_ledger_fills_the_bulletin(returned):
    """The 整改进展情况通报 draft carries the ledger's figures."""
    text = text_of(body(returned, "rectification/progress.html"))
    n = {s: sum(1 for v in FILLED.values() if v[0] == s) for s in STATUSES}
    assert f"{len(FILLED)}个问题" in text
    assert f"已完成整改{n['已完成']}个" in text and f"{n['推进中']}个" in text and f"{n['长期坚持']}个" in text
    assert "〔待填：截至某日" not in text


def test_given_problems_make_the_rows(returned):
    """With rectification.problems, the plan and ledger.xlsx have one row per problem,
    with its id, area and text."""
    heads, rows = _ws_rows(load_workbook(returned / "rectification" / "ledger.xlsx").worksheets[0])
    assert [(r[heads.index("问题编号")], r[heads.index("所属方面")], r[heads.index("问题描述")]) for r in rows] == [
        (p["id"], p["area"], p["text"]) for p in PROBLEMS]
    plan = body(returned, "rectification/plan.html")
    trs = plan.xpath(".//table//tbody/tr")
    assert [text_of(tr.xpath("./td")[0]) for tr in trs] == [p["id"] for p in PROBLEMS]
    assert all(p["text"] in text_of(tr) for p, tr in zip(PROBLEMS, trs))


# Each bad ledger: (what, rows, change, the header of the cell named, its row).
BAD = {
    "unknown id": (lambda ws, col: ws.cell(row=4, column=col["问题编号"], value="Z-09"), "问题编号", 4),
    "done without date": (lambda ws, col: (ws.cell(row=3, column=col["进展"], value="已完成"),
                                           ws.cell(row=3, column=col["完成日期"], value=None)), "完成日期", 3),
    "text in a date column": (lambda ws, col: ws.cell(row=5, column=col["完成时限"], value="3月底前"), "完成时限", 5),
    "date before the inspection": (lambda ws, col: ws.cell(row=7, column=col["完成时限"], value=dt.date(2020, 1, 10)),
                                   "完成时限", 7),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_ledger_names_the_cell(blank_ledger, tmp_path, case):
    """Each bad ledger (unknown id, 已完成 without a date, text in a date column, a date
    outside the campaign) is refused with the sheet and cell named, in Chinese."""
    change, header, row = BAD[case]
    path = _fill(blank_ledger, tmp_path / "bad.xlsx", FILLED, extra=change)
    c = campaign_mod.load(write_campaign(ledger_campaign(str(path)), tmp_path / "c.yml"))
    with pytest.raises(rectify.LedgerError) as e:
        rectify.read_ledger(path, c, dt.date(2026, 12, 1))
    msg = e.value.report()
    assert f"整改台账!{_cell(blank_ledger, header, row)}" in msg
    assert re.search(r"[\u4e00-\u9fff]{4}", msg)


def test_ledger_without_its_sheet_is_refused(blank_ledger, tmp_path):
    """A workbook whose 整改台账 sheet was renamed is refused, naming the missing sheet."""
    path = _fill(blank_ledger, tmp_path / "bad.xlsx", FILLED, sheet="Sheet1")
    c = campaign_mod.load(write_campaign(ledger_campaign(str(path)), tmp_path / "c.yml"))
    with pytest.raises(rectify.LedgerError) as e:
        rectify.read_ledger(path, c, dt.date(2026, 12, 1))
    assert "整改台账" in e.value.report() and "Sheet1" in e.value.report()


def _snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def previous_edition(example_site, tmp_path) -> Path:
    out = tmp_path / "out"
    shutil.copytree(example_site, out)
    return out


@pytest.mark.subprocess
@pytest.mark.parametrize("case", ["rows", "sheet"])
def test_bad_ledger_fails_the_build_and_keeps_the_old_edition(blank_ledger, previous_edition, tmp_path, case):
    """`mkdocs build --strict` with a bad ledger fails listing every error with its cell
    (or the missing sheet), and the folder holding the previous edition is untouched."""
    path = tmp_path / "bad.xlsx"
    if case == "rows":
        def every(ws, col):
            for change, _, _ in BAD.values():
                change(ws, col)
        _fill(blank_ledger, path, FILLED, extra=every)
        expect = [f"整改台账!{_cell(blank_ledger, h, r)}" for _, h, r in BAD.values()]
    else:
        _fill(blank_ledger, path, FILLED, sheet="Sheet1")
        expect = ["整改台账", "Sheet1"]
    campaign = write_campaign(ledger_campaign("bad.xlsx"), tmp_path / "c.yml")
    before = _snapshot(previous_edition)
    r = run_build(campaign, previous_edition)
    assert r.returncode != 0
    out = r.stdout + r.stderr
    assert all(e in out for e in expect), out[-2000:]
    assert _snapshot(previous_edition) == before
    assert not [p for p in previous_edition.parent.iterdir() if p.name.startswith(".xc-tmp")]
