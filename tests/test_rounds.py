"""A whole round in one file (issue 17, round parts): the sample round
`campaigns/rounds/2027-r6.yml` built by `python -m macros.editions`, once from the YAML
file and once from the Excel template (written by `--xlsx-template`, filled here with
openpyxl with the same data), and the round's own outputs: the combined announcement
(HTML and .docx), round.json and the index with each edition's status and links.

Expected values come from the round file itself (groups, units, dates, channels) and from
the calendar rule of the contract: the period counts `days` inclusively from the start,
and an end that falls on a rest day moves back to the last working day before it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil

import pytest
from lxml import html as lh

from round_util import DATA, HEADERS, IDS, ROUND, fill_template, round_output, run_editions, tree

# The last day on site of each edition: start + days - 1, moved back off a rest day.
#   g1 2027-03-08 + 40 days → 2027-04-16 (Friday)
#   g2 2027-03-09 + 30 days → 2027-04-07 (Wednesday)
#   g3 2027-03-10 + 40 days → 2027-04-18 is a Sunday → Friday 2027-04-16
#   g4 2027-03-10 + 30 days → 2027-04-08 (Thursday)
END = {"2027-r6-g1-jyj": dt.date(2027, 4, 16), "2027-r6-g2-dryy": dt.date(2027, 4, 7),
       "2027-r6-g3-hxz": dt.date(2027, 4, 16), "2027-r6-g4-tj-zrzyj": dt.date(2027, 4, 8)}


@pytest.fixture(scope="module")
def round_out(tmp_path_factory):
    """The sample round built twice, at the same time: from the YAML file and from the
    filled Excel template (once per session; read only by the tests)."""
    return round_output(tmp_path_factory)


def test_round_builds_from_yaml_and_from_excel(round_out):
    """Both runs build every edition of the round and report each one."""
    for out, (stdout, stderr, rc) in zip((round_out["yaml"], round_out["xlsx"]), round_out["results"]):
        assert rc == 0, stdout + stderr
        assert "Traceback" not in stdout + stderr
        for ident in IDS:
            assert f"✓ {ident}" in stdout
            assert (out / ident / "index.html").is_file() and (out / f"{ident}.zip").is_file()


@pytest.mark.parametrize("ident", IDS)
def test_excel_and_yaml_give_the_same_bytes(round_out, ident):
    """Edition for edition, the folder and the zip built from the workbook are byte-identical
    to those built from the YAML file."""
    a, b = tree(round_out["yaml"] / ident), tree(round_out["xlsx"] / ident)
    assert sorted(set(a) ^ set(b)) == []
    assert [k for k in a if a[k] != b[k]] == []
    assert (round_out["yaml"] / f"{ident}.zip").read_bytes() == (round_out["xlsx"] / f"{ident}.zip").read_bytes()


def test_round_outputs_are_the_same_from_excel(round_out):
    """The announcement (HTML, .docx), round.json and the index are byte-identical; the
    manifest differs only in the file each edition came from."""
    for name in ("announcement.html", "announcement.docx", "round.json", "index.html"):
        assert (round_out["yaml"] / name).read_bytes() == (round_out["xlsx"] / name).read_bytes(), name
    a = json.loads((round_out["yaml"] / "editions.json").read_text(encoding="utf-8"))
    b = json.loads((round_out["xlsx"] / "editions.json").read_text(encoding="utf-8"))
    assert {e["source"] for e in a["editions"]} == {ROUND.name}
    assert {e["source"] for e in b["editions"]} == {round_out["filled"].name}
    strip = lambda m: [{k: v for k, v in e.items() if k != "source"} for e in m["editions"]]  # noqa: E731
    assert strip(a) == strip(b)


def test_template_has_choices_dates_and_help(round_out):
    """The template: drop-down lists for kind and unit type, date cells, and a sheet that
    explains every column."""
    from openpyxl import load_workbook

    wb = load_workbook(round_out["template"])
    assert {"本轮设置", "巡察安排", "填写说明"} <= set(wb.sheetnames)
    plan = wb["巡察安排"]
    header = [c.value for c in plan[1]]
    assert set(HEADERS) <= set(header)
    lists = " ".join(dv.formula1 or "" for dv in plan.data_validations.dataValidation if dv.type == "list")
    for word in ("常规", "提级", "回头看", "部门", "乡镇", "村", "医院"):
        assert word in lists, word
    col = header.index("进驻日期") + 1
    assert "yy" in plan.cell(row=2, column=col).number_format
    explained = {row[1] for row in wb["填写说明"].iter_rows(min_row=2, values_only=True)}
    assert set(header) <= explained


def _period(start: dt.date, end: dt.date) -> str:
    head = f"{start.year}年{start.month}月{start.day}日"
    tail = f"{end.month}月{end.day}日" if end.year == start.year else f"{end.year}年{end.month}月{end.day}日"
    return f"{head}至{tail}"


def _merged(entry: dict) -> dict:
    from macros import rounds

    return rounds.merge(rounds.merge({"committee": DATA["committee"]}, DATA["defaults"]), entry)


def _group_name(entry: dict) -> str:
    names = {1: "一", 2: "二", 3: "三", 4: "四"}
    return entry["group"].get("name") or f"{DATA['committee']['short']}第{names[entry['group']['number']]}巡察组"


def _rows(doc_text_rows: list[str], entry: dict) -> list[str]:
    group = _group_name(entry)
    return [r for r in doc_text_rows if group in r]


def _expected_in_row(entry: dict) -> list[str]:
    m = _merged(entry)
    start = dt.date.fromisoformat(str(m["dates"]["start"]))
    return [m["inspected"]["org"], _period(start, END[m["id"]]), m["contact"]["phone"], m["contact"]["email"],
            *m["contact"]["mailboxes"], m["contact"]["hours"]]


def test_announcement_lists_every_group_unit_period_and_channel(round_out):
    """One table row per group: the unit's Party organisation, the period on site, and the
    phone (with its hours), e-mail and every mailbox; on A4 paper."""
    page = (round_out["yaml"] / "announcement.html").read_text(encoding="utf-8")
    doc = lh.fromstring(page)
    rows = [" ".join(tr.text_content().split()) for tr in doc.xpath("//tbody/tr")]
    assert len(rows) == len(DATA["editions"])
    for entry in DATA["editions"]:
        mine = _rows(rows, entry)
        assert len(mine) == 1, (_group_name(entry), rows)
        for value in _expected_in_row(entry):
            assert value in mine[0], (value, mine[0])
    assert re.search(r"@page\s*{[^}]*size:\s*A4", page)
    assert "十二届市委第六轮巡察" in doc.xpath("string(//h1)")


def test_announcement_docx_has_the_same_table_on_a4(round_out):
    """The .docx beside it holds the same rows and is laid out on A4."""
    import docx

    d = docx.Document(str(round_out["yaml"] / "announcement.docx"))
    rows = [" ".join(" ".join(c.text for c in r.cells).split()) for t in d.tables for r in t.rows]
    for entry in DATA["editions"]:
        mine = _rows(rows, entry)
        assert len(mine) == 1, (_group_name(entry), rows)
        for value in _expected_in_row(entry):
            assert value in mine[0], (value, mine[0])
    sec = d.sections[0]
    assert abs(sec.page_width.mm - 210) < 1 and abs(sec.page_height.mm - 297) < 1


def test_round_json_describes_every_edition(round_out):
    """round.json: the round and, per edition, group, unit, dates and channels."""
    data = json.loads((round_out["yaml"] / "round.json").read_text(encoding="utf-8"))
    assert data["round"] == "十二届市委第六轮巡察"
    by_id = {e["id"]: e for e in data["editions"]}
    assert sorted(by_id) == sorted(IDS)
    for entry in DATA["editions"]:
        m = _merged(entry)
        e = by_id[m["id"]]
        assert e["org"] == m["inspected"]["org"] and e["unit"] == m["inspected"]["unit"]
        assert e["start"] == str(m["dates"]["start"]) and e["end"] == END[m["id"]].isoformat()
        assert e["phone"] == m["contact"]["phone"] and e["mailboxes"] == m["contact"]["mailboxes"]


def test_round_index_has_status_and_working_links(round_out):
    """The index: one card per edition with its dates (the status is worked out from them)
    and a status badge; every link opens a file that exists, including each edition's
    home page, its speech .docx and the round's announcement."""
    out = round_out["yaml"]
    doc = lh.fromstring((out / "index.html").read_text(encoding="utf-8"))
    cards = doc.xpath("//*[@data-start]")
    assert len(cards) == len(IDS)
    for entry in DATA["editions"]:
        card = [c for c in cards if f"{entry['id']}/index.html" in c.xpath(".//a/@href")]
        assert len(card) == 1, entry["id"]
        card = card[0]
        assert card.get("data-start") == str(entry["dates"]["start"])
        assert card.get("data-end") == END[entry["id"]].isoformat()
        assert card.xpath(".//*[contains(@class, 'status')]")
        assert entry["inspected"]["org"] in card.text_content()
        hrefs = card.xpath(".//a/@href")
        assert f"{entry['id']}/speeches/leader-opening.docx" in hrefs
        assert f"{entry['id']}.zip" in hrefs
    hrefs = doc.xpath("//a/@href")
    assert "announcement.html" in hrefs
    missing = [h for h in hrefs if not (out / h).is_file()]
    assert missing == []


