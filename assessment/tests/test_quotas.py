"""Workload weights and quota progress (丰台): a simple case counts 0.3 of an ordinary one
by default, a court may set its own weights (recorded), and a team's target follows its
coefficient sum, prorated over the period."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from assessment.models import WorkloadWeight
from assessment.services import (
    quota_progress,
    weight_of,
    weights_for_court,
    workload_weight_set,
)
from cases.models import Case
from cases.tests.helpers import register, triage_and_assign
from courtflow.errors import InvalidInput, NotAllowed
from courtflow.models import AuditEvent
from teams.selectors import prorate, team_annual_target

pytestmark = pytest.mark.django_db


def test_a_simple_case_counts_three_tenths_by_default_and_specific_weights_win(world):
    table = weights_for_court(world.court.pk)
    assert weight_of(table, "civil_simple", "simple") == Decimal("0.30")
    assert weight_of(table, "civil_ordinary", "complex") == Decimal("1")
    manager = world.user("trialmgr")
    workload_weight_set(
        actor=manager, court=world.court, procedure="civil_simple", complexity="", weight="0.25"
    )
    workload_weight_set(
        actor=manager,
        court=world.court,
        procedure="civil_simple",
        complexity="simple",
        weight="0.28",
        reason="本院前端庭室简案",
    )
    table = weights_for_court(world.court.pk)
    assert weight_of(table, "civil_simple", "simple") == Decimal("0.28")  # both match
    assert weight_of(table, "civil_simple", "complex") == Decimal("0.25")  # procedure
    assert weight_of(table, "small_claims", "simple") == Decimal("0.30")  # complexity
    event = AuditEvent.objects.filter(action="workload_weight.changed").latest("id")
    assert event.reason == "本院前端庭室简案" and event.after["weight"] == "0.28"


@pytest.mark.parametrize("weight", ["0", "-1", "10", "abc", "0.333", "NaN"])
def test_bad_weights_are_refused_and_nothing_is_written(world, weight):
    with pytest.raises(InvalidInput):
        workload_weight_set(
            actor=world.user("trialmgr"),
            court=world.court,
            procedure="",
            complexity="simple",
            weight=weight,
        )
    assert not WorkloadWeight.objects.exists()
    assert not AuditEvent.objects.filter(action="workload_weight.changed").exists()


def test_only_those_who_manage_assessment_change_weights(world):
    with pytest.raises(NotAllowed):
        workload_weight_set(
            actor=world.user("judge"),
            court=world.court,
            procedure="",
            complexity="simple",
            weight="0.3",
        )


def test_quota_progress_counts_closures_by_weight_against_the_prorated_target(world):
    cases = [
        triage_and_assign(world, register(world, procedure, claim_amount=amount), kind)
        for procedure, amount, kind in (
            ("civil_simple", "5000", "simple"),
            ("civil_simple", "6000", "simple"),
            ("civil_ordinary", "900000", "complex"),
        )
    ]
    closed_at = timezone.now() - dt.timedelta(days=1)
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(closed_at=closed_at)
    today = timezone.localdate()
    start = today.replace(month=1, day=1)
    rows = {r.team.pk: r for r in quota_progress(court_id=world.court.pk, start=start, end=today)}
    expected_weighted: dict[int, Decimal] = {}
    for case in cases:
        weight = Decimal("0.30") if case.complexity == "simple" else Decimal("1")
        expected_weighted[case.team_id] = expected_weighted.get(case.team_id, 0) + weight
    for team_id, weighted in expected_weighted.items():
        row = rows[team_id]
        assert row.weighted == weighted
        assert row.closed == sum(1 for c in cases if c.team_id == team_id)
        annual = team_annual_target(row.team, on=today)
        assert row.annual_target == annual
        if annual is not None:
            assert row.target == prorate(annual, start, today)
            assert row.progress == (weighted * 100 / row.target).quantize(Decimal("0.1"))
            assert row.band in {"met", "near", "behind"}


def test_quota_page_for_the_division_head_shows_only_the_division(world):
    head = world.user("divhead")
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(head)
    page = client.get("/stats/quotas/").content.decode()
    assert "工作量权重" in page and "0.30" in page
    division = head.person.division
    other_teams = world.court.teams.exclude(division=division).filter(is_active=True)
    assert other_teams.exists()
    assert all(t.name not in page for t in other_teams if t.name not in division.name)
    judge = Client()
    judge.force_login(world.user("judge"))
    assert judge.get("/stats/quotas/").status_code == 404
