"""The court calendar: seeded from chinesecalendar, cross-checked against the holidays
package, corrected and imported by trial managers, and never guessed silently."""

from __future__ import annotations

import datetime as dt

import holidays
import pytest
from django.core.checks import run_checks
from django.test import Client

from courtflow.errors import InvalidInput, NotAllowed
from courtflow.models import AuditEvent
from nodes import selectors, services
from nodes.models import CalendarDay
from nodes.periods import COURT_TZ, add_period
from nodes.tests.calendars import real_calendar
from teams.roles import Role
from teams.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
D = dt.date

SCHEDULE_2027 = """date,is_workday,name
2027-01-01,0,元旦
2027-02-06,1,春节调休上班
2027-02-07,0,春节
2027-02-08,0,春节
"""


def test_chinesecalendar_and_the_holidays_package_agree_on_every_day_2018_to_2026():
    cn = holidays.China(years=range(2018, 2027))
    cal = real_calendar()
    disagreements = []
    day = D(2018, 1, 1)
    while day <= D(2026, 12, 31):
        if cn.is_working_day(day) != cal.is_workday(day)[0]:
            disagreements.append(day)
        day += dt.timedelta(days=1)
    assert disagreements == []


def test_seeding_fills_every_covered_year_and_is_idempotent():
    added = services.calendar_seed_from_package()
    assert added[2026] == 365 and added[2024] == 366
    assert services.calendar_seed_from_package() == {}
    cal = selectors.calendar_load()
    assert {2025, 2026} <= cal.covered_years and 2027 not in cal.covered_years
    assert cal.is_workday(D(2026, 2, 14)) == (True, False)  # 调休 Saturday
    assert cal.is_workday(D(2026, 10, 1)) == (False, False)
    assert CalendarDay.objects.get(date=D(2026, 2, 14)).name == "春节调休上班"
    assert CalendarDay.objects.get(date=D(2026, 10, 1)).name == "国庆节"
    # The database calendar gives the same answers as the package it was seeded from.
    start = dt.datetime(2026, 9, 22, 10, tzinfo=COURT_TZ)
    assert (
        add_period(start, 15, "days", cal).last_day
        == add_period(start, 15, "days", real_calendar()).last_day
    )


def test_a_missing_year_warns_in_the_system_check_and_the_banner():
    services.calendar_seed_from_package()
    messages = [m for m in run_checks(databases=["default"]) if m.id == "nodes.W001"]
    assert any("2027" in m.msg for m in messages)
    manager = PersonFactory(role=Role.TRIAL_MANAGER)
    client = Client()
    client.force_login(manager.user)
    page = client.get(f"/home/{Role.TRIAL_MANAGER}/").content.decode()
    assert "banner" in page and "2027" in page
    judge = PersonFactory(court=manager.court, role=Role.JUDGE)
    client.force_login(judge.user)
    assert "banner" not in client.get(f"/home/{Role.JUDGE}/").content.decode()


def test_importing_a_state_council_schedule_fills_the_year_and_clears_the_warning():
    services.calendar_seed_from_package()
    result = services.calendar_import_csv(
        actor=None, data=SCHEDULE_2027.encode(), source_name="2027.csv"
    )
    assert result == {2027: 365}
    cal = selectors.calendar_load()
    assert 2027 in cal.covered_years
    assert cal.is_workday(D(2027, 1, 1)) == (False, False)
    assert cal.is_workday(D(2027, 2, 6)) == (True, False)  # a Saturday working day
    assert cal.is_workday(D(2027, 1, 4)) == (True, False)  # an ordinary Monday
    assert not [
        m for m in run_checks(databases=["default"]) if m.id == "nodes.W001" and "2027" in m.msg
    ]
    assert AuditEvent.objects.filter(action="calendar.imported").count() == 1
    # A second import of a confirmed year needs replace.
    with pytest.raises(InvalidInput) as exc:
        services.calendar_import_csv(
            actor=None, data=SCHEDULE_2027.encode(), source_name="2027.csv"
        )
    assert exc.value.code == "year_exists"


@pytest.mark.parametrize(
    "content,needles",
    [
        ("2027-01-01,0\n2027-13-01,0,x\n", ["2", "2027-13-01"]),
        ("2027-01-01,maybe\n", ["1", "maybe"]),
        ("date,is_workday\n2027-01-01,0\n2027-01-01,1\n", ["3", "2027-01-01"]),
        ("", []),
        ("2027-01-01\x00,0\n", ["NUL"]),
        ("1899-01-01,0\n", ["2000"]),
    ],
)
def test_a_bad_schedule_file_is_refused_naming_the_line_and_nothing_is_written(content, needles):
    with pytest.raises(InvalidInput) as exc:
        services.calendar_import_csv(actor=None, data=content.encode(), source_name="bad.csv")
    assert exc.value.field == "file"
    for needle in needles:
        assert needle in str(exc.value.message)
    assert not CalendarDay.objects.exists()


def test_a_trial_manager_corrects_a_day_with_a_reason_and_it_is_audited():
    services.calendar_seed_from_package()
    manager = PersonFactory(role=Role.TRIAL_MANAGER)
    with pytest.raises(InvalidInput):
        services.calendar_day_set(
            actor=manager.user, date=D(2026, 12, 31), is_workday=False, reason=" "
        )
    services.calendar_day_set(
        actor=manager.user, date=D(2026, 12, 31), is_workday=False, name="临时休息", reason="院通知"
    )
    assert selectors.calendar_load().is_workday(D(2026, 12, 31)) == (False, False)
    event = AuditEvent.objects.get(action="calendar.day_set")
    assert event.before["is_workday"] is True and event.after["is_workday"] is False
    judge = PersonFactory(role=Role.JUDGE)
    with pytest.raises(NotAllowed):
        services.calendar_day_set(
            actor=judge.user, date=D(2026, 12, 30), is_workday=False, reason="x"
        )


def test_the_admin_calendar_change_goes_through_the_service():
    services.calendar_seed_from_package()
    manager = PersonFactory(role=Role.TRIAL_MANAGER)
    client = Client()
    client.force_login(manager.user)
    resp = client.post(
        "/admin/nodes/calendarday/2026-12-31/change/",
        {"is_workday": "", "name": "休", "reason": "通知"},
    )
    assert resp.status_code == 302
    assert AuditEvent.objects.filter(action="calendar.day_set", source="admin").exists()
    resp = client.post(
        "/admin/nodes/calendarday/2026-12-30/change/",
        {"is_workday": "", "name": "休", "reason": ""},
    )
    assert resp.status_code == 200 and "errorlist" in resp.content.decode()
    assert CalendarDay.objects.get(date=D(2026, 12, 30)).is_workday is True
