"""The committed JSON Schema matches the pydantic models; derived values are right."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import CAMPAIGNS, ROOT
from macros import campaign, cn, schema


def test_committed_schema_is_current():
    committed = schema.SCHEMA_PATH.read_text(encoding="utf-8")
    assert committed == schema.schema_text(), "run `make schema` and commit campaigns/campaign.schema.json"


@pytest.mark.parametrize("path", CAMPAIGNS, ids=[p.stem for p in CAMPAIGNS])
def test_campaign_files_reference_the_schema(path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=campaign.schema.json"


@pytest.mark.parametrize("n,text", [(1, "一"), (3, "三"), (10, "十"), (11, "十一"), (12, "十二"),
                                    (20, "二十"), (35, "三十五"), (99, "九十九"), (100, "一百"),
                                    (105, "一百零五"), (110, "一百一十")])
def test_numerals(n, text):
    assert cn.numeral(n) == text


def test_dates_have_no_leading_zeros():
    assert cn.date(dt.date(2026, 3, 5)) == "2026年3月5日"
    assert cn.date_range(dt.date(2026, 12, 1), dt.date(2026, 12, 30)) == "2026年12月1日至12月30日"
    assert cn.date_range(dt.date(2026, 12, 20), dt.date(2027, 1, 18)) == "2026年12月20日至2027年1月18日"


def test_derived_values_of_the_example():
    c = campaign.load(ROOT / "campaigns" / "example.yml")
    v = campaign.context(c)
    assert v.group.name == "市委第三巡察组"
    assert v.round_label == "十二届市委第五轮巡察"
    assert v.dates.end == "2026年12月30日"  # 30 days counted inclusively
    assert v.dates.deadline == "2026年12月27日"  # 3 days before the end
    assert v.we == "我局" and v.all_staff == "全局干部职工"
    assert v.group.leader_ref == "王立新同志"


def test_leader_absent_gives_office_only():
    c = campaign.load(ROOT / "campaigns" / "township-mobile.yml")
    v = campaign.context(c)
    assert v.group.leader_ref == "组长" and v.group.leader == ""


def test_values_are_escaped():
    assert campaign.esc("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert "*" not in campaign.esc("*强调*") and "_" not in campaign.esc("a_b")
    # One pass per character: an apostrophe or ampersand is escaped once, never twice.
    assert campaign.esc("O'Neil & #1") == "O&#39;Neil &amp; &#35;1"


def test_css_strings_keep_the_space_after_an_escape():
    assert campaign.css_string("内部 (注意) 保存") == "内部 \\000028 注意\\000029  保存"


def test_channels_list_only_what_the_campaign_gives():
    plain = campaign.values(campaign.load(ROOT / "campaigns" / "county-regular.yml"))
    assert [ch.label for ch in plain.channels] == ["联系电话", "电子邮箱", "意见箱", "来访接待"]
    full = campaign.values(campaign.load(ROOT / "campaigns" / "escalated.yml"))
    assert [ch.label for ch in full.channels] == ["联系电话", "短信", "电子邮箱", "意见箱"]
    assert full.channels[0].value == "0800-5556101（工作日8:30—17:30）"
