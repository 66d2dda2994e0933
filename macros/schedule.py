"""The dates of one inspection, on working days, and the time limits counted from them.

`key_dates(campaign, calendar)` works out the notice, start, end, intake deadline and
feedback dates and the rectification steps (macros/data/schedule.yml); every date the
tool derives lands on a working day (macros/workcal.py), dates the campaign gives are
kept as given. `due(rule, dates)` turns a rule such as "start-2w" or "feedback+15w" into
words and a date. Dates that follow from the estimated feedback date are marked 预计.
"""

from __future__ import annotations

import calendar as _months
import datetime as dt
import re
from dataclasses import dataclass, field

from pydantic import Field, StrictStr

from . import catalogue, cn, wording
from .schema import DUE_PATTERN, Campaign, StrictModel
from .workcal import WorkCalendar

# ---- schedule.yml --------------------------------------------------------------------


class StepRule(StrictModel):
    label: StrictStr = Field(min_length=2)
    rule: StrictStr = Field(pattern=r"^feedback[+-][0-9]{1,3}[wm]?$")


class ScheduleFile(StrictModel):
    notice: StrictStr = Field(pattern=r"^start-[0-9]{1,3}w?$")
    steps: dict[StrictStr, StepRule]
    timeline: dict[StrictStr, StrictStr]


STEP_NAMES = ("plan", "life_meeting", "report")
TIMELINE_ANCHORS = ("notice", "start", "deadline", "end", "feedback")


def rules() -> ScheduleFile:
    f = catalogue.load(catalogue.DATA / "schedule.yml", ScheduleFile)
    if set(f.steps) != set(STEP_NAMES):
        raise catalogue.yamlio.InputError(catalogue.DATA / "schedule.yml",
                                          [("steps", "应有且只有 " + "、".join(STEP_NAMES))], "数据文件")
    if list(f.timeline) != list(TIMELINE_ANCHORS):
        raise catalogue.yamlio.InputError(catalogue.DATA / "schedule.yml",
                                          [("timeline", "应依次为 " + "、".join(TIMELINE_ANCHORS))], "数据文件")
    return f


# ---- Rules ------------------------------------------------------------------------------


def parse_rule(rule: str) -> tuple[str, int, str]:
    """(anchor, offset, unit) of a rule; unit is "" (calendar days), "w" or "m"."""
    m = re.fullmatch(DUE_PATTERN, rule.strip())
    if not m:
        raise ValueError(f"时限规则“{rule}”无效，应如 start-2、start-2w、during、feedback+15w")
    return m.group(1), int(m.group(2) or 0), m.group(3) or ""


def _add_months(day: dt.date, n: int) -> dt.date:
    y, m = divmod(day.month - 1 + n, 12)
    y += day.year
    last = _months.monthrange(y, m + 1)[1]
    return dt.date(y, m + 1, min(day.day, last))


def shift(day: dt.date, offset: int, unit: str, cal: WorkCalendar) -> dt.date:
    """`day` moved by a rule's offset; the result is a working day (a calendar-day or
    month offset that lands on a day off moves away from the anchor: later limits to
    the next working day, earlier ones to the working day before)."""
    if unit == "w":
        return cal.add_workdays(day, offset)
    moved = _add_months(day, offset) if unit == "m" else day + dt.timedelta(days=offset)
    if offset < 0:
        return cal.on_or_before(moved)
    return cal.on_or_after(moved)


# ---- Key dates ----------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyDates:
    notice: dt.date
    start: dt.date
    end: dt.date
    deadline: dt.date
    feedback: dt.date
    steps: dict[str, dt.date]
    step_labels: dict[str, str]      # 报送整改方案 …, filled for this unit type
    given: frozenset[str]            # anchors the campaign gave explicitly
    planned_end: dt.date             # start + days − 1, before landing on a working day
    cal: WorkCalendar = field(compare=False, repr=False)

    @property
    def feedback_given(self) -> bool:
        return "feedback" in self.given

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def anchor(self, name: str) -> dt.date:
        if name in self.steps:
            return self.steps[name]
        return {"notice": self.notice, "start": self.start, "end": self.end, "deadline": self.deadline,
                "feedback": self.feedback, "during": self.start, "after_end": self.end}[name]

    def estimated(self, anchor: str) -> bool:
        """Dates that follow from the feedback date are estimates until it is given."""
        return not self.feedback_given and anchor in ("feedback", *STEP_NAMES)


