"""Chinese search, in Chromium, on editions opened from disk (file://).

A liaison searches for a word they remember from a page and expects that page. The
recall test samples 40 two-to-four-character strings from the text of random pages
(seeded, so a failure repeats) and needs the source page among the top ten results for
at least 38. Named words must find their pages, headings rank first, snippets are clean
and whole matches are highlighted, checklist controls are not searched, aliases work
both ways, and nothing is requested from outside the edition.
"""

from __future__ import annotations

import json
import random
import re
from urllib.parse import unquote, urlparse

import pytest
from lxml import html as lh

from browser_util import Watch, file_url, open_search
from conftest import ROOT

# Strings made only of these say nothing about a page (的了和是…): not sampled.
FUNCTION_CHARS = set("的了和是在等与及或对为以把被也就都而并其之这那个有不中上下所于将从向由")
CJK = re.compile(r"[\u4e00-\u9fff]+")

WAIT_JS = """(q) => {
  const meta = document.querySelector('.md-search-result__meta');
  if (!meta) return false;
  if (meta.textContent.includes('没有找到')) return true;
  // Results for this query: some link carries it as the highlight parameter.
  return [...document.querySelectorAll('.md-search-result__item a')].some(a =>
    (new URL(a.href).searchParams.get('h') || '').split(' ').includes(q.toLowerCase()));
}"""

RESULTS_JS = """() => [...document.querySelectorAll('.md-search-result__item')].map(li => ({
  page: li.querySelector('a').getAttribute('href'),
  title: (li.querySelector('h1') || {}).textContent || '',
  headings: [...li.querySelectorAll('article h2')].map(h => h.textContent),
  snippets: [...li.querySelectorAll('article')].map(a => {
    const c = a.cloneNode(true); c.querySelectorAll('h1, h2, .md-search-result__icon').forEach(x => x.remove());
    return c.textContent.trim(); }).filter(Boolean),
  marks: [...li.querySelectorAll('mark')].map(m => m.textContent)
}))"""


def run_query(page, query: str) -> list[dict]:
    """Type `query` into the search box as a reader would; the results in order."""
    box = open_search(page)
    box.fill("")
    box.press_sequentially(query)
    # CJK text typed this way sends no key events; Material searches on a real key press.
    page.keyboard.press("End")
    page.wait_for_function(WAIT_JS, arg=query, timeout=10000)
    return page.evaluate(RESULTS_JS)


def readable_text(site, rel: str) -> str:
    """What a reader reads on a page: the article without scripts, controls, hidden or
    print-only parts (the same exclusions the index makes)."""
    doc = lh.parse(str(site / rel)).getroot()
    for bad in doc.xpath('//script|//style|//*[@data-search-exclude]|//*[@hidden]|//*[@aria-hidden="true"]'
                         '|//*[contains(concat(" ", @class, " "), " xc-print-only ")]'):
        bad.drop_tree()
    art = doc.xpath("//article")
    return art[0].text_content() if art else ""


@pytest.fixture(scope="module")
def hospital(edition):
    return edition(ROOT / "campaigns" / "hospital-insurance.yml")


# The case: a 医保基金 inspection of the health commission, whose full name holds
# 卫生健康委员会 and which readers call 卫健委.
HEALTH = {"inspected__org": "市卫生健康委员会党组", "inspected__unit": "市卫生健康委员会",
          "inspected__short": "市卫健委", "inspected__type": "部门", "inspected__leader_title": "党组书记"}


@pytest.fixture(scope="module")
def health(edition):
    from conftest import variant

    return edition(variant(ROOT / "campaigns" / "hospital-insurance.yml", **HEALTH))


@pytest.fixture
def search_page(chromium):
    """A tab of its own, for the test that watches every request from the first."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="module")
def searcher(chromium):
    """open(site) → a tab on the edition's home page, ready to search. One tab per module,
    kept on a site between tests: queries do not change the page, and each test clears the
    box before it types."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()

    def open_at(site):
        url = file_url(site)
        if page.url != url:
            page.goto(url)
        return page

    yield open_at
    context.close()


def _rel(site, href: str) -> str:
    path = unquote(urlparse(href).path) if "://" in href else href.split("?")[0]
    path = path.split("#")[0]
    root = str(site.resolve())
    return path[len(root) + 1:] if path.startswith(root) else path


