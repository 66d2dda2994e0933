"""What the batch command is given: campaign files and round files (YAML or Excel), each
edition validated, with every problem collected before anything is built.

`collect(paths)` returns one `Item` per edition (a validated campaign, or the Chinese
report of what is wrong with it), the rounds the editions came from, and the fatal
problems that stop the whole run (a missing file, two editions with one id). A round
file is told apart from a campaign file by its `editions` key (or by being a workbook).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import campaign, rounds
from .schema import Campaign


@dataclass
class Item:
    source: str                      # how messages name it: the file
    path: Path                       # the file (relative paths inside it resolve from here)
    campaign: Campaign | None = None
    error: str = ""
    raw_id: str | None = None        # the id as written, even when the rest is invalid


@dataclass
class RoundFile:
    path: Path
    items: list[Item] = field(default_factory=list)


@dataclass
class Found:
    items: list[Item] = field(default_factory=list)
    fatal: list[str] = field(default_factory=list)
    rounds: list[RoundFile] = field(default_factory=list)


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
        where: dict[str, str] = {}
        cells: dict[str, list] = {}
        try:
            if path.suffix.lower() == ".xlsx":
                data, where, cells = rounds.workbook_to_round(path)
            else:
                data = campaign.read(path)
        except campaign.CampaignError as e:
            found.items.append(Item(source=str(p), path=path, error=e.report()))
            continue
        if rounds.is_round(data) or where:
            _round(found, p, path, data, where, cells)
        else:
            found.items.append(_item(str(p), path, data))
    _duplicates(found)
    return found


def _raw_id(data) -> str | None:
    return data["id"].strip() if isinstance(data, dict) and isinstance(data.get("id"), str) else None


def _item(source: str, path: Path, data, prefix: str = "", where: dict | None = None,
          cells: list | None = None) -> Item:
    """One edition, validated; `cells` are the problems of a workbook row's cells that
    could not be read, reported before (and instead of) what follows from them."""
    try:
        c = campaign.validate(data, path, prefix)
        if cells:
            raise campaign.CampaignError(path, [], rounds.WHAT)
        return Item(source=source, path=path, campaign=c, raw_id=_raw_id(data))
    except campaign.CampaignError as e:
        problems = e.problems
        if where:  # a workbook: name the sheet, row and column instead of the key path
            bad = {cell for cell, _ in cells or []}
            problems = list(cells or []) + [(cell, m) for cell, m in
                                            ((rounds.cell_of(k, where), m) for k, m in e.problems) if cell not in bad]
            e = campaign.CampaignError(path, problems, rounds.WHAT)
        return Item(source=source, path=path, error=e.report(), raw_id=_raw_id(data))


def _round(found: Found, shown: Path, path: Path, data: dict, where: dict, cells: dict | None = None) -> None:
    try:
        entries = rounds.entries(data, path)
    except campaign.CampaignError as e:
        found.items.append(Item(source=str(shown), path=path, error=e.report()))
        return
    rf = RoundFile(path=path)
    for key, merged in entries:
        label = where.get(key, key)
        item = _item(f"{shown} {label}", path, merged, key, where, (cells or {}).get(key))
        rf.items.append(item)
        found.items.append(item)
    found.rounds.append(rf)


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
