"""Benchmark (a script, not a test): one round of editions built the naive way and the
batch way, side by side in one run, with per-stage times and ratios.

    python tests/benchmark_editions.py [-n 24] [--no-pdf]      (make bench)

N campaign files with distinct ids are made from campaigns/*.yml in a temporary folder
(a round of N editions, every unit type and kind of the samples). Then:

- naive:  one `mkdocs build --strict` process per edition (site and .docx), then one
          `python -m macros.outputs.pdf` process per edition (its own Chromium);
- batch:  `python -m macros.editions --formats site,docx` on all N, and again with
          `site,docx,pdf` (the print pack stage is the difference);
- marginal edition: the batch on 2 editions and on N; (T_N - T_2) / (N - 2).

Wall times by `time.monotonic`; nothing is cached between the runs but what the
operating system caches (the batch runs first, on the colder cache).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_round(n: int, dest: Path) -> list[Path]:
    dest.mkdir(parents=True, exist_ok=True)
    sources = sorted((ROOT / "campaigns").glob("*.yml"))
    files = []
    for i in range(n):
        src = sources[i % len(sources)]
        text = src.read_text(encoding="utf-8-sig")
        m = re.search(r"(?m)^id: *(\S+)", text)
        new_id = f"{m.group(1)}-b{i:02d}"
        out = dest / f"{new_id}.yml"
        out.write_text(re.sub(r"(?m)^id: .*$", f"id: {new_id}", text, count=1), encoding="utf-8")
        files.append(out)
    return files


def env() -> dict:
    e = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    e.pop("SOURCE_DATE_EPOCH", None)
    return e


def run(cmd: list[str], **kw) -> float:
    t0 = time.monotonic()
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, **kw)
    elapsed = time.monotonic() - t0
    if r.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd[:4])} …\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}")
    return elapsed


def naive_site(files: list[Path], out: Path) -> float:
    total = 0.0
    for f in files:
        total += run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"),
                      "-d", str(out / f.stem)], env=dict(env(), CAMPAIGN=str(f)))
    return total


def naive_pdf(files: list[Path], out: Path) -> float:
    total = 0.0
    for f in files:
        site = out / f.stem
        total += run([sys.executable, "-m", "macros.outputs.pdf", str(site), str(site / "print-pack.pdf")], env=env())
    return total


def batch(files: list[Path], out: Path, formats: str, jobs: int | None) -> float:
    cmd = [sys.executable, "-m", "macros.editions", "--formats", formats, "--out", str(out)]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    return run(cmd + [str(f) for f in files], env=env())


def pages_of(site: Path) -> int:
    return len(list(site.rglob("*.html")))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("-n", type=int, default=24, help="editions in the round (default 24)")
    p.add_argument("--jobs", type=int, default=None, help="batch workers (default: the CPU count)")
    p.add_argument("--no-pdf", action="store_true", help="leave out the print pack stage")
    args = p.parse_args()
    n = args.n
    tmp = Path(tempfile.mkdtemp(prefix="bench-editions-"))
    try:
        files = make_round(n, tmp / "campaigns")
        b_small = batch(files[:2], tmp / "batch-2", "site,docx", args.jobs)
        b_site = batch(files, tmp / "batch-site", "site,docx", args.jobs)
        b_all = None if args.no_pdf else batch(files, tmp / "batch-all", "site,docx,pdf", args.jobs)
        n_site = naive_site(files, tmp / "naive")
        n_pdf = None if args.no_pdf else naive_pdf(files, tmp / "naive")
        pages = pages_of(tmp / "batch-site" / files[0].stem)
        pack_pages = None
        if not args.no_pdf:
            from pypdf import PdfReader

            pack_pages = len(PdfReader(str(tmp / "batch-all" / files[0].stem / "print-pack.pdf")).pages)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    jobs = args.jobs or min(os.cpu_count() or 1, n)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"batch workers: {jobs}")
    print(f"round: {n} editions, {pages} pages each" + (f", print pack {pack_pages} A4 pages" if pack_pages else ""))
    print()
    print(f"{'stage':<28}{'naive':>10}{'batch':>10}{'batch/naive':>14}")
    print(f"{'site + .docx':<28}{n_site:>9.1f}s{b_site:>9.1f}s{b_site / n_site:>14.2f}")
    if not args.no_pdf:
        b_pdf = b_all - b_site
        print(f"{'print pack (PDF)':<28}{n_pdf:>9.1f}s{b_pdf:>9.1f}s{b_pdf / n_pdf:>14.2f}")
        print(f"{'all':<28}{n_site + n_pdf:>9.1f}s{b_all:>9.1f}s{b_all / (n_site + n_pdf):>14.2f}")
    print()
    print(f"naive, per edition            : {n_site / n:.2f} s site + .docx"
          + ("" if args.no_pdf else f", {n_pdf / n:.2f} s print pack"))
    print(f"batch, marginal edition       : {(b_site - b_small) / (n - 2):.2f} s wall (site + .docx; "
          f"2 editions {b_small:.1f} s, {n} editions {b_site:.1f} s)")
    if not args.no_pdf:
        print(f"batch, print pack per edition : {(b_all - b_site) / n:.2f} s wall")


if __name__ == "__main__":
    main()
