"""Calendars for the pure arithmetic tests, built straight from the chinesecalendar package
(the same data the court calendar is seeded from), without the database."""

from __future__ import annotations

import datetime as dt
from functools import cache

import chinese_calendar

from nodes.periods import Calendar

COVERED = range(2018, 2027)


@cache
def real_calendar() -> Calendar:
    days, names = {}, {}
    for year in COVERED:
        day = dt.date(year, 1, 1)
        while day.year == year:
            days[day] = chinese_calendar.is_workday(day)
            _on, name = chinese_calendar.get_holiday_detail(day)
            if name:
                names[day] = name
            day += dt.timedelta(days=1)
    return Calendar(days=days, names=names, covered_years=frozenset(COVERED))
