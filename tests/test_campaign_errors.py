"""Bad campaign files stop the build before anything is written, with a Chinese message
naming the file and every problem as a key path; no traceback.

Each file in tests/fixtures/bad/ starts with `# expect: <key path>` (empty for a problem
of the whole file) and has exactly that one problem: the loader must name it, and so
must both commands, `mkdocs build` and `python -m macros.editions`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, run_build
from macros import campaign, output

BAD = sorted((FIXTURES / "bad").glob("*.yml"))
HAN = re.compile(r"[\u4e00-\u9fff]")


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
    """The loader refuses the file with exactly its one problem, at its key path, in Chinese."""
    with pytest.raises(campaign.CampaignError) as info:
        campaign.load(bad)
    keys = [k for k, _ in info.value.problems]
    assert keys == [expected_key(bad)], info.value.report()
    report = info.value.report()
    assert report.startswith(f"巡察版本文件有误：{bad}")
    for _, msg in info.value.problems:
        assert HAN.search(msg), msg
        assert not re.search(r"[A-Za-z]{4,} [a-z]{3,} [a-z]{3,}", msg), f"English in the message: {msg}"


def test_fixture_ids_are_distinct():
    """One id per fixture, so that the batch (which refuses two files with one id) reports
    each file's own problem."""
    ids = [m.group(1) for p in BAD for m in [re.search(r"(?m)^id: (.*)$", p.read_text(encoding="utf-8"))] if m]
    assert len(ids) == len(set(ids))


@pytest.mark.subprocess
def test_the_batch_reports_every_bad_file_and_writes_nothing(tmp_path):
    """All the bad files through `python -m macros.editions`: each named with its key path,
    a non-zero exit, no traceback, and no output folder created."""
    out = tmp_path / "out"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    r = subprocess.run([sys.executable, "-m", "macros.editions", "--out", str(out), *map(str, BAD)], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=300)
    text = r.stdout + r.stderr
    assert r.returncode == 1, text
    assert "Traceback" not in text
    blocks = re.split(r"(?m)^✗ ", text)
    for bad in BAD:
        mine = [b for b in blocks if b.startswith(f"{bad}  ")]
        assert len(mine) == 1, bad
        key = expected_key(bad)
        assert f"- {key or '（文件）'}：" in mine[0], mine[0]
    assert f"成功 0 个，失败 {len(BAD)} 个" in text
    assert not out.exists()


@pytest.mark.subprocess
@pytest.mark.parametrize("name", ["not-yaml", "unknown-key", "empty", "bidi-control"])
def test_mkdocs_build_fails_cleanly_and_leaves_output_untouched(name, tmp_path):
    """`mkdocs build` with a bad file (syntax, an unknown key, an empty file, an invisible
    character): a non-zero exit, the file and key path in Chinese, no traceback, the
    previous edition unchanged and no half-built folder beside it."""
    bad = FIXTURES / "bad" / f"{name}.yml"
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("上一版本", encoding="utf-8")
    output.write_marker(out, "previous")
    before = tree_digest(out)
    result = run_build(bad, out)
    text = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in text
    assert str(bad) in text and "巡察版本文件有误" in text
    assert f"- {expected_key(bad) or '（文件）'}：" in text, text
    assert tree_digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


@pytest.mark.subprocess
def test_missing_file_is_reported(tmp_path):
    """CAMPAIGN naming a file that does not exist: said in Chinese, nothing written."""
    out = tmp_path / "site"
    result = run_build(tmp_path / "no-such.yml", out)
    assert result.returncode != 0
    assert "文件不存在" in result.stderr + result.stdout
    assert "Traceback" not in result.stderr + result.stdout
    assert not out.exists()


def test_every_problem_is_reported_at_once(tmp_path):
    """Four mistakes in one file: all four key paths in one report."""
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
    """A quoted phone number keeps its leading zero."""
    c = campaign.load(ROOT / "campaigns" / "example.yml")
    assert c.contact.phone == "0800-5551234"


def test_a_bom_is_tolerated():
    """A file saved by a Windows editor with a byte-order mark loads."""
    c = campaign.load(FIXTURES / "good-bom.yml")
    assert c.id == "2026-bom-test"


@pytest.fixture
def built():
    """`build_site(edition, folder)`: a whole build in this process, through the same
    hooks as `mkdocs build` (the fixture's name marks the test as a build)."""
    from macros import pipeline

    return pipeline.build_site


def test_failed_build_after_validation_keeps_previous_output(tmp_path, built):
    """A file that validates but leaves a template placeholder (a unit named XX局) fails
    after the pages render, naming the campaign value it came from; the previous edition
    survives and no temporary folder stays."""
    from macros import edition, pipeline

    text = (ROOT / "campaigns" / "example.yml").read_text(encoding="utf-8")
    bad = tmp_path / "leftover.yml"
    bad.write_text(text.replace("unit: 市财政局", "unit: XX局"), encoding="utf-8")
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("上一版本", encoding="utf-8")
    output.write_marker(out, "previous")
    before = tree_digest(out)
    with pytest.raises(pipeline.BuildFailure) as info:
        built(edition.from_file(bad), out)
    message = str(info.value)
    assert "未替换的占位符" in message and "XX" in message and "inspected.unit" in message
    assert tree_digest(out) == before
    assert json.loads((out / output.MARKER).read_text(encoding="utf-8"))["edition"] == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["leftover.yml", "site"]
