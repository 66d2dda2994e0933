"""China's working days: statutory holidays and adjusted working days (调休).

Where the facts come from, for one year, in this order:
1. `chinese_calendar` (the `chinesecalendar` package): the State Council's published
   arrangement, holidays and 调休 working days, for the years it covers (2004–2026 in
   1.11); it refuses other years, so coverage is never guessed.
2. `macros/data/holidays.yml`: arrangements published after the library's release,
   copied from the State Council's notice.
3. Otherwise the arrangement is not known yet: weekends and the statutory holidays fixed
   by law (from the `holidays` package, without its guessed substitute days) are days
   off, and 调休 is unknown. The edition says so (`notices`).
A campaign's own `calendar: {holidays, workdays}` overrides all of these for its dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Optional

from pydantic import Field, StrictStr

from . import catalogue
from .schema import Day, StrictModel

ONE = dt.timedelta(days=1)


class YearArrangement(StrictModel):
    source: StrictStr = Field(min_length=4)
    holidays: dict[Day, StrictStr] = Field(default_factory=dict)
    workdays: list[Day] = Field(default_factory=list)


class HolidaysFile(StrictModel):
    years: dict[int, YearArrangement] = Field(default_factory=dict)


def supplement() -> HolidaysFile:
    return catalogue.load(catalogue.DATA / "holidays.yml", HolidaysFile)


@lru_cache(maxsize=64)
def _library_year(year: int) -> Optional[dict[dt.date, str]]:
    """{day: holiday name} for every day off that is not a plain weekend, and "" for
    adjusted working days, from chinese_calendar; None when it does not cover the year."""
    import chinese_calendar as cc

    start = dt.date(year, 1, 1)
    try:
        cc.is_workday(start)
    except NotImplementedError:
        return None
    out: dict[dt.date, str] = {}
    day = start
    while day.year == year:
        on, name = cc.get_holiday_detail(day)
        weekend = day.weekday() >= 5
        if on and name:
            out[day] = _CN_NAMES.get(str(name), str(name))
        elif not on and weekend:
            out[day] = ""  # 调休 working day
        day += ONE
    return out


@lru_cache(maxsize=64)
def _statutory(year: int) -> dict[dt.date, str]:
    """Holidays fixed by law for `year`, without substitute days (the State Council's
    arrangement, which adds 调休, is not known for this year)."""
    try:
        import holidays

        return {d: n for d, n in holidays.China(years=year, observed=False, language="zh_CN").items()}
    except Exception:  # a year the package cannot compute: weekends only
        return {}


_CN_NAMES = {
    "New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节", "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节", "National Day": "国庆节", "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


@dataclass(frozen=True)
class WorkCalendar:
    local_holidays: frozenset = frozenset()
    local_workdays: frozenset = frozenset()
    _years: dict = field(default_factory=dict, compare=False, repr=False)

    def _year(self, year: int) -> tuple[str, dict[dt.date, str]]:
        if year not in self._years:
            lib = _library_year(year)
            if lib is not None:
                self._years[year] = ("official", lib)
            else:
                sup = supplement().years.get(year)
                if sup is not None:
                    table = {d: n for d, n in sup.holidays.items()}
                    table.update({d: "" for d in sup.workdays})
                    self._years[year] = ("official", table)
                else:
                    self._years[year] = ("statutory", _statutory(year))
        return self._years[year]

    def status(self, year: int) -> str:
        """"official" (the published arrangement) or "statutory" (law only, no 调休)."""
        return self._year(year)[0]

    def is_workday(self, day: dt.date) -> bool:
        if day in self.local_workdays:
            return True
        if day in self.local_holidays:
            return False
        table = self._year(day.year)[1]
        if day in table:
            return table[day] == ""
        return day.weekday() < 5

    def why_off(self, day: dt.date) -> str:
        """Why `day` is not a working day: the holiday's name, 周六/周日, or 本地放假."""
        if day in self.local_holidays:
            return "本地放假日"
        name = self._year(day.year)[1].get(day)
        if name:
            return name
        return "周六" if day.weekday() == 5 else "周日"

    def on_or_before(self, day: dt.date) -> dt.date:
        while not self.is_workday(day):
            day -= ONE
        return day

    def on_or_after(self, day: dt.date) -> dt.date:
        while not self.is_workday(day):
            day += ONE
        return day

    def add_workdays(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day after `day` (n > 0) or before it (n < 0); `day` itself
        does not count. n = 0 is `day` if it is a working day, else the next one."""
        if n == 0:
            return self.on_or_after(day)
        step = ONE if n > 0 else -ONE
        left = abs(n)
        while left:
            day += step
            if self.is_workday(day):
                left -= 1
        return day

    def years_not_official(self, days: Iterable[dt.date]) -> list[int]:
        return sorted({d.year for d in days if self.status(d.year) != "official"})


def for_campaign(c) -> WorkCalendar:
    return WorkCalendar(local_holidays=frozenset(c.calendar.holidays), local_workdays=frozenset(c.calendar.workdays))
