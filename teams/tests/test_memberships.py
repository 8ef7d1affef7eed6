"""Memberships over time: history kept, one active team per person, and every bad input
refused with a clear message and nothing half-saved."""

from __future__ import annotations

import datetime as dt

import pytest

from courtflow.errors import Conflict, InvalidInput, NotAllowed
from courtflow.models import AuditEvent
from teams import selectors, services
from teams.models import Membership, TeamType
from teams.roles import Position, Role
from teams.tests.factories import CourtFactory, DivisionFactory, PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def court():
    return CourtFactory()


@pytest.fixture
def division(court):
    return DivisionFactory(court=court)


@pytest.fixture
def team(division):
    return TeamFactory(division=division, kind=TeamType.Kind.CIVIL, name="民商事一组")


@pytest.fixture
def judge(court, division):
    return PersonFactory(court=court, division=division, role=Role.JUDGE, name="王法官")


def test_move_ends_the_old_membership_and_keeps_history(team, judge, division):
    other = TeamFactory(division=division, kind=TeamType.Kind.CIVIL, name="民商事二组")
    first = services.membership_create(
        actor=None, team=team, person=judge, position=Position.JUDGE, started_on=D(2025, 3, 1)
    )
    moved = services.person_move(
        actor=None,
        person=judge,
        team=other,
        position=Position.JUDGE,
        on=D(2026, 2, 1),
        reason="团队调整",
    )
    first.refresh_from_db()
    assert first.ended_on == D(2026, 2, 1) and first.end_reason == "团队调整"
    assert moved.started_on == D(2026, 2, 1) and moved.ended_on is None
    history = list(selectors.membership_history(judge))
    assert [m.team.name for m in history] == ["民商事二组", "民商事一组"]
    assert selectors.person_current_team(judge) == other
    # The team's members on a past date come from the history.
    assert [m.person for m in selectors.active_memberships(team, on=D(2025, 6, 1))] == [judge]
    assert list(selectors.active_memberships(team, on=D(2026, 6, 1))) == []
    actions = list(
        AuditEvent.objects.filter(object_type="teams.membership").values_list("action", flat=True)
    )
    assert actions.count("membership.created") == 2 and actions.count("membership.ended") == 1


def test_a_second_active_membership_is_refused(team, judge, division):
    other = TeamFactory(division=division, kind=TeamType.Kind.CIVIL)
    services.membership_create(actor=None, team=team, person=judge, position=Position.JUDGE)
    with pytest.raises(InvalidInput) as exc:
        services.membership_create(actor=None, team=other, person=judge, position=Position.JUDGE)
    assert exc.value.code == "already_in_team"
    assert "王法官" in str(exc.value.message) and "民商事一组" in str(exc.value.message)
    assert Membership.objects.filter(person=judge).count() == 1


