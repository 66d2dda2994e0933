"""The four checklists (before entry, during, materials, rectification) as built for every
sample and held-out campaign: usable paper forms with stable checkboxes, every time limit
read on the real working-day calendar, the materials by category (theme and village
items where they belong), the campaign's own overrides, and the data files' checks.

Dates are checked against `oracle_due` (test_calendar.py): each item's rule, read as the
data files document it, on the real Chinese calendar.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, load_yaml, variant
from lxml import html as lh
from test_calendar import campaign_params, cn, oracle_dates, oracle_due, write_campaign
from test_documents import group_name

from macros import checklists, yamlio
from macros import edition as edition_mod

EXAMPLE = ROOT / "campaigns" / "example.yml"
PAGES = {"before-entry": "进驻前准备清单", "during": "驻点期间配合清单", "materials": "调阅资料清单",
         "rectification": "反馈后整改清单"}
PAPER = ["完成日期", "经办人", "备注"]
THEME_CATEGORY = "巡察主题相关资料"
LOOKBACK_CATEGORY = "上次巡察整改落实情况"


def doc(site: Path, name: str):
    return lh.fromstring((site / "checklists" / f"{name}.html").read_text(encoding="utf-8"))


def text_of(node) -> str:
    return " ".join(node.text_content().split())


def rows(d) -> list[dict]:
    """Each item row: id, text (without the screen-only note), rule, printed 时限, ISO date."""
    out = []
    for tr in d.xpath("//table[contains(@class,'xc-checklist__table')]//tr[@data-item]"):
        due = tr.xpath("./td[contains(@class,'xc-checklist__due')]")[0]
        td = tr.xpath("./td[contains(@class,'xc-checklist__text')]")[0]
        note = " ".join(text_of(n) for n in td.xpath(".//*[contains(@class,'xc-checklist__note')]"))
        own = text_of(td)
        out.append({"id": tr.get("data-item"), "text": own[:len(own) - len(note)].strip() if note else own,
                    "rule": due.get("data-xc-due-rule"), "due": text_of(due),
                    "day": dt.date.fromisoformat(due.get("data-xc-due")), "tr": tr})
    return out


@pytest.fixture(scope="module", params=campaign_params())
def built(request, edition):
    data = load_yaml(request.param)
    return edition(request.param), data, oracle_dates(data)


# ---- Every campaign ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(PAGES))
def test_page_is_a_table_for_this_edition(built, name):
    """Each list is one titled table marked with its list and the edition id; its printed
    head names the group, the unit and the period; a sign-off line closes it."""
    site, data, want = built
    d = doc(site, name)
    assert text_of(d.xpath("//article//h1")[0]) == PAGES[name]
    assert len(d.xpath("//article//table[contains(@class,'xc-checklist__table')]")) == 1
    box = d.xpath("//*[@data-xc-checklist]")[0]
    assert box.get("data-xc-checklist") == name and box.get("data-xc-edition") == data["id"]
    head = text_of(d.xpath("//*[contains(@class,'xc-checklist__campaign')]")[0])
    assert group_name(data) in head and cn(want["start"]) in head
    assert "填表人" in text_of(d.xpath("//*[contains(@class,'xc-checklist__sign')]")[0])
    assert "____" not in d.text_content()


@pytest.mark.parametrize("name", list(PAGES))
def test_paper_columns_and_no_printed_notes(built, name):
    """On paper: columns 完成日期, 经办人 and 备注 to write in, left blank; editorial notes
    are screen-only, never in the 备注 column."""
    site, _, _ = built
    d = doc(site, name)
    heads = [text_of(th) for th in d.xpath("//table[contains(@class,'xc-checklist__table')]/thead//th")]
    assert heads[-3:] == PAPER
    for r in rows(d):
        cells = r["tr"].xpath("./td")
        assert len(cells) == len(heads)
        assert all(text_of(c) == "" for c in cells[-3:]), r["id"]
        for note in r["tr"].xpath(".//*[contains(@class,'xc-checklist__note')]"):
            assert "xc-noprint" in note.get("class").split()


def test_checkboxes_ids_and_progress(built):
    """Every item has a labelled checkbox; ids are unique across the four lists; each
    list's progress counter starts at 0 of its item count, with a clear button."""
    site, _, _ = built
    seen: set[str] = set()
    for name in PAGES:
        d = doc(site, name)
        boxes = d.xpath("//input[@type='checkbox' and contains(@class,'xc-check')]")
        assert len(boxes) == len(rows(d)) > 0
        for b in boxes:
            assert b.get("id") not in seen, b.get("id")
            seen.add(b.get("id"))
            assert b.get("aria-label") and d.xpath(f"//label[@for='{b.get('id')}']")
        assert text_of(d.xpath("//*[@data-xc-progress]")[0]) == f"已完成 0 / {len(boxes)}"
        assert d.xpath("//button[@data-xc-clear]")
    assert len(seen) >= 60


