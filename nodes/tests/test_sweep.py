"""The sweep: prompt, warning, overdue and lock at the right instants; idempotent; locks that
refuse every door; unlocks by the right roles with a bounded grace; re-locks numbered on."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from cases import services
from cases.services.locks import case_unlock
from cases.tasks import case_event_record_external
from cases.tests.helpers import judge_of, register, serve, triage_and_assign
from courtflow.errors import Conflict, InvalidInput, NotAllowed
from courtflow.models import AuditEvent
from courtflow.sms import LoggingSmsBackend
from nodes.models import CaseLock, NodeInstance, Notification, SweepAction
from nodes.notify import notifications_deliver
from nodes.sweep import sweep_run

pytestmark = pytest.mark.django_db


def node(case, code):
    return NodeInstance.objects.filter(case=case, code=code).order_by("-id").first()


@pytest.fixture
def case(world):
    """A simple-procedure civil case, complaint served: the next important deadline is the
    hearing date, which must be set within 7 days of filing (盐城 rule)."""
    case = triage_and_assign(world, register(world, "civil_simple", claim_amount="8000"), "simple")
    serve(world, case, "complaint_copy")
    return case


def test_prompt_then_warning_then_lock_at_the_exact_instants(world, case):
    schedule = node(case, "CIV-SIMPLE-SCHEDULE")
    assert schedule.level == "important" and schedule.prompt_at < schedule.warn_at < schedule.due_at

    sweep_run(at=schedule.prompt_at - dt.timedelta(seconds=1))
    assert node(case, "CIV-SIMPLE-SCHEDULE").prompted_at is None
    sweep_run(at=schedule.prompt_at)
    assert node(case, "CIV-SIMPLE-SCHEDULE").prompted_at == schedule.prompt_at
    assert Notification.objects.filter(case=case, kind="prompt", recipient=case.judge.user).exists()

    sweep_run(at=schedule.warn_at)
    assert node(case, "CIV-SIMPLE-SCHEDULE").warned_at == schedule.warn_at
    warning = Notification.objects.get(case=case, kind="warning", node=schedule)
    assert "锁定" in warning.title  # an important node's warning says the case will lock

    sweep_run(at=schedule.due_at - dt.timedelta(microseconds=1))
    case.refresh_from_db()
    assert not case.locked
    sweep_run(at=schedule.due_at)
    case.refresh_from_db()
    assert case.locked and case.lock_count == 1
    assert node(case, "CIV-SIMPLE-SCHEDULE").status == "locked"
    lock = CaseLock.objects.get(case=case)
    assert lock.sequence == 1 and lock.node_id == schedule.pk
    recipients = set(
        Notification.objects.filter(case=case, kind="lock").values_list("recipient", flat=True)
    )
    assert recipients == {case.judge.user_id, case.division.head.user_id}
    assert AuditEvent.objects.filter(case_id=case.pk, action="case.locked").count() == 1


def test_a_general_node_overdue_is_reported_to_the_division_head_and_does_not_lock(world, case):
    disclose = node(case, "PUB-FILING-DISCLOSE")
    assert disclose.level == "general"
    sweep_run(at=disclose.due_at)
    assert node(case, "PUB-FILING-DISCLOSE").status == "overdue"
    case.refresh_from_db()
    assert not case.locked
    assert Notification.objects.filter(
        case=case, kind="overdue", recipient=case.division.head.user
    ).exists()


def test_a_partys_period_that_runs_out_lapses_without_blame(world, case):
    """The defendant's 15 days to answer (民诉法 art 128) are the party's: when they run out the
    node lapses, the judge hears the case can move on, and nobody is reported or locked."""
    answer = node(case, "CIV-ANSWER")
    assert answer.definition.party_side and answer.status == "open"
    result = sweep_run(at=answer.due_at)
    answer.refresh_from_db()
    assert answer.status == "lapsed" and result.lapsed >= 1
    assert SweepAction.objects.filter(instance=answer, kind="lapse").count() == 1
    assert not SweepAction.objects.filter(instance=answer, kind__in=["overdue", "lock"]).exists()
    notes = Notification.objects.filter(case=case, node=answer)
    told = set(notes.filter(kind="lapsed").values_list("recipient_id", flat=True))
    assert judge_of(case).pk in told  # and the team's assistants: the node is theirs
    assert not notes.filter(recipient=case.division.head.user).exists()
    case.refresh_from_db()
    live = NodeInstance.objects.filter(case=case, status__in=["open", "overdue", "locked"])
    assert case.next_due_at == min(n.grace_until or n.due_at for n in live if n.due_at)
    actions = SweepAction.objects.filter(instance=answer).count()
    sweep_run(at=answer.due_at)
    assert SweepAction.objects.filter(instance=answer).count() == actions


def test_running_twice_changes_nothing_twice(world, case):
    at = node(case, "CIV-SIMPLE-SCHEDULE").due_at + dt.timedelta(hours=1)
    first = sweep_run(at=at)
    counts = (
        SweepAction.objects.count(),
        Notification.objects.count(),
        AuditEvent.objects.count(),
        CaseLock.objects.count(),
    )
    second = sweep_run(at=at)
    assert first.acted > 0 and second.acted == 0
    assert counts == (
        SweepAction.objects.count(),
        Notification.objects.count(),
        AuditEvent.objects.count(),
        CaseLock.objects.count(),
    )


def test_queries_per_batch_stay_constant(world):
    for n in (2, 12):
        cases = [
            triage_and_assign(world, register(world, "civil_simple"), "simple") for _ in range(n)
        ]
        for c in cases:
            serve(world, c, "complaint_copy")
        at = max(node(c, "CIV-SIMPLE-SCHEDULE").due_at for c in cases) + dt.timedelta(minutes=1)
        with CaptureQueriesContext(connection) as queries:
            result = sweep_run(at=at)
        assert result.batches == 1
        if n == 2:
            small = len(queries)
        else:
            assert len(queries) == small


def _lock(world, case):
    sweep_run(at=node(case, "CIV-SIMPLE-SCHEDULE").due_at)
    case.refresh_from_db()
    assert case.locked
    return case


def test_a_locked_case_refuses_every_door(world, case):
    case = _lock(world, case)
    judge = judge_of(case)
    # services
    with pytest.raises(Conflict) as refused:
        services.case_event_record(actor=judge, case=case, code="defence_received")
    assert refused.value.code == "case_locked"
    assert (
        refused.value.detail["node"] == "CIV-SIMPLE-SCHEDULE" and refused.value.detail["unlock_by"]
    )
    with pytest.raises(Conflict):
        services.approval_request(
            actor=judge, case=case, kind="extension", reason="x", payload={"months": 1}
        )
    # the API answers 409 naming the node, its deadline and who can unlock
    api = APIClient()
    api.force_authenticate(judge)
    resp = api.post(
        f"/api/cases/{case.pk}/actions/", {"action": "event:defence_received"}, format="json"
    )
    assert resp.status_code == 409
    body = resp.json()
    assert body["code"] == "case_locked" and "简易程序立案后确定开庭时间" in body["message"]
    assert "庭长" in body["message"] and body["detail"]["due_at"]
    assert (
        api.post(
            f"/api/cases/{case.pk}/hearings/",
            {
                "starts_at": "2030-01-01T09:00:00+08:00",
                "ends_at": "2030-01-01T10:00:00+08:00",
                "online": True,
            },
            format="json",
        ).status_code
        == 409
    )
    # tasks (an integration reporting an event)
    assert (
        case_event_record_external(case.pk, "defence_received", timezone.now().isoformat())
        == "case_locked"
    )
    # the admin cannot change a case at all
    admin = Client()
    admin.force_login(case.division.head.user)
    assert admin.post(f"/admin/cases/case/{case.pk}/change/", {}).status_code == 403
    # and nothing was written by any of them
    assert not case.events.filter(code="defence_received").exists()


def test_first_unlock_by_the_division_head_then_grace_then_relock_for_the_president(world, case):
    case = _lock(world, case)
    judge, head, president = judge_of(case), case.division.head.user, world.user("president")
    request = services.approval_request(
        actor=judge, case=case, kind="unlock", reason="当事人下落不明，已改为公告"
    )
    assert request.approver_role == "division_head"
    with pytest.raises(NotAllowed):
        case_unlock(
            actor=president, case=case, reason="x", new_due_at=timezone.now() + dt.timedelta(days=3)
        )
    with pytest.raises(InvalidInput) as refused:
        services.approval_decide(
            actor=head,
            approval=request,
            approve=True,
            reason="同意",
            new_due_at=timezone.now() + dt.timedelta(days=20),
        )
    assert refused.value.code == "grace_too_long"
    grace = timezone.now() + dt.timedelta(days=5)
    services.approval_decide(
        actor=head, approval=request, approve=True, reason="同意，五日内排期", new_due_at=grace
    )
    case.refresh_from_db()
    assert not case.locked
    schedule = node(case, "CIV-SIMPLE-SCHEDULE")
    assert schedule.status == "open" and schedule.grace_until == grace and schedule.round == 1
    lock = CaseLock.objects.get(case=case, sequence=1)
    assert (
        lock.unlocked_by == head
        and lock.unlock_reason == "同意，五日内排期"
        and lock.new_due_at == grace
    )
    # No lock again inside the grace, however often the sweep runs.
    sweep_run(at=grace - dt.timedelta(seconds=1))
    case.refresh_from_db()
    assert not case.locked
    # After the grace: the second lock, which only a president unlocks.
    sweep_run(at=grace)
    case.refresh_from_db()
    assert case.locked and case.lock_count == 2
    assert CaseLock.objects.get(case=case, unlocked_at__isnull=True).sequence == 2
    with pytest.raises(NotAllowed):
        case_unlock(
            actor=head, case=case, reason="x", new_due_at=timezone.now() + dt.timedelta(days=3)
        )
    case_unlock(
        actor=president,
        case=case,
        reason="院长批准",
        new_due_at=timezone.now() + dt.timedelta(days=3),
    )
    case.refresh_from_db()
    assert not case.locked
    assert list(
        CaseLock.objects.filter(case=case).order_by("sequence").values_list("sequence", flat=True)
    ) == [1, 2]


def test_unlock_api_roles_scope_and_state(world, case):
    api = APIClient()
    due = (timezone.now() + dt.timedelta(days=3)).isoformat()
    api.force_authenticate(case.division.head.user)
    resp = api.post(
        f"/api/cases/{case.pk}/unlock/", {"reason": "x", "new_due_at": due}, format="json"
    )
    assert resp.status_code == 409 and resp.json()["code"] == "not_locked"
    case = _lock(world, case)
    api.force_authenticate(judge_of(case))
    assert (
        api.post(
            f"/api/cases/{case.pk}/unlock/", {"reason": "x", "new_due_at": due}, format="json"
        ).status_code
        == 403
    )
    other_head = world.user("head-criminal")
    api.force_authenticate(other_head)
    assert (
        api.post(
            f"/api/cases/{case.pk}/unlock/", {"reason": "x", "new_due_at": due}, format="json"
        ).status_code
        == 404
    )
    api.force_authenticate(case.division.head.user)
    resp = api.post(
        f"/api/cases/{case.pk}/unlock/", {"reason": "补排期", "new_due_at": due}, format="json"
    )
    assert resp.status_code == 200 and resp.json()["sequence"] == 1
    resp = api.post(
        f"/api/cases/{case.pk}/unlock/", {"reason": "again", "new_due_at": due}, format="json"
    )
    assert resp.status_code == 409


def test_the_admin_unlock_action_calls_the_same_service(world, case):
    case = _lock(world, case)
    client = Client()
    client.force_login(case.division.head.user)
    page = client.post(
        "/admin/cases/case/", {"action": "unlock_selected", "_selected_action": [case.pk]}
    )
    assert page.status_code == 200 and "new_due_at" in page.content.decode()
    due = timezone.localtime(timezone.now() + dt.timedelta(days=2)).strftime("%Y-%m-%d %H:%M")
    resp = client.post(
        "/admin/cases/case/",
        {
            "action": "unlock_selected",
            "_selected_action": [case.pk],
            "apply": "1",
            "reason": "管理后台解锁",
            "new_due_at": due,
        },
    )
    assert resp.status_code == 302
    case.refresh_from_db()
    assert not case.locked
    assert AuditEvent.objects.filter(
        case_id=case.pk, action="case.unlocked", source="admin"
    ).exists()


def test_a_lock_sends_text_messages_after_commit_and_a_failed_send_is_retried(
    world, case, monkeypatch
):
    LoggingSmsBackend.sent = []
    result = sweep_run(at=node(case, "CIV-SIMPLE-SCHEDULE").due_at)
    pending = list(
        Notification.objects.filter(send_sms=True, texted_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    assert result.external == len(pending) == 2  # the judge and the division head
    calls = {"n": 0}
    original = LoggingSmsBackend.send

    def flaky(self, phone, text, *, name=""):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError("gateway down")
        return original(self, phone, text, name=name)

    monkeypatch.setattr(LoggingSmsBackend, "send", flaky)
    sent, failed = notifications_deliver(ids=pending)
    assert failed == 1 and sent == len(pending) - 1
    failed_note = Notification.objects.get(attempts=1)
    assert "gateway down" in failed_note.last_error and failed_note.texted_at is None
    sent, failed = notifications_deliver()  # the minutely catch-up
    assert (sent, failed) == (1, 0)
    assert (
        Notification.objects.filter(kind="lock", send_sms=True, texted_at__isnull=True).count() == 0
    )
    assert notifications_deliver() == (0, 0)  # nothing is sent twice


def test_a_supervised_case_entering_litigation_texts_the_presidents(world):
    LoggingSmsBackend.sent = []
    case = register(world, "civil_ordinary", claim_amount="5000000", supervision_category=2)
    notes = Notification.objects.filter(case=case, kind="supervised")
    assert {n.recipient.username for n in notes} == {"president", "vicepresident"}
    notifications_deliver()
    assert len(LoggingSmsBackend.sent) == 2 and case.number in LoggingSmsBackend.sent[0][1]


def test_the_daily_supervision_list(world, case):
    t0 = timezone.now()
    unserved = triage_and_assign(
        world, register(world, "civil_ordinary", claim_amount="900000"), "complex"
    )
    _lock(world, case)
    services.approval_request(actor=judge_of(case), case=case, kind="unlock", reason="请求解锁")
    api = APIClient()
    api.force_authenticate(case.division.head.user)
    with time_machine.travel(t0 + dt.timedelta(days=20), tick=False):
        sections = {s["key"]: s for s in api.get("/api/supervision/daily/").json()}
    assert set(sections) == {
        "not_served",
        "not_heard",
        "near_limit",
        "late_online",
        "enforcement_over",
        "locked",
        "unlock_requests",
        "open_suspensions",
    }
    locked = {r["number"]: r["lock_sequence"] for r in sections["locked"]["rows"]}
    assert locked[case.number] == 1
    assert [r["number"] for r in sections["unlock_requests"]["rows"]] == [case.number]
    not_served = [r["number"] for r in sections["not_served"]["rows"]]
    assert unserved.number in not_served and case.number not in not_served
    api.force_authenticate(judge_of(case))
    assert api.get("/api/supervision/daily/").status_code == 403


def test_the_sweep_runs_from_the_beat_schedule(world):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(name="courtflow: sweep every court")
    assert task.task == "nodes.tasks.sweep_fanout" and task.enabled
    assert (task.interval.every, task.interval.period) == (1, "minutes")


def test_the_inbox_shows_the_unread_count_and_marks_read(world, case):
    sweep_run(at=node(case, "CIV-SIMPLE-SCHEDULE").due_at)
    client = Client()
    client.force_login(judge_of(case))
    unread = Notification.objects.filter(recipient=judge_of(case), read_at__isnull=True).count()
    page = client.get("/nodes/inbox/").content.decode()
    assert 'class="badge bad"' in page and f">{unread}</span>" in page and case.number in page
    client.post("/nodes/inbox/", {"id": "all"})
    assert not Notification.objects.filter(recipient=judge_of(case), read_at__isnull=True).exists()
