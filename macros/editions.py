"""Build many editions at once: `python -m macros.editions [--out DIR] [--jobs N]
[--formats site,docx,pdf] [--check] [--force] FILE...`

Each campaign becomes `DIR/<id>/` (the site, its .docx downloads and, with `pdf`,
`print-pack.pdf`) and `DIR/<id>.zip` (top level `<id>/index.html`, so it opens from disk
after unzipping); `DIR/index.html` lists every edition in DIR (from `DIR/editions.json`).

Why in-process: a `mkdocs build` subprocess spends most of its time importing MkDocs and
the theme and loading jieba's dictionary. Here a few long-lived workers do that once and
build edition after edition, each through the same stages as `mkdocs build`
(macros/pipeline.py). The parent validates every file first and hands each worker the
validated campaign, so no file is read twice and no campaign travels in an environment
variable.

Safety: DIR is locked for the run; DIR and each `DIR/<id>` are replaced only when they
are ours (see macros/output.py); each edition is built in a temporary folder inside DIR
and swapped in whole, so a failed build leaves the previous edition (folder and zip)
exactly as it was, and one bad campaign never stops the others. Workers die with the
parent and never swap after it is gone; Ctrl-C stops everything (exit 130).

Output is reproducible: file dates come from each campaign's start date
(SOURCE_DATE_EPOCH when set), zip entries are sorted with fixed times and permissions,
and the manifest and index are written in a fixed order.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import contextlib
import ctypes
import json
import logging
import multiprocessing
import os
import re
import shutil
import signal
import sys
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Workers import `macros` (and MkDocs loads hooks and the macros module) from the project.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from macros import output  # noqa: E402

FORMATS = ("site", "docx", "pdf")
DEFAULT_FORMATS = "site,docx"
MANIFEST = "editions.json"
INDEX = "index.html"
# Our own temporary names inside DIR; nothing else there is ever removed.
TMP_PATTERN = r"\.xc-(?:tmp|old)-.*-(\d+)(?:\.zip)?"


# ---- Jobs ----------------------------------------------------------------------------------


@dataclass
class Job:
    """One edition to build; plain data (and a validated campaign) so it crosses to a worker."""

    id: str
    source: str          # the file it came from (and, for a round, the entry): for messages
    path: str            # the file relative paths in the campaign are resolved against
    campaign: object     # a validated schema.Campaign
    epoch: int
    formats: tuple[str, ...]
    out: str
    parent: int = 0
    force: bool = False
    entry: dict = field(default_factory=dict)


def _entry(ed) -> dict:
    """What the index shows for one edition: plain values, escaped on output."""
    v = ed.values
    return {
        "id": ed.id,
        "org": v.inspected.org,
        "unit": v.inspected.unit,
        "group": v.group.name,
        "group_number": v.group.number,
        "kind": v.kind_label,
        "round": v.round_label,
        "dates": v.dates.range,
        "start": ed.dates.start.isoformat(),
        "end": ed.dates.end.isoformat(),
        "source": Path(ed.path).name,
    }


# ---- Worker side: one process builds many editions ----------------------------------------


def _die_with_parent():
    """Linux: the kernel kills this worker when the parent goes (prctl PR_SET_PDEATHSIG)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _worker_init(parent: int):
    """Load MkDocs, the theme and jieba once per worker; keep the console quiet."""
    _die_with_parent()
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    os.chdir(ROOT)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    mk = logging.getLogger("mkdocs")
    mk.setLevel(logging.WARNING)  # INFO chatter off; WARNING still reaches the strict counter
    mk.propagate = False  # warnings are collected per edition and reported by the parent
    try:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
    except ImportError:
        pass
    import material.plugins.search.plugin  # noqa: F401
    import mkdocs.commands.build  # noqa: F401
    import mkdocs.config  # noqa: F401


_PRINTER = []  # this worker's browser for print packs, started on first use


