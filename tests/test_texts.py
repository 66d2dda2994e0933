"""The texts of every edition carry the campaign's facts and state the rules correctly.

Checks kept from the earlier speech, pledge, announcement, rules, focus and edition tests
that still hold in the new architecture, now run over every sample campaign and every
held-out campaign (tests/fixtures/campaigns/): the same builds as test_units_kinds.py.

Expected values come from the campaign file (names, channels, dates, kind, theme) and
the domain: verified articles only (domain-facts §5), the 2024 巡视工作条例 without
article numbers, ⚠ items never stated as rules, the period's political wording (§7),
the standard names of the kinds. Print layout and .docx fidelity are checked elsewhere.
"""

from __future__ import annotations

import datetime as dt
import difflib
import html as htmllib
import itertools
import re
import zipfile
from pathlib import Path

import pydantic
import pytest

from conftest import (ALL_CAMPAIGNS, HELD_OUT, ROOT, VERIFIED_ARTICLES, doc_node, doc_part, doc_text, load_yaml,
                      page_text, page_tree, variant)
from macros import blocks, edition
from macros.schema import Campaign

ALL = ALL_CAMPAIGNS
IDS = [("held-" if p in HELD_OUT else "") + p.stem for p in ALL]

SPEECH = "speeches/leader-opening.html"
PLEDGE = "speeches/unit-pledge.html"
NOTICE = "notices/announcement.html"
UNIT, TALKS, TEAM, CARD = ("rules/unit-discipline.html", "rules/interviews.html", "rules/team-discipline.html",
                           "rules/quick-card.html")
HAN = re.compile(r"[\u4e00-\u9fff]")
DIGITS = "零一二三四五六七八九"
DISCIPLINES = ["政治纪律", "组织纪律", "廉洁纪律", "群众纪律", "工作纪律", "生活纪律"]
# The standard names of the kinds ({theme} is the campaign's theme, or nothing).
KIND_LABEL = {"常规": "常规巡察", "专项": "{theme}专项巡察", "机动": "{theme}机动巡察", "提级": "{theme}提级巡察",
              "回头看": "巡察“回头看”"}
# Verified documents (domain-facts §0), as the 依据 lists cite them.
BASIS = ["《中国共产党巡视工作条例》（中共中央，2024年2月修订发布）",
         "《中国共产党纪律处分条例》（中共中央，2023年12月修订，2024年1月1日起施行）",
         "中共中央办公厅《关于市县党委建立巡察制度的意见》（2017年）"]
REQUIRED_ARTICLES = {UNIT: {"第六十二条", "第一百四十四条"}, TALKS: {"第六十二条", "第一百四十四条"},
                     TEAM: {"第一百四十四条"}, CARD: {"第六十二条", "第一百四十四条"}}
ARTICLE = re.compile(r"第\s*[一二三四五六七八九十百零〇两\d]+\s*条")
# ⚠ items of domain-facts in the wording old speeches state them as rules, and old names.
FORBIDDEN = ["按照中央要求", "中央要求谈话", "只谈问题，不谈成绩", "只谈问题、不谈成绩", "谈话记录不签字", "谈话记录须签字",
             "巡察工作办法", "巡查组"]
# What a built page must never show: template syntax and placeholders of the old drafts.
LEFTOVER = re.compile(r"\{\{|\}\}|\{%|%\}|\bNone\b|\bundefined\b|××|XX|第X|202X|X@|第\s*巡察组|届\s*第\s*轮")


def numeral(n: int) -> str:
    """1–99 as Chinese numerals: 3 → 三, 12 → 十二, 20 → 二十."""
    tens, ones = divmod(n, 10)
    return (("" if tens < 2 else DIGITS[tens]) + ("十" if tens else "") + (DIGITS[ones] if ones else "")) or "零"


def cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def fold(s: str) -> str:
    return " ".join(s.split())


