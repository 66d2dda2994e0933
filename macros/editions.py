"""Build many editions at once: `python -m macros.editions [--out DIR] [--jobs N]
[--formats site,docx,pdf] [--check] FILE...`

Each campaign file becomes `DIR/<id>/` (the site, its .docx downloads and, with `pdf`,
`print-pack.pdf`) and `DIR/<id>.zip` (top level `<id>/index.html`, so it opens from disk
after unzipping); `DIR/index.html` lists every edition in DIR (from `DIR/editions.json`).

Why in-process: a `mkdocs build` subprocess spends most of its time importing MkDocs and
the theme and loading jieba's dictionary. Here a few long-lived workers do that once and
build edition after edition. Each edition is built into a temporary folder inside DIR
and swapped in only when complete, so a failed build leaves the previous edition (folder
and zip) exactly as it was, and one bad campaign never stops the others.

Output is reproducible: dates come from SOURCE_DATE_EPOCH (the user's, else the
campaign's start date), zip entries are sorted with fixed times and permissions, and
the manifest and index are written in a fixed order.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import html
import json
import logging
import os
import re
import shutil
import sys
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from macros import atomic

ROOT = Path(__file__).resolve().parent.parent
# Workers import `macros` (and MkDocs loads hooks and the macros module) from the project.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

FORMATS = ("site", "docx", "pdf")
DEFAULT_FORMATS = "site,docx"
MANIFEST = "editions.json"
INDEX = "index.html"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


# ---- Campaign files: checks before anything is built ------------------------------------


@dataclass
class Job:
    """One edition to build; plain data so it crosses to a worker process."""

    id: str
    file: str
    epoch: int
    formats: tuple[str, ...]
    out: str
    entry: dict = field(default_factory=dict)


def _raw_id(path: Path):
    """The `id` as written, even when the file is otherwise invalid (for duplicate checks)."""
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except Exception:
        return None
    if isinstance(data, dict) and isinstance(data.get("id"), str):
        return data["id"].strip()
    return None


def preflight(files: list[Path]) -> list[str]:
    """Missing files and duplicate ids: errors that stop the whole run before any build."""
    errors = []
    seen: dict[str, Path] = {}
    for path in files:
        if not path.is_file():
            errors.append(f"巡察版本文件不存在：{path}")
            continue
        ident = _raw_id(path)
        if ident is None:
            continue
        if ident in seen:
            errors.append(f"版本标识 id“{ident}”重复：{seen[ident]} 与 {path}；"
                          f"每个版本须有不同的 id（它是输出目录名）。")
        else:
            seen[ident] = path
    return errors


def _entry(model, path: Path) -> dict:
    """What the index shows for one edition: raw (unescaped) values, escaped on output."""
    from macros import campaign

    v = campaign.values(model)  # plain text; the index escapes on its own
    return {
        "id": model.id,
        "org": v.inspected.org,
        "unit": v.inspected.unit,
        "group": v.group.name,
        "kind": v.kind_label,
        "round": v.round_label,
        "dates": v.dates.range,
        "start": model.dates.start.isoformat(),
        "source": path.name,
    }


# ---- Worker side: one process builds many editions ----------------------------------------


class _Collect(logging.Handler):
    """WARNING and above from the `mkdocs` logger tree, kept for the edition's report."""

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        try:
            msg = record.getMessage()
        except Exception:  # a malformed log call must not hide the real error
            msg = str(record.msg)
        self.messages.append(_ANSI.sub("", msg).strip())


def _worker_init():
    """Load MkDocs, the theme and jieba once per worker; keep the console quiet."""
    os.chdir(ROOT)  # campaign paths are absolute; this keeps any other relative path stable
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


