"""Unit tests of macros.checklists without MkDocs: data validation, kind filter,
campaign overrides (drop / due / add), escaping and the rendered table markup."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import CAMPAIGNS, ROOT, load_yaml, variant
from lxml import html as lh

from macros import campaign, checklists, state
from macros.checklists import ChecklistError
from macros.schema import Campaign

EXAMPLE = ROOT / "campaigns" / "example.yml"


def use(data: dict | Path) -> Campaign:
    """Make a campaign the current build's, as macros.define_env does."""
    model = campaign.load(data) if isinstance(data, Path) else Campaign.model_validate(data)
    state.begin(model, Path("test.yml"))
    return model


@pytest.fixture
def data_copy(tmp_path):
    """A writable copy of the checklist data files."""
    dst = tmp_path / "checklists"
    shutil.copytree(checklists.DATA_DIR, dst)
    return dst


def edit_yaml(path: Path, change):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def ids_in(html: str) -> list[str]:
    return re.findall(r'<input type="checkbox" class="xc-check"[^>]*data-item="([^"]+)"', html)


# ---- Data files ---------------------------------------------------------------------------


def test_data_files_load_with_unique_ids():
    lists = checklists.load_lists()
    assert set(lists) == set(checklists.LIST_NAMES)
    ids = [i.id for lf in lists.values() for i in lf.items]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("path", CAMPAIGNS, ids=lambda p: p.stem)
def test_every_campaign_has_at_least_60_items(path):
    use(path)
    assert checklists.checklist_count() >= 60
    assert checklists.checklist_count() == sum(checklists.checklist_count(n) for n in checklists.LIST_NAMES)


# Each bad data file: (file, change, what the error must name).
DATA_ERRORS = {
    "duplicate-id-across-lists": ("during.yml", lambda d: d["items"][0].update(id="notice-read"), "notice-read"),
    "unknown-due-rule": ("before-entry.yml", lambda d: d["items"][0].update(due="entry-2"),
                         r"before-entry\.yml.*\n.*items\.0\.due"),
    "unknown-key": ("rectification.yml", lambda d: d["items"][0].update(owner_name="某某"), "owner_name"),
    "unknown-placeholder": ("during.yml", lambda d: d["items"][0].update(text="向{leader}报告工作情况"), "leader"),
    "theme-item-not-limited-to-theme-kinds": ("during.yml",
                                              lambda d: d["items"][0].update(text="围绕{theme}提供资料"), "theme"),
    "material-category-not-declared": ("materials.yml", lambda d: d["items"][0].update(category="其他"), "category"),
}


@pytest.mark.parametrize("case", list(DATA_ERRORS))
def test_bad_data_file_is_an_error(data_copy, case):
    file, change, names = DATA_ERRORS[case]
    edit_yaml(data_copy / file, change)
    with pytest.raises(ChecklistError, match=names):
        checklists.load_lists(data_copy)


def test_extra_list_file_is_an_error(data_copy):
    shutil.copy(data_copy / "during.yml", data_copy / "after.yml")
    with pytest.raises(ChecklistError, match="after"):
        checklists.load_lists(data_copy)


def test_unknown_list_name_is_an_error():
    use(EXAMPLE)
    with pytest.raises(ChecklistError, match="before"):
        checklists.checklist("before")
    with pytest.raises(ChecklistError):
        checklists.checklist_count("nope")


# ---- Kind filter and placeholders ----------------------------------------------------------


def test_theme_items_only_with_a_theme():
    special = checklists.edition_lists(use(EXAMPLE))["materials"]
    assert "巡察主题相关资料" in special.categories
    assert any("乡村振兴领域" in e.text for e in special.entries)
    regular = checklists.edition_lists(use(ROOT / "campaigns" / "county-regular.yml"))["materials"]
    assert "巡察主题相关资料" not in regular.categories
    # 提级 without a theme: theme items are left out, never rendered with an empty theme.
    escalated = checklists.edition_lists(use(ROOT / "campaigns" / "escalated.yml"))
    assert all("{theme}" not in e.text and "围绕相关" not in e.text
               for el in escalated.values() for e in el.entries)
    assert "巡察主题相关资料" not in escalated["materials"].categories


def test_lookback_items_only_for_lookback():
    lb = use(ROOT / "campaigns" / "lookback.yml")
    lists = checklists.edition_lists(lb)
    assert "上次巡察整改落实情况" in lists["materials"].categories
    assert any(lb.previous in e.text for e in lists["before-entry"].entries)
    assert any(e.id == "lookback-new-issues" for e in lists["rectification"].entries)
    regular = checklists.edition_lists(use(ROOT / "campaigns" / "county-regular.yml"))
    assert "上次巡察整改落实情况" not in regular["materials"].categories
    assert not any(e.id == "lookback-new-issues" for e in regular["rectification"].entries)


def test_lookback_without_previous_name_still_reads():
    lists = checklists.edition_lists(use(variant(ROOT / "campaigns" / "lookback.yml", previous=None)))
    assert any("上次巡察反馈意见" in e.text for e in lists["before-entry"].entries)


