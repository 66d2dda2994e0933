"""key-dates.ics: the inspection's dated steps as an iCalendar file (made with icalendar).

One all-day event per timeline step, named with the step, the group and the unit.
The file is reproducible: UIDs are built from the edition id and the step, and
DTSTAMP is the edition's fixed date, so the same campaign gives the same bytes.
"""

from __future__ import annotations

import datetime as dt

NAME = "key-dates.ics"


def calendar_bytes(ed) -> bytes:
    from icalendar import Calendar, Event

    v = ed.values
    stamp = dt.datetime(ed.dates.start.year, ed.dates.start.month, ed.dates.start.day, tzinfo=dt.timezone.utc)
    cal = Calendar()
    cal.add("prodid", "-//xuncha-editions//巡察工作指引与文书//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"{v.group.name}巡察{v.inspected.org_short}关键日期")
    for step in v.timeline:
        ev = Event()
        day = dt.date.fromisoformat(step["date"])
        ev.add("uid", f"{ed.id}-{step['key']}@xuncha-editions")
        ev.add("dtstamp", stamp)
        ev.add("dtstart", day)
        ev.add("dtend", day + dt.timedelta(days=1))
        ev.add("summary", f"{step['label']}（{v.group.name}巡察{v.inspected.unit}）")
        note = "日期为预计，以巡察办通知为准。" if step["estimated"] else ""
        ev.add("description", f"{v.kind_label}，驻点时间{v.dates.range}。{note}".strip())
        ev.add("transp", "TRANSPARENT")
        cal.add_component(ev)
    return cal.to_ical()
