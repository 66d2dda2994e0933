"""Special-inspection themes that know their subject (issue 13).

For each theme in macros/data/themes/ one edition is built for a unit the theme fits: a
sample or held-out campaign on that theme when there is one, else a variant of
campaigns/county-regular.yml for a unit that typically receives such an inspection
(domain-facts-2 §1 "常见被巡察对象"). Each edition must use the theme's own part-二
headings and vocabulary, and none of another theme's.

Unit tests read the catalogue itself: headings not shared between themes, the issue's
twelve subjects found by the names people write, unknown themes refused with the key and
the list. One more build shows a campaign-supplied theme with its own focus, another the
warning for a theme that does not fit the unit.
"""

from __future__ import annotations

import itertools
import logging
import re
from pathlib import Path

import pytest
from lxml import html as lh

from conftest import ALL_CAMPAIGNS, ROOT, load_yaml, page_text, variant
from macros import campaign as campaign_io
from macros import catalogue, edition
from macros.schema import Campaign

THEMES = catalogue.themes()
BASE = ROOT / "campaigns" / "county-regular.yml"

# For a theme no campaign file covers: a unit that typically receives it (domain-facts-2 §1),
# as (type, org, unit, leader_title). Any theme added later without an entry here uses its
# first fitting type's unit from GENERIC_UNITS.
THEME_UNITS = {
    "business-environment": ("部门", "县市场监督管理局党组", "县市场监督管理局", "党组书记、局长"),
    "construction-bidding": ("部门", "县住房和城乡建设局党组", "县住房和城乡建设局", "党组书记、局长"),
    "ecological-environment": ("部门", "县生态环境分局党组", "县生态环境分局", "党组书记、局长"),
    "grain-purchase-sales": ("国企", "县粮食储备有限公司党委", "县粮食储备有限公司", "党委书记、董事长"),
    "grassroots-corruption": ("乡镇", "中共白杨镇委员会", "白杨镇", "镇党委书记"),
    "political-legal": ("部门", "县公安局党委", "县公安局", "党委书记、局长"),
}
GENERIC_UNITS = {
    "部门": ("县发展和改革局党组", "县发展和改革局", "党组书记、局长"),
    "乡镇": ("中共白杨镇委员会", "白杨镇", "镇党委书记"),
    "街道": ("中共城关街道工作委员会", "城关街道", "街道党工委书记"),
    "村": ("红星村党支部", "红星村", "村党支部书记"),
    "社区": ("东风社区党委", "东风社区", "社区党委书记"),
    "国企": ("县交通投资有限公司党委", "县交通投资有限公司", "党委书记、董事长"),
    "学校": ("县实验小学党支部", "县实验小学", "党支部书记"),
    "医院": ("县中医院党委", "县中医院", "党委书记"),
    "事业单位": ("县农业技术推广中心党支部", "县农业技术推广中心", "党支部书记"),
}
# The source speech's five headings, which a themed edition must not fall back to.
SOURCE_HEADINGS = ["紧盯责任落实", "紧盯政策落实", "紧盯整改落实", "紧盯干部作风", "紧盯腐败问题"]
# The subjects issue 13 requires, as a campaign would write them.
ISSUE_SUBJECTS = ["乡村振兴", "医保基金", "粮食购销", "校园餐", "国有企业", "工程建设项目和招投标",
                  "群众身边不正之风和腐败问题", "医药领域腐败问题", "村级“三资”管理", "生态环境保护", "民生资金",
                  "营商环境"]

SPEECH = "speeches/leader-opening.html"
MATERIALS = "checklists/materials.html"


def stem_of(theme) -> str:
    return next(s for s, t in THEMES.items() if t is theme)


def _file_for(stem: str):
    """A sample or held-out campaign that inspects a fitting unit on this catalogue theme."""
    for path in ALL_CAMPAIGNS:
        d = load_yaml(path)
        t = catalogue.find_theme(d["theme"]) if d.get("theme") else None
        if (t is not None and stem_of(t) == stem and d["kind"] in ("专项", "机动")
                and d["inspected"].get("type", "部门") in t.fits
                and (d.get("focus") or {}).get("mode") != "replace"):
            return path
    return None


def _variant_for(stem: str) -> dict:
    t = THEMES[stem]
    if stem in THEME_UNITS:
        type_, org, unit, title = THEME_UNITS[stem]
    else:
        type_ = t.fits[0]
        org, unit, title = GENERIC_UNITS[type_]
    return variant(BASE, id=f"2027-r1-g2-{stem}"[:64], kind="专项", theme=t.name,
                   inspected={"org": org, "unit": unit, "type": type_, "leader_title": title},
                   contact__mailboxes=[f"{unit}办公楼一楼大厅"], contact__reception=None)


CASES = {stem: (_file_for(stem) or _variant_for(stem)) for stem in THEMES}