def test_placeholders_are_filled_from_the_campaign():
    c = use(ROOT / "campaigns" / "township-mobile.yml")
    html = "".join(checklists.checklist(n) for n in checklists.LIST_NAMES)
    assert "{" not in lh.fromstring(html).text_content()
    assert f"{c.inspected.self}领导班子" in html
    assert c.inspected.org in html


# ---- Campaign overrides ----------------------------------------------------------------------


def test_drop_due_and_add_are_applied():
    data = variant(EXAMPLE, checklists={
        "drop": ["contact-book"],
        "due": {"office-room": "start-5"},
        "add": [{"list": "before-entry", "id": "parking", "text": "为巡察组安排车位", "owner": "办公室",
                 "due": "start-1", "note": "靠近办公楼"},
                {"list": "materials", "id": "fleet-gps", "text": "公务用车定位记录", "owner": "办公室",
                 "due": "during", "category": "党风廉政与作风"}],
    })
    use(data)
    html = checklists.checklist("before-entry")
    ids = ids_in(html)
    assert "contact-book" not in ids and "parking" in ids
    assert "靠近办公楼" in html
    row = re.search(r'data-item="office-room".*?</tr>', html, re.S).group(0)
    assert "进驻前5日" in row and "2026年11月26日" in row
    mats = checklists.edition_lists(state.get().campaign)["materials"]
    cats = [e.category for e in mats.entries]
    # The added material sits inside its category, not after the last one.
    idx = [e.id for e in mats.entries].index("fleet-gps")
    assert cats[idx] == "党风廉政与作风" and cats[idx + 1] in ("党风廉政与作风", "选人用人")


@pytest.mark.parametrize("key,override", [
    ("checklists.drop", {"drop": ["no-such-item"]}),
    ("checklists.due", {"due": {"no-such-item": "start-1"}}),
])
def test_unknown_id_in_override_names_key_and_id(key, override):
    use(variant(EXAMPLE, checklists=override))
    with pytest.raises(ChecklistError) as e:
        checklists.checklist("during")
    assert key in str(e.value) and "no-such-item" in str(e.value)


def test_override_of_item_not_in_this_kind_is_an_error():
    use(variant(ROOT / "campaigns" / "county-regular.yml", checklists={"drop": ["previous-verify"]}))
    with pytest.raises(ChecklistError, match=r"checklists\.drop.*previous-verify.*回头看"):
        checklists.checklist_count()


def test_added_id_must_be_new():
    use(variant(EXAMPLE, checklists={"add": [{"list": "during", "id": "work-report", "text": "重复的事项",
                                              "owner": "办公室", "due": "during"}]}))
    with pytest.raises(ChecklistError, match=r"checklists\.add\[0\]\.id.*work-report"):
        checklists.checklist("during")


def test_added_material_needs_a_known_category():
    use(variant(EXAMPLE, checklists={"add": [{"list": "materials", "id": "extra-doc", "text": "其他资料",
                                              "owner": "办公室", "due": "during"}]}))
    with pytest.raises(ChecklistError, match=r"checklists\.add\[0\]\.category"):
        checklists.checklist("materials")


# ---- Rendering ------------------------------------------------------------------------------


def test_table_markup():
    c = use(EXAMPLE)
    html = checklists.checklist("materials")
    doc = lh.fromstring(html)
    box = doc.xpath("//*[@data-xc-checklist]")[0]
    assert box.get("data-xc-edition") == c.id
    heads = [th.text_content() for th in doc.xpath("//thead//th")]
    assert heads == ["序号", "事项", "责任", "时限", "完成", "备注"]
    inputs = doc.xpath("//input[@type='checkbox']")
    assert len(inputs) == checklists.checklist_count("materials")
    for inp in inputs:
        assert "xc-check" in inp.get("class").split() and inp.get("data-item")
        assert inp.get("aria-label")
        assert doc.xpath(f"//label[@for='{inp.get('id')}']")
    assert doc.xpath("//*[@data-xc-progress]")[0].text_content() == f"已完成 0 / {len(inputs)}"
    assert doc.xpath("//button[@data-xc-clear]")[0].text_content() == "清除勾选"
    assert "填表人" in doc.xpath("//*[contains(@class,'xc-checklist__sign')]")[0].text_content()
    assert "____" not in html
    # Markdown would end the raw HTML block at a blank line.
    assert "\n\n" not in html


def test_campaign_values_are_escaped():
    data = load_yaml(EXAMPLE)
    data["inspected"]["org"] = "<b>某局</b>*党组*"
    data["inspected"]["self"] = "<i>"
    use(data)
    html = checklists.checklist("before-entry")
    assert "<b>" not in html and "<i>" not in html
    assert "&lt;b&gt;某局&lt;/b&gt;" in html
    assert "*党组*" not in html  # Markdown emphasis characters become entities too
