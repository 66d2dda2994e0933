"""Shared fixtures: build real editions once per test session and hand out their folders.

`edition(source)` builds a campaign in this process, through the same stages as
`mkdocs build` (macros.pipeline.build_site), and returns the site folder. `source` is a
path, or a dict written to a temporary campaign file. Each distinct campaign is built
once per session, whichever xdist worker asks first: the others wait for it (a file lock
in the session's shared temporary folder) and reuse the folder.

Markers are set from the fixtures a test uses: `browser` (Chromium), `build` (a built
edition or a subprocess), and `unit` for everything else, so `pytest -m unit` runs in
seconds.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import functools
import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
CAMPAIGNS = sorted((ROOT / "campaigns").glob("*.yml"))
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# Campaigns the samples do not cover (other types, kinds and issuers), kept out of
# campaigns/ so they stand in for the files users will write.
HELD_OUT = sorted((FIXTURES / "campaigns").glob("*.yml"))
ALL_CAMPAIGNS = CAMPAIGNS + HELD_OUT
# The user's source speeches (shared/ sits beside the checkout, in CI too).
SOURCE_SPEECHES = ROOT.parent / "shared" / "reference" / "source-speeches.md"
# Screenshots for reviewers: a temporary folder, or tests/screenshots with UPDATE_SCREENSHOTS=1.
SHOTS = Path(__file__).resolve().parent / "screenshots"

# Words that date a text to an earlier period (domain-facts §7.2), the old name 巡查组,
# and the source's local campaign and trade jargon.
OUTDATED = ["十九大", "十九届", "两学一做", "脱贫攻坚", "精准脱贫", "三大攻坚战", "不忘初心", "巡查组",
            "王岐山", "两转一提", "财税体制改革", "依法理财", "扶贫", "十四五", "六个围绕"]
# Internal words a reader must never see: campaign key names and the tool's own jargon.
INTERNAL = ["版本文件", "缺省", "campaign", "inspected.", "home_committee", "focus.replace"]

BUILD_FIXTURES = {"edition", "example_site", "sites", "batch", "rerun", "built", "round_out", "libreoffice"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if names & {"chromium", "new_page", "printed", "printer"}:
            item.add_marker(pytest.mark.browser)
        elif names & BUILD_FIXTURES or item.get_closest_marker("subprocess"):
            item.add_marker(pytest.mark.build)
        else:
            item.add_marker(pytest.mark.unit)


def run_build(campaign: Path, site_dir: Path, *extra: str, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` as a user runs it (for the tests of the command itself)."""
    env = dict(os.environ, CAMPAIGN=str(campaign), NO_MKDOCS_2_WARNING="1", **(env_extra or {}))
    env.pop("SOURCE_DATE_EPOCH", None)
    # Never -q with --strict: -q hides the warnings --strict counts (mkdocs#4126).
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"),
         "-d", str(site_dir), *extra],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )


def build_in_process(campaign: Path, site_dir: Path) -> None:
    from macros import edition, pipeline

    pipeline.build_site(edition.from_file(campaign), site_dir)


def load_yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8-sig"))


