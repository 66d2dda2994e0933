"""Output folders: ours or refused, replaced in one atomic step, one writer at a time.

- `check_target(final)`: a build may replace a folder only when it does not exist, is
  empty, or holds an edition (it carries our marker file). Anything else, and any folder
  inside the project's sources or containing them, is refused with a Chinese message
  that names the folder and what is in it. `force=True` skips the content check (never
  the sources check).
- `swap_in(new, final)`: the finished folder takes the place of the old one in one
  rename (Linux `renameat2(RENAME_EXCHANGE)`), so a kill at any moment leaves the old
  edition or the new one, whole. Where the file system cannot exchange, two renames are
  used: the old folder is put back if the second fails, and if the process is killed
  between them, the next build (`check_target` → `recover`) puts it back. A symlink
  given as `final` is written through: the folder it points to is replaced, the link
  stays.
- `lock(folder)`: one batch per output folder; a second waits briefly, then is refused.
- `remove_stale(folder, pattern)`: temporary folders of builds that were killed.
"""

from __future__ import annotations

import calendar
import contextlib
import ctypes
import errno
import fcntl
import glob
import json
import os
import re
import shutil
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARKER = ".xc-edition.json"
# What the project keeps in its own folders; no build may write into or over them.
SOURCES = ("docs", "macros", "campaigns", "overrides", "tests", ".git", ".ci")


class OutputRefused(Exception):
    """The output folder is not ours to replace; the message says why, in Chinese."""


# ---- Errors of the file system, in words the office understands ------------------------

_ERRNO_TEXT = {
    errno.EROFS: "这是只读的位置（只读文件系统或只读挂载），不能写入",
    errno.ENOSPC: "磁盘空间已满",
    errno.EDQUOT: "超出了磁盘配额",
    errno.EACCES: "没有写入权限",
    errno.EPERM: "系统不允许这项操作（没有权限）",
    errno.ENOTDIR: "路径中有一项是文件而不是文件夹",
    errno.EISDIR: "这是一个文件夹，而这里需要文件",
    errno.ENOENT: "路径不存在（上级文件夹可能已被删除或移动）",
    errno.EEXIST: "同名的文件或文件夹已存在",
    errno.EFBIG: "文件超过了系统允许的大小",
    errno.EIO: "磁盘读写出错",
    errno.ENAMETOOLONG: "路径过长",
    errno.EMFILE: "同时打开的文件过多",
    errno.EBUSY: "文件或文件夹正被占用",
}


def os_error_text(e: OSError) -> str:
    """One Chinese sentence for a file-system error, with the path it concerns."""
    text = _ERRNO_TEXT.get(e.errno, f"系统错误（错误号 {e.errno}）" if e.errno else "系统错误")
    where = e.filename2 or e.filename
    return f"{text}：{where}" if where else text


# ---- Targets ----------------------------------------------------------------------------


def _inside(a: Path, b: Path) -> bool:
    try:
        a.relative_to(b)
        return True
    except ValueError:
        return False


def is_edition(folder: Path) -> bool:
    """An edition we built: our marker, or (editions built before the marker existed) our
    stylesheet beside an index page."""
    return (folder / MARKER).is_file() or (
        (folder / "index.html").is_file() and (folder / "assets" / "stylesheets" / "xc.css").is_file())


def _listing(folder: Path, limit: int = 6) -> str:
    try:
        names = sorted(p.name + ("/" if p.is_dir() else "") for p in folder.iterdir())
    except OSError:
        return ""
    shown = "、".join(names[:limit])
    return shown + (f" 等 {len(names)} 项" if len(names) > limit else "")


def check_target(final: Path, force: bool = False, what: str = "输出文件夹") -> Path:
    """The real folder to replace (a symlink resolved), or OutputRefused. First puts back
    an edition that a killed two-rename swap left aside (see `recover`)."""
    final = Path(os.path.abspath(final))
    real = final.resolve()
    for src in SOURCES:
        s = (ROOT / src).resolve()
        if _inside(real, s) or _inside(s, real):
            raise OutputRefused(f"{what} {final} 位于项目的源文件夹之内或包含源文件夹（{ROOT / src}），"
                                f"生成的版本不能写在这里。请换一个文件夹，如 site/ 或 editions/。")
    recover(real)
    if real.exists() and not real.is_dir():
        raise OutputRefused(f"{what} {final} 已存在，但它是一个文件而不是文件夹。请换一个名称。")
    if real.is_dir() and not force and any(True for _ in real.iterdir()) and not is_edition(real):
        raise OutputRefused(f"{what} {final} 中已有不是本工具生成的内容（{_listing(real)}），为免误删，本次未做任何改动。"
                            f"请换一个空文件夹；确认可以整体替换时，再加 --force（mkdocs build 时设 XC_FORCE=1）。")
    return real


def write_marker(folder: Path, edition_id: str, documents: list[dict] | None = None) -> None:
    """The edition's manifest, which also marks the folder as ours: its id and its
    documents in order (the print pack reads them)."""
    data = {"edition": edition_id, "documents": documents or []}
    (folder / MARKER).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


