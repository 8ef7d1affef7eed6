"""Sign-in: every demo user reaches the home page of their role, in Chinese or English."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from teams.demo import DEMO_PASSWORD, NAMED_USERS

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("calendar_seed", skip_checks=True)
    call_command("catalog_load", skip_checks=True)
    call_command("load_demo", "--quiet", "--scale", "0.05", "--cases", "60", skip_checks=True)


def test_login_page_is_chinese_by_default_and_english_on_request():
    page = Client().get("/login/").content.decode()
    assert "登录" in page and 'lang="zh-CN"' in page
    page = Client(headers={"accept-language": "en"}).get("/login/").content.decode()
    assert "Sign in" in page and 'lang="en"' in page


def test_the_login_page_loads_nothing_from_the_internet():
    page = Client().get("/login/").content.decode()
    assert "http://" not in page.replace("http://testserver", "") and "https://" not in page


@pytest.mark.parametrize("username,name,role", [(u, n, r) for u, n, r, _ in NAMED_USERS])
def test_each_demo_user_signs_in_and_lands_on_their_role_home(demo, username, name, role):
    client = Client()
    resp = client.post("/login/", {"username": username, "password": DEMO_PASSWORD}, follow=True)
    assert resp.status_code == 200
    assert resp.redirect_chain[-1][0] == f"/home/{role}/"
    page = resp.content.decode()
    assert name in page
    assert str(role.label) in page  # in Chinese, the default language


def test_wrong_password_is_refused_with_a_message(demo):
    resp = Client().post("/login/", {"username": "judge", "password": "wrong"})
    assert resp.status_code == 200
    assert "form-error" in resp.content.decode()


def test_another_roles_home_does_not_exist_for_you(demo):
    client = Client()
    client.post("/login/", {"username": "judge", "password": DEMO_PASSWORD})
    assert client.get("/home/president/").status_code == 404


def test_sign_out(demo):
    client = Client()
    client.post("/login/", {"username": "judge", "password": DEMO_PASSWORD})
    client.post("/logout/")
    assert client.get("/home/judge/").status_code == 302


def test_demo_is_idempotent_and_its_teams_meet_their_templates(demo):
    from cases.models import Case
    from teams.models import Person, Team
    from teams.selectors import teams_not_meeting_template

    people, teams, cases = Person.objects.count(), Team.objects.count(), Case.objects.count()
    assert cases == 66  # 60 asked for and 6 that lock minutes after loading
    call_command("load_demo", "--quiet", "--scale", "0.05", "--cases", "60", skip_checks=True)
    assert (Person.objects.count(), Team.objects.count(), Case.objects.count()) == (
        people,
        teams,
        cases,
    )
    court = Person.objects.get(user__username="judge").court
    assert teams_not_meeting_template(court) == []


def test_demo_cases_lock_minutes_after_loading_and_the_judge_hears_of_it(demo):
    """`make run` must show the engine at work: a few demo cases lock within minutes, when
    the beat sweep reaches their deadline, not before."""
    import datetime as dt

    from django.utils import timezone

    from cases.models import Case
    from nodes.models import CaseLock, NodeInstance, Notification
    from nodes.sweep import sweep_run

    now = timezone.now()
    soon = NodeInstance.objects.filter(
        code="PUB-STREAM-APPROVE",
        status="open",
        due_at__gt=now,
        due_at__lte=now + dt.timedelta(minutes=20),
    )
    case_ids = set(soon.values_list("case_id", flat=True))
    assert len(case_ids) == 6

    sweep_run(at=now)
    assert not Case.objects.filter(pk__in=case_ids, locked=True).exists()

    sweep_run(at=now + dt.timedelta(minutes=20))
    assert Case.objects.filter(pk__in=case_ids, locked=True).count() == 6
    assert set(
        CaseLock.objects.filter(case_id__in=case_ids).values_list("sequence", flat=True)
    ) == {1}
    for case in Case.objects.filter(pk__in=case_ids).select_related("judge"):
        assert Notification.objects.filter(
            kind="lock", case=case, recipient_id=case.judge.user_id
        ).exists(), case.number


def test_the_demo_morning_has_locked_cases_and_requests_waiting_for_their_approvers(demo):
    """The consoles are not empty on the first visit: cases already overdue are locked,
    judges' unlock, extension and suspension requests wait for the right approver, and the
    pool's clerk has hearings to attend."""
    from cases.models import Approval, Case

    assert Case.objects.filter(locked=True).exists()
    pending = Approval.objects.filter(status="pending")
    kinds = set(pending.values_list("kind", "approver_role"))
    assert ("unlock", "division_head") in kinds and ("extension", "president") in kinds
    unlock = pending.filter(kind="unlock").select_related("case__division__head__user").first()
    assert unlock.case.locked
    head = Client()
    head.force_login(unlock.case.division.head.user)
    console = head.get("/home/division_head/").content.decode()
    assert unlock.case.number in console
    # The pool's clerk has hearings booked, with room and time.
    from cases.models import Hearing

    hearing = Hearing.objects.filter(booking__clerk__user__username="clerk").first()
    assert hearing is not None
    clerk = Client()
    clerk.force_login(hearing.booking.clerk.user)
    page = clerk.get("/home/clerk/").content.decode()
    assert hearing.case.number in page and hearing.booking.courtroom.name in page
