"""Faults, with real processes: the broker stopped while people work, a worker killed in the
middle of a sweep, the database unreachable. Marked ``faults`` (they start servers and take
half a minute); ``make test`` runs them with the rest, ``-m faults`` runs them alone.

What each fault looks like to a user and how it recovers is in docs/resilience.md.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.db import connection
from django.db.models import F
from django.test import Client
from django.utils import timezone, translation

from assessment.models import ExportJob
from cases.models import Case
from cases.tests.helpers import register, serve, triage_and_assign
from courtflow.models import AuditEvent
from nodes.engine import next_due_refresh
from nodes.models import NodeInstance, Notification, SweepAction
from nodes.tests.test_sweep_processes import _assert_exactly_once, _env, _many_overdue_cases

pytestmark = [pytest.mark.faults]
ROOT = Path(__file__).resolve().parents[1]
CSRF = "faultsCsrfSecret0123456789abcdef"  # 32 characters: cookie and header agree
QUICK = 2.0  # seconds: the longest a request may take while the broker is down


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(predicate, timeout: float, what: str, interval: float = 0.2) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what}")


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


class PrivateRedis:
    """A redis-server of this test alone (the shared one on 6379 is never stopped)."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        binary = shutil.which("redis-server")
        assert binary, "redis-server is not installed (apt-get install redis-server)"
        self.proc = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait_for(lambda: _listening(self.port), 10, "redis-server to listen")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
            self.proc = None
        _wait_for(lambda: not _listening(self.port), 10, "redis-server to stop")

    def client(self):
        import redis

        return redis.Redis.from_url(self.url)


@pytest.fixture
def private_redis():
    server = PrivateRedis()
    server.start()
    try:
        yield server
    finally:
        if server.proc is not None:
            server.stop()


SETTINGS = '''
"""Production settings (the broker and its timeouts come from the environment), with the test
suite's static files and passwords, and deliveries written to files the test can count."""
import os

from courtflow.settings import *  # noqa: F403
from courtflow.settings_test import (  # noqa: F401
    COURTFLOW_AUDIT_ALLOW_FLUSH, PASSWORD_HASHERS, STATIC_ROOT, STORAGES,
    WHITENOISE_AUTOREFRESH, WHITENOISE_USE_FINDERS,
)

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["FAULTS_OUT"] + "/mail"
COURTFLOW_SMS_BACKEND = "faults_settings.FileSms"


class FileSms:
    def send(self, phone, text, *, name=""):
        with open(os.environ["FAULTS_OUT"] + "/sms.txt", "a", encoding="utf-8") as f:
            f.write(f"{name}\\t{phone}\\t{text}\\n")
'''


def _app_env(tmp_path: Path, broker: str, **extra) -> dict:
    (tmp_path / "mail").mkdir(exist_ok=True)
    (tmp_path / "faults_settings.py").write_text(textwrap.dedent(SETTINGS))
    env = _env(tmp_path, **extra)
    env.update(
        DJANGO_SETTINGS_MODULE="faults_settings",
        PYTHONPATH=f"{tmp_path}{os.pathsep}{ROOT}",
        CELERY_BROKER_URL=broker,
        FAULTS_OUT=str(tmp_path),
        DJANGO_SECRET_KEY=settings.SECRET_KEY,  # the sessions signed in here are valid there
        DJANGO_LOG_LEVEL="WARNING",
    )
    return env


def _gunicorn(env: dict, port: int, log: Path) -> subprocess.Popen:
    proc = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "courtflow.wsgi:application"),
            *(
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--timeout",
                "60",
                "--no-control-socket",
            ),
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    _wait_for(lambda: _listening(port), 30, "gunicorn to listen")
    return proc


