"""Every edition reads right for its unit type, level and kind, on every page (issue 12).

Built over every sample campaign in campaigns/ and every held-out campaign in
tests/fixtures/campaigns/ (five campaigns the product was not written against: a
community, a street on a 机动 theme, a public institution's 回头看, a county SOE under a
city 提级 and a county hospital's 专项). Both folders are read at collection time, so a new
file in either is checked too.

Expected words come from the campaign file (its names, type, kind, previous round,
home committee) and from how a 巡察办 writer names each kind of unit (a town says 我镇 and
镇党委, a bureau 我局, a school 全体教职工; domain-facts-2 §2), never from the pages.
The loader tests at the end are pure unit tests.
"""

from __future__ import annotations

import functools
import re
import zipfile
from pathlib import Path

import pytest

from conftest import (ALL_CAMPAIGNS, CAMPAIGNS, HELD_OUT, INTERNAL, ROOT, copied_runs, doc_node, doc_part, doc_text,
                      load_yaml, page_text, variant, wording_problems)
from macros import campaign as campaign_io
from macros import catalogue

ALL = ALL_CAMPAIGNS
IDS = [("held-" if p in HELD_OUT else "") + p.stem for p in ALL]

SPEECH = "speeches/leader-opening.html"
PLEDGE = "speeches/unit-pledge.html"
NOTICE = "notices/announcement.html"
TALKS = "rules/interviews.html"
HAN = re.compile(r"[\u4e00-\u9fff]")

# ---- What a 巡察办 writer expects of each type (domain-facts-2 §2) ------------------------

# Who "all of us" are, as the unit's leader says it to its own people.
PEOPLE = {
    "部门": r"全{self}干部职工|全体干部职工",
    "乡镇": r"全{self}党员干部|全{self}干部群众",
    "街道": r"全街道党员干部|全街道干部群众",
    "村": r"全村党员群众|全村党员和群众|全体村民",
    "社区": r"全社区党员群众|全社区党员和居民|全体居民",
    "国企": r"全{self}干部员工|全{self}干部职工|全体员工",
    "学校": r"全体教职工|全校教职工",
    "医院": r"全院干部职工|全院医务人员|全院职工",
    "事业单位": r"全{self}干部职工|全体干部职工",
}
# Words that belong to another kind of unit, whatever the data files say (issues 12, 17):
# a town has no 党组 and no 下属单位, a village no 局, a bureau no village bodies.
NEVER = {
    "部门": ["村“两委”", "村党组织", "我镇", "我村"],
    "乡镇": ["党组(?!织)", "下属单位", "我局", "局党组"],
    "街道": ["党组(?!织)", "下属单位", "我局", "局党组"],
    # 局 as in a bureau; “开好局” is the period phrase (“十五五”开好局), not a bureau.
    "村": ["党组(?!织)", "下属单位", "(?<!开好)局", "中层干部", "干部职工"],
    "社区": ["党组(?!织)", "下属单位", "(?<!开好)局", "中层干部", "干部职工"],
    "国企": ["党组(?!织)", "我局", "局党组", "村“两委”"],
    "学校": ["党组(?!织)", "我局", "局党组", "村“两委”"],
    "医院": ["党组(?!织)", "我局", "局党组", "村“两委”"],
    "事业单位": ["我镇", "镇党委", "村“两委”"],
}
# How units call themselves; each unit uses its own, never another's.
SELF_WORDS = ["我局", "我委", "我镇", "我乡", "我街道", "我村", "我社区", "我公司", "我集团", "我校", "我院", "我中心"]
BODIES = "党组|党委|党工委|党支部|党总支|党组织"
# "党组（党委）", "党委/党组": a text that hedges which body the unit has.
SLASH = re.compile(rf"(?:{BODIES})\s*[（(/／]\s*(?:{BODIES})")
# A body named twice over: "石桥镇党委镇领导班子", "临水城投公司党委公司领导班子".
DOUBLED = re.compile(rf"(?:{BODIES})(?:局|委|公司|集团|镇|乡|街道|学校|医院|村|社区|中心)(?:领导班子|“两委”)")
# Campaign key paths and file names: words for the office's staff, never for a reader.
KEY_PATH = re.compile(r"\b(?:committee|group|inspected|dates|contact|focus|checklists|rectification|calendar|"
                      r"home_committee|previous|linked|theme|kind)\.[a-z_]+|\.ya?ml\b|\bmode:\s*replace")
