"""The discipline rules pages (docs/rules/*.md), checked on built editions.

Every campaign in campaigns/ is built, plus a variant without the optional contacts
(no post box, reception, SMS, group leader or linked units) and one with every channel.
Expected values come from each campaign's data through the project's own context,
never from literals.
"""

from __future__ import annotations

import html
import re
import sys

import pytest
from lxml import html as lh

from conftest import VERIFIED_ARTICLES, ROOT, campaign_cases, resolve_case

sys.path.insert(0, str(ROOT))
from macros.campaign import context  # noqa: E402
from macros.schema import Campaign  # noqa: E402

PAGES = {
    "rules/unit-discipline.html": "被巡察单位纪律要求",
    "rules/interviews.html": "个别谈话须知",
    "rules/team-discipline.html": "巡察组工作纪律",
    "rules/quick-card.html": "纪律速查卡",
}
UNIT, TALKS, TEAM, CARD = PAGES
MAIN = [UNIT, TALKS, TEAM]

CASES = campaign_cases('example-bare', 'mobile-all-channels')

ARTICLE_RX = re.compile(r"第\s*[一二三四五六七八九十百零〇两\d]+\s*条")
REQUIRED_ARTICLES = {
    UNIT: {"第六十二条", "第一百四十四条"},
    TALKS: {"第六十二条", "第一百四十四条"},
    TEAM: {"第一百四十四条"},
    CARD: {"第六十二条", "第一百四十四条"},
}
# Verified documents (domain-facts §0) as they are cited in the 依据 lists.
BASIS = [
    "《中国共产党巡视工作条例》（中共中央，2024年2月修订发布）",
    "《中国共产党纪律处分条例》（中共中央，2023年12月修订，2024年1月1日起施行）",
    "中共中央办公厅《关于市县党委建立巡察制度的意见》（2017年）",
]

# Key terms of every point the brief asks each page to cover.
TERMS = {
    UNIT: [
        # duty to cooperate
        "党组织配合", "《关于市县党委建立巡察制度的意见》", "依照《中国共产党巡视工作条例》有关规定",
        # obstruction circumstances
        "隐瞒不报", "虚假情况", "文件资料", "指使、强令", "干扰、阻挠", "诬告、陷害", "威胁", "打击",
        "报复", "无正当理由", "敷衍应付", "虚假整改", "其他方式干扰",
        # consequences
        "直接责任者和领导责任者", "情节较轻", "情节较重", "情节严重", "警告或者严重警告",
        "撤销党内职务或者留党察看", "开除党籍", "泄露、扩散", "打探、窃取", "尚未公开", "私自留存",
        # typical forms, as examples
        "说情打招呼", "篡改", "不是条文原文",
    ],
    TALKS: [
        "基本方法", "必谈", "选谈", "领导班子成员", "纪检、组织人事", "中层干部", "重点岗位",
        "干部职工代表", "离退休干部", "两名以上", "一人提问、一人记录", "表明身份", "保密承诺",
        "各地做法不尽相同", "本次巡察重点", "梳理", "材料", "实事求是", "讲真话", "对党组织负责",
        "匿名", "两名工作人员共同", "监控", "打击、报复", "受理截止",
    ],
    TEAM: [
        "依靠被巡察党组织", "不干预被巡察单位正常工作", "不处理具体问题", "不履行执纪审查职责",
        "不作个人表态", "请示报告", "不擅自取舍问题", "宴请", "礼品", "礼金", "有价证券", "土特产",
        "报销", "办私事", "巡察旗号", "保密承诺书", "保密电脑", "涉密U盘", "登记", "不私自留存",
        "清退", "回避", "近亲属", "利害关系", "纪检监察机关", "接受监督",
    ],
    CARD: [
        "虚假情况", "打击报复", "虚假整改", "两名以上", "一人提问、一人记录", "对党组织负责",
        "不干预正常工作", "不处理具体问题", "不履行执纪审查职责", "宴请", "有价证券", "回避",
        "私自留存", "开除党籍", "受理截止",
    ],
}

# ⚠ items of domain-facts stated as rules, in the wording the source speech used.
FORBIDDEN = ["按照中央要求", "中央要求谈话", "只谈问题，不谈成绩", "只谈问题、不谈成绩", "谈话记录不签字",
             "谈话记录须签字", "巡察工作办法", "十九大", "十九届", "巡查组", "脱贫攻坚", "王岐山"]


@pytest.fixture(params=CASES, scope="module")
def built(request, edition):
    """(site folder, plain-text campaign context) for one campaign or variant."""
    site, data = resolve_case(edition, request.param)
    return site, context(Campaign.model_validate(data))


def plain(v: str) -> str:
    """A context value as it reads on the page (values are stored escaped)."""
    return "".join(html.unescape(str(v)).split())


def article(site, page):
    """The page's <article> with the print tools removed (their note is not content)."""
    tree = lh.fromstring((site / page).read_text(encoding="utf-8"))
    node = tree.xpath("//article")[0]
    for bad in node.xpath('.//script|.//style|.//*[contains(@class, "xc-tools")]'):
        bad.drop_tree()
    return node


def text_of(node) -> str:
    return "".join(node.text_content().split())


def han(s: str) -> int:
    return len(re.findall(r"[\u3400-\u4dbf\u4e00-\u9fff]", s))


def channels(c) -> list[str]:
    """Every contact value the campaign gives, optional ones only when set."""
    out = [c.contact.phone, c.contact.hours, c.contact.email, *c.contact.mailboxes, c.dates.deadline]
    out += [v for v in (c.contact.sms, c.contact.post_box, c.contact.reception) if v]
    return [plain(v) for v in out]