def build_one(job: Job) -> dict:
    """Build, package and swap in one edition. Never raises: returns a result dict."""
    t0 = time.monotonic()
    out = Path(job.out)
    tmp = out / f".tmp-{job.id}-{os.getpid()}"
    tmp_zip = out / f".tmp-{job.id}-{os.getpid()}.zip"
    result = {"id": job.id, "file": job.file, "ok": False, "messages": [], "error": ""}
    handler = _Collect()
    mk = logging.getLogger("mkdocs")
    saved_env = {k: os.environ.get(k) for k in ("CAMPAIGN", "SOURCE_DATE_EPOCH")}
    saved_path = list(sys.path)
    saved_handlers = list(mk.handlers)
    mk.addHandler(handler)
    try:
        shutil.rmtree(tmp, ignore_errors=True)
        os.environ["CAMPAIGN"] = job.file
        os.environ["SOURCE_DATE_EPOCH"] = str(job.epoch)
        error = _build_site(tmp)
        if not error and "docx" not in job.formats:
            for f in tmp.rglob("*.docx"):
                f.unlink()
        if not error and "pdf" in job.formats:
            error = _build_pdf(tmp)
        if not error:
            write_zip(tmp, tmp_zip, job.id, job.epoch)
            atomic.swap_in(tmp, out / job.id)
            os.replace(tmp_zip, out / f"{job.id}.zip")
            result["ok"] = True
            result["has_pdf"] = (out / job.id / "print-pack.pdf").is_file()
        result["error"] = error
    except Exception as e:  # a full traceback helps no one here; the type and message do
        result["error"] = f"打包或替换时出错：{type(e).__name__}: {e}"
    finally:
        mk.removeHandler(handler)
        # Safety nets: what a build may leave in process globals must not reach the next one.
        for h in list(mk.handlers):
            if h not in saved_handlers:
                mk.removeHandler(h)
        try:
            from macros import search_words

            search_words.restore()
        except Exception:
            pass
        for k, v in saved_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        sys.path[:] = saved_path
        shutil.rmtree(tmp, ignore_errors=True)
        if tmp_zip.exists():
            tmp_zip.unlink()
    result["messages"] = handler.messages
    result["seconds"] = time.monotonic() - t0
    return result


def _build_site(tmp: Path) -> str:
    """Run one strict MkDocs build into `tmp`; return "" or a Chinese error description."""
    import mkdocs.commands.build
    import mkdocs.config
    from mkdocs.exceptions import Abort

    try:
        cfg = mkdocs.config.load_config(str(ROOT / "mkdocs.yml"), site_dir=str(tmp), strict=True)
        mkdocs.commands.build.build(cfg)
    except Abort as e:  # campaign errors, leftovers, strict-mode warnings
        msg = e.format_message().strip()
        m = re.fullmatch(r"Aborted with (\d+) warnings in strict mode!", msg)
        if m:
            return f"严格模式下出现 {m.group(1)} 条警告，构建中止（警告见下）。"
        return msg or "构建中止。"
    except SystemExit as e:  # mkdocs-macros exits 100 on a macro error (on_error_fail)
        if e.code == 100:
            return "页面宏渲染出错（mkdocs-macros 退出码 100），详见下方日志。"
        return f"构建异常退出（退出码 {e.code}）。"
    except Exception as e:
        return f"构建出错：{type(e).__name__}: {e}"
    return ""


def _build_pdf(site: Path) -> str:
    try:
        from macros import pdf
    except ImportError as e:
        return f"无法生成打印包 PDF：macros/pdf.py 不可用（{e}）。去掉 --formats 中的 pdf 可只生成网站与 .docx。"
    build_pack = getattr(pdf, "build_pack", None)
    if build_pack is None:
        return "无法生成打印包 PDF：macros/pdf.py 中没有 build_pack(site_dir, out_pdf)。"
    try:
        build_pack(site, site / "print-pack.pdf")
    except SystemExit as e:
        return f"生成打印包 PDF 失败：{e}"
    except Exception as e:
        return f"生成打印包 PDF 失败：{type(e).__name__}: {e}"
    if not (site / "print-pack.pdf").is_file():
        return "生成打印包 PDF 失败：build_pack 没有写出 print-pack.pdf。"
    return ""


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


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".tmp-{path.name}-{os.getpid()}")
    tmp.write_text(text, encoding="utf-8", newline="\n")
    os.replace(tmp, path)


