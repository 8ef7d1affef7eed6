"""Prepared exports and monthly reports: written by the worker's code with progress, safe to
run twice, downloadable only by those who may read them, Chinese intact."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from django.test import Client
from django.utils import timezone

from assessment.exports import export_job_request, export_job_run, monthly_reports_make
from assessment.models import ExportJob
from cases.tests.helpers import register, triage_and_assign
from courtflow.models import AuditEvent
from nodes.models import NodeInstance

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def export_dir(settings, tmp_path):
    settings.EXPORT_DIR = tmp_path / "exports"
    return settings.EXPORT_DIR


@pytest.fixture
def cases(world):
    return [
        triage_and_assign(
            world, register(world, "civil_simple", claim_amount=str(1000 + i)), "simple"
        )
        for i in range(3)
    ]


def client(user) -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    c.force_login(user)
    return c


def test_a_queued_export_is_written_with_progress_and_downloaded_by_its_owner(
    world, cases, django_capture_on_commit_callbacks
):
    manager = world.user("trialmgr")
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = export_job_request(
            actor=manager,
            court_id=world.court.pk,
            division_id=None,
            start=today - dt.timedelta(days=1),
            end=today,
            fmt="csv",
        )
    assert len(callbacks) == 1  # the worker is asked only after the commit
    assert job.status == "queued"
    assert AuditEvent.objects.filter(action="export.requested").count() == 1
    job = export_job_run(job.pk)
    expected = NodeInstance.objects.count()
    assert (job.status, job.rows_done, job.rows_total, job.percent) == (
        "done",
        expected,
        expected,
        100,
    )
    resp = client(manager).get(f"/stats/exports/{job.pk}/")
    text = b"".join(resp.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff案号") and cases[0].number in text
    assert len(text.splitlines()) == expected + 1
    # Nobody else downloads it.
    assert client(world.user("judge")).get(f"/stats/exports/{job.pk}/").status_code == 404
    # Run again (a redelivered task): nothing changes.
    assert export_job_run(job.pk).file_name == job.file_name


def test_a_job_killed_mid_file_is_rewritten_from_the_start(world, cases, export_dir):
    today = timezone.localdate()
    job = export_job_request(
        actor=world.user("trialmgr"),
        court_id=world.court.pk,
        division_id=None,
        start=today,
        end=today,
        fmt="xlsx",
    )
    ExportJob.objects.filter(pk=job.pk).update(status="running", rows_done=7)  # the worker died
    job = export_job_run(job.pk)
    assert job.status == "done" and job.rows_done == NodeInstance.objects.count()
    book = openpyxl.load_workbook(export_dir / job.file_name, read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == "案号" and len(rows) == job.rows_done + 1


def test_a_failing_job_says_so_and_the_page_shows_it(world):
    job = ExportJob.objects.create(
        court=world.court,
        kind="node_instances",
        fmt="csv",
        params={"start": "not a date", "end": "2026-01-01"},
        requested_by=world.user("trialmgr"),
        created_at=timezone.now(),
    )
    with pytest.raises(ValueError):
        export_job_run(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and job.error
    page = client(world.user("trialmgr")).get("/stats/exports/").content.decode()
    assert "失败" in page


def test_monthly_reports_once_per_month_for_the_court_and_each_division(world, cases, export_dir):
    month = timezone.localdate().replace(day=1)
    made = monthly_reports_make(month=month)
    divisions = world.court.divisions.count()
    assert len(made) == (divisions + 1) * 2  # xlsx and html, court and divisions
    assert all(j.status == "done" for j in made)
    assert monthly_reports_make(month=month) == []  # not made twice
    court_xlsx = next(j for j in made if j.division_id is None and j.fmt == "xlsx")
    book = openpyxl.load_workbook(export_dir / court_xlsx.file_name, read_only=True)
    assert [ws.title for ws in book.worksheets] == ["审判指标", "节点统计"]
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0][1] == "统计单位" and any(r[0] == "team" for r in rows[1:])
    html = next(j for j in made if j.division_id is None and j.fmt == "html")
    text = (export_dir / html.file_name).read_text(encoding="utf-8")
    assert "结案率" in text and world.court.name in text
    # Who sees which: the trial manager all; a division head the court's and their own.
    manager_page = client(world.user("trialmgr")).get("/stats/exports/").content.decode()
    assert manager_page.count("月度报告") >= len(made)
    head = world.divhead
    head_jobs = [j for j in made if j.division_id in (None, head.division_id)]
    other = next(j for j in made if j.division_id not in (None, head.division_id))
    head_client = client(head.user)
    assert head_client.get(f"/stats/exports/{head_jobs[0].pk}/").status_code == 200
    assert head_client.get(f"/stats/exports/{other.pk}/").status_code == 404
    assert client(world.user("judge")).get(f"/stats/exports/{head_jobs[0].pk}/").status_code == 404


def test_the_node_statistics_page_queues_an_export(
    world, cases, django_capture_on_commit_callbacks
):
    manager = client(world.user("trialmgr"))
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=False):
        resp = manager.post(
            "/stats/exports/", {"start": f"{today}", "end": f"{today}", "code": "", "fmt": "xlsx"}
        )
    assert resp.status_code == 302 and resp["Location"] == "/stats/exports/"
    job = ExportJob.objects.get()
    assert (job.fmt, job.params["start"], job.requested_by) == (
        "xlsx",
        f"{today}",
        world.user("trialmgr"),
    )
    page = manager.get("/stats/exports/").content.decode()
    assert "<progress" in page and 'hx-trigger="every 2s"' in page
    bad = manager.post("/stats/exports/", {"start": f"{today}", "end": f"{today}", "fmt": "pdf"})
    assert bad.status_code == 302 and ExportJob.objects.count() == 1


def test_an_export_asked_for_while_the_broker_is_down_waits_and_is_queued_again(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    """The request succeeds and the job is recorded; beat's catch-up queues it once it has
    waited five minutes (not before, and never a finished job)."""
    from assessment import exports
    from assessment.tasks import export_run

    queued: list[int] = []

    def broker_down(job_id: int) -> None:
        raise ConnectionRefusedError("Error 111 connecting to redis")

    monkeypatch.setattr(export_run, "delay", broker_down)
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        job = export_job_request(
            actor=world.user("trialmgr"),
            court_id=world.court.pk,
            division_id=None,
            start=today - dt.timedelta(days=1),
            end=today,
            fmt="csv",
        )
    job.refresh_from_db()
    assert job.status == "queued"
    monkeypatch.setattr(export_run, "delay", queued.append)
    assert exports.export_jobs_requeue() == 0 and queued == []  # too young to be lost
    ExportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(minutes=6))
    assert exports.export_jobs_requeue() == 1 and queued == [job.pk]
    export_job_run(job.pk)
    assert exports.export_jobs_requeue() == 0 and queued == [job.pk]  # done: left alone
