"""A case's next deadline (the queues' order) always equals the earliest live deadline of
its nodes, through every service that opens, completes, moves or waives nodes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Min, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from cases import services
from cases.models import Approval, Case
from cases.services.locks import case_unlock
from nodes import engine
from nodes.models import NodeInstance
from nodes.sweep import sweep_run

from .helpers import judge_of, register, schedule_hearing, serve, triage_and_assign

pytestmark = pytest.mark.django_db


def expected(case: Case):
    return NodeInstance.objects.filter(case=case, status__in=engine.LIVE).aggregate(
        d=Min(Coalesce("grace_until", "due_at"), filter=Q(due_at__isnull=False))
    )["d"]


def assert_fresh(case: Case):
    case.refresh_from_db()
    assert case.next_due_at == expected(case)


def test_next_deadline_follows_every_change(world):
    case = triage_and_assign(
        world, register(world, "civil_ordinary", claim_amount="800000"), "complex"
    )
    judge, head = judge_of(case), case.division.head.user
    assert case.next_due_at is not None
    assert_fresh(case)

    serve(world, case, "complaint_copy")
    assert_fresh(case)

    # A hearing three days out opens the summons node, due before anything else.
    schedule_hearing(world, case, timezone.now() + dt.timedelta(days=3))
    assert_fresh(case)

    approval = services.approval_request(
        actor=judge,
        case=case,
        kind=Approval.Kind.SUSPENSION,
        reason="委托鉴定",
        payload={"suspension_kind": "appraisal"},
    )
    services.approval_decide(actor=head, approval=approval, approve=True, reason="同意")
    assert_fresh(case)
    services.suspension_end(actor=judge, case=case, reason="鉴定完成")
    assert_fresh(case)

    # Lock it, then unlock with a grace: the grace becomes the node's deadline.
    soonest = (
        NodeInstance.objects.filter(
            case=case, status="open", level="important", due_at__isnull=False
        )
        .order_by("due_at")
        .first()
    )
    sweep_run(at=soonest.due_at + dt.timedelta(minutes=1))
    case.refresh_from_db()
    assert case.locked
    assert_fresh(case)  # the sweep moves no deadline
    new_due = timezone.now() + dt.timedelta(days=3)
    case_unlock(actor=head, case=case, reason="补正", new_due_at=new_due)
    assert_fresh(case)
    assert case.next_due_at <= new_due
