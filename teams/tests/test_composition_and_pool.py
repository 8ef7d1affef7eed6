"""The composition check and the clerk pool."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from courtflow.errors import Conflict
from teams import selectors, services
from teams.models import TeamType
from teams.roles import Position, Role
from teams.tests.factories import CourtFactory, DivisionFactory, PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def _seat(team, role, position):
    person = PersonFactory(court=team.court, division=team.division, role=role)
    services.membership_create(actor=None, team=team, person=person, position=position)
    return person


def test_teams_that_do_not_meet_their_template_are_listed():
    division = DivisionFactory()
    full = TeamFactory(division=division, kind=TeamType.Kind.SPEEDY, name="速裁一组")
    _seat(full, Role.JUDGE, Position.JUDGE)
    _seat(full, Role.ASSISTANT, Position.ASSISTANT)
    _seat(full, Role.ASSISTANT, Position.ASSISTANT)
    _seat(full, Role.CLERK, Position.CLERK)
    short = TeamFactory(division=division, kind=TeamType.Kind.SPEEDY, name="速裁二组")
    _seat(short, Role.JUDGE, Position.JUDGE)
    _seat(short, Role.CLERK, Position.CLERK)

    problems = selectors.teams_not_meeting_template(division.court)
    assert [c.team.name for c in problems] == ["速裁二组"]
    seat = {s.position: s for s in problems[0].seats}["assistant"]
    assert (seat.count, seat.min_count, seat.ok) == (0, 2, False)
    assert selectors.team_composition(full).ok


def test_composition_check_uses_constant_queries(django_assert_max_num_queries):
    division = DivisionFactory()
    for _ in range(6):
        team = TeamFactory(division=division, kind=TeamType.Kind.CIVIL)
        _seat(team, Role.JUDGE, Position.JUDGE)
    with django_assert_max_num_queries(3):
        assert len(selectors.team_compositions(division.court)) == 6


def test_pool_clerks_are_clerks_without_a_team_and_free_ones_have_no_booking():
    court = CourtFactory()
    division = DivisionFactory(court=court)
    team = TeamFactory(division=division, kind=TeamType.Kind.SPEEDY)
    team_clerk = _seat(team, Role.CLERK, Position.CLERK)
    pool_a = PersonFactory(court=court, role=Role.CLERK, name="池甲")
    pool_b = PersonFactory(court=court, role=Role.CLERK, name="池乙")
    PersonFactory(court=CourtFactory(), role=Role.CLERK)  # another court's clerk
    assert set(selectors.pool_clerks(court)) == {pool_a, pool_b}
    assert team_clerk not in selectors.pool_clerks(court)

    nine = dt.datetime(2026, 3, 2, 9, 0, tzinfo=SH)
    services.booking_create(
        actor=None,
        court=court,
        clerk=pool_a,
        starts_at=nine,
        ends_at=nine + dt.timedelta(hours=2),
        purpose="开庭",
    )
    free = selectors.pool_clerks_free(
        court, starts_at=nine + dt.timedelta(hours=1), ends_at=nine + dt.timedelta(hours=3)
    )
    assert list(free) == [pool_b]
    later = selectors.pool_clerks_free(
        court, starts_at=nine + dt.timedelta(hours=2), ends_at=nine + dt.timedelta(hours=3)
    )
    assert set(later) == {pool_a, pool_b}


def test_double_booking_a_room_or_a_clerk_is_refused():
    court = CourtFactory()
    room = services.courtroom_create(actor=None, court=court, name="第1法庭")
    clerk = PersonFactory(court=court, role=Role.CLERK)
    nine = dt.datetime(2026, 3, 2, 9, 0, tzinfo=SH)
    booking = services.booking_create(
        actor=None,
        court=court,
        courtroom=room,
        clerk=clerk,
        starts_at=nine,
        ends_at=nine + dt.timedelta(hours=1),
    )
    with pytest.raises(Conflict) as exc:
        services.booking_create(
            actor=None,
            court=court,
            courtroom=room,
            starts_at=nine + dt.timedelta(minutes=30),
            ends_at=nine + dt.timedelta(hours=2),
        )
    assert exc.value.code == "room_taken"
    with pytest.raises(Conflict) as exc:
        services.booking_create(
            actor=None,
            court=court,
            clerk=clerk,
            starts_at=nine - dt.timedelta(minutes=30),
            ends_at=nine + dt.timedelta(minutes=1),
        )
    assert exc.value.code == "clerk_taken"
    services.booking_cancel(actor=None, booking=booking)
    services.booking_create(
        actor=None,
        court=court,
        courtroom=room,
        clerk=clerk,
        starts_at=nine,
        ends_at=nine + dt.timedelta(hours=1),
    )