def _worker(env: dict, log: Path) -> subprocess.Popen:
    """A real worker as production runs it (prefork; one child is enough here), in its own
    process group so that a crash can take the whole worker down at once."""
    return subprocess.Popen(
        [
            *(sys.executable, "-m", "celery", "-A", "courtflow", "worker"),
            *("--pool", "prefork", "--concurrency", "1", "--loglevel", "INFO"),
            *("--without-gossip", "--without-mingle", "--without-heartbeat"),
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _stop(proc: subprocess.Popen) -> None:
    """Stop a server this test started (warm shutdown; killed if it does not stop)."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def _session(user) -> requests.Session:
    """A browser session of ``user`` (signed in through Django's session table)."""
    client = Client()
    client.force_login(user)
    s = requests.Session()
    s.cookies.set("sessionid", client.cookies["sessionid"].value)
    s.cookies.set("csrftoken", CSRF)
    s.headers["X-CSRFToken"] = CSRF
    s.headers["Accept-Language"] = "zh-hans"
    return s


def _timed(call, *args, **kwargs):
    start = time.monotonic()
    response = call(*args, **kwargs, timeout=30, allow_redirects=False)
    return response, time.monotonic() - start


def _make_due(case: Case, code: str, due: dt.datetime) -> None:
    """Move a node's times into the past, as if the case had been filed earlier."""
    NodeInstance.objects.filter(case=case, code=code).update(
        prompt_at=due - dt.timedelta(days=2),
        warn_at=due - dt.timedelta(days=1),
        due_at=due,
        next_action_at=due - dt.timedelta(days=2),
    )
    next_due_refresh([case.pk])


def _sms_lines(tmp_path: Path) -> list[str]:
    path = tmp_path / "sms.txt"
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def _send(redis_url: str, task: str, *args) -> None:
    """What a beat tick does: put the task on the broker."""
    from celery import Celery

    producer = Celery("faults-beat", broker=redis_url)
    producer.send_task(task, args=list(args))
    producer.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_redis_down_the_app_serves_and_saves_and_catches_up_when_it_returns(
    committed_world, tmp_path, private_redis
):
    world = committed_world
    now = timezone.now()
    # Case A's hearing should have been scheduled two hours ago; case B's ten minutes ago,
    # during the outage, when no beat could run. Case C is the judge's to close.
    case_a, case_b, case_c = (
        triage_and_assign(world, register(world, "civil_simple", claim_amount="8000"), "simple")
        for _ in range(3)
    )
    for case in (case_a, case_b):
        serve(world, case, "complaint_copy")
    _make_due(case_a, "CIV-SIMPLE-SCHEDULE", now - dt.timedelta(hours=2))
    _make_due(case_b, "CIV-SIMPLE-SCHEDULE", now - dt.timedelta(minutes=10))
    judge, manager = _session(case_c.judge.user), _session(world.user("trialmgr"))
    registrar = _session(world.user("registrar"))
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = _app_env(tmp_path, private_redis.url)
    log = tmp_path / "app.log"
    web = _gunicorn(env, port, log)
    worker = None
    try:
        # Broker up: an export is asked for and queued. Redis then stops without saving,
        # so that message is lost with it.
        today = timezone.localdate()
        form = {"start": str(today - dt.timedelta(days=60)), "end": str(today), "fmt": "csv"}
        resp = manager.post(f"{base}/stats/exports/", data=form, allow_redirects=False)
        assert resp.status_code == 302 and resp.headers["Location"] == "/stats/exports/"
        assert private_redis.client().llen("celery") == 1
        private_redis.stop()

        # --- the outage ---
        # A sweep run by hand (manage.py sweep) needs no broker: it locks case A and sends
        # the lock's texts itself.
        at = now - dt.timedelta(hours=1)
        swept = subprocess.run(
            [sys.executable, "manage.py", "sweep", "--at", at.isoformat(), "--skip-checks"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            timeout=120,
        )
        assert swept.returncode == 0, swept.stdout.decode() + swept.stderr.decode()
        connection.close()
        assert Case.objects.get(pk=case_a.pk).locked and not Case.objects.get(pk=case_b.pk).locked
        assert Notification.objects.filter(case=case_a, kind="lock", texted_at__isnull=False)
        sent_by_hand = len(_sms_lines(tmp_path))
        assert sent_by_hand == Notification.objects.filter(send_sms=True).count() > 0

        # Pages load and changes save, quickly; nothing answers 5xx.
        page, took = _timed(judge.get, f"{base}/cases/{case_c.pk}/")
        assert page.status_code == 200 and took < QUICK, (page.status_code, took)
        closed, took = _timed(
            judge.post,
            f"{base}/api/cases/{case_c.pk}/actions/",
            json={"action": "event:case_closed", "closure_type": "withdrawal"},
        )
        assert closed.status_code == 200 and took < QUICK, (closed.text[:300], took)
        assert closed.json()["stage"] == "closed"
        body = {
            "procedure": "civil_simple",
            "cause": "民间借贷纠纷",
            "supervision_category": 1,  # 四类案件: the presidents are told by text message
            "parties": [
                {"name": "张三", "role": "plaintiff", "kind": "person"},
                {"name": "李四", "role": "defendant", "kind": "person"},
            ],
        }
        registered, took = _timed(registrar.post, f"{base}/api/cases/", json=body)
        assert registered.status_code == 201 and took < QUICK, (registered.text[:300], took)
        exported, took = _timed(manager.post, f"{base}/stats/exports/", data=form)
        assert exported.status_code == 302 and took < QUICK, (exported.status_code, took)
        assert exported.headers["Location"] == "/stats/exports/"
        assert manager.get(f"{base}/stats/exports/", timeout=30).status_code == 200

        # Saved, and what needed the broker is recorded as pending, not lost.
        assert Case.objects.get(pk=case_c.pk).stage == "closed"
        supervised = Case.objects.get(pk=registered.json()["id"])
        assert supervised.number.endswith("号")
        pending = Notification.objects.filter(send_sms=True, texted_at__isnull=True)
        assert pending.count() == pending.filter(case=supervised).count() >= 1  # the presidents
        assert len(_sms_lines(tmp_path)) == sent_by_hand
        assert ExportJob.objects.filter(status="queued").count() == 2
        assert "Traceback" not in log.read_text(errors="replace")

        # --- Redis returns: the worker starts and beat's ticks arrive ---
        private_redis.start()
        # As if the outage lasted longer than the exports' five-minute catch-up interval.
        ExportJob.objects.update(created_at=F("created_at") - dt.timedelta(minutes=10))
        worker = _worker(env, tmp_path / "worker.log")
        for task in (
            "nodes.tasks.sweep_fanout",
            "nodes.tasks.notifications_deliver_pending",
            "assessment.tasks.exports_requeue_pending",
        ):
            _send(private_redis.url, task)

        def caught_up() -> bool:
            return (
                Case.objects.get(pk=case_b.pk).locked
                and not Notification.objects.filter(send_sms=True, texted_at__isnull=True).exists()
                and ExportJob.objects.filter(status="done").count() == 2
            )

        _wait_for(caught_up, 90, "the worker to catch up", interval=0.5)
        # Another round of beat ticks finds nothing left to do.
        for task in ("nodes.tasks.sweep_fanout", "nodes.tasks.notifications_deliver_pending"):
            _send(private_redis.url, task)
        redis_client = private_redis.client()
        _wait_for(
            lambda: redis_client.llen("celery") == 0 and not redis_client.hlen("unacked"),
            60,
            "the queue to drain",
        )
    finally:
        if worker is not None:
            _stop(worker)
        _stop(web)
    connection.close()
    # Delivered exactly once: one text per notification that asked for one, none twice.
    texts = _sms_lines(tmp_path)
    expected = Notification.objects.filter(send_sms=True)
    assert expected.filter(texted_at__isnull=True).count() == 0
    assert len(texts) == expected.count() == len(set(texts)), texts
    assert any(supervised.number in line for line in texts)
    # The sweep after the outage acted on what fell due during it, once.
    assert Notification.objects.filter(case=case_b, kind="lock").exists()
    _assert_exactly_once(timezone.now())
    # Both exports were written, the one lost with Redis and the one asked for while it was down.
    for job in ExportJob.objects.all():
        assert job.status == "done" and (Path(env["COURTFLOW_VAR_DIR"]) / "exports").exists()
    assert AuditEvent.objects.filter(action="export.requested").count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_sweep_loses_nothing_and_the_task_is_redelivered(
    committed_world, tmp_path, private_redis
):
    at = _many_overdue_cases(committed_world, n=200)
    # Small batches make the sweep long enough to kill in the middle; a short visibility
    # timeout hands the unacknowledged task to the next worker within seconds, not an hour.
    env = _app_env(
        tmp_path,
        private_redis.url,
        COURTFLOW_SWEEP_BATCH_SIZE="10",
        CELERY_VISIBILITY_TIMEOUT="2",
    )
    log = tmp_path / "worker.log"
    first = _worker(env, log)
    second = None
    try:
        _send(
            private_redis.url, "nodes.tasks.sweep_court", committed_world.court.pk, at.isoformat()
        )
        _wait_for(SweepAction.objects.exists, 60, "the first sweep batch", interval=0.05)
        os.killpg(first.pid, signal.SIGKILL)  # the machine dies: worker and child at once
        first.wait(timeout=30)
        connection.close()
        partial = SweepAction.objects.count()
        # What committed is whole (each action has its audit row) and the task was never
        # acknowledged: it waits in Redis for another worker (acks_late).
        assert AuditEvent.objects.filter(action__startswith="node.").count() == partial
        assert private_redis.client().hlen("unacked") == 1
        assert NodeInstance.objects.filter(status="open", next_action_at__lte=at).exists()
        time.sleep(2.5)  # past the visibility timeout
        second = _worker(env, log)
        _wait_for(
            lambda: not NodeInstance.objects.filter(status="open", next_action_at__lte=at).exists(),
            120,
            "the redelivered sweep to finish",
            interval=0.5,
        )
        redis_client = private_redis.client()
        _wait_for(
            lambda: redis_client.llen("celery") == 0
            and not redis_client.hlen("unacked")
            and not Notification.objects.filter(send_sms=True, texted_at__isnull=True).exists(),
            120,
            "the deliveries to finish",
            interval=0.5,
        )
    finally:
        for proc in (first, second):
            if proc is not None:
                _stop(proc)
    connection.close()
    assert SweepAction.objects.count() > partial
    _assert_exactly_once(at)
    texts = _sms_lines(tmp_path)
    assert len(texts) == Notification.objects.filter(send_sms=True).count() == len(set(texts))


def test_database_unreachable_answers_503_with_a_clean_page_and_json(tmp_path):
    """The database refuses connections (nothing listens on port 1): pages answer 503 with a
    plain page in the user's language, the API 503 with {"code": "unavailable", …}; no stack
    trace, no settings, no SQL reach the user; the error is in the server's log."""
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://courtflow@127.0.0.1:1/courtflow",
        "DJANGO_SETTINGS_MODULE": "courtflow.settings_test",
        "COURTFLOW_VAR_DIR": str(tmp_path),
        "DJANGO_DEBUG": "0",
    }
    log = tmp_path / "web.log"
    web = _gunicorn(env, port, log)
    try:
        s = requests.Session()
        s.cookies.set("sessionid", "x" * 32)  # a signed-in user: the session is in the database
        s.headers["Accept-Language"] = "zh-hans"
        page, took = _timed(s.get, f"http://127.0.0.1:{port}/cases/")
        api, _took = _timed(s.get, f"http://127.0.0.1:{port}/api/cases/")
        english = s.get(f"http://127.0.0.1:{port}/", headers={"Accept-Language": "en"}, timeout=30)
    finally:
        _stop(web)
    assert page.status_code == 503 and took < 10
    assert page.headers["Content-Type"].startswith("text/html")
    assert page.headers["Retry-After"] == "30"
    with translation.override("zh-hans"):
        heading = translation.gettext("CourtFlow is temporarily unavailable")
        message = translation.gettext(
            "The service is temporarily unavailable (the database cannot be reached). "
            "Try again in a few minutes."
        )
    assert '<html lang="zh-CN">' in page.text and heading in page.text
    assert english.status_code == 503 and '<html lang="en">' in english.text
    assert "CourtFlow is temporarily unavailable" in english.text
    assert api.status_code == 503 and api.headers["Content-Type"] == "application/json"
    assert api.json() == {"code": "unavailable", "message": message, "detail": {}}
    for leaked in ("Traceback", "OperationalError", "psycopg2", "127.0.0.1:1", "DATABASE", "5432"):
        assert leaked not in page.text and leaked not in api.text and leaked not in english.text
    server_log = log.read_text(errors="replace")
    assert "database unavailable: GET /cases/" in server_log
    assert "database unavailable: GET /api/cases/" in server_log
