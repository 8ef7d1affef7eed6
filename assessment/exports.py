"""Prepared exports: large node-instance exports and the monthly reports, written to files by
the worker with visible progress, read back only through the application.

A job is idempotent: running it again (a worker killed mid-file, the broker redelivering)
rewrites its file from the start and ends in the same state; a finished job is left alone.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessment.models import ExportJob
from courtflow.audit import audit_record
from courtflow.errors import InvalidInput

log = logging.getLogger(__name__)

FORMATS = ("csv", "xlsx")


def export_dir() -> Path:
    path = Path(settings.EXPORT_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


@transaction.atomic
def export_job_request(
    *,
    actor: Any,
    court_id: int,
    division_id: int | None,
    start: dt.date,
    end: dt.date,
    fmt: str,
    code: str = "",
) -> ExportJob:
    """Queue an export of every node instance of the period (the worker writes it after
    the commit; if the broker is down the job waits and is queued again later)."""
    if fmt not in FORMATS:
        raise InvalidInput(gettext_lazy("Choose CSV or Excel."), field="fmt")
    job = ExportJob.objects.create(
        court_id=court_id,
        division_id=division_id,
        kind=ExportJob.Kind.NODE_INSTANCES,
        fmt=fmt,
        params={"start": str(start), "end": str(end), "code": code or ""},
        requested_by=actor,
        created_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action="export.requested",
        obj=job,
        court_id=court_id,
        after={"kind": job.kind, "format": fmt, **job.params},
    )
    transaction.on_commit(lambda: export_queue(job.pk))
    return job


def export_queue(job_id: int) -> None:
    """Hand a recorded job to the worker. If the broker cannot be reached the request still
    succeeds: the job stays pending and ``export_jobs_requeue`` (beat) queues it later."""
    from assessment.tasks import export_run

    try:
        export_run.delay(job_id)
    except Exception as exc:  # the broker is down: the job is recorded, it will be queued
        log.warning("could not queue export %s (%s); it will be queued again", job_id, exc)


REQUEUE_AFTER = dt.timedelta(minutes=5)


def export_jobs_requeue(*, older_than: dt.timedelta = REQUEUE_AFTER, limit: int = 100) -> int:
    """Queue again the jobs still pending after ``older_than`` (never queued because the
    broker was down, or lost with it). Queues are first in, first out, so a job queued twice
    runs once: the later run finds it done and leaves it alone."""
    from assessment.tasks import export_run

    cutoff = timezone.now() - older_than
    ids = list(
        ExportJob.objects.filter(status=ExportJob.Status.QUEUED, created_at__lt=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    for job_id in ids:
        export_run.delay(job_id)
    if ids:
        log.info("queued %d pending export(s) again", len(ids))
    return len(ids)


def _progress(job_id: int):
    def update(rows: int) -> None:
        ExportJob.objects.filter(pk=job_id).update(rows_done=rows)

    return update


def export_job_run(job_id: int) -> ExportJob:
    """Write the job's file (again, from the start, if a previous attempt died)."""
    job = ExportJob.objects.select_related("court", "division").get(pk=job_id)
    if job.status == ExportJob.Status.DONE:
        return job
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.RUNNING, rows_done=0, error=""
    )
    try:
        with translation.override(settings.LANGUAGE_CODE):  # files are read in Chinese
            if job.kind == ExportJob.Kind.NODE_INSTANCES:
                name, rows = _node_instances_file(job)
            else:
                name, rows = _monthly_report_file(job)
    except Exception as exc:  # the job records the failure; the worker lives on
        log.exception("export %s failed", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.DONE,
        file_name=name,
        rows_done=rows,
        finished_at=timezone.now(),
    )
    job.refresh_from_db()
    return job


def _period(job: ExportJob) -> tuple[dt.date, dt.date]:
    return dt.date.fromisoformat(job.params["start"]), dt.date.fromisoformat(job.params["end"])


def _node_instances_file(job: ExportJob) -> tuple[str, int]:
    from itertools import chain

    from assessment.apis import period_bounds
    from assessment.node_stats import DETAIL_HEADER, node_instances_batches
    from courtflow.exports import csv_write_batches, xlsx_write
    from nodes.models import NodeInstance

    start, end = _period(job)
    begin, finish = period_bounds(start, end)
    scope = {
        "court_id": job.court_id,
        "division_id": job.division_id,
        "start": begin,
        "end": finish,
        "code": job.params.get("code") or None,
    }
    counted = NodeInstance.objects.filter(
        court_id=job.court_id, opened_at__gte=begin, opened_at__lt=finish
    )
    if job.division_id:
        counted = counted.filter(case__division_id=job.division_id)
    if scope["code"]:
        counted = counted.filter(code=scope["code"])
    ExportJob.objects.filter(pk=job.pk).update(rows_total=counted.count())
    name = f"{job.pk}-node-instances-{start:%Y%m%d}-{end:%Y%m%d}.{job.fmt}"
    path = export_dir() / name
    header = [str(h) for h in DETAIL_HEADER]
    if job.fmt == "xlsx":
        rows = chain.from_iterable(node_instances_batches(neutralise=False, **scope))
        total = xlsx_write(path, [(_("Node instances"), header, rows)], progress=_progress(job.pk))
    else:
        batches = node_instances_batches(neutralise=True, **scope)
        total = csv_write_batches(path, header, batches, progress=_progress(job.pk))
    return name, total