class Facts:
    """What the campaign file says the texts must carry."""

    def __init__(self, data: dict):
        c, g, ins = data["committee"], data["group"], data["inspected"]
        self.data = data
        self.group = g.get("name") or f"{c['short']}第{numeral(g['number'])}巡察组"
        self.round = f"{numeral(c['term'])}届{c['short']}第{numeral(c['round'])}轮巡察"
        self.leading_group = c.get("leading_group") or f"{c['short']}巡察工作领导小组"
        self.signature = c["name"] + self.group.removeprefix(c["short"])
        self.kind_label = KIND_LABEL[data["kind"]].format(theme=data.get("theme") or "")
        self.start = data["dates"]["start"]
        self.last_day = self.start + dt.timedelta(days=data["dates"]["days"] - 1)
        ct = data["contact"]
        self.channels = [ct["phone"], ct["hours"], ct["email"], *ct["mailboxes"],
                         *[ct[k] for k in ("sms", "post_box", "reception") if ct.get(k)]]
        self.optional = {"短信": ct.get("sms"), "邮政信箱": ct.get("post_box"), "来访接待": ct.get("reception")}
        self.unit, self.org = ins["unit"], ins["org"]


def article_text(site: Path, rel: str) -> str:
    """The page's article without the print tools' note."""
    node = page_tree(site, rel).xpath("//article")[0]
    keep = [fold(n.text_content()) for n in node.xpath('.//*[contains(@class,"xc-tools")]')]
    text = fold(node.text_content())
    for k in keep:
        text = text.replace(k, "")
    return text


def headings(site: Path, n: int) -> list[str]:
    out, k = [], 0
    for e in doc_node(site, SPEECH).iter("h2", "h3"):
        if e.tag == "h2":
            k += 1
        elif k == n:
            out.append(re.sub(r"^（[一二三四五六七八九十]+）", "", fold(e.text_content())))
    return out


@pytest.fixture(scope="module", params=ALL, ids=IDS)
def built(request, edition):
    """(site folder, facts of the campaign) for one sample or held-out campaign."""
    return edition(request.param), Facts(load_yaml(request.param))


# ---- The leader's speech -------------------------------------------------------------------


def test_speech_carries_the_campaigns_facts(built):
    """The speech names the group, round, unit, kind, theme, the round a 回头看 checks, the
    leading group and every channel the campaign gives, with the start date."""
    site, f = built
    t = doc_text(site, SPEECH)
    for value in (f.group, f.round, f.unit, f.kind_label, f.leading_group, f"（{cn_date(f.start)}）", *f.channels):
        assert value in t, value
    if f.data.get("theme"):
        assert f.data["theme"] in doc_part(site, SPEECH, 2) or f.data["theme"] in doc_part(site, SPEECH, 1)
    if f.data["kind"] == "回头看":
        assert f.data["previous"] in doc_part(site, SPEECH, 2)


def test_speech_structure(built):
    """One title ending 见面会上的讲话, three numbered parts, numbered sub-headings, the
    salutation, and enough substance (at least 2,800 Chinese characters)."""
    site, f = built
    node = doc_node(site, SPEECH)
    h1 = [fold(e.text_content()) for e in node.iter("h1")]
    assert len(h1) == 1 and h1[0].startswith("在") and h1[0].endswith("见面会上的讲话") and f.group in h1[0]
    assert [fold(e.text_content())[:2] for e in node.iter("h2")] == ["一、", "二、", "三、"]
    assert all(re.match(r"^（[一二三四五六七八九十]+）", fold(e.text_content())) for e in node.iter("h3"))
    assert "同志们：" in [fold(e.text_content()) for e in node.iter("p")]
    assert len(HAN.findall(node.text_content())) >= 2800


