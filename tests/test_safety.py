"""Issue 21: users' files are never destroyed, hostile input gets a located Chinese error,
and a batch can be stopped. One section per numbered case of the issue:

1. `mkdocs build -d` replaces a folder only when it is empty or holds an edition (marker
   `.xc-edition.json`); a user's folder and the project's sources are refused by name.
2. Killing the batch's parent kills its workers; Ctrl-C exits 130 with one Chinese line.
3. One batch per output folder: two batches on one `--out`, ten times, and the index
   always describes the folders beside it.
4. and 6. Duplicate keys, invisible and control characters: errors with the key path.
5. `--out` touches only what the run built, plus the index, and only when it built.
7. Every text field has a maximum length in the schema; values at the maximum build.
8. Environment errors (read-only, disk full, not a folder, a device as the campaign,
   a NUL byte, a YAML syntax error) give one Chinese line, a non-zero exit, no traceback.
9. The swap is one atomic step: a kill between any two file operations leaves a whole
   edition, old or new (fault injection); a symlink given to `-d` is written through.

Commands that could destroy files when the product is wrong (`-d macros`, `--out docs`)
run against a copy of the project, never the working tree.

Bad inputs tried here (the closing note of the issue repeats these figures):

| what                                   | tried | located Chinese error | tracebacks | user files lost |
|----------------------------------------|-------|-----------------------|------------|-----------------|
| hostile campaign files (BAD_INPUTS)    | 50    | 50 (key path or line) | 0          | -               |
| tests/fixtures/bad/*.yml (other module)| 47    | 47 (key path)         | 0          | -               |
| file-system and command-line scenarios | 29    | 25 of the 26 failures | 0          | 0               |
| concurrent batch pairs on one --out    | 10    | (index consistent)    | 0          | 0               |
| kills inside the swap (3 modes)        | 38    | (a whole edition)     | -          | 0               |

Of the 29 scenarios, 26 must fail; 25 say why in Chinese, and `-d docs` is refused by
MkDocs itself (in English) before our hooks run. User files put in harm's way: a user's folder (notes.txt, photos/a.jpg, .git/HEAD) in
three command runs, an editions folder with six files of the user's in two, the
project's 119 source files (a copy) in seven.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, run_build, variant
from macros import campaign, editions, output, schema, yamlio

EXAMPLE = ROOT / "campaigns" / "example.yml"
EXAMPLE_TEXT = EXAMPLE.read_text(encoding="utf-8")
EXAMPLE_ID = "2026-r5-g3-czj"
HAN = re.compile(r"[\u4e00-\u9fff]")


def env_run(*args, cwd=ROOT, env_extra=None, timeout=300) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", **(env_extra or {}))
    env.pop("SOURCE_DATE_EPOCH", None)
    return subprocess.run([sys.executable, *map(str, args)], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)


def batch(*args, cwd=ROOT, **kw) -> subprocess.CompletedProcess:
    return env_run("-m", "macros.editions", *args, cwd=cwd, **kw)


def mkdocs(campaign_file, site_dir, cwd=ROOT, env_extra=None) -> subprocess.CompletedProcess:
    return env_run("-m", "mkdocs", "build", "--strict", "-f", Path(cwd) / "mkdocs.yml", "-d", site_dir, cwd=cwd,
                   env_extra={"CAMPAIGN": str(campaign_file), **(env_extra or {})})


def snapshot(folder: Path, skip=lambda rel: False) -> dict[str, tuple]:
    """Every entry under `folder` (hidden ones too): kind, bytes' hash, modification time."""
    out = {}
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).as_posix()
        if skip(rel):
            continue
        st = p.lstat()
        if p.is_symlink():
            out[rel] = ("link", os.readlink(p))
        elif p.is_dir():
            out[rel] = ("dir", st.st_mtime_ns)
        else:
            out[rel] = ("file", hashlib.sha256(p.read_bytes()).hexdigest(), st.st_mtime_ns)
    return out