def _printer():
    """One chromium per worker, kept for every print pack the worker makes."""
    if not _PRINTER:
        from macros.outputs import pdf

        _PRINTER.append(pdf.Printer())
    return _PRINTER[0]


def build_one(job: Job) -> dict:
    """Build, package and swap in one edition. Never raises: returns a result dict."""
    from macros import edition, pipeline

    t0 = time.monotonic()
    out = Path(job.out)
    tmp = out / f".xc-tmp-{job.id}-{os.getpid()}"
    tmp_zip = out / f".xc-tmp-{job.id}-{os.getpid()}.zip"
    result = {"id": job.id, "source": job.source, "ok": False, "error": ""}
    try:
        shutil.rmtree(tmp, ignore_errors=True)
        final = output.check_target(out / job.id, job.force, what="版本文件夹")
        ed = edition.build(job.campaign, Path(job.path))
        # Without "docx" the Word files are not made at all (not made and thrown away).
        pipeline.build_site(ed, tmp, word="docx" in job.formats)
        if "pdf" in job.formats:
            from macros.outputs import pdf

            pdf.build_pack(tmp, tmp / "print-pack.pdf", printer=_printer())
        write_zip(tmp, tmp_zip, job.id, job.epoch)
        if job.parent and os.getppid() != job.parent:
            raise RuntimeError("父进程已结束，放弃替换")
        output.swap_in(tmp, final)
        os.replace(tmp_zip, out / f"{job.id}.zip")
        result["ok"] = True
        result["entry"] = _entry(ed)
    except pipeline.BuildFailure as e:
        result["error"] = str(e)
    except output.OutputRefused as e:
        result["error"] = str(e)
    except edition.EditionError as e:
        result["error"] = e.report()
    except OSError as e:  # disk full, read-only, a folder removed under us
        result["error"] = f"写入失败：{output.os_error_text(e)}。"
    except Exception as e:  # a full traceback helps no one here; the type and message do
        result["error"] = f"生成或打包时出错：{type(e).__name__}: {e}"
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        tmp_zip.unlink(missing_ok=True)
    result["seconds"] = time.monotonic() - t0
    return result


def write_zip(folder: Path, dest: Path, top: str, epoch: int) -> None:
    """A byte-reproducible zip of `folder` under the top-level name `top`: sorted
    entries, one fixed timestamp, fixed permissions, fixed compression."""
    stamp = time.gmtime(max(epoch, 315532800))[:6]  # zip dates start in 1980
    paths = sorted(folder.rglob("*"), key=lambda p: p.relative_to(folder).as_posix())
    with zipfile.ZipFile(dest, "w") as zf:
        d = zipfile.ZipInfo(f"{top}/", date_time=stamp)
        d.create_system = 3
        d.external_attr = (0o40755 << 16) | 0x10
        zf.writestr(d, b"")
        for p in paths:
            rel = p.relative_to(folder).as_posix()
            if p.is_dir():
                info = zipfile.ZipInfo(f"{top}/{rel}/", date_time=stamp)
                info.create_system = 3
                info.external_attr = (0o40755 << 16) | 0x10
                zf.writestr(info, b"")
            else:
                info = zipfile.ZipInfo(f"{top}/{rel}", date_time=stamp)
                info.create_system = 3
                info.external_attr = 0o100644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, p.read_bytes(), compresslevel=9)


# ---- Manifest and index page -------------------------------------------------------------


def _read_manifest(out: Path) -> dict:
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        return {e["id"]: e for e in data.get("editions", []) if isinstance(e, dict) and "id" in e}
    except (OSError, ValueError, KeyError, AttributeError):
        return {}


