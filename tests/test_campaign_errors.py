"""Bad campaign files stop the build before anything is written, with one Chinese
message naming the file and every problem as a dotted key path; no traceback."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, run_build
from macros import campaign

BAD = sorted((FIXTURES / "bad").glob("*.yml"))


def expected_key(path: Path) -> str:
    m = re.match(r"# expect: ?(.*)", path.read_text(encoding="utf-8").splitlines()[0])
    assert m, f"{path.name} must start with '# expect: <key path>'"
    return m.group(1).strip()


def tree_digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        h.update(str(p.relative_to(folder)).encode())
        if p.is_file():
            h.update(p.read_bytes())
    return h.hexdigest()


@pytest.mark.parametrize("bad", BAD, ids=[p.stem for p in BAD])
def test_loader_names_the_key_path(bad):
    with pytest.raises(campaign.CampaignError) as info:
        campaign.load(bad)
    keys = [k for k, _ in info.value.problems]
    assert expected_key(bad) in keys, info.value.report()
    report = info.value.report()
    assert str(bad) in report and "巡察版本文件有误" in report


@pytest.mark.parametrize("bad", BAD, ids=[p.stem for p in BAD])
def test_build_fails_cleanly_and_leaves_output_untouched(bad, tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("上一版本", encoding="utf-8")
    (out / "keep.txt").write_text("旧文件", encoding="utf-8")
    before = tree_digest(out)
    result = run_build(bad, out)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in output
    assert str(bad) in output
    key = expected_key(bad)
    if key:
        assert f"- {key}：" in output, output
    assert tree_digest(out) == before
    # No half-built folder is left beside it either.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_missing_file_is_reported(tmp_path):
    out = tmp_path / "site"
    result = run_build(tmp_path / "no-such.yml", out)
    assert result.returncode != 0
    assert "文件不存在" in result.stderr + result.stdout
    assert "Traceback" not in result.stderr + result.stdout
    assert not out.exists()


def test_every_problem_is_reported_at_once(tmp_path):
    text = (ROOT / "campaigns" / "example.yml").read_text(encoding="utf-8")
    text = (text.replace('phone: "0800-5551234"', "phone: 01234567")
                .replace("number: 3", "number: 0")
                .replace("kind: 专项", "kind: 综合")
                .replace("email: sxc3@example.gov.cn", "email: 不是邮箱"))
    path = tmp_path / "multi.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(campaign.CampaignError) as info:
        campaign.load(path)
    keys = {k for k, _ in info.value.problems}
    assert {"contact.phone", "group.number", "kind", "contact.email"} <= keys


def test_quoted_phone_with_leading_zero_is_kept_as_typed():
    c = campaign.load(ROOT / "campaigns" / "example.yml")
    assert c.contact.phone == "0800-5551234"


def test_a_bom_is_tolerated():
    c = campaign.load(FIXTURES / "good-bom.yml")
    assert c.id == "2026-bom-test"


def test_failed_build_after_validation_keeps_previous_output(tmp_path):
    """A file that validates but renders a template-pack placeholder fails after the
    pages render; the previous output must survive that too."""
    text = (ROOT / "campaigns" / "example.yml").read_text(encoding="utf-8")
    bad = tmp_path / "leftover.yml"
    bad.write_text(text.replace("unit: 市财政局", "unit: XX局"), encoding="utf-8")
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("上一版本", encoding="utf-8")
    before = tree_digest(out)
    result = run_build(bad, out)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "未替换的占位符" in output and "XX" in output
    assert "Traceback" not in output
    assert tree_digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["leftover.yml", "site"]
