"""Team types: the staffing templates and quotas every court starts with, and targets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from courtflow.errors import InvalidInput, NotAllowed
from courtflow.models import AuditEvent
from teams import selectors, services
from teams.models import TeamType
from teams.roles import Position, Role
from teams.tests.factories import CourtFactory, DivisionFactory, PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db

# kind → (annual quota, {position: (min, max)}) as 西城 (case 153) and 静海 (case 156) staff them.
EXPECTED = {
    TeamType.Kind.SPEEDY: (1200, {"judge": (1, 1), "assistant": (2, 2), "clerk": (1, 1)}),
    TeamType.Kind.CIVIL: (220, {"judge": (1, 1), "assistant": (1, 1)}),
    TeamType.Kind.CRIMINAL: (150, {"judge": (1, 1), "assistant": (1, 1)}),
    TeamType.Kind.ADMINISTRATIVE: (150, {"judge": (1, 1), "assistant": (1, 1)}),
    TeamType.Kind.ENFORCEMENT: (1100, {"judge": (1, 1), "assistant": (2, 2), "bailiff": (1, 1)}),
    TeamType.Kind.ONE_PLUS_ONE: (None, {"judge": (1, 1), "clerk": (1, 1)}),
    TeamType.Kind.PRE_LITIGATION: (None, {"judge": (1, 1), "mediator": (1, None)}),
    TeamType.Kind.REFINED: (None, {"judge": (1, 1), "assistant": (1, 2)}),
}


def test_a_new_court_gets_every_default_template_and_quota():
    court = CourtFactory()
    types = {t.kind: t for t in TeamType.objects.filter(court=court).prefetch_related("seats")}
    assert set(types) == set(EXPECTED)
    for kind, (quota, seats) in EXPECTED.items():
        assert types[kind].annual_quota == quota, kind
        assert {s.position: (s.min_count, s.max_count) for s in types[kind].seats.all()} == seats, (
            kind
        )


def _staff(team, positions):
    for position in positions:
        role = {
            "judge": Role.JUDGE,
            "assistant": Role.ASSISTANT,
            "clerk": Role.CLERK,
            "bailiff": Role.BAILIFF,
            "mediator": Role.MEDIATOR,
        }[position]
        person = PersonFactory(court=team.court, role=role, division=team.division)
        services.membership_create(
            actor=None, team=team, person=person, position=position, started_on=dt.date(2026, 1, 1)
        )


def test_fully_staffed_speedy_team_gets_the_full_quota():
    """1 judge + 2 assistants + 1 clerk (1 / 0.6 / 0.4): sum 2.6, target 1200."""
    team = TeamFactory(kind=TeamType.Kind.SPEEDY)
    _staff(team, ["judge", "assistant", "assistant", "clerk"])
    assert selectors.team_coefficient_sum(team) == Decimal("2.60")
    assert selectors.team_annual_target(team) == Decimal("1200.0")


def test_a_team_one_assistant_short_gets_a_proportionally_smaller_target():
    team = TeamFactory(kind=TeamType.Kind.SPEEDY)
    _staff(team, ["judge", "assistant", "clerk"])
    assert selectors.team_coefficient_sum(team) == Decimal("2.00")
    # 1200 × 2.0 / 2.6 = 923.08
    assert selectors.team_annual_target(team) == Decimal("923.1")


def test_target_follows_a_changed_coefficient():
    team = TeamFactory(kind=TeamType.Kind.CIVIL)
    _staff(team, ["judge", "assistant"])
    assert selectors.team_annual_target(team) == Decimal("220.0")
    services.coefficient_set(actor=None, court=team.court, category="assistant", value="0.8")
    # The template is re-costed too, so a fully staffed team still gets its quota.
    assert selectors.team_annual_target(team) == Decimal("220.0")
    assert selectors.team_coefficient_sum(team) == Decimal("1.80")


def test_types_without_quota_have_no_target():
    team = TeamFactory(kind=TeamType.Kind.PRE_LITIGATION)
    _staff(team, ["judge", "mediator"])
    assert selectors.team_annual_target(team) is None


def test_prorating_an_annual_target():
    assert selectors.prorate(Decimal("1200"), dt.date(2026, 1, 1), dt.date(2026, 3, 31)) == Decimal(
        "295.9"
    )
    assert selectors.prorate(
        Decimal("1200"), dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    ) == Decimal("1200.0")
    assert selectors.prorate(Decimal("1200"), dt.date(2026, 2, 1), dt.date(2026, 1, 1)) == Decimal(
        "0"
    )


def test_quota_change_is_audited_and_bad_quota_refused():
    court = CourtFactory()
    manager = PersonFactory(court=court, role=Role.TRIAL_MANAGER)
    speedy = TeamType.objects.get(court=court, kind=TeamType.Kind.SPEEDY)
    services.team_type_update(
        actor=manager.user, team_type=speedy, annual_quota=1300, reason="院党组决定"
    )
    event = AuditEvent.objects.get(action="team_type.updated")
    assert event.before["annual_quota"] == 1200 and event.after["annual_quota"] == 1300
    with pytest.raises(InvalidInput) as exc:
        services.team_type_update(actor=manager.user, team_type=speedy, annual_quota=-5)
    assert exc.value.field == "annual_quota"
    speedy.refresh_from_db()
    assert speedy.annual_quota == 1300


def test_a_judge_cannot_change_quotas():
    court = CourtFactory()
    judge = PersonFactory(court=court, role=Role.JUDGE)
    speedy = TeamType.objects.get(court=court, kind=TeamType.Kind.SPEEDY)
    with pytest.raises(NotAllowed):
        services.team_type_update(actor=judge.user, team_type=speedy, annual_quota=1)


def test_editing_a_template_seat():
    court = CourtFactory()
    refined = TeamType.objects.get(court=court, kind=TeamType.Kind.REFINED)
    services.team_type_seat_set(
        actor=None, team_type=refined, position=Position.CLERK, min_count=1, max_count=1
    )
    assert refined.seats.filter(position="clerk").exists()
    with pytest.raises(InvalidInput):
        services.team_type_seat_set(
            actor=None, team_type=refined, position=Position.CLERK, min_count=2, max_count=1
        )


def test_a_team_type_of_another_court_is_refused():
    division = DivisionFactory()
    other = CourtFactory()
    with pytest.raises(InvalidInput) as exc:
        services.team_create(
            actor=None,
            division=division,
            team_type=TeamType.objects.get(court=other, kind=TeamType.Kind.CIVIL),
            name="x",
        )
    assert exc.value.field == "team_type"


def test_default_coefficients_are_fengtais():
    court = CourtFactory()
    values = {c.category: str(c.value) for c in court.coefficients.all()}
    assert values == {
        "judge": "1.00",
        "assistant": "0.60",
        "division_head": "0.50",
        "contract": "0.40",
        "speedy_contract": "0.20",
        "mediator_outsourced": "0.10",
        "not_counted": "0.00",
    }


@pytest.mark.parametrize("bad", ["-0.1", "abc", "10", "0.123", "NaN"])
def test_bad_coefficients_are_refused_and_nothing_changes(bad):
    court = CourtFactory()
    with pytest.raises(InvalidInput) as exc:
        services.coefficient_set(actor=None, court=court, category="assistant", value=bad)
    assert exc.value.field == "value"
    assert str(court.coefficients.get(category="assistant").value) == "0.60"
    assert not AuditEvent.objects.filter(action="coefficient.changed").exists()


def test_a_division_head_counts_half_in_the_team_sum():
    team = TeamFactory(kind=TeamType.Kind.CIVIL)
    head = PersonFactory(court=team.court, division=team.division, role=Role.DIVISION_HEAD)
    services.membership_create(actor=None, team=team, person=head, position=Position.JUDGE)
    _staff(team, ["assistant"])
    assert selectors.team_coefficient_sum(team) == Decimal("1.10")
