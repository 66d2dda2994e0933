"""Focus areas of the leader's speech: data file validation, placeholders, escaping, overrides."""

from __future__ import annotations

import sys

import pytest

from conftest import ROOT, variant

sys.path.insert(0, str(ROOT))
from macros import cn, focus  # noqa: E402
from macros.schema import KINDS, Campaign  # noqa: E402

CAMPAIGNS = ROOT / "campaigns"


def campaign(file: str = "example.yml", **changes) -> Campaign:
    return Campaign.model_validate(variant(CAMPAIGNS / file, **changes))


def all_text(areas) -> str:
    return "".join(a.title + a.lead + "".join(a.points) for a in areas)


def test_data_file_covers_every_kind():
    data = focus.load_data()
    assert set(data) == set(KINDS)
    for kind, kd in data.items():
        assert len(kd.areas) >= 2, kind
        for a in kd.areas:
            assert len(a.points) >= 2, (kind, a.title)


@pytest.mark.parametrize("file", sorted(p.name for p in CAMPAIGNS.glob("*.yml")))
def test_placeholders_are_filled_for_every_sample(file):
    c = campaign(file)
    areas = focus.areas_for(c)
    text = all_text(areas)
    assert "{" not in text and "}" not in text
    # Ordinals follow the list; every spoken point starts “一是/二是…” and ends with a full stop.
    assert [a.ordinal for a in areas][:3] == ["一", "二", "三"][:len(areas)]
    for a in areas:
        for i, line in enumerate(a.numbered, start=1):
            assert line.startswith(("一是", "二是", "三是", "四是", "五是", "六是")[i - 1])
            assert line.endswith("。")


def test_special_kind_uses_the_theme_and_five_areas():
    areas = focus.areas_for(campaign("example.yml", theme="医保基金"))
    assert [a.title for a in areas] == ["紧盯责任落实", "紧盯政策落实", "紧盯整改落实", "紧盯干部作风", "紧盯腐败问题"]
    text = all_text(areas)
    assert text.count("医保基金") >= 5
    assert "乡村振兴" not in text


def test_regular_kind_uses_the_four_implementations():
    titles = [a.title for a in focus.areas_for(campaign("county-regular.yml"))]
    assert len(titles) == 4
    for key in ("路线方针政策", "全面从严治党", "组织路线", "整改"):
        assert any(key in t for t in titles), key
    assert "县委巡察" in all_text(focus.areas_for(campaign("county-regular.yml")))


def test_mobile_kind_falls_back_when_no_theme():
    with_theme = all_text(focus.areas_for(campaign("township-mobile.yml")))
    without = all_text(focus.areas_for(campaign("township-mobile.yml", theme=None)))
    fallback = focus.load_data()["机动"].fallback["theme"]
    assert "农村集体“三资”管理" in with_theme and fallback not in with_theme
    assert fallback in without


def test_lookback_names_the_previous_round_or_a_default():
    named = all_text(focus.areas_for(campaign("lookback.yml")))
    assert "十二届市委第二轮巡察" in named
    unnamed = all_text(focus.areas_for(campaign("lookback.yml", previous=None)))
    assert "十二届市委第二轮巡察" not in unnamed and focus.DEFAULTS["previous"] in unnamed


def test_values_are_escaped_after_filling():
    areas = focus.areas_for(campaign("example.yml", theme="<b>医保</b>基金*"))
    text = all_text(areas)
    assert "<b>" not in text and "&lt;b&gt;医保&lt;/b&gt;基金&#42;" in text


def test_override_replace():
    c = campaign("example.yml", focus={"mode": "replace", "areas": [
        {"title": "聚焦乡村振兴领域资金拨付，", "points": ["看资金是否按时拨付到位；", "看市委部署的台账是否建立"]},
    ]})
    areas = focus.areas_for(c)
    assert len(areas) == 1
    a = areas[0]
    assert (a.ordinal, a.title, a.lead) == ("一", "聚焦乡村振兴领域资金拨付", "")
    assert a.numbered == ("一是看资金是否按时拨付到位。", "二是看市委部署的台账是否建立。")


def test_override_placeholders_are_refused():
    """A campaign writes its own focus in words; {theme}-style placeholders are for data files."""
    import pydantic

    with pytest.raises(pydantic.ValidationError):
        campaign("example.yml", focus={"mode": "replace", "areas": [{"title": "聚焦{theme}", "points": []}]})


def test_override_extend_keeps_kind_areas_and_continues_numbering():
    base = focus.areas_for(campaign("county-regular.yml"))
    c = campaign("county-regular.yml", focus={"mode": "extend", "areas": [
        {"title": "聚焦校园食品安全", "points": ["看“校园餐”管理是否规范"]},
    ]})
    areas = focus.areas_for(c)
    assert [a.title for a in areas[:-1]] == [a.title for a in base]
    assert areas[-1].ordinal == cn.numeral(len(base) + 1)
    assert areas[-1].numbered == ("一是看“校园餐”管理是否规范。",)


def test_bad_data_file_is_reported(tmp_path):
    bad = tmp_path / "focus.yml"
    bad.write_text("常规:\n  areas:\n    - title: 聚焦某事\n      points:\n        - 看{themes}是否落实\n", encoding="utf-8")
    with pytest.raises(focus.FocusDataError) as e:
        focus.load_data(bad)
    msg = str(e.value)
    assert "专项" in msg and "回头看" in msg  # missing kinds are listed
    assert "{themes}" in msg                 # unknown placeholder is named