def update_index(out: Path, built: dict[str, dict]) -> list[dict]:
    """Merge this run's editions into the manifest, keep earlier ones still on disk, and
    rewrite editions.json and index.html (sorted, no clock time: reproducible)."""
    from macros.outputs import index_page

    entries = _read_manifest(out)
    entries.update(built)
    kept = []
    for ident, e in entries.items():
        if (out / ident / "index.html").is_file():
            e = dict(e)
            e["pdf"] = (out / ident / "print-pack.pdf").is_file()
            e["zip"] = (out / f"{ident}.zip").is_file()
            e["docx"] = (out / ident / "speeches" / "leader-opening.docx").is_file()
            kept.append(e)
    kept.sort(key=lambda e: (e.get("start", ""), e["id"]), reverse=True)
    manifest = {"generator": "xc-editions", "editions": kept}
    output.replace_file(json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n", out / MANIFEST)
    output.replace_file(index_page.render(kept), out / INDEX)
    return kept


def _ours_only(folder: Path) -> list[str]:
    """What is in DIR apart from what this tool leaves there (the old lock file, the
    temporary folders of a killed run): the names that make DIR someone else's."""
    return sorted(p.name for p in folder.iterdir()
                  if p.name != output.LOCK_NAME and not re.fullmatch(TMP_PATTERN, p.name)
                  and not re.fullmatch(r"\.xc-swap-.*-\d+", p.name))


def check_out_folder(out: Path, force: bool) -> Path:
    """DIR itself: new, empty, or an editions folder we wrote (it has our manifest)."""
    real = output.check_target(out, force=True, what="输出文件夹")
    if real.is_dir() and not force and _ours_only(real):
        ours = False
        try:
            ours = json.loads((real / MANIFEST).read_text(encoding="utf-8")).get("generator") == "xc-editions"
        except (OSError, ValueError, AttributeError):
            ours = False
        if not ours and not _old_style_editions_folder(real):
            names = "、".join(_ours_only(real)[:6])
            raise output.OutputRefused(
                f"输出文件夹 {out} 中已有不是本工具生成的内容（{names}），为免覆盖，本次未做任何改动。"
                f"请换一个空文件夹；确认可以使用时，再加 --force。")
    return real


def _old_style_editions_folder(folder: Path) -> bool:
    # Folders written before the manifest carried "generator": entries with our fields.
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        eds = data.get("editions")
        return isinstance(eds, list) and all(isinstance(e, dict) and "id" in e and "org" in e for e in eds)
    except (OSError, ValueError, AttributeError):
        return False


def _round_outputs(found, out: Path, built: dict[str, dict]) -> None:
    """For each round file: the combined announcement (.html, .docx) and round.json, made
    from the editions of the round built in this run or already in the folder."""
    from macros import edition
    from macros.outputs import round_notice

    for rf in found.rounds:
        if any(item.campaign is None for item in rf.items):
            # The combined announcement lists every group of the round: with an entry that
            # cannot be read it would leave a group out, so the previous one stays.
            print(f"提示：{rf.path} 中有的项目有误，本轮进驻情况公告未重新生成（原有的保持不变）。", file=sys.stderr)
            continue
        eds = [edition.build(item.campaign, item.path) for item in rf.items
               if item.campaign is not None and (item.campaign.id in built or (out / item.campaign.id).is_dir())]
        if not eds:
            continue
        stem = "" if len(found.rounds) == 1 else f"-{rf.path.stem}"
        page = round_notice.html(eds)
        output.replace_file(page, out / f"announcement{stem}.html")
        output.replace_file(round_notice.docx_bytes(page, eds), out / f"announcement{stem}.docx")
        output.replace_file(round_notice.round_json(eds), out / f"round{stem}.json")
        for ed in eds:
            if ed.id in built:
                built[ed.id]["round_notice"] = f"announcement{stem}.html"


# ---- Reporting -------------------------------------------------------------------------------


def failure_report(res: dict) -> str:
    lines = [f"    来源：{res['source']}"]
    for line in (res.get("error") or "").strip().splitlines()[:40]:
        lines.append(f"    {line}")
    lines.append("    本版本未更新：原有的版本文件夹与压缩包（如有）保持不变。")
    return "\n".join(lines)


class Progress:
    """Per-edition lines on stdout; a counter bar on stderr when it is a terminal."""

    def __init__(self, total: int):
        self.total = total
        self.done = 0
        self.tty = sys.stderr.isatty()

    def _clear(self):
        if self.tty:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()

    def bar(self):
        if not self.tty or not self.total:
            return
        width = 24
        filled = int(width * self.done / self.total)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} 生成中…")
        sys.stderr.flush()

    def line(self, text: str):
        self._clear()
        print(text, flush=True)
        self.bar()

    def finish(self):
        self._clear()