FORMAL = re.compile(r"中共[^，。；、：\s]{1,20}?委员会")


def expected_self(data: dict) -> str:
    """How the unit names itself: the campaign's `self`, else the usual word for its type."""
    ins = data["inspected"]
    if ins.get("self"):
        return ins["self"]
    t, unit = ins.get("type", "部门"), ins["unit"]
    if t == "国企":
        return "集团" if "集团" in unit else "公司"
    if t == "事业单位" and unit.endswith("中心"):
        return "中心"
    return {"学校": "校", "医院": "院", "村": "村", "社区": "社区", "街道": "街道"}.get(t, unit[-1])


def expected_short(data: dict) -> str:
    """The name running text uses: `short`, else 中共石桥镇委员会 → 石桥镇党委
    (…工作委员会 → 党工委), else the org as written."""
    ins = data["inspected"]
    if ins.get("short"):
        return ins["short"]
    m = re.fullmatch(r"中共.+?(工作)?委员会", ins["org"])
    if m:
        return ins["unit"] + ("党工委" if m.group(1) else "党委")
    return ins["org"]


def area_of(committee_short: str) -> str:
    """全市 / 全县 / 全区 from 市委 / 临水县委 / 北塘区委."""
    return "全" + committee_short.removesuffix("委")[-1]


# ---- Reading built pages ------------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def pages(site: Path) -> tuple[str, ...]:
    return tuple(sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                        if p.relative_to(site).parts[0] not in ("assets", "search")))


text = page_text  # visible article text, parsed once per file (conftest)


@functools.lru_cache(maxsize=None)
def section(page: str, start: str, stop: str) -> str:
    i = page.index(start)
    j = page.find(stop, i + len(start))
    return page[i: j if j > 0 else None]


def every_page(site: Path):
    for rel in pages(site):
        yield rel, text(site, rel)


@pytest.fixture(scope="module", params=ALL, ids=IDS)
def built(request, edition):
    """(site folder, campaign data) for one sample or held-out campaign."""
    return edition(request.param), load_yaml(request.param)


def of_kind(*kinds: str) -> list:
    """Params: the sample and held-out campaigns of these kinds."""
    return [pytest.param(p, id=i) for p, i in zip(ALL, IDS) if load_yaml(p)["kind"] in kinds]


# ---- The held-out set itself --------------------------------------------------------------


def test_held_out_campaigns_are_valid_and_varied():
    """The held-out folder holds valid campaigns of types, kinds and committees the tests rely on."""
    assert len(HELD_OUT) >= 5
    models = [campaign_io.load(p) for p in HELD_OUT]
    assert {m.inspected.type for m in models} >= {"社区", "街道", "事业单位", "国企", "医院"}
    assert {m.kind for m in models} >= {"常规", "机动", "回头看", "提级", "专项"}
    assert {m.committee.short for m in models} >= {"市委", "县委", "区委"}
    ids = {m.id for m in models} | {campaign_io.load(p).id for p in CAMPAIGNS}
    assert len(ids) == len(HELD_OUT) + len(CAMPAIGNS), "every campaign has its own id"


# ---- The unit names itself, its body and its people ----------------------------------------


def test_unit_names_itself_its_body_and_its_people(built):
    """The pledge says 我<self>; both speeches use the running-text name of the body and the
    type's word for everyone in the unit."""
    site, data = built
    t, self_ = data["inspected"].get("type", "部门"), expected_self(data)
    speech, pledge = doc_text(site, SPEECH), doc_text(site, PLEDGE)
    assert f"我{self_}" in pledge
    short = expected_short(data)
    assert short in speech and short in pledge, short
    people = re.compile(PEOPLE[t].format(self=re.escape(self_)))
    assert people.search(speech) and people.search(pledge), PEOPLE[t]


def test_formal_name_only_where_a_formal_name_belongs(built):
    """The formal 中共…委员会 form appears at most three times in each speech (title,
    first mention, by-line); running text uses the short name."""
    site, _ = built
    for rel in (SPEECH, PLEDGE):
        found = FORMAL.findall(doc_text(site, rel))
        assert len(found) <= 3, (rel, found)


