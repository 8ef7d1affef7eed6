"""The 审限 clock: suspensions pause it and move every node on it, extensions lengthen it
(approved by the right person), publication suspends it automatically, conversions keep
or restart it as the law says."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from cases import services
from cases.models import Approval, Suspension
from cases.tests.helpers import judge_of, live_codes, register, serve, triage_and_assign
from courtflow.errors import Conflict, InvalidInput, NotAllowed
from courtflow.models import AuditEvent
from nodes.models import NodeInstance
from nodes.periods import COURT_TZ

pytestmark = pytest.mark.django_db


def due(case, code):
    return (
        NodeInstance.objects.filter(case=case, code=code, status__in=["open", "overdue", "locked"])
        .get()
        .due_at
    )


def local_day(value):
    return timezone.localtime(value, COURT_TZ).date()


def test_a_suspension_pauses_the_clock_and_its_end_moves_every_clock_node(world):
    t0 = timezone.now()
    case = triage_and_assign(
        world, register(world, "civil_ordinary", claim_amount="900000"), "complex"
    )
    limit_before = due(case, "CIV-ORD-LIMIT")
    request_before = due(case, "CIV-ORD-EXT-REQ")
    approval = services.approval_request(
        actor=judge_of(case),
        case=case,
        kind="suspension",
        reason="委托鉴定",
        payload={"suspension_kind": "appraisal"},
    )
    assert approval.approver_role == "division_head"
    with pytest.raises(
        NotAllowed
    ):  # the requester cannot decide, nor can a president (not the approver)
        services.approval_decide(
            actor=world.user("president"), approval=approval, approve=True, reason="x"
        )
    services.approval_decide(
        actor=case.division.head.user, approval=approval, approve=True, reason="同意鉴定"
    )
    case.refresh_from_db()
    assert case.clock_paused
    assert (
        due(case, "CIV-ORD-LIMIT") is None and due(case, "CIV-ORD-EXT-REQ") is None
    )  # paused: the sweep skips
    with time_machine.travel(t0 + dt.timedelta(days=20), tick=False):
        services.suspension_end(actor=judge_of(case), case=case, reason="鉴定意见已送达")
    case.refresh_from_db()
    assert not case.clock_paused
    moved = (local_day(due(case, "CIV-ORD-LIMIT")) - local_day(limit_before)).days
    assert 20 <= moved <= 23  # 20 suspended days, then off a weekend or holiday if it lands on one
    assert due(case, "CIV-ORD-EXT-REQ") < due(case, "CIV-ORD-LIMIT")
    assert local_day(due(case, "CIV-ORD-EXT-REQ")) > local_day(request_before)
    assert case.trial_limit_due_at == due(case, "CIV-ORD-LIMIT")
    assert AuditEvent.objects.filter(action="case.clock_moved", case_id=case.pk).exists()


def test_an_extension_is_approved_by_a_president_and_lengthens_the_limit(world):
    case = triage_and_assign(
        world, register(world, "civil_ordinary", claim_amount="900000"), "complex"
    )
    before = local_day(case.trial_limit_due_at)
    approval = services.approval_request(
        actor=judge_of(case), case=case, kind="extension", reason="案情复杂", payload={"months": 6}
    )
    assert approval.approver_role == "president"
    with pytest.raises(NotAllowed):
        services.approval_decide(
            actor=case.division.head.user, approval=approval, approve=True, reason="同意"
        )
    services.approval_decide(
        actor=world.user("president"), approval=approval, approve=True, reason="同意延长六个月"
    )
    case.refresh_from_db()
    after = local_day(case.trial_limit_due_at)
    assert 180 <= (after - before).days <= 188
    assert "CIV-ORD-EXT-HIGHER" in live_codes(case)  # beyond 12 months goes to the higher court
    # A further extension beyond what the president may grant needs the higher court's decision.
    second = services.approval_request(
        actor=judge_of(case), case=case, kind="extension", reason="仍需延长", payload={"months": 3}
    )
    with pytest.raises(InvalidInput) as refused:
        services.approval_decide(
            actor=world.user("president"), approval=second, approve=True, reason="报请"
        )
    assert refused.value.code == "needs_higher_court"
    services.approval_decide(
        actor=world.user("president"),
        approval=second,
        approve=True,
        reason="上级法院批准",
        external_reference="（2027）京02民他12号",
    )
    assert Approval.objects.get(pk=second.pk).external_reference == "（2027）京02民他12号"


def test_two_approvers_at_once_one_wins(world):
    case = triage_and_assign(
        world, register(world, "civil_ordinary", claim_amount="900000"), "complex"
    )
    approval = services.approval_request(
        actor=judge_of(case), case=case, kind="extension", reason="复杂", payload={"months": 1}
    )
    services.approval_decide(
        actor=world.user("president"), approval=approval, approve=True, reason="同意"
    )
    with pytest.raises(Conflict) as refused:
        services.approval_decide(
            actor=world.user("vicepresident"), approval=approval, approve=False, reason="不同意"
        )
    assert refused.value.code == "already_decided"


def test_service_by_publication_suspends_the_clock_for_thirty_days(world):
    case = triage_and_assign(
        world, register(world, "civil_ordinary", claim_amount="900000"), "complex"
    )
    before = local_day(case.trial_limit_due_at)
    serve(world, case, "complaint_copy", method="publication", result="started")
    suspension = Suspension.objects.get(case=case)
    assert suspension.kind == "publication"
    assert (suspension.ended_at - suspension.started_at).days == 30
    case.refresh_from_db()
    assert not case.clock_paused
    assert 30 <= (local_day(case.trial_limit_due_at) - before).days <= 33
    assert NodeInstance.objects.get(case=case, code="CIV-ORD-SERVE-COMPLAINT").status == "done"


def test_simple_procedure_refuses_publication(world):
    case = triage_and_assign(world, register(world, "civil_simple", claim_amount="9000"), "simple")
    with pytest.raises(Conflict) as refused:
        serve(world, case, "complaint_copy", method="publication", result="started")
    assert refused.value.code == "publication_not_allowed"


def test_simple_to_ordinary_keeps_counting_from_filing(world):
    case = triage_and_assign(world, register(world, "civil_simple", claim_amount="9000"), "simple")
    filed = case.filed_at
    approval = services.approval_request(
        actor=judge_of(case),
        case=case,
        kind="conversion",
        reason="需要公告送达",
        payload={"procedure": "civil_ordinary"},
    )
    services.approval_decide(
        actor=case.division.head.user, approval=approval, approve=True, reason="同意转普"
    )
    case.refresh_from_db()
    assert case.procedure == "civil_ordinary"
    assert "CIV-SIMPLE-LIMIT" not in live_codes(case) and "CIV-ORD-LIMIT" in live_codes(case)
    limit = NodeInstance.objects.get(case=case, code="CIV-ORD-LIMIT")
    assert (
        limit.anchor_at == filed
    )  # six months from filing, not from the conversion (民诉法解释 art 258)
    assert 181 <= (local_day(limit.due_at) - local_day(filed)).days <= 188


def test_criminal_conversion_restarts_the_clock(world):
    t0 = timezone.now()
    case = register(world, "criminal_fast", cause="危险驾驶罪", family="criminal", in_custody=True)
    case = triage_and_assign(world, case, "simple")
    with time_machine.travel(t0 + dt.timedelta(days=3), tick=False):
        approval = services.approval_request(
            actor=judge_of(case),
            case=case,
            kind="conversion",
            reason="被告人不认罪",
            payload={"procedure": "criminal_ordinary"},
        )
        services.approval_decide(
            actor=case.division.head.user, approval=approval, approve=True, reason="同意"
        )
        decided = timezone.now()
    limit = NodeInstance.objects.get(case=case, code="CRIM-ORD-LIMIT", status="open")
    assert limit.anchor_at == decided  # restarts from the decision (刑诉法解释 arts 368, 376)
    assert "CRIM-FAST-LIMIT" not in live_codes(case)


def test_conversion_to_a_procedure_the_law_does_not_allow_is_refused(world):
    case = triage_and_assign(
        world, register(world, "civil_ordinary", claim_amount="900000"), "complex"
    )
    with pytest.raises(InvalidInput) as refused:
        services.approval_request(
            actor=judge_of(case),
            case=case,
            kind="conversion",
            reason="x",
            payload={"procedure": "civil_simple"},
        )
    assert refused.value.field == "procedure"
    assert not Approval.objects.filter(case=case).exists()


def test_an_open_ended_stay_shows_on_the_division_heads_page(world):
    from django.test import Client

    case = triage_and_assign(
        world, register(world, "civil_ordinary", claim_amount="900000"), "complex"
    )
    approval = services.approval_request(
        actor=judge_of(case),
        case=case,
        kind="suspension",
        reason="等待另案结果",
        payload={"suspension_kind": "stay"},
    )
    services.approval_decide(
        actor=case.division.head.user, approval=approval, approve=True, reason="同意中止"
    )
    case.refresh_from_db()
    assert case.stage == "suspended"
    client = Client()
    client.force_login(case.division.head.user)
    page = client.get("/home/division_head/").content.decode()
    assert case.number in page and "隐性超审限" in page