def test_recall_of_words_on_the_page(example_site, searcher):
    """38 of 40 sampled strings find the page they came from in the top ten."""
    site = example_site
    manifest = json.loads((site / ".xc-edition.json").read_text(encoding="utf-8"))
    pages = [d["url"] for d in manifest["documents"]]
    rng = random.Random(20261129)
    samples = []
    while len(samples) < 40:
        rel = rng.choice(pages)
        runs = [r for r in CJK.findall(readable_text(site, rel)) if len(r) >= 2]
        if not runs:
            continue
        run = rng.choice(runs)
        n = rng.randint(2, min(4, len(run)))
        start = rng.randint(0, len(run) - n)
        s = run[start:start + n]
        if set(s) <= FUNCTION_CHARS or (s, rel) in samples:
            continue
        samples.append((s, rel))
    search_page = searcher(site)
    misses = []
    for s, rel in samples:
        results = run_query(search_page, s)
        top = [_rel(site, r["page"]) for r in results[:10]]
        if rel not in top:
            misses.append((s, rel, top[:3]))
    print(f"\nrecall: {40 - len(misses)} of 40 found on their page's top ten; missed: {misses}")
    assert len(misses) <= 2, f"{len(misses)} of 40 missed: {misses}"


@pytest.mark.parametrize("word", ["基金", "卫健委", "卫生健康委", "意见箱", "保密", "市卫健委"])
def test_named_words_find_their_pages(health, searcher, word):
    """Each word finds the pages whose text holds it (or one of its other names), the
    unit's short name included; what is highlighted is the whole word or other name."""
    site = health
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    aliases = sorted({x for g in index["config"]["aliases"] if any(w in word for w in g) for x in g})
    holding = [p.relative_to(site).as_posix() for p in site.rglob("*.html")
               if any(w in readable_text(site, p.relative_to(site).as_posix()) for w in [word, *aliases])]
    assert holding, f"no page holds {word}: the test has nothing to find"
    results = run_query(searcher(site), word)
    found = [_rel(site, r["page"]) for r in results]
    assert set(holding) & set(found[:10]), f"{word}: pages {holding} not among {found[:10]}"
    # The highlighted words are the whole term (or an alias), never a part of it.
    marks = {m for r in results for m in r["marks"]}
    allowed = {word, *aliases} | {word.replace(a, b) for a in aliases for b in aliases if a in word}
    assert marks and marks <= allowed, marks - allowed


def test_a_heading_ranks_first(example_site, searcher):
    """意见箱: the page whose heading holds the word comes first."""
    site = example_site
    with_heading = []
    for p in site.rglob("*.html"):
        doc = lh.parse(str(p)).getroot()
        if any("意见箱" in h.text_content() for h in doc.xpath("//article//h1|//article//h2|//article//h3")):
            with_heading.append(p.relative_to(site).as_posix())
    assert with_heading, "no heading holds 意见箱: nothing to rank"
    results = run_query(searcher(site), "意见箱")
    assert _rel(site, results[0]["page"]) in with_heading, [r["page"] for r in results[:3]]


@pytest.mark.parametrize("query", ["意见箱", "谈话", "整改", "保密", "资料", "移交"])
def test_snippets_are_clean(example_site, searcher, query):
    """No zero-width character; no snippet starts with punctuation; no checklist control
    text (progress, buttons, the tick box's label, the paper columns' headers)."""
    results = run_query(searcher(example_site), query)
    assert results
    controls = ["已完成 0", "清除勾选", "导出勾选", "导入勾选", "打印本页", "下载 Word"]
    for r in results:
        for s in r["snippets"]:
            assert "\u200b" not in s
            assert not re.match(r"^[，。、；：！？）》”’…—]", s), s[:20]
            for c in controls:
                assert c not in s, f"checklist control text {c!r} in a snippet: {s[:60]}"


def test_aliases_work_both_ways(hospital, searcher):
    """医保 finds 医疗保障 and the reverse; the theme's other names find the theme."""
    site = hospital
    search_page = searcher(site)
    a = {_rel(site, r["page"]) for r in run_query(search_page, "医疗保障")}
    b = {_rel(site, r["page"]) for r in run_query(search_page, "医保")}
    assert a and b and a & b
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    groups = index["config"]["aliases"]
    assert any({"医保", "医疗保障"} <= set(g) for g in groups)
    assert any({"三重一大"} <= set(g) for g in groups)
    assert any("市第一人民医院" in g for g in groups), "the unit's names are an alias group"


def test_index_is_clean_and_small(example_site, hospital):
    """The index holds no zero-width space and stays well under 2 MB."""
    for site in (example_site, hospital):
        raw = (site / "search" / "search_index.json").read_bytes()
        assert "\u200b".encode() not in raw
        assert len(raw) < 2_000_000
        js = (site / "search" / "search_index.js").read_text(encoding="utf-8")
        assert js.startswith("var __index = ") and json.loads(js[len("var __index = "):]) == json.loads(raw)
        print(f"\n{site.name}: search index {len(raw) / 1024:.0f} KiB")


def test_search_makes_no_request_outside_the_edition(example_site, search_page):
    """Searching from disk loads only the edition's own files."""
    watch = Watch(search_page, example_site)
    search_page.goto(file_url(example_site))
    run_query(search_page, "巡察")
    assert not watch.outside(), watch.outside()
    assert not watch.errors, watch.errors