def test_round_index_status_by_date_and_no_sideways_scroll(round_out, chromium):
    """In Chromium at 375 px: each card's status follows the reader's date (未进驻 before the
    start, 驻点中 from start to end, 已结束 after), and the page never scrolls sideways."""
    url = (round_out["yaml"] / "index.html").as_uri()
    ctx = chromium.new_context(viewport={"width": 375, "height": 800})
    try:
        for today in (dt.date(2027, 3, 9), dt.date(2027, 4, 10)):
            page = ctx.new_page()
            page.clock.set_fixed_time(dt.datetime(today.year, today.month, today.day, 12, 0))
            page.goto(url, wait_until="load")
            shown = page.evaluate("""() => Array.from(document.querySelectorAll('[data-start]')).map(c =>
                [c.querySelector('a').getAttribute('href'), c.querySelector('.status').textContent.trim()])""")
            expected = {}
            for entry in DATA["editions"]:
                start, end = entry["dates"]["start"], END[entry["id"]]
                start = dt.date.fromisoformat(str(start))
                expected[f"{entry['id']}/index.html"] = ("未进驻" if today < start else
                                                         "驻点中" if today <= end else "已结束")
            assert dict(shown) == expected, today
            assert page.evaluate("document.documentElement.scrollWidth") <= 375
            page.close()
    finally:
        ctx.close()


