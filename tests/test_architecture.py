"""Issue 11 pins: one edition per build, built from one reading of the campaign file;
wording as data; one YAML loader; no module state carrying the campaign; no campaign
passed to a build through the environment; files a newcomer can read.
"""

from __future__ import annotations

import ast
import collections
import os
import re
import shutil
import sys
from pathlib import Path

import pytest

from conftest import ROOT

MACROS = ROOT / "macros"
DATA = MACROS / "data"
PAGES = sorted((ROOT / "docs").rglob("*.md"))
PY = sorted(MACROS.rglob("*.py"))
DATA_FILES = sorted(DATA.rglob("*.yml"))

_AUDIT = {"on": False, "opened": collections.Counter()}


def _audit(event, args):
    """Counts every file this process opens while a counted build runs."""
    if event == "open" and _AUDIT["on"] and args and isinstance(args[0], (str, bytes, os.PathLike)):
        _AUDIT["opened"][os.path.realpath(os.fsdecode(args[0]))] += 1


_HOOKED = []


@pytest.fixture
def built():
    """`build(config)`: MkDocs' own build in this process (the fixture's name marks the
    test as a build)."""
    import mkdocs.commands.build

    return mkdocs.commands.build.build


def test_a_build_reads_the_campaign_once_and_each_data_file_once(tmp_path, monkeypatch, built):
    """A whole `mkdocs build` (in this process, CAMPAIGN set as a user sets it), caches
    cleared first: the campaign file is opened and parsed once, every data file it needs
    at most once and the main ones exactly once, and the build leaves the environment as
    it found it."""
    import mkdocs.config

    from macros import catalogue, yamlio

    if not _HOOKED:
        sys.addaudithook(_audit)  # cannot be removed; inert while _AUDIT["on"] is False
        _HOOKED.append(True)
    catalogue.clear()
    camp = tmp_path / "counted.yml"
    shutil.copy(ROOT / "campaigns" / "example.yml", camp)
    parsed = collections.Counter()
    real_parse = yamlio.parse

    def counting_parse(text, path, *a, **kw):
        parsed[os.path.realpath(path)] += 1
        return real_parse(text, path, *a, **kw)

    monkeypatch.setattr(yamlio, "parse", counting_parse)
    monkeypatch.setenv("CAMPAIGN", str(camp))
    env_before = dict(os.environ)
    cfg = mkdocs.config.load_config(str(ROOT / "mkdocs.yml"), site_dir=str(tmp_path / "site"), strict=True)
    _AUDIT["opened"].clear()
    _AUDIT["on"] = True
    try:
        built(cfg)
    finally:
        _AUDIT["on"] = False
    assert (tmp_path / "site" / "index.html").is_file()
    # Material's theme sets NO_MKDOCS_2_WARNING itself on import; nothing else may change.
    theirs = "NO_MKDOCS_2_WARNING"
    assert {k: v for k, v in os.environ.items() if k != theirs} == {k: v for k, v in env_before.items() if k != theirs}
    opened = _AUDIT["opened"]
    me = os.path.realpath(camp)
    assert opened[me] == 1 and parsed[me] == 1, (opened[me], parsed[me])
    data = {os.path.realpath(p): p.relative_to(DATA).as_posix() for p in DATA_FILES}
    twice = {data[p]: n for p, n in opened.items() if p in data and n > 1}
    assert twice == {}
    main = {"kinds.yml", "phrases.yml", "regulations.yml", "unit-types.yml", "schedule.yml", "talks.yml",
            "documents.yml", "checklists/before-entry.yml", "checklists/during.yml", "checklists/materials.yml",
            "checklists/rectification.yml"}
    loaded = {data[p] for p, n in opened.items() if p in data and n == 1}
    assert main <= loaded, main - loaded


