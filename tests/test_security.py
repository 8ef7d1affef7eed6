"""Deployment security: `check --deploy` with the production settings, secure cookies, the
Content-Security-Policy and the other headers, and sign-in throttling against guessing."""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.utils import timezone

from courtflow.models import AuditEvent

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "Correct-Horse-42"


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "COURTFLOW_", "DATABASE_", "CELERY_"))
    }
    env.update(
        COURTFLOW_ENV="production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="court.example",
        DJANGO_CSRF_TRUSTED_ORIGINS="https://court.example",
        # `check --deploy` reads settings only (the database checks need --database), so the
        # server need not be reachable; it must be PostgreSQL, as in production.
        DATABASE_URL="postgres://courtflow_app:secret@127.0.0.1:5432/courtflow",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/15",
        COURTFLOW_VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="courtflow.settings",
    )
    env.update(extra)
    return env


def run_manage(tmp_path: Path, *args: str, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=production_env(tmp_path, **extra),
        capture_output=True,
        text=True,
        timeout=120,
    )


# --- check --deploy ------------------------------------------------------------------------


def test_check_deploy_is_clean_with_the_production_settings(tmp_path):
    result = run_manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_when_production_runs_without_https(tmp_path):
    """The same command catches a production setting left insecure (so the test above can fail)."""
    result = run_manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING", DJANGO_SECURE="0")
    assert result.returncode != 0
    for check_id in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check_id in result.stderr


def production_settings(tmp_path: Path) -> dict:
    """The cookie and HTTPS settings as production computes them (read in a subprocess, since
    settings are read from the environment once)."""
    names = [
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_SAMESITE",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_PROXY_SSL_HEADER",
        "BEHIND_PROXY",
    ]
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {names!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=production_env(tmp_path, DJANGO_BEHIND_PROXY="1"),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    values = json.loads(result.stdout.strip().splitlines()[-1])
    if values["SECURE_PROXY_SSL_HEADER"]:
        values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


@pytest.mark.django_db
def test_production_cookies_are_secure_httponly_and_same_site(tmp_path):
    values = production_settings(tmp_path)
    assert values["SECURE_SSL_REDIRECT"] and values["SECURE_HSTS_SECONDS"] >= 31536000
    user = get_user_model().objects.create_user("zhang", password=PASSWORD)
    assert user.pk
    with override_settings(ALLOWED_HOSTS=["court.example"], **values):
        client = Client(headers={"host": "court.example"})
        # Plain HTTP through the proxy is sent to HTTPS.
        plain = client.get("/login/", headers={"x-forwarded-proto": "http"})
        assert plain.status_code == 301 and plain["Location"].startswith("https://court.example")
        https = {"x-forwarded-proto": "https"}
        page = client.get("/login/", headers=https)
        assert page.status_code == 200
        assert "max-age=31536000" in page["Strict-Transport-Security"]
        csrf = page.cookies["csrftoken"]
        assert csrf["secure"] and csrf["samesite"] == "Lax"
        client = Client(headers={"host": "court.example"}, enforce_csrf_checks=False)
        signed_in = client.post(
            "/login/", {"username": "zhang", "password": PASSWORD}, headers=https
        )
        assert signed_in.status_code == 302
        session = signed_in.cookies["sessionid"]
        assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
        header = signed_in.cookies.output()
        assert "sessionid=" in header and "Secure" in header and "HttpOnly" in header


# --- headers on every response -------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/login/", "/admin/login/", "/api/schema/", "/static/css/courtflow.css"]
)
def test_every_response_carries_the_content_security_policy_and_the_other_headers(path):
    resp = Client().get(path)
    policy = resp["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'self'"
    for name in ("script-src", "style-src", "font-src", "connect-src"):
        assert directives[name] == "'self'", name
    assert directives["img-src"] == "'self' data:"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'" and directives["base-uri"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert "unsafe" not in policy
    if not path.startswith("/static/"):  # whitenoise answers before Django's middleware
        assert resp["X-Frame-Options"] == "DENY"
    assert resp["X-Content-Type-Options"] == "nosniff"
    assert resp["Referrer-Policy"] == "same-origin"


def test_no_template_has_inline_scripts_or_event_handlers():
    """The policy refuses them: they would silently stop working in the browser."""
    import re

    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text):
            offenders.append(f"{path}: inline <script>")
        if re.search(r"\son[a-z]+\s*=", text):
            offenders.append(f"{path}: inline event handler")
        if re.search(r"\sstyle\s*=", text) or "javascript:" in text:
            offenders.append(f"{path}: inline style or javascript: URL")
    assert offenders == []


# --- sign-in throttling --------------------------------------------------------------------

PAUSED_ZH = "登录失败次数过多"


