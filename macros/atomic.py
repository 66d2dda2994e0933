"""Replace an output folder only with a complete build, and date builds reproducibly.

Used by `mkdocs build` (macros/hooks.py) and the batch command (macros/editions.py).
"""

from __future__ import annotations

import calendar
import os
import re
import shutil
from pathlib import Path


def swap_in(new: Path, final: Path) -> None:
    """Move the finished build `new` to `final`; the previous `final` is removed only
    after the new one is in place, and put back if the move fails."""
    old = final.with_name(f".old-{final.name}-{os.getpid()}")
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        final.rename(old)
    try:
        new.rename(final)
    except OSError:
        if old.exists():  # put the previous edition back rather than leave nothing
            old.rename(final)
        raise
    shutil.rmtree(old, ignore_errors=True)


def epoch_of(campaign) -> int:
    """SOURCE_DATE_EPOCH for a campaign: midnight UTC of its first day on site."""
    return calendar.timegm(campaign.dates.start.timetuple())


def remove_stale(folder: Path, pattern: str) -> None:
    """Remove temporary folders and files in `folder` whose names match `pattern` (its
    first group is the pid of the build that made them) when that process is gone:
    leftovers of killed builds, never those of a build still running."""
    for p in folder.glob(".*"):
        m = re.fullmatch(pattern, p.name)
        if not m:
            continue
        try:
            os.kill(int(m.group(1)), 0)
            continue  # still running (or not ours to judge)
        except ProcessLookupError:
            pass
        except PermissionError:
            continue
        if p.is_dir():
            shutil.rmtree(p, ignore_errors=True)
        else:
            p.unlink(missing_ok=True)
