"""`python -m macros.editions`: many editions in one run, isolated, atomic, reproducible.

The command runs as a subprocess, as `make editions` does. One batch builds two real
campaigns and three broken copies (one fails validation, one fails in the build, one names
a checklist item that does not exist) into a folder that already holds earlier editions of
the broken ids; a second run rebuilds one edition into the same folder, to prove
byte-identical output and that earlier editions stay listed. Assertions are on the files
the command writes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, load_yaml, shared_once

CAMPAIGNS = ROOT / "campaigns"
GOOD = [CAMPAIGNS / "example.yml", CAMPAIGNS / "township-mobile.yml"]
BROKEN_IDS = ("2026-t1-bad-phone", "2026-t2-bad-build", "2026-t3-bad-drop")
MARKER = ".xc-edition.json"


def run_editions(*args, timeout=600) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.pop("SOURCE_DATE_EPOCH", None)  # dates must come from each campaign
    return subprocess.run([sys.executable, "-m", "macros.editions", *map(str, args)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)


def write_variant(base: Path, dest: Path, new_id: str, edit) -> Path:
    """A copy of a campaign with another id; `edit(text)` changes the YAML text itself,
    so an unquoted number really reaches the loader as a YAML integer."""
    text = base.read_text(encoding="utf-8-sig")
    text = re.sub(r"(?m)^id: .*$", f"id: {new_id}", text)
    dest.write_text(edit(text), encoding="utf-8")
    return dest


def tree_hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def ids_of(paths):
    return [load_yaml(p)["id"] for p in paths]


def old_edition(out: Path, ident: str) -> None:
    """An earlier edition of `ident` as a previous run left it: its folder (with the
    edition marker), its zip and its line in the manifest."""
    folder = out / ident
    folder.mkdir(parents=True)
    (folder / "index.html").write_text(f"<p>旧版本 {ident}</p>", encoding="utf-8")
    (folder / "sentinel.txt").write_text("previous edition", encoding="utf-8")
    (folder / MARKER).write_text(json.dumps({"edition": ident, "documents": []}), encoding="utf-8")
    (out / f"{ident}.zip").write_bytes(b"previous zip " + ident.encode())


def _two_runs(base: Path) -> dict:
    """First run (one worker, files in this order): two good campaigns and three broken
    ones, with earlier editions of the broken ids already in the output folder. Second
    run: only the first campaign again, its folder marked first so we can tell it was
    really replaced."""
    src = base / "src"
    src.mkdir()
    out = base / "out"
    out.mkdir()
    # Unquoted digits: YAML reads an integer, the schema wants a string (fails validation).
    bad_phone = write_variant(GOOD[1], src / "bad-phone.yml", BROKEN_IDS[0],
                              lambda t: re.sub(r'(?m)^  phone: .*$', "  phone: 5551234", t))
    # Valid file, but the unit's name is a template placeholder (第X镇): fails after rendering.
    bad_build = write_variant(GOOD[1], src / "bad-build.yml", BROKEN_IDS[1],
                              lambda t: re.sub(r"(?m)^  unit: .*$", "  unit: 第X镇", t))
    # Valid file, but a checklist override names an item that does not exist.
    bad_drop = write_variant(GOOD[0], src / "bad-drop.yml", BROKEN_IDS[2],
                             lambda t: t + "checklists:\n  drop: [no-such-item]\n")
    for ident in BROKEN_IDS:
        old_edition(out, ident)
    manifest = {"generator": "xc-editions", "editions": [
        {"id": i, "org": "旧单位", "group": "旧组", "round": "旧轮次", "start": "2026-01-05", "end": "2026-02-03"}
        for i in BROKEN_IDS]}
    (out / "editions.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    before = {i: [tree_hashes(out / i), (out / f"{i}.zip").read_bytes().hex()] for i in BROKEN_IDS}
    first = run_editions("--out", out, "--jobs", 1, *GOOD, bad_phone, bad_build, bad_drop)

    ident = load_yaml(GOOD[0])["id"]
    first_tree = tree_hashes(out / ident)
    shutil.copy2(out / f"{ident}.zip", base / "first.zip")
    (out / ident / "stale-marker.txt").write_text("x", encoding="utf-8")
    second = run_editions("--out", out, "--jobs", 1, GOOD[0])
    return {"out": str(out), "before": before, "bad_phone": str(bad_phone), "bad_build": str(bad_build),
            "bad_drop": str(bad_drop), "first": [first.returncode, first.stdout, first.stderr],
            "second": [second.returncode, second.stdout, second.stderr], "first_tree": first_tree,
            "first_zip": str(base / "first.zip"), "id": ident}


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """The first run's output and report (the folder as both runs left it; the second
    rebuilds only GOOD[0], byte-identically)."""
    d = shared_once(tmp_path_factory, "editions", _two_runs)
    return {"out": Path(d["out"]), "result": subprocess.CompletedProcess([], *d["first"]),
            "before": {i: (t, bytes.fromhex(z)) for i, (t, z) in d["before"].items()},
            **{k: Path(d[k]) for k in ("bad_phone", "bad_build", "bad_drop")}}


@pytest.fixture(scope="module")
def rerun(tmp_path_factory):
    """The second run: GOOD[0] rebuilt into the same folder."""
    d = shared_once(tmp_path_factory, "editions", _two_runs)
    return {"first": {"tree": d["first_tree"], "zip": Path(d["first_zip"]).read_bytes()},
            "result": subprocess.CompletedProcess([], *d["second"]), "id": d["id"], "out": Path(d["out"])}


def test_good_editions_have_folder_zip_and_index_line(batch):
    """Each good campaign: its folder with its own facts, a zip with one top folder, and
    its line (link, zip, organisation) in the index."""
    out, r = batch["out"], batch["result"]
    index = (out / "index.html").read_text(encoding="utf-8")
    for path, ident in zip(GOOD, ids_of(GOOD)):
        assert f"✓ {ident}" in r.stdout, r.stdout + r.stderr
        org = load_yaml(path)["inspected"]["org"]
        assert org in (out / ident / "index.html").read_text(encoding="utf-8")
        assert json.loads((out / ident / MARKER).read_text(encoding="utf-8"))["edition"] == ident
        with zipfile.ZipFile(out / f"{ident}.zip") as zf:
            names = zf.namelist()
        assert f"{ident}/index.html" in names
        assert all(n.startswith(f"{ident}/") for n in names), names[:5]
        assert f'href="{ident}/index.html"' in index
        assert f'href="{ident}.zip"' in index
        assert html.escape(org) in index
    assert "成功 2 个，失败 3 个" in r.stdout


def test_zip_unpacks_to_the_same_site(batch, tmp_path):
    """The zip holds the folder exactly, sorted, dated the campaign's first day on site,
    with plain permissions."""
    out = batch["out"]
    ident = load_yaml(GOOD[1])["id"]
    with zipfile.ZipFile(out / f"{ident}.zip") as zf:
        infos = zf.infolist()
        zf.extractall(tmp_path)
    names = [i.filename for i in infos]
    assert names == sorted(names), "zip entries are not sorted"
    start = load_yaml(GOOD[1])["dates"]["start"]
    start = dt.date.fromisoformat(start) if isinstance(start, str) else start
    assert {i.date_time for i in infos} == {(start.year, start.month, start.day, 0, 0, 0)}
    assert {(i.external_attr >> 16) & 0o777 for i in infos} <= {0o644, 0o755}
    assert tree_hashes(tmp_path / ident) == tree_hashes(out / ident)


def test_index_page_is_self_contained(batch):
    """The index makes no request outside itself and is not for search engines."""
    page = (batch["out"] / "index.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex">' in page
    assert '<html lang="zh-CN">' in page
    assert not re.search(r'(?:src|href)\s*=\s*"(?:https?:)?//', page), "index makes an external request"


def test_index_describes_the_folders_beside_it(batch):
    """Every edition folder is listed once, with the facts of the campaign it was built
    from; the earlier editions of the broken ids keep their old lines."""
    out = batch["out"]
    manifest = json.loads((out / "editions.json").read_text(encoding="utf-8"))
    listed = {e["id"]: e for e in manifest["editions"]}
    folders = {p.name for p in out.iterdir() if p.is_dir() and not p.name.startswith(".")}
    assert set(listed) == folders
    for path in GOOD:
        data = load_yaml(path)
        assert listed[data["id"]]["org"] == data["inspected"]["org"]
    for ident in BROKEN_IDS:
        assert listed[ident]["org"] == "旧单位"


def test_broken_campaigns_are_reported_and_leave_old_editions(batch):
    """Each failure names its file and what to fix; the earlier edition of each broken id
    (folder and zip) is byte for byte as it was; no temporary entry is left."""
    r, out = batch["result"], batch["out"]
    assert r.returncode == 1
    text = r.stdout + r.stderr
    assert "Traceback" not in text
    # Validation failure: the file and the key path.
    assert str(batch["bad_phone"]) in text
    assert "contact.phone" in text
    # Build failure: the file, the leftover and the campaign value it came from.
    assert str(batch["bad_build"]) in text
    assert "✗ 2026-t2-bad-build" in text
    assert "第X" in text and "inspected.unit" in text
    # Unknown checklist item: the file and the offending override.
    assert str(batch["bad_drop"]) in text
    assert "✗ 2026-t3-bad-drop" in text
    assert "checklists.drop" in text and "no-such-item" in text
    for ident, (tree, zipped) in batch["before"].items():
        assert tree_hashes(out / ident) == tree, f"{ident}: previous edition was changed"
        assert (out / f"{ident}.zip").read_bytes() == zipped, f"{ident}: previous zip was changed"
    leftovers = [p.name for p in out.iterdir() if p.name.startswith(".xc-")]
    assert leftovers == [], leftovers


def test_rebuild_is_byte_identical_and_replaces_the_folder(rerun):
    """Rebuilding an edition replaces its folder (a file added since is gone) and gives
    the same bytes, zip included."""
    r, out, ident = rerun["result"], rerun["out"], rerun["id"]
    assert r.returncode == 0, r.stdout + r.stderr
    assert not (out / ident / "stale-marker.txt").exists(), "the old folder was not replaced"
    second = tree_hashes(out / ident)
    assert sorted(k for k in set(second) | set(rerun["first"]["tree"])
                  if second.get(k) != rerun["first"]["tree"].get(k)) == []
    assert (out / f"{ident}.zip").read_bytes() == rerun["first"]["zip"]


def test_docx_downloads_are_reproducible(rerun):
    """Word files carry no build time: the same bytes from two builds."""
    out, ident = rerun["out"], rerun["id"]
    docx = sorted((out / ident).rglob("*.docx"))
    assert len(docx) >= 3, "the speeches and the announcement come as .docx"
    with zipfile.ZipFile(io.BytesIO(rerun["first"]["zip"])) as old:
        for p in docx:
            rel = f"{ident}/{p.relative_to(out / ident).as_posix()}"
            assert old.read(rel) == p.read_bytes(), f"{rel} differs between two builds"


def test_earlier_editions_stay_listed(rerun):
    """A run that builds one edition keeps every other edition in the index."""
    out = rerun["out"]
    index = (out / "index.html").read_text(encoding="utf-8")
    manifest = json.loads((out / "editions.json").read_text(encoding="utf-8"))
    listed = {e["id"] for e in manifest["editions"]}
    for ident in [*ids_of(GOOD), *BROKEN_IDS]:
        assert f'href="{ident}/index.html"' in index
        assert ident in listed
    assert "成功 1 个，失败 0 个" in rerun["result"].stdout


def test_nothing_written_when_nothing_was_built(rerun, tmp_path):
    """A run where every campaign fails leaves the index and manifest untouched (bytes
    and modification time), adds nothing, and creates no output folder that did not exist."""
    out = rerun["out"]
    bad = write_variant(GOOD[0], tmp_path / "bad.yml", "2026-t9-none",
                        lambda t: re.sub(r"(?m)^  phone: .*$", "  phone: 5551234", t))
    before = {p.name: (p.read_bytes() if p.is_file() else None, p.stat().st_mtime_ns) for p in out.iterdir()}
    r = run_editions("--out", out, bad)
    assert r.returncode == 1 and "Traceback" not in r.stdout + r.stderr
    after = {p.name: (p.read_bytes() if p.is_file() else None, p.stat().st_mtime_ns) for p in out.iterdir()}
    assert after == before
    fresh = tmp_path / "never"
    r = run_editions("--out", fresh, bad)
    assert r.returncode == 1
    assert not fresh.exists()


def test_batch_edition_equals_a_plain_build(batch, edition):
    """An edition built right after another in the same worker equals the same campaign
    built alone (no state leaks between editions)."""
    ident = load_yaml(GOOD[1])["id"]
    alone = tree_hashes(edition(GOOD[1]))
    batched = tree_hashes(batch["out"] / ident)
    assert sorted(set(alone) ^ set(batched)) == []
    assert [k for k in alone if alone[k] != batched[k]] == []


@pytest.mark.subprocess
def test_check_reports_every_problem_in_every_file_and_builds_nothing(tmp_path):
    """--check validates every file, reports every problem and writes nothing."""
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


@pytest.mark.subprocess
def test_duplicate_ids_and_missing_files_fail_before_building(tmp_path):
    """Two files with one id, or a missing file: refused before anything is built."""
    dup = write_variant(GOOD[1], tmp_path / "dup.yml", load_yaml(GOOD[0])["id"], lambda t: t)
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
