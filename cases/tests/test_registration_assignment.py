"""Registration (numbers, bad input, double submits), triage, the reproducible random draw and
its exclusions, reassignment, hearings without double booking."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from django.utils import timezone

from cases import services
from cases.lifecycle import Stage
from cases.models import Assignment, Case, CaseNumberSequence, Recusal
from cases.services.assignment import assignment_candidates, weighted_pick
from cases.tests.helpers import PARTIES, judge_of, register, schedule_hearing, triage_and_assign
from courtflow.errors import Conflict, InvalidInput, NotAllowed
from courtflow.models import AuditEvent
from teams.models import Absence, Team, TeamType
from teams.services import absence_record

pytestmark = pytest.mark.django_db
NUMBER = re.compile(r"^（(\d{4})）京0102(民初|刑初|行初|执|民终|民申|民诉前调|财保)(\d+)号$")


def test_case_numbers_follow_the_standard_form_and_count_per_type(world):
    a = register(world, "civil_simple")
    b = register(world, "civil_ordinary", claim_amount="1000000")
    c = register(world, "enforcement", family="enforcement")
    assert NUMBER.match(a.number) and NUMBER.match(c.number)
    assert (a.type_code, a.sequence, b.sequence) == ("民初", 1, 2)
    assert (c.type_code, c.sequence) == ("执", 1)


def test_a_number_already_taken_is_refused_and_nothing_is_written(world):
    register(world, "civil_simple")
    CaseNumberSequence.objects.filter(type_code="民初").update(last=0)  # a sequence gone wrong
    cases_before, audits_before = Case.objects.count(), AuditEvent.objects.count()
    with pytest.raises(Conflict) as refused:
        register(world, "civil_simple")
    assert refused.value.code == "duplicate_number"
    assert (Case.objects.count(), AuditEvent.objects.count()) == (cases_before, audits_before)


@pytest.mark.parametrize(
    "kwargs,field",
    [
        ({"procedure": "civil_magic"}, "procedure"),
        ({"cause": ""}, "cause"),
        ({"parties": []}, "parties"),
        ({"parties": [PARTIES["first_instance"][0]]}, "parties"),
        (
            {
                "parties": [
                    {
                        "name": "张三",
                        "role": "plaintiff",
                        "kind": "person",
                        "id_number": "110105194912310021",
                    },
                    PARTIES["first_instance"][1],
                ]
            },
            "parties",
        ),
        (
            {
                "parties": [
                    {"name": "张三", "role": "accused", "kind": "person"},
                    PARTIES["first_instance"][1],
                ]
            },
            "parties",
        ),
        ({"claim_amount": "-5"}, "claim_amount"),
        ({"claim_amount": "lots"}, "claim_amount"),
        ({"received_at": timezone.now() + dt.timedelta(days=2)}, "received_at"),
        ({"facts": {"flying": True}}, "facts"),
    ],
)
def test_bad_registrations_are_refused_and_nothing_is_written(world, kwargs, field):
    base = {
        "procedure": "civil_simple",
        "cause": "民间借贷纠纷",
        "parties": PARTIES["first_instance"],
    }
    base.update(kwargs)
    cases_before, audits_before = Case.objects.count(), AuditEvent.objects.count()
    with pytest.raises(InvalidInput) as refused:
        services.case_register(actor=world.user("registrar"), court=world.court, **base)
    assert refused.value.field == field
    assert (Case.objects.count(), AuditEvent.objects.count()) == (cases_before, audits_before)


def test_only_a_registrar_registers(world):
    with pytest.raises(NotAllowed):
        services.case_register(
            actor=world.user("judge"),
            court=world.court,
            procedure="civil_simple",
            cause="x",
            parties=PARTIES["first_instance"],
        )


def test_the_same_form_submitted_twice_registers_once(world):
    key = uuid.uuid4()
    first = register(world, "civil_simple", idempotency_key=key)
    with pytest.raises(Conflict) as refused:
        register(world, "civil_simple", idempotency_key=key)
    assert refused.value.code == "duplicate_submission" and first.number in str(
        refused.value.message
    )
    assert Case.objects.count() == 1


def test_triage_override_needs_a_reason_and_only_the_division_head_decides(world):
    case = register(world, "civil_ordinary", claim_amount="100000")
    assert (
        case.triage.proposed == "simple"
    )  # ≤ 500,000 yuan and two parties: the default rule proposes 简
    with pytest.raises(NotAllowed):
        services.triage_decide(actor=world.user("judge"), case=case, complexity="simple")
    with pytest.raises(InvalidInput) as refused:
        services.triage_decide(actor=case.division.head.user, case=case, complexity="complex")
    assert refused.value.field == "reason"
    services.triage_decide(
        actor=case.division.head.user, case=case, complexity="complex", reason="涉及专业技术问题"
    )
    case.refresh_from_db()
    assert case.complexity == "complex" and case.team.team_type.handles_complex_cases
    assert AuditEvent.objects.filter(action="case.triage_overridden", case_id=case.pk).exists()


def test_the_draw_is_reproducible_and_weighted_by_remaining_capacity(world):
    case = triage_and_assign(
        world, register(world, "civil_ordinary", claim_amount="2000000"), "complex"
    )
    assignment = Assignment.objects.get(case=case)
    assert assignment.seed is not None and assignment.candidates
    assert all(c["weight"] for c in assignment.candidates)
    replay = services.assignment_replay(assignment)
    assert replay["matches"] is True and replay["team"] == case.team_id
    # The same seed and candidates always pick the same team; weights decide the odds.
    heavy = [{"team": 1, "weight": "999"}, {"team": 2, "weight": "1"}]
    picks = [weighted_pick(seed, heavy)["team"] for seed in range(200)]
    assert picks.count(1) > 190
    assert [weighted_pick(s, heavy)["team"] for s in range(50)] == [
        weighted_pick(s, heavy)["team"] for s in range(50)
    ]


def _staffed_team(world, division, name):
    from teams import services as team_services
    from teams.tests.factories import PersonFactory

    team = team_services.team_create(
        actor=None,
        division=division,
        team_type=TeamType.objects.get(court=world.court, kind=TeamType.Kind.CIVIL),
        name=name,
    )
    for role in ("judge", "assistant"):
        person = PersonFactory(court=world.court, division=division, role=role)
        team_services.membership_create(actor=None, team=team, person=person, position=role)
    return team


def test_recused_absent_and_inactive_judges_are_left_out(world):
    case = register(world, "civil_ordinary", claim_amount="2000000")
    _staffed_team(world, case.division, "民商事团队新组")
    services.triage_decide(
        actor=case.division.head.user, case=case, complexity="complex", draw=False
    )
    case.refresh_from_db()
    candidates, _ = assignment_candidates(case)
    teams = [Team.objects.get(pk=c["team"]) for c in candidates]
    assert len(teams) >= 2
    first_judge = teams[0].memberships.get(ended_on__isnull=True, position="judge").person
    second_judge = teams[1].memberships.get(ended_on__isnull=True, position="judge").person
    Recusal.objects.create(
        case=case, person=first_judge, reason="与当事人有亲属关系", at=timezone.now()
    )
    today = timezone.localdate()
    absence_record(
        actor=None,
        person=second_judge,
        starts_on=today,
        ends_on=today + dt.timedelta(days=10),
        reason="脱产培训",
    )
    candidates, excluded = assignment_candidates(case)
    left_out = {e["team"]: e["reason"] for e in excluded}
    assert left_out[teams[0].pk] == "judge recused" and left_out[teams[1].pk] == "judge absent"
    assert teams[0].pk not in {c["team"] for c in candidates}
    assignment = services.assignment_draw(actor=case.division.head.user, case=case)
    assert assignment.team_id not in (teams[0].pk, teams[1].pk)
    assert Absence.objects.count() == 1


def test_simple_cases_go_to_speedy_teams(world):
    case = triage_and_assign(world, register(world, "civil_simple"), "simple")
    assert case.team.team_type.kind in (TeamType.Kind.SPEEDY, TeamType.Kind.ONE_PLUS_ONE)


def test_changing_the_judge_afterwards_is_an_approval_with_a_reason(world):
    case = triage_and_assign(
        world, register(world, "civil_ordinary", claim_amount="2000000"), "complex"
    )
    other = (
        Team.objects.filter(division=case.division, team_type__handles_complex_cases=True)
        .exclude(pk=case.team_id)
        .first()
    )
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
    assert case.team == other
    assert Assignment.objects.filter(case=case, method="reassignment").count() == 1


def test_no_double_booking_of_room_or_clerk(world):
    t0 = timezone.now()
    a = triage_and_assign(world, register(world, "civil_simple"), "simple")
    b = triage_and_assign(world, register(world, "civil_simple"), "simple")
    hearing = schedule_hearing(world, a, t0 + dt.timedelta(days=3))
    booking = hearing.booking
    with pytest.raises(Conflict) as refused:
        services.hearing_schedule(
            actor=judge_of(b),
            case=b,
            starts_at=t0 + dt.timedelta(days=3, minutes=30),
            ends_at=t0 + dt.timedelta(days=3, hours=2),
            courtroom=booking.courtroom,
            clerk=None,
        )
    assert refused.value.code == "room_taken"
    with pytest.raises(Conflict) as refused:
        services.hearing_schedule(
            actor=judge_of(b),
            case=b,
            starts_at=t0 + dt.timedelta(days=3, minutes=30),
            ends_at=t0 + dt.timedelta(days=3, hours=2),
            courtroom=None,
            clerk=booking.clerk,
            online=True,
        )
    assert refused.value.code == "clerk_taken"
    assert b.hearings.count() == 0


def test_adjournments_are_limited_by_procedure(world):
    t0 = timezone.now()
    case = triage_and_assign(world, register(world, "civil_simple"), "simple")
    hearing = schedule_hearing(world, case, t0 + dt.timedelta(days=3))
    services.hearing_adjourn(actor=judge_of(case), hearing=hearing, reason="当事人申请")
    hearing = schedule_hearing(world, case, t0 + dt.timedelta(days=10))
    with pytest.raises(Conflict) as refused:
        services.hearing_adjourn(actor=judge_of(case), hearing=hearing, reason="再次申请")
    assert refused.value.code == "too_many_adjournments"


def test_a_case_received_but_not_filed_is_docketed_later(world):
    case = register(world, "civil_simple", file_now=False)
    assert case.stage == Stage.RECEIVED and case.trial_limit_due_at is None
    services.case_docket(actor=world.user("registrar"), case=case)
    case.refresh_from_db()
    assert case.stage == Stage.FILED and case.trial_limit_due_at is not None