def test_the_database_itself_refuses_two_active_memberships(team, judge, division):
    """Even a write that skips the service cannot give a person two active teams."""
    from django.db import IntegrityError, transaction

    other = TeamFactory(division=division, kind=TeamType.Kind.CIVIL)
    Membership.objects.create(team=team, person=judge, position="judge", started_on=D(2026, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            team=other, person=judge, position="judge", started_on=D(2026, 1, 1)
        )


def test_a_membership_cannot_end_before_it_starts(team, judge):
    membership = services.membership_create(
        actor=None, team=team, person=judge, position=Position.JUDGE, started_on=D(2026, 3, 1)
    )
    with pytest.raises(InvalidInput) as exc:
        services.membership_end(actor=None, membership=membership, ended_on=D(2026, 2, 28))
    assert exc.value.field == "ended_on"
    membership.refresh_from_db()
    assert membership.ended_on is None
    assert not AuditEvent.objects.filter(action="membership.ended").exists()


def test_ending_twice_is_a_conflict(team, judge):
    membership = services.membership_create(
        actor=None, team=team, person=judge, position=Position.JUDGE, started_on=D(2026, 1, 1)
    )
    services.membership_end(actor=None, membership=membership, ended_on=D(2026, 2, 1))
    with pytest.raises(Conflict):
        services.membership_end(actor=None, membership=membership, ended_on=D(2026, 3, 1))


def test_a_new_membership_cannot_overlap_an_ended_one(team, judge, division):
    membership = services.membership_create(
        actor=None, team=team, person=judge, position=Position.JUDGE, started_on=D(2026, 1, 1)
    )
    services.membership_end(actor=None, membership=membership, ended_on=D(2026, 5, 1))
    other = TeamFactory(division=division, kind=TeamType.Kind.CIVIL)
    with pytest.raises(InvalidInput) as exc:
        services.membership_create(
            actor=None, team=other, person=judge, position=Position.JUDGE, started_on=D(2026, 4, 1)
        )
    assert exc.value.field == "started_on"


def test_inactive_person_is_refused(team, court, division):
    person = PersonFactory(court=court, division=division, role=Role.JUDGE)
    services.person_update(actor=None, person=person, is_active=False)
    with pytest.raises(InvalidInput, match="已停用") as exc:
        services.membership_create(actor=None, team=team, person=person, position=Position.JUDGE)
    assert exc.value.field == "person"


def test_person_of_another_court_is_refused(team):
    stranger = PersonFactory(court=CourtFactory(), role=Role.JUDGE)
    with pytest.raises(InvalidInput, match="属于其他法院"):
        services.membership_create(actor=None, team=team, person=stranger, position=Position.JUDGE)


def test_a_seat_the_template_does_not_have_is_refused(team, court, division):
    clerk = PersonFactory(court=court, division=division, role=Role.CLERK)
    with pytest.raises(InvalidInput) as exc:
        services.membership_create(actor=None, team=team, person=clerk, position=Position.CLERK)
    assert exc.value.field == "position"
    assert "书记员" in str(exc.value.message)


def test_a_role_that_does_not_fit_the_seat_is_refused(team, court, division):
    assistant = PersonFactory(court=court, division=division, role=Role.ASSISTANT)
    with pytest.raises(InvalidInput) as exc:
        services.membership_create(actor=None, team=team, person=assistant, position=Position.JUDGE)
    assert exc.value.field == "position"


def test_a_full_seat_is_refused(team, court, division, judge):
    services.membership_create(actor=None, team=team, person=judge, position=Position.JUDGE)
    second = PersonFactory(court=court, division=division, role=Role.JUDGE)
    with pytest.raises(InvalidInput, match="已达配置模板上限"):
        services.membership_create(actor=None, team=team, person=second, position=Position.JUDGE)


def test_a_division_head_may_staff_only_their_own_division(court, division, team, judge):
    own_head = PersonFactory(court=court, division=division, role=Role.DIVISION_HEAD)
    other_division = DivisionFactory(court=court)
    other_head = PersonFactory(court=court, division=other_division, role=Role.DIVISION_HEAD)
    with pytest.raises(NotAllowed):
        services.membership_create(
            actor=other_head.user, team=team, person=judge, position=Position.JUDGE
        )
    membership = services.membership_create(
        actor=own_head.user, team=team, person=judge, position=Position.JUDGE
    )
    assert AuditEvent.objects.filter(
        action="membership.created", object_id=str(membership.pk), actor=own_head.user
    ).exists()


def test_a_judge_cannot_staff_teams(court, division, team, judge):
    with pytest.raises(NotAllowed):
        services.membership_create(
            actor=judge.user, team=team, person=judge, position=Position.JUDGE
        )


def test_deactivating_a_person_ends_their_membership(team, judge):
    services.membership_create(
        actor=None, team=team, person=judge, position=Position.JUDGE, started_on=D(2026, 1, 1)
    )
    services.person_update(actor=None, person=judge, is_active=False, reason="退休")
    assert not Membership.objects.filter(person=judge, ended_on__isnull=True).exists()
    judge.user.refresh_from_db()
    assert judge.user.is_active is False


def test_role_change_that_no_longer_fits_the_seat_is_refused(team, judge):
    services.membership_create(actor=None, team=team, person=judge, position=Position.JUDGE)
    with pytest.raises(InvalidInput) as exc:
        services.person_update(actor=None, person=judge, role=Role.CLERK)
    assert exc.value.field == "role"
    judge.refresh_from_db()
    assert judge.role == Role.JUDGE
