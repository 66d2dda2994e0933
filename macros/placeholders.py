"""{name} placeholders in the data files (focus areas, checklist items): the names that
exist, the campaign value each stands for, and filling them in."""

from __future__ import annotations

import re

from . import period
from .schema import Campaign

NAMES = ("self", "org", "unit", "short", "theme", "previous", "spirit")
PATTERN = re.compile(r"\{([A-Za-z_]+)\}")


def check(text: str) -> None:
    """Raise ValueError for a name that is not a placeholder (a typo in a data file)."""
    for name in PATTERN.findall(text or ""):
        if name not in NAMES:
            raise ValueError(f"未知的占位符 {{{name}}}（可用：{'、'.join('{' + n + '}' for n in NAMES)}）")


def used(text: str) -> set[str]:
    return set(PATTERN.findall(text or ""))


def values(c: Campaign, defaults: dict[str, str] | None = None) -> dict[str, str]:
    """Raw (unescaped) values; `defaults` stand in for what the campaign leaves empty."""
    given = {"self": c.inspected.self, "org": c.inspected.org, "unit": c.inspected.unit,
             "short": c.committee.short, "theme": c.theme or "", "previous": c.previous or "",
             # The congress spirit in force when the inspection starts (macros/data/periods.yml).
             "spirit": period.for_date(c.dates.start)["spirit"]}
    defaults = defaults or {}
    return {k: given[k] or defaults.get(k, "") for k in NAMES}


def fill(text: str | None, vals: dict[str, str]) -> str:
    # Only known names are replaced; anything else stays as typed (and the build's
    # leftover scan then reports it).
    return PATTERN.sub(lambda m: vals.get(m.group(1), m.group(0)), text or "")
