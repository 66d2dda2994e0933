"""Zensical dry run (a script, not a test; `make zensical-check`): build one edition with
MkDocs and with Zensical, and report per page whether the article text matches.

    python tests/zensical_check.py ZENSICAL_EXECUTABLE [campaigns/example.yml]

Zensical reads this project's mkdocs.yml and runs our `define_env` through its own
macros extension, but it runs no MkDocs hooks: the .docx files, the leftover scan, the
titles broken by meaning, the home page's list of fills, the search aliases and the
safe output folder are MkDocs-only today. The report says which pages differ and how.
Exit status: 0 when Zensical built every page with no unrendered Jinja, 1 otherwise.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

JINJA = re.compile(r"\{\{|\{%|\{#|\}\}|%\}")


def article_text(path: Path) -> str | None:
    from lxml import html as lh

    if not path.is_file():
        return None
    doc = lh.parse(str(path)).getroot()
    for bad in doc.xpath("//script|//style|//*[contains(@class, 'headerlink')]"):
        bad.drop_tree()
    art = doc.xpath("//article")
    return " ".join((art[0] if art else doc).text_content().split())


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__.strip().splitlines()[0])
        return 2
    zensical = argv[0]
    campaign = Path(argv[1] if len(argv) > 1 else ROOT / "campaigns" / "example.yml").resolve()
    from macros import edition, pipeline

    tmp = Path(tempfile.mkdtemp(prefix="zensical-check-"))
    # Zensical writes only inside the project: a hidden folder of its own, removed after.
    mk_site, z_site = tmp / "mkdocs", ROOT / f".zensical-check-site-{os.getpid()}"
    pipeline.build_site(edition.from_file(campaign), mk_site)
    # The same mkdocs.yml, only writing elsewhere (Zensical has no -d option).
    config = ROOT / f".zensical-check-{os.getpid()}.yml"
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config.write_text(re.sub(r"(?m)^site_dir: .*$", f"site_dir: {z_site}", text), encoding="utf-8")
    try:
        r = subprocess.run([zensical, "build", "-f", str(config)], cwd=ROOT, capture_output=True, text=True,
                           env=dict(os.environ, CAMPAIGN=str(campaign), PYTHONPATH=str(ROOT)), timeout=600)
    finally:
        config.unlink(missing_ok=True)
    try:
        return _report(r, campaign, mk_site, z_site)
    finally:
        shutil.rmtree(z_site, ignore_errors=True)
        shutil.rmtree(tmp, ignore_errors=True)


def _report(r, campaign: Path, mk_site: Path, z_site: Path) -> int:
    print(f"campaign: {campaign.relative_to(ROOT) if campaign.is_relative_to(ROOT) else campaign}")
    print(f"zensical build: exit {r.returncode}")
    if r.returncode != 0:
        print((r.stdout + r.stderr)[-3000:])
        return 1
    pages = sorted(p.relative_to(mk_site).as_posix() for p in mk_site.rglob("*.html"))
    same = differ = missing = 0
    unrendered = []
    for rel in pages:
        a, b = article_text(mk_site / rel), article_text(z_site / rel)
        if b is None:
            missing += 1
            print(f"  missing   {rel}")
            continue
        if JINJA.search(b):
            unrendered.append(rel)
        if a == b:
            same += 1
            print(f"  same      {rel}")
            continue
        differ += 1
        sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
        ops = [op for op in sm.get_opcodes() if op[0] != "equal"]
        first = ops[0]
        print(f"  differs   {rel}: {len(ops)} place(s), text {sm.ratio():.1%} alike; first: "
              f"MkDocs «{a[first[1]:first[2]][:40]}» / Zensical «{b[first[3]:first[4]][:40]}»")
    print(f"pages: {len(pages)}; same {same}, differ {differ}, missing {missing}; "
          f"unrendered Jinja on {len(unrendered)} {unrendered if unrendered else ''}")
    return 1 if missing or unrendered else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
