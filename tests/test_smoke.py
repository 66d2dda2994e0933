"""The default edition builds and carries the campaign's facts on its home page."""

from conftest import page_text


def test_home_page_has_campaign_at_a_glance(example_site):
    text = page_text(example_site, "index.html")
    for value in ["市委第三巡察组", "市财政局党组", "十二届市委第五轮巡察", "乡村振兴领域专项巡察",
                  "2026年12月1日至12月30日", "共30天", "2026年12月27日", "0800-5551234",
                  "sxc3@example.gov.cn", "市财政局职工食堂入口", "东山区、南河县、西岭县"]:
        assert value in text, value
