"""API tokens for system-to-system clients: a token acts exactly as its user (same scope),
bad tokens answer 401 with the error body, only a hash is stored, making and revoking are
audited, and use is noted at most once a minute."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from cases.tests.helpers import register, triage_and_assign
from courtflow.models import ApiToken, AuditEvent
from courtflow.tokens import api_token_create, api_token_revoke

pytestmark = pytest.mark.django_db


def token_client(key: str, keyword: str = "Token") -> Client:
    # enforce_csrf_checks: a token request must pass without a CSRF token.
    return Client(enforce_csrf_checks=True, headers={"Authorization": f"{keyword} {key}"})


def _make(user, **kw):
    from django.db import transaction

    with transaction.atomic():
        return api_token_create(actor=None, user=user, name=kw.pop("name", "省法院平台"), **kw)


def test_a_token_reads_exactly_its_users_scope(world):
    mine = triage_and_assign(
        world, register(world, "civil_ordinary", claim_amount="2000000"), "complex"
    )
    other = triage_and_assign(
        world, register(world, "criminal_ordinary", cause="盗窃罪", family="criminal"), "complex"
    )
    _token, key = _make(mine.judge.user)
    client = token_client(key)
    listed = client.get("/api/cases/")
    assert listed.status_code == 200
    assert [c["number"] for c in listed.json()["results"]] == [mine.number]
    assert client.get(f"/api/cases/{other.pk}/").status_code == 404
    assert token_client(key, "Bearer").get(f"/api/cases/{mine.pk}/").status_code == 200
    # a write goes through the user's role checks like a session would (a judge may not
    # unlock), and no CSRF token is asked for
    resp = client.post(
        f"/api/cases/{mine.pk}/unlock/",
        {"reason": "x", "new_due_at": "2030-01-01T00:00:00+08:00"},
        content_type="application/json",
    )
    assert resp.status_code in (403, 409) and resp.json()["code"] != "csrf_failed"
    # the president's token sees both
    _t, president_key = _make(world.user("president"))
    numbers = {
        c["number"] for c in token_client(president_key).get("/api/cases/").json()["results"]
    }
    assert {mine.number, other.number} <= numbers


def test_a_write_with_a_token_needs_no_csrf_token_and_is_audited_as_the_user(world):
    registrar = world.user("registrar")
    _token, key = _make(registrar)
    before = AuditEvent.objects.count()
    resp = token_client(key).post(
        "/api/cases/",
        {
            "procedure": "civil_simple",
            "cause": "买卖合同纠纷",
            "parties": [
                {"name": "张三", "role": "plaintiff"},
                {"name": "李四", "role": "defendant"},
            ],
        },
        content_type="application/json",
    )
    assert resp.status_code == 201, resp.content
    created = AuditEvent.objects.filter(action="case.registered").latest("id")
    assert created.actor_id == registrar.pk and created.source == "api"
    assert AuditEvent.objects.count() > before


@pytest.mark.parametrize(
    "case",
    ["wrong", "revoked", "expired", "malformed", "disabled"],
)
def test_bad_tokens_answer_401_with_the_error_body(world, case):
    user = world.user("judge")
    token, key = _make(user, days=30)
    header = f"Token {key}"
    if case == "wrong":
        header = "Token cf_" + "x" * 43
    elif case == "revoked":
        from django.db import transaction

        with transaction.atomic():
            api_token_revoke(actor=None, token=token)
    elif case == "expired":
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    elif case == "malformed":
        header = f"Token {key} extra"
    elif case == "disabled":
        type(user).objects.filter(pk=user.pk).update(is_active=False)
    client = Client(headers={"Authorization": header, "Accept-Language": "en"})
    resp = client.get("/api/cases/")
    assert resp.status_code == 401
    body = resp.json()
    assert set(body) == {"code", "message", "detail"}
    assert body["code"] == "authentication_failed"
    expected = {
        "wrong": "not valid",
        "revoked": "revoked",
        "expired": "expired",
        "malformed": "Authorization: Token",
        "disabled": "disabled",
    }[case]
    assert expected in body["message"]
    assert resp.headers["WWW-Authenticate"].startswith("Token")


def test_the_refusal_is_in_the_requests_language(world):
    zh = Client(headers={"Accept-Language": "zh-hans"}).get("/api/cases/")
    en = Client(headers={"Accept-Language": "en"}).get("/api/cases/")
    assert zh.status_code == en.status_code == 401
    assert re.search(r"[\u4e00-\u9fff]", zh.json()["message"])
    assert en.json()["message"] == "Authentication credentials were not provided."


def test_no_credentials_answer_401_not_403():
    resp = Client().get("/api/cases/")
    assert resp.status_code == 401 and resp.json()["code"] == "not_authenticated"


def test_the_key_is_not_stored_and_is_printed_once_by_the_command(world):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "api_token_create",
        "--user",
        "judge",
        "--name",
        "执行指挥平台",
        "--days",
        "90",
        stdout=out,
        stderr=err,
    )
    key = out.getvalue().strip()
    assert key.startswith("cf_") and len(key) > 40
    token = ApiToken.objects.get()
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert token.prefix == key[:11] and token.expires_at is not None
    # the key appears nowhere in the database: not in the token row, not in the audit trail
    stored = [str(v) for v in ApiToken.objects.values().get().values()]
    stored += [str(e) for e in AuditEvent.objects.values_list("before", "after", "reason")]
    assert not any(key in s or key[11:] in s for s in stored)
    assert key not in err.getvalue()
    assert token_client(key).get("/api/cases/").status_code == 200


def test_making_and_revoking_are_audited_and_revoking_twice_is_refused(world):
    call_command(
        "api_token_create",
        "--user",
        "judge",
        "--name",
        "平台",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    token = ApiToken.objects.get()
    made = AuditEvent.objects.get(action="api_token.created")
    assert made.source == "command" and made.object_id == str(token.pk)
    assert made.after["prefix"] == token.prefix and made.after["user"] == "judge"
    call_command("api_token_revoke", str(token.pk), "--reason", "系统下线", stdout=io.StringIO())
    revoked = AuditEvent.objects.get(action="api_token.revoked")
    assert revoked.reason == "系统下线" and revoked.before == {"revoked_at": None}
    token.refresh_from_db()
    assert token.revoked_at is not None
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("api_token_revoke", str(token.pk), stdout=io.StringIO())
    assert AuditEvent.objects.filter(action="api_token.revoked").count() == 1


def test_the_admin_revoke_action_calls_the_service(world, admin_user):
    token, key = _make(world.user("judge"))
    client = Client()
    client.force_login(admin_user)
    changelist = "/admin/courtflow/apitoken/"
    page = client.get(changelist)
    assert page.status_code == 200 and token.prefix in page.content.decode()
    resp = client.post(changelist, {"action": "revoke_selected", "_selected_action": [token.pk]})
    assert resp.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    event = AuditEvent.objects.get(action="api_token.revoked")
    assert event.source == "admin" and event.actor_id == admin_user.pk
    assert token_client(key).get("/api/cases/").status_code == 401


def test_last_used_is_written_at_most_once_a_minute(world, django_assert_num_queries):
    token, key = _make(world.user("judge"))
    client = token_client(key)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.get("/api/notifications/")
        token.refresh_from_db()
        assert token.last_used_at == start
    with time_machine.travel(start + dt.timedelta(seconds=30), tick=False):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            client.get("/api/notifications/")
        assert not [q for q in queries if "UPDATE" in q["sql"] and "apitoken" in q["sql"]]
        token.refresh_from_db()
        assert token.last_used_at == start
    with time_machine.travel(start + dt.timedelta(seconds=61), tick=False):
        client.get("/api/notifications/")
        token.refresh_from_db()
        assert token.last_used_at == start + dt.timedelta(seconds=61)
