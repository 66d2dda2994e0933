"""The inspection announcement (notices/announcement.html), checked on built editions.

Every campaign in campaigns/ is built, plus the variants shared with test_pledge.py
(optional channels removed or added, no previous round, a different start date).
Expected values come from each campaign's data, never from literals.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
import sys

import pytest
from lxml import html as lh

from conftest import ROOT, campaign_cases, copied_runs, resolve_case, wording_problems

sys.path.insert(0, str(ROOT))
from macros.campaign import context, dates_of  # noqa: E402
from macros.schema import Campaign  # noqa: E402

PAGE = "notices/announcement.html"
CASES = campaign_cases('example-bare', 'mobile-all-channels', 'lookback-no-previous', 'county-spring-2026')
DISCIPLINES = ["政治纪律", "组织纪律", "廉洁纪律", "群众纪律", "工作纪律", "生活纪律"]


@pytest.fixture(params=CASES, scope="module")
def built(request, edition):
    return resolve_case(edition, request.param)


def model(data):
    return Campaign.model_validate(data)


def plain(v: str) -> str:
    return "".join(html.unescape(v).split())


def notice(site):
    tree = lh.fromstring((site / PAGE).read_text(encoding="utf-8"))
    docs = tree.xpath('//div[contains(concat(" ", normalize-space(@class), " "), " xc-doc--notice ")]')
    assert len(docs) == 1
    return tree, docs[0]


def text_of(node) -> str:
    return "".join(node.text_content().split())


def test_every_element_of_a_notice(built):
    site, data = built
    c = context(model(data))
    _, doc = notice(site)
    text = text_of(doc)
    first = [k for k in doc if isinstance(k.tag, str)][0]
    assert first.tag == "h1" and plain(c.group.name) in text_of(first) and text_of(first).endswith("公告")
    for value in [c.committee.short + "统一部署", "《中国共产党巡视工作条例》", c.round_label, c.group.name,
                  c.inspected.org, c.kind_label, c.dates.range, f"为期{c.dates.days}天",
                  c.contact.phone, c.contact.hours, c.contact.email, *c.contact.mailboxes,
                  "受理截止", c.dates.deadline]:
        assert plain(value) in text, value
    for word in DISCIPLINES:
        assert word in text, word
    for word in ("领导班子及其成员", "下一级党组织", "重要岗位", "个人诉求", "涉法涉诉", "转交有关部门"):
        assert word in text, word
    if c.kind == "回头看":
        assert "整改" in text and (plain(c.previous) if c.previous else "上次巡察") in text
    if c.theme:
        assert plain(c.theme) in text
    assert not doc.xpath('.//span[contains(@class,"xc-fill")]'), "a public notice has nothing left to fill"


def test_optional_channels_only_when_given(built):
    site, data = built
    c = context(model(data))
    _, doc = notice(site)
    items = [text_of(li) for li in doc.xpath(".//li")]
    for key, label in (("sms", "短信"), ("post_box", "邮政信箱"), ("reception", "来访接待")):
        value = c.contact[key]
        found = [i for i in items if i.startswith(label)]
        if value:
            assert found == [f"{label}：{plain(value)}"], found
        else:
            assert not found, found


def test_no_date_after_the_end(built):
    """Nothing in the notice may point past the last day of the inspection."""
    site, data = built
    end = dates_of(model(data))["end"]
    # Independent of the app: the end is the start plus days − 1.
    assert end == data["dates"]["start"] + dt.timedelta(days=data["dates"]["days"] - 1)
    tree, doc = notice(site)
    text = text_of(tree.xpath("//article")[0])
    found = [dt.date(int(y), int(m), int(d)) for y, m, d in re.findall(r"(\d{4})年(\d{1,2})月(\d{1,2})日", text)]
    assert found
    assert max(found) <= end, [str(x) for x in found]
    deadline = dates_of(model(data))["deadline"]
    assert data["dates"]["start"] <= deadline <= end


def test_signature(built):
    site, data = built
    c = context(model(data))
    _, doc = notice(site)
    kids = [k for k in doc if isinstance(k.tag, str)]
    sign, date = kids[-2], kids[-1]
    assert sign.get("class") == "xc-doc-sign" and date.get("class") == "xc-doc-sign"
    who = text_of(sign)
    assert who.startswith(plain(c.committee.name)) and who.endswith("巡察组")
    # The full name: committee name + the group's own part, never the short form twice.
    assert plain(c.committee.short) + plain(c.committee.short) not in who
    assert f"第{c.group.number_cn}" in who
    assert text_of(date) == plain(c.dates.start)


def test_fits_one_a4_page(built):
    """A line budget for one A4 page (GB/T 9704 type area 156 × 225 mm).

    A notice does not fit at the 3号 / 22-line grid of speeches, so print CSS sets
    `.xc-doc--notice` at 4号 (14 pt) with 22 pt leading: 31 CJK characters a line and
    29 lines a page (checked with Chromium: the longest sample notice prints on one sheet).
    Model: the title takes 20 characters a line at 1.6 body lines each plus a blank line;
    a paragraph's first line is indented 2 characters, a list item 2 characters throughout.
    Keep 2 lines spare, so a campaign with many channels fails here before it fails on paper.
    """
    site, _ = built
    _, doc = notice(site)

    def width(s):
        return sum(1 if ord(ch) > 0x2E7F else 0.5 for ch in s)

    lines = 0.0
    for el in doc.iter("h1", "p", "li"):
        t = " ".join(el.text_content().split())
        if el.tag == "h1":
            lines += math.ceil(width(t) / 20) * 1.6 + 1
        elif el.tag == "li":
            lines += math.ceil(width(t) / 29)
        elif el.get("class") == "xc-doc-sign":
            lines += 1
        else:
            lines += math.ceil((width(t) + 2) / 31)
    lines += 1  # blank line above the signature
    assert lines <= 27, f"notice needs about {lines:.1f} lines at 4号; shorten it"


def test_wording_is_current_and_own(built):
    site, _ = built
    tree, doc = notice(site)
    text = text_of(tree.xpath("//article")[0])
    assert wording_problems(text) == []
    assert copied_runs(doc.text_content()) == []


def test_usage_note(built):
    site, data = built
    c = context(model(data))
    tree, doc = notice(site)
    notes = tree.xpath('//div[contains(@class,"admonition") and contains(@class,"xc-usage")]')
    assert len(notes) == 1
    note = text_of(notes[0])
    for word in ("A4", "醒目", "监控", plain(c.dates.start)):
        assert word in note, word
    assert not doc.xpath('.//div[contains(@class,"admonition")]')
    assert tree.xpath('//a[contains(@class,"xc-docx") and @href="announcement.docx"]')
