"""Court metrics from the rollups against the raw rows: cases filed, assigned, suspended,
heard, reassigned, docketed, imported and closed through the real services over two years;
every level and several periods must give the raw answer, and every writer must leave the
rollups as a rebuild from the raw rows would."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from assessment.apis import period_bounds
from assessment.metrics import court_metrics, court_metrics_raw
from cases import services
from cases.demo import demo_case_rows
from cases.models import Case, MetricsAgeSegment, MetricsFlow, MetricsHearings
from cases.rollups import rollup_rebuild
from cases.services.bulk import case_import_bulk
from cases.tests.helpers import judge_of, register, schedule_hearing, serve, triage_and_assign
from teams.models import Team

LEVELS = ("court", "division", "team", "judge")


def at(y, m, d, hour=10, minute=0):
    return timezone.make_aware(dt.datetime(y, m, d, hour, minute))


def snapshot(court_id: int) -> dict:
    """The rollups' non-zero rows, as a user of the metrics would see them summed."""
    flow = {
        (
            r.level,
            r.unit_id,
            r.division_id,
            r.filed,
            r.closed,
            r.limit_state,
            r.suspended,
            r.net_days,
        ): r.n
        for r in MetricsFlow.objects.filter(court_id=court_id).exclude(n=0)
    }
    segments = {
        (r.level, r.unit_id, r.division_id, r.seg_from, r.seg_to, r.frozen, r.value): r.n
        for r in MetricsAgeSegment.objects.filter(court_id=court_id).exclude(n=0)
    }
    hearings = {
        (r.level, r.unit_id, r.division_id, r.day): (r.held, r.online)
        for r in MetricsHearings.objects.filter(court_id=court_id).exclude(held=0, online=0)
    }
    return {"flow": flow, "segments": segments, "hearings": hearings}


def assert_in_step(court_id: int, step: str) -> None:
    """What the services left equals a rebuild from the raw rows."""
    kept = snapshot(court_id)
    rollup_rebuild(court_id)
    assert snapshot(court_id) == kept, step


def metrics(court_id, start, end, level="court", division_id=None, raw=False):
    fn = court_metrics_raw if raw else court_metrics
    return fn(
        court_id=court_id,
        start=period_bounds(start, end)[0],
        end=period_bounds(start, end)[1],
        level=level,
        division_id=division_id,
    )


def close(case, when, closure="withdrawal", heard=False):
    with time_machine.travel(when, tick=False):
        if heard:  # the recording is checked before a heard case closes
            services.case_event_record(actor=judge_of(case), case=case, code="recording_checked")
        services.case_event_record(
            actor=judge_of(case),
            case=case,
            code="case_closed",
            payload={"closure_type": closure},
        )
    case.refresh_from_db()
    return case


def suspend(case, start, end=None):
    with time_machine.travel(start, tick=False):
        approval = services.approval_request(
            actor=judge_of(case),
            case=case,
            kind="suspension",
            reason="委托鉴定",
            payload={"suspension_kind": "appraisal"},
        )
        services.approval_decide(
            actor=case.division.head.user, approval=approval, approve=True, reason="同意"
        )
    if end is not None:
        with time_machine.travel(end, tick=False):
            services.suspension_end(actor=judge_of(case), case=case, reason="鉴定意见已送达")


def reassign(case, when):
    other = (
        Team.objects.filter(division=case.division, is_active=True, memberships__isnull=False)
        .exclude(pk=case.team_id)
        .filter(team_type=case.team.team_type)
        .first()
    )
    with time_machine.travel(when, tick=False):
        approval = services.approval_request(
            actor=judge_of(case),
            case=case,
            kind="reassignment",
            reason="承办法官回避",
            payload={"team": other.pk},
        )
        services.approval_decide(
            actor=case.division.head.user, approval=approval, approve=True, reason="同意"
        )
    case.refresh_from_db()
    return case


def hear(world, case, when, online=False):
    with time_machine.travel(when - dt.timedelta(days=7), tick=False):
        serve(world, case, "complaint_copy")
        hearing = schedule_hearing(world, case, when)
        if online:
            type(hearing).objects.filter(pk=hearing.pk).update(online=True)
            hearing.refresh_from_db()
    with time_machine.travel(when + dt.timedelta(minutes=30), tick=False):
        services.hearing_record_held(actor=judge_of(case), hearing=hearing)
    case.refresh_from_db()
    return hearing