@pytest.fixture(scope="module", params=sorted(CASES), ids=sorted(CASES))
def themed(request, edition):
    """(theme stem, site folder, campaign data) for one catalogue theme."""
    source = CASES[request.param]
    data = load_yaml(source) if isinstance(source, Path) else source
    return request.param, edition(source), data


def doc(site: Path, rel: str):
    tree = lh.fromstring((site / rel).read_text(encoding="utf-8"))
    return tree.xpath('//div[contains(concat(" ", normalize-space(@class), " "), " xc-doc ")]')[0]


def fold(s: str) -> str:
    return " ".join(s.split())


def part_two_headings(site: Path) -> list[str]:
    out, k = [], 0
    for e in doc(site, SPEECH).iter("h2", "h3"):
        if e.tag == "h2":
            k += 1
        elif k == 2:
            out.append(re.sub(r"^（[一二三四五六七八九十]+）", "", fold(e.text_content())))
    return out


def all_pages(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): page_text(site, p.relative_to(site).as_posix())
            for p in sorted(site.rglob("*.html")) if p.relative_to(site).parts[0] not in ("assets", "search")}


def signature_hits(theme, text: str) -> list[str]:
    return [s for s in theme.signature if s in text]


# ---- One edition per theme -------------------------------------------------------------------


def test_every_theme_has_an_edition_for_a_fitting_unit():
    """The parametrisation covers every catalogue theme, each on a unit type it fits."""
    assert len(CASES) == len(THEMES) >= 12
    for stem, source in CASES.items():
        data = load_yaml(source) if isinstance(source, Path) else source
        assert data["inspected"].get("type", "部门") in THEMES[stem].fits, stem


def test_part_two_has_the_themes_own_headings(themed):
    """Part 二 of the leader speech lists exactly the theme's focus areas, in order."""
    stem, site, _ = themed
    assert part_two_headings(site) == [a.title for a in THEMES[stem].areas]


def test_signature_terms_in_speech_and_materials(themed):
    """At least three of the theme's signature terms in the speech, two in the materials list."""
    stem, site, _ = themed
    t = THEMES[stem]
    speech = fold(doc(site, SPEECH).text_content())
    assert len(signature_hits(t, speech)) >= 3, signature_hits(t, speech)
    materials = page_text(site, MATERIALS)
    assert len(signature_hits(t, materials)) >= 2, signature_hits(t, materials)


def test_no_other_themes_terms_anywhere(themed):
    """No page of the edition uses a term from another theme's signature list."""
    stem, site, _ = themed
    pages = all_pages(site)
    bad = [(rel, other, term) for other, t in THEMES.items() if other != stem
           for term in t.signature for rel, page in pages.items() if term in page]
    assert not bad, bad


def test_no_poverty_alleviation_residue(themed):
    """No 扶贫-era leftovers: 到户到人 never; project-cycle wording (立项、实施、验收) only
    when the theme is about projects."""
    stem, site, _ = themed
    for rel, page in all_pages(site).items():
        assert "到户到人" not in page, rel
        if not THEMES[stem].has_projects:
            assert not re.search(r"项目立项|立项、实施、验收|立项、实施和验收", page), rel


def test_other_pages_use_the_theme(themed):
    """The announcement, the pledge, the interviews page and the checklists speak of the theme."""
    stem, site, data = themed
    t = THEMES[stem]
    subject = data["theme"]
    notice = fold(doc(site, "notices/announcement.html").text_content())
    scope = notice[notice.index("巡察组将"):]
    assert subject in notice and (t.name in scope or signature_hits(t, scope) or subject in scope), notice
    assert subject in fold(doc(site, "speeches/unit-pledge.html").text_content())
    talks = page_text(site, "rules/interviews.html")
    assert signature_hits(t, talks) or t.name in talks or subject in talks
    lists = "".join(page_text(site, f"checklists/{n}.html") for n in ("before-entry", "during", "materials"))
    assert subject in lists or t.name in lists


def test_fitting_theme_gives_no_warning(themed):
    """A theme that fits the unit adds no theme warning to the home page."""
    stem, site, _ = themed
    tree = lh.fromstring((site / "index.html").read_text(encoding="utf-8"))
    warned = " ".join(fold(n.text_content()) for n in tree.xpath('//*[contains(@class,"xc-notices")]'))
    assert THEMES[stem].name not in warned


# ---- The catalogue (unit tests) --------------------------------------------------------------


def test_no_two_themes_share_more_than_one_heading():
    """Each theme's headings are its own: any two themes share at most one, and none is
    the source speech's generic 紧盯… outline."""
    heads = {stem: {a.title for a in t.areas} for stem, t in THEMES.items()}
    for a, b in itertools.combinations(heads, 2):
        assert len(heads[a] & heads[b]) <= 1, (a, b, heads[a] & heads[b])
    for stem, h in heads.items():
        assert not h & set(SOURCE_HEADINGS), stem
        assert 4 <= len(h) <= 6, stem


