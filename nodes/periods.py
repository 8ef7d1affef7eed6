"""Legal period arithmetic. Pure functions: the calendar is passed in, nothing is read from
the database, so every rule can be tested on its own.

The rules (facts sheet §10):
- 民诉法 art 85 / 刑诉法 art 105: the start hour or day is not counted. An hour period
  starts at the next full hour; a day or month period on the next day.
- A period whose last day is a rest day or statutory holiday ends on the next working day
  (民诉法 art 85 "法定休假日"; weekends are treated as rest days in practice), except custody
  periods (刑诉法 art 105), which end on the due date.
- Holidays inside a period are not deducted.
- Months end on the corresponding day of the later month, or on that month's last day when it
  has no such day (民法典 art 202 by analogy; 刑诉法解释 art 202).
- Working-day periods count working days only (调休 weekend working days count; holidays do
  not), e.g. 裁判文书上网 7 working days (法释〔2016〕19号 art 7).
- A deadline ends at 24:00 of its last day, Asia/Shanghai: ``due_at`` is the first instant
  after the period (00:00 of the next day), and the node is late from that instant on.
- "Before" periods (at least N days before a hearing) end at 24:00 of the day N days
  before the anchor date (民法典 art 1259: "以前" includes the number) and never move.
- Hour periods end at the exact hour; holidays do not move them (urgent measures such as
  48-hour preservation rulings run through holidays).
- A year the calendar has no data for falls back to Monday–Friday working days and the
  result is marked provisional, never silently guessed.
"""

from __future__ import annotations

import calendar as _cal
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

COURT_TZ = ZoneInfo("Asia/Shanghai")
UNITS = ("hours", "days", "working_days", "months")
MAX_AMOUNT = {"hours": 24 * 366, "days": 3660, "working_days": 1000, "months": 240}


class PeriodError(ValueError):
    """The period cannot be computed (unknown unit, absurd amount, naive instant)."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Calendar:
    """Working days and holidays, as the court calendar holds them.

    ``days`` maps a date to whether it is a working day, for every day of the covered
    years; ``names`` gives holiday and 调休 names. Years outside ``covered_years`` fall back
    to Monday–Friday and make results provisional."""

    days: Mapping[dt.date, bool] = field(default_factory=dict)
    names: Mapping[dt.date, str] = field(default_factory=dict)
    covered_years: frozenset[int] = frozenset()

    def is_workday(self, day: dt.date) -> tuple[bool, bool]:
        """(is it a working day, is that a Monday–Friday guess for an uncovered year)."""
        if day.year in self.covered_years:
            known = self.days.get(day)
            if known is not None:
                return known, False
        return day.weekday() < 5, True

    def name(self, day: dt.date) -> str:
        return self.names.get(day, "")


@dataclass(frozen=True)
class Due:
    """A computed deadline with the reasons for it."""

    due_at: dt.datetime
    last_day: dt.date | None
    provisional: bool
    explanation: list[str]

    def as_dict(self) -> dict:
        return {
            "due_at": self.due_at.isoformat(),
            "last_day": self.last_day.isoformat() if self.last_day else None,
            "provisional": self.provisional,
            "explanation": self.explanation,
        }


def _end_of(day: dt.date) -> dt.datetime:
    """The instant a period ending on ``day`` is over: 24:00 that day, Shanghai time."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=COURT_TZ)


