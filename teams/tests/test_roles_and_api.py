"""Per-role permissions and the organisation API: scoped reads, refused writes, clear errors."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from courtflow.models import AuditEvent
from teams.models import Court, Membership, TeamType
from teams.roles import ROLE_PERMISSIONS, STAFF_ROLES, Role, group_name
from teams.tests.factories import CourtFactory, DivisionFactory, PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", list(Role))
def test_each_role_gets_its_group_and_exactly_its_permissions(role):
    person = PersonFactory(role=role)
    user = person.user
    assert [g.name for g in user.groups.all()] == [group_name(role)]
    assert user.is_staff is (role in STAFF_ROLES)
    for perm in ROLE_PERMISSIONS[role]:
        assert user.has_perm(perm), perm
    for perm in {"teams.manage_coefficients", "teams.manage_people", "teams.manage_court_teams"}:
        assert user.has_perm(perm) is (perm in ROLE_PERMISSIONS[role]), (role, perm)


def test_a_role_change_swaps_the_group():
    person = PersonFactory(role=Role.JUDGE)
    from teams import services

    services.person_update(actor=None, person=person, role=Role.TRIAL_MANAGER)
    person.user.refresh_from_db()
    assert [g.name for g in person.user.groups.all()] == [group_name(Role.TRIAL_MANAGER)]
    assert person.user.has_perm("teams.manage_coefficients")
    assert person.user.is_staff


def client_for(person) -> APIClient:
    client = APIClient()
    client.force_authenticate(person.user)
    return client


@pytest.fixture
def setup():
    court = CourtFactory(code="京0102", name="北京市西城区人民法院")
    division = DivisionFactory(court=court, name="民事审判第一庭")
    team = TeamFactory(division=division, kind=TeamType.Kind.CIVIL, name="民商事一组")
    head = PersonFactory(court=court, division=division, role=Role.DIVISION_HEAD)
    judge = PersonFactory(court=court, division=division, role=Role.JUDGE, name="王法官")
    other_court = CourtFactory()
    other_team = TeamFactory(division=DivisionFactory(court=other_court), kind=TeamType.Kind.CIVIL)
    return court, division, team, head, judge, other_court, other_team


def test_reads_are_scoped_to_the_callers_court(setup):
    _court, _division, _team, _head, judge, _other_court, other_team = setup
    client = client_for(judge)
    teams = client.get("/api/teams/teams/").json()
    assert [t["name"] for t in teams] == ["民商事一组"]
    assert client.get(f"/api/teams/teams/{other_team.pk}/").status_code == 404
    courts = client.get("/api/teams/courts/").json()
    assert [c["code"] for c in courts] == ["京0102"]


def test_team_detail_shows_members_sum_target_and_composition(setup):
    _court, _division, team, head, judge, *_ = setup
    resp = client_for(head).post(
        f"/api/teams/teams/{team.pk}/members/",
        {"person": judge.pk, "position": "judge", "started_on": "2026-01-01"},
        format="json",
    )
    assert resp.status_code == 201, resp.content
    detail = client_for(judge).get(f"/api/teams/teams/{team.pk}/").json()
    assert [m["person_name"] for m in detail["members"]] == ["王法官"]
    assert detail["coefficient_sum"] == "1.00"
    assert detail["annual_target"] == "137.5"  # 220 × 1.0 / 1.6: the assistant seat is empty
    assert detail["composition_ok"] is False


def test_bad_membership_input_answers_400_with_the_field(setup):
    _court, _division, team, head, judge, *_ = setup
    client = client_for(head)
    resp = client.post(
        f"/api/teams/teams/{team.pk}/members/",
        {"person": judge.pk, "position": "clerk"},
        format="json",
    )
    assert resp.status_code == 400
    body = resp.json()
    assert body["code"] == "invalid" and body["detail"]["field"] == "position"
    assert body["message"]
    resp = client.post(
        f"/api/teams/teams/{team.pk}/members/",
        {"person": judge.pk, "position": "wizard"},
        format="json",
    )
    assert resp.status_code == 400 and "position" in resp.json()["detail"]
    assert not Membership.objects.exists()


def test_a_person_in_two_active_teams_is_refused_through_the_api(setup):
    _court, division, team, head, judge, *_ = setup
    second = TeamFactory(division=division, kind=TeamType.Kind.CIVIL, name="民商事二组")
    client = client_for(head)
    assert (
        client.post(
            f"/api/teams/teams/{team.pk}/members/",
            {"person": judge.pk, "position": "judge"},
            format="json",
        ).status_code
        == 201
    )
    resp = client.post(
        f"/api/teams/teams/{second.pk}/members/",
        {"person": judge.pk, "position": "judge"},
        format="json",
    )
    assert resp.status_code == 400 and resp.json()["code"] == "already_in_team"
    resp = client.post(
        f"/api/teams/people/{judge.pk}/move/",
        {"team": second.pk, "position": "judge", "reason": "调整"},
        format="json",
    )
    assert resp.status_code == 201
    history = client.get(f"/api/teams/people/{judge.pk}/memberships/").json()
    assert [m["ended_on"] is None for m in history] == [True, False]


def test_membership_ending_before_start_answers_400(setup):
    _court, _division, team, head, judge, *_ = setup
    client = client_for(head)
    created = client.post(
        f"/api/teams/teams/{team.pk}/members/",
        {"person": judge.pk, "position": "judge", "started_on": "2026-03-01"},
        format="json",
    ).json()
    resp = client.post(
        f"/api/teams/memberships/{created['id']}/end/", {"ended_on": "2026-01-01"}, format="json"
    )
    assert resp.status_code == 400 and resp.json()["detail"]["field"] == "ended_on"


def test_a_judge_cannot_write_and_gets_403(setup):
    _court, _division, team, _head, judge, *_ = setup
    resp = client_for(judge).post(
        f"/api/teams/teams/{team.pk}/members/",
        {"person": judge.pk, "position": "judge"},
        format="json",
    )
    assert resp.status_code == 403 and resp.json()["code"] == "not_allowed"
    resp = client_for(judge).put("/api/teams/coefficients/judge/", {"value": "2"}, format="json")
    assert resp.status_code == 403


def test_coefficient_change_through_the_api_is_audited(setup):
    court, *_ = setup
    manager = PersonFactory(court=court, role=Role.TRIAL_MANAGER)
    resp = client_for(manager).put(
        "/api/teams/coefficients/assistant/", {"value": "0.65", "reason": "调整"}, format="json"
    )
    assert resp.status_code == 200 and resp.json()["value"] == "0.65"
    event = AuditEvent.objects.get(action="coefficient.changed")
    assert event.source == "api" and event.actor == manager.user
    resp = client_for(manager).put(
        "/api/teams/coefficients/assistant/", {"value": "-1"}, format="json"
    )
    assert resp.status_code == 400


def test_duplicate_court_code_is_refused_in_service_and_api(setup):
    from django.contrib.auth import get_user_model

    root = get_user_model().objects.create_superuser("root", password="pw-root-123")
    client = APIClient()
    client.force_authenticate(root)
    resp = client.post(
        "/api/teams/courts/",
        {"code": "京0102", "name": "另一个法院", "level": "basic"},
        format="json",
    )
    assert resp.status_code == 400
    assert (
        resp.json()["code"] == "duplicate_court_code" and resp.json()["detail"]["field"] == "code"
    )
    resp = client.post(
        "/api/teams/courts/", {"code": "bad code", "name": "x", "level": "basic"}, format="json"
    )
    assert resp.status_code == 400 and resp.json()["code"] == "invalid_court_code"
    assert Court.objects.filter(code="京0102").count() == 1
    resp = client.post(
        "/api/teams/courts/",
        {"code": "京0105", "name": "北京市朝阳区人民法院", "level": "basic"},
        format="json",
    )
    assert resp.status_code == 201


def test_unauthenticated_api_calls_are_refused():
    resp = APIClient().get("/api/teams/teams/")
    # 401 with a challenge (token clients need to tell "no credentials" from "not allowed").
    assert resp.status_code == 401 and resp.headers["WWW-Authenticate"].startswith("Token")
    assert resp.json()["code"] == "not_authenticated"


def test_malformed_json_answers_400():
    person = PersonFactory(role=Role.TRIAL_MANAGER)
    resp = client_for(person).generic(
        "PUT", "/api/teams/coefficients/judge/", "{not json", content_type="application/json"
    )
    assert resp.status_code == 400 and resp.json()["code"] == "parse_error"
