"""The admin is scoped to the user's court and refuses bad input next to the field."""

from __future__ import annotations

import pytest
from django.test import Client

from courtflow.models import AuditEvent
from teams.models import Court, Membership, TeamType
from teams.roles import Role
from teams.tests.factories import CourtFactory, DivisionFactory, PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db


def login(person) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def test_admin_lists_only_the_users_court():
    court = CourtFactory()
    TeamFactory(division=DivisionFactory(court=court), kind=TeamType.Kind.CIVIL, name="本院团队")
    TeamFactory(
        division=DivisionFactory(court=CourtFactory()), kind=TeamType.Kind.CIVIL, name="外院团队"
    )
    president = PersonFactory(court=court, role=Role.PRESIDENT)
    page = login(president).get("/admin/teams/team/").content.decode()
    assert "本院团队" in page and "外院团队" not in page


def test_admin_membership_errors_appear_on_the_form_and_nothing_is_saved():
    court = CourtFactory()
    division = DivisionFactory(court=court)
    team = TeamFactory(division=division, kind=TeamType.Kind.CIVIL)
    second = TeamFactory(division=division, kind=TeamType.Kind.CIVIL)
    head = PersonFactory(court=court, division=division, role=Role.DIVISION_HEAD)
    judge = PersonFactory(court=court, division=division, role=Role.JUDGE)
    client = login(head)
    resp = client.post(
        "/admin/teams/membership/add/",
        {"team": team.pk, "person": judge.pk, "position": "judge", "started_on": "2026-01-01"},
    )
    assert resp.status_code == 302
    assert AuditEvent.objects.filter(action="membership.created", source="admin").count() == 1
    resp = client.post(
        "/admin/teams/membership/add/",
        {"team": second.pk, "person": judge.pk, "position": "judge", "started_on": "2026-02-01"},
    )
    assert resp.status_code == 200
    assert "errorlist" in resp.content.decode()
    assert Membership.objects.filter(person=judge).count() == 1
    clerk = PersonFactory(court=court, division=division, role=Role.CLERK)
    resp = client.post(
        "/admin/teams/membership/add/",
        {"team": second.pk, "person": clerk.pk, "position": "clerk", "started_on": "2026-02-01"},
    )
    assert resp.status_code == 200 and "没有书记员岗位" in resp.content.decode()
    assert not Membership.objects.filter(person=clerk).exists()
    membership = Membership.objects.get(person=judge)
    resp = client.post(
        f"/admin/teams/membership/{membership.pk}/change/",
        {"ended_on": "2025-12-01", "end_reason": "x"},
    )
    assert resp.status_code == 200 and "errorlist" in resp.content.decode()
    membership.refresh_from_db()
    assert membership.ended_on is None
    assert AuditEvent.objects.filter(action="membership.created").count() == 1


def test_admin_refuses_a_duplicate_court_code():
    from django.contrib.auth import get_user_model

    CourtFactory(code="京0102", name="北京市西城区人民法院")
    root = get_user_model().objects.create_superuser("root", password="pw-root-123")
    client = Client()
    client.force_login(root)
    resp = client.post(
        "/admin/teams/court/add/", {"code": "京0102", "name": "重复", "level": "basic"}
    )
    assert resp.status_code == 200 and "errorlist" in resp.content.decode()
    assert Court.objects.filter(code="京0102").count() == 1


def test_admin_coefficient_change_is_audited_with_reason():
    court = CourtFactory()
    manager = PersonFactory(court=court, role=Role.TRIAL_MANAGER)
    coefficient = court.coefficients.get(category="assistant")
    resp = login(manager).post(
        f"/admin/teams/hrcoefficient/{coefficient.pk}/change/",
        {"value": "0.70", "reason": "年度调整"},
    )
    assert resp.status_code == 302
    event = AuditEvent.objects.get(action="coefficient.changed")
    assert event.source == "admin" and event.reason == "年度调整"


def test_admin_composition_filter():
    court = CourtFactory()
    TeamFactory(division=DivisionFactory(court=court), kind=TeamType.Kind.CIVIL, name="缺员团队")
    president = PersonFactory(court=court, role=Role.PRESIDENT)
    page = login(president).get("/admin/teams/team/?composition=problem").content.decode()
    assert "缺员团队" in page
    page = login(president).get("/admin/teams/team/?composition=ok").content.decode()
    assert "缺员团队" not in page


def test_a_judge_has_no_admin():
    judge = PersonFactory(role=Role.JUDGE)
    resp = login(judge).get("/admin/")
    assert resp.status_code == 302  # to the admin login page
