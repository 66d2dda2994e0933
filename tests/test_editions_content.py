"""Every shipped campaign builds into a complete edition: its own facts, derived values,
no leftovers, nothing from another campaign, and campaign values shown as text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import CAMPAIGNS, ROOT, copied_runs, load_yaml, page_text, variant, wording_problems
from macros import leftovers

PAGES = ["index.html", "speeches/leader-opening.html", "speeches/unit-pledge.html",
         "notices/announcement.html", "checklists/before-entry.html", "checklists/during.html",
         "checklists/materials.html", "checklists/rectification.html", "rules/unit-discipline.html",
         "rules/interviews.html", "rules/team-discipline.html", "rules/quick-card.html"]


def all_text(site: Path) -> str:
    out = []
    for p in sorted(site.rglob("*")):
        if p.suffix in {".html", ".json", ".js", ".xml"} and "assets" not in p.parts:
            out.append(p.read_text(encoding="utf-8", errors="replace"))
    return "\n".join(out)


@pytest.mark.parametrize("path", CAMPAIGNS, ids=[p.stem for p in CAMPAIGNS])
def test_edition_is_complete_and_carries_its_facts(edition, path):
    site = edition(path)
    data = load_yaml(path)
    for rel in PAGES:
        assert (site / rel).exists(), rel
    home = page_text(site, "index.html")
    for value in [data["inspected"]["org"], data["contact"]["phone"], data["contact"]["email"],
                  *data["contact"]["mailboxes"]]:
        assert value in home, value


@pytest.mark.parametrize("path", CAMPAIGNS, ids=[p.stem for p in CAMPAIGNS])
def test_no_leftovers_in_any_page(edition, path):
    site = edition(path)
    for p in site.rglob("*.html"):
        found = leftovers.scan(p.read_text(encoding="utf-8"))
        assert not found, f"{p.relative_to(site)}: {found}"
        text = leftovers.visible_text(p.read_text(encoding="utf-8"))
        assert not re.search(r"第\s*巡察组|届\s*第\s*轮", text), p


@pytest.mark.parametrize("path", CAMPAIGNS, ids=[p.stem for p in CAMPAIGNS])
def test_nothing_of_another_campaign_leaks_in(edition, path):
    site = edition(path)
    text = all_text(site)
    mine = load_yaml(path)
    for other in CAMPAIGNS:
        if other == path:
            continue
        o = load_yaml(other)
        for value in [o["inspected"]["unit"], o["inspected"]["org"], o["contact"]["phone"], o["contact"]["email"]]:
            if value in (mine["inspected"]["unit"], mine["inspected"]["org"]):
                continue
            assert value not in text, f"{other.name}: {value} leaks into {path.name}"


def test_derived_values_on_the_home_page(example_site):
    text = page_text(example_site, "index.html")
    assert "十二届市委第五轮巡察" in text
    assert "2026年12月1日至12月30日，共30天" in text
    assert "受理截止 2026年12月27日" in text


def test_edition_across_a_year_end(edition):
    site = edition(variant(ROOT / "campaigns" / "example.yml", id="year-end",
                           dates__start="2026-12-20", dates__days=40))
    text = page_text(site, "index.html")
    assert "2026年12月20日至2027年1月28日，共40天" in text
    assert "2027年1月25日" in text  # 受理截止: 3 days before the end


def test_minimal_campaign_from_the_contract(edition):
    """Only the required keys, written by someone else: every optional part leaves no trace."""
    data = {
        "id": "minimal", "committee": {"name": "中共某地县委", "short": "县委", "term": 3, "round": 2},
        "group": {"number": 5},
        "inspected": {"org": "县审计局党组", "unit": "县审计局", "self": "局", "leader_title": "党组书记、局长"},
        "kind": "常规", "dates": {"start": "2027-05-10", "days": 21},
        "contact": {"phone": "0800-1000005", "hours": "工作日9:00—17:00", "email": "a5@example.org",
                    "mailboxes": ["县审计局一楼"]},
    }
    site = edition(data)
    text = page_text(site, "index.html")
    assert "县委第五巡察组" in text and "三届县委第二轮巡察" in text
    assert "同步联动" not in text and "邮政信箱" not in text and "组长：" not in text


def test_campaign_html_is_shown_as_text(edition):
    data = variant(ROOT / "campaigns" / "county-regular.yml", id="escape-check",
                   inspected__unit="<script>alert(1)</script>局", contact__hours="<b>全天</b>")
    site = edition(data)
    for p in site.rglob("*.html"):
        html = p.read_text(encoding="utf-8")
        assert "<script>alert(1)" not in html, p
        assert "<b>全天</b>" not in html, p
    assert "<b>全天</b>" in page_text(site, "index.html")


@pytest.mark.parametrize("path", CAMPAIGNS, ids=[p.stem for p in CAMPAIGNS])
def test_every_page_is_current_and_in_our_own_words(edition, path):
    """Site-wide: no outdated reference, no unverified 条例 article, no 30-character run
    from the source speeches, on any page (checklists and the home page included)."""
    site = edition(path)
    for rel in PAGES:
        text = page_text(site, rel)
        assert wording_problems(text) == [], rel
        assert copied_runs(text) == [], rel


def test_apostrophes_and_ampersands_show_once_escaped(edition):
    """A value with ' & # | shows exactly as typed on the page and in the .docx."""
    import zipfile

    org = "市“三资”&'服务'中心#1|党组"
    site = edition(variant(ROOT / "campaigns" / "county-regular.yml", id="quote-check", inspected__org=org))
    assert org in page_text(site, "index.html")
    assert org in page_text(site, "speeches/leader-opening.html")
    with zipfile.ZipFile(site / "speeches" / "leader-opening.docx") as z:
        xml = z.read("word/document.xml").decode("utf-8")
    assert "市“三资”&amp;&apos;服务&apos;中心#1|党组" in xml or "市“三资”&amp;'服务'中心#1|党组" in xml