@pytest.fixture
def history(world):
    """Cases over 2025 and early 2026, every step through the services, the rollups checked
    against a rebuild after each kind of step."""
    court = world.court.pk
    new = {}

    def filed(name, when, procedure="civil_simple", complexity="simple", claim="5000"):
        with time_machine.travel(when, tick=False):
            case = triage_and_assign(
                world, register(world, procedure, claim_amount=claim), complexity
            )
        new[name] = case
        return case

    filed("A", at(2025, 1, 10))
    assert_in_step(court, "registration and assignment")
    close(new["A"], at(2025, 3, 5))
    assert_in_step(court, "closure")
    filed("B", at(2025, 2, 20))
    suspend(new["B"], at(2025, 3, 1), at(2025, 3, 21, 9))
    assert_in_step(court, "suspension started and ended")
    hear(world, new["B"], at(2025, 5, 6, 9), online=True)
    assert_in_step(court, "hearing held online")
    close(new["B"], at(2025, 7, 2), heard=True)
    filed("C", at(2025, 6, 15), "civil_ordinary", "complex", claim="2000000")
    reassign(new["C"], at(2025, 8, 1))
    assert_in_step(court, "reassignment")
    filed("D", at(2025, 11, 30, 23, 40))  # filed late at night: its local day is the 30th
    suspend(new["D"], at(2026, 1, 5))  # still running
    assert_in_step(court, "running suspension")
    filed("E", at(2024, 12, 1))  # pending at every period end
    hear(world, new["E"], at(2025, 2, 11, 14))
    suspend(new["E"], at(2025, 4, 1, 8), at(2025, 4, 11, 8))
    suspend(new["E"], at(2025, 9, 1), at(2025, 9, 4))
    # Received on one day, docketed (filed) on another.
    with time_machine.travel(at(2025, 3, 28), tick=False):
        received = register(world, "civil_simple", claim_amount="5000", file_now=False)
    with time_machine.travel(at(2025, 4, 2), tick=False):
        services.case_docket(actor=world.user("registrar"), case=received)
    new["F"] = received
    assert_in_step(court, "docketing")
    # A bulk import of histories filed in the 300 days before 2026-03-01, some closed.
    with time_machine.travel(at(2026, 3, 1), tick=False):
        rows = demo_case_rows(count=60, seed=11)
        case_import_bulk(actor=None, court=world.court, rows=rows, source="test")
    assert_in_step(court, "bulk import")
    return world, new


PERIODS = [
    (dt.date(2025, 1, 1), dt.date(2025, 12, 31)),  # the year
    (dt.date(2025, 1, 1), dt.date(2025, 3, 31)),  # quarters
    (dt.date(2025, 4, 1), dt.date(2025, 6, 30)),
    (dt.date(2025, 7, 1), dt.date(2025, 9, 30)),
    (dt.date(2025, 3, 1), dt.date(2025, 3, 31)),  # a month
    (dt.date(2025, 2, 20), dt.date(2025, 7, 2)),  # arbitrary days, a filing and a closing day
    (dt.date(2025, 12, 1), dt.date(2026, 2, 28)),
    (dt.date(2026, 1, 1), dt.date(2026, 2, 28)),
]


def test_rollups_answer_what_the_raw_rows_answer_at_every_level_and_period(history):
    world, cases = history
    court = world.court.pk
    divisions = [None, cases["A"].division_id, cases["C"].division_id]
    checked = 0
    for start, end in PERIODS:
        for level in LEVELS:
            for division in divisions:
                got = metrics(court, start, end, level, division)
                want = metrics(court, start, end, level, division, raw=True)
                assert got == want, (start, end, level, division)
                assert [m.as_dict() for m in got] == [m.as_dict() for m in want]
                checked += len(want)
    assert checked > 100
    # The history is varied enough that the check means something.
    (year,) = metrics(court, *PERIODS[0])
    assert year.new > 5 and year.closed >= 2 and year.carried_over >= 1
    assert year.hearings_online == 1 and year.hearings_held >= 2
    assert year.pending_age_days and year.disposition_days