# ---- Atomic replacement ---------------------------------------------------------------

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_libc = ctypes.CDLL(None, use_errno=True)
_renameat2 = getattr(_libc, "renameat2", None)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step; False where the system or file system cannot."""
    if _renameat2 is None:
        return False
    if _renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EXDEV):
        return False
    raise OSError(err, os.strerror(err), str(b))


def swap_in(new: Path, final: Path, *, _step=None) -> None:
    """Put the finished folder `new` in place of `final` (see the module docstring).
    `_step(name)` is called between file operations, for fault-injection tests."""
    step = _step or (lambda name: None)
    final = Path(final)
    if final.is_symlink():
        final = final.resolve()
    step("start")
    if not final.exists():
        new.rename(final)
        step("renamed")
        return
    if _exchange(new, final):
        step("exchanged")
        # `new` now holds the old edition.
        shutil.rmtree(new, ignore_errors=True)
        step("removed-old")
        return
    old = final.with_name(f".xc-swap-{final.name}-{os.getpid()}")
    final.rename(old)
    step("moved-old")
    try:
        new.rename(final)
    except OSError:
        old.rename(final)  # put the previous edition back rather than leave nothing
        raise
    step("renamed")
    shutil.rmtree(old, ignore_errors=True)
    step("removed-old")


def recover(final: Path) -> None:
    """After a kill inside a two-rename swap: when `final` is missing, the edition moved
    aside (`.xc-swap-<name>-<pid>`, its process gone) goes back; when `final` is there,
    such a leftover is the replaced edition and is removed. Only folders holding an
    edition are ever put back; a leftover beside a `final` in place is the rest of a
    replaced edition, half removed perhaps, and goes."""
    final = Path(final)
    try:
        entries = list(final.parent.glob(f".xc-swap-{glob.escape(final.name)}-*"))
    except OSError:
        return
    for p in sorted(entries):
        m = re.fullmatch(rf"\.xc-swap-{re.escape(final.name)}-(\d+)", p.name)
        if not m or p.is_symlink() or not p.is_dir() or _alive(int(m.group(1))):
            continue
        if final.exists() or final.is_symlink():
            shutil.rmtree(p, ignore_errors=True)
        elif is_edition(p):
            p.rename(final)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # not ours to judge: leave it


def replace_file(data: bytes | str, path: Path) -> None:
    """Write a file beside its final name and rename it into place."""
    tmp = path.with_name(f".xc-tmp-{path.name}-{os.getpid()}")
    if isinstance(data, str):
        tmp.write_text(data, encoding="utf-8", newline="\n")
    else:
        tmp.write_bytes(data)
    os.replace(tmp, path)


def remove_stale(folder: Path, pattern: str) -> None:
    """Remove temporary folders and files in `folder` whose names match `pattern` (its
    first group is the pid of the build that made them) when that process is gone:
    leftovers of killed builds, never those of a build still running."""
    try:
        entries = list(folder.glob(".*"))
    except OSError:
        return
    for p in entries:
        m = re.fullmatch(pattern, p.name)
        if not m:
            continue
        try:
            os.kill(int(m.group(1)), 0)
            continue  # still running (or not ours to judge)
        except ProcessLookupError:
            pass
        except (PermissionError, OverflowError, ValueError):
            continue
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p, ignore_errors=True)
        else:
            p.unlink(missing_ok=True)


# ---- One writer per output folder ---------------------------------------------------------

# Earlier versions locked through this file; it is ours wherever it is found.
LOCK_NAME = ".editions.lock"


class Busy(OutputRefused):
    """Another run holds the output folder."""


@contextlib.contextmanager
def lock(folder: Path, wait: float = 10.0):
    """Hold the output folder for this run; after `wait` seconds of another run holding
    it, refuse with Busy. The lock is taken on the folder itself (flock on its
    descriptor), so no lock file is left in the user's folder. The folder must exist."""
    deadline = time.monotonic() + wait
    while True:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise Busy(f"输出文件夹 {folder} 正由另一次生成使用，请等它结束后再运行。") from None
                    time.sleep(0.2)
            # The holder before us may have removed the folder (nothing built) and another
            # run made a new one: then this lock guards nothing, take the new folder's.
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(folder))
            except FileNotFoundError:
                same = False
            if same:
                yield
                return
        finally:
            os.close(fd)  # closing releases the lock
        Path(folder).mkdir(parents=True, exist_ok=True)


def fixed_zip(data: bytes, stamp, replace: dict | None = None) -> bytes:
    """The same zip (a .docx or .xlsx) with every entry dated `stamp` and the document's
    modification time set to it (writers stamp the clock there): the same input gives
    the same bytes. `replace` maps entry names to new contents."""
    import io
    import zipfile

    when = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            body = (replace or {}).get(info.filename)
            if body is None:
                body = src.read(info.filename)
                if info.filename == "docProps/core.xml":
                    body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rb"\g<1>" + when + rb"\g<2>",
                                  body)
            dst.writestr(zi, body)
    return out.getvalue()


def epoch_of(start) -> int:
    """A fixed timestamp for an edition's files: midnight UTC of its first day on site."""
    return calendar.timegm(start.timetuple())