# ---- Command line ----------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse would print English usage text
        self.exit(2, f"错误：命令行参数有误（{message}）。用法见 python -m macros.editions --help\n")


def _parse(argv):
    p = _Parser(prog="python -m macros.editions",
                description="按巡察版本文件（或本轮巡察文件）批量生成版本：网站、.docx、打印包 PDF、压缩包。")
    p.add_argument("files", nargs="*", metavar="FILE", help="巡察版本文件（campaigns/*.yml），或本轮巡察文件（.yml、.xlsx）")
    p.add_argument("--out", default="editions", help="输出文件夹（默认 editions）")
    p.add_argument("--jobs", type=int, default=None, help="并行进程数（默认为 CPU 数，且不超过版本数）")
    p.add_argument("--formats", default=DEFAULT_FORMATS,
                   help=f"输出内容，逗号分隔：site,docx,pdf（默认 {DEFAULT_FORMATS}；网站总会生成）")
    p.add_argument("--check", action="store_true", help="只校验，报告全部问题，不生成任何文件")
    p.add_argument("--force", action="store_true", help="输出文件夹中有非本工具生成的内容时，仍然替换")
    p.add_argument("--xlsx-template", metavar="FILE.xlsx", help="写出一个空白的本轮巡察 Excel 模板，然后退出")
    args = p.parse_args(argv)
    if not args.files and not args.xlsx_template:
        p.error("请给出巡察版本文件或本轮巡察文件")
    return args


INTERRUPTED = "已中断：未完成的版本没有替换，原有版本保持不变。"


def main(argv=None) -> int:
    try:
        return _main(argv)
    except KeyboardInterrupt:
        print(INTERRUPTED, file=sys.stderr)
        return 130


def _main(argv=None) -> int:
    args = _parse(argv)
    from macros import inputs

    if args.xlsx_template:
        from macros import rounds

        target = Path(args.xlsx_template)
        if target.exists():
            print(f"错误：{target} 已存在，为免覆盖，请换一个文件名。", file=sys.stderr)
            return 2
        rounds.write_template(target)
        print(f"已写出本轮巡察模板：{target}（工作表：{rounds.SETTINGS}、{rounds.PLAN}、{rounds.HELP}）")
        return 0

    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        print(f"错误：未知的输出格式 {'、'.join(unknown)}；可选 {','.join(FORMATS)}。", file=sys.stderr)
        return 2
    formats = tuple(f for f in FORMATS if f in formats or f == "site")
    if args.jobs is not None and args.jobs < 1:
        print("错误：--jobs 应为正整数。", file=sys.stderr)
        return 2

    found = inputs.collect([Path(f) for f in args.files])
    if found.fatal:
        print("错误：未生成任何版本。" if not args.check else "错误：", file=sys.stderr)
        for e in found.fatal:
            print(f"  - {e}", file=sys.stderr)
        if not args.check:
            return 2

    if args.check:
        for item in found.items:
            if item.error:
                print(f"✗ {item.source}\n" + "\n".join("    " + line for line in item.error.splitlines()))
            else:
                print(f"✓ {item.source}（{item.campaign.id}）")
        n_bad = sum(1 for i in found.items if i.error)
        print(f"校验完成：{len(found.items) - n_bad} 个有效，{n_bad} 个有误，共 {len(found.items)} 个；未生成任何文件。")
        return 2 if found.fatal else (1 if n_bad else 0)

    out = Path(args.out)
    try:
        out = check_out_folder(out, args.force)
        created = not out.exists()
        out.mkdir(parents=True, exist_ok=True)
        with output.lock(out):
            rc, n_built = _build_all(found, out, formats, args)
            if created and not n_built:
                # Nothing built: leave no trace, not even the empty folder this run made.
                with contextlib.suppress(OSError):
                    out.rmdir()
            return rc
    except output.OutputRefused as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"错误：无法写入输出文件夹 {out}：{output.os_error_text(e)}。本次未替换任何版本。", file=sys.stderr)
        return 1