def _monthly_report_file(job: ExportJob) -> tuple[str, int]:
    """The month's court metrics (by division and team) and node statistics, as a workbook
    (``xlsx``) or a page to read and print (``html``)."""
    from assessment.apis import period_bounds
    from assessment.metrics import court_metrics
    from assessment.node_stats import node_stats
    from assessment.views import _columns, _node_header, _node_table
    from courtflow.exports import xlsx_write

    start, end = _period(job)
    begin, finish = period_bounds(start, end)
    scope = {
        "court_id": job.court_id,
        "division_id": job.division_id,
        "start": begin,
        "end": finish,
    }
    columns = _columns()
    metric_sets = [
        (level, court_metrics(level=level, **scope)) for level in ("court", "division", "team")
    ]
    nodes = node_stats(**scope)
    unit = job.division.name if job.division else job.court.name
    name = f"{job.pk}-monthly-{job.court.code}-{job.division_id or 'court'}-{start:%Y%m}.{job.fmt}"
    path = export_dir() / name
    if job.fmt == "html":
        html = render_to_string(
            "assessment/monthly_report.html",
            {
                "unit": unit,
                "start": start,
                "end": end,
                "columns": columns,
                "metric_sets": [
                    (
                        level,
                        [
                            (m.name or unit, [getattr(m, key) for key, _label in columns])
                            for m in rows
                        ],
                    )
                    for level, rows in metric_sets
                ],
                "node_header": _node_header(),
                "node_rows": list(_node_table(nodes)),
            },
        )
        path.write_text(html, encoding="utf-8")
        return name, len(nodes)
    header = [_("Level"), _("Court, division, team or judge"), *[label for _k, label in columns]]
    metric_rows = [
        [level, m.name or unit, *[getattr(m, key) for key, _label in columns]]
        for level, rows in metric_sets
        for m in rows
    ]
    total = xlsx_write(
        path,
        [
            (_("Court metrics"), header, metric_rows),
            (_("Node statistics"), _node_header(), _node_table(nodes)),
        ],
    )
    return name, total


def monthly_reports_make(*, month: dt.date | None = None) -> list[ExportJob]:
    """The previous month's reports (or ``month``'s), HTML and XLSX, for every active court
    and each of its divisions; a report already made is not made twice."""
    from teams.models import Court

    today = timezone.localdate()
    first = (month or (today.replace(day=1) - dt.timedelta(days=1))).replace(day=1)
    last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    params = {"start": str(first), "end": str(last)}
    made = []
    for court in Court.objects.filter(is_active=True):
        for division in [None, *court.divisions.order_by("pk")]:
            for fmt in ("xlsx", "html"):
                job = ExportJob.objects.filter(
                    court=court,
                    division=division,
                    kind=ExportJob.Kind.MONTHLY_REPORT,
                    fmt=fmt,
                    params__start=params["start"],
                    params__end=params["end"],
                ).first() or ExportJob.objects.create(
                    court=court,
                    division=division,
                    kind=ExportJob.Kind.MONTHLY_REPORT,
                    fmt=fmt,
                    params=params,
                    created_at=timezone.now(),
                )
                if job.status != ExportJob.Status.DONE:
                    made.append(export_job_run(job.pk))
    return made


def export_jobs_for(person) -> Any:
    """The prepared exports a person may download: their own, and the monthly reports of
    their court (a division head: of their division and the court's whole)."""
    from django.db.models import Q

    jobs = ExportJob.objects.filter(court_id=person.court_id)
    mine = Q(requested_by=person.user)
    reports = Q(kind=ExportJob.Kind.MONTHLY_REPORT)
    if person.role == "division_head":
        reports &= Q(division__isnull=True) | Q(division_id=person.division_id)
    elif person.role not in ("president", "vice_president", "trial_manager"):
        reports = Q(pk__in=[])
    return jobs.filter(mine | reports).select_related("division").order_by("-created_at", "-id")