def test_speech_states_the_rules_and_sanctions(built):
    """Part 三 cites the 巡视工作条例 without article numbers and the 纪律处分条例's verified
    articles with their penalties, lists six forms of obstruction, and says what the group
    does not do."""
    site, _ = built
    t = doc_text(site, SPEECH)
    for phrase in ("依照《中国共产党巡视工作条例》有关规定", "《中国共产党纪律处分条例》第六十二条",
                   "《中国共产党纪律处分条例》第一百四十四条", "警告或者严重警告", "撤销党内职务或者留党察看", "开除党籍",
                   "批评教育、组织处理", "纪律处分", "不干预", "不处理具体问题", "不履行执纪审查职责", "个别谈话",
                   "调阅", "列席", "民主测评", "实事求是", "对党组织负责", "严格保密"):
        assert phrase in t, phrase
    assert not re.search(r"巡视工作条例》第", t)
    items = [fold(li.text_content()) for li in doc_node(site, SPEECH).xpath(".//ol/li")]
    assert len(items) == 6
    for key in ("隐瞒不报", "文件资料", "诬告", "打击、报复", "整改", "其他方式"):
        assert any(key in i for i in items), key
    assert "按照中央要求" not in t and "规定只谈事实" not in t


def test_tongzhi_after_names_never_after_titles(built):
    """“同志” follows a person's name (or is the plain noun, 同志们, 负责同志), never a bare
    title: without a leader's name the texts say 组长, not 组长同志."""
    site, f = built
    for rel in (SPEECH, PLEDGE):
        t = "".join(doc_text(site, rel).split())
        m = re.search(r"(组长|书记|局长|主任|董事长|院长|校长|镇长|部长|同志)同志", t)
        assert not m, (rel, t[max(0, m.start() - 12): m.end()])
    author = fold(doc_node(site, SPEECH).xpath('.//p[@class="xc-doc-author"]')[0].text_content())
    leader = f.data["group"].get("leader")
    assert author.endswith(f"{leader}同志" if leader else "组长"), author
    if leader:
        assert f"{leader}同志" in doc_text(site, PLEDGE)


def test_political_references_match_the_date(built):
    """The pledge's references are true on the day: the 2026 study campaign is "正在开展"
    only from March to July 2026; "开好局" only in 2026, the first year of the 15th plan;
    nothing of the 20th Congress after October 2027 (domain-facts §7)."""
    site, f = built
    t = doc_text(site, PLEDGE)
    start = f.start
    assert ("正在开展的树立和践行正确政绩观学习教育" in t) == (dt.date(2026, 3, 1) <= start < dt.date(2026, 8, 1))
    assert "正确政绩观" in t
    assert ("开好局" in t) == (start.year == 2026)
    if start >= dt.date(2027, 10, 1):
        assert "二十大" not in t


# ---- The pledge ------------------------------------------------------------------------------


def test_pledge_shape_and_fills(built):
    """Title ending 表态发言, the speaker's title in the by-line, four numbered parts, the
    greeting to the group and the closing; facts only the unit knows are fill markers."""
    site, f = built
    node = doc_node(site, PLEDGE)
    kids = [k for k in node if isinstance(k.tag, str)]
    assert kids[0].tag == "h1" and fold(kids[0].text_content()).endswith("表态发言")
    author = fold(kids[1].text_content())
    assert kids[1].get("class") == "xc-doc-author" and f.data["inspected"]["leader_title"] in author
    if f.data["inspected"].get("leader_name"):
        assert author.endswith(f.data["inspected"]["leader_name"])
    assert fold(kids[2].text_content()) == f"（{cn_date(f.start)}）"
    assert [fold(h.text_content())[:2] for h in node.xpath("./h2")] == ["一、", "二、", "三、", "四、"]
    assert fold(kids[3].text_content()).startswith(f"尊敬的{f.group}")
    assert fold(kids[-1].text_content()) == "谢谢大家！"
    assert f.round in fold(node.text_content()) and f.kind_label in fold(node.text_content())
    spans = node.xpath('.//span[contains(@class,"xc-fill")]')
    assert len(spans) >= 2 and node.text_content().count("〔待填") == len(spans)
    assert all(re.fullmatch(r"〔待填：[^〔〕]{2,}〕", s.text_content()) for s in spans)


# ---- The announcement ------------------------------------------------------------------------


