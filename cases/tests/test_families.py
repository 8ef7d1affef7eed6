"""One case of each procedure family walked from filing to closing, with node instances
opening and closing as the catalog says and checkpoints refusing what is not yet allowed."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from cases import services
from cases.lifecycle import Stage
from cases.models import Case
from cases.tests.helpers import (
    PARTIES,
    judge_of,
    live_codes,
    register,
    schedule_hearing,
    serve,
    status_of,
    triage_and_assign,
)
from courtflow.errors import Conflict, InvalidInput
from courtflow.models import AuditEvent
from nodes.models import NodeInstance

pytestmark = pytest.mark.django_db


def record(case: Case, code: str, actor=None, **kw):
    return services.case_event_record(actor=actor or judge_of(case), case=case, code=code, **kw)


def test_civil_simple_case_from_filing_to_archive(world):
    t0 = timezone.now()
    case = register(world, "civil_simple", claim_amount="30000")
    assert case.number.startswith(f"（{timezone.localtime(t0).year}）京0102民初")
    assert case.stage == Stage.FILED
    # Filing opened the nodes the catalog starts at filing, with their legal due dates.
    assert {"CIV-ORD-SERVE-COMPLAINT", "CIV-SIMPLE-SCHEDULE", "CIV-SIMPLE-LIMIT"} <= live_codes(
        case
    )
    limit = NodeInstance.objects.get(case=case, code="CIV-SIMPLE-LIMIT")
    assert case.trial_limit_due_at == limit.due_at
    assert status_of(case, "FIL-CIV-DECIDE") == "done"

    case = triage_and_assign(world, case, "simple")
    assert case.stage == Stage.PRETRIAL and case.team.team_type.handles_simple_cases

    hearing = schedule_hearing(world, case, t0 + dt.timedelta(days=6))
    assert status_of(case, "CIV-SIMPLE-SCHEDULE") == "done"

    with time_machine.travel(t0 + dt.timedelta(days=6, minutes=30), tick=False):
        # Checkpoint: the complaint copy is not served yet, so the hearing cannot open.
        with pytest.raises(Conflict) as refused:
            services.hearing_record_held(actor=judge_of(case), hearing=hearing)
        assert refused.value.code == "checkpoint"
        assert [m["code"] for m in refused.value.detail["missing"]] == ["CIV-ORD-SERVE-COMPLAINT"]
        case.refresh_from_db()
        assert case.stage == Stage.PRETRIAL

    with time_machine.travel(t0 + dt.timedelta(days=1), tick=False):
        serve(world, case, "complaint_copy")
    assert status_of(case, "CIV-ORD-SERVE-COMPLAINT") == "done"
    with time_machine.travel(t0 + dt.timedelta(days=6, minutes=30), tick=False):
        services.hearing_record_held(actor=judge_of(case), hearing=hearing)
        case.refresh_from_db()
        assert case.stage == Stage.TRIAL
        assert "PUB-RECORDING" in live_codes(case)
        record(case, "judgment_pronounced", payload={"pronounced_in_court": True})
        case.refresh_from_db()
        assert case.stage == Stage.JUDGMENT
        assert status_of(case, "CIV-SIMPLE-LIMIT") == "done"
        assert "CIV-JUDG-SERVE-COURT" in live_codes(case)
        # Closing is gated on serving the judgment and checking the recording.
        with pytest.raises(Conflict) as refused:
            record(case, "case_closed", payload={"closure_type": "judgment"})
        assert {m["code"] for m in refused.value.detail["missing"]} >= {"CIV-JUDG-SERVE-COURT"}
        serve(world, case, "judgment")
        record(case, "recording_checked")
        record(case, "case_closed", payload={"closure_type": "judgment"})
        case.refresh_from_db()
        assert case.stage == Stage.CLOSED and case.closure_type == "judgment"

    with time_machine.travel(t0 + dt.timedelta(days=25), tick=False):
        record(case, "judgment_effective")
        case.refresh_from_db()
        assert case.stage == Stage.EFFECTIVE
        online = NodeInstance.objects.get(case=case, code="PUB-JUDG-ONLINE")
        assert online.due_at > timezone.now()  # 7 working days from effect
        with pytest.raises(Conflict) as refused:
            record(case, "archived")
        assert refused.value.detail["missing"][0]["code"] == "PUB-JUDG-ONLINE"
        record(case, "published_online")
        record(case, "archived")
        case.refresh_from_db()
        assert case.stage == Stage.ARCHIVED
        assert live_codes(case) == set()  # an archived case owes nothing more
    # The whole walk is in the audit trail, in order.
    actions = list(
        AuditEvent.objects.filter(case_id=case.pk).order_by("id").values_list("action", flat=True)
    )
    assert actions[0] == "case.registered" and actions[-1] == "case.event.archived"
    assert "case.assigned" in actions and "case.event.judgment_pronounced" in actions


def test_wrong_stage_and_events_out_of_order_are_refused(world):
    case = register(world, "civil_ordinary", claim_amount="900000")
    with pytest.raises(Conflict) as refused:
        services.case_event_record(
            actor=world.user("registrar"), case=case, code="judgment_effective"
        )
    assert refused.value.code == "wrong_stage"
    case = triage_and_assign(world, case, "complex")
    with pytest.raises(Conflict) as refused:
        record(case, "judgment_pronounced", payload={"pronounced_in_court": True})
    assert refused.value.code == "wrong_stage"
    with pytest.raises(Conflict) as refused:
        record(case, "defence_copy_served")
    assert refused.value.code == "event_out_of_order"
    record(case, "defence_received")
    record(case, "defence_copy_served")
    with pytest.raises(InvalidInput) as refused:  # dated before the defence it serves
        record(case, "defence_copy_served", at=case.filed_at - dt.timedelta(days=1))
    assert refused.value.code == "event_out_of_order" and refused.value.field == "at"


def test_criminal_case_needs_the_indictment_served_ten_days_before_the_hearing(world):
    t0 = timezone.now()
    case = register(world, "criminal_ordinary", cause="盗窃罪", family="criminal", in_custody=True)
    assert {"CRIM-COUNSEL", "CRIM-ORD-LIMIT"} <= live_codes(case)
    assert "CRIM-ORD-LIMIT-BAIL" not in live_codes(case)  # the defendant is in custody
    case = triage_and_assign(world, case, "complex")
    record(case, "counsel_notified")
    hearing = schedule_hearing(world, case, t0 + dt.timedelta(days=20))
    assert "CRIM-INDICT-SERVE" in live_codes(case)
    serve(world, case, "summons")
    with time_machine.travel(t0 + dt.timedelta(days=15), tick=False):
        serve(world, case, "indictment_copy")  # 5 days before: too late for ≥10 days
        assert NodeInstance.objects.get(case=case, code="CRIM-INDICT-SERVE").completed_late
    with time_machine.travel(t0 + dt.timedelta(days=20, minutes=10), tick=False):
        with pytest.raises(Conflict) as refused:
            services.hearing_record_held(actor=judge_of(case), hearing=hearing)
        missing = {m["code"]: m["status"] for m in refused.value.detail["missing"]}
        assert missing == {"CRIM-INDICT-SERVE": "late"}
        services.hearing_adjourn(
            actor=judge_of(case), hearing=hearing, reason="起诉书副本送达不足十日"
        )
    hearing = schedule_hearing(world, case, t0 + dt.timedelta(days=40))
    serve(world, case, "indictment_copy")
    serve(world, case, "summons")
    with time_machine.travel(t0 + dt.timedelta(days=40, minutes=10), tick=False):
        services.hearing_record_held(actor=judge_of(case), hearing=hearing)
        record(case, "judgment_pronounced", payload={"pronounced_later": True})
        serve(world, case, "judgment")
        record(case, "recording_checked")
        record(case, "case_closed", payload={"closure_type": "judgment"})
    with time_machine.travel(t0 + dt.timedelta(days=60), tick=False):
        record(case, "judgment_effective")
        record(case, "sentence_handed_over")
        case.refresh_from_db()
        assert case.stage == Stage.HANDED_OVER


def test_administrative_case_walk(world):
    t0 = timezone.now()
    case = register(
        world,
        "admin_ordinary",
        cause="行政处罚",
        parties=[
            {"name": "张三", "role": "plaintiff", "kind": "person"},
            {"name": "北京市西城区市场监督管理局", "role": "defendant", "kind": "organisation"},
        ],
    )
    assert "ADM-LIMIT" in live_codes(case)
    case = triage_and_assign(world, case, "complex")
    serve(world, case, "complaint_copy")
    hearing = schedule_hearing(world, case, t0 + dt.timedelta(days=30))
    serve(world, case, "summons")
    with time_machine.travel(t0 + dt.timedelta(days=30, minutes=5), tick=False):
        services.hearing_record_held(actor=judge_of(case), hearing=hearing)
        record(case, "judgment_pronounced", payload={"pronounced_in_court": True})
        serve(world, case, "judgment")
        record(case, "recording_checked")
        record(case, "case_closed", payload={"closure_type": "judgment"})
        case.refresh_from_db()
    assert case.stage == Stage.CLOSED


def test_second_instance_walk(world):
    t0 = timezone.now()
    case = register(world, "civil_second", family="second_instance", cause="买卖合同纠纷")
    assert "APP-CIV-LIMIT" in live_codes(case) and "APP-CIV-RULING-LIMIT" not in live_codes(case)
    case = triage_and_assign(world, case, "complex")
    hearing = schedule_hearing(world, case, t0 + dt.timedelta(days=10))
    with time_machine.travel(t0 + dt.timedelta(days=10, minutes=5), tick=False):
        services.hearing_record_held(actor=judge_of(case), hearing=hearing)
        record(case, "judgment_pronounced", payload={"pronounced_later": True})
        serve(world, case, "judgment")
        record(case, "recording_checked")
        record(case, "case_closed", payload={"closure_type": "judgment"})
        record(case, "judgment_effective")
        case.refresh_from_db()
    assert case.stage == Stage.EFFECTIVE


def test_retrial_review_walk(world):
    case = register(world, "civil_retrial_review", family="review", cause="借款合同纠纷")
    case = triage_and_assign(world, case, "complex")
    assert case.stage == Stage.REVIEW
    record(case, "retrial_decided", payload={"closure_type": "dismissed"})
    case.refresh_from_db()
    assert case.stage == Stage.CLOSED and case.closure_type == "dismissed"
    record(case, "archived")
    case.refresh_from_db()
    assert case.stage == Stage.ARCHIVED


def test_enforcement_termination_is_gated_until_notice_and_investigation(world):
    case = register(
        world, "enforcement", family="enforcement", cause="借款合同纠纷", claim_amount="200000"
    )
    assert {"ENF-NOTICE", "ENF-LIMIT"} <= live_codes(case)
    case = triage_and_assign(world, case, "complex")
    assert case.stage == Stage.INVESTIGATING
    with pytest.raises(Conflict) as refused:
        record(case, "round_terminated")
    assert "ENF-NOTICE" in {m["code"] for m in refused.value.detail["missing"]}
    serve(world, case, "enforcement_notice")
    record(case, "online_search_done")
    record(case, "asset_investigation_done")
    record(case, "termination_conditions_checked")
    remaining = {m["code"] for m in services.gate_missing(case, "terminate_round")}
    assert remaining == set()
    record(case, "round_terminated")
    case.refresh_from_db()
    assert case.stage == Stage.CLOSED and case.closure_type == "round_terminated"


def test_pre_litigation_mediation_that_fails_becomes_a_filed_case(world):
    case = register(
        world, "pre_litigation", family="mediation", cause="物业服务合同纠纷", claim_amount="8000"
    )
    assert (
        case.stage == Stage.REFERRED and case.number.startswith("（") and "民诉前调" in case.number
    )
    services.assignment_draw(actor=world.user("registrar"), case=case)
    case.refresh_from_db()
    mediator = world.user("mediator")
    services.case_event_record(actor=mediator, case=case, code="mediation_accepted")
    services.case_event_record(actor=mediator, case=case, code="mediation_failed")
    case.refresh_from_db()
    assert case.stage == Stage.CLOSED and case.closure_type == "mediation_failed"
    filed = Case.objects.get(origin=case)
    assert filed.stage == Stage.FILED and "民初" in filed.number
    assert [p.role for p in filed.parties.order_by("id")] == ["plaintiff", "defendant"]


def test_preservation_short_track(world):
    case = register(
        world, "preservation", family="preservation", cause="财产保全", claim_amount="500000"
    )
    assert "财保" in case.number
    case = triage_and_assign(world, case, "simple")
    assert case.stage == Stage.REVIEW
    record(case, "preservation_ruled")
    record(case, "case_closed", payload={"closure_type": "preservation_done"})
    case.refresh_from_db()
    assert case.stage == Stage.CLOSED


def test_parties_identity_numbers_are_masked(world):
    case = register(
        world,
        "civil_simple",
        parties=[
            {
                "name": "张三",
                "role": "plaintiff",
                "kind": "person",
                "id_number": "11010519491231002X",
            },
            *PARTIES["first_instance"][1:],
        ],
    )
    party = case.parties.get(name="张三")
    assert party.id_number == "11010519491231002X"
    assert party.masked_id == "110*************2X"
