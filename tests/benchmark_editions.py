"""Benchmark (a script, not a test): N editions built one `mkdocs build` subprocess at a
time versus one `python -m macros.editions --formats site` run, side by side.

    python tests/benchmark_editions.py [-n 12] [--jobs N]

N variant campaign files with distinct ids are generated from campaigns/*.yml into a
temporary folder; both methods build the same files into their own output folders.
Prints both wall times and the ratio (target: the batch takes at most half the time).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_variants(n: int, dest: Path) -> list[Path]:
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


def one_by_one(files: list[Path], out: Path) -> float:
    t0 = time.monotonic()
    for f in files:
        r = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"),
             "-d", str(out / f.stem)],
            cwd=ROOT, env=dict(env(), CAMPAIGN=str(f)), capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit(f"mkdocs build failed for {f}:\n{r.stdout}\n{r.stderr}")
    return time.monotonic() - t0


def batch(files: list[Path], out: Path, jobs: int | None) -> float:
    cmd = [sys.executable, "-m", "macros.editions", "--formats", "site", "--out", str(out)]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    t0 = time.monotonic()
    r = subprocess.run(cmd + [str(f) for f in files], cwd=ROOT, env=env(), capture_output=True, text=True)
    elapsed = time.monotonic() - t0
    if r.returncode != 0:
        sys.exit(f"macros.editions failed:\n{r.stdout}\n{r.stderr}")
    return elapsed


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("-n", type=int, default=12, help="number of editions (default 12)")
    p.add_argument("--jobs", type=int, default=None, help="workers for the batch (default: CPU count)")
    args = p.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-editions-"))
    try:
        files = make_variants(args.n, tmp / "campaigns")
        # The batch runs first, on the colder disk cache: the order does not favour it.
        t_batch = batch(files, tmp / "batch", args.jobs)
        t_seq = one_by_one(files, tmp / "seq")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    jobs = args.jobs or min(os.cpu_count() or 1, args.n)
    print(f"editions: {args.n}   cores: {os.cpu_count()}   batch workers: {jobs}")
    print(f"one mkdocs build per campaign : {t_seq:7.1f} s  ({t_seq / args.n:.2f} s each)")
    print(f"python -m macros.editions     : {t_batch:7.1f} s  ({t_batch / args.n:.2f} s each)")
    print(f"batch / one-by-one            : {t_batch / t_seq:7.2f}  (speed-up {t_seq / t_batch:.1f}x)")


if __name__ == "__main__":
    main()