@pytest.mark.parametrize("name", list(PAGES))
def test_every_time_limit_is_the_calendars(built, name):
    """Each item's printed date is its rule read on the real calendar (working days for
    `w` rules, a calendar-day limit on a day off moved away from its anchor); 驻点期间
    prints the period; dates that follow an estimated feedback date are marked."""
    site, data, want = built
    for r in rows(doc(site, name)):
        rule = r["rule"]
        if rule == "during":
            assert f"（{cn(want['start'])}至" in r["due"], r["due"]
            continue
        day = oracle_due(rule, data, want)
        assert r["day"] == day, (r["id"], rule, r["day"], day)
        assert f"（{cn(day)}）" in r["due"], (r["id"], r["due"])
        estimated = not data["dates"].get("feedback") and day >= want["feedback"]
        assert r["due"].endswith("（预计）") == estimated, r["due"]


def test_before_entry_dates_lie_between_notice_and_entry(built):
    """Before-entry items fall between the notice and the entry day, most before it; the
    liaison list is due two working days before entry (start-2w)."""
    site, data, want = built
    r = rows(doc(site, "before-entry"))
    assert all(want["notice"] <= x["day"] <= want["start"] for x in r), [(x["id"], x["day"]) for x in r]
    assert sum(x["day"] < want["start"] for x in r) * 2 > len(r)
    two = [x for x in r if x["rule"] == "start-2w"]
    assert two and all(x["day"] == oracle_due("start-2w", data, want) for x in two)


def test_during_dates_lie_inside_the_inspection(built):
    """Items of the on-site weeks fall between entry and the end of on-site work."""
    site, _, want = built
    r = rows(doc(site, "during"))
    assert all(want["start"] <= x["day"] <= want["end"] for x in r), [(x["id"], x["day"]) for x in r]
    assert any(x["rule"] == "deadline" for x in r)


def test_materials_cover_every_category(built):
    """The materials list shows every category the data file gives for this edition, in
    order: the general ones always, the theme's materials for a campaign with a theme,
    the previous inspection's for a 回头看 only."""
    site, data, _ = built
    d = doc(site, "materials")
    cats = [re.sub(r"^[一二三四五六七八九十]+、", "", text_of(th))
            for th in d.xpath("//tr[contains(@class,'xc-checklist__cat')]/th")]
    declared = checklists.load_lists()["materials"].categories
    assert cats == [c for c in declared if c in cats]  # in the file's order
    general = {i.category for i in checklists.load_lists()["materials"].items
               if i.types is None and i.kinds is None and "{" not in i.text}
    assert general <= set(cats)
    assert (THEME_CATEGORY in cats) == bool(data.get("theme"))
    assert (LOOKBACK_CATEGORY in cats) == (data["kind"] == "回头看")
    if data.get("theme"):
        block = [x for x in rows(d) if x["tr"].xpath(f"preceding::tr[contains(@class,'xc-checklist__cat')][1]"
                                                       f"[contains(., '{THEME_CATEGORY}')]")]
        assert len(block) >= 3


