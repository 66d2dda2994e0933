"""Inspections of villages (issue 17, village parts).

A village edition (campaigns/village.yml, type 村) and a community edition (the held-out
tests/fixtures/campaigns/community-regular.yml, type 社区) speak a village's language:
村“两委” and the village supervision committee in the announcement's scope, 三资 and
惠农补贴 in the focus, a village's materials, and nothing of a bureau. A town inspected
with its villages (campaigns/town-villages.yml) names every village in the speech, the
announcement (with the village's own mailboxes) and the talk schedule.

What a village edition must say comes from the issue and domain-facts-2 §4; names come
from the campaign files. These editions are the same builds test_units_kinds.py uses.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import html as lh

from conftest import FIXTURES, ROOT, load_yaml, page_text

VILLAGE = ROOT / "campaigns" / "village.yml"
COMMUNITY = FIXTURES / "campaigns" / "community-regular.yml"
TOWN = ROOT / "campaigns" / "town-villages.yml"

# Per type: the two committees people know, the supervision committee, the focus a village
# inspection covers, and the village's own materials (issue 17 "What to build" 4).
EXPECT = {
    "村": {
        "receipt": ["村“两委”", "村务监督委员会"],
        "focus": ["三资", "惠农补贴", "书记", "集体经济", "村务公开", "软弱涣散"],
        "materials": [r"村级?账", r"三资[”）]*台账", r"惠农补贴发放名册", r"公开栏照片", r"四议两公开"],
    },
    "社区": {
        "receipt": ["社区“两委”", "居务监督委员会"],
        "focus": ["三资", "书记", "居务公开", "软弱涣散"],
        "materials": [r"三资[”）]*台账", r"公开栏照片", r"四议两公开"],
    },
}
# A bureau's words (issue 17: no 党组, 下属单位 or 局 anywhere); 开好局 is a period phrase.
# A community's affairs are 居务 (居务公开, 居务监督), never “社区务”.
BUREAU = [r"党组(?!织)", r"下属单位", r"(?<!开好)局", r"中层干部", r"干部职工", r"社区务"]


def doc_text(site: Path, rel: str) -> str:
    tree = lh.fromstring((site / rel).read_text(encoding="utf-8"))
    node = tree.xpath('//div[contains(concat(" ", normalize-space(@class), " "), " xc-doc ")]')[0]
    return " ".join(node.text_content().split())


def speech_part(site: Path, n: int) -> str:
    tree = lh.fromstring((site / "speeches/leader-opening.html").read_text(encoding="utf-8"))
    out, k = [], 0
    for e in tree.xpath('//div[contains(@class,"xc-doc")]')[0].iter():
        if e.tag == "h2":
            k += 1
        elif k == n and e.tag in ("p", "li", "h3"):
            out.append(" ".join(e.text_content().split()))
    return "".join(out)


@pytest.fixture(scope="module", params=[VILLAGE, COMMUNITY], ids=["village", "community"])
def village(request, edition):
    """(site folder, campaign data) for a village-type edition."""
    data = load_yaml(request.param)
    assert data["inspected"]["type"] in EXPECT
    return edition(request.param), data


def test_announcement_scope_names_the_village_committees(village):
    """The announcement receives reports on the 两委 members and the supervision committee."""
    site, data = village
    notice = doc_text(site, "notices/announcement.html")
    receipt = notice[notice.index("受理"):]
    for word in EXPECT[data["inspected"]["type"]]["receipt"]:
        assert word in receipt, word


def test_focus_is_a_villages(village):
    """Part 二 of the speech covers the secretary, 三资, subsidies, the collective economy,
    open village affairs and weak Party branches."""
    site, data = village
    focus = speech_part(site, 2)
    missing = [w for w in EXPECT[data["inspected"]["type"]]["focus"] if w not in focus]
    assert not missing, missing


def test_materials_are_a_villages(village):
    """The materials list asks for the village's own records: accounts, the 三资 ledger,
    the subsidy roll, photos of the notice board, 四议两公开 records."""
    site, data = village
    materials = page_text(site, "checklists/materials.html")
    missing = [rx for rx in EXPECT[data["inspected"]["type"]]["materials"] if not re.search(rx, materials)]
    assert not missing, missing


def test_nothing_of_a_bureau_anywhere(village):
    """No page and no Word file of a village edition speaks of 党组, 下属单位, 局, 中层干部
    or 干部职工, and a community's affairs are never called 社区务."""
    site, _ = village
    texts = {p.relative_to(site).as_posix(): page_text(site, p.relative_to(site).as_posix())
             for p in site.rglob("*.html") if p.relative_to(site).parts[0] not in ("assets", "search")}
    for p in site.rglob("*.docx"):
        with zipfile.ZipFile(p) as z:
            texts[p.name] = "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", z.read("word/document.xml").decode()))
    bad = [(name, m.group(0), t[max(0, m.start() - 10): m.end() + 6])
           for name, t in texts.items() for rx in BUREAU for m in [re.search(rx, t)] if m]
    assert not bad, bad


def test_village_speech_is_plain(village):
    """The village speech talks to villagers: it names the village, speaks of its people as
    党员群众, and avoids a bureau's register (理论学习中心组, 科室, 机关)."""
    site, data = village
    speech = doc_text(site, "speeches/leader-opening.html")
    assert data["inspected"]["unit"] in speech
    for word in ("理论学习中心组", "科室", "机关各", "职能职责"):
        assert word not in speech, word


# ---- A town with its villages -------------------------------------------------------------


@pytest.fixture(scope="module")
def town(edition):
    return edition(TOWN), load_yaml(TOWN)


def _villages(data) -> list[dict]:
    return [v if isinstance(v, dict) else {"name": v} for v in data["inspected"]["villages"]]


def test_town_announcement_lists_every_village_and_its_mailboxes(town):
    """The announcement names every village inspected with the town and each village's own mailboxes."""
    site, data = town
    notice = doc_text(site, "notices/announcement.html")
    for v in _villages(data):
        assert v["name"] in notice, v["name"]
        for box in v.get("mailboxes", []):
            assert box in notice, box
    for box in data["contact"]["mailboxes"]:
        assert box in notice, box


def test_town_speeches_speak_to_the_villages(town):
    """Both speeches say the villages are inspected with the town."""
    site, data = town
    for rel in ("speeches/leader-opening.html", "speeches/unit-pledge.html"):
        page = doc_text(site, rel)
        for v in _villages(data):
            assert v["name"] in page, (rel, v["name"])


def test_town_talk_schedule_groups_interviewees_by_village(town):
    """The talk schedule has a group of rows for each village, in the campaign's order,
    after the town's own interviewees."""
    site, data = town
    tree = lh.fromstring((site / "talks/schedule.html").read_text(encoding="utf-8"))
    table = " ".join(tree.xpath('//div[contains(@class,"xc-doc")]')[0].text_content().split())
    names = [v["name"] for v in _villages(data)]
    positions = [table.find(n) for n in names]
    assert all(p > 0 for p in positions), dict(zip(names, positions))
    assert positions == sorted(positions)
    town_rows = table.find("纪委书记")
    assert 0 < town_rows < positions[0], "the town's own interviewees come first"
