"""The group leader's opening speech, checked on built editions of every inspection kind.

Each sample campaign (one per kind) and a few variants are built with `mkdocs build
--strict`; the assertions read the built HTML: the campaign's facts, structure the
print/.docx exporter relies on, length, kind-specific substance, and wording rules
(no outdated references, no article numbers but the two verified ones, no long runs
copied from the source speeches).
"""

from __future__ import annotations

import difflib
import html
import itertools
import re
import sys
from pathlib import Path

import pytest
from lxml import html as lh

from conftest import ROOT, copied_runs, variant, wording_problems

sys.path.insert(0, str(ROOT))
from macros import campaign as cmp  # noqa: E402

PAGE = "speeches/leader-opening.html"
CAMPAIGNS = ROOT / "campaigns"
SAMPLES = {"专项": "example.yml", "常规": "county-regular.yml", "机动": "township-mobile.yml",
           "回头看": "lookback.yml", "提级": "escalated.yml"}
HAN = re.compile(r"[\u4e00-\u9fff]")


def fold(s: str) -> str:
    return " ".join(s.split())


class Speech:
    """The built page split the way readers and the exporter see it."""

    def __init__(self, site: Path):
        doc = lh.fromstring((site / PAGE).read_text(encoding="utf-8"))
        for bad in doc.xpath("//script|//style"):
            bad.drop_tree()
        self.article = doc.xpath("//article")[0]
        self.text = fold(self.article.text_content())
        docs = self.article.xpath('.//div[contains(concat(" ", @class, " "), " xc-doc ")]')
        assert len(docs) == 1, "exactly one .xc-doc block"
        self.doc = docs[0]
        self.doc_text = fold(self.doc.text_content())

    def blocks(self, tag: str) -> list[str]:
        return [fold(e.text_content()) for e in self.doc.iter(tag)]

    def focus_headings(self) -> list[str]:
        """The h3 headings of part 二 (between the second and third h2)."""
        out, part = [], 0
        for e in self.doc.iter("h2", "h3"):
            if e.tag == "h2":
                part += 1
            elif part == 2:
                out.append(re.sub(r"^（[一二三四五六七八九十]+）", "", fold(e.text_content())))
        return out

    def part(self, n: int) -> str:
        """Text of part n (1-based), from its h2 to the next h2."""
        text, part = [], 0
        for e in self.doc.iter():
            if e.tag == "h2":
                part += 1
            elif part == n and e.tag in ("p", "li", "h3"):
                text.append(fold(e.text_content()))
        return "".join(text)


def facts(path_or_dict) -> dict:
    """The campaign's values as they should read on the page (unescaped)."""
    if isinstance(path_or_dict, dict):
        from macros.schema import Campaign
        model = Campaign.model_validate(path_or_dict)
    else:
        model = cmp.load(path_or_dict)

    def un(v):
        if isinstance(v, dict):
            return {k: un(x) for k, x in v.items()}
        if isinstance(v, list):
            return [un(x) for x in v]
        return html.unescape(v) if isinstance(v, str) else v

    return un(cmp.context(model))


@pytest.fixture(scope="module")
def speeches(edition) -> dict[str, Speech]:
    return {kind: Speech(edition(CAMPAIGNS / f)) for kind, f in SAMPLES.items()}


# ---- Facts of the campaign -------------------------------------------------------


@pytest.mark.parametrize("kind", list(SAMPLES))
def test_campaign_facts_in_speech(speeches, kind):
    c = facts(CAMPAIGNS / SAMPLES[kind])
    s = speeches[kind]
    t = s.doc_text
    for value in (c["group"]["name"], c["round_label"], c["inspected"]["org"], c["inspected"]["unit"],
                  f"为期{c['dates']['days']}天", c["kind_label"], c["contact"]["phone"], c["contact"]["hours"],
                  c["contact"]["email"], c["dates"]["deadline"], c["dates"]["start"], c["committee"]["leading_group"]):
        assert value in t, value
    for box in c["contact"]["mailboxes"]:
        assert box in t, box
    for key in ("sms", "post_box", "reception"):
        if c["contact"][key]:
            assert c["contact"][key] in t, key
    if c["theme"]:
        assert c["theme"] in t
    if c["kind"] == "回头看" and c["previous"]:
        assert c["previous"] in s.part(2)


