"""Indicators: scores against targets, the quota bonus and penalty, 西城's 速裁 rule, bands
by default and ranks only when a court turns them on."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from itertools import pairwise

import pytest
from django.test import Client
from django.utils import timezone

from assessment.indicators import indicator_results, indicators_default, score
from assessment.models import AssessmentSetting, Indicator
from assessment.services import assessment_setting_update, indicator_update
from cases.models import Case
from cases.rollups import rollup_refresh
from cases.tests.helpers import register, triage_and_assign
from courtflow.errors import InvalidInput, NotAllowed
from courtflow.models import AuditEvent
from teams.models import Team

pytestmark = pytest.mark.django_db


def ind(higher: bool, target: str, points: str) -> Indicator:
    return Indicator(higher_is_better=higher, target=Decimal(target), points=Decimal(points))


@pytest.mark.parametrize(
    "higher,target,points,value,expected",
    [
        (True, "100", "20", 50, "10.00"),
        (True, "100", "20", 130, "20.00"),  # capped at full points
        (True, "0", "5", 0, "5.00"),
        (False, "0", "10", 0, "10.00"),
        (False, "0", "10", 3, "2.50"),  # 10 × (0 + 1) ÷ (3 + 1)
        (False, "60", "5", 121, "2.50"),  # 5 × 61 ÷ 122
        (True, "98", "10", None, None),  # no value: left out
    ],
)
def test_scores(higher, target, points, value, expected):
    result = score(ind(higher, target, points), value)
    assert result == (Decimal(expected) if expected else None)


@pytest.fixture
def closed_today(world):
    """Simple cases closed yesterday, all in one 速裁 team whose quota is small enough to be met."""
    speedy = Team.objects.filter(
        court=world.court, team_type__kind="speedy", is_active=True
    ).first()
    speedy.team_type.annual_quota = 30
    speedy.team_type.save(update_fields=["annual_quota"])
    cases = [
        triage_and_assign(
            world, register(world, "civil_simple", claim_amount=str(2000 + i)), "simple"
        )
        for i in range(4)
    ]
    judge = speedy.memberships.filter(position="judge", ended_on__isnull=True).first().person
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(
        team=speedy,
        judge=judge,
        closed_at=timezone.now() - dt.timedelta(hours=12),
    )
    rollup_refresh(c.pk for c in cases)  # the rows above were written past the services
    return world, speedy


def test_team_results_with_the_speedy_rule_and_bands(closed_today):
    world, speedy = closed_today
    today = timezone.localdate()
    indicators, results, setting = indicator_results(
        court_id=world.court.pk, start=today - dt.timedelta(days=1), end=today, level="team"
    )
    assert len(indicators) == 11 and not setting.ranking_enabled
    assert {i.category for i in indicators} == {"quantity", "quality", "efficiency", "effect"}
    mine = next(r for r in results if r.key == speedy.pk)
    assert mine.values["closed"] == 4
    assert mine.values["quota_progress"] > 100  # 4 × 0.3 against a two-day share of 30
    assert mine.quota_adjustment == Decimal("5.0")  # capped
    assert mine.band == "excellent" and mine.bonus_share == Decimal("0.40")
    assert all(r.rank is None for r in results)


def test_ranks_only_when_turned_on_with_ties_sharing_a_rank(closed_today):
    world, _speedy = closed_today
    setting, _ = AssessmentSetting.objects.get_or_create(court=world.court)
    assessment_setting_update(
        actor=world.user("trialmgr"), setting=setting, data={"ranking_enabled": True}
    )
    today = timezone.localdate()
    _i, results, setting = indicator_results(
        court_id=world.court.pk, start=today - dt.timedelta(days=1), end=today, level="team"
    )
    ranked = sorted((r for r in results if r.rank), key=lambda r: r.rank)
    assert ranked and ranked[0].rank == 1
    for a, b in pairwise(ranked):
        assert (a.rank == b.rank) == (a.percent == b.percent)
    assert AuditEvent.objects.filter(action="assessment_setting.changed").exists()


def test_indicator_changes_are_audited_and_checked(world):
    indicator = indicators_default(world.court.pk)[0]
    manager = world.user("trialmgr")
    indicator_update(
        actor=manager, indicator=indicator, data={"target": Decimal("95")}, reason="年度调整"
    )
    event = AuditEvent.objects.get(action="indicator.changed")
    assert (
        event.before["target"] == "100.00"
        and event.after["target"] == "95"
        and event.reason == "年度调整"
    )
    with pytest.raises(InvalidInput):
        indicator_update(actor=manager, indicator=indicator, data={"points": Decimal("0")})
    indicator.refresh_from_db()
    assert indicator.points == Decimal("20.0")
    with pytest.raises(NotAllowed):
        indicator_update(
            actor=world.user("judge"), indicator=indicator, data={"points": Decimal("1")}
        )


def test_indicator_page_scoped_by_role(closed_today):
    world, speedy = closed_today
    manager = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    manager.force_login(world.user("trialmgr"))
    page = manager.get("/stats/indicators/").content.decode()
    assert "任务指标完成率" in page and speedy.name in page and "速裁" in page
    head = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    head.force_login(world.user("divhead"))
    own = head.get("/stats/indicators/").content.decode()
    if speedy.division_id != world.divhead.division_id:
        assert speedy.name not in own
    judge = Client()
    judge.force_login(world.user("judge"))
    assert judge.get("/stats/indicators/").status_code == 404
    bad = manager.get("/stats/indicators/", {"start": "2026-07-01", "end": "2026-01-01"})
    assert bad.status_code == 400