def test_one_yaml_loader_reads_every_file():
    """Only macros/yamlio.py parses YAML (strict keys, Chinese errors); every other module
    reads through it."""
    parsing = re.compile(r"\byaml\.(safe_load|load|full_load|unsafe_load|compose|safe_load_all|load_all)\b")
    offenders = [f"{p.relative_to(ROOT)}:{n}" for p in PY if p.name != "yamlio.py"
                 for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if parsing.search(line)]
    assert offenders == []


def test_pages_do_not_branch_on_kind_or_type():
    """No page tests the inspection kind or unit type: such wording comes from the data
    files through named values."""
    test = re.compile(r"\b(c\.)?(kind|inspected\.type|unit_type)\s*(==|!=|\bin\b|\bnot in\b)")
    found = [f"{p.relative_to(ROOT)}:{n}: {line.strip()}" for p in PAGES
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if test.search(line)]
    assert found == []


def test_pages_cite_no_article_numbers():
    """Article numbers live in macros/data/regulations.yml only; no page writes 第…条."""
    art = re.compile(r"第[一二三四五六七八九十百零〇0-9]+条")
    found = [f"{p.relative_to(ROOT)}: {m}" for p in PAGES for m in art.findall(p.read_text(encoding="utf-8"))]
    assert found == []


def test_no_module_state_carries_the_campaign():
    """macros/state.py is gone; the hooks, the pipeline and the macros entry point bind no
    mutable value at module level and declare no `global`."""
    assert not (MACROS / "state.py").exists()
    for name in ("hooks.py", "pipeline.py", "__init__.py", "page_macros.py"):
        tree = ast.parse((MACROS / name).read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
                v = node.value
                mutable = isinstance(v, (ast.Dict, ast.List, ast.Set, ast.DictComp, ast.ListComp, ast.SetComp)) or (
                    isinstance(v, ast.Call) and isinstance(v.func, ast.Name)
                    and v.func.id in ("dict", "list", "set", "defaultdict", "OrderedDict", "Counter"))
                assert not mutable, f"{name}:{node.lineno} binds a mutable value at module level"
        globals_ = [n.lineno for n in ast.walk(tree) if isinstance(n, ast.Global)]
        assert globals_ == [], f"{name} declares global at lines {globals_}"


def _environ_writes(func: ast.AST) -> list[int]:
    lines = []
    for n in ast.walk(func):
        if isinstance(n, (ast.Assign, ast.AugAssign, ast.Delete)):
            targets = n.targets if isinstance(n, (ast.Assign, ast.Delete)) else [n.target]
            if any("environ" in ast.unparse(t) for t in targets):
                lines.append(n.lineno)
        if isinstance(n, ast.Call):
            f = ast.unparse(n.func)
            if f in ("os.putenv", "os.unsetenv") or (f.startswith("os.environ.") and
                                                     f.split(".")[-1] in ("update", "setdefault", "pop", "clear")):
                lines.append(n.lineno)
    return lines


def test_the_batch_passes_no_campaign_through_the_environment():
    """macros/editions.py never names CAMPAIGN, and the per-edition code (build_one and
    what it calls in the module) writes no environment variable."""
    src = (MACROS / "editions.py").read_text(encoding="utf-8")
    assert "CAMPAIGN" not in src
    tree = ast.parse(src)
    funcs = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    for name in ("build_one", "write_zip", "_entry"):
        assert _environ_writes(funcs[name]) == [], name


def test_every_data_file_opens_with_a_comment():
    """Each data file starts with a comment saying what it holds, for a non-programmer editor."""
    bare = [p.relative_to(ROOT).as_posix() for p in DATA_FILES
            if not p.read_text(encoding="utf-8").lstrip("\ufeff").startswith("#")]
    assert bare == []


def test_every_python_file_opens_with_a_docstring():
    """Each module under macros/ says what it is for in its opening docstring."""
    missing = [p.relative_to(ROOT).as_posix() for p in PY
               if not (ast.get_docstring(ast.parse(p.read_text(encoding="utf-8"))) or "").strip()]
    assert missing == []
