"""The pages people work in, through Django's test client: the queue, the case page and its
forms, unlocks and decisions in the browser, the consoles of each role, in Chinese and
English; bad input shows errors next to the field and changes nothing; user text is escaped;
the queue and the case page cost the same number of queries however many cases there are."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import Approval, Case, CaseEvent, InterferenceRecord, SupervisionAction
from cases.tests.helpers import PARTIES, judge_of, register, serve, triage_and_assign
from courtflow.models import AuditEvent
from nodes.models import CaseLock, NodeInstance
from nodes.sweep import sweep_run

pytestmark = pytest.mark.django_db


def client_for(user, lang: str = "zh-hans") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    client.force_login(user)
    client.cookies["django_language"] = lang
    return client


@pytest.fixture
def case(world):
    case = triage_and_assign(world, register(world, "civil_simple", claim_amount="8000"), "simple")
    serve(world, case, "complaint_copy")
    return case


def lock(case) -> Case:
    soonest = (
        NodeInstance.objects.filter(case=case, status="open", level="important")
        .exclude(due_at=None)
        .order_by("due_at")
        .first()
    )
    sweep_run(at=soonest.due_at + dt.timedelta(minutes=1))
    case.refresh_from_db()
    assert case.locked
    return case


def post_action(client, case, code: str, **fields):
    """Post one of the case page's forms the way the browser does (prefixed fields)."""
    prefix = code.replace(":", "-")
    data = {"action": code, f"{prefix}-idempotency_key": fields.pop("key", uuid.uuid4())}
    data.update({f"{prefix}-{k}": v for k, v in fields.items()})
    return client.post(f"/cases/{case.pk}/act/", data)


# --- every role's pages, both languages ---------------------------------------------------

ROLE_PAGES = {
    "judge": ["/home/judge/", "/cases/"],
    "assistant": ["/home/assistant/", "/cases/"],
    "clerk": ["/home/clerk/", "/cases/"],
    "registrar": ["/home/registrar/", "/cases/register/"],
    "divhead": ["/home/division_head/", "/cases/"],
    "president": ["/home/president/", "/cases/?locked=yes"],
    "vicepresident": ["/home/vice_president/"],
    "trialmgr": ["/home/trial_manager/", "/nodes/calendar/", "/nodes/catalog/"],
    "mediator": ["/home/mediator/"],
    "service": ["/home/service_staff/"],
    "bailiff": ["/home/bailiff/"],
}


@pytest.mark.parametrize("lang,marker", [("zh-hans", "通知"), ("en", "Notifications")])
def test_every_roles_pages_open_in_chinese_and_english(world, case, lang, marker):
    lock(case)
    for username, paths in ROLE_PAGES.items():
        client = client_for(world.user(username), lang)
        for path in [*paths, "/cases/interference/", "/nodes/inbox/"]:
            resp = client.get(path)
            assert resp.status_code == 200, (username, path, resp.status_code)
            assert marker in resp.content.decode(), (username, path)


