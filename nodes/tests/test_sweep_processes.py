"""The sweep with real processes on PostgreSQL (and Redis for the Celery worker): sweeps at
once, a sweep killed mid-run and run again, a sweep racing an unlock, approvers racing."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from cases.demo import _parties
from cases.models import Case
from cases.services.bulk import ImportRow, case_import_bulk
from cases.services.locks import case_unlock
from courtflow.errors import Conflict
from courtflow.models import AuditEvent
from nodes.models import CaseLock, NodeInstance, Notification, SweepAction

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


def _env(tmp_path, **extra) -> dict:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "courtflow.settings_test",
        "COURTFLOW_VAR_DIR": str(tmp_path),
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


def _sweep_cmd(at: dt.datetime, batch: int = 50) -> list[str]:
    return [
        sys.executable,
        "manage.py",
        "sweep",
        "--at",
        at.isoformat(),
        "--batch-size",
        str(batch),
        "--skip-checks",
    ]


def _many_overdue_cases(world, n: int = 120) -> dt.datetime:
    now = timezone.now()
    rows = [
        ImportRow(
            procedure="civil_simple",
            cause="民间借贷纠纷",
            parties=_parties("civil_simple", __import__("random").Random(i)),
            received_at=now - dt.timedelta(days=40),
            filed_at=now - dt.timedelta(days=40),
        )
        for i in range(n)
    ]
    case_import_bulk(actor=None, court=world.court, rows=rows, source="test")
    connection.close()
    return now


def _assert_exactly_once(at: dt.datetime) -> None:
    assert not NodeInstance.objects.filter(status="open", next_action_at__lte=at).exists(), (
        "work left undone"
    )
    dup_notes = (
        Notification.objects.values("recipient", "node", "kind")
        .annotate(n=Count("id"))
        .filter(n__gt=1, node__isnull=False)
    )
    assert not dup_notes.exists()
    assert (
        AuditEvent.objects.filter(action__startswith="node.").count() == SweepAction.objects.count()
    )
    locked = Case.objects.filter(locked=True)
    assert locked.count() == CaseLock.objects.filter(unlocked_at__isnull=True).count()
    assert set(CaseLock.objects.values_list("sequence", flat=True)) == {1}
    assert AuditEvent.objects.filter(action="case.locked").count() == CaseLock.objects.count()


def test_two_sweeps_at_once_never_act_twice(committed_world, tmp_path):
    at = _many_overdue_cases(committed_world)
    env = _env(tmp_path)
    procs = [
        subprocess.Popen(
            _sweep_cmd(at), cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=180)[0].decode() for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert SweepAction.objects.exists()
    _assert_exactly_once(at)


def test_a_sweep_killed_mid_run_loses_nothing_and_a_rerun_finishes(committed_world, tmp_path):
    at = _many_overdue_cases(committed_world, n=200)
    env = _env(tmp_path)
    proc = subprocess.Popen(
        _sweep_cmd(at, batch=20),
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while (
        time.monotonic() < deadline and not SweepAction.objects.exists()
    ):  # wait for the first batch
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    connection.close()
    partial = SweepAction.objects.count()
    # Whatever committed is whole: every action has its audit row.
    assert AuditEvent.objects.filter(action__startswith="node.").count() == partial
    rerun = subprocess.run(_sweep_cmd(at), cwd=ROOT, env=env, capture_output=True, timeout=180)
    assert rerun.returncode == 0, rerun.stdout.decode() + rerun.stderr.decode()
    assert SweepAction.objects.count() > partial
    _assert_exactly_once(at)


def test_a_sweep_racing_an_unlock_does_not_relock_inside_the_grace(committed_world, tmp_path):
    at = _many_overdue_cases(committed_world, n=30)
    from nodes.sweep import sweep_run

    sweep_run(at=at)
    case = Case.objects.filter(locked=True).first()
    head = case.division.head.user
    grace = timezone.now() + dt.timedelta(days=3)
    env = _env(tmp_path)
    stop = threading.Event()

    def sweeping() -> None:
        while not stop.is_set():
            subprocess.run(
                _sweep_cmd(timezone.now()), cwd=ROOT, env=env, capture_output=True, timeout=120
            )

    sweeper = threading.Thread(target=sweeping)
    sweeper.start()
    try:
        case_unlock(actor=head, case=case, reason="并发解锁", new_due_at=grace)
        time.sleep(1.5)
    finally:
        stop.set()
        sweeper.join(timeout=180)
    connection.close()
    case.refresh_from_db()
    assert not case.locked
    assert CaseLock.objects.filter(case=case).count() == 1


def test_two_approvers_unlocking_at_once_one_wins(committed_world):
    at = _many_overdue_cases(committed_world, n=10)
    from nodes.sweep import sweep_run

    sweep_run(at=at)
    case = Case.objects.filter(locked=True).first()
    head = case.division.head.user
    results: list[str] = []
    barrier = threading.Barrier(2)

    def approve(reason: str) -> None:
        try:
            barrier.wait()
            case_unlock(
                actor=head,
                case=case,
                reason=reason,
                new_due_at=timezone.now() + dt.timedelta(days=2),
            )
            results.append("ok")
        except Conflict as exc:
            results.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(r,)) for r in ("甲", "乙")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["not_locked", "ok"]
    assert AuditEvent.objects.filter(case_id=case.pk, action="case.unlocked").count() == 1


@pytest.mark.redis
def test_the_celery_worker_sweeps_through_redis(committed_world, tmp_path, redis_url):
    at = _many_overdue_cases(committed_world, n=20)
    env = _env(tmp_path, CELERY_BROKER_URL=redis_url)
    env["DJANGO_SETTINGS_MODULE"] = "courtflow.settings"
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "courtflow",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "WARNING",
            "-Q",
            f"sweeptest-{os.getpid()}",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        from celery import Celery

        producer = Celery("courtflow-test", broker=redis_url)
        producer.send_task(
            "nodes.tasks.sweep_court",
            args=[committed_world.court.pk, timezone.now().isoformat()],
            queue=f"sweeptest-{os.getpid()}",
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not Case.objects.filter(locked=True).exists():
            time.sleep(0.5)
    finally:
        worker.send_signal(signal.SIGTERM)
        output = worker.communicate(timeout=60)[0].decode()
    assert Case.objects.filter(locked=True).exists(), output
    _assert_exactly_once(at)