def test_signature_lists_are_disjoint_and_used_by_the_theme():
    """Signature terms belong to one theme only, and the theme's own text uses them."""
    for (a, ta), (b, tb) in itertools.combinations(THEMES.items(), 2):
        assert not set(ta.signature) & set(tb.signature), (a, b)
        for term in tb.signature:
            assert term not in ta.name and term not in "".join(x.title for x in ta.areas), (a, term)
    for stem, t in THEMES.items():
        own = t.why + "".join(p for a in t.areas for p in a.points) + "".join(t.materials)
        assert len(signature_hits(t, own)) >= 3, stem


def test_issue_subjects_are_found_by_the_names_people_write():
    """The twelve subjects of the issue are in the catalogue, each as a different theme,
    and every sample campaign's theme is found."""
    found = [catalogue.find_theme(s) for s in ISSUE_SUBJECTS]
    assert all(found), [s for s, t in zip(ISSUE_SUBJECTS, found) if t is None]
    assert len({id(t) for t in found}) == len(ISSUE_SUBJECTS)
    for path in ALL_CAMPAIGNS:
        d = load_yaml(path)
        if d.get("theme") and not d.get("focus"):
            assert catalogue.find_theme(d["theme"]), path.name


def test_responsibility_follows_the_units_role():
    """Under 医保基金, a 医保局 manages the fund while a 卫健委 supervises medical institutions;
    neither is told to carry the other's duty."""
    t = catalogue.find_theme("医保基金")
    fund = t.responsibility("市医疗保障局", "部门")
    health = t.responsibility("市卫生健康委", "部门")
    assert "医保基金" in fund and fund != health
    assert "医疗" in health and "监管" in health and "医保基金管理使用工作主体责任" not in health


def _build_campaign(data: dict) -> edition.Edition:
    return edition.build(Campaign.model_validate(data), Path("x.yml"))


def test_unknown_theme_without_focus_names_the_key_and_lists_the_themes():
    """A 专项 on a theme the catalogue lacks, without its own focus, is refused: the
    message names `theme` and lists every catalogue theme."""
    data = variant(BASE, kind="专项", theme="住房公积金缴存提取")
    with pytest.raises(campaign_io.CampaignError) as e:
        _build_campaign(data)
    problems = dict(e.value.problems)
    assert "theme" in problems
    for t in THEMES.values():
        assert t.name in problems["theme"], t.name
    assert "focus" in problems["theme"]


OWN_FOCUS = [
    {"title": "聚焦教育收费政策执行", "points": ["看收费项目和标准是否经过审批并向家长公示", "看有无借课后服务、教辅资料变相收费"]},
    {"title": "聚焦代收费和服务性收费管理", "points": ["看代收费是否据实结算、及时退还余款", "看服务性收费是否坚持自愿原则"]},
    {"title": "聚焦收费资金入账和使用", "points": ["看收费资金是否全额纳入单位账户", "看有无私设“小金库”、坐收坐支"]},
]


def test_unknown_theme_with_own_focus_builds(edition):
    """With its own focus (mode: replace) an uncatalogued theme builds: part 二 is the
    campaign's areas, and the announcement, pledge and materials speak of the theme."""
    theme = "教育收费管理"
    data = variant(BASE, kind="专项", theme=theme, focus={"mode": "replace", "areas": OWN_FOCUS})
    site = edition(data)
    assert part_two_headings(site) == [a["title"] for a in OWN_FOCUS]
    speech = fold(doc(site, SPEECH).text_content())
    assert "看有无借课后服务、教辅资料变相收费" in speech
    for rel in ("notices/announcement.html", "speeches/unit-pledge.html", MATERIALS):
        assert theme in page_text(site, rel), rel
    pages = all_pages(site)
    bad = [(rel, term) for t in THEMES.values() for term in t.signature for rel, page in pages.items()
           if term in page]
    assert not bad, bad


def test_theme_that_does_not_fit_the_unit_warns_but_builds(edition, caplog):
    """粮食购销 at a town: the strict build still succeeds, its log says the theme does not
    usually fit a 乡镇, and the home page shows the same warning."""
    data = variant(ROOT / "campaigns" / "town-regular.yml", kind="专项", theme="粮食购销")
    theme = catalogue.find_theme("粮食购销")
    assert "乡镇" not in theme.fits  # the premise of this test
    with caplog.at_level(logging.INFO):
        site = edition(data)  # a strict build: it raises on any warning
    logged = [r.getMessage() for r in caplog.records if r.levelno < logging.WARNING]
    assert any(theme.name in m and "乡镇" in m for m in logged), logged[-5:]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    tree = lh.fromstring((site / "index.html").read_text(encoding="utf-8"))
    warned = [fold(li.text_content()) for li in tree.xpath('//*[contains(@class,"xc-notices")]//li')]
    assert any(theme.name in w and "乡镇" in w for w in warned), warned