# ---- Every page -------------------------------------------------------------------


def test_pages_exist_with_titles_and_print_tools(built):
    site, _ = built
    for page, title in PAGES.items():
        assert (site / page).exists(), page
        tree = lh.fromstring((site / page).read_text(encoding="utf-8"))
        h1 = tree.xpath("//article//h1")
        assert len(h1) == 1 and text_of(h1[0]) == title, page
        assert tree.xpath('//article//*[@data-xc-print]'), f"{page}: no print button"


def test_main_pages_are_substantial(built):
    site, _ = built
    for page in MAIN:
        n = han(text_of(article(site, page)))
        assert n >= 800, f"{page}: only {n} Han characters"


def test_every_point_is_covered(built):
    site, c = built
    for page, terms in TERMS.items():
        text = text_of(article(site, page))
        missing = [t for t in terms if t not in text]
        assert not missing, f"{page}: missing {missing}"
    assert plain(c.group.name) in text_of(article(site, UNIT))
    team = text_of(article(site, TEAM))
    assert plain(c.committee.leading_group) + "办公室" in team
    assert plain(c.group.leader_full) in team


def test_only_verified_articles_are_cited(built):
    site, _ = built
    for page, required in REQUIRED_ARTICLES.items():
        text = text_of(article(site, page))
        cited = set(ARTICLE_RX.findall(text))
        assert required <= cited, f"{page}: cites {cited}, needs {required}"
        assert cited <= VERIFIED_ARTICLES, f"{page}: unverified article {cited - VERIFIED_ARTICLES}"
        # Articles are cited only for the 纪律处分条例, never for the 巡视工作条例.
        assert not re.search(r"巡视工作条例》第", text), page


def test_unverified_items_are_not_rules(built):
    site, _ = built
    for page in PAGES:
        text = text_of(article(site, page))
        for phrase in FORBIDDEN:
            assert phrase not in text, f"{page}: {phrase}"
        # "只谈事实、不谈认识" (⚠) may appear only as the group's advice, never as a requirement.
        for sentence in re.split(r"[。！？；]", text):
            if "只谈事实" in sentence:
                assert not re.search(r"规定|条例|中央|要求|必须|应当", sentence), sentence
                assert re.search(r"提示|提醒|建议|常说", sentence), sentence
    talks = text_of(article(site, TALKS))
    # Whether the record is signed varies: the page must say so, not prescribe it.
    signed = [s for s in re.split(r"[。；]", talks) if "签字" in s]
    assert signed and all("各地做法" in s for s in signed), signed


def test_no_collapsible_blocks_and_rules_in_admonitions(built):
    site, _ = built
    for page in PAGES:
        raw = (site / page).read_text(encoding="utf-8")
        assert "<details" not in raw, page
    for page in MAIN:
        assert article(site, page).xpath('.//div[contains(@class, "admonition")]'), page


def test_basis_lists_only_verified_documents(built):
    site, _ = built
    for page in MAIN:
        node = article(site, page)
        heads = node.xpath(".//h2")
        assert text_of(heads[-1]) == "依据", f"{page}: the last section must be 依据"
        items = [text_of(li) for li in heads[-1].xpath("following-sibling::ul[1]/li")]
        assert items == BASIS, f"{page}: {items}"
    card = text_of(article(site, CARD))
    basis = card[card.rindex("依据："):]
    assert all(doc in basis for doc in BASIS)


# ---- Contacts -------------------------------------------------------------------


def test_pages_carry_the_campaigns_channels(built):
    site, c = built
    for page in (UNIT, TALKS, CARD):
        text = text_of(article(site, page))
        missing = [v for v in channels(c) if v not in text]
        assert not missing, f"{page}: missing {missing}"
        # An optional channel the campaign lacks leaves no empty label behind.
        for value, label in ((c.contact.sms, "短信"), (c.contact.post_box, "邮政信箱"),
                             (c.contact.reception, "来访接待")):
            if not value:
                assert label not in text, f"{page}: {label} shown without a value"


def test_team_page_invents_no_numbers(built):
    site, c = built
    text = text_of(article(site, TEAM))
    # Complaints about the group go to the leading group's office, whose numbers we don't know.
    assert not re.search(r"\d{3,}[-－]\d{4,}|1\d{10}|@", text)
    assert plain(c.contact.phone) not in text


def test_interviews_follow_the_kind(built):
    site, c = built
    text = text_of(article(site, TALKS))
    assert plain(c.kind_label) in text
    if c.theme:
        assert plain(c.theme) in text
    if c.kind == "回头看":
        assert (plain(c.previous) if c.previous else "上一轮巡察") in text and "整改" in text


# ---- The card -------------------------------------------------------------------


def card_node(site):
    nodes = article(site, CARD).xpath(
        './/div[contains(concat(" ", normalize-space(@class), " "), " xc-doc--card ")]')
    assert len(nodes) == 1, "the card page must hold exactly one .xc-doc--card"
    assert "xc-doc" in nodes[0].get("class").split()
    return nodes[0]


def test_card_holds_three_audiences_and_contacts(built):
    site, c = built
    card = card_node(site)
    heads = [text_of(h) for h in card.xpath(".//h2")]
    assert heads == ["被巡察单位", "参加谈话的同志", "巡察组工作人员", "联系巡察组"], heads
    text = text_of(card)
    assert [v for v in channels(c) if v not in text] == []
    # Short enough for one A4 side even with every optional channel.
    assert han(text) <= 900, han(text)


# The card's one-page print is checked in test_print.py with the other one-sheet documents.
