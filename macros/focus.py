"""Supervision focus areas of the leader's speech, by inspection kind.

The areas live in `macros/data/focus.yml` (one list per kind). `areas_for(campaign)`
picks the kind's list, applies the campaign's own `focus:` override (replace or
extend), fills the `{theme}`-style placeholders from the campaign and escapes the
result; `focus_areas()` is the registered macro that does this for the current build.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

import yaml
from pydantic import Field, StrictStr, ValidationError, field_validator

from . import cn, placeholders, state
from .campaign import esc
from .schema import KINDS, Campaign, StrictModel

DATA_PATH = Path(__file__).resolve().parent / "data" / "focus.yml"

# Used when the campaign leaves the value out and the kind gives no fallback of its own.
DEFAULTS = {"previous": "上一轮巡察", "theme": "本次巡察确定的重点领域"}

_END_PUNCT = "。！？"
_TRIM = "，、；：。 "


class FocusDataError(ValueError):
    """The focus data file is unusable; the message names the file and every problem."""


# ---- Data file model ------------------------------------------------------------



class _AreaData(StrictModel):
    title: StrictStr = Field(min_length=2)
    lead: StrictStr = ""
    points: list[StrictStr] = Field(min_length=1)

    @field_validator("title", "lead", "points")
    @classmethod
    def _known_placeholders(cls, v):
        for text in (v if isinstance(v, list) else [v]):
            if not text.strip() and isinstance(v, list):
                raise ValueError("内容不能为空字符串")
            placeholders.check(text)
        return v


class _KindData(StrictModel):
    fallback: dict[str, StrictStr] = Field(default_factory=dict)
    areas: list[_AreaData] = Field(min_length=1)

    @field_validator("fallback")
    @classmethod
    def _fallback_keys(cls, v):
        for key in v:
            if key not in placeholders.NAMES:
                raise ValueError(f"fallback 中未知的占位符 {key}")
        return v


def load_data(path: Path | str = DATA_PATH) -> dict[str, _KindData]:
    """Read and validate the data file: every kind present, nothing unknown."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (OSError, yaml.YAMLError) as e:
        raise FocusDataError(f"{path}: 无法读取：{e}") from None
    if not isinstance(raw, dict):
        raise FocusDataError(f"{path}: 顶层应为“巡察类型 → 监督重点”的映射")
    problems = []
    missing = [k for k in KINDS if k not in raw]
    if missing:
        problems.append("缺少巡察类型：" + "、".join(missing))
    unknown = [str(k) for k in raw if k not in KINDS]
    if unknown:
        problems.append("未知的巡察类型：" + "、".join(unknown))
    out = {}
    for kind in KINDS:
        if kind not in raw:
            continue
        try:
            out[kind] = _KindData.model_validate(raw[kind])
        except ValidationError as e:
            for err in e.errors():
                where = ".".join(str(p) for p in err["loc"])
                problems.append(f"{kind}.{where}: {err['msg']}")
    if problems:
        raise FocusDataError(f"{path}:\n  - " + "\n  - ".join(problems))
    return out


@lru_cache(maxsize=4)
def _cached(path: str, mtime: float) -> dict[str, _KindData]:
    # Keyed by mtime so `mkdocs serve` picks up edits to the data file.
    return load_data(path)


def data(path: Path | str = DATA_PATH) -> dict[str, _KindData]:
    p = Path(path)
    return _cached(str(p), p.stat().st_mtime)


# ---- What pages get --------------------------------------------------------------


@dataclass(frozen=True)
class Area:
    """One focus area as the speech prints it; every string is escaped."""

    ordinal: str            # 一, 二 … for the heading “（一）”
    title: str
    lead: str               # introductory sentence, may be ""
    points: tuple[str, ...]
    numbered: tuple[str, ...]  # the points as spoken: “一是看……。”


def _sentence(text: str) -> str:
    """A point as a full sentence: trailing comma/semicolon becomes 。, a missing stop is added."""
    text = text.strip().rstrip(_TRIM.replace("。", ""))
    if text and text[-1] not in _END_PUNCT and not text.endswith("”"):
        text += "。"
    elif text.endswith("”") and len(text) > 1 and text[-2] not in _END_PUNCT:
        text += "。"
    return text


def _title(text: str) -> str:
    return text.strip().rstrip(_TRIM)


def areas_for(c: Campaign, source: Optional[dict[str, _KindData]] = None) -> list[Area]:
    """The focus areas of campaign `c`: its kind's list, then its own `focus` override."""
    kinds = source if source is not None else data()
    kind_data = kinds[c.kind]
    # Campaign first, then the kind's own fallback, then the general defaults.
    values = placeholders.values(c, {**DEFAULTS, **kind_data.fallback})
    raw: list[tuple[str, str, list[str]]] = [(a.title, a.lead, list(a.points)) for a in kind_data.areas]
    if c.focus is not None:
        own = [(a.title, "", list(a.points)) for a in c.focus.areas]
        raw = own if c.focus.mode == "replace" else raw + own
    out = []
    for i, (title, lead, points) in enumerate(raw, start=1):
        pts = tuple(esc(_sentence(placeholders.fill(p, values))) for p in points if p.strip())
        out.append(Area(
            ordinal=cn.numeral(i),
            title=esc(_title(placeholders.fill(title, values))),
            lead=esc(_sentence(placeholders.fill(lead, values))) if lead.strip() else "",
            points=pts,
            numbered=tuple(f"{cn.numeral(j)}是{p}" for j, p in enumerate(pts, start=1)),
        ))
    return out


def focus_areas() -> list:
    """The focus areas for this campaign's kind, after the campaign's own `focus` override."""
    return areas_for(state.get().campaign)