def test_rectification_covers_plan_meeting_and_report(built):
    """The rectification list holds the 整改方案, the 专题生活会 and the 整改情况报告, each
    on the calendar's date after the feedback (marked as an estimate when the feedback
    date is not given)."""
    site, data, want = built
    r = rows(doc(site, "rectification"))
    meeting = "组织生活会" if data["inspected"].get("type") in ("村", "社区") else "民主生活会"
    for word, key in (("整改方案", "plan"), (f"专题{meeting}", "life_meeting"), ("整改情况报告", "report")):
        hits = [x for x in r if word in x["text"] and x["day"] == want[key]]
        assert hits, (word, want[key])
    assert all(x["day"] > want["feedback"] for x in r)


def test_no_doubled_terms_in_items(built):
    """No item repeats a term in a row (“各村民小组和各村民小组”), which happens when two
    unit-type words are joined that say the same thing."""
    site, _, _ = built
    for name in PAGES:
        for r in rows(doc(site, name)):
            m = re.search(r"([\u4e00-\u9fff“”]{3,})[、和及与]\1", r["text"])
            assert not m, (name, r["id"], m and m.group(0))


# ---- By unit type ------------------------------------------------------------------------------


def test_village_gets_a_village_checklist(edition):
    """A village's lists speak of a village: its 三资 and subsidies, a room at the
    村党群服务中心, its roster; nothing a village does not have (a 三定 staffing plan,
    classified computers, subordinate units)."""
    site = edition(ROOT / "campaigns" / "village.yml")
    texts = {name: " ".join(r["text"] for r in rows(doc(site, name))) for name in PAGES}
    assert "三资" in texts["materials"] and "村" in texts["before-entry"]
    assert "党群服务中心" in texts["before-entry"]
    everything = " ".join(texts.values())
    for word in ("三定", "涉密计算机", "下属单位", "干部职工", "中层干部"):
        assert word not in everything, word


def test_town_with_villages_prepares_its_villages(edition):
    """A town inspected with its villages asks its villages to prepare and to receive
    the group's visits; a department's lists do not."""
    town = edition(ROOT / "campaigns" / "town-villages.yml")
    dept = edition(ROOT / "campaigns" / "county-regular.yml")
    town_text = " ".join(r["text"] for n in PAGES for r in rows(doc(town, n)))
    dept_text = " ".join(r["text"] for n in PAGES for r in rows(doc(dept, n)))
    assert "所辖各村" in town_text and "所辖各村" not in dept_text


# ---- The campaign's overrides ------------------------------------------------------------------

OVERRIDES = {
    "drop": ["contact-book"],
    "due": {"office-room": "start-3w", "rectification-report": "feedback+90"},
    "add": [{"list": "during", "id": "badge-cards", "text": "为巡察组人员办理门禁卡和停车证", "owner": "办公室",
             "due": "start"}],
}


def overridden() -> dict:
    return variant(EXAMPLE, checklists=OVERRIDES)


def test_overrides_drop_change_and_add(edition):
    """`checklists:` in the campaign drops an item, changes limits (working and calendar
    days) and adds one; the new limits are read on the calendar."""
    data = overridden()
    site = edition(data)
    before = {x["id"]: x for x in rows(doc(site, "before-entry"))}
    assert "contact-book" not in before
    office = before["office-room"]
    assert "进驻前3个工作日" in office["due"] and office["day"] == oracle_due("start-3w", data)
    report = [x for x in rows(doc(site, "rectification")) if x["id"] == "rectification-report"][0]
    assert "反馈后90日" in report["due"] and report["day"] == oracle_due("feedback+90", data)
    added = [x for x in rows(doc(site, "during")) if x["id"] == "badge-cards"]
    assert added and added[0]["day"] == oracle_dates(data)["start"]


