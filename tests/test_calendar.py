"""Working days, key dates, the home page timeline and key-dates.ics (issue 14), and the
date-dependent political wording (macros/period.py).

Expected dates come from the real Chinese calendar, never from our code: the State
Council's 2026 arrangement as recorded in domain-facts-2 §6 (checked here against the
`chinesecalendar` package), and for years without a published arrangement the statutory
holidays of the 全国年节及纪念日放假办法 plus weekends. `oracle_dates(campaign)` below
is that independent calculation; test_documents.py, test_rectification.py and
test_checklists.py use it too.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, ROOT, run_build, variant
from lxml import html as lh

from macros import edition as edition_mod
from macros import period, pipeline, schedule, workcal

ONE = dt.timedelta(days=1)
EXAMPLE = ROOT / "campaigns" / "example.yml"


def all_campaigns() -> list[Path]:
    """Every sample campaign and every held-out campaign, globbed at collection time."""
    return sorted((ROOT / "campaigns").glob("*.yml")) + sorted((FIXTURES / "campaigns").glob("*.yml"))


def campaign_params():
    return [pytest.param(p, id=f"{p.parent.name}/{p.stem}") for p in all_campaigns()]


# ---- The real calendar (the oracle) -----------------------------------------------------------

# 2026, 国务院办公厅 2025-11-04 (domain-facts-2 §6): days off, and weekend days worked (调休).
OFF_2026 = [("元旦", "2026-01-01", "2026-01-03"), ("春节", "2026-02-15", "2026-02-23"),
            ("清明节", "2026-04-04", "2026-04-06"), ("劳动节", "2026-05-01", "2026-05-05"),
            ("端午节", "2026-06-19", "2026-06-21"), ("中秋节", "2026-09-25", "2026-09-27"),
            ("国庆节", "2026-10-01", "2026-10-07")]
WORKED_2026 = ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]


def _days(a: str, b: str):
    d, end = dt.date.fromisoformat(a), dt.date.fromisoformat(b)
    while d <= end:
        yield d
        d += ONE


def published_2026(day: dt.date) -> bool:
    """Working day in 2026 by the State Council's notice as recorded in domain-facts-2."""
    if day.isoformat() in WORKED_2026:
        return True
    if any(day in set(_days(a, b)) for _, a, b in OFF_2026):
        return False
    return day.weekday() < 5


@lru_cache(maxsize=None)
def _statutory(year: int) -> frozenset:
    """The days off fixed by law for a year (no 调休 known): holidays.China without the
    package's guessed substitute days."""
    import holidays

    return frozenset(holidays.China(years=year, observed=False))


def oracle_workday(day: dt.date, local_off=(), local_on=()) -> bool:
    if day in local_on:
        return True
    if day in local_off:
        return False
    import chinese_calendar as cc

    try:
        return cc.is_workday(day)
    except NotImplementedError:  # no published arrangement: weekends and statutory holidays
        return day.weekday() < 5 and day not in _statutory(day.year)


class Oracle:
    """Working-day arithmetic on the real calendar, with a campaign's local changes."""

    def __init__(self, data: dict | None = None):
        cal = (data or {}).get("calendar") or {}
        self.off = {_d(x) for x in cal.get("holidays", [])}
        self.on = {_d(x) for x in cal.get("workdays", [])}

    def work(self, day: dt.date) -> bool:
        return oracle_workday(day, self.off, self.on)

    def before(self, day):
        while not self.work(day):
            day -= ONE
        return day

    def after(self, day):
        while not self.work(day):
            day += ONE
        return day

    def nth(self, day, n):
        """The n-th working day after (n > 0) or before (n < 0) `day`, `day` not counted."""
        step, left = (ONE if n > 0 else -ONE), abs(n)
        while left:
            day += step
            if self.work(day):
                left -= 1
        return day


def _d(v) -> dt.date:
    return v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v))


def add_months(day: dt.date, n: int) -> dt.date:
    import calendar

    y, m = divmod(day.month - 1 + n, 12)
    y += day.year
    return dt.date(y, m + 1, min(day.day, calendar.monthrange(y, m + 1)[1]))


