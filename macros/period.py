"""Date-dependent political wording (macros/data/periods.yml): which congress spirit,
study campaign and five-year plan a text names, for the day the inspection starts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, StrictStr, field_validator

DATA = Path(__file__).resolve().parent / "data" / "periods.yml"


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    from_: dt.date = Field(alias="from")
    text: StrictStr
    since: StrictStr = ""
    goal: StrictStr = ""


class Periods(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    spirit: list[_Entry] = Field(min_length=1)
    study: list[_Entry] = Field(min_length=1)
    plan: list[_Entry] = Field(min_length=1)

    @field_validator("spirit", "study", "plan")
    @classmethod
    def _ordered(cls, v):
        if [e.from_ for e in v] != sorted(e.from_ for e in v):
            raise ValueError("entries must be in date order")
        return v


def load(path: Path = DATA) -> Periods:
    # Through the one loader of data files (cached, Chinese errors with key paths).
    from . import catalogue

    return catalogue.load(path, Periods)


def _at(entries: list[_Entry], day: dt.date) -> _Entry:
    current = entries[0]  # before the first entry, its wording is the best we have
    for e in entries:
        if e.from_ <= day:
            current = e
    return current


def for_date(day: dt.date) -> dict[str, str]:
    """spirit, since, study, plan and plan_goal phrases in force on `day`."""
    p = load()
    spirit, study, plan = _at(p.spirit, day), _at(p.study, day), _at(p.plan, day)
    return {"spirit": spirit.text, "since": spirit.since, "study": study.text,
            "plan": plan.text, "plan_goal": plan.goal}