def test_announcement_has_every_element(built):
    """Basis, round, group, the formal name of the body at first mention, kind, period,
    what is received and what is passed on, every channel, the deadline, the six
    disciplines; nothing left to fill."""
    site, f = built
    node = doc_node(site, NOTICE)
    t = fold(node.text_content())
    c = f.data["committee"]
    for value in (f"根据{c['short']}统一部署", "依照《中国共产党巡视工作条例》有关规定", f.round, f.group, f.org,
                  f.kind_label, cn_date(f.start), "受理截止", "个人诉求", "涉法涉诉", "转交有关部门", *f.channels,
                  *DISCIPLINES):
        assert value in t, value
    assert t.index(f.org) < t.index("受理"), "the formal name comes in the first paragraph"
    assert re.search(r"为期\d+天", t)
    assert not node.xpath('.//span[contains(@class,"xc-fill")]'), "a public notice has nothing left to fill"
    if f.data.get("theme"):
        assert f.data["theme"] in t
    if f.data["kind"] == "回头看":
        assert f.data["previous"] in t and "整改" in t


def test_announcement_channels_exactly_as_given(built):
    """Optional channels appear, labelled, only when the campaign gives them."""
    site, f = built
    t = doc_text(site, NOTICE)
    for label, value in f.optional.items():
        if value:
            assert f"{label}：{value}" in t, label
        else:
            assert f"{label}：" not in t, label


def test_announcement_dates_stay_inside_the_inspection(built):
    """No date in the announcement falls after the last possible day (start + days − 1),
    and the intake deadline lies within the inspection."""
    site, f = built
    t = article_text(site, NOTICE)
    found = [dt.date(int(y), int(m), int(d)) for y, m, d in re.findall(r"(\d{4})年(\d{1,2})月(\d{1,2})日", t)]
    assert found and max(found) <= f.last_day, [str(x) for x in found]
    m = re.search(r"受理截止时间为(\d{4})年(\d{1,2})月(\d{1,2})日", t)
    assert m and f.start <= dt.date(*map(int, m.groups())) <= f.last_day


def test_announcement_signed_by_the_group_in_full(built):
    """The notice is signed with the committee's full name and the group, dated the first day."""
    site, f = built
    signs = [fold(p.text_content()) for p in doc_node(site, NOTICE).xpath('.//*[contains(@class,"xc-doc-sign")]')]
    assert any(s.startswith(f.signature) or s == f.signature for s in signs), (signs, f.signature)
    assert any(cn_date(f.start) in s for s in signs), signs


# ---- The rules pages ---------------------------------------------------------------------------


def test_rules_pages_cite_only_verified_articles(built):
    """Rules pages cite 第六十二条 and 第一百四十四条 of the 纪律处分条例 where they must, no
    other article, and no article of the 巡视工作条例."""
    site, _ = built
    for rel, required in REQUIRED_ARTICLES.items():
        t = "".join(article_text(site, rel).split())
        cited = set(ARTICLE.findall(t))
        assert required <= cited <= VERIFIED_ARTICLES, (rel, cited)
        assert not re.search(r"巡视工作条例》第", t), rel


def test_unverified_items_are_not_rules(built):
    """⚠ items are never stated as rules: "只谈事实" only as the group's advice, whether the
    record is signed only as varying by place."""
    site, _ = built
    for rel in (UNIT, TALKS, TEAM, CARD, SPEECH):
        t = "".join(article_text(site, rel).split())
        for phrase in FORBIDDEN:
            assert phrase not in t, (rel, phrase)
        for sentence in re.split(r"[。！？；]", t):
            if "只谈事实" in sentence:
                assert not re.search(r"规定|条例|中央|必须|应当", sentence), sentence
                assert re.search(r"提示|提醒|建议|常说", sentence), sentence
    talks = "".join(article_text(site, TALKS).split())
    signed = [s for s in re.split(r"[。；]", talks) if "签字" in s]
    assert signed and all(re.search(r"各地做法|按巡察办的规定", s) for s in signed), signed


