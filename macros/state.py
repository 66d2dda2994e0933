"""Per-build state shared by the macros and the hooks of one MkDocs build.

One process may build many editions in turn (`macros.editions`), so everything
here is reset by `begin()` at the start of each build rather than kept globally.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from .schema import Campaign


@dataclass
class BuildState:
    campaign: Campaign
    path: Path
    # page url → list of fill hints found on that page (for the home page summary)
    fills: dict[str, list[str]] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    # (page url, offending text, context) for the leftover-placeholder scan
    leftovers: list[tuple[str, str, str]] = field(default_factory=list)


current: Optional[BuildState] = None


def begin(campaign: Campaign, path: Path) -> BuildState:
    global current
    current = BuildState(campaign=campaign, path=path)
    return current


def get() -> BuildState:
    if current is None:
        raise RuntimeError("no campaign loaded: macros.define_env has not run")
    return current
