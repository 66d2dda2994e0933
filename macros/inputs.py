"""What the batch command is given: campaign files, each validated, with every problem
collected before anything is built.

`collect(paths)` returns one `Item` per edition (a validated campaign, or the Chinese
report of what is wrong with it) and the fatal problems that stop the whole run
(a missing file, two editions with one id).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import campaign
from .schema import Campaign


@dataclass
class Item:
    source: str                      # how messages name it: the file
    path: Path                       # the file (relative paths inside it resolve from here)
    campaign: Campaign | None = None
    error: str = ""
    raw_id: str | None = None        # the id as written, even when the rest is invalid


@dataclass
class Found:
    items: list[Item] = field(default_factory=list)
    fatal: list[str] = field(default_factory=list)


def collect(paths: list[Path]) -> Found:
    found = Found()
    seen_files: set[Path] = set()
    for p in paths:
        path = p.resolve()
        if path in seen_files:  # the same file named twice is one edition
            continue
        seen_files.add(path)
        if not path.exists():
            found.fatal.append(f"巡察版本文件不存在：{p}")
            continue
        try:
            data = campaign.read(path)
        except campaign.CampaignError as e:
            found.items.append(Item(source=str(p), path=path, error=e.report()))
            continue
        raw_id = data.get("id").strip() if isinstance(data, dict) and isinstance(data.get("id"), str) else None
        try:
            found.items.append(Item(source=str(p), path=path, campaign=campaign.validate(data, path), raw_id=raw_id))
        except campaign.CampaignError as e:
            found.items.append(Item(source=str(p), path=path, error=e.report(), raw_id=raw_id))
    _duplicates(found)
    return found


def _duplicates(found: Found) -> None:
    first: dict[str, Item] = {}
    for item in found.items:
        ident = item.campaign.id if item.campaign else item.raw_id
        if not ident:
            continue
        if ident in first:
            found.fatal.append(f"版本标识 id“{ident}”重复：{first[ident].source} 与 {item.source}；"
                               f"每个版本须有不同的 id（它是输出文件夹名）。")
        else:
            first[ident] = item