def user_folder(path: Path) -> Path:
    """A folder as a user keeps one: notes, photos, a git repository."""
    (path / "photos").mkdir(parents=True)
    (path / ".git").mkdir()
    (path / "notes.txt").write_text("我的笔记", encoding="utf-8")
    (path / "photos" / "a.jpg").write_bytes(b"\xff\xd8\xff photo")
    (path / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    return path


def previous_edition(path: Path, ident: str = "old-edition") -> Path:
    path.mkdir(parents=True, exist_ok=True)
    (path / "index.html").write_text(f"<p>{ident}</p>", encoding="utf-8")
    (path / "old-only.txt").write_text("from the previous edition", encoding="utf-8")
    output.write_marker(path, ident)
    return path


def error_lines(text: str) -> list[str]:
    """The lines of a command's output that carry a Chinese message other than a notice
    (jieba's English start-up chatter, MkDocs' INFO lines and blank lines are not errors)."""
    return [line for line in text.splitlines() if HAN.search(line) and not line.startswith("INFO")]


def assert_clean_error(r: subprocess.CompletedProcess, *needles: str, one_line=True) -> None:
    text = r.stdout + r.stderr
    assert r.returncode != 0, text
    assert "Traceback" not in text and "Errno" not in text and "Error:" not in text, text
    lines = error_lines(text)
    assert lines, text
    if one_line:
        assert len(lines) == 1, lines
    for n in needles:
        assert n in text, (n, text)


@pytest.fixture
def built():
    """`build_site(edition, folder)`: a whole build in this process, through the same
    hooks as `mkdocs build` (the fixture's name marks the test as a build)."""
    from macros import pipeline

    return pipeline.build_site


@pytest.fixture(scope="module")
def project_copy(tmp_path_factory) -> Path:
    """The project's sources in a temporary folder, for commands aimed at the sources."""
    dest = tmp_path_factory.mktemp("project") / "xc"
    dest.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("docs", "macros", "overrides", "campaigns"):
        shutil.copytree(ROOT / name, dest / name, ignore=ignore)
    shutil.copy2(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    (dest / "tests").mkdir()
    (dest / "tests" / "keep.py").write_text("# a test file\n", encoding="utf-8")
    return dest


# ---- 1. -d: ours or refused ------------------------------------------------------------------


@pytest.mark.subprocess
def test_d_refuses_a_users_folder_and_names_what_is_in_it(tmp_path):
    """`mkdocs build -d` on a folder holding notes.txt, photos/ and .git/: refused with a
    Chinese message naming the folder and its content; nothing deleted."""
    folder = user_folder(tmp_path / "mine")
    before = snapshot(folder)
    r = run_build(EXAMPLE, folder)
    assert_clean_error(r, str(folder), "notes.txt", "photos/", ".git/", "--force")
    assert snapshot(folder) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine"]


@pytest.mark.subprocess
@pytest.mark.parametrize("source", ["campaigns", "macros", "overrides", "docs"])
def test_d_refuses_the_projects_sources(project_copy, source):
    """`-d campaigns`, `-d macros`, `-d overrides` (our Chinese refusal) and `-d docs`
    (MkDocs refuses it first): the build stops and the sources are untouched."""
    target = project_copy / source
    before = snapshot(project_copy, skip=lambda rel: "__pycache__" in rel)
    r = mkdocs(project_copy / "campaigns" / "example.yml", target, cwd=project_copy)
    text = r.stdout + r.stderr
    assert r.returncode != 0, text
    assert "Traceback" not in text
    if source != "docs":
        assert_clean_error(r, str(target), "源文件夹")
    assert snapshot(project_copy, skip=lambda rel: "__pycache__" in rel) == before


@pytest.mark.parametrize("where", ["docs", "macros", "campaigns", "overrides", "tests", "docs/assets", ".", ".."])
def test_sources_are_refused_even_with_force(where):
    """A target inside the sources, or containing them, is refused even with force."""
    with pytest.raises(output.OutputRefused, match="源文件夹"):
        output.check_target(ROOT / where, force=True)


def test_check_target_rules(tmp_path):
    """Absent, empty and edition folders may be replaced; a user's folder only with force;
    a file never."""
    assert output.check_target(tmp_path / "new") == tmp_path / "new"
    (tmp_path / "empty").mkdir()
    assert output.check_target(tmp_path / "empty") == tmp_path / "empty"
    previous_edition(tmp_path / "ed")
    assert output.check_target(tmp_path / "ed") == tmp_path / "ed"
    user_folder(tmp_path / "mine")
    with pytest.raises(output.OutputRefused) as e:
        output.check_target(tmp_path / "mine")
    assert "notes.txt" in str(e.value) and str(tmp_path / "mine") in str(e.value)
    assert output.check_target(tmp_path / "mine", force=True) == tmp_path / "mine"
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(output.OutputRefused, match="文件而不是文件夹"):
        output.check_target(tmp_path / "file", force=True)


@pytest.mark.subprocess
def test_d_writes_through_a_symlink_onto_a_previous_edition(tmp_path):
    """`-d link` where link → a folder holding a previous edition: the edition is replaced
    in the folder the link points to, and the link stays a link."""
    real = previous_edition(tmp_path / "real")
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    r = run_build(EXAMPLE, link)
    assert r.returncode == 0, r.stdout + r.stderr
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert json.loads((real / output.MARKER).read_text(encoding="utf-8"))["edition"] == EXAMPLE_ID
    assert not (real / "old-only.txt").exists()
    assert "市财政局党组" in (real / "index.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "real"]


def test_xc_force_replaces_a_users_folder(tmp_path, monkeypatch, built):
    """In-process, through the same hooks as `mkdocs build`: a user's folder is refused
    (before anything renders), and replaced only with XC_FORCE=1."""
    from macros import edition, pipeline

    ed = edition.from_file(EXAMPLE)
    mine = user_folder(tmp_path / "mine")
    before = snapshot(mine)
    with pytest.raises(pipeline.BuildFailure, match="notes.txt"):
        built(ed, mine)
    assert snapshot(mine) == before
    monkeypatch.setenv("XC_FORCE", "1")
    built(ed, mine)
    assert json.loads((mine / output.MARKER).read_text(encoding="utf-8"))["edition"] == EXAMPLE_ID
    assert not (mine / "notes.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine"]


# ---- 2. Workers die with the parent; Ctrl-C ------------------------------------------------


def _processes_with(needle: str) -> list[int]:
    """Live (not zombie) processes whose command line holds `needle`."""
    pids = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit() or int(d.name) == os.getpid():
            continue
        try:
            cmd = (d / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            state = (d / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if needle in cmd and state != "Z":
            pids.append(int(d.name))
    return pids


def _children(pid: int) -> set[int]:
    kids = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError):
            kids |= {int(x) for x in (task / "children").read_text().split()}
    return kids


def _popen_batch(*args, **kw) -> subprocess.Popen:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.pop("SOURCE_DATE_EPOCH", None)
    return subprocess.Popen([sys.executable, "-m", "macros.editions", *map(str, args)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


THREE = [ROOT / "campaigns" / n for n in ("example.yml", "lookback.yml", "village.yml")]
NOT_TMP = lambda rel: rel.split("/")[0].startswith(".xc-tmp-")  # noqa: E731


@pytest.mark.subprocess
def test_killing_the_parent_kills_the_workers(tmp_path):
    """SIGKILL to the batch right after its first edition is swapped in: within 5 s no
    worker is alive, and nothing in --out changed after the kill."""
    out = tmp_path / "out-kill-parent"
    p = _popen_batch("--out", out, "--formats", "site", "--jobs", 2, *THREE)
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = p.stdout.readline()
            if line.startswith("✓") or not line:
                break
        assert line.startswith("✓"), p.stderr.read()
        workers = _children(p.pid)
        assert workers, "the batch started no worker"
        p.kill()
        p.wait()
        after_kill = snapshot(out, skip=NOT_TMP)
        # The workers die with the parent (PR_SET_PDEATHSIG). Wait until they are gone, for
        # 5 s at most: a worker still alive then fails the test; a dead one writes nothing.
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and _processes_with(str(out)):
            time.sleep(0.05)
        alive = [w for w in workers if Path(f"/proc/{w}").exists() and w in _processes_with(str(out))]
        assert alive == [] and _processes_with(str(out)) == []
        assert snapshot(out, skip=NOT_TMP) == after_kill
        assert [k for k in after_kill if k.endswith(".zip")], "the test meant to kill after a swap"
    finally:
        with contextlib.suppress(ProcessLookupError):
            p.kill()
        for w in workers:  # survivors would hold the pipes open, and the test would hang
            if w in _processes_with(str(out)):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(w, signal.SIGKILL)
        p.communicate()


@pytest.mark.subprocess
def test_ctrl_c_exits_130_with_one_line_and_keeps_old_editions(tmp_path):
    """Ctrl-C (SIGINT to the process group, as a terminal sends it) while editions are
    being built: exit 130, one Chinese line, the previous editions untouched, no worker
    left and no half-built folder left behind."""
    out = tmp_path / "out-ctrl-c"
    out.mkdir()
    for path in THREE:
        ident = yaml.safe_load(path.read_text(encoding="utf-8"))["id"]
        previous_edition(out / ident, ident)
    (out / "editions.json").write_text(json.dumps({"generator": "xc-editions", "editions": []}), encoding="utf-8")
    before = snapshot(out)
    p = _popen_batch("--out", out, "--formats", "site", "--jobs", 2, *THREE, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not any(x.name.startswith(".xc-tmp-") for x in out.iterdir()):
            time.sleep(0.05)
        time.sleep(0.2)
        os.killpg(p.pid, signal.SIGINT)
        stdout, stderr = p.communicate(timeout=60)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(p.pid, signal.SIGKILL)
    assert p.returncode == 130, stdout + stderr
    assert "Traceback" not in stdout + stderr
    lines = error_lines(stderr)
    assert len(lines) == 1 and "中断" in lines[0], stderr
    time.sleep(0.5)
    assert _processes_with(str(out)) == []
    assert snapshot(out) == before


# ---- 3. One batch per output folder ------------------------------------------------------------

# Two batches started together on one --out, ten times. Each batch is the product's own
# `editions.main` in its own process (forked from this driver, which has loaded the
# project once, so a trial takes a fraction of a second); only the page renderer is
# replaced by a quick one (MkDocs takes seconds per edition). Everything around it (lock,
# validation, edition, zip, swap, manifest, index) is the product's.
RACE_DRIVER = textwrap.dedent("""
    import json, os, sys, time
    from pathlib import Path
    sys.path.insert(0, sys.argv[1])
    from macros import edition, editions, output, pipeline

    def build_site(ed, folder, force=False, word=True):
        time.sleep(0.1)
        folder = Path(folder)
        folder.mkdir(parents=True)
        (folder / "index.html").write_text(f"<h1>{ed.values.inspected.org}</h1>", encoding="utf-8")
        output.write_marker(folder, ed.id)

    pipeline.build_site = build_site
    editions._worker_init = lambda parent: editions._die_with_parent()
    base, runs = Path(sys.argv[2]), json.loads(sys.argv[3])
    edition.from_file(runs[0][0])  # every data file loaded once, before the forks
    for trial in range(10):
        pids = []
        for n, files in enumerate(runs):
            sys.stdout.flush(); sys.stderr.flush()
            pid = os.fork()
            if pid == 0:
                fd = os.open(base / f"log-{trial}-{n}", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
                os.dup2(fd, 1); os.dup2(fd, 2)
                try:
                    rc = editions.main(["--out", str(base / f"out-{trial}"), "--jobs", "2", *files])
                except BaseException:
                    import traceback; traceback.print_exc(); rc = 99
                sys.stdout.flush(); sys.stderr.flush()
                os._exit(rc)
            pids.append(pid)
        print(json.dumps([os.waitstatus_to_exitcode(os.waitpid(p, 0)[1]) for p in pids]), flush=True)
""")


def _campaign_file(path: Path, ident: str, org: str) -> Path:
    data = variant(EXAMPLE, id=ident, inspected__org=org)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _assert_index_matches_folders(out: Path) -> None:
    import zipfile

    manifest = json.loads((out / "editions.json").read_text(encoding="utf-8"))
    listed = {e["id"]: e for e in manifest["editions"]}
    folders = {p.name for p in out.iterdir() if p.is_dir() and not p.name.startswith(".")}
    assert set(listed) == folders
    index = (out / "index.html").read_text(encoding="utf-8")
    for ident, e in listed.items():
        page = (out / ident / "index.html").read_text(encoding="utf-8")
        assert f"<h1>{e['org']}</h1>" == page, (ident, e["org"], page)
        assert json.loads((out / ident / output.MARKER).read_text(encoding="utf-8"))["edition"] == ident
        with zipfile.ZipFile(out / f"{ident}.zip") as zf:
            assert zf.read(f"{ident}/index.html").decode("utf-8") == page
        assert f'href="{ident}/index.html"' in index
    assert index.count("data-start=") == len(listed)
    assert [p.name for p in out.iterdir() if p.name.startswith(".xc-")] == []


@pytest.mark.subprocess
def test_two_batches_on_one_out_ten_times(tmp_path):
    """Two batches started together on one --out, ten times over, both building an edition
    with the same id from different files: the second waits for the first and then runs
    (or is refused with a clear message), and the index always describes the folders:
    each listed edition's organisation is the one in its folder and in its zip."""
    driver = tmp_path / "race.py"
    driver.write_text(RACE_DRIVER, encoding="utf-8")
    runs = [[str(_campaign_file(tmp_path / "a1.yml", "2026-lock-shared", "甲局党组")),
             str(_campaign_file(tmp_path / "a2.yml", "2026-lock-a", "甲乙局党组"))],
            [str(_campaign_file(tmp_path / "b1.yml", "2026-lock-shared", "乙局党组")),
             str(_campaign_file(tmp_path / "b2.yml", "2026-lock-b", "乙丙局党组"))]]
    r = env_run(driver, ROOT, tmp_path, json.dumps(runs), timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    codes = [json.loads(line) for line in r.stdout.splitlines()]
    assert len(codes) == 10
    for trial, rcs in enumerate(codes):
        logs = [(tmp_path / f"log-{trial}-{n}").read_text(encoding="utf-8") for n in range(2)]
        for rc, log in zip(rcs, logs):
            assert "Traceback" not in log and "Error" not in log, log
            assert rc == 0 or (rc == 2 and "正由另一次生成使用" in log), log
        assert 0 in rcs
        _assert_index_matches_folders(tmp_path / f"out-{trial}")


def test_a_held_folder_is_refused_after_the_wait(tmp_path):
    """While one run holds the folder, another waits and is then refused by name."""
    with output.lock(tmp_path):
        t0 = time.monotonic()
        with pytest.raises(output.Busy) as e:
            with output.lock(tmp_path, wait=0.5):
                pass
        assert time.monotonic() - t0 >= 0.5
    assert str(tmp_path) in str(e.value) and "另一次生成" in str(e.value)
    with output.lock(tmp_path, wait=0.5):  # released: free again
        pass
    assert list(tmp_path.iterdir()) == [], "the lock leaves no file in the user's folder"


# ---- 4. and 6. Hostile input ---------------------------------------------------------------------


def _replace(old: str, new: str):
    def edit(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)
    return edit


def _append(extra: str):
    return lambda text: text + extra


LONG = "很长的单位名称" * 33  # 231 characters
# name: (change to the example campaign's text, where the error must point: a key path or a line).
BAD_INPUTS = {
    # 4. Duplicate keys at any depth.
    "dup-org": (_replace("  unit: 市财政局\n", "  unit: 市财政局\n  org: 市农业农村局党组\n"), "inspected.org"),
    "dup-top-kind": (_append("kind: 常规\n"), "kind"),
    "dup-mailboxes": (_replace("  post_box:", "  mailboxes: [别处]\n  post_box:"), "contact.mailboxes"),
    "dup-in-list-item": (_append("checklists:\n  add:\n    - {list: during, id: x-one, text: 第一项事项内容, "
                                 "text: 第二项事项内容, owner: 办公室, due: during}\n"), "checklists.add[0].text"),
    "dup-date": (_replace("  days: 30\n", "  days: 30\n  start: 2026-12-02\n"), "dates.start"),
    # 6. Invisible and control characters, raw in the file.
    "rlo-unit": (_replace("unit: 市财政局", "unit: 市财\u202e政局"), "inspected.unit"),
    "rle-org": (_replace("org: 市财政局党组", "org: 市财\u202b政局党组"), "inspected.org"),
    "lri-leader": (_replace("leader: 王立新", "leader: 王\u2066立新"), "group.leader"),
    "zwsp-org": (_replace("org: 市财政局党组", "org: 市财政\u200b局党组"), "inspected.org"),
    "zwj-leader": (_replace("leader: 王立新", "leader: 王立\u200d新"), "group.leader"),
    "bom-inside": (_replace("theme: 乡村振兴领域", "theme: 乡村\ufeff振兴领域"), "theme"),
    "line-separator": (_replace("hours: \"每天8:30—18:30\"", "hours: \"每天8:30\u202818:30\""), "contact.hours"),
    "paragraph-separator": (_replace("theme: 乡村振兴领域", "theme: 乡村\u2029振兴领域"), "theme"),
    "nel": (_replace("unit: 市财政局", "unit: 市财\x85政局"), "inspected.unit"),
    "nonchar-fffe": (_replace("org: 市财政局党组", "org: 市财政局\ufffe党组"), "inspected.org"),
    "nonchar-ffff": (_replace("org: 市财政局党组", "org: 市财政局\uffff党组"), "inspected.org"),
    "nonchar-fdd0": (_replace("org: 市财政局党组", "org: 市财政局\ufdd0党组"), "inspected.org"),
    "private-use": (_replace("unit: 市财政局", "unit: 市财\ue000政局"), "inspected.unit"),
    "nul-raw": (_replace("unit: 市财政局", "unit: 市财\x00政局"), "inspected.unit"),
    "soh-raw": (_replace("unit: 市财政局", "unit: 市财\x01政局"), "inspected.unit"),
    "esc-raw": (_replace("leader: 王立新", "leader: 王立新\x1b[31m"), "group.leader"),
    "c1-control": (_replace("unit: 市财政局", "unit: 市财\x9b政局"), "inspected.unit"),
    "rlo-in-mailbox": (_replace("    - 市财政局职工食堂入口", "    - 市财政局\u202e职工食堂入口"), "contact.mailboxes[1]"),
    "rlo-in-linked": (_replace("linked: [东山区委,", "linked: [东山\u202e区委,"), "linked[0]"),
    # The same, written as YAML escapes inside double quotes.
    "nul-escaped": (_replace("unit: 市财政局", 'unit: "市财\\0政局"'), "inspected.unit"),
    "rlo-escaped": (_replace("unit: 市财政局", 'unit: "市财\\u202e政局"'), "inspected.unit"),
    "line-sep-escaped": (_replace("unit: 市财政局", 'unit: "市财\\L政局"'), "inspected.unit"),
    "newline-escaped": (_replace("unit: 市财政局", 'unit: "市财\\n政局"'), "inspected.unit"),
    # 7. Over-long values.
    "org-231": (_replace("org: 市财政局党组", f"org: {LONG}"), "inspected.org"),
    "unit-61": (_replace("unit: 市财政局", "unit: " + "局" * 61), "inspected.unit"),
    "mailbox-121": (_replace("    - 市财政局职工食堂入口", "    - " + "楼" * 121), "contact.mailboxes[1]"),
    "theme-41": (_replace("theme: 乡村振兴领域", "theme: " + "题" * 41), "theme"),
    "leader-title-31": (_replace("leader_title: 党组书记、局长", "leader_title: " + "职" * 31), "inspected.leader_title"),
    "leader-21": (_replace("leader: 王立新", "leader: " + "名" * 21), "group.leader"),
    "id-65": (_replace(f"id: {EXAMPLE_ID}", "id: " + "a" * 65), "id"),
    # 8. YAML syntax, as people mistype it.
    "fullwidth-colon": (_replace("kind: 专项", "kind：专项"), "第 "),
    "fullwidth-colon-nested": (_replace("  unit: 市财政局", "  unit：市财政局"), "第 "),
    "tab-indent": (_replace("  unit: 市财政局", "\tunit: 市财政局"), "第 "),
    "fullwidth-space-indent": (_replace("  unit: 市财政局", "\u3000unit: 市财政局"), "第 "),
    "no-space-after-colon": (_replace("kind: 专项", "kind:专项"), "第 "),
    "phone-leading-zero": (_replace('phone: "0800-5551234"', "phone: 01234567"), "contact.phone"),
    "unclosed-bracket": (_replace("linked: [东山区委, 南河县委, 西岭县委]", "linked: [东山区委, 南河县委"), "第 "),
    "unclosed-quote": (_replace('hours: "每天8:30—18:30"', 'hours: "每天8:30—18:30'), "第 "),
    "two-documents": (_append("---\nid: other\n"), "第 "),
    "undefined-alias": (_replace("kind: 专项", "kind: *专项"), "第 "),
    # Ids that Windows cannot use as folder names.
    "id-con": (_replace(f"id: {EXAMPLE_ID}", "id: con"), "id"),
    "id-nul": (_replace(f"id: {EXAMPLE_ID}", "id: nul"), "id"),
    "id-com1": (_replace(f"id: {EXAMPLE_ID}", "id: com1"), "id"),
    "id-lpt9": (_replace(f"id: {EXAMPLE_ID}", "id: lpt9"), "id"),
    "id-aux": (_replace(f"id: {EXAMPLE_ID}", "id: aux"), "id"),
}
assert len(BAD_INPUTS) == 50  # the figure in the module docstring


def _write_bad(folder: Path, name: str, unique_id: bool = False) -> Path:
    """The bad file `name`; with `unique_id`, an id of its own (unless the id is what is
    bad), so that many of them can go to one command."""
    edit, _ = BAD_INPUTS[name]
    text = edit(EXAMPLE_TEXT)
    if unique_id:
        text = text.replace(f"id: {EXAMPLE_ID}", f"id: 2026-bad-{list(BAD_INPUTS).index(name)}")
    path = folder / f"{name}.yml"
    path.write_bytes(text.encode("utf-8"))
    return path


@pytest.mark.parametrize("name", list(BAD_INPUTS))
def test_bad_input_gets_a_located_chinese_error(name, tmp_path):
    """Each hostile or careless file is refused with a Chinese message naming the file and
    where: the key path, or the line (and column) for what cannot be parsed."""
    path = _write_bad(tmp_path, name)
    where = BAD_INPUTS[name][1]
    with pytest.raises(campaign.CampaignError) as e:
        campaign.load(path)
    report = e.value.report()
    assert report.startswith(f"巡察版本文件有误：{path}")
    keys = [k for k, _ in e.value.problems]
    if where == "第 ":
        assert any(re.search(r"第 \d+ 行", m) for _, m in e.value.problems), report
    else:
        assert where in keys, report
    for _, msg in e.value.problems:
        assert HAN.search(msg) and "Traceback" not in msg and "Error" not in msg, msg


@pytest.mark.parametrize("name,words", [
    ("dup-org", ["第 13 行和第 15 行"]), ("fullwidth-colon", ["全角"]), ("tab-indent", ["Tab"]),
    ("fullwidth-space-indent", ["全角空格"]), ("phone-leading-zero", ["引号"]), ("org-231", ["至多 60 个字"]),
    ("rlo-unit", ["文字方向控制符", "U+202E"]), ("nul-raw", ["空字符"]), ("id-con", ["Windows"]),
    ("unclosed-bracket", ["方括号"]), ("line-separator", ["行分隔符", "第 25 行"]),
])
def test_the_message_says_what_to_change(name, words, tmp_path):
    """The messages name the cause: both lines of a duplicate key, the full-width colon or
    space, the tab, the quotes a leading zero needs, the maximum length, the character."""
    with pytest.raises(campaign.CampaignError) as e:
        campaign.load(_write_bad(tmp_path, name))
    for w in words:
        assert w in e.value.report(), (w, e.value.report())


@pytest.mark.subprocess
def test_every_bad_input_through_the_command(tmp_path):
    """All the bad files at once through `python -m macros.editions --check`: each is
    reported (✗ and its file), none is accepted, and no traceback reaches the user."""
    paths = [_write_bad(tmp_path, name, unique_id=True) for name in BAD_INPUTS]
    r = batch("--check", *paths)
    text = r.stdout + r.stderr
    assert r.returncode == 1, text
    assert "Traceback" not in text
    for p in paths:
        assert f"✗ {p}" in text, p
    assert "✓" not in text
    assert f"0 个有效，{len(paths)} 个有误" in text


def test_duplicate_key_in_a_round_entry_names_the_entry(tmp_path):
    """In a round file, a duplicate key is located inside its entry."""
    text = (ROOT / "campaigns" / "rounds" / "2027-r6.yml").read_text(encoding="utf-8")
    text = text.replace("    dates: {start: 2027-03-09, days: 30}",
                        "    dates: {start: 2027-03-09, days: 30}\n    theme: 另一个主题", 1)
    path = tmp_path / "round.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(campaign.CampaignError) as e:
        campaign.read(path)
    assert [k for k, _ in e.value.problems] == ["editions[1].theme"]


# ---- 5. --out touches only what it built ---------------------------------------------------------


def _ours_with_user_files(out: Path) -> None:
    """An editions folder of ours (manifest) where the user also keeps things, including
    hidden entries whose names look like temporary ones."""
    out.mkdir()
    (out / "editions.json").write_text(json.dumps({"generator": "xc-editions", "editions": []}), encoding="utf-8")
    (out / "notes.txt").write_text("我的笔记", encoding="utf-8")
    for name in (".old-keep", ".tmp-keep", ".old-site-1", ".tmp-2026-r5-g3-czj-1"):
        (out / name).mkdir()
        (out / name / "precious.txt").write_text(name, encoding="utf-8")
    (out / ".tmp-file-1").write_text("hidden file", encoding="utf-8")
    previous_edition(out / "another-edition", "another-edition")


@pytest.mark.subprocess
def test_out_touches_only_what_it_built_and_the_index(tmp_path):
    """A run that builds one edition changes that edition's folder and zip, the index and
    the manifest, and nothing else: the user's files, hidden .old-*/.tmp-* entries and
    other editions stay byte for byte, with their dates."""
    out = tmp_path / "out"
    _ours_with_user_files(out)
    mine = lambda rel: rel.split("/")[0] in (EXAMPLE_ID, f"{EXAMPLE_ID}.zip", "index.html", "editions.json")  # noqa: E731
    before = snapshot(out, skip=mine)
    r = batch("--out", out, "--formats", "site", EXAMPLE)
    assert r.returncode == 0, r.stdout + r.stderr
    assert snapshot(out, skip=mine) == before
    assert (out / EXAMPLE_ID / output.MARKER).is_file() and (out / "index.html").is_file()


@pytest.mark.subprocess
def test_out_writes_nothing_when_nothing_was_built(tmp_path):
    """Every campaign fails: not even the index is written, hidden entries that look like
    ours but are not stay, and a new --out folder is not even created."""
    out = tmp_path / "out"
    _ours_with_user_files(out)
    before = snapshot(out)
    bad = _write_bad(tmp_path, "rlo-unit")
    r = batch("--out", out, bad)
    assert r.returncode == 1 and "Traceback" not in r.stdout + r.stderr
    assert snapshot(out) == before
    fresh = tmp_path / "fresh"
    batch("--out", fresh, bad)
    assert not fresh.exists()


@pytest.mark.subprocess
def test_out_refuses_a_users_folder_and_the_sources(tmp_path, project_copy):
    """--out on a user's folder, on docs/ (where an index.html would break every later
    build) and on the project itself: refused by name, nothing written."""
    mine = user_folder(tmp_path / "mine")
    before = snapshot(mine)
    r = batch("--out", mine, EXAMPLE)
    assert_clean_error(r, str(mine), "notes.txt")
    assert snapshot(mine) == before
    sources = snapshot(project_copy, skip=lambda rel: "__pycache__" in rel)
    for target in ("docs", "macros", "."):
        r = batch("--out", target, "campaigns/example.yml", cwd=project_copy)
        assert_clean_error(r, "源文件夹")
    assert snapshot(project_copy, skip=lambda rel: "__pycache__" in rel) == sources


def test_batch_force_and_out_folder_rules(tmp_path):
    """--out: a user's folder only with --force; our own leftovers (the old lock file, the
    half-built folders of a killed run) do not make an empty folder someone else's."""
    mine = user_folder(tmp_path / "mine")
    with pytest.raises(output.OutputRefused, match="notes.txt"):
        editions.check_out_folder(mine, force=False)
    assert editions.check_out_folder(mine, force=True) == mine
    killed = tmp_path / "killed"
    (killed / f".xc-tmp-.xc-tmp-{EXAMPLE_ID}-99999999-99999999").mkdir(parents=True)
    (killed / ".editions.lock").write_text("", encoding="utf-8")
    assert editions.check_out_folder(killed, force=False) == killed


# ---- 7. Maximum lengths ----------------------------------------------------------------------------


def _text_fields(node: dict, defs: dict, path: str = ""):
    """(key path, schema) of every string the campaign schema accepts."""
    if "$ref" in node:
        yield from _text_fields(defs[node["$ref"].split("/")[-1]], defs, path)
        return
    for alt in node.get("anyOf", []) + node.get("allOf", []):
        yield from _text_fields(alt, defs, path)
    if node.get("type") == "string":
        yield path, node
    if node.get("type") == "object":
        for k, sub in node.get("properties", {}).items():
            yield from _text_fields(sub, defs, f"{path}.{k}" if path else k)
        if isinstance(node.get("additionalProperties"), dict):
            yield from _text_fields(node["additionalProperties"], defs, f"{path}.*")
    if node.get("type") == "array":
        yield from _text_fields(node.get("items", {}), defs, f"{path}[]")


def test_every_text_field_states_its_maximum_length():
    """The schema gives every free text field a maximum length (a name 60, an address 120);
    only fixed choices, dates and patterned values go without."""
    js = schema.json_schema()
    fields = list(_text_fields(js, js.get("$defs", {})))
    assert len(fields) > 40
    free = [p for p, n in fields if "maxLength" not in n and "enum" not in n and "const" not in n
            and n.get("format") != "date" and not n.get("pattern")]
    assert free == []
    by_path = {p: n for p, n in fields}
    assert by_path["inspected.org"]["maxLength"] == 60 and by_path["inspected.unit"]["maxLength"] == 60
    assert by_path["contact.mailboxes[]"]["maxLength"] == 120
    assert by_path["contact.post_box"]["maxLength"] == 120


MAXED = variant(EXAMPLE, id="2026-max-lengths",
                inspected__org="市" + "财政金融" * 14 + "局党组",  # 60 characters
                inspected__unit="市" + "财政金融" * 14 + "管理局",  # 60
                inspected__short="市财政金融管理局党组",  # a long name has a short form for the text
                inspected__leader_title="党组书记" * 7 + "局长",  # 30
                group__leader="欧阳" * 10,  # 20
                # The channels stay ordinary: the public notice must fit one page, and a
                # 120-character mailbox beside a 40-character theme does not (the build says
                # so in Chinese; see the next test for that refusal).
                theme="乡村振兴领域资金项目管理使用情况专项整治" * 2,  # 40, not in the theme catalogue
                focus={"mode": "replace", "areas": [  # so the focus areas are the campaign's own
                    {"title": "关于衔接资金项目管理使用情况" * 10, "points": ["检查资金分配、拨付和项目实施各环节" * 17 + "情况"]},
                    {"title": "关于项目资产管护和收益分配情况", "points": ["项目资产台账、管护责任和收益分配"]}]},
                label="内部资料" * 5)


def test_values_at_the_maximum_build_with_docx(edition):
    """A campaign with its names, titles, theme, label and focus texts at their maximum
    lengths builds whole, .docx files included (a 228-character name used to crash the
    Word export)."""
    import docx

    for key, limit in (("org", 60), ("unit", 60), ("leader_title", 30)):
        assert len(MAXED["inspected"][key]) == limit, key
    assert len(MAXED["theme"]) == 40 and len(MAXED["label"]) == 20
    assert len(MAXED["focus"]["areas"][0]["title"]) == 140 and len(MAXED["focus"]["areas"][0]["points"][0]) == 291
    site = edition(MAXED)
    words = docx.Document(str(site / "notices" / "announcement.docx"))
    text = "".join(p.text for p in words.paragraphs) + "".join(
        c.text for t in words.tables for r in t.rows for c in r.cells)
    assert MAXED["inspected"]["unit"] in text or MAXED["inspected"]["org"] in text
    assert (site / "speeches" / "leader-opening.docx").is_file()


def test_a_notice_too_long_for_its_page_is_refused_in_chinese(tmp_path, built):
    """Valid values that together overflow the one-page public notice (the name at its
    maximum with no short form for the running text, a 120-character mailbox): the build
    stops with a Chinese message saying so (no crash, nothing written)."""
    from macros import edition, pipeline

    data = variant(EXAMPLE, inspected__org=MAXED["inspected"]["org"],
                   contact__mailboxes=["大楼一楼大厅入口处" * 13 + "左侧墙"])
    assert len(data["contact"]["mailboxes"][0]) == 120
    ed = edition.build(schema.Campaign.model_validate(data), EXAMPLE)
    with pytest.raises(pipeline.BuildFailure, match="一页放不下"):
        built(ed, tmp_path / "site")
    assert list(tmp_path.iterdir()) == []


# ---- 8. Environment errors --------------------------------------------------------------------------


@contextlib.contextmanager
def mounted(kind: str, where: Path):
    """A read-only bind mount or a tiny tmpfs at `where` (we run as root in CI); None when
    this machine does not allow mounting."""
    where.mkdir(parents=True, exist_ok=True)
    cmd = (["mount", "--bind", "-o", "ro", str(where), str(where)] if kind == "ro"
           else ["mount", "-t", "tmpfs", "-o", "size=300k", "tmpfs", str(where)])
    ok = subprocess.run(cmd, capture_output=True).returncode == 0
    try:
        yield where if ok else None
    finally:
        if ok:
            subprocess.run(["umount", "-l", str(where)], capture_output=True)


@pytest.mark.subprocess
def test_read_only_output_gives_one_chinese_line(tmp_path):
    """A read-only folder (a read-only bind mount; where mounting is not allowed, a path
    under /proc, which refuses every write): one Chinese line, non-zero exit."""
    with mounted("ro", tmp_path / "ro") as ro:
        base = ro or Path("/proc/xc-test-no-such")
        r = mkdocs(EXAMPLE, base / "site")
        assert_clean_error(r, "无法写入", str(base))
        r = batch("--out", base / "out", EXAMPLE)
        assert_clean_error(r, "无法写入", str(base / "out"))
        if ro:
            assert "只读" in r.stderr
            assert list(ro.iterdir()) == []


def _disk_full_limit():
    import resource

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))


@pytest.mark.subprocess
def test_disk_full_gives_chinese_and_keeps_the_old_edition(tmp_path):
    """A full disk (a 300 KB tmpfs; where mounting is not allowed, a file-size limit):
    `mkdocs build` stops with one Chinese line and the previous edition stays whole; the
    batch reports the edition as failed in Chinese and writes no index."""
    with mounted("tmpfs", tmp_path / "full") as full:
        base = full or (tmp_path / "limited")
        base.mkdir(exist_ok=True)
        previous_edition(base / "site", "old-edition")
        before = snapshot(base)
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", CAMPAIGN=str(EXAMPLE))
        pre = None if full else _disk_full_limit
        r = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(base / "site")], cwd=ROOT,
                           env=env, capture_output=True, text=True, timeout=300, preexec_fn=pre)
        assert_clean_error(r, "无法写入", "磁盘空间已满" if full else "文件超过了系统允许的大小")
        assert snapshot(base) == before
        r = subprocess.run([sys.executable, "-m", "macros.editions", "--out", str(base / "out"), "--formats", "site",
                            str(EXAMPLE)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
                           preexec_fn=pre)
        text = r.stdout + r.stderr
        assert r.returncode == 1 and "Traceback" not in text and "Errno" not in text, text
        assert f"✗ {EXAMPLE_ID}" in text and ("磁盘空间已满" if full else "文件超过了系统允许的大小") in text
        assert snapshot(base) == before


@pytest.mark.subprocess
def test_not_a_folder_and_device_and_nul_give_one_chinese_line(tmp_path):
    """--out or -d naming a file, a path through a file, a device as the campaign, a raw
    NUL byte, a folder as the campaign, a YAML syntax error: one Chinese message each,
    located, non-zero exit, no traceback."""
    afile = tmp_path / "afile"
    afile.write_text("x", encoding="utf-8")
    assert_clean_error(batch("--out", afile, EXAMPLE), str(afile), "文件而不是文件夹")
    assert_clean_error(run_build(EXAMPLE, afile), str(afile), "文件而不是文件夹")
    assert_clean_error(batch("--out", afile / "sub", EXAMPLE), "无法写入")
    assert_clean_error(run_build(EXAMPLE, afile / "sub"), "无法写入")
    assert afile.read_text(encoding="utf-8") == "x"
    site = tmp_path / "site"
    assert_clean_error(run_build(Path("/dev/zero"), site), "/dev/zero", "不是普通文件", one_line=False)
    nul = tmp_path / "nul.yml"
    nul.write_bytes(EXAMPLE_TEXT.replace("unit: 市财政局", "unit: 市财\x00政局").encode("utf-8"))
    assert_clean_error(run_build(nul, site), str(nul), "inspected.unit", "空字符", one_line=False)
    assert_clean_error(run_build(tmp_path, site), "文件夹", one_line=False)
    syntax = _write_bad(tmp_path, "fullwidth-colon")
    assert_clean_error(run_build(syntax, site), str(syntax), "第 17 行", "全角", one_line=False)
    assert not site.exists()
    r = batch("--out", site, "/dev/zero")
    assert r.returncode == 1 and "不是普通文件" in r.stdout and "Traceback" not in r.stdout + r.stderr
    assert not site.exists()


# ---- 9. One atomic step per swap: fault injection ---------------------------------------------------

# Runs output.swap_in(new, final) and exits at once, as a kill would, before the K-th
# file operation (rename, exchange, unlink, rmdir, and the swap's own step points).
SWAP_DRIVER = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    sys.path.insert(0, sys.argv[1])
    from macros import output

    new, final, k, mode = Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
    count = [0]

    def point():
        if count[0] == k:
            os._exit(9)
        count[0] += 1

    for name in ("rename", "replace", "unlink", "rmdir", "remove"):
        def wrapped(*a, _real=getattr(os, name), **kw):
            point()
            return _real(*a, **kw)
        setattr(os, name, wrapped)
    if mode == "fallback":
        output._renameat2 = None
    else:
        real = output._renameat2
        def exchange(*a):
            point()
            return real(*a)
        output._renameat2 = exchange
    output.swap_in(new, final, _step=lambda name: point())
    os._exit(0)
""")


def _edition_tree(folder: Path, which: str) -> dict[str, str]:
    files = {"index.html": f"<p>{which}</p>", "a/b.txt": f"{which}-b", "a/c/d.txt": f"{which}-d",
             f"{which}-only.txt": which}
    for rel, text in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text, encoding="utf-8")
    output.write_marker(folder, which)
    return _contents(folder)


def _contents(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.subprocess
@pytest.mark.parametrize("mode", ["exchange", "fallback", "symlink"])
def test_a_kill_at_any_point_of_the_swap_leaves_a_whole_edition(tmp_path, mode):
    """Kill the swap before each of its file operations in turn: `final` then holds the old
    edition or the new one, whole, each time. `exchange` is one renameat2 call; the
    two-rename `fallback` (for file systems that cannot exchange) needs the next build to
    put a moved-aside edition back (check_target → recover), and is checked after it;
    `symlink` swaps through a link given as the target, which stays a link."""
    if mode != "fallback" and output._renameat2 is None:
        pytest.fail("renameat2 is not available in this C library")
    driver = tmp_path / "driver.py"
    driver.write_text(SWAP_DRIVER, encoding="utf-8")
    points = 0
    for k in range(200):
        case = tmp_path / f"k{k}"
        final = case / "site"
        old = _edition_tree(final, "old")
        new_dir = case / ".xc-tmp-site-1"
        new = _edition_tree(new_dir, "new")
        target = final
        if mode == "symlink":
            target = case / "link"
            target.symlink_to(final, target_is_directory=True)
        r = subprocess.run([sys.executable, str(driver), str(ROOT), str(new_dir), str(target), str(k),
                            "fallback" if mode == "fallback" else "exchange"], capture_output=True, text=True)
        assert r.returncode in (0, 9), r.stderr
        if mode == "fallback":
            output.check_target(final)  # the next build's first step
        if mode == "symlink":
            assert target.is_symlink() and target.resolve() == final.resolve()
        got = _contents(final) if final.is_dir() else {}
        assert got in (old, new), (k, sorted(got))
        assert [p.name for p in case.iterdir() if p.name.startswith(".xc-swap-")] == []
        if r.returncode == 0:
            assert got == new
            points = k
            break
    assert points >= 3, "the swap was interrupted at fewer points than it has file operations"