def test_the_queue_puts_locked_cases_first_with_badges_and_filters(world, case):
    lock(case)
    parties = [
        {"name": "欧阳明月", "role": "plaintiff", "kind": "person"},
        {"name": "北京某某物业管理有限公司", "role": "defendant", "kind": "organisation"},
    ]
    other = triage_and_assign(
        world, register(world, "civil_simple", claim_amount="9000", parties=parties), "simple"
    )
    other.team, other.judge = case.team, case.judge  # the same queue
    other.save(update_fields=["team", "judge"])
    client = client_for(judge_of(case), "en")
    page = client.get("/cases/").content.decode()
    assert page.index(case.number) < page.index(other.number)  # locked first
    assert 'class="badge locked"' in page
    only_locked = client.get("/cases/?locked=yes").content.decode()
    assert case.number in only_locked and other.number not in only_locked
    by_party = client.get("/cases/", {"q": "欧阳"}).content.decode()
    assert other.number in by_party and case.number not in by_party
    bad = client.get("/cases/?due=forever")
    assert bad.status_code == 200 and "field-error" in bad.content.decode()
    # The htmx filter swaps only the results.
    partial = client.get("/cases/?locked=yes", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and case.number in partial
    # The filters speak the judge's language.
    chinese = client_for(judge_of(case)).get("/cases/").content.decode()
    assert "案号或当事人" in chinese and "仅四类案件" in chinese and "Any time" not in chinese


def test_a_judge_sees_only_the_teams_cases(world, case):
    outsider = next(
        p for p in world.people.values() if p.role == "judge" and p.user_id != case.judge.user_id
    )
    client = client_for(outsider.user)
    assert case.number not in client.get("/cases/").content.decode()
    assert client.get(f"/cases/{case.pk}/").status_code == 404


def test_recording_an_event_from_the_case_page(world, case):
    client = client_for(judge_of(case))
    key = uuid.uuid4()
    resp = post_action(client, case, "event:process_disclosed", key=key)
    assert resp.status_code == 302
    assert CaseEvent.objects.filter(case=case, code="process_disclosed").count() == 1
    assert AuditEvent.objects.filter(
        case_id=case.pk, action="case.event.process_disclosed", source="web"
    ).exists()
    # The same form submitted twice records once.
    again = post_action(client, case, "event:process_disclosed", key=key)
    assert again.status_code == 302
    assert CaseEvent.objects.filter(case=case, code="process_disclosed").count() == 1
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "审判流程信息公开" in page  # the audit timeline names the event


def test_bad_input_shows_the_error_next_to_the_field_and_changes_nothing(world, case):
    client = client_for(judge_of(case), "en")
    before = (CaseEvent.objects.count(), AuditEvent.objects.count())
    start = timezone.localtime() + dt.timedelta(days=5)
    resp = post_action(
        client,
        case,
        "hearing:schedule",
        starts_at=start.strftime("%Y-%m-%dT%H:%M"),
        ends_at=(start - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
    )
    assert resp.status_code == 400
    body = resp.content.decode()
    assert "The end must be after the start." in body
    assert body.index('name="hearing-schedule-ends_at"') < body.index("The end must be after")
    resp = post_action(client, case, "request:extension", reason="", months="2")
    assert resp.status_code == 400 and "field-error" in resp.content.decode()
    assert (CaseEvent.objects.count(), AuditEvent.objects.count()) == before


def test_csrf_is_enforced(world, case):
    client = Client(enforce_csrf_checks=True)
    client.force_login(judge_of(case))
    resp = client.post(f"/cases/{case.pk}/act/", {"action": "event:process_disclosed"})
    assert resp.status_code == 403
    assert not CaseEvent.objects.filter(case=case, code="process_disclosed").exists()


def test_user_text_is_escaped_everywhere_it_is_shown(world):
    evil = "<script>alert(1)</script>"
    case = triage_and_assign(
        world,
        register(
            world,
            "civil_simple",
            parties=[
                {"name": evil, "role": "plaintiff", "kind": "person"},
                PARTIES["first_instance"][1],
            ],
        ),
        "simple",
    )
    client = client_for(judge_of(case))
    for path in (f"/cases/{case.pk}/", f"/cases/?q={evil}"):
        body = client.get(path).content.decode()
        assert evil not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body, path


def test_a_locked_case_page_says_why_and_offers_nothing_but_an_unlock_request(world, case):
    lock(case)
    client = client_for(judge_of(case), "en")
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Why this case is locked" in page and "the division head approves an unlock" in page
    assert "Request an unlock" in page and "Schedule a hearing" not in page
    resp = post_action(client, case, "event:process_disclosed")
    assert resp.status_code == 302
    assert not CaseEvent.objects.filter(case=case, code="process_disclosed").exists()
    shown = client.get(f"/cases/{case.pk}/").content.decode()
    assert "is locked" in shown  # the refusal message names the node and who unlocks


def test_unlock_in_the_browser_by_the_division_head_and_not_by_the_judge(world, case):
    lock(case)
    new_due = (timezone.localtime() + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    judge = client_for(judge_of(case), "en")
    refused = judge.post(f"/cases/{case.pk}/unlock/", {"reason": "x", "new_due_at": new_due})
    assert refused.status_code == 403
    case.refresh_from_db()
    assert case.locked
    # The judge asks; the head's console shows the request beside the overdue node.
    post_action(judge, case, "request:unlock", reason="已改为公告送达")
    head = client_for(case.division.head.user, "en")
    console = head.get("/home/division_head/").content.decode()
    row = console[console.index(case.number) :][:3000]
    node = CaseLock.objects.get(case=case).node.definition
    assert node.name_en in row and "已改为公告送达" in row
    too_long = (timezone.localtime() + dt.timedelta(days=40)).strftime("%Y-%m-%dT%H:%M")
    resp = head.post(f"/cases/{case.pk}/unlock/", {"reason": "补正", "new_due_at": too_long})
    assert resp.status_code == 400 and "field-error" in resp.content.decode()
    resp = head.post(
        f"/cases/{case.pk}/unlock/",
        {"reason": "当事人已补正", "new_due_at": new_due, "next": "/home/division_head/"},
    )
    assert resp.status_code == 302 and resp["Location"] == "/home/division_head/"
    case.refresh_from_db()
    assert not case.locked
    assert CaseLock.objects.get(case=case).unlock_reason == "当事人已补正"
    # Twice is harmless: the second says the case is not locked.
    again = head.post(f"/cases/{case.pk}/unlock/", {"reason": "again", "new_due_at": new_due})
    assert again.status_code == 409 and CaseLock.objects.filter(case=case).count() == 1


def test_requests_and_decisions_in_the_browser(world):
    case = triage_and_assign(
        world, register(world, "civil_ordinary", claim_amount="900000"), "complex"
    )
    judge = client_for(judge_of(case))
    resp = post_action(
        judge, case, "request:suspension", reason="委托鉴定", suspension_kind="appraisal"
    )
    assert resp.status_code == 302
    approval = Approval.objects.get(case=case, kind="suspension")
    # The judge's case page says whose decision it waits for.
    assert "待庭长审批" in judge.get(f"/cases/{case.pk}/").content.decode()
    head = client_for(case.division.head.user)
    console = head.get("/home/division_head/").content.decode()
    assert case.number in console and f"decide-{approval.pk}-reason" in console
    resp = head.post(
        f"/cases/approvals/{approval.pk}/decide/",
        {f"decide-{approval.pk}-decision": "approve", f"decide-{approval.pk}-reason": "同意"},
    )
    assert resp.status_code == 302
    approval.refresh_from_db()
    assert approval.status == "approved"
    case.refresh_from_db()
    assert case.clock_paused


def test_the_president_supervises_and_reads_three_rules_records(world):
    case = triage_and_assign(
        world,
        register(world, "civil_ordinary", claim_amount="900000", supervision_category=2),
        "complex",
    )
    president = client_for(world.user("president"))
    assert case.number in president.get("/home/president/").content.decode()
    resp = president.post(f"/cases/{case.pk}/supervise/", {"kind": "urge", "text": "请加快审理"})
    assert resp.status_code == 302
    assert SupervisionAction.objects.get(case=case).text == "请加快审理"
    judge = client_for(judge_of(case))
    assert (
        judge.post(f"/cases/{case.pk}/supervise/", {"kind": "urge", "text": "x"}).status_code == 403
    )
    occurred = (timezone.localtime() - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    resp = judge.post(
        "/cases/interference/",
        {
            "kind": "internal",
            "intervener": "某某",
            "intervener_position": "某院干部",
            "occurred_at": occurred,
            "case_number": case.number,
            "description": "电话询问案件进展",
        },
    )
    assert resp.status_code == 302
    record = InterferenceRecord.objects.get()
    assert record.case == case and record.recorded_by == judge_of(case)
    assert "某某" in president.get("/home/president/").content.decode()
    bad = judge.post("/cases/interference/", {"kind": "internal", "intervener": ""})
    assert bad.status_code == 400 and InterferenceRecord.objects.count() == 1


def test_lock_records_export_is_spreadsheet_safe_and_scoped(world, case):
    lock(case)
    head = client_for(case.division.head.user)
    resp = head.get("/cases/exports/locks.csv")
    body = b"".join(resp.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff") and case.number in body
    assert client_for(judge_of(case)).get("/cases/exports/locks.csv").status_code == 404
    # The same rows as a workbook, Chinese intact; the division head's console links both.
    import io

    import openpyxl

    book = openpyxl.load_workbook(
        io.BytesIO(b"".join(head.get("/cases/exports/locks.xlsx").streaming_content)),
        read_only=True,
    )
    values = list(book.worksheets[0].iter_rows(values_only=True))
    assert values[0][0] == "案号" and values[1][0] == case.number and values[1][4] == 1
    assert "/cases/exports/locks.xlsx" in head.get("/home/division_head/").content.decode()
    assert client_for(judge_of(case)).get("/cases/exports/locks.xlsx").status_code == 404


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_queue_and_case_page_queries_do_not_grow_with_the_number_of_cases(world, case):
    client = client_for(judge_of(case))
    _queries(client, f"/cases/{case.pk}/")  # fills the per-process catalog caches
    first = (_queries(client, "/cases/"), _queries(client, f"/cases/{case.pk}/"))
    for _ in range(12):
        more = register(world, "civil_simple", claim_amount="5000")
        triage_and_assign(world, more, "simple")
    Case.objects.exclude(pk=case.pk).update(team=case.team, judge=case.judge)
    assert Case.objects.filter(team=case.team).count() >= 13
    later = (_queries(client, "/cases/"), _queries(client, f"/cases/{case.pk}/"))
    assert later == first


def test_other_steps_are_listed_by_name_and_their_forms_fetched_when_opened(world, case):
    import re

    client = client_for(judge_of(case))
    page = client.get(f"/cases/{case.pk}/").content.decode()
    lazy = re.findall(rf'hx-get="/cases/{case.pk}/act/\?action=([^"]+)"', page)
    assert lazy, "the case page lists other steps"
    code = lazy[0].replace("%3A", ":")
    assert f'name="action" value="{code}"' not in page  # not rendered until asked for
    partial = client.get(f"/cases/{case.pk}/act/", {"action": code}, HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert partial.status_code == 200 and "<html" not in body
    assert f'name="action" value="{code}"' in body and "csrfmiddlewaretoken" in body
    # Without JavaScript, the link opens the case page with that form open.
    full = client.get(f"/cases/{case.pk}/act/", {"action": code}).content.decode()
    assert "<html" in full and f'name="action" value="{code}"' in full
    # A step that is not open says so.
    gone = client.get(f"/cases/{case.pk}/act/", {"action": "event:nope"}, HTTP_HX_REQUEST="true")
    assert gone.status_code == 409 and "form-error" in gone.content.decode()