def key_dates(c: Campaign, cal: WorkCalendar, terms: dict[str, str]) -> KeyDates:
    d = c.dates
    sched = rules()
    planned_end = d.start + dt.timedelta(days=d.days - 1)
    end = max(cal.on_or_before(planned_end), d.start)
    if d.deadline is not None:
        deadline = d.deadline
    else:
        # Counted from the planned end (start + days − 1), not from the end moved onto a
        # working day: end 2026-10-06 (国庆) − 3 = 10-03 → 2026-09-30 (issue 14).
        deadline = max(cal.on_or_before(planned_end - dt.timedelta(days=d.deadline_days_before)), d.start)
    if d.notice is not None:
        notice = d.notice
    else:
        _, offset, unit = parse_rule(sched.notice)
        notice = shift(d.start, offset, unit, cal)
    feedback = d.feedback or cal.on_or_after(end + dt.timedelta(days=d.feedback_after_days))
    steps = {}
    labels = {name: wording.fill(step.label, terms) for name, step in sched.steps.items()}
    for name, step in sched.steps.items():
        _, offset, unit = parse_rule(step.rule)
        steps[name] = shift(feedback, offset, unit, cal)
    given = frozenset(k for k in ("notice", "deadline", "feedback") if getattr(d, k) is not None) | {"start"}
    return KeyDates(notice=notice, start=d.start, end=end, deadline=deadline, feedback=feedback, steps=steps,
                    step_labels=labels, given=given, planned_end=planned_end, cal=cal)


# ---- Due dates ----------------------------------------------------------------------------

# Labels: (anchor word, "before" template, "after" template); {n} and {u} are filled in.
_WORDS = {
    "start": ("进驻当日", "进驻前{n}{u}", "进驻后{n}{u}内"),
    "notice": ("收到通知当日", "收到通知前{n}{u}", "收到通知后{n}{u}内"),
    "end": ("驻点结束前", "驻点结束前{n}{u}", "驻点结束后{n}{u}内"),
    "after_end": ("驻点结束当日", "驻点结束前{n}{u}", "驻点结束后{n}{u}内"),
    "deadline": ("受理截止前", "受理截止前{n}{u}", "受理截止后{n}{u}"),
    "feedback": ("反馈当日", "反馈前{n}{u}", "反馈后{n}{u}内"),
}
_UNITS = {"": "日", "w": "个工作日", "m": "个月"}


def _label(anchor: str, offset: int, unit: str, dates: "KeyDates") -> str:
    if anchor in STEP_NAMES:
        base = _label(*parse_rule(rules().steps[anchor].rule), dates)
        name = dates.step_labels[anchor]
        return base if offset == 0 else f"{name}{'前' if offset < 0 else '后'}{abs(offset)}{_UNITS[unit]}"
    same, before, after = _WORDS[anchor]
    if offset == 0:
        return same
    return (before if offset < 0 else after).format(n=abs(offset), u=_UNITS[unit])


def date_text(day: dt.date, estimated: bool) -> str:
    """2027年2月22日, or 2027年2月22日（预计） for a date that follows from an estimate."""
    return cn.date(day) + ("（预计）" if estimated else "")


@dataclass(frozen=True)
class Due:
    label: str          # 进驻前2个工作日
    text: str           # 2026年11月27日 (or the period for "during"), （预计） when estimated
    day: dt.date        # for sorting, the .ics and the ledger
    estimated: bool = False


def due(rule: str, dates: KeyDates) -> Due:
    """A time limit as words and a real date, computed from the campaign's dates."""
    anchor, offset, unit = parse_rule(rule)
    if anchor == "during":
        return Due("驻点期间", cn.date_range(dates.start, dates.end), dates.start)
    base = dates.anchor(anchor)
    day = base if offset == 0 else shift(base, offset, unit, dates.cal)
    est = dates.estimated(anchor)
    return Due(_label(anchor, offset, unit, dates), date_text(day, est), day, est)


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    day: dt.date
    text: str           # the date as printed, （预计） when estimated
    estimated: bool


def timeline(dates: KeyDates) -> list[Step]:
    """The inspection's dated steps in order: notice to rectification report."""
    sched = rules()
    out = [Step(k, label, dates.anchor(k), date_text(dates.anchor(k), dates.estimated(k)), dates.estimated(k))
           for k, label in sched.timeline.items()]
    out += [Step(k, dates.step_labels[k], d, date_text(d, dates.estimated(k)), dates.estimated(k))
            for k, d in dates.steps.items()]
    return sorted(out, key=lambda s: s.day)
