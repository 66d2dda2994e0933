"""The inspected unit's pledge speech (speeches/unit-pledge.html), checked on built editions.

Every campaign in campaigns/ is built, plus variants that remove or add optional values
(no group leader, no linked units, no previous round, extra channels, a named speaker,
a spring-2026 start). Expected values come from each campaign's own data, never from
literals, so the checks follow whatever the campaign files say.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import sys

import pytest
from lxml import html as lh

from conftest import ROOT, campaign_cases, copied_runs, resolve_case, wording_problems

sys.path.insert(0, str(ROOT))
from macros.campaign import context  # noqa: E402
from macros.schema import Campaign  # noqa: E402

PAGE = "speeches/unit-pledge.html"

CASES = campaign_cases('example-bare', 'mobile-all-channels', 'lookback-no-previous', 'county-spring-2026')



@pytest.fixture(params=CASES, scope="module")
def built(request, edition):
    """(site folder, campaign data) for one campaign or variant."""
    return resolve_case(edition, request.param)


def unesc(v: str) -> str:
    return html.unescape(v)


def facts(data: dict):
    """The template context for this campaign, unescaped to plain text."""
    return context(Campaign.model_validate(data))


def doc_node(site):
    tree = lh.fromstring((site / PAGE).read_text(encoding="utf-8"))
    docs = tree.xpath('//div[contains(concat(" ", normalize-space(@class), " "), " xc-doc ")]')
    assert len(docs) == 1, "the page must hold exactly one .xc-doc speech"
    return tree, docs[0]


def text_of(node) -> str:
    return "".join(node.text_content().split())


def han(s: str) -> str:
    return "".join(re.findall(r"[\u3400-\u4dbf\u4e00-\u9fff]", s))


def start_of(data) -> dt.date:
    return data["dates"]["start"]


def test_speech_shape(built):
    """The .docx exporter and print CSS rely on h1, author, date, h2 sections, plain paragraphs."""
    site, data = built
    c = facts(data)
    _, doc = doc_node(site)
    kids = [k for k in doc if isinstance(k.tag, str)]
    assert kids[0].tag == "h1"
    assert kids[1].tag == "p" and kids[1].get("class") == "xc-doc-author"
    assert kids[2].tag == "p" and kids[2].get("class") == "xc-doc-date"
    assert text_of(kids[2]) == f"（{unesc(c.dates.start)}）"
    title = text_of(kids[0])
    assert unesc(c.group.name) in title and unesc(c.inspected.org) in title and title.endswith("表态发言")
    h2 = [text_of(h) for h in doc.xpath("./h2")]
    assert [h[:2] for h in h2] == ["一、", "二、", "三、", "四、"], h2
    assert text_of(kids[3]).startswith(f"尊敬的{unesc(c.group.name)}")
    assert text_of(kids[-1]) == "谢谢大家！"


def test_campaign_facts_in_speech(built):
    site, data = built
    c = facts(data)
    _, doc = doc_node(site)
    text = text_of(doc)
    author = text_of(doc.xpath('./p[@class="xc-doc-author"]')[0])
    assert unesc(c.inspected.leader_title) in author
    if c.inspected.leader_name:
        assert author.endswith(unesc(c.inspected.leader_name))
    # A title that starts with the unit's own word must not be doubled (河湾镇镇党委书记).
    assert unesc(c.inspected.unit + c.inspected.self) + "党" not in author
    for value in [c.group.name, c.inspected.org, c.we, c.all_staff, c.round_label, c.kind_label,
                  c.contact.phone, c.contact.email, c.dates.deadline, *c.contact.mailboxes]:
        assert "".join(unesc(value).split()) in text, value
    if c.linked:
        assert unesc(c.linked_text) in text
    else:
        assert "上下联动" not in text
    if c.kind == "回头看":
        assert (unesc(c.previous) if c.previous else "上次巡察") in text
    if c.theme and c.kind in ("专项", "机动", "提级"):
        assert unesc(c.theme) in text


def test_long_enough(built):
    """At least 1,500 Han characters of speech, not counting the fill hints."""
    site, _ = built
    _, doc = doc_node(site)
    for span in doc.xpath('.//span[contains(@class,"xc-fill")]'):
        span.drop_tree()
    assert len(han(doc.text_content())) >= 1500


def test_fills_are_marked(built):
    """Unit-specific facts are fill markers, never invented: every 〔待填 sits in a span.xc-fill."""
    site, _ = built
    _, doc = doc_node(site)
    spans = doc.xpath('.//span[contains(concat(" ", normalize-space(@class), " "), " xc-fill ")]')
    assert len(spans) >= 2
    assert doc.text_content().count("〔待填") == len(spans)
    for s in spans:
        assert re.fullmatch(r"〔待填：[^〔〕]{2,}〕", s.text_content()), s.text_content()


def test_tongzhi_only_after_a_name(built):
    """“同志” (other than 同志们) only ever follows a real name: no “组长同志” when the name is absent."""
    site, data = built
    tree, doc = doc_node(site)
    names = [n for n in (data["group"].get("leader"), data["inspected"].get("leader_name")) if n]
    article = text_of(tree.xpath("//article")[0])
    for m in re.finditer(r"同志(?!们)", article):
        before = article[: m.start()]
        assert any(before.endswith(n) for n in names), article[max(0, m.start() - 12): m.end()]
    if data["group"].get("leader"):
        assert f"{data['group']['leader']}同志" in text_of(doc)


def test_no_outdated_reference(built):
    site, _ = built
    tree, _ = doc_node(site)
    text = text_of(tree.xpath("//article")[0])
    assert wording_problems(text) == []


def test_political_references_match_the_date(built):
    """Campaign-of-the-year wording must be true on the day the speech is given."""
    site, data = built
    _, doc = doc_node(site)
    text = text_of(doc)
    start = start_of(data)
    ongoing = start.year == 2026 and 3 <= start.month <= 7
    assert ("正在开展的树立和践行正确政绩观学习教育" in text) == ongoing
    assert "正确政绩观" in text
    if start.year == 2026:
        assert "“十五五”开好局" in text
    else:
        assert "开好局" not in text
    if start >= dt.date(2027, 10, 1):
        assert "二十大" not in text


def test_not_copied_from_source(built):
    """No run of 30 Han characters shared with the source speeches (punctuation ignored)."""
    site, _ = built
    _, doc = doc_node(site)
    assert copied_runs(doc.text_content()) == []


def test_usage_note(built):
    """The note outside the speech names the speaker and says: adapt, fill, sign, hand over."""
    site, data = built
    c = facts(data)
    tree, doc = doc_node(site)
    notes = tree.xpath('//div[contains(@class,"admonition") and contains(@class,"xc-usage")]')
    assert len(notes) == 1
    note = text_of(notes[0])
    assert unesc(c.inspected.leader_title) in note
    for word in ("待填", "签字", "存档", "形式主义"):
        assert word in note, word
    # The note is not part of the printed speech.
    assert not doc.xpath('.//div[contains(@class,"admonition")]')
    assert tree.xpath('//a[contains(@class,"xc-docx") and @href="unit-pledge.docx"]')