def test_rules_pages_basis_and_channels(built):
    """The rules pages end with the verified basis documents and carry the group's channels
    as given; the team page invents no phone number or address of its own."""
    site, f = built
    for rel in (UNIT, TALKS, TEAM):
        node = page_tree(site, rel).xpath("//article")[0]
        heads = node.xpath(".//h2")
        assert fold(heads[-1].text_content()) == "依据", rel
        items = ["".join(li.text_content().split()) for li in heads[-1].xpath("following-sibling::ul[1]/li")]
        assert items == BASIS, (rel, items)
    for rel in (UNIT, TALKS, CARD):
        t = article_text(site, rel)
        missing = [v for v in f.channels if v not in t]
        assert not missing, (rel, missing)
        for label, value in f.optional.items():
            if not value:
                assert label not in t, (rel, label)
    team = article_text(site, TEAM)
    assert not re.search(r"\d{3,}[-－]\d{4,}|1\d{10}|@", team)
    assert f.leading_group + "办公室" in team


def test_interviews_page_follows_the_kind(built):
    """The interviews page names the kind, the theme, and for a 回头看 the round it checks."""
    site, f = built
    t = article_text(site, TALKS)
    assert f.kind_label in t
    if f.data.get("theme"):
        assert f.data["theme"] in t
    if f.data["kind"] == "回头看":
        assert f.data["previous"] in t and "整改" in t


# ---- Every page ----------------------------------------------------------------------------------


def test_no_leftovers_and_home_page_facts(built):
    """No page shows template syntax or an old placeholder; the home page carries the unit,
    the phone, the email and the mailboxes."""
    site, f = built
    for p in site.rglob("*.html"):
        rel = p.relative_to(site).as_posix()
        if rel.split("/")[0] in ("assets", "search"):
            continue
        m = LEFTOVER.search(page_text(site, rel))
        assert not m, (rel, m.group(0))
    home = page_text(site, "index.html")
    for value in (f.unit, f.data["contact"]["phone"], f.data["contact"]["email"], *f.data["contact"]["mailboxes"]):
        assert value in home, value


def _site_text(site: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in sorted(site.rglob("*"))
                     if p.suffix in {".html", ".json", ".js", ".xml"} and "assets" not in p.parts)


def test_nothing_of_another_campaign_leaks_in(built):
    """No name, phone or email of any other campaign appears anywhere in the edition."""
    site, f = built
    text = _site_text(site)
    mine = " ".join([f.unit, f.org, *f.data["contact"]["mailboxes"]])
    for other in ALL:
        o = load_yaml(other)
        if o["id"] == f.data["id"]:
            continue
        for value in (o["inspected"]["unit"], o["inspected"]["org"], o["contact"]["phone"], o["contact"]["email"]):
            if value not in mine:
                assert value not in text, f"{other.name}: {value}"


# ---- Kinds differ in substance -------------------------------------------------------------------

KIND_SAMPLES = {"常规": "county-regular.yml", "专项": "example.yml", "机动": "township-mobile.yml",
                "回头看": "lookback.yml", "提级": "escalated.yml"}


@pytest.fixture(scope="module")
def by_kind(edition) -> dict[str, Path]:
    return {k: edition(ROOT / "campaigns" / f) for k, f in KIND_SAMPLES.items()}


def test_kinds_have_their_own_focus_areas(by_kind):
    """常规 covers the 四个落实; 回头看 checks rectification and looks for new problems; no two
    kinds share more than one heading, and their part 二 texts differ."""
    heads = {k: headings(s, 2) for k, s in by_kind.items()}
    regular = "".join(heads["常规"])
    for key in ("决策部署", "全面从严治党", "组织路线", "整改"):
        assert key in regular, key
    assert any("整改" in h for h in heads["回头看"]) and any("新的问题" in h for h in heads["回头看"])
    for a, b in itertools.combinations(heads, 2):
        assert len(set(heads[a]) & set(heads[b])) <= 1, (a, b)
        ratio = difflib.SequenceMatcher(None, doc_part(by_kind[a], SPEECH, 2), doc_part(by_kind[b], SPEECH, 2),
                                        autojunk=False).ratio()
        assert ratio < 0.6, (a, b, round(ratio, 2))