@pytest.mark.parametrize("kind", list(SAMPLES))
def test_structure_the_exporter_relies_on(speeches, kind):
    s = speeches[kind]
    c = facts(CAMPAIGNS / SAMPLES[kind])
    h1 = s.blocks("h1")
    assert len(h1) == 1 and h1[0].startswith("在") and h1[0].endswith("见面会上的讲话")
    assert c["group"]["name"] in h1[0] and c["inspected"]["org"] in h1[0]
    author = s.doc.xpath('.//p[@class="xc-doc-author"]')
    date = s.doc.xpath('.//p[@class="xc-doc-date"]')
    assert len(author) == 1 and len(date) == 1
    assert fold(date[0].text_content()) == f"（{c['dates']['start']}）"
    assert s.doc.get("data-docx") == "leader-opening.docx"
    assert [h[:2] for h in s.blocks("h2")] == ["一、", "二、", "三、"]
    assert all(re.match(r"^（[一二三四五六七八九十]+）", h) for h in s.blocks("h3"))
    assert "同志们：" in s.blocks("p")
    # The usage note is on the page but outside the printed speech.
    note = s.article.xpath('.//div[contains(@class,"admonition") and contains(@class,"xc-usage")]')
    assert note and "使用说明" in fold(note[0].text_content())
    assert not s.doc.xpath('.//div[contains(@class,"admonition")]')
    assert s.article.xpath('.//a[@href="leader-opening.docx"]')


@pytest.mark.parametrize("kind", list(SAMPLES))
def test_speech_is_long_enough(speeches, kind):
    n = len(HAN.findall(speeches[kind].doc_text))
    assert n >= 2800, f"{kind}: only {n} Han characters"


# ---- Kinds differ in substance ---------------------------------------------------


def test_kinds_have_their_own_focus_areas(speeches):
    heads = {k: s.focus_headings() for k, s in speeches.items()}
    for k, h in heads.items():
        assert len(h) >= 3, (k, h)
    assert any("责任落实" in h for h in heads["专项"]) and any("腐败问题" in h for h in heads["专项"])
    assert sum("落实" in h for h in heads["常规"]) >= 4
    assert any("整改" in h for h in heads["回头看"]) and any("新的问题" in h for h in heads["回头看"])
    assert any("一把手" in h for h in heads["提级"])
    for a, b in itertools.combinations(heads, 2):
        shared = set(heads[a]) & set(heads[b])
        assert len(shared) <= 1, (a, b, shared)


def test_kinds_differ_in_part_two(speeches):
    for a, b in itertools.combinations(speeches, 2):
        ratio = difflib.SequenceMatcher(None, speeches[a].part(2), speeches[b].part(2), autojunk=False).ratio()
        assert ratio < 0.6, (a, b, round(ratio, 2))


def test_kind_specific_passages(speeches):
    assert "哪里问题突出" in speeches["机动"].doc_text
    assert "熟人社会" in speeches["提级"].doc_text and "熟人社会" not in speeches["常规"].doc_text
    assert "反弹回潮" in speeches["回头看"].part(2)
    assert "整改落实情况的来信来电来访" in speeches["回头看"].part(3)
    assert "四个聚焦" in speeches["常规"].part(2)


# ---- Optional keys ---------------------------------------------------------------


def stripped() -> dict:
    """The default campaign without its optional linked areas and leader name (one build for both)."""
    return variant(CAMPAIGNS / "example.yml", linked=None, group__leader=None)


def test_linked_sentence_only_when_linked(speeches, edition):
    with_linked = speeches["专项"]
    c = facts(CAMPAIGNS / SAMPLES["专项"])
    assert c["linked_text"] and f"{c['linked_text']}同步" in with_linked.doc_text
    assert "同步" not in speeches["常规"].text  # county-regular has no linked
    dropped = Speech(edition(stripped()))
    assert "同步" not in dropped.text and "联动" not in dropped.doc_text
    for name in c["linked"]:
        assert name not in dropped.text