def test_no_other_types_vocabulary_on_any_page(built):
    """No page uses words the unit's type rules out (the type's data and the issues' own
    examples), nor another type's self-name."""
    site, data = built
    t = data["inspected"].get("type", "部门")
    patterns = sorted(set(catalogue.unit_types()[t].rules_out) | set(NEVER[t]))
    own = f"我{expected_self(data)}"
    others = [w for w in SELF_WORDS if w != own and not own.startswith(w)]
    bad = []
    for rel, page in every_page(site):
        bad += [(rel, p, m.group(0), page[max(0, m.start() - 12): m.end() + 8])
                for p in patterns for m in [re.search(p, page)] if m]
        bad += [(rel, w) for w in others if w in page]
    assert not bad, bad


def test_no_slash_wording_or_doubled_names(built):
    """No "党组（党委）"-style hedging and no body named twice ("镇党委镇领导班子", "石桥镇镇")."""
    site, data = built
    unit, self_ = data["inspected"]["unit"], expected_self(data)
    # 市财政局局长 is a title; 石桥镇镇党委, 青园社区社区 are doublings.
    twice = re.compile(re.escape(unit + self_) + "(?!长)") if unit.endswith(self_) else None
    bad = []
    for rel, page in every_page(site):
        for rx in filter(None, (SLASH, DOUBLED, twice)):
            bad += [(rel, m.group(0)) for m in rx.finditer(page)]
    assert not bad, bad


# ---- Words for the office's staff stay out ---------------------------------------------------


def test_no_internal_words_on_any_page_or_docx(built):
    """Pages (usage notes included) and .docx files never show a campaign key, a file name,
    版本文件 or 缺省: the reader has no campaign file."""
    site, _ = built
    bad = []
    for rel, page in every_page(site):
        bad += [(rel, w) for w in INTERNAL if w in page]
        bad += [(rel, m.group(0)) for m in KEY_PATH.finditer(page)]
    docx = sorted(site.rglob("*.docx"))
    assert docx, "the edition has Word files"
    for p in docx:
        with zipfile.ZipFile(p) as z:
            xml = z.read("word/document.xml").decode("utf-8")
        words = "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml))
        bad += [(p.name, w) for w in INTERNAL if w in words]
        bad += [(p.name, m.group(0)) for m in KEY_PATH.finditer(words)]
    assert not bad, bad


def test_current_wording_and_own_words_on_every_page(built):
    """No outdated reference or unverified article, and no 20-character run of the source
    speeches outside the allowed regulation quotations, on any page."""
    site, _ = built
    problems = {rel: wording_problems(page) for rel, page in every_page(site)}
    assert not {k: v for k, v in problems.items() if v}
    copied = {rel: copied_runs(page) for rel, page in every_page(site)}
    assert not {k: v for k, v in copied.items() if v}


# ---- The pledge ----------------------------------------------------------------------------


def test_pledge_length(built):
    """A 表态发言 runs 1,300–1,800 Chinese characters: at least 1,300 without the fill
    hints, at most 1,800 with them."""
    site, _ = built
    node = doc_node(site, PLEDGE)
    full = len(HAN.findall(node.text_content()))
    hints = sum(len(HAN.findall(s.text_content())) for s in node.xpath('.//span[contains(@class,"xc-fill")]'))
    assert 1300 <= full - hints and full <= 1800, (full - hints, full)


# ---- Kinds do not leak into each other ------------------------------------------------------


@pytest.mark.parametrize("path", of_kind("专项", "机动"))
def test_themed_kinds_are_not_a_full_political_check_up(edition, path):
    """A 专项 or 机动 inspection is focused: no page calls it a 全面…政治体检."""
    site = edition(path)
    bad = [(rel, m.group(0)) for rel, page in every_page(site)
           for m in re.finditer(r"全面[^，。；]{0,8}政治体检", page)]
    assert not bad, bad


@pytest.mark.parametrize("path", of_kind("机动"))
def test_mobile_interviews_follow_the_issue(edition, path):
    """The interviews page of a 机动 inspection names its issue and does not give the 常规
    scope; its speech does not take on the 常规 四个落实 either."""
    site, data = edition(path), load_yaml(path)
    prepare = section(text(site, TALKS), "四、", "五、")
    assert "机动" in prepare, prepare
    if data.get("theme"):
        assert data["theme"] in prepare, prepare
    for regular in ("常规巡察", "组织路线", "四个落实"):
        assert regular not in prepare, regular
    assert "四个落实" not in doc_part(site, SPEECH, 2)


