"""Supervision focus areas of the leader's speech (part 二).

The areas come from a catalogue theme (专项, 机动) or from `macros/data/focus.yml` (one
list per kind, with areas and points limited to some unit types); a campaign's own
`focus:` replaces or extends them. `areas(...)` fills the placeholders and returns the
areas as plain text, numbered the way the speech reads them ("一是……。二是……。").
"""

from __future__ import annotations

from pathlib import Path

from typing import Optional, Union

from pydantic import Field, StrictStr, model_validator

from . import catalogue, cn, wording
from .schema import THEMED_KINDS, UNIT_TYPES, Campaign, StrictModel, UnitType

DATA_PATH = catalogue.DATA / "focus.yml"

_END_PUNCT = "。！？"
_TRIM = "，、；：。 "


class Point(StrictModel):
    text: StrictStr = Field(min_length=4)
    types: list[UnitType] = Field(min_length=1)


class AreaData(catalogue.Phrases):
    title: StrictStr = Field(min_length=2)
    lead: StrictStr = ""
    types: Optional[list[UnitType]] = Field(None, min_length=1)
    points: list[Union[StrictStr, Point]] = Field(min_length=1)

    def points_for(self, unit_type: str) -> list[str]:
        return [p if isinstance(p, str) else p.text for p in self.points
                if isinstance(p, str) or unit_type in p.types]


class KindAreas(StrictModel):
    areas: list[AreaData] = Field(min_length=1)

    @model_validator(mode="after")
    def _every_type_covered(self):
        for t in UNIT_TYPES:
            if not [a for a in self.areas if a.types is None or t in a.types]:
                raise ValueError(f"单位类型“{t}”没有任何监督重点")
        return self


class FocusFile(StrictModel):
    """Kinds whose focus comes from a theme or the campaign (专项, 机动) are not here."""

    常规: KindAreas
    提级: KindAreas
    回头看: KindAreas


def data(path: Path = DATA_PATH) -> FocusFile:
    return catalogue.load(path, FocusFile)


def sentence(text: str) -> str:
    """A point as a full sentence: trailing comma/semicolon becomes 。, a missing stop is added."""
    text = text.strip().rstrip(_TRIM.replace("。", ""))
    if text and text[-1] not in _END_PUNCT and not text.endswith("”"):
        text += "。"
    elif text.endswith("”") and len(text) > 1 and text[-2] not in _END_PUNCT:
        text += "。"
    return text


def title(text: str) -> str:
    return text.strip().rstrip(_TRIM)


def areas(c: Campaign, terms: dict[str, str], theme: Optional[catalogue.Theme] = None,
          source: FocusFile | None = None) -> list[dict]:
    """The focus areas of campaign `c`: its own (focus: replace), else the theme's (专项,
    机动), else its kind's for its unit type; then its own `focus: extend` areas."""
    raw: list[tuple[str, str, list[str]]] = []
    own = [(a.title, "", list(a.points)) for a in (c.focus.areas if c.focus else [])]
    if c.focus is not None and c.focus.mode == "replace":
        raw = own
    else:
        if c.kind in THEMED_KINDS:
            if theme is None:  # the edition refuses this before it gets here
                raise ValueError("专项、机动巡察须有目录中的主题或自带监督重点")
            raw = [(a.title, a.lead, list(a.points)) for a in theme.areas]
        else:
            kind_areas = getattr(source or data(), c.kind).areas
            t = c.inspected.type
            raw = [(a.title, a.lead, a.points_for(t)) for a in kind_areas if a.types is None or t in a.types]
        raw += own
    out = []
    for i, (head, lead, points) in enumerate(raw, start=1):
        pts = [sentence(wording.fill(p, terms)) for p in points if p.strip()]
        out.append({
            "ordinal": cn.numeral(i),
            "title": title(wording.fill(head, terms)),
            "lead": sentence(wording.fill(lead, terms)) if lead.strip() else "",
            "points": pts,
            "numbered": [f"{cn.numeral(j)}是{p}" for j, p in enumerate(pts, start=1)],
        })
    return out


def feedback_heading(area_title: str) -> str:
    """A focus area as the heading of a problem section in the feedback: 聚焦X情况 → 在X方面."""
    t = area_title.strip()
    for head in ("聚焦", "紧盯", "检查"):
        if t.startswith(head):
            t = t[len(head):]
            break
    else:
        return f"关于{t}"
    t = t.removesuffix("情况").removesuffix("的")
    return f"在{t}方面"
