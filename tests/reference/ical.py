"""The reference expansion of RRULE/RDATE/EXDATE, recurring-ical-events,
as the differential test of iCalendar (tests/it/reference_ical.rs) asks it:

    python ical.py FILE FROM TO

prints every occurrence overlapping [FROM, TO) (local dates in
Europe/Berlin) as one JSON line {"uid", "start", "end"}, in time order,
with the same formats as `city-skill occurrences`.
"""
import datetime as dt
import json
import sys
import zoneinfo

import icalendar
import recurring_ical_events

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def fmt(value):
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=BERLIN)
        value = value.astimezone(BERLIN)
        text = value.strftime("%Y-%m-%dT%H:%M%z")
        return text[:-2] + ":" + text[-2:]
    return value.strftime("%Y-%m-%d")


def main(path, start, end):
    with open(path, "rb") as f:
        cal = icalendar.Calendar.from_ical(f.read())
    start = dt.datetime.fromisoformat(start).replace(tzinfo=BERLIN)
    end = dt.datetime.fromisoformat(end).replace(tzinfo=BERLIN)
    rows = []
    for ev in recurring_ical_events.of(cal).between(start, end):
        s, e = ev["DTSTART"].dt, ev["DTEND"].dt
        key = s if isinstance(s, dt.datetime) else dt.datetime.combine(s, dt.time(), BERLIN)
        if key.tzinfo is None:
            key = key.replace(tzinfo=BERLIN)
        rows.append((key, str(ev["UID"]), {"uid": str(ev["UID"]), "start": fmt(s), "end": fmt(e)}))
    rows.sort(key=lambda r: (r[0], r[1]))
    for _, _, row in rows:
        print(json.dumps(row, ensure_ascii=False))


if __name__ == "__main__":
    main(*sys.argv[1:4])