@pytest.fixture
def users(db):
    model = get_user_model()
    return (
        model.objects.create_user("zhang", password=PASSWORD),
        model.objects.create_user("li", password=PASSWORD),
    )


def sign_in(client: Client, username: str, password: str, **kw):
    return client.post("/login/", {"username": username, "password": password}, **kw)


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def errors_of(resp) -> str:
    return " ".join(str(e) for e in resp.context["form"].non_field_errors())


def test_guessing_is_paused_and_the_right_password_is_refused_during_the_pause(users):
    client = Client()
    for _ in range(5):
        resp = sign_in(client, "zhang", "guess")
        assert resp.status_code == 200 and not signed_in(client)
    paused = errors_of(resp)  # the fifth failure starts the pause
    assert "15" in paused
    resp = sign_in(client, "zhang", PASSWORD)
    assert resp.status_code == 200 and not signed_in(client)
    assert errors_of(resp) == paused
    # The pause is checked before the password: the refused attempt counts nothing more.
    assert AuditEvent.objects.filter(action="auth.sign_in_failed").count() == 5
    assert AuditEvent.objects.filter(action="auth.sign_in_paused").count() == 1
    assert not AuditEvent.objects.filter(action="auth.signed_in").exists()


def test_the_pause_message_is_in_chinese_by_default(users):
    client = Client()
    for _ in range(6):
        resp = sign_in(client, "zhang", "guess")
    assert PAUSED_ZH in resp.content.decode()


def test_another_user_from_the_same_address_is_not_affected(users):
    client = Client()
    for _ in range(6):
        sign_in(client, "zhang", "guess")
    resp = sign_in(Client(), "li", PASSWORD)
    assert resp.status_code == 302


def test_after_the_pause_the_right_password_works_and_is_audited(users):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            sign_in(Client(), "zhang", "guess")
        assert sign_in(Client(), "zhang", PASSWORD).status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=14), tick=False):
        assert sign_in(Client(), "zhang", PASSWORD).status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=15, seconds=1), tick=False):
        client = Client()
        assert sign_in(client, "zhang", PASSWORD).status_code == 302 and signed_in(client)
    event = AuditEvent.objects.get(action="auth.signed_in")
    assert event.actor_id == users[0].pk and event.after == {"address": "127.0.0.1"}
    # A success clears the name's failures: one wrong password later is just one.
    resp = sign_in(Client(), "zhang", "guess")
    assert PAUSED_ZH not in resp.content.decode() and "15" not in errors_of(resp)


def test_an_unknown_name_is_paused_with_exactly_the_same_words(users):
    """Nothing tells a guesser whether the account exists."""
    for _ in range(5):
        known = sign_in(Client(), "zhang", "guess")
        unknown = sign_in(Client(), "wang-nobody", "guess")
    assert errors_of(known) == errors_of(unknown)
    assert errors_of(sign_in(Client(), "wang-nobody", PASSWORD)) == errors_of(known)
    failed = AuditEvent.objects.filter(action="auth.sign_in_failed", object_id="wang-nobody")
    assert failed.count() == 5


def test_many_names_guessed_from_one_address_pause_that_address(users):
    client = Client(REMOTE_ADDR="10.9.8.7")
    for n in range(20):
        sign_in(client, f"name{n}", "guess")
    assert sign_in(client, "li", PASSWORD).status_code == 200  # refused from there
    assert sign_in(Client(REMOTE_ADDR="10.9.8.8"), "li", PASSWORD).status_code == 302


@override_settings(BEHIND_PROXY=True)
def test_behind_the_proxy_the_address_is_the_one_the_proxy_appended(users):
    for n in range(20):
        # A guesser cannot dodge the address limit by sending X-Forwarded-For himself.
        sign_in(
            Client(),
            f"name{n}",
            "guess",
            headers={"x-forwarded-for": f"1.2.3.{n}, 10.9.8.7"},
        )
    assert AuditEvent.objects.filter(action="auth.sign_in_failed").first().after == {
        "address": "10.9.8.7"
    }
    resp = sign_in(Client(), "li", PASSWORD, headers={"x-forwarded-for": "10.9.8.7"})
    assert resp.status_code == 200
    resp = sign_in(Client(), "li", PASSWORD, headers={"x-forwarded-for": "10.9.8.6"})
    assert resp.status_code == 302


def test_the_administration_sign_in_is_throttled_too(users):
    admin_user = get_user_model().objects.create_user("sysadmin", password=PASSWORD, is_staff=True)
    assert admin_user.is_staff
    for _ in range(5):
        resp = Client().post("/admin/login/", {"username": "sysadmin", "password": "guess"})
        assert resp.status_code == 200
    resp = Client().post("/admin/login/", {"username": "sysadmin", "password": PASSWORD})
    assert resp.status_code == 200
    assert "15" in " ".join(str(e) for e in resp.context["form"].non_field_errors())