def test_a_suspension_shortens_the_pending_age_by_its_whole_days(history):
    world, cases = history
    court, division = world.court.pk, cases["E"].division_id
    # E was filed 2024-12-01 and suspended 2025-04-01 … 04-11 and 09-01 … 09-04: at the end of
    # 2025-09-30 it is 304 days old, 10 + 3 of them suspended.
    e_team = next(
        m
        for m in metrics(court, dt.date(2025, 9, 1), dt.date(2025, 9, 30), "team", division)
        if m.key == cases["E"].team_id
    )
    assert e_team.pending_age_days[304 - 13] == 1
    # Mid-suspension the age stands still: at the end of 04-05 it is 126 days old less the 5
    # suspended days since 04-01.
    (mid,) = metrics(court, dt.date(2025, 4, 1), dt.date(2025, 4, 5), "court", division)
    raw = metrics(court, dt.date(2025, 4, 1), dt.date(2025, 4, 5), "court", division, raw=True)
    assert [mid] == raw
    assert mid.pending_age_days[126 - 5] == 1
    # B: filed 02-20, suspended 03-01 … 03-21, closed 07-02 → 132 days less 20.
    (b_q3,) = metrics(court, dt.date(2025, 7, 1), dt.date(2025, 7, 31), "court", division)
    assert b_q3.disposition_days[112] == 1


@pytest.mark.parametrize("seed", range(20))
def test_median_and_mean_of_a_histogram_are_those_of_its_values(seed):
    import random
    import statistics

    from assessment.metrics import Metrics

    rng = random.Random(seed)
    values = [rng.choice([0, 1, 2, 3, 30, 31, 400]) for _ in range(rng.randint(1, 40))]
    m = Metrics(disposition_days=Counter(values), pending_age_days=Counter({5: 0, 7: 2}))
    assert m.median_days == Decimal(str(statistics.median(values))).quantize(Decimal("0.1"))
    assert m.mean_days == Decimal(statistics.fmean(values)).quantize(
        Decimal("0.1"), rounding="ROUND_HALF_UP"
    )
    assert m.pending_median_age == Decimal("7.0")  # an emptied bucket counts for nothing


def test_reassignment_moves_the_case_between_teams_on_the_metrics_page(history):
    world, cases = history
    case = cases["C"]
    before_team = case.assignments.order_by("at").first().team_id
    manager = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    manager.force_login(world.user("trialmgr"))
    query = {"from": "2025-06-01", "to": "2025-12-31", "level": "team"}
    rows = {r["key"]: r for r in manager.get("/api/stats/court-metrics/", query).json()["rows"]}
    assert rows[case.team_id]["pending"] >= 1
    assert case.team_id != before_team
    # C counts with its current team only, as the raw rows have it.
    raw = {
        m.key: m.pending
        for m in metrics(
            world.court.pk, dt.date(2025, 6, 1), dt.date(2025, 12, 31), "team", raw=True
        )
    }
    assert {k: r["pending"] for k, r in rows.items()} == raw


def test_a_write_past_the_services_shows_until_metrics_rebuild(history):
    """The check can fail: a row changed in SQL leaves the rollups behind."""
    world, cases = history
    court = world.court.pk
    Case.objects.filter(pk=cases["C"].pk).update(closed_at=at(2025, 10, 1))
    period = (dt.date(2025, 10, 1), dt.date(2025, 10, 31))
    (stale,) = metrics(court, *period)
    (truth,) = metrics(court, *period, raw=True)
    assert truth.closed == stale.closed + 1
    call_command("metrics_rebuild", "--court", world.court.code, stdout=io.StringIO())
    assert metrics(court, *period) == [truth]


def test_periods_not_bounded_by_midnight_come_from_the_raw_rows(history):
    world, _cases = history
    start, end = at(2025, 3, 1, 12), at(2025, 7, 2, 12)
    got = court_metrics(court_id=world.court.pk, start=start, end=end)
    assert got == court_metrics_raw(court_id=world.court.pk, start=start, end=end)
    # B closed on 07-02 at 10:00: inside this period, outside the one ending at 07-02's midnight
    (by_day,) = metrics(world.court.pk, dt.date(2025, 3, 1), dt.date(2025, 7, 1))
    assert got[0].closed == by_day.closed + 1