class Editions:
    """Built editions of this session, shared by the xdist workers through `shared`."""

    def __init__(self, shared: Path):
        self.shared = shared
        self.shared.mkdir(parents=True, exist_ok=True)

    def __call__(self, source) -> Path:
        if isinstance(source, dict):
            text = yaml.safe_dump(source, allow_unicode=True, sort_keys=False)
            key = hashlib.sha256(text.encode()).hexdigest()[:16]
            path = self.shared / f"campaign-{key}.yml"
        else:
            path = Path(source)
            text = None
            key = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        site = self.shared / f"site-{key}"
        done = self.shared / f"site-{key}.done"
        failed = self.shared / f"site-{key}.failed"
        with open(self.shared / f"site-{key}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not done.exists() and not failed.exists():
                if text is not None:
                    path.write_text(text, encoding="utf-8")
                try:
                    build_in_process(path, site)
                    done.touch()
                except Exception as e:  # recorded so other workers fail the same way
                    failed.write_text(f"{type(e).__name__}: {e}", encoding="utf-8")
        if failed.exists():
            raise AssertionError(f"build of {path} failed:\n{failed.read_text(encoding='utf-8')}")
        return site


def _shared_tmp(tmp_path_factory) -> Path:
    base = tmp_path_factory.getbasetemp()
    # Under xdist each worker has its own basetemp inside one shared session folder.
    return (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "shared-editions"


def shared_once(tmp_path_factory, name: str, make) -> dict:
    """`make(folder)` run once per test session, whichever xdist worker asks first (the
    others wait for it, then read its JSON result). Folders are named once-<name>, apart
    from the editions the `edition` fixture shares."""
    import json
    import shutil

    root = _shared_tmp(tmp_path_factory).parent / f"once-{name}"
    result = root / "result.json"
    with open(f"{root}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not result.exists():
            shutil.rmtree(root, ignore_errors=True)
            root.mkdir(parents=True)
            result.write_text(json.dumps(make(root)), encoding="utf-8")
    return json.loads(result.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def edition(tmp_path_factory, worker_id) -> Editions:
    eds = Editions(_shared_tmp(tmp_path_factory))
    # Most tests run over every sample and held-out campaign. Each xdist worker first
    # builds its own share of them, so the workers build side by side instead of one
    # waiting on the other's lock for the campaign both want next.
    n = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    me = int(worker_id[2:]) if worker_id.startswith("gw") else 0
    for i, path in enumerate(ALL_CAMPAIGNS):
        if i % n == me:
            try:
                eds(path)
            except AssertionError:
                pass  # reported by the tests that use this campaign
    return eds


@pytest.fixture(scope="session")
def shots(tmp_path_factory) -> Path:
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        SHOTS.mkdir(exist_ok=True)
        return SHOTS
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture(scope="session")
def chromium():
    """One headless Debian chromium per test process: Playwright's sync API allows only one
    running instance per thread, and the browser and print tests share a worker."""
    from macros.outputs import pdf

    with pdf.browser() as b:
        yield b


class _Printed:
    """Built pages printed as a reader's browser prints them (print media, CSS page size),
    several tabs at once; each (site, page) once per session. The async printer lives on
    its own thread, away from the sync browser of the `chromium` fixture."""

    def __init__(self, folder: Path):
        import concurrent.futures

        from macros.outputs import pdf

        self.folder = folder
        self.pool = concurrent.futures.ThreadPoolExecutor(1)
        self.printer = self.pool.submit(pdf.Printer, 3, False).result()
        self.cache: dict[tuple[Path, str], Path] = {}

    def many(self, site: Path, rels: list[str]) -> list[Path]:
        todo = [r for r in dict.fromkeys(rels) if (site, r) not in self.cache]
        if todo:
            out = self.pool.submit(self.printer.print_pages, [site / r for r in todo]).result(timeout=600)
            for rel, (_, data) in zip(todo, out):
                path = self.folder / f"{len(self.cache)}-{site.name}-{rel.replace('/', '_')}.pdf"
                path.write_bytes(data)
                self.cache[(site, rel)] = path
        return [self.cache[(site, r)] for r in rels]

    def __call__(self, site: Path, rel: str) -> Path:
        return self.many(site, [rel])[0]

    def close(self):
        self.pool.submit(self.printer.close).result(timeout=60)
        self.pool.shutdown()


@pytest.fixture(scope="session")
def printed(tmp_path_factory):
    p = _Printed(tmp_path_factory.mktemp("printed"))
    yield p
    p.close()


@pytest.fixture(scope="session")
def libreoffice(tmp_path_factory):
    """convert([docx, …]) → [pdf, …]: LibreOffice Writer opens each .docx as a reader's
    office suite would and exports it. The fonts.conf beside this file stands in for
    a Chinese Windows machine: 仿宋_GB2312, 方正小标宋简体, 楷体_GB2312 and 黑体 map to
    installed TrueType faces, as WPS substitutes them on 信创 machines."""
    base = tmp_path_factory.mktemp("libreoffice")
    profile = (base / "profile").as_uri()
    env = dict(os.environ, FONTCONFIG_FILE=str(FIXTURES / "libreoffice-fonts.conf"))
    counter = iter(range(1_000_000))

    def convert(paths: list[Path], out: Path | None = None) -> list[Path]:
        """One LibreOffice run for all `paths` (its start-up costs more than a file);
        the PDFs go to `out`, or to a fresh folder."""
        out = out or base / f"out-{next(counter)}"
        src = out / "in"
        src.mkdir(parents=True)
        names = []
        for i, p in enumerate(paths):
            name = f"{i:04d}-{p.stem}.docx"
            (src / name).write_bytes(Path(p).read_bytes())
            names.append(name)
        r = subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--norestore",
                            "--convert-to", "pdf", "--outdir", str(out), *names],
                           cwd=src, env=env, capture_output=True, text=True, timeout=600)
        pdfs = [out / (Path(n).stem + ".pdf") for n in names]
        missing = [p.name for p in pdfs if not p.exists()]
        assert not missing, f"LibreOffice did not convert {missing}: {r.stderr[-500:]}"
        return pdfs

    return convert


@pytest.fixture(scope="session")
def example_site(edition) -> Path:
    return edition(ROOT / "campaigns" / "example.yml")


def page_text(site: Path, rel: str) -> str:
    """Visible text of a page's article (no navigation), whitespace folded."""
    tree = page_tree(site, rel)
    arts = tree.xpath("//article")
    return " ".join((arts[0] if arts else tree).text_content().split())


def page_tree(site: Path, rel: str):
    """A built page parsed, without scripts and styles (each file parsed once while it is
    unchanged; callers read it and never change it)."""
    st = (site / rel).stat()
    return _page_tree(str(site / rel), st.st_mtime_ns, st.st_size)


@functools.lru_cache(maxsize=512)
def _page_tree(path: str, mtime_ns: int, size: int):
    from lxml import html as lh

    tree = lh.fromstring(Path(path).read_text(encoding="utf-8"))
    for bad in tree.xpath("//script|//style"):
        bad.drop_tree()
    return tree


def doc_node(site: Path, rel: str):
    """The printed document of a page (div.xc-doc)."""
    nodes = page_tree(site, rel).xpath('//div[contains(concat(" ", normalize-space(@class), " "), " xc-doc ")]')
    assert len(nodes) == 1, f"{rel}: expected one printed document"
    return nodes[0]


def doc_text(site: Path, rel: str) -> str:
    """The printed document's text, whitespace folded."""
    return " ".join(doc_node(site, rel).text_content().split())


def doc_part(site: Path, rel: str, n: int) -> str:
    """Text of part n (1-based) of a document: from its n-th h2 to the next."""
    out, k = [], 0
    for e in doc_node(site, rel).iter():
        if e.tag == "h2":
            k += 1
        elif k == n and e.tag in ("p", "li", "h3"):
            out.append(" ".join(e.text_content().split()))
    return "".join(out)


def variant(base: Path | str, **changes) -> dict:
    """A campaign dict from a file with dotted-key changes; a value of None deletes the key."""
    data = load_yaml(Path(base))
    for dotted, value in changes.items():
        keys = dotted.split("__")
        node = data
        for k in keys[:-1]:
            node = node.setdefault(k, {})
        if value is None:
            node.pop(keys[-1], None)
        else:
            node[keys[-1]] = value
    return data


# Variants shared by several test files: identical dicts, so a session builds each once.
VARIANTS = {
    "example-bare": lambda: variant(ROOT / "campaigns" / "example.yml", group__leader=None, linked=None,
                                    contact__post_box=None, contact__reception=None),
    "mobile-all-channels": lambda: variant(ROOT / "campaigns" / "township-mobile.yml", theme=None,
                                           contact__sms="13800000002",
                                           contact__post_box="江滨区88号邮政信箱（邮编 000000）",
                                           contact__reception="河湾镇政府办公楼三楼301室",
                                           inspected__leader_name="刘晓燕"),
    "lookback-no-previous": lambda: variant(ROOT / "campaigns" / "lookback.yml", previous=None, group__leader=None),
    "county-spring-2026": lambda: variant(ROOT / "campaigns" / "county-regular.yml",
                                          dates__start=dt.date(2026, 4, 7)),
}


def campaign_cases(*variant_names: str) -> list:
    """pytest params: every file in campaigns/, then the named shared variants."""
    return [pytest.param(("file", p), id=p.stem) for p in CAMPAIGNS] + [
        pytest.param(("variant", name), id=name) for name in variant_names]


def resolve_case(edition, param) -> tuple[Path, dict]:
    """(site folder, campaign data) for a param made by campaign_cases()."""
    how, what = param
    if how == "file":
        return edition(what), load_yaml(what)
    data = VARIANTS[what]()
    return edition(data), data


# The only article numbers verified (domain-facts §5); any other "第…条" is unverified.
VERIFIED_ARTICLES = {"第六十二条", "第一百四十四条"}


def wording_problems(text: str) -> list[str]:
    """Outdated references and unverified citations in a page's text."""
    problems = [f"outdated: {w}" for w in OUTDATED if w in text]
    problems += [f"unverified article: {a}" for a in
                 sorted(set(re.findall(r"第[一二三四五六七八九十百零〇0-9]+条", text)) - VERIFIED_ARTICLES)]
    # No article number of the 2024 巡视工作条例 at all (none is verified).
    problems += [f"巡视工作条例 article: {m}" for m in re.findall(r"巡视工作条例》?第[一二三四五六七八九十百零]+条", text)]
    return problems


def _han(s: str) -> str:
    return "".join(re.findall(r"[\u4e00-\u9fff]", s))


COPY_RUN = 20  # a shared run this long (Han characters, punctuation ignored) counts as copied
# Fingerprints of every 20-character run of the source speeches: the test needs no copy
# of the user's text, and works whether or not shared/ sits beside the checkout.
SOURCE_FINGERPRINTS = FIXTURES / "source-speeches.sha1"
# Quotations of regulations that any text on the subject must give word for word, so a
# shared run inside one of them is not copying. Keep this short: each entry is the
# regulation's own wording (see macros/data/regulations.yml), never a speech's sentence.
QUOTATIONS = [
    # 巡视工作条例's list of obstructions as applied to 巡察 (domain-facts §5, item 3).
    "指使、强令有关单位或者人员干扰、阻挠巡察工作，或者诬告、陷害他人",
]


def _fingerprint(run: str) -> str:
    return hashlib.sha1(run.encode("utf-8")).hexdigest()[:12]


@functools.lru_cache(maxsize=1)
def source_fingerprints() -> frozenset[str]:
    if SOURCE_SPEECHES.exists():
        src = _han(SOURCE_SPEECHES.read_text(encoding="utf-8"))
        return frozenset(_fingerprint(src[i:i + COPY_RUN]) for i in range(len(src) - COPY_RUN + 1))
    return frozenset(SOURCE_FINGERPRINTS.read_text(encoding="ascii").split())


def copied_runs(text: str) -> list[str]:
    """Runs of 20 Han characters that `text` shares with the source speeches, outside the
    allowed regulation quotations."""
    prints, t = source_fingerprints(), _han(text)
    allowed = [_han(q) for q in QUOTATIONS]
    return sorted({t[i:i + COPY_RUN] for i in range(len(t) - COPY_RUN + 1)
                   if _fingerprint(t[i:i + COPY_RUN]) in prints
                   and not any(t[i:i + COPY_RUN] in q for q in allowed)})