def add_months(day: dt.date, months: int) -> dt.date:
    """The corresponding day ``months`` later, or the last day of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = _cal.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def _check(start: dt.datetime, amount: int, unit: str) -> None:
    if unit not in UNITS:
        raise PeriodError(
            _("Unknown unit %(unit)s: use hours, days, working_days or months.") % {"unit": unit},
            "unit",
        )
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise PeriodError(_("The amount must be a whole number."), "amount")
    if amount < 0 or amount > MAX_AMOUNT[unit]:
        raise PeriodError(
            _("The amount must be between 0 and %(max)s %(unit)s.")
            % {"max": MAX_AMOUNT[unit], "unit": unit},
            "amount",
        )
    if start.tzinfo is None or start.utcoffset() is None:
        raise PeriodError(
            _("The instant must carry a time zone, e.g. 2026-03-02T09:00:00+08:00."), "anchor"
        )


def _roll_forward(
    day: dt.date, cal: Calendar, notes: list[str], explain: bool = True
) -> tuple[dt.date, bool]:
    provisional = False
    moved_from = day
    skipped: list[str] = []
    for _i in range(60):  # the longest run of rest days in any year is about nine days
        working, guess = cal.is_workday(day)
        provisional |= guess
        if working:
            break
        skipped.append(f"{day.isoformat()}{'（' + cal.name(day) + '）' if cal.name(day) else ''}")
        day += dt.timedelta(days=1)
    if day != moved_from and explain:
        notes.append(
            _(
                "The last day %(day)s is a rest day or holiday, so the period ends on the next working day, "
                "%(next)s (民诉法 art 85). Skipped: %(skipped)s."
            )
            % {
                "day": moved_from.isoformat(),
                "next": day.isoformat(),
                "skipped": "、".join(skipped),
            }
        )
    return day, provisional


def add_period(
    start: dt.datetime,
    amount: int,
    unit: str,
    cal: Calendar,
    *,
    custody: bool = False,
    explain: bool = True,
) -> Due:
    """The deadline of a period of ``amount`` ``unit`` running from ``start``."""
    _check(start, amount, unit)
    local = start.astimezone(COURT_TZ)
    notes: list[str] = []
    provisional = False
    if unit == "hours":
        first_hour = local.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)
        due = first_hour + dt.timedelta(hours=amount)
        if explain:
            notes.append(
                _(
                    "The starting hour is not counted: %(n)s hours from %(first)s (民诉法 art 85, 民诉法解释 art 125)."
                )
                % {"n": amount, "first": first_hour.strftime("%Y-%m-%d %H:%M")}
            )
        if explain:
            notes.append(
                _("An hour period ends at the exact hour; rest days and holidays do not move it.")
            )
        return Due(due_at=due, last_day=None, provisional=False, explanation=notes)

    start_day = local.date()
    if unit == "working_days":
        day, counted, passed = start_day, 0, []
        while counted < amount:
            day += dt.timedelta(days=1)
            working, guess = cal.is_workday(day)
            provisional |= guess
            if working:
                counted += 1
            else:
                passed.append(day)
        if explain:
            notes.append(
                _(
                    "%(n)s working days after %(start)s (the start day is not counted); rest days, holidays and "
                    "调休 working weekends follow the court calendar."
                )
                % {"n": amount, "start": start_day.isoformat()}
            )
        if passed and explain:
            notes.append(
                _("Not counted as working days: %(days)s.")
                % {
                    "days": "、".join(
                        f"{d.isoformat()}{'（' + cal.name(d) + '）' if cal.name(d) else ''}"
                        for d in passed
                    )
                }
            )
        last = day
    else:
        if unit == "days":
            last = start_day + dt.timedelta(days=amount)
            if explain:
                notes.append(
                    _(
                        "The start day %(start)s is not counted: day %(n)s is %(last)s; holidays inside the period are "
                        "not deducted (民诉法 art 85)."
                    )
                    % {"start": start_day.isoformat(), "n": amount, "last": last.isoformat()}
                )
        else:
            last = add_months(start_day, amount)
            if explain:
                notes.append(
                    _(
                        "%(n)s months from %(start)s end on the corresponding day %(last)s, or the last day of a shorter "
                        "month (民法典 art 202; 刑诉法解释 art 202)."
                    )
                    % {"n": amount, "start": start_day.isoformat(), "last": last.isoformat()}
                )
        if custody:
            if explain:
                notes.append(
                    _("A custody period ends on its due date even on a holiday (刑诉法 art 105).")
                )
            _w, guess = cal.is_workday(last)
            provisional |= guess
        else:
            last, guess = _roll_forward(last, cal, notes, explain)
            provisional |= guess
    if explain:
        notes.append(
            _("The deadline is 24:00 on %(day)s, Beijing time.") % {"day": last.isoformat()}
        )
    if provisional and explain:
        notes.append(_provisional_note(start_day, last, cal))
    return Due(due_at=_end_of(last), last_day=last, provisional=provisional, explanation=notes)


def shift_days(
    due: Due, days: int, cal: Calendar, *, custody: bool, reason: str, explain: bool = True
) -> Due:
    """Move a day-based deadline's raw last day by ``days`` (suspended or extension days)
    and roll it off a rest day again (unless custody). Used by the 审限 clock."""
    if due.last_day is None or not days:
        return due
    notes = [*due.explanation, reason] if explain else []
    last = due.last_day + dt.timedelta(days=days)
    provisional = due.provisional
    if not custody:
        last, guess = _roll_forward(last, cal, notes, explain)
        provisional |= guess
    if explain:
        notes.append(
            _("The deadline is 24:00 on %(day)s, Beijing time.") % {"day": last.isoformat()}
        )
    return Due(due_at=_end_of(last), last_day=last, provisional=provisional, explanation=notes)


def before(anchor: dt.datetime, amount: int, unit: str, *, explain: bool = True) -> Due:
    """The latest moment a step may happen when it must come at least ``amount`` before
    ``anchor`` (a hearing, an auction, an expiry). Never moved by holidays."""
    _check(anchor, amount, unit)
    if unit not in ("days", "hours"):
        raise PeriodError(_("A period before a date is counted in days or hours."), "unit")
    local = anchor.astimezone(COURT_TZ)
    if unit == "hours":
        due = local - dt.timedelta(hours=amount)
        return Due(
            due_at=due,
            last_day=None,
            provisional=False,
            explanation=[
                _("At least %(n)s hours before %(anchor)s.")
                % {"n": amount, "anchor": local.strftime("%Y-%m-%d %H:%M")}
            ]
            if explain
            else [],
        )
    # An anchor at 00:00 is the end of the previous day (a deadline's due_at): count from that day.
    anchor_day = (
        (local - dt.timedelta(microseconds=1)).date()
        if local.time() == dt.time(0)
        else local.date()
    )
    last = anchor_day - dt.timedelta(days=amount)
    return Due(
        due_at=_end_of(last),
        last_day=last,
        provisional=False,
        explanation=[
            _(
                "At least %(n)s days before %(anchor)s: by 24:00 on %(last)s (民法典 art 1259: “以前” includes the "
                "number); holidays do not move it."
            )
            % {"n": amount, "anchor": anchor_day.isoformat(), "last": last.isoformat()}
        ]
        if explain
        else [],
    )


def _provisional_note(first: dt.date, last: dt.date, cal: Calendar) -> str:
    years = sorted({y for y in range(first.year, last.year + 1) if y not in cal.covered_years})
    return _(
        "Provisional: the court calendar has no holidays for %(years)s yet, so Monday to Friday were "
        "taken as working days there. The date will be recomputed once the State Council's schedule "
        "is entered."
    ) % {"years": "、".join(str(y) for y in years)}


def deadline_text(due_at: dt.datetime | None) -> str:
    """A deadline as people say it: 00:00 after the last day reads as that day's 24:00."""
    if due_at is None:
        return ""
    local = due_at.astimezone(COURT_TZ)
    if local.time() == dt.time(0):
        return f"{(local - dt.timedelta(days=1)).date().isoformat()} 24:00"
    return local.strftime("%Y-%m-%d %H:%M")