@pytest.mark.parametrize("path", of_kind("回头看"))
def test_lookback_names_the_round_it_checks_everywhere(edition, path):
    """A 回头看 names the round it checks on the speeches, the announcement and the
    interviews page, never the vague 上一轮巡察, and its rectification list does not tell
    the unit to prepare for the 回头看 it is in."""
    site, data = edition(path), load_yaml(path)
    prev = data["previous"]
    for rel in (SPEECH, PLEDGE, NOTICE, TALKS):
        assert prev in text(site, rel), rel
    assert prev in doc_part(site, SPEECH, 2)
    bad = [rel for rel, page in every_page(site) if "上一轮巡察" in page]
    assert not bad, bad
    rect = text(site, "checklists/rectification.html")
    assert not re.search(r"(迎接|准备|接受)[^。；]{0,15}“?回头看", rect)


@pytest.mark.parametrize("path", of_kind("提级"))
def test_escalated_names_both_committees_in_their_roles(edition, path):
    """A 提级 edition names the unit's own committee in the speeches and the announcement;
    the pledge speaks of the home area (全县) for the unit's own work, not the inspecting
    committee's (全市)."""
    site, data = edition(path), load_yaml(path)
    home = data["inspected"]["home_committee"]["short"]
    committee = data["committee"]["short"]
    for rel in (SPEECH, PLEDGE, NOTICE):
        page = doc_text(site, rel)
        assert home in page and committee in page, rel
    pledge = doc_text(site, PLEDGE)
    assert area_of(home) in pledge
    if area_of(home) != area_of(committee):
        assert area_of(committee) not in pledge


def test_linked_are_committees_inspecting_in_step(built):
    """Linked entries are named as committees that inspect in step (…县委同步开展巡察),
    never as bare places; without `linked` no such sentence appears."""
    site, data = built
    linked = data.get("linked") or []
    for rel in (SPEECH, PLEDGE, NOTICE):
        page = doc_text(site, rel)
        if not linked:
            assert "同步开展巡察" not in page and "上下联动" not in page, rel
            continue
        assert re.search("、".join(map(re.escape, linked)) + "同步", page), rel
        for name in linked:
            place = name.removesuffix("委")
            assert not re.search(re.escape(place) + "(?!委)[、同]", page), (rel, place)


def test_mailboxes_are_set_up_after_the_meeting(built):
    """Part 三 asks the unit to put up the mailboxes after the meeting, so nothing says they
    were already put up."""
    site, _ = built
    speech = doc_part(site, SPEECH, 3)
    assert "会后" in speech and "意见箱" in speech
    assert not re.search(r"(设置了|已设置|已经设置|已安装|安装了)[^。]{0,6}意见箱", speech)


# ---- Loader errors (unit tests) --------------------------------------------------------------


def _problems(data: dict) -> dict[str, str]:
    with pytest.raises(campaign_io.CampaignError) as e:
        campaign_io.validate(data, "x.yml")
    return dict(e.value.problems)


def test_lookback_without_previous_names_the_key():
    """回头看 without `previous` is refused, naming `previous`."""
    problems = _problems(variant(ROOT / "campaigns" / "lookback.yml", previous=None))
    assert "previous" in problems and "回头看" in problems["previous"]


def test_mobile_without_theme_or_focus_names_the_key():
    """机动 without `theme`, or with only `focus` to extend, is refused naming `theme` and
    saying that `focus` can replace it; with `focus` (mode: replace) it is valid."""
    base = ROOT / "campaigns" / "township-mobile.yml"
    problems = _problems(variant(base, theme=None))
    assert "theme" in problems and "focus" in problems["theme"]
    areas = [{"title": "聚焦村级工程项目管理", "points": ["看村级工程是否按程序发包"]}]
    assert "theme" in _problems(variant(base, theme=None, focus={"mode": "extend", "areas": areas}))
    ok = campaign_io.validate(variant(base, theme=None, focus={"mode": "replace", "areas": areas}), "x.yml")
    assert ok.kind == "机动" and ok.theme is None


def test_escalated_without_home_committee_names_the_key():
    """提级 without `inspected.home_committee` is refused, naming the key."""
    problems = _problems(variant(ROOT / "campaigns" / "escalated.yml", inspected__home_committee=None))
    assert "inspected.home_committee" in problems
