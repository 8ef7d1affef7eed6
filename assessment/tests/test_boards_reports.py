"""Disclosure boards with correction requests, and work reports confirmed up the chain
(丰台): who may do what, what is recorded, and bad input changing nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from assessment.models import BoardCorrection, WorkReport
from assessment.services import (
    _current_team,
    work_report_decide,
    work_report_save,
    work_report_submit,
    work_reports_to_confirm,
)
from courtflow.errors import Conflict, InvalidInput, NotAllowed
from courtflow.models import AuditEvent
from teams.models import Membership, Person

pytestmark = pytest.mark.django_db


def client(user) -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    c.force_login(user)
    return c


def test_a_team_asks_for_a_correction_and_the_trial_manager_answers(world):
    judge = client(world.user("judge"))
    page = judge.get("/stats/board/").content.decode()
    assert "人力资源系数" in page and _current_team(world.judge).name in page
    bad = judge.post("/stats/board/", {"board": "targets", "text": "  "})
    assert bad.status_code == 400 and "field-error" in bad.content.decode()
    assert not BoardCorrection.objects.exists()
    ok = judge.post("/stats/board/", {"board": "targets", "text": "团队书记员已调出，系数应为2.2"})
    assert ok.status_code == 302
    correction = BoardCorrection.objects.get()
    assert correction.team == _current_team(world.judge) and correction.status == "open"
    assert AuditEvent.objects.filter(action="board_correction.requested").count() == 1
    # The judge cannot answer; the trial manager can, once.
    form = {"correction": correction.pk, "decision": "accept", f"a{correction.pk}-answer": "已更正"}
    refused = judge.post("/stats/board/", form)
    assert refused.status_code == 403
    manager = client(world.user("trialmgr"))
    assert "团队书记员已调出" in manager.get("/stats/board/").content.decode()
    assert manager.post("/stats/board/", form).status_code == 302
    correction.refresh_from_db()
    assert (correction.status, correction.answer) == ("accepted", "已更正")
    again = manager.post("/stats/board/", form)
    assert again.status_code == 409
    assert AuditEvent.objects.filter(action="board_correction.answered").count() == 1


def team_judge_of(person: Person) -> Person:
    team = _current_team(person)
    return Membership.objects.get(team=team, position="judge", ended_on__isnull=True).person


def test_an_assistants_report_is_confirmed_by_the_teams_judge(world):
    assistant = world.assistant
    today = timezone.localdate()
    report = work_report_save(
        actor=assistant.user,
        start=today.replace(day=1),
        end=today,
        summary="送达120件，起草文书30份",
    )
    assert report.status == "draft"
    report = work_report_submit(actor=assistant.user, report=report)
    assert report.status == "submitted" and report.confirmer_role == "team_judge"
    assert "closed_as_judge" in report.figures and report.figures["team"]
    with pytest.raises(Conflict):
        work_report_save(actor=assistant.user, start=today, end=today, summary="x", report=report)
    judge = team_judge_of(assistant)
    other_judge = (
        Person.objects.filter(court=world.court, role="judge").exclude(pk=judge.pk).first()
    )
    with pytest.raises(NotAllowed):
        work_report_decide(actor=other_judge.user, report=report, confirm=True)
    assert report in work_reports_to_confirm(judge)
    with pytest.raises(InvalidInput):  # returning needs a comment
        work_report_decide(actor=judge.user, report=report, confirm=False)
    report = work_report_decide(
        actor=judge.user, report=report, confirm=False, comment="补充调解数"
    )
    assert report.status == "returned"
    report = work_report_save(
        actor=assistant.user,
        start=today.replace(day=1),
        end=today,
        summary="送达120件，调解8件",
        report=report,
    )
    work_report_submit(actor=assistant.user, report=report)
    report = work_report_decide(actor=judge.user, report=report, confirm=True)
    assert report.status == "confirmed" and report.decided_by == judge.user
    actions = list(
        AuditEvent.objects.filter(action__startswith="work_report.").values_list(
            "action", flat=True
        )
    )
    assert actions.count("work_report.submitted") == 2 and "work_report.confirmed" in actions


def test_the_chain_for_a_division_head_and_a_president(world):
    today = timezone.localdate()
    head = world.divhead
    report = work_report_save(actor=head.user, start=today, end=today, summary="庭务管理")
    report = work_report_submit(actor=head.user, report=report)
    assert report.confirmer_role == "vice_president"
    with pytest.raises(NotAllowed):
        work_report_decide(actor=world.judge.user, report=report, confirm=True)
    work_report_decide(actor=world.vicepresident.user, report=report, confirm=True)
    with pytest.raises(NotAllowed):
        work_report_save(actor=world.president.user, start=today, end=today, summary="x")


@pytest.mark.parametrize(
    "start,end,summary",
    [
        ("2026-06-30", "2026-06-01", "倒置"),
        ("2025-01-01", "2026-06-01", "超过一年"),
        ("2026-06-01", "2026-06-30", ""),
        ("2026-06-01", "2026-06-30", "长" * 5001),
    ],
)
def test_bad_reports_are_refused_with_the_field_and_nothing_written(world, start, end, summary):
    page = client(world.user("assistant")).post(
        "/stats/reports/", {"op": "save", "start": start, "end": end, "summary": summary}
    )
    assert page.status_code == 400 and "field-error" in page.content.decode()
    assert not WorkReport.objects.exists()


def test_reports_page_round_trip_in_the_browser_forms(world):
    assistant = client(world.user("assistant"))
    today = timezone.localdate()
    resp = assistant.post(
        "/stats/reports/",
        {
            "op": "save",
            "start": f"{today.replace(day=1)}",
            "end": f"{today}",
            "summary": "本月工作",
        },
    )
    assert resp.status_code == 302
    report = WorkReport.objects.get()
    assert (
        assistant.post("/stats/reports/", {"op": "submit", "report": report.pk}).status_code == 302
    )
    judge = client(team_judge_of(world.assistant).user)
    page = judge.get("/stats/reports/").content.decode()
    assert "本月工作" in page and "等待您确认" in page
    resp = judge.post("/stats/reports/", {"op": "confirm", "report": report.pk})
    assert resp.status_code == 302
    report.refresh_from_db()
    assert report.status == "confirmed"


def test_the_list_to_confirm_is_exactly_who_may_confirm(world):
    """One report submitted by a person of every role: each person's list to confirm holds
    exactly the reports ``may_confirm`` lets them decide, in one query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from assessment.services import may_confirm

    today = timezone.localdate()
    people = list(Person.objects.filter(court=world.court, is_active=True).select_related("user"))
    by_role: dict[str, Person] = {}
    for p in people:
        by_role.setdefault(p.role, p)
    reports = []
    for p in by_role.values():
        try:
            report = work_report_save(
                actor=p.user, start=today.replace(day=1), end=today, summary="本月工作"
            )
            reports.append(work_report_submit(actor=p.user, report=report))
        except NotAllowed:
            continue  # a role without a confirmer (the president)
    assert {r.confirmer_role for r in reports} >= {"team_judge", "division_head", "vice_president"}
    for p in people:
        with CaptureQueriesContext(connection) as queries:
            listed = set(work_reports_to_confirm(p))
        assert len(queries) == 1
        assert listed == {r for r in reports if may_confirm(p, r)}, p.role