def oracle_dates(data: dict) -> dict[str, dt.date]:
    """The key dates of a campaign on the real calendar, following the contract:
    - notice: the 10th working day before the start (issue 14, domain-facts §1.3);
    - end: start + days − 1, moved back to the last working day (campaign schema);
    - deadline: last working day on or before planned end − deadline_days_before (issue 14);
    - feedback: feedback_after_days after the end, on a working day (an estimate);
    - 整改方案 15 working days, 专题民主生活会 1 month, 整改报告 3 months after feedback
      (domain-facts §1.3), a month count landing on a day off moving to the next working day.
    Dates the campaign gives are kept."""
    o = Oracle(data)
    d = data["dates"]
    start = _d(d["start"])
    planned_end = start + dt.timedelta(days=d["days"] - 1)
    end = max(o.before(planned_end), start)
    deadline = (_d(d["deadline"]) if d.get("deadline") else
                max(o.before(planned_end - dt.timedelta(days=d.get("deadline_days_before", 3))), start))
    notice = _d(d["notice"]) if d.get("notice") else o.nth(start, -10)
    feedback = (_d(d["feedback"]) if d.get("feedback") else
                o.after(end + dt.timedelta(days=d.get("feedback_after_days", 30))))
    return {"notice": notice, "start": start, "end": end, "planned_end": planned_end, "deadline": deadline,
            "feedback": feedback, "plan": o.nth(feedback, 15), "life_meeting": o.after(add_months(feedback, 1)),
            "report": o.after(add_months(feedback, 3))}


def oracle_due(rule: str, data: dict, dates: dict | None = None) -> dt.date:
    """A checklist rule's date, read as documented for the data files: +N/-N calendar days
    (a day off moves away from the anchor), +Nw/-Nw working days, +Nm months."""
    dates = dates or oracle_dates(data)
    m = re.fullmatch(r"([a-z_]+)(?:([+-]\d+)([wm]?))?", rule)
    anchor, n, unit = m.group(1), int(m.group(2) or 0), m.group(3) or ""
    base = dates["start" if anchor == "during" else "end" if anchor == "after_end" else anchor]
    o = Oracle(data)
    if n == 0:
        return base
    if unit == "w":
        return o.nth(base, n)
    moved = add_months(base, n) if unit == "m" else base + dt.timedelta(days=n)
    return o.before(moved) if n < 0 else o.after(moved)


