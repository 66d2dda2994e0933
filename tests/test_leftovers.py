"""The leftover scan catches every template-pack placeholder and template residue,
and leaves ordinary text (e-mail addresses, times, fill markers) alone."""

from __future__ import annotations

import pytest

from macros import leftovers


@pytest.mark.parametrize("text", [
    "第X巡察组", "第 X 轮", "X届市委", "为期X天", "组长X同志", "XX局党组", "××单位", "202X年3月",
    "20XX年", "邮箱 X@163.com", "{{ c.unit }}", "{% if %}", "None", "undefined", "签字：________",
    "no such element: dict object['unti']", "第Ｘ巡察组", "xx局", "20xx年", "第x轮", "第N轮",
    "某某单位", "围绕{theme}报送", "['市财政局', '东门']", "True", "O&amp;#x27;Neil",
])
def test_placeholders_are_caught(text):
    assert leftovers.scan(f"<p>前文{text}后文</p>"), text


@pytest.mark.parametrize("text", [
    "联系邮箱 box@example.gov.cn", "受理时间 8:30—18:30", "市委第三巡察组", "Xi 与 XML 无关",
    '<span class="xc-fill">〔待填：本单位主要职责〕</span>', "2026年12月1日",
    "下载 Word 文档（.docx）", "“三资”管理", "O&#39;Neil",
])
def test_ordinary_text_passes(text):
    assert not leftovers.scan(f"<p>{text}</p>"), text


def test_script_and_attributes_are_not_visible_text():
    html = '<script>var x = "{{ y }}";</script><input placeholder="XX"><p>正文</p>'
    assert leftovers.scan(html) == []


def test_entities_are_decoded_before_scanning():
    assert leftovers.scan("<p>&#123;&#123; c.unit }}</p>")


def test_context_names_the_surroundings():
    [(found, ctx)] = leftovers.scan("<p>经研究决定，第X巡察组将于近日进驻。</p>")
    assert found == "第X" and "巡察组将于" in ctx
