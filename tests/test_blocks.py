"""Due dates are computed from the campaign's dates; fill markers and tools escape text."""

from __future__ import annotations

import pytest

from conftest import ROOT
from macros import blocks, campaign, state


@pytest.fixture()
def example():
    path = ROOT / "campaigns" / "example.yml"
    state.begin(campaign.load(path), path)  # start 2026-12-01, 30 days → end 2026-12-30
    yield
    state.current = None


@pytest.mark.parametrize("rule,text", [
    ("start-2", "进驻前2日（2026年11月29日）"),
    ("start", "进驻当日（2026年12月1日）"),
    ("start+3", "进驻后3日内（2026年12月4日）"),
    ("during", "驻点期间（2026年12月1日至12月30日）"),
    ("end", "驻点结束前（2026年12月30日）"),
    ("deadline", "受理截止前（2026年12月27日）"),
    ("notice", "收到通知当日（2026年11月21日）"),
    ("feedback+30", "反馈后30日内（2027年2月28日）"),
])
def test_due(example, rule, text):
    assert blocks.due(rule) == text


def test_bad_rule_is_an_error(example):
    with pytest.raises(ValueError):
        blocks.due("进驻前两天")


def test_fill_escapes_its_hint():
    html = blocks.fill("<b>本单位</b>")
    assert 'class="xc-fill"' in html and "<b>" not in html


def test_print_tools_links_the_docx():
    html = blocks.print_tools("leader-opening.docx")
    assert 'href="leader-opening.docx"' in html and "data-xc-print" in html
    assert "href" not in blocks.print_tools()