def cn(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日(?:至(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日)?")


def dates_in(text: str) -> list[tuple[dt.date, int, int]]:
    """(date, start, end) of every Chinese date in `text`, the second date of a range too."""
    out = []
    for m in DATE.finditer(text):
        a = dt.date(int(m[1]), int(m[2]), int(m[3]))
        out.append((a, m.start(), m.end()))
        if m[5]:
            out.append((dt.date(int(m[4] or m[1]), int(m[5]), int(m[6])), m.start(), m.end()))
    return out


def article_text(path: Path, drop_notices: bool = False) -> str:
    doc = lh.fromstring(path.read_text(encoding="utf-8"))
    for bad in doc.xpath("//script|//style"):
        bad.drop_tree()
    if drop_notices:
        for bad in doc.xpath("//*[contains(concat(' ', @class, ' '), ' xc-notices ')]"):
            bad.drop_tree()
    arts = doc.xpath("//article")
    return " ".join((arts[0] if arts else doc).text_content().split())


def site_pages(site: Path) -> list[Path]:
    return [p for p in sorted(site.rglob("*.html"))
            if not p.relative_to(site).as_posix().startswith(("assets/", "search/"))]


def docx_text(path: Path) -> str:
    import docx

    d = docx.Document(str(path))
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            parts += [c.text for c in row.cells]
    for s in d.sections:
        parts += [p.text for p in s.header.paragraphs] + [p.text for p in s.footer.paragraphs]
    return "\n".join(parts)


def write_campaign(data: dict, path: Path) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


# ---- Campaign variants built here (4 of the helper's budget) ------------------------------------

def sept_2026() -> dict:
    """Issue 14's example: start 2026-09-14 with 23 days, nothing else given."""
    return variant(EXAMPLE, dates={"start": dt.date(2026, 9, 14), "days": 23})


def given_2026() -> dict:
    """An explicit intake deadline on 国庆 (2026-10-02) and an explicit feedback date."""
    return variant(EXAMPLE, id="2026-r5-g3-given", dates={
        "start": dt.date(2026, 9, 14), "days": 30, "deadline": dt.date(2026, 10, 2),
        "feedback": dt.date(2026, 11, 16)})


def year_2031() -> dict:
    """A year no calendar source covers, with another theme (test_documents compares
    the talk outlines of two themes with it)."""
    return variant(EXAMPLE, id="2031-r1-g3-czj", theme="医保基金",
                   dates={"start": dt.date(2031, 9, 8), "days": 30})


# ---- Units: the calendar -------------------------------------------------------------------------


def test_domain_facts_2026_match_the_library():
    """The 2026 arrangement recorded in domain-facts-2 §6 is the one chinesecalendar
    holds, so the library is a valid oracle for 2026."""
    import chinese_calendar as cc

    for day in _days("2026-01-01", "2026-12-31"):
        assert cc.is_workday(day) == published_2026(day), day


def test_workcal_follows_the_2026_arrangement_day_by_day():
    """Every day of 2026 is a working day in macros.workcal exactly when the State
    Council's notice makes it one (holidays, 调休 weekends, plain weekends)."""
    cal = workcal.WorkCalendar()
    wrong = [d for d in _days("2026-01-01", "2026-12-31") if cal.is_workday(d) != published_2026(d)]
    assert wrong == []


@pytest.mark.parametrize("day,name", [("2026-10-02", "国庆"), ("2026-09-26", "中秋"), ("2026-02-17", "春节"),
                                      ("2026-10-11", "周日"), ("2026-09-19", "周六")])
def test_why_off_names_the_holiday(day, name):
    """A day off is explained by the holiday's Chinese name, or as a weekend day."""
    assert name in workcal.WorkCalendar().why_off(dt.date.fromisoformat(day))


def test_adjusted_weekends_are_working_days():
    """The 国庆 调休 Sunday 2026-09-20 and Saturday 2026-10-10 are worked."""
    cal = workcal.WorkCalendar()
    assert cal.is_workday(dt.date(2026, 9, 20)) and cal.is_workday(dt.date(2026, 10, 10))
    assert not any(cal.is_workday(d) for d in _days("2026-10-01", "2026-10-07"))


@pytest.mark.parametrize("day,n,want", [
    ("2026-09-14", -10, "2026-08-31"),   # issue 14: the notice for a 2026-09-14 start
    ("2026-09-30", 1, "2026-10-08"),     # over 国庆
    ("2026-10-12", -1, "2026-10-10"),    # the 调休 Saturday counts
    ("2026-09-24", 1, "2026-09-28"),     # over 中秋
    ("2026-09-21", -1, "2026-09-20"),    # the 调休 Sunday counts
    ("2026-10-03", 0, "2026-10-08"),     # 0: the day itself if worked, else the next one
])
def test_add_workdays(day, n, want):
    """n working days from a day, over holidays and 调休 weekends."""
    assert workcal.WorkCalendar().add_workdays(dt.date.fromisoformat(day), n) == dt.date.fromisoformat(want)


def test_on_or_before_and_after_skip_the_holiday():
    """The last working day on or before 国庆's 10-03 is 09-30; the first on or after is 10-08."""
    cal = workcal.WorkCalendar()
    assert cal.on_or_before(dt.date(2026, 10, 3)) == dt.date(2026, 9, 30)
    assert cal.on_or_after(dt.date(2026, 10, 3)) == dt.date(2026, 10, 8)


def test_local_changes_override_the_national_calendar():
    """A campaign's own calendar: a local day off and a local working day win over the
    national arrangement."""
    cal = workcal.WorkCalendar(local_holidays=frozenset({dt.date(2026, 9, 11)}),
                               local_workdays=frozenset({dt.date(2026, 10, 3)}))
    assert not cal.is_workday(dt.date(2026, 9, 11))
    assert cal.is_workday(dt.date(2026, 10, 3))
    assert cal.on_or_before(dt.date(2026, 10, 5)) == dt.date(2026, 10, 3)


def test_uncovered_year_falls_back_to_weekends_and_statutory_holidays():
    """2031 has no published arrangement: it is reported as not official, weekends and
    the holidays fixed by law (国庆 10-01..03, 劳动节 05-01..02, 元旦) are off, other
    weekdays are worked (no 调休 is invented)."""
    cal = workcal.WorkCalendar()
    assert cal.status(2031) != "official" and cal.status(2026) == "official"
    for day in ("2031-10-01", "2031-10-02", "2031-10-03", "2031-05-01", "2031-05-02", "2031-01-01",
                "2031-10-04", "2031-10-05"):
        assert not cal.is_workday(dt.date.fromisoformat(day)), day
    for day in ("2031-10-06", "2031-10-07", "2031-09-30", "2031-05-06"):
        assert cal.is_workday(dt.date.fromisoformat(day)), day
    assert cal.years_not_official([dt.date(2026, 5, 6), dt.date(2031, 1, 2), dt.date(2031, 3, 3)]) == [2031]


def test_supplement_file_fills_a_year_the_library_lacks(monkeypatch):
    """A year written in macros/data/holidays.yml counts as published, with its 调休
    working days; the committed file itself loads."""
    assert workcal.supplement() is not None
    sup = workcal.HolidaysFile.model_validate({"years": {2031: {
        "source": "测试用的安排", "holidays": {"2031-10-06": "国庆节"}, "workdays": ["2031-09-28"]}}})
    monkeypatch.setattr(workcal, "supplement", lambda: sup)
    cal = workcal.WorkCalendar()
    assert cal.status(2031) == "official"
    assert not cal.is_workday(dt.date(2031, 10, 6))
    assert cal.is_workday(dt.date(2031, 9, 28))  # a Sunday, worked


# ---- Units: key dates and rules --------------------------------------------------------------------


def _edition(tmp_path, data, name="c.yml"):
    return edition_mod.from_file(write_campaign(data, tmp_path / name))


def test_issue_example_key_dates(tmp_path):
    """Start 2026-09-14 with 23 days: notice 2026-08-31, intake deadline 2026-09-30
    (end 10-06 − 3 = 10-03 is 国庆), every derived key date a working day."""
    ed = _edition(tmp_path, sept_2026())
    k = ed.dates
    assert k.notice == dt.date(2026, 8, 31)
    assert k.deadline == dt.date(2026, 9, 30)
    want = oracle_dates(sept_2026())
    assert (k.end, k.feedback, k.steps["plan"], k.steps["life_meeting"], k.steps["report"]) == (
        want["end"], want["feedback"], want["plan"], want["life_meeting"], want["report"])
    for day in (k.notice, k.end, k.deadline, k.feedback, *k.steps.values()):
        assert oracle_workday(day), day


@pytest.mark.parametrize("rule", ["start-2w", "start-1", "start-3", "notice+1w", "start+3w", "end", "deadline",
                                  "feedback+15w", "feedback+5w", "feedback+2m", "plan", "life_meeting-7w",
                                  "report", "feedback+30"])
def test_rules_give_working_days(tmp_path, rule):
    """Each rule form (calendar days, working days, months, steps) gives the date the
    documented reading gives on the real calendar: start-2w is the 2nd working day
    before the start, feedback+15w the 15th working day after feedback."""
    data = sept_2026()
    d = schedule.due(rule, _edition(tmp_path, data).dates)
    assert d.day == oracle_due(rule, data)
    assert oracle_workday(d.day)


def test_rule_labels_say_working_days(tmp_path):
    """A working-day rule reads as 个工作日 in its label, a calendar-day rule does not."""
    k = _edition(tmp_path, sept_2026()).dates
    assert "2个工作日" in schedule.due("start-2w", k).label
    assert "工作日" not in schedule.due("start-2", k).label
    assert "15个工作日" in schedule.due("feedback+15w", k).label


def test_estimates_are_marked_and_given_dates_are_not(tmp_path):
    """Without a feedback date, the feedback and everything after it carry （预计）;
    with one, nothing does."""
    est = _edition(tmp_path, sept_2026(), "a.yml").dates
    assert schedule.due("feedback+15w", est).text.endswith("（预计）")
    assert not schedule.due("start-2w", est).text.endswith("（预计）")
    given = _edition(tmp_path, given_2026(), "b.yml").dates
    assert not any(s.estimated or "预计" in s.text for s in schedule.timeline(given))


def test_local_calendar_in_campaign_moves_the_notice(tmp_path):
    """`calendar.holidays` in the campaign file: a local day off on 2026-09-11 pushes
    the 10th working day before 2026-09-14 back to 2026-08-28."""
    data = sept_2026()
    data["calendar"] = {"holidays": [dt.date(2026, 9, 11)]}
    assert _edition(tmp_path, data).dates.notice == dt.date(2026, 8, 28) == oracle_dates(data)["notice"]


def test_explicit_date_on_a_holiday_is_kept_with_a_notice(tmp_path):
    """An explicit deadline on 2026-10-02 stays; the notice names the label, the date,
    the holiday and the key path."""
    ed = _edition(tmp_path, given_2026())
    assert ed.dates.deadline == dt.date(2026, 10, 2)
    logs = [n.log for n in ed.notices if "dates.deadline" in n.log]
    assert len(logs) == 1
    assert "受理截止日" in logs[0] and "2026年10月2日" in logs[0] and "国庆" in logs[0]


def test_schedule_data_matches_the_practice():
    """schedule.yml keeps the practice of domain-facts §1.3: notice 10 working days
    before entry, 整改方案 within 15 working days, the 专题民主生活会 within a month,
    the report within 3 months of the feedback."""
    r = schedule.rules()
    assert r.notice == "start-10w"
    assert {k: s.rule for k, s in r.steps.items()} == {
        "plan": "feedback+15w", "life_meeting": "feedback+1m", "report": "feedback+3m"}


# ---- Units: political wording by date (was tests/test_period.py) -------------------------------------


def test_period_wording_follows_the_start_date():
    """A 2026 spring start names the study campaign under way (树立和践行正确政绩观学习
    教育, launched after the 2026 Spring Festival, ending in July), a December 2026 start
    its consolidation; 2026 is the first year of 十五五 (domain-facts §7)."""
    spring, winter = period.for_date(dt.date(2026, 4, 7)), period.for_date(dt.date(2026, 12, 1))
    assert "正在开展" in spring["study"] and "政绩观" in spring["study"]
    assert "正在开展" not in winter["study"] and "政绩观" in winter["study"]
    assert "十五五" in winter["plan"] and "开好局" in winter["plan"]
    assert "二十大" in winter["spirit"]


def test_period_wording_is_neutral_after_the_next_congress_is_due():
    """From late 2027 (the 21st Congress is due) nothing names the 20th Congress."""
    later = period.for_date(dt.date(2027, 11, 1))
    assert "二十大" not in later["spirit"] and "二十届" not in later["spirit"] and later["since"] == ""


def test_period_data_is_in_date_order_and_current():
    """Each list is ordered by date, and no entry uses an outdated reference."""
    from conftest import OUTDATED

    p = period.load()
    for entries in (p.spirit, p.study, p.plan):
        assert [e.from_ for e in entries] == sorted(e.from_ for e in entries)
        for e in entries:
            assert not [w for w in OUTDATED if w in e.text + e.since + e.goal], e.text


# ---- Built editions ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sept(edition) -> Path:
    return edition(sept_2026())


def test_built_notice_and_deadline_of_the_issue_example(sept):
    """The built edition prints the notice date 2026年8月31日 (signature of the 巡察通知)
    and the intake deadline 2026年9月30日 (home page facts and contacts)."""
    doc = lh.fromstring((sept / "notices" / "notification.html").read_text(encoding="utf-8"))
    sign = doc.xpath("//*[contains(@class,'xc-doc-sign--date')]")
    assert [s.text_content().strip() for s in sign] == ["2026年8月31日"]
    home = article_text(sept / "index.html")
    assert len(re.findall(r"受理截止\s*2026年9月30日", home)) >= 2  # facts table and contacts


def test_no_derived_date_falls_on_a_day_off(sept):
    """Every date printed on any page of the 2026-09-14 edition (outside the notices
    that explain a moved date) and every date in key-dates.ics is a working day on
    the real calendar."""
    want = oracle_dates(sept_2026())
    lo, hi = want["notice"] - dt.timedelta(days=45), want["report"] + dt.timedelta(days=120)
    bad, seen = [], 0
    for page in site_pages(sept):
        text = article_text(page, drop_notices=True)
        for day, a, b in dates_in(text):
            if lo <= day <= hi:
                seen += 1
                if not oracle_workday(day):
                    bad.append(f"{page.relative_to(sept)}: {text[max(0, a - 20):b + 5]}")
    assert seen > 50 and bad == []
    from icalendar import Calendar

    cal = Calendar.from_ical((sept / "key-dates.ics").read_bytes())
    days = [ev.decoded("dtstart") for ev in cal.walk("VEVENT")]
    assert days and [d for d in days if not oracle_workday(d)] == []


def _marked(text: str, end: int) -> bool:
    return re.match(r"）?（预计）", text[end:]) is not None


def test_dates_from_the_estimated_feedback_say_so(sept):
    """Every date on or after the estimated feedback date, on every page and in every
    .docx, is followed by （预计）; earlier dates (not derived from it) are not."""
    feedback = oracle_dates(sept_2026())["feedback"]
    texts = {p.relative_to(sept).as_posix(): article_text(p, drop_notices=True) for p in site_pages(sept)}
    texts.update({p.relative_to(sept).as_posix(): docx_text(p) for p in sorted(sept.rglob("*.docx"))})
    unmarked, wrongly, later = [], [], 0
    for rel, text in texts.items():
        for m in DATE.finditer(text):
            first = dt.date(int(m[1]), int(m[2]), int(m[3]))
            if m[5]:  # a range: only its end can be late; the mark follows the range
                continue
            if first >= feedback and first.year < 2030:
                later += 1
                if not _marked(text, m.end()):
                    unmarked.append(f"{rel}: {text[max(0, m.start() - 20):m.end() + 6]}")
            elif first < feedback and first >= dt.date(2026, 8, 1) and _marked(text, m.end()):
                wrongly.append(f"{rel}: {text[max(0, m.start() - 20):m.end() + 6]}")
    assert later > 20
    assert unmarked == [] and wrongly == []


def test_home_timeline_lists_the_steps_in_order(sept):
    """The home page timeline: notice, entry, intake deadline, end, feedback, 整改方案,
    专题民主生活会, 整改报告, each with its date, in date order; the steps from the
    feedback on are marked as estimates."""
    want = oracle_dates(sept_2026())
    doc = lh.fromstring((sept / "index.html").read_text(encoding="utf-8"))
    steps = doc.xpath("//article//ol[@data-xc-timeline]/li")
    expect = [("通知", "notice"), ("进驻", "start"), ("截止", "deadline"), ("结束", "end"), ("反馈", "feedback"),
              ("整改方案", "plan"), ("专题民主生活会", "life_meeting"), ("整改情况报告", "report")]
    assert len(steps) == len(expect)
    for li, (word, key) in zip(steps, expect):
        label = li.xpath(".//*[contains(@class,'xc-timeline__label')]")[0].text_content()
        shown = li.xpath(".//*[contains(@class,'xc-timeline__date')]")[0].text_content()
        assert word in label, (word, label)
        assert shown.startswith(cn(want[key])), (key, shown)
        assert li.get("data-date") == want[key].isoformat()
        assert ("（预计）" in shown) == (key in ("feedback", "plan", "life_meeting", "report")), shown
    assert [li.get("data-date") for li in steps] == sorted(li.get("data-date") for li in steps)


def test_key_dates_ics_holds_the_steps(sept):
    """key-dates.ics is linked from the home page, parses with icalendar and holds one
    all-day event per step, on the step's date, naming the group and the unit."""
    from icalendar import Calendar

    doc = lh.fromstring((sept / "index.html").read_text(encoding="utf-8"))
    assert doc.xpath("//article//a[@href='key-dates.ics']")
    want = oracle_dates(sept_2026())
    cal = Calendar.from_ical((sept / "key-dates.ics").read_bytes())
    events = cal.walk("VEVENT")
    keys = ["notice", "start", "deadline", "end", "feedback", "plan", "life_meeting", "report"]
    assert sorted(ev.decoded("dtstart") for ev in events) == sorted(want[k] for k in keys)
    assert len({str(ev["uid"]) for ev in events}) == len(events)
    for ev in events:
        start = ev.decoded("dtstart")
        assert isinstance(start, dt.date) and not isinstance(start, dt.datetime)  # all-day
        assert ev.decoded("dtend") == start + ONE
        summary = str(ev["summary"])
        assert "市委第三巡察组" in summary and "市财政局" in summary
    by_day = {}
    for ev in events:
        by_day.setdefault(ev.decoded("dtstart"), []).append(str(ev["summary"]))
    assert any("整改方案" in s for s in by_day[want["plan"]])
    assert any("通知" in s for s in by_day[want["notice"]])


def test_key_dates_ics_is_byte_identical_across_builds(sept, tmp_path):
    """A second build of the same campaign into another folder writes the same bytes."""
    path = write_campaign(sept_2026(), tmp_path / "again.yml")
    pipeline.build_site(edition_mod.from_file(path), tmp_path / "site")
    assert (tmp_path / "site" / "key-dates.ics").read_bytes() == (sept / "key-dates.ics").read_bytes()


@pytest.mark.subprocess
def test_explicit_deadline_on_a_holiday_builds_with_the_warning(tmp_path):
    """`mkdocs build --strict` with dates.deadline on 2026-10-02 succeeds; the home page
    names 受理截止日, the date and the holiday, the build log adds the key path (as
    information, not a WARNING); the year without an arrangement (2027, for the report)
    is noted as well; given dates carry no （预计）."""
    path = write_campaign(given_2026(), tmp_path / "given.yml")
    r = run_build(path, tmp_path / "site")
    assert r.returncode == 0, r.stderr[-3000:]
    log = r.stdout + r.stderr
    lines = [ln for ln in log.splitlines() if "dates.deadline" in ln]
    assert lines and all("受理截止日" in ln and "2026年10月2日" in ln and "WARNING" not in ln for ln in lines)
    assert any("2027年" in ln and "调休" in ln and "WARNING" not in ln for ln in log.splitlines())
    site = tmp_path / "site"
    notes = lh.fromstring((site / "index.html").read_text(encoding="utf-8")).xpath(
        "//*[contains(concat(' ', @class, ' '), ' xc-notices ')]")
    assert len(notes) == 1
    note = " ".join(notes[0].text_content().split())
    assert "受理截止日" in note and "2026年10月2日" in note and "国庆" in note
    assert "dates.deadline" not in note  # key paths are for the log, not the reader
    home = article_text(site / "index.html", drop_notices=True)
    assert "2026年10月2日" in home  # the given deadline is kept
    for page in site_pages(site):
        assert "（预计）" not in article_text(page), page


@pytest.fixture(scope="module")
def y2031(edition) -> Path:
    return edition(year_2031())


def test_uncovered_year_builds_with_the_fallback_notice(y2031):
    """A 2031 campaign builds; the home page says the year's arrangement is not known and
    the dates count weekends and statutory holidays only; the deadline before 国庆
    (planned end 10-07 − 3 = 10-04, a Saturday, then 10-01..03 by law) is 2031年9月30日."""
    notes = lh.fromstring((y2031 / "index.html").read_text(encoding="utf-8")).xpath(
        "//*[contains(concat(' ', @class, ' '), ' xc-notices ')]")
    assert notes
    note = " ".join(notes[0].text_content().split())
    assert "2031年" in note and "调休" in note
    assert re.search(r"受理截止\s*2031年9月30日", article_text(y2031 / "index.html"))
    want = oracle_dates(year_2031())
    assert want["deadline"] == dt.date(2031, 9, 30)
    for page in site_pages(y2031):
        for day, *_ in dates_in(article_text(page, drop_notices=True)):
            if day.year >= 2031:
                assert oracle_workday(day), (page, day)
