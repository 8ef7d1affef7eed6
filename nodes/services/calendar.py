"""The court calendar: seeding from chinesecalendar, importing a State Council schedule,
and corrections by trial managers."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from courtflow.audit import audit_record
from courtflow.errors import InvalidInput, NotAllowed
from nodes.models import CalendarDay
from nodes.selectors import calendar_changed

MAX_CSV_BYTES = 256 * 1024
TRUE_WORDS = {"1", "true", "yes", "y", "workday", "work", "班", "上班", "是", "工作日"}
FALSE_WORDS = {"0", "false", "no", "n", "holiday", "rest", "休", "休息", "否", "休息日", "节假日"}


def _require_calendar_manager(actor: Any) -> None:
    if actor is None or actor.is_superuser or actor.has_perm("nodes.manage_calendar"):
        return
    raise NotAllowed(_("Only trial managers may change the court calendar."))


def _days_of(year: int) -> list[dt.date]:
    day, out = dt.date(year, 1, 1), []
    while day.year == year:
        out.append(day)
        day += dt.timedelta(days=1)
    return out


@transaction.atomic
def calendar_seed_from_package(*, actor: Any = None) -> dict[int, int]:
    """Fill every year the chinesecalendar package covers; days already present (imported
    or corrected by hand) are kept. Returns the days added per year."""
    import chinese_calendar

    _require_calendar_manager(actor)
    existing = set(CalendarDay.objects.values_list("date", flat=True))
    holidays, workdays = chinese_calendar.holidays, chinese_calendar.workdays
    first, last = min(holidays).year, max(holidays).year
    added: dict[int, int] = {}
    for year in range(first, last + 1):
        rows = []
        for day in _days_of(year):
            if day in existing:
                continue
            # The package's own tables (what is_workday and get_holiday_detail read), looked up directly.
            if day in workdays:
                workday, name = True, f"{_holiday_zh(workdays[day])}调休上班"
            elif day in holidays:
                workday, name = False, _holiday_zh(holidays[day])
            else:
                workday, name = day.weekday() < 5, ""
            rows.append(
                CalendarDay(
                    date=day,
                    is_workday=workday,
                    name=name,
                    source=CalendarDay.Source.PACKAGE,
                    confirmed=False,
                )
            )
        if rows:
            CalendarDay.objects.bulk_create(rows, batch_size=500)
            added[year] = len(rows)
            audit_record(
                actor=actor,
                action="calendar.seeded",
                object_type="nodes.calendaryear",
                object_id=year,
                object_repr=str(year),
                after={"days": len(rows), "source": "chinesecalendar"},
            )
    calendar_changed()  # this process at once; others within CALENDAR_RECHECK_SECONDS
    return added


_HOLIDAY_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def _holiday_zh(name: str) -> str:
    return _HOLIDAY_ZH.get(name, name)


@transaction.atomic
def calendar_day_set(
    *, actor: Any, date: dt.date, is_workday: bool, name: str = "", reason: str = ""
) -> CalendarDay:
    """Correct one day (a trial manager, after the State Council notice). Audited."""
    _require_calendar_manager(actor)
    if not reason.strip():
        raise InvalidInput(
            _("Say why the day changes (e.g. the State Council notice)."), field="reason"
        )
    day = CalendarDay.objects.select_for_update().filter(date=date).first()
    before = {"is_workday": day.is_workday, "name": day.name, "source": day.source} if day else None
    if day is None:
        day = CalendarDay(date=date)
    day.is_workday = is_workday
    day.name = (name or "").strip()[:40]
    day.source = CalendarDay.Source.MANUAL
    day.confirmed = True
    day.save()
    audit_record(
        actor=actor,
        action="calendar.day_set",
        object_type="nodes.calendarday",
        object_id=date.isoformat(),
        object_repr=date.isoformat(),
        before=before,
        after={"is_workday": is_workday, "name": day.name},
        reason=reason,
    )
    calendar_changed()  # this process at once; others within CALENDAR_RECHECK_SECONDS
    return day


def _parse_bool(value: str) -> bool | None:
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def parse_schedule_csv(data: bytes) -> dict[dt.date, tuple[bool, str]]:
    """Read ``date,is_workday,name`` rows (the State Council's holidays and 调休 days).
    Raise InvalidInput naming the line of the first problems; nothing is written."""
    if len(data) > MAX_CSV_BYTES:
        raise InvalidInput(_("The file is larger than 256 KB."), field="file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(_("The file is not UTF-8 text."), field="file") from exc
    if "\x00" in text:
        raise InvalidInput(_("The file contains NUL characters."), field="file")
    reader = csv.reader(io.StringIO(text))
    rows: dict[dt.date, tuple[bool, str]] = {}
    problems: list[str] = []
    for row in reader:
        line = reader.line_num
        if not row or not "".join(row).strip() or row[0].strip().lower() in ("date", "日期"):
            continue
        if len(row) < 2 or len(row) > 3:
            problems.append(_("line %(line)s: expected date,is_workday[,name]") % {"line": line})
            continue
        try:
            day = dt.date.fromisoformat(row[0].strip())
        except ValueError:
            problems.append(
                _("line %(line)s: %(value)s is not a date like 2027-01-01")
                % {"line": line, "value": row[0].strip()[:20]}
            )
            continue
        workday = _parse_bool(row[1])
        if workday is None:
            problems.append(
                _("line %(line)s: %(value)s is neither a working day (1) nor a rest day (0)")
                % {"line": line, "value": row[1].strip()[:20]}
            )
            continue
        if day in rows:
            problems.append(
                _("line %(line)s: %(day)s appears twice") % {"line": line, "day": day.isoformat()}
            )
            continue
        rows[day] = (workday, (row[2].strip() if len(row) == 3 else "")[:40])
        if len(problems) >= 10:
            break
    if problems:
        raise InvalidInput(
            "; ".join(str(p) for p in problems), field="file", code="bad_calendar_file"
        )
    if not rows:
        raise InvalidInput(_("The file lists no days."), field="file", code="bad_calendar_file")
    years = {d.year for d in rows}
    if len(years) > 2 or min(years) < 2000 or max(years) > 2100:
        raise InvalidInput(
            _("A schedule covers one year (two at most) between 2000 and 2100."),
            field="file",
            code="bad_calendar_file",
        )
    return rows


@transaction.atomic
def calendar_import_csv(
    *, actor: Any, data: bytes, source_name: str, replace: bool = False
) -> dict[int, int]:
    """Enter a year's State Council schedule: the listed days as given, every other day of
    that year by the Monday–Friday rule. Refuses a year already confirmed unless ``replace``."""
    _require_calendar_manager(actor)
    rows = parse_schedule_csv(data)
    result: dict[int, int] = {}
    for year in sorted({d.year for d in rows}):
        days = _days_of(year)
        existing = CalendarDay.objects.filter(date__year=year)
        if existing.filter(confirmed=True).exists() and not replace:
            raise InvalidInput(
                _(
                    "%(year)s already has confirmed calendar days; import again with replace to overwrite them."
                )
                % {"year": year},
                field="file",
                code="year_exists",
            )
        before = existing.count()
        # Rebuilding the year's rows in full keeps one source for the whole year.
        CalendarDay.objects.filter(date__year=year).delete()
        CalendarDay.objects.bulk_create(
            [
                CalendarDay(
                    date=day,
                    is_workday=rows[day][0] if day in rows else day.weekday() < 5,
                    name=rows[day][1] if day in rows else "",
                    source=CalendarDay.Source.STATE_COUNCIL,
                    confirmed=True,
                )
                for day in days
            ],
            batch_size=500,
        )
        result[year] = len(days)
        audit_record(
            actor=actor,
            action="calendar.imported",
            object_type="nodes.calendaryear",
            object_id=year,
            object_repr=str(year),
            before={"days": before},
            after={
                "days": len(days),
                "listed": sum(d.year == year for d in rows),
                "file": source_name[:100],
            },
        )
    calendar_changed()  # this process at once; others within CALENDAR_RECHECK_SECONDS
    return result