NAMELESS_同志 = re.compile(r"(?:组长|^|[^\u4e00-\u9fff])同志(?!们)")


def test_leader_name_or_office_only(speeches, edition):
    named = facts(CAMPAIGNS / "example.yml")["group"]["leader"]
    s = speeches["专项"]
    assert f"{named}同志" in fold(s.doc.xpath('.//p[@class="xc-doc-author"]')[0].text_content())
    dropped = Speech(edition(stripped()))
    assert named not in dropped.text
    for sp in (speeches["机动"], dropped):  # township-mobile has no leader either
        assert "组长同志" not in sp.text
        assert not NAMELESS_同志.search(sp.text), NAMELESS_同志.search(sp.text)
        assert fold(sp.doc.xpath('.//p[@class="xc-doc-author"]')[0].text_content()).endswith("组长")


def test_lookback_without_previous_uses_default(edition):
    s = Speech(edition(variant(CAMPAIGNS / "lookback.yml", previous=None)))
    assert "上一轮巡察" in s.part(2)
    assert "十二届市委第二轮巡察" not in s.text


def test_focus_override_replace(edition):
    areas = [{"title": "聚焦乡村振兴领域资金拨付", "points": ["看资金是否按时足额拨付到位", "看市委部署的台账是否建立"]}]
    s = Speech(edition(variant(CAMPAIGNS / "example.yml", focus={"mode": "replace", "areas": areas})))
    assert s.focus_headings() == ["聚焦乡村振兴领域资金拨付"]
    part2 = s.part(2)
    assert "一是看资金是否按时足额拨付到位。" in part2 and "二是看市委部署的台账是否建立。" in part2
    assert "紧盯责任落实" not in part2


def test_focus_override_extend(speeches, edition):
    areas = [{"title": "聚焦医保基金监管", "points": ["看定点医疗机构协议管理是否严格"]}]
    s = Speech(edition(variant(CAMPAIGNS / "county-regular.yml", focus={"mode": "extend", "areas": areas})))
    base = speeches["常规"].focus_headings()
    assert s.focus_headings() == base + ["聚焦医保基金监管"]
    n = len(base) + 1
    assert any(h.startswith(f"（{'一二三四五六七八九十'[n - 1]}）聚焦医保基金监管") for h in s.blocks("h3"))


# ---- Wording rules ---------------------------------------------------------------


@pytest.mark.parametrize("kind", list(SAMPLES))
def test_rules_and_sanctions(speeches, kind):
    t = speeches[kind].doc_text
    assert "依照《中国共产党巡视工作条例》有关规定" in t
    assert "第六十二条" in t
    for phrase in ("警告或者严重警告", "撤销党内职务或者留党察看", "开除党籍", "批评教育、组织处理或者纪律处分",
                   "不干预", "不处理具体问题", "不履行执纪审查职责", "个别谈话", "调阅", "列席", "民主测评",
                   "实事求是", "讲真话、讲实话", "对党组织负责", "重点人、重点事、重点问题", "严格保密",
                   "接受各方面的监督"):
        assert phrase in t, phrase
    items = [fold(li.text_content()) for li in speeches[kind].doc.xpath(".//ol/li")]
    assert len(items) == 6
    for key in ("隐瞒不报", "提供有关文件资料", "诬告", "打击、报复", "拒不纠正", "其他干扰"):
        assert any(key in i for i in items), key
    # “只谈事实、不谈认识” may only be the leader's own advice, never a rule.
    assert "按照中央要求" not in t and "规定只谈事实" not in t


@pytest.mark.parametrize("kind", list(SAMPLES))
def test_no_outdated_reference_or_unverified_article(speeches, kind):
    assert wording_problems(speeches[kind].text) == []


@pytest.mark.parametrize("kind", list(SAMPLES))
def test_no_long_run_copied_from_source(speeches, kind):
    assert copied_runs(speeches[kind].text) == []
