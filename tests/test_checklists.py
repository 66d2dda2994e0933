"""The four checklist pages as built for every campaign in campaigns/: dated items,
real checkboxes, category coverage, campaign overrides, print/screen assets."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from conftest import CAMPAIGNS, ROOT, run_build, variant
from lxml import html as lh

from macros import campaign as campaign_mod

PAGES = {
    "before-entry": "进驻前准备清单",
    "during": "驻点期间配合清单",
    "materials": "调阅资料清单",
    "rectification": "反馈后整改清单",
}
MATERIAL_CATEGORIES = ["基本情况与分工", "贯彻落实决策部署与“三重一大”", "党风廉政与作风", "选人用人",
                       "基层党建与民主生活会", "财务会计与采购", "审计与以往整改"]
DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


def doc(site, name):
    return lh.fromstring((site / "checklists" / f"{name}.html").read_text(encoding="utf-8"))


def rows(d):
    """(item id, text, 时限 text, first date in 时限) for each item row."""
    out = []
    for tr in d.xpath("//table[contains(@class,'xc-checklist__table')]//tr[@data-item]"):
        due = tr.xpath(".//td[contains(@class,'xc-checklist__due')]")[0].text_content()
        m = DATE.search(due)
        day = dt.date(*map(int, m.groups())) if m else None
        text = tr.xpath(".//td[contains(@class,'xc-checklist__text')]")[0].text_content()
        out.append((tr.get("data-item"), text, due, day))
    return out


@pytest.fixture(scope="module", params=CAMPAIGNS, ids=lambda p: p.stem)
def built(request, edition):
    model = campaign_mod.load(request.param)
    return edition(request.param), model, campaign_mod.dates_of(model)


def test_pages_have_titles_tables_and_assets(built):
    site, model, _ = built
    for name, title in PAGES.items():
        d = doc(site, name)
        assert d.xpath("//article//h1")[0].text_content().strip() == title
        assert len(d.xpath("//table[contains(@class,'xc-checklist__table')]")) == 1
        box = d.xpath("//*[@data-xc-checklist]")[0]
        assert box.get("data-xc-checklist") == name and box.get("data-xc-edition") == model.id
        assert d.xpath("//*[contains(@class,'xc-doc--checklist')]//*[@data-xc-checklist]")
        hrefs = " ".join(d.xpath("//link/@href") + d.xpath("//script/@src"))
        assert "checklists.css" in hrefs and "checklists.js" in hrefs
        assert not d.xpath("//details")
        # The printed header names the group, the unit, the kind and the dates.
        head = d.xpath("//*[contains(@class,'xc-checklist__campaign')]")[0].text_content()
        ctx = campaign_mod.context(model)
        for part in (ctx.group.name, model.inspected.org, campaign_mod.context_raw_kind(model)):
            assert part in head
        assert DATE.search(head)
        assert "填表人" in d.xpath("//*[contains(@class,'xc-checklist__sign')]")[0].text_content()
        assert "____" not in d.text_content()


def test_checkboxes_progress_and_ids(built):
    site, _, _ = built
    total = 0
    seen = set()
    for name in PAGES:
        d = doc(site, name)
        boxes = d.xpath("//input[@type='checkbox' and contains(@class,'xc-check') and @data-item]")
        assert boxes, name
        for b in boxes:
            assert b.get("aria-label") and d.xpath(f"//label[@for='{b.get('id')}']")
            assert b.get("data-item") not in seen, b.get("data-item")
            seen.add(b.get("data-item"))
        progress = d.xpath("//*[@data-xc-progress]")[0].text_content()
        assert progress == f"已完成 0 / {len(boxes)}"
        assert d.xpath("//button[@data-xc-clear]")
        # Every item row has a 时限 with a real date.
        assert all(r[3] for r in rows(d)), name
        total += len(boxes)
    assert total >= 60


def test_before_entry_has_dates_before_start(built):
    site, _, dd = built
    before = {r[0] for r in rows(doc(site, "before-entry")) if r[3] < dd["start"]}
    assert len(before) >= 2
    assert "liaison-report" in before  # 联络组名单 is due two days before entry
    due = [r for r in rows(doc(site, "before-entry")) if r[0] == "liaison-report"][0]
    assert due[3] == dd["start"] - dt.timedelta(days=2) and "进驻前2日" in due[2]


def test_during_has_dates_inside_the_inspection(built):
    site, _, dd = built
    r = rows(doc(site, "during"))
    assert any(dd["start"] <= day <= dd["end"] for *_, day in r)
    report = [x for x in r if x[0] == "work-report"][0]
    assert report[3] == dd["start"] + dt.timedelta(days=3) and "工作汇报" in report[1]


def test_materials_cover_every_category(built):
    site, model, _ = built
    d = doc(site, "materials")
    cats = [th.text_content() for th in d.xpath("//tr[contains(@class,'xc-checklist__cat')]/th")]
    for want in MATERIAL_CATEGORIES:
        assert any(c.endswith("、" + want) for c in cats), want
    text = d.xpath("//article")[0].text_content()
    if model.kind == "专项":
        assert any(c.endswith("巡察主题相关资料") for c in cats)
        assert model.theme in text
    if model.kind == "回头看":
        assert any(c.endswith("上次巡察整改落实情况") for c in cats)
    else:
        assert "上次巡察整改落实情况" not in text


def test_rectification_covers_plan_meeting_report(built):
    site, model, dd = built
    d = doc(site, "rectification")
    r = rows(d)
    for word in ("整改方案", "专题民主生活会", "整改情况报告"):
        hits = [x for x in r if word in x[1]]
        assert hits, word
        assert all(x[3] > dd["feedback"] and "反馈后" in x[2] for x in hits), word
    text = " ".join(d.xpath("//article")[0].text_content().split())
    if model.dates.feedback is None:
        assert "预计反馈日期" in text and "dates.feedback" in text
    else:
        assert "预计反馈日期" not in text and "按巡察反馈日期" in text


def test_overrides_in_campaign_file(edition):
    data = variant(ROOT / "campaigns" / "example.yml", checklists={
        "drop": ["contact-book"],
        "due": {"rectification-report": "feedback+90"},
        "add": [{"list": "during", "id": "badge-cards", "text": "为巡察组人员办理门禁卡", "owner": "办公室",
                 "due": "start"}],
    })
    site = edition(data)
    assert "contact-book" not in {r[0] for r in rows(doc(site, "before-entry"))}
    assert "badge-cards" in {r[0] for r in rows(doc(site, "during"))}
    report = [r for r in rows(doc(site, "rectification")) if r[0] == "rectification-report"][0]
    assert "反馈后90日内" in report[2]


@pytest.mark.parametrize("key,override", [
    ("checklists.drop", {"drop": ["not-an-item"]}),
    ("checklists.due", {"due": {"not-an-item": "start-1"}}),
])
def test_unknown_override_id_fails_the_build(tmp_path, key, override):
    import yaml

    path = tmp_path / "campaign.yml"
    path.write_text(yaml.safe_dump(variant(ROOT / "campaigns" / "example.yml", checklists=override),
                                   allow_unicode=True), encoding="utf-8")
    result = run_build(path, tmp_path / "site")
    assert result.returncode != 0
    out = result.stdout + result.stderr
    assert key in out and "not-an-item" in out