def test_bad_entry_is_reported_and_the_rest_build(round_out, tmp_path):
    """A round of two entries, the second with its phone typed as a bare number, into the
    folder of the built round: the message names the file and `editions[1].contact.phone`;
    the first entry is rebuilt; the old edition of the bad entry (folder and zip) is left
    exactly as it was and stays listed in the index."""
    import copy

    import yaml

    out = tmp_path / "out"
    shutil.copytree(round_out["yaml"], out, symlinks=True)
    good_id, bad_id = IDS[0], IDS[1]
    before = tree(out / bad_id), (out / f"{bad_id}.zip").read_bytes()
    (out / good_id / "stale.txt").write_text("x", encoding="utf-8")
    data = copy.deepcopy(DATA)
    data["editions"] = data["editions"][:2]
    data["editions"][1]["contact"]["phone"] = 1234562
    bad = tmp_path / "round-bad.yml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    r = run_editions("--out", out, "--formats", "site", "--jobs", 1, bad)
    text = r.stdout + r.stderr
    assert r.returncode == 1, text
    assert "Traceback" not in text
    assert str(bad) in text and "editions[1].contact.phone" in text
    assert "成功 1 个，失败 1 个" in text and f"✓ {good_id}" in text
    assert not (out / good_id / "stale.txt").exists(), "the good entry was not rebuilt"
    assert (tree(out / bad_id), (out / f"{bad_id}.zip").read_bytes()) == before
    listed = [e["id"] for e in json.loads((out / "editions.json").read_text(encoding="utf-8"))["editions"]]
    assert sorted(listed) == sorted(IDS)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{i}/index.html"' in index for i in IDS)


def test_bad_excel_cell_names_sheet_row_and_column(round_out, tmp_path):
    """In the workbook, a phone typed as a number and a date typed as text are reported by
    sheet, row and column header, each with what to change; only those rows fail."""
    def edit(n, row):
        if n == 1:
            row["联系电话"] = 1234562
        if n == 2:
            row["进驻日期"] = "3月10日"

    book = tmp_path / "bad.xlsx"
    fill_template(round_out["template"], book, DATA, edit)
    r = run_editions("--check", book)
    text = r.stdout + r.stderr
    assert r.returncode == 1, text
    assert "Traceback" not in text
    assert "巡察安排!第3行「联系电话」" in text and "文本" in text
    assert "巡察安排!第4行「进驻日期」" in text and "日期" in text
    for ident in (IDS[0], IDS[3]):
        assert f"（{ident}）" in text and "✓" in text
    assert "2 个有效，2 个有误" in text