def _build_all(found, out: Path, formats, args) -> tuple[int, int]:
    output.remove_stale(out, TMP_PATTERN)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    user_epoch = os.environ.get("SOURCE_DATE_EPOCH")

    jobs = []
    for item in found.items:
        if item.error:
            continue
        c = item.campaign
        epoch = int(user_epoch) if user_epoch and user_epoch.isdigit() else output.epoch_of(c.dates.start)
        jobs.append(Job(id=c.id, source=item.source, path=str(item.path), campaign=c, epoch=epoch,
                        formats=formats, out=str(out), parent=os.getpid(), force=args.force))

    t0 = time.monotonic()
    progress = Progress(len(found.items))
    failed: list[str] = []
    built: dict[str, dict] = {}
    for item in found.items:
        if item.error:
            progress.done += 1
            progress.line(f"✗ {item.source}  校验未通过\n" + "\n".join("    " + line for line in item.error.splitlines()))
            failed.append(item.source)

    if jobs:
        workers = max(1, min(args.jobs or os.cpu_count() or 1, len(jobs)))
        progress.bar()
        pool = cf.ProcessPoolExecutor(max_workers=workers, initializer=_worker_init, initargs=(os.getpid(),))
        try:
            futures = {pool.submit(build_one, job): job for job in jobs}
            for fut in cf.as_completed(futures):
                job = futures[fut]
                progress.done += 1
                try:
                    res = fut.result()
                except Exception as e:  # a worker died (killed, out of memory)
                    res = {"id": job.id, "source": job.source, "ok": False, "seconds": 0.0,
                           "error": f"工作进程异常终止：{type(e).__name__}"}
                if res["ok"]:
                    built[job.id] = res["entry"]
                    progress.line(f"✓ {job.id}  {res['seconds']:.1f} s")
                else:
                    failed.append(job.source)
                    progress.line(f"✗ {job.id}  {res['seconds']:.1f} s\n" + failure_report(res))
        except KeyboardInterrupt:
            # Leave at once: waiting for the workers would finish their editions first.
            # Stop them (they would die with this process anyway, PR_SET_PDEATHSIG, and
            # never swap after it is gone), then clear their half-built folders.
            progress.finish()
            children = multiprocessing.active_children()
            for proc in children:
                proc.kill()
            for proc in children:
                proc.join(5)
            output.remove_stale(out, TMP_PATTERN)
            print(INTERRUPTED, file=sys.stderr, flush=True)
            os._exit(130)
        pool.shutdown(wait=True)
    progress.finish()

    if built:
        _round_outputs(found, out, built)
        update_index(out, built)
    total = time.monotonic() - t0
    index_note = f"（版本一览：{out / INDEX}）" if built else "（未生成任何版本，版本一览未改动）"
    print(f"完成：成功 {len(built)} 个，失败 {len(failed)} 个，共 {len(found.items)} 个；用时 {total:.1f} s；"
          f"输出文件夹 {out}{index_note}")
    if failed:
        print("未成功的：" + "、".join(failed))
    return (1 if failed else 0), len(built)


if __name__ == "__main__":
    sys.exit(main())