def test_checkbox_ids_are_stable_across_editions(edition, example_site):
    """A checkbox's id depends on its item only: the items both editions share keep
    their ids when another item is dropped or added (saved ticks stay on their items)."""
    site = edition(overridden())
    for name in PAGES:
        a = {b.get("data-item"): b.get("id") for b in doc(example_site, name).xpath("//input[@data-item]")}
        b = {b.get("data-item"): b.get("id") for b in doc(site, name).xpath("//input[@data-item]")}
        shared = set(a) & set(b)
        assert shared and all(a[k] == b[k] for k in shared), name


# ---- Units: override errors, data files, escaping ------------------------------------------------


@pytest.mark.parametrize("key,override,why", [
    ("checklists.drop", {"drop": ["no-such-item"]}, "no-such-item"),
    ("checklists.due", {"due": {"no-such-item": "start-1"}}, "no-such-item"),
    ("checklists.drop", {"drop": ["previous-verify"]}, "回头看"),
    ("checklists.add[0].id", {"add": [{"list": "during", "id": "work-report", "text": "重复的事项", "owner": "办公室",
                                       "due": "during"}]}, "work-report"),
    ("checklists.add[0].category", {"add": [{"list": "materials", "id": "extra-doc", "text": "其他资料",
                                             "owner": "办公室", "due": "during"}]}, "category"),
])
def test_bad_override_names_the_key(tmp_path, key, override, why):
    """An override that cannot apply stops the edition, naming the key and the reason."""
    data = variant(ROOT / "campaigns" / "county-regular.yml", checklists=override)
    with pytest.raises(yamlio.InputError) as e:
        edition_mod.from_file(write_campaign(data, tmp_path / "c.yml"))
    msg = e.value.report()
    assert key in msg and why in msg


def test_data_files_load_with_unique_ids():
    """The four data files load, and item ids are unique across them."""
    lists = checklists.load_lists()
    assert list(lists) == list(PAGES)
    ids = [i.id for lf in lists.values() for i in lf.items]
    assert len(ids) == len(set(ids))


def _edit(folder: Path, file: str, change) -> None:
    p = folder / file
    data = yaml.safe_load(p.read_text(encoding="utf-8"))
    change(data)
    p.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


BAD_DATA = {
    "duplicate id": ("during.yml", lambda d: d["items"][0].update(id="notice-read"), "notice-read"),
    "unknown rule": ("before-entry.yml", lambda d: d["items"][0].update(due="entry-2"), "items[0].due"),
    "unknown key": ("rectification.yml", lambda d: d["items"][0].update(owner_name="某某"), "owner_name"),
    "undeclared category": ("materials.yml", lambda d: d["items"][0].update(category="其他"), "category"),
    "unknown placeholder": ("during.yml", lambda d: d["items"][0].update(text="向{leader_x}报告工作情况"), "leader_x"),
}


@pytest.mark.parametrize("case", list(BAD_DATA))
def test_bad_data_file_is_an_error(tmp_path, case):
    """A mistake in a checklist data file is reported with the file and what is wrong."""
    folder = tmp_path / "checklists"
    shutil.copytree(checklists.DATA_DIR, folder)
    file, change, names = BAD_DATA[case]
    _edit(folder, file, change)
    with pytest.raises(yamlio.InputError) as e:
        checklists.load_lists(folder)
    msg = e.value.report()
    assert file in msg and names in msg


def test_campaign_values_are_escaped(tmp_path):
    """Markup in a campaign's names reaches the checklist as text, never as HTML."""
    data = load_yaml(EXAMPLE)
    data["inspected"]["org"] = "<b>某局</b>*党组*"
    data["inspected"]["unit"] = "某<i>局"
    ed = edition_mod.from_file(write_campaign(data, tmp_path / "c.yml"))
    html = checklists.render(ed.lists["before-entry"], ed.page_variables["c"], ed.dates)
    assert "<b>" not in html and "<i>" not in html
    assert "&lt;b&gt;某局&lt;/b&gt;" in html
    assert "\n\n" not in html  # Markdown would end the raw HTML block at a blank line
