"""The case API, scoped by role: register, list, detail with the 审限, nodes, actions, approvals,
service requests — and the registrar's form."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from rest_framework.test import APIClient

from cases.models import Case, ServiceRequest
from cases.tests.helpers import PARTIES, register, triage_and_assign
from courtflow.models import AuditEvent
from teams.roles import Role
from teams.tests.factories import CourtFactory, PersonFactory

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_register_through_the_api_and_read_it_back(world):
    client = api(world.user("registrar"))
    body = {
        "procedure": "civil_simple",
        "cause": "买卖合同纠纷",
        "claim_amount": "12000.50",
        "parties": [
            {
                "name": "张三",
                "role": "plaintiff",
                "kind": "person",
                "id_number": "11010519491231002X",
            },
            {"name": "李四", "role": "defendant"},
        ],
    }
    key = str(uuid.uuid4())
    resp = client.post("/api/cases/", body, format="json", headers={"Idempotency-Key": key})
    assert resp.status_code == 201, resp.content
    created = resp.json()
    assert created["number"].endswith("号") and created["stage"] == "filed"
    assert created["parties"][0]["id_number"] == "110*************2X"  # masked
    assert created["days_left"] > 80
    again = client.post("/api/cases/", body, format="json", headers={"Idempotency-Key": key})
    assert again.status_code == 409 and again.json()["code"] == "duplicate_submission"
    assert Case.objects.count() == 1


def test_bad_registration_answers_400_naming_the_field(world):
    client = api(world.user("registrar"))
    resp = client.post(
        "/api/cases/", {"procedure": "civil_simple", "cause": "x", "parties": []}, format="json"
    )
    assert resp.status_code == 400 and resp.json()["detail"]["field"] == "parties"
    resp = client.post(
        "/api/cases/", {"procedure": "nope", "cause": "x", "parties": []}, format="json"
    )
    assert resp.status_code == 400 and "procedure" in resp.json()["detail"]
    assert not Case.objects.exists()


def test_a_judge_sees_only_the_teams_cases_and_others_answer_404(world):
    mine = triage_and_assign(
        world, register(world, "civil_ordinary", claim_amount="2000000"), "complex"
    )
    judge = mine.judge.user
    other = triage_and_assign(
        world, register(world, "criminal_ordinary", cause="盗窃罪", family="criminal"), "complex"
    )
    client = api(judge)
    listed = [c["number"] for c in client.get("/api/cases/").json()["results"]]
    assert listed == [mine.number]
    assert client.get(f"/api/cases/{other.pk}/").status_code == 404
    assert client.get(f"/api/cases/{other.pk}/nodes/").status_code == 404
    stranger = PersonFactory(court=CourtFactory(), role=Role.PRESIDENT)
    assert api(stranger.user).get(f"/api/cases/{mine.pk}/").status_code == 404
    president = api(world.user("president"))
    assert {c["number"] for c in president.get("/api/cases/").json()["results"]} == {
        mine.number,
        other.number,
    }


def test_search_by_case_number_or_party_name(world):
    case = register(
        world,
        "civil_simple",
        parties=[
            {"name": "王大锤", "role": "plaintiff", "kind": "person"},
            PARTIES["first_instance"][1],
        ],
    )
    register(world, "civil_simple")
    client = api(world.user("president"))
    assert [c["id"] for c in client.get("/api/cases/", {"q": "大锤"}).json()["results"]] == [
        case.pk
    ]
    assert [c["id"] for c in client.get("/api/cases/", {"q": case.number}).json()["results"]] == [
        case.pk
    ]


def test_detail_nodes_and_actions(world):
    case = triage_and_assign(world, register(world, "civil_simple"), "simple")
    client = api(case.judge.user)
    detail = client.get(f"/api/cases/{case.pk}/").json()
    assert (
        detail["trial_limit_due_at"] and detail["locked"] is False and detail["stage"] == "pretrial"
    )
    nodes = client.get(f"/api/cases/{case.pk}/nodes/").json()
    limit = next(n for n in nodes if n["code"] == "CIV-SIMPLE-LIMIT")
    assert limit["status"] == "open" and limit["legal_basis"].startswith("《民事诉讼法》")
    actions = {a["code"]: a for a in client.get(f"/api/cases/{case.pk}/actions/").json()}
    assert "hearing:schedule" in actions and "request:extension" in actions
    assert "event:judgment_pronounced" not in actions  # not before a hearing
    resp = client.post(
        f"/api/cases/{case.pk}/actions/", {"action": "event:defence_received"}, format="json"
    )
    assert resp.status_code == 200
    resp = client.post(
        f"/api/cases/{case.pk}/actions/", {"action": "event:judgment_effective"}, format="json"
    )
    assert resp.status_code == 409 and resp.json()["code"] == "wrong_stage"
    resp = client.post(
        f"/api/cases/{case.pk}/actions/", {"action": "event:teleport"}, format="json"
    )
    assert resp.status_code == 400
    registrar = api(world.user("registrar"))
    assert (
        registrar.post(
            f"/api/cases/{case.pk}/actions/", {"action": "event:defence_received"}, format="json"
        ).status_code
        == 404
    )  # no longer in filing: out of the registrar's scope


def test_approvals_through_the_api(world):
    case = triage_and_assign(
        world, register(world, "civil_ordinary", claim_amount="2000000"), "complex"
    )
    resp = api(case.judge.user).post(
        "/api/approvals/",
        {"case": case.pk, "kind": "extension", "reason": "复杂", "payload": {"months": 2}},
        format="json",
    )
    assert resp.status_code == 201
    approval_id = resp.json()["id"]
    pending = api(world.user("president")).get("/api/approvals/").json()
    assert [a["id"] for a in pending] == [approval_id]
    wrong = api(case.division.head.user).post(
        f"/api/approvals/{approval_id}/decide/", {"approve": True, "reason": "同意"}, format="json"
    )
    assert wrong.status_code == 403
    ok = api(world.user("president")).post(
        f"/api/approvals/{approval_id}/decide/", {"approve": True, "reason": "同意"}, format="json"
    )
    assert ok.status_code == 200 and ok.json()["status"] == "approved"
    twice = api(world.user("vicepresident")).post(
        f"/api/approvals/{approval_id}/decide/",
        {"approve": False, "reason": "不同意"},
        format="json",
    )
    assert twice.status_code == 409


def test_service_requests_land_in_the_service_centre_queue(world):
    case = triage_and_assign(world, register(world, "civil_simple"), "simple")
    party = case.parties.get(role="defendant")
    resp = api(case.judge.user).post(
        "/api/service-requests/",
        {"case": case.pk, "document": "complaint_copy", "party": party.pk},
        format="json",
    )
    assert resp.status_code == 201
    staff = api(world.user("service"))
    queue = staff.get("/api/service-requests/").json()
    assert [r["case_number"] for r in queue] == [case.number]
    request_id = queue[0]["id"]
    resp = staff.post(
        f"/api/service-requests/{request_id}/attempts/",
        {"method": "post", "result": "not_found"},
        format="json",
    )
    assert resp.status_code == 200 and resp.json()["status"] == "in_progress"
    resp = staff.post(
        f"/api/service-requests/{request_id}/attempts/",
        {"method": "electronic", "result": "served"},
        format="json",
    )
    assert resp.status_code == 200 and resp.json()["status"] == "served"
    assert ServiceRequest.objects.get(pk=request_id).attempts.count() == 2
    assert (
        api(case.judge.user)
        .post(
            f"/api/service-requests/{request_id}/attempts/",
            {"method": "electronic", "result": "served"},
            format="json",
        )
        .status_code
        == 403
    )


def test_the_registrar_form_registers_and_shows_errors_next_to_fields(world):
    client = Client()
    client.force_login(world.user("registrar"))
    page = client.get("/cases/register/")
    assert page.status_code == 200 and "登记" in page.content.decode()
    key = str(uuid.uuid4())
    data = {
        "procedure": "civil_simple",
        "cause": "民间借贷纠纷",
        "claim_amount": "5000",
        "supervision_category": "0",
        "file_now": "on",
        "idempotency_key": key,
        "party-TOTAL_FORMS": "4",
        "party-INITIAL_FORMS": "0",
        "party-MIN_NUM_FORMS": "0",
        "party-MAX_NUM_FORMS": "20",
        "party-0-name": "张三",
        "party-0-role": "plaintiff",
        "party-0-kind": "person",
        "party-1-name": "李四",
        "party-1-role": "defendant",
        "party-1-kind": "person",
        "party-2-kind": "person",
        "party-3-kind": "person",
    }
    resp = client.post("/cases/register/", data, follow=True)
    assert resp.status_code == 200 and "已登记" in resp.content.decode()
    assert Case.objects.count() == 1
    again = client.post("/cases/register/", data)  # the same form again: refused, nothing new
    assert "已提交" in again.content.decode() and Case.objects.count() == 1
    data["idempotency_key"] = str(uuid.uuid4())
    data["party-1-name"] = ""
    resp = client.post("/cases/register/", data)
    assert "form-error" in resp.content.decode() and Case.objects.count() == 1
    assert AuditEvent.objects.filter(action="case.registered", source="web").count() == 1


def test_escaped_party_names(world):
    case = register(
        world,
        "civil_simple",
        parties=[
            {"name": "<script>alert(1)</script>", "role": "plaintiff", "kind": "person"},
            PARTIES["first_instance"][1],
        ],
    )
    client = Client()
    client.force_login(world.user("registrar"))
    page = client.get(f"/home/{Role.REGISTRAR}/").content.decode()
    assert case.number in page and "<script>alert(1)</script>" not in page
