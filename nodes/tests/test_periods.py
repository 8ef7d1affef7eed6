"""Legal period arithmetic: table tests on real 2025–2026 holidays and 调休 days, and
property tests of the counting rules (民诉法 art 85, 刑诉法 art 105, §10 of the facts sheet)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nodes.periods import COURT_TZ, Calendar, PeriodError, add_months, add_period, before
from nodes.tests.calendars import real_calendar

D = dt.date
CAL = real_calendar()


def at(y, m, d, hh=10, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=COURT_TZ)


# (start, amount, unit, custody, expected last day, why)
TABLE = [
    (
        at(2026, 9, 22),
        15,
        "days",
        False,
        D(2026, 10, 8),
        "day 15 is 10-07 in the National Day holiday → 10-08",
    ),
    (
        at(2026, 2, 10),
        7,
        "days",
        False,
        D(2026, 2, 24),
        "day 7 is 02-17 in Spring Festival (02-15..23) → 02-24",
    ),
    (
        at(2026, 2, 10),
        7,
        "days",
        True,
        D(2026, 2, 17),
        "custody periods do not move (刑诉法 art 105)",
    ),
    (
        at(2026, 1, 31),
        1,
        "months",
        False,
        D(2026, 2, 28),
        "no 02-31 → last day of February, a 调休 Saturday working day",
    ),
    (
        at(2025, 8, 31),
        6,
        "months",
        False,
        D(2026, 2, 28),
        "corresponding day missing → 02-28, a working Saturday",
    ),
    (
        at(2025, 12, 27),
        7,
        "days",
        False,
        D(2026, 1, 4),
        "day 7 is 01-03 (New Year) → 01-04, a 调休 working Sunday",
    ),
    (at(2026, 4, 30), 1, "days", False, D(2026, 5, 6), "05-01..05 Labour Day → 05-06"),
    (
        at(2026, 3, 2),
        5,
        "days",
        False,
        D(2026, 3, 9),
        "day 5 is Saturday 03-07, Sunday too → Monday 03-09",
    ),
    (at(2026, 3, 2), 5, "days", True, D(2026, 3, 7), "custody: Saturday stays"),
    (
        at(2026, 9, 28),
        7,
        "working_days",
        False,
        D(2026, 10, 13),
        "10-01..07 skipped, Saturday 10-10 counts (调休)",
    ),
    (
        at(2025, 1, 24),
        3,
        "working_days",
        False,
        D(2025, 2, 5),
        "Sunday 01-26 counts, 01-28..02-04 Spring Festival skipped",
    ),
    (at(2026, 6, 12), 6, "months", False, D(2026, 12, 14), "12-12 is a Saturday → Monday 12-14"),
    (
        at(2026, 3, 15, 23, 59),
        15,
        "days",
        False,
        D(2026, 3, 30),
        "the time of day does not matter for day periods",
    ),
]


@pytest.mark.parametrize("start,amount,unit,custody,last,why", TABLE, ids=[t[5] for t in TABLE])
def test_real_calendar_table(start, amount, unit, custody, last, why):
    due = add_period(start, amount, unit, CAL, custody=custody)
    assert due.last_day == last, why
    assert due.due_at == dt.datetime.combine(
        last + dt.timedelta(days=1), dt.time(0), tzinfo=COURT_TZ
    )
    assert due.provisional is False
    assert due.explanation, "every result says why"


def test_the_explanation_names_the_days_that_moved_it():
    due = add_period(at(2026, 9, 22), 15, "days", CAL)
    text = " ".join(due.explanation)
    assert "2026-10-07" in text and "2026-10-08" in text and "National Day" in text


def test_hours_start_at_the_next_full_hour_and_do_not_move_for_holidays():
    due = add_period(at(2026, 10, 1, 10, 25), 48, "hours", CAL)
    assert due.due_at == at(2026, 10, 3, 11, 0)
    assert due.last_day is None and due.provisional is False


def test_a_year_without_data_is_provisional_and_counted_monday_to_friday():
    due = add_period(at(2026, 12, 20), 15, "days", CAL)
    assert due.last_day == D(2027, 1, 4)
    assert due.provisional is True
    assert "2027" in due.explanation[-1]
    # New Year's Day 2027 is a Friday; without the schedule it is taken as a working day.
    guessed = add_period(at(2026, 12, 17), 15, "days", CAL)
    assert guessed.last_day == D(2027, 1, 1) and guessed.provisional is True


def test_before_a_hearing():
    hearing = at(2026, 10, 9, 9, 0)
    due = before(hearing, 3, "days")
    assert due.last_day == D(2026, 10, 6)  # inside the holiday: "before" periods never move
    assert due.due_at == dt.datetime(2026, 10, 7, tzinfo=COURT_TZ)


@pytest.mark.parametrize(
    "amount,unit,field",
    [
        (1, "weeks", "unit"),
        (-1, "days", "amount"),
        (10**6, "days", "amount"),
        (1.5, "days", "amount"),
        (True, "days", "amount"),
    ],
)
def test_bad_input_names_the_parameter(amount, unit, field):
    with pytest.raises(PeriodError) as exc:
        add_period(at(2026, 3, 2), amount, unit, CAL)
    assert exc.value.field == field


def test_a_naive_instant_is_refused():
    with pytest.raises(PeriodError) as exc:
        add_period(dt.datetime(2026, 3, 2, 9), 1, "days", CAL)
    assert exc.value.field == "anchor"


# --- properties -------------------------------------------------------------------

starts = st.datetimes(min_value=dt.datetime(2018, 1, 1), max_value=dt.datetime(2026, 6, 30)).map(
    lambda d: d.replace(tzinfo=COURT_TZ)
)


def workday(day: dt.date) -> bool:
    return CAL.is_workday(day)[0]


@settings(max_examples=300, deadline=None)
@given(start=starts, amount=st.integers(min_value=1, max_value=120))
def test_day_periods_end_on_the_first_working_day_on_or_after_day_n(start, amount):
    due = add_period(start, amount, "days", CAL)
    raw = start.date() + dt.timedelta(days=amount)
    assert due.last_day >= raw
    assert workday(due.last_day)
    day = raw
    while day < due.last_day:  # everything skipped was a rest day or a holiday
        assert not workday(day)
        day += dt.timedelta(days=1)
    assert due.due_at == dt.datetime.combine(
        due.last_day + dt.timedelta(days=1), dt.time(0), tzinfo=COURT_TZ
    )


@settings(max_examples=200, deadline=None)
@given(start=starts, amount=st.integers(min_value=1, max_value=120))
def test_custody_periods_never_move(start, amount):
    assert add_period(
        start, amount, "days", CAL, custody=True
    ).last_day == start.date() + dt.timedelta(days=amount)


@settings(max_examples=200, deadline=None)
@given(start=starts, amount=st.integers(min_value=1, max_value=60))
def test_working_day_periods_count_exactly_n_working_days(start, amount):
    due = add_period(start, amount, "working_days", CAL)
    assert workday(due.last_day)
    count, day = 0, start.date()
    while day < due.last_day:
        day += dt.timedelta(days=1)
        count += workday(day)
    assert count == amount


@settings(max_examples=200, deadline=None)
@given(start=starts, amount=st.integers(min_value=1, max_value=24))
def test_months_end_on_the_corresponding_or_last_day(start, amount):
    target = add_months(start.date(), amount)
    assert target.day == start.day or (
        target.day < start.day and (target + dt.timedelta(days=1)).day == 1
    )
    due = add_period(start, amount, "months", CAL)
    assert due.last_day >= target and workday(due.last_day)


@settings(max_examples=200, deadline=None)
@given(
    start=starts,
    a=st.integers(min_value=0, max_value=90),
    b=st.integers(min_value=0, max_value=90),
    unit=st.sampled_from(["days", "working_days", "hours"]),
)
def test_a_longer_period_never_ends_earlier(start, a, b, unit):
    lo, hi = sorted((a, b))
    assert add_period(start, lo, unit, CAL).due_at <= add_period(start, hi, unit, CAL).due_at


@settings(max_examples=200, deadline=None)
@given(start=starts, amount=st.integers(min_value=1, max_value=72))
def test_hour_periods_last_between_n_and_n_plus_one_hours(start, amount):
    due = add_period(start, amount, "hours", CAL)
    assert dt.timedelta(hours=amount) < due.due_at - start <= dt.timedelta(hours=amount + 1)


@settings(max_examples=100, deadline=None)
@given(
    day=st.dates(min_value=D(2018, 1, 1), max_value=D(2026, 6, 30)),
    h1=st.integers(0, 23),
    h2=st.integers(0, 23),
    amount=st.integers(min_value=1, max_value=60),
)
def test_the_hour_of_the_start_day_does_not_matter_for_day_periods(day, h1, h2, amount):
    a = dt.datetime.combine(day, dt.time(h1), tzinfo=COURT_TZ)
    b = dt.datetime.combine(day, dt.time(h2), tzinfo=COURT_TZ)
    assert add_period(a, amount, "days", CAL).due_at == add_period(b, amount, "days", CAL).due_at


def test_an_empty_calendar_is_all_guesswork():
    due = add_period(at(2026, 3, 2), 5, "days", Calendar())
    assert due.provisional is True and due.last_day == D(2026, 3, 9)


def test_before_a_deadline_counts_from_its_last_day():
    """A limit due at 24:00 on 02-26 (due_at 02-27 00:00): one day before it ends 24:00 on 02-25."""
    due = before(dt.datetime(2027, 2, 27, tzinfo=COURT_TZ), 1, "days")
    assert due.last_day == D(2027, 2, 25)
