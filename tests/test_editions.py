"""`python -m macros.editions`: many editions in one run, isolated, atomic, reproducible.

The command runs as a subprocess, exactly as `make editions` does. One batch builds two
real campaigns plus three broken copies (one fails validation, two fail in the build);
a second run rebuilds one edition into the same folder to prove byte-identical output
and that earlier editions stay listed. Assertions are on the files the command writes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import io
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
CAMPAIGNS = ROOT / "campaigns"
GOOD = [CAMPAIGNS / "example.yml", CAMPAIGNS / "township-mobile.yml"]
# Only text outputs must be reproducible here; .docx (another module) has its own test below.
TEXT_EXT = {".html", ".css", ".js", ".json", ".xml"}


def run_editions(*args, timeout=600) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.pop("SOURCE_DATE_EPOCH", None)  # dates must come from each campaign
    return subprocess.run([sys.executable, "-m", "macros.editions", *map(str, args)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8-sig"))


def write_variant(base: Path, dest: Path, new_id: str, edit) -> Path:
    """A copy of a campaign with another id; `edit(text)` changes the YAML text itself,
    so an unquoted number really reaches the loader as a YAML integer."""
    text = base.read_text(encoding="utf-8-sig")
    text = re.sub(r"(?m)^id: .*$", f"id: {new_id}", text)
    dest.write_text(edit(text), encoding="utf-8")
    return dest


def tree_hashes(folder: Path, exts=TEXT_EXT) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and (exts is None or p.suffix in exts)}


def ids_of(paths):
    return [load(p)["id"] for p in paths]


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """First run: two good campaigns and three broken ones, with old editions of the broken
    ids already in the output folder."""
    base = tmp_path_factory.mktemp("editions-batch")
    src = base / "src"
    src.mkdir()
    out = base / "out"
    out.mkdir()
    # Unquoted digits: YAML reads an integer, the schema wants a string (fails validation).
    bad_phone = write_variant(GOOD[1], src / "bad-phone.yml", "2026-t1-bad-phone",
                              lambda t: re.sub(r'(?m)^  phone: .*$', "  phone: 5551234", t))
    # Valid file, but the unit name leaves a template placeholder in the pages (fails in the build).
    bad_build = write_variant(GOOD[1], src / "bad-build.yml", "2026-t2-bad-build",
                              lambda t: re.sub(r"(?m)^  unit: .*$", "  unit: 第X镇", t))
    # Valid file, but a checklist override names an item that does not exist (macro error).
    bad_drop = write_variant(GOOD[0], src / "bad-drop.yml", "2026-t3-bad-drop",
                             lambda t: t + "checklists:\n  drop: [no-such-item]\n")
    before = {}
    for ident in ("2026-t1-bad-phone", "2026-t2-bad-build", "2026-t3-bad-drop"):
        old = out / ident
        old.mkdir()
        (old / "index.html").write_text(f"<p>旧版本 {ident}</p>", encoding="utf-8")
        (old / "sentinel.txt").write_text("previous edition", encoding="utf-8")
        (out / f"{ident}.zip").write_bytes(b"previous zip " + ident.encode())
        before[ident] = (tree_hashes(old, None), (out / f"{ident}.zip").read_bytes())
    result = run_editions("--out", out, "--jobs", 2, *GOOD, bad_phone, bad_build, bad_drop)
    return {"out": out, "result": result, "before": before, "bad_phone": bad_phone,
            "bad_build": bad_build, "bad_drop": bad_drop, "base": base}


@pytest.fixture(scope="module")
def rerun(batch):
    """Second run into the same folder: only the first campaign, folder marked first so
    we can tell it was really replaced."""
    out = batch["out"]
    ident = load(GOOD[0])["id"]
    first = {"tree": tree_hashes(out / ident), "zip": (out / f"{ident}.zip").read_bytes()}
    (out / ident / "stale-marker.txt").write_text("x", encoding="utf-8")
    result = run_editions("--out", out, "--jobs", 1, GOOD[0])
    return {"first": first, "result": result, "id": ident, "out": out}


def test_good_editions_have_folder_zip_and_index_line(batch):
    out, r = batch["out"], batch["result"]
    index = (out / "index.html").read_text(encoding="utf-8")
    for path, ident in zip(GOOD, ids_of(GOOD)):
        assert f"✓ {ident}" in r.stdout, r.stdout + r.stderr
        assert (out / ident / "index.html").is_file()
        # The edition's own facts are in its pages.
        org = load(path)["inspected"]["org"]
        assert org in (out / ident / "index.html").read_text(encoding="utf-8")
        with zipfile.ZipFile(out / f"{ident}.zip") as zf:
            names = zf.namelist()
        assert f"{ident}/index.html" in names
        assert all(n.startswith(f"{ident}/") for n in names), names[:5]
        assert f'href="{ident}/index.html"' in index
        assert f'href="{ident}.zip"' in index
        assert html.escape(org) in index
    assert "成功 2 个，失败 3 个" in r.stdout


def test_zip_unpacks_to_the_same_site(batch, tmp_path):
    out = batch["out"]
    ident = load(GOOD[1])["id"]
    with zipfile.ZipFile(out / f"{ident}.zip") as zf:
        infos = zf.infolist()
        zf.extractall(tmp_path)
    names = [i.filename for i in infos]
    assert names == sorted(names), "zip entries are not sorted"
    start = load(GOOD[1])["dates"]["start"]
    start = dt.date.fromisoformat(start) if isinstance(start, str) else start
    assert {i.date_time for i in infos} == {(start.year, start.month, start.day, 0, 0, 0)}
    assert {(i.external_attr >> 16) & 0o777 for i in infos} <= {0o644, 0o755}
    assert tree_hashes(tmp_path / ident, None) == tree_hashes(out / ident, None)


def test_index_page_is_self_contained(batch):
    page = (batch["out"] / "index.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex">' in page
    assert '<html lang="zh-CN">' in page
    assert not re.search(r'(?:src|href)\s*=\s*"(?:https?:)?//', page), "index makes an external request"
    # Old folders of failed editions have no manifest entry and are not listed as built.
    assert "2026-t2-bad-build/index.html" not in page


def test_broken_campaigns_are_reported_and_leave_old_editions(batch):
    r, out = batch["result"], batch["out"]
    assert r.returncode != 0
    text = r.stdout + r.stderr
    # Validation failure: the file and the key path.
    assert str(batch["bad_phone"]) in text
    assert "contact.phone" in text
    # Build failure: the file, the leftover and where in the campaign it came from.
    assert str(batch["bad_build"]) in text
    assert "✗ 2026-t2-bad-build" in text
    assert "第X" in text
    assert "inspected.unit" in text
    # Macro failure: the file and the offending override.
    assert str(batch["bad_drop"]) in text
    assert "✗ 2026-t3-bad-drop" in text
    assert "checklists.drop" in text
    for ident, (tree, zipped) in batch["before"].items():
        assert tree_hashes(out / ident, None) == tree, f"{ident}: previous edition was changed"
        assert (out / f"{ident}.zip").read_bytes() == zipped, f"{ident}: previous zip was changed"
    leftovers = [p.name for p in out.iterdir() if p.name.startswith((".tmp-", ".old-"))]
    assert leftovers == [], leftovers


def test_rebuild_is_byte_identical_and_replaces_the_folder(rerun):
    r, out, ident = rerun["result"], rerun["out"], rerun["id"]
    assert r.returncode == 0, r.stdout + r.stderr
    assert not (out / ident / "stale-marker.txt").exists(), "the old folder was not replaced"
    second = tree_hashes(out / ident)
    assert second == rerun["first"]["tree"], sorted(
        k for k in set(second) | set(rerun["first"]["tree"])
        if second.get(k) != rerun["first"]["tree"].get(k))
    with zipfile.ZipFile(out / f"{ident}.zip") as a:
        new = {i.filename: (i.CRC, i.date_time, i.external_attr) for i in a.infolist()}
    with zipfile.ZipFile(io.BytesIO(rerun["first"]["zip"])) as b:
        old = {i.filename: (i.CRC, i.date_time, i.external_attr) for i in b.infolist()}
    assert list(new) == list(old)
    assert [n for n in new if new[n] != old[n]] == []
    # .docx included: the whole zip is byte-identical.
    assert (out / f"{ident}.zip").read_bytes() == rerun["first"]["zip"]


def test_docx_downloads_are_reproducible(rerun):
    """Word files must not carry the build time (core properties, zip entry dates)."""
    out, ident = rerun["out"], rerun["id"]
    docx = sorted((out / ident).rglob("*.docx"))
    assert len(docx) == 3, "both speeches and the announcement come as .docx"
    with zipfile.ZipFile(io.BytesIO(rerun["first"]["zip"])) as old:
        for p in docx:
            rel = f"{ident}/{p.relative_to(out / ident).as_posix()}"
            assert old.read(rel) == p.read_bytes(), f"{rel} differs between two builds"


def test_earlier_editions_stay_listed(rerun):
    out = rerun["out"]
    index = (out / "index.html").read_text(encoding="utf-8")
    manifest = (out / "editions.json").read_text(encoding="utf-8")
    for ident in ids_of(GOOD):
        assert f'href="{ident}/index.html"' in index
        assert f'"id": "{ident}"' in manifest
    assert "成功 1 个，失败 0 个" in rerun["result"].stdout


def test_batch_edition_equals_a_plain_mkdocs_build(edition, tmp_path):
    """An edition built in-process right after another one, in the same worker, equals
    `mkdocs build` on its own (jieba words and plugin state do not leak between editions)."""
    result = run_editions("--out", tmp_path, "--jobs", 1, GOOD[0], GOOD[1])  # one worker, in this order
    assert result.returncode == 0, result.stdout + result.stderr
    ident = load(GOOD[1])["id"]
    alone = edition(GOOD[1])
    a, b = tree_hashes(alone), tree_hashes(tmp_path / ident)
    assert sorted(set(a) ^ set(b)) == [], "files only in one build (search/search_index.js missing " \
        "from `mkdocs build` means the hooks' swap runs before the offline plugin)"
    assert [k for k in a if a[k] != b[k]] == []


def test_check_reports_every_problem_in_every_file_and_builds_nothing(tmp_path):
    one = write_variant(GOOD[0], tmp_path / "one.yml", "2026-c1-one",
                        lambda t: re.sub(r"(?m)^  phone: .*$", "  phone: 5551234", t))
    two = write_variant(GOOD[1], tmp_path / "two.yml", "2026-c2-two",
                        lambda t: re.sub(r"(?m)^  days: .*$", "  days: 0", t)
                        .replace("kind: 机动", "kind: 巡游"))
    out = tmp_path / "out"
    r = run_editions("--check", "--out", out, one, two, GOOD[0])
    assert r.returncode == 1, r.stdout + r.stderr
    for needle in (str(one), "contact.phone", str(two), "dates.days", "kind", f"✓ {GOOD[0]}"):
        assert needle in r.stdout, needle
    assert not out.exists()


def test_duplicate_ids_and_missing_files_fail_before_building(tmp_path):
    dup = write_variant(GOOD[1], tmp_path / "dup.yml", load(GOOD[0])["id"], lambda t: t)
    out = tmp_path / "out"
    r = run_editions("--out", out, GOOD[0], dup)
    assert r.returncode == 2
    assert "重复" in r.stderr and str(dup) in r.stderr
    assert not out.exists()
    missing = tmp_path / "nope.yml"
    r = run_editions("--out", out, GOOD[0], missing)
    assert r.returncode == 2
    assert "不存在" in r.stderr and str(missing) in r.stderr
    assert not out.exists()