# ---- Focus overrides (unit tests on the edition model) ---------------------------------------------


def _edition(data: dict) -> edition.Edition:
    return edition.build(Campaign.model_validate(data), Path("x.yml"))


def test_focus_replace_and_extend():
    """`focus: replace` gives exactly the campaign's areas, its points numbered 一是、二是;
    `extend` keeps the kind's areas and numbers the added one next."""
    areas = [{"title": "聚焦教育收费管理，", "points": ["看收费项目是否公示；", "看代收费是否及时结算"]}]
    base = ROOT / "campaigns" / "county-regular.yml"
    plain = _edition(variant(base)).focus
    replaced = _edition(variant(base, focus={"mode": "replace", "areas": areas})).focus
    assert [a["title"] for a in replaced] == ["聚焦教育收费管理"]
    assert replaced[0]["numbered"] == ["一是看收费项目是否公示。", "二是看代收费是否及时结算。"]
    extended = _edition(variant(base, focus={"mode": "extend", "areas": areas})).focus
    assert [a["title"] for a in extended] == [a["title"] for a in plain] + ["聚焦教育收费管理"]
    assert extended[-1]["ordinal"] == numeral(len(plain) + 1)


def test_campaign_focus_refuses_placeholders():
    """A campaign writes its focus in words; {theme}-style placeholders belong to data files."""
    with pytest.raises(pydantic.ValidationError):
        Campaign.model_validate(variant(ROOT / "campaigns" / "example.yml",
                                        focus={"mode": "replace", "areas": [{"title": "聚焦{theme}", "points": []}]}))


def test_fill_marker_and_print_tools_escape_and_link():
    """A fill hint is escaped; the print tools link the Word file when there is one."""
    out = blocks.fill("<b>本单位</b>")
    assert 'class="xc-fill"' in out and "<b>" not in out and "〔待填：" in out
    assert 'href="leader-opening.docx"' in blocks.print_tools("leader-opening.docx")
    assert "href" not in blocks.print_tools()


# ---- A campaign with only the required keys, written by someone else ----------------------------

MINIMAL = {
    "id": "minimal-hostile",
    "committee": {"name": "中共某地县委", "short": "县委", "term": 3, "round": 2},
    "group": {"number": 5},
    "inspected": {"org": "县审计局“三资”&'服务'中心#1|党组", "unit": "县审计局", "leader_title": "党组书记、局长"},
    "kind": "常规",
    "dates": {"start": "2027-05-10", "days": 21},
    "contact": {"phone": "0800-1000005", "hours": "<b>全天</b>", "email": "a5@example.org",
                "mailboxes": ["县审计局一楼<script>alert(1)</script>"]},
}


def test_minimal_campaign_with_markup_in_values(edition):
    """Only the required keys: every optional part leaves no trace, and values with markup,
    quotes and ampersands show exactly as typed, on pages and in the .docx, never as HTML."""
    site = edition(MINIMAL)
    home = page_text(site, "index.html")
    assert "县委第五巡察组" in home and "三届县委第二轮巡察" in home
    for rel in ("index.html", NOTICE, SPEECH, PLEDGE):
        t = page_text(site, rel)
        for absent in ("同步开展巡察", "上下联动", "邮政信箱", "来访接待", "短信："):
            assert absent not in t, (rel, absent)
    assert "<b>全天</b>" in home and "<script>alert(1)</script>" in home
    org = MINIMAL["inspected"]["org"]
    assert org in page_text(site, NOTICE)
    for p in site.rglob("*.html"):
        raw = p.read_text(encoding="utf-8")
        assert "<script>alert(1)" not in raw and "<b>全天</b>" not in raw, p
    with zipfile.ZipFile(site / "notices" / "announcement.docx") as z:
        xml = z.read("word/document.xml").decode("utf-8")
    words = htmllib.unescape("".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml)))
    assert org in words and "<b>全天</b>" in words