def update_index(out: Path, built: dict[str, dict]) -> list[dict]:
    """Merge this run's editions into the manifest, keep earlier ones still on disk, and
    rewrite editions.json and index.html (sorted, no clock time: reproducible)."""
    entries = _read_manifest(out)
    entries.update(built)
    kept = []
    for ident, e in entries.items():
        if (out / ident / "index.html").is_file():
            e = dict(e)
            e["pdf"] = (out / ident / "print-pack.pdf").is_file()
            e["zip"] = (out / f"{ident}.zip").is_file()
            kept.append(e)
    kept.sort(key=lambda e: (e.get("start", ""), e["id"]), reverse=True)
    manifest = {"editions": kept}
    _write_atomic(out / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    _write_atomic(out / INDEX, index_html(kept))
    return kept


def index_html(entries: list[dict]) -> str:
    e = lambda v: html.escape(str(v if v is not None else ""), quote=True)  # noqa: E731
    rows = []
    for x in entries:
        ident = x["id"]
        links = [f'<a href="{e(ident)}/index.html">打开</a>']
        if x.get("zip"):
            links.append(f'<a href="{e(ident)}.zip" download>压缩包</a>')
        if x.get("pdf"):
            links.append(f'<a href="{e(ident)}/print-pack.pdf">打印包</a>')
        rows.append(
            "<tr>"
            f'<td>{e(x.get("org"))}<br><span class="u">{e(x.get("unit"))}</span></td>'
            f'<td>{e(x.get("group"))}<br><span class="u">{e(x.get("round"))}</span></td>'
            f'<td>{e(x.get("kind"))}</td>'
            f'<td>{e(x.get("dates"))}</td>'
            f"<td><code>{e(ident)}</code></td>"
            f'<td class="l">{"　".join(links)}</td>'
            "</tr>"
        )
    body = "\n".join(rows) if rows else '<tr><td colspan="6">暂无版本。</td></tr>'
    return f"""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>巡察工作指引与文书 · 版本一览</title>
<style>
body {{ font-family: system-ui, "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", sans-serif;
  margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #222; }}
h1 {{ font-size: 1.5rem; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border: 1px solid #ccc; padding: .5rem .6rem; text-align: left; vertical-align: top; }}
th {{ background: #f3f3f3; }}
.u {{ color: #666; font-size: .9em; }}
.l {{ white-space: nowrap; }}
p.n {{ color: #555; }}
</style>
</head>
<body>
<h1>巡察工作指引与文书 · 版本一览</h1>
<p class="n">每次巡察一个版本。点击“打开”直接阅读；“压缩包”可拷贝到其他电脑，解压后打开其中的 index.html。共 {len(entries)} 个版本。</p>
<table>
<thead><tr><th>被巡察党组织 / 单位</th><th>巡察组 / 轮次</th><th>类型</th><th>进驻时间</th><th>版本标识</th><th>查看与下载</th></tr></thead>
<tbody>
{body}
</tbody>
</table>
</body>
</html>
"""


# ---- Reporting -------------------------------------------------------------------------------


def _flatten(data, prefix=""):
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _flatten(v, f"{prefix}.{k}" if prefix else str(k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _flatten(v, f"{prefix}[{i}]")
    else:
        yield prefix, data


def likely_keys(file: str, text: str) -> list[str]:
    """Campaign keys whose value contains a quoted fragment of the error (“第X”…), so a
    leftover placeholder that came from the campaign file points back at its key."""
    import yaml

    frags = {f for f in re.findall(r"[“\"]([^”\"]{1,40})[”\"]", text) if f.strip()}
    if not frags:
        return []
    try:
        data = yaml.safe_load(Path(file).read_text(encoding="utf-8-sig"))
    except Exception:
        return []
    hits = []
    for key, value in _flatten(data):
        if isinstance(value, str) and any(f in value for f in frags):
            hits.append(f"{key}: {value}")
    return hits


def _short(msg: str) -> str:
    """mkdocs-macros logs a Markdown report with the full traceback; the page and the
    error line before the traceback are what the reader needs."""
    if "Macro Rendering Error" not in msg:
        return msg
    head = msg.split("```", 1)[0]
    lines = [re.sub(r"^_([^_]+)_:", r"\1:", ln.strip()).replace("`", "") for ln in head.splitlines()]
    lines = [ln for ln in lines if ln and "Macro Rendering Error" not in ln]
    lines = [ln[2:] if ln.startswith("- ") else ln for ln in lines]
    return ("宏渲染出错：" + "；".join(lines)).replace("：；", "：")


def failure_report(res: dict) -> str:
    lines = [f"    文件：{res['file']}"]
    detail = (res.get("error") or "").strip()
    for line in detail.splitlines():
        lines.append(f"    {line}")
    seen = set(detail.splitlines())
    for msg in res.get("messages", []):
        first = _short(msg).splitlines()
        # Keep the report readable: a macro traceback can run to hundreds of lines.
        shown = first[:12] + (["…"] if len(first) > 12 else [])
        if msg in seen:
            continue
        lines.append("    日志：" + "\n          ".join(shown))
    keys = likely_keys(res["file"], detail + "\n" + "\n".join(res.get("messages", [])))
    if keys:
        lines.append("    可能来自版本文件中的：" + "；".join(keys))
    lines.append("    本版本未更新：原有的版本目录与压缩包（如有）保持不变。")
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


def _parse(argv):
    p = argparse.ArgumentParser(
        prog="python -m macros.editions",
        description="按巡察版本文件批量生成版本（网站、.docx、打印包 PDF、压缩包）。",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="巡察版本文件（campaigns/*.yml）")
    p.add_argument("--out", default="editions", help="输出目录（默认 editions）")
    p.add_argument("--jobs", type=int, default=None, help="并行进程数（默认为 CPU 数，且不超过版本数）")
    p.add_argument("--formats", default=DEFAULT_FORMATS,
                   help=f"输出内容，逗号分隔：site,docx,pdf（默认 {DEFAULT_FORMATS}；网站总会生成）")
    p.add_argument("--check", action="store_true", help="只校验版本文件，报告全部问题，不生成任何文件")
    return p.parse_args(argv)


def main(argv=None) -> int:
    args = _parse(argv)
    from macros import campaign

    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        print(f"错误：未知的输出格式 {'、'.join(unknown)}；可选 {','.join(FORMATS)}。", file=sys.stderr)
        return 2
    formats = tuple(f for f in FORMATS if f in formats or f == "site")
    if args.jobs is not None and args.jobs < 1:
        print("错误：--jobs 应为正整数。", file=sys.stderr)
        return 2

    files: list[Path] = []
    for f in args.files:
        p = Path(f).resolve()
        if p not in files:  # the same file named twice is one edition
            files.append(p)

    errors = preflight(files)
    if errors:
        print("错误：未生成任何版本。" if not args.check else "错误：", file=sys.stderr)
        for e in errors:
            print(f"  - {e}", file=sys.stderr)
        if not args.check:
            return 2

    # Validate everything first: every problem in every file is reported at once.
    valid: list[tuple[Path, object]] = []
    invalid: list[tuple[Path, str]] = []
    for path in files:
        if not path.is_file():
            continue  # already reported above
        try:
            valid.append((path, campaign.load(path)))
        except campaign.CampaignError as e:
            invalid.append((path, e.report()))

    if args.check:
        reports = dict(invalid)
        for path in files:
            if path in reports:
                print(f"✗ {path}\n" + "\n".join("    " + line for line in reports[path].splitlines()))
            elif path.is_file():
                print(f"✓ {path}")
        print(f"校验完成：{len(valid)} 个有效，{len(invalid)} 个有误，共 {len(files)} 个；未生成任何文件。")
        return 2 if errors else (1 if invalid else 0)

    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    atomic.remove_stale(out, r"\.(?:tmp|old)-.*-(\d+)(?:\.zip)?")
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    user_epoch = os.environ.get("SOURCE_DATE_EPOCH")

    jobs = []
    for path, model in valid:
        epoch = int(user_epoch) if user_epoch and user_epoch.isdigit() else atomic.epoch_of(model)
        jobs.append(Job(id=model.id, file=str(path), epoch=epoch, formats=formats, out=str(out),
                        entry=_entry(model, path)))

    t0 = time.monotonic()
    progress = Progress(len(files))
    failed: list[str] = []
    built: dict[str, dict] = {}
    for path, report in invalid:
        progress.done += 1
        progress.line(f"✗ {path.name}  校验未通过\n" + f"    文件：{path}\n"
                      + "\n".join("    " + line for line in report.splitlines()))
        failed.append(str(path))

    if jobs:
        workers = max(1, min(args.jobs or os.cpu_count() or 1, len(jobs)))
        progress.bar()
        with cf.ProcessPoolExecutor(max_workers=workers, initializer=_worker_init) as pool:
            futures = {pool.submit(build_one, job): job for job in jobs}
            for fut in cf.as_completed(futures):
                job = futures[fut]
                progress.done += 1
                try:
                    res = fut.result()
                except Exception as e:  # a worker died (killed, out of memory)
                    res = {"id": job.id, "file": job.file, "ok": False, "seconds": 0.0,
                           "messages": [], "error": f"工作进程异常终止：{type(e).__name__}: {e}"}
                if res["ok"]:
                    built[job.id] = job.entry
                    progress.line(f"✓ {job.id}  {res['seconds']:.1f} s")
                else:
                    failed.append(job.file)
                    progress.line(f"✗ {job.id}  {res['seconds']:.1f} s\n" + failure_report(res))
    progress.finish()

    update_index(out, built)
    total = time.monotonic() - t0
    print(f"完成：成功 {len(built)} 个，失败 {len(failed)} 个，共 {len(files)} 个；用时 {total:.1f} s；"
          f"输出目录 {out}（版本一览：{out / INDEX}）")
    if failed:
        print("未成功的版本文件：" + "、".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
