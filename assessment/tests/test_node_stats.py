"""Node statistics and the node exports: the counts a trial manager would check by hand,
every exported row resolving to the case, the person and the reason, spreadsheet-safe."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter

import pytest
from django.test import Client
from django.utils import timezone

from assessment.node_stats import node_instances_detail, node_stats
from cases.services.locks import case_unlock
from cases.tests.helpers import judge_of, register, serve, triage_and_assign
from nodes.models import CaseLock, NodeInstance
from nodes.sweep import sweep_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(world):
    """A simple civil case served, prompted, warned and locked on its overdue hearing
    schedule, then unlocked by the division head with a reason that looks like a formula;
    and a second case filed afterwards."""
    locked = triage_and_assign(
        world, register(world, "civil_simple", claim_amount="8000"), "simple"
    )
    serve(world, locked, "complaint_copy")
    node = NodeInstance.objects.get(case=locked, code="CIV-SIMPLE-SCHEDULE")
    for moment in (node.prompt_at, node.warn_at, node.due_at):  # prompt, warn, lock
        sweep_run(at=moment + dt.timedelta(minutes=1))
    locked.refresh_from_db()
    assert locked.locked
    head = locked.division.head.user
    case_unlock(
        actor=head,
        case=locked,
        reason='=HYPERLINK("x") 当事人已到庭',
        new_due_at=node.due_at + dt.timedelta(days=5),
    )
    # A second case filed after all that: it reaches the same node, still open.
    other = triage_and_assign(world, register(world, "civil_simple", claim_amount="9000"), "simple")
    period = {
        "court_id": world.court.pk,
        "start": timezone.now() - dt.timedelta(days=1),
        "end": node.due_at + dt.timedelta(days=30),
    }
    return world, locked, other, period


def test_counts_by_node(history):
    *_ignored, period = history
    rows = {r.code: r for r in node_stats(**period)}
    schedule = rows["CIV-SIMPLE-SCHEDULE"]
    assert schedule.reached == 2  # both cases reached it
    assert (schedule.locks_first, schedule.locks_second, schedule.unlocks) == (1, 0, 1)
    assert (schedule.prompted, schedule.warned) == (1, 1)
    assert (schedule.open, schedule.locked) == (2, 0)  # unlocked since, and the new one
    assert schedule.name_zh  # named from the catalog
    done = [r for r in rows.values() if r.on_time + r.late]
    assert done and all(r.median_hours is not None for r in done)
    assert all(r.p90_hours >= r.median_hours for r in done)


def test_suspended_days_count_the_time_nodes_stood_open_while_suspended(history):
    """The second case is served by publication (公告) for 10 days, twice recorded over the
    same days: every node open through it has 10 days, counted once; the locked case none."""
    import time_machine
    from django.db import transaction

    from cases.services.approvals import suspension_start

    _world, locked, other, period = history
    start = timezone.now()
    with transaction.atomic():
        for _twice in range(2):
            suspension_start(
                case=other,
                kind="publication",
                at=start,
                ends_at=start + dt.timedelta(days=10),
                actor=judge_of(other),
            )
    with time_machine.travel(start + dt.timedelta(days=12)):
        rows = {r.code: r for r in node_stats(**period)}
    through = Counter(
        NodeInstance.objects.filter(case=other, status="open", opened_at__lte=start).values_list(
            "code", flat=True
        )
    )
    assert through["CIV-SIMPLE-SCHEDULE"] == 1
    for code, n in through.items():
        assert rows[code].suspended_days == 10 * n, code
    # Nodes only the locked case has stood open through no suspension.
    only_locked = set(
        NodeInstance.objects.filter(case=locked).values_list("code", flat=True)
    ) - set(NodeInstance.objects.filter(case=other).values_list("code", flat=True))
    assert only_locked and all(rows[code].suspended_days == 0 for code in only_locked)


def test_levels_split_the_court(history):
    *_ignored, period = history
    court = {r.code: r.reached for r in node_stats(**period)}
    by_judge: dict[str, int] = {}
    for r in node_stats(level="judge", **period):
        assert r.unit
        by_judge[r.code] = by_judge.get(r.code, 0) + r.reached
    assert by_judge == court


def test_detail_export_names_case_person_and_reason(history):
    _world, locked, _other, period = history
    rows = list(node_instances_detail(**period, chunk_size=3))  # several chunks
    assert len(rows) == NodeInstance.objects.count()
    mine = [r for r in rows if r[0] == locked.number and r[4] == "CIV-SIMPLE-SCHEDULE"]
    (row,) = mine
    assert row[3] == locked.judge.name
    assert row[13] == 1 and row[16].startswith("=HYPERLINK")
    lock = CaseLock.objects.get(case=locked)
    assert row[15] == timezone.localtime(lock.unlocked_at).strftime("%Y-%m-%d %H:%M")


def test_pages_and_files_for_the_trial_manager(history):
    world, locked, _other, _period = history
    manager = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    manager.force_login(world.user("trialmgr"))
    today = timezone.localdate()
    query = {"start": f"{today - dt.timedelta(days=1)}", "end": f"{today + dt.timedelta(days=60)}"}
    page = manager.get("/stats/nodes/", query).content.decode()
    assert "CIV-SIMPLE-SCHEDULE" in page and "首次锁定" in page
    resp = manager.get("/stats/nodes/instances.csv", query)
    text = b"".join(resp.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff") and "案号" in text.splitlines()[0]
    assert locked.number in text
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text  # neutralised
    # The same rows open as a workbook with the Chinese text intact.
    import openpyxl

    resp = manager.get("/stats/nodes/instances.xlsx", query)
    book = openpyxl.load_workbook(io.BytesIO(b"".join(resp.streaming_content)), read_only=True)
    sheet = book.worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "案号" and any(locked.number == r[0] for r in values[1:])
    reason = next(r[16] for r in values[1:] if r[16])
    assert reason.startswith("=HYPERLINK")  # a string cell, not a formula
    assert sheet.cell(row=1, column=1).data_type == "s"
    summary = manager.get("/stats/nodes/export.xlsx", query)
    assert summary["Content-Type"].startswith("application/vnd.openxmlformats")


def test_node_stats_api_formats_and_scope(history):
    world, locked, _other, _period = history
    manager = Client()
    manager.force_login(world.user("trialmgr"))
    today = timezone.localdate()
    q = {"from": f"{today - dt.timedelta(days=1)}", "to": f"{today + dt.timedelta(days=60)}"}
    data = manager.get("/api/stats/nodes/", q).json()
    schedule = next(r for r in data if r["code"] == "CIV-SIMPLE-SCHEDULE")
    assert schedule["locks_first"] == 1 and schedule["unlocks"] == 1
    csv = manager.get("/api/stats/nodes/", {**q, "format": "csv", "rows": "instances"})
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    assert locked.number in b"".join(csv.streaming_content).decode("utf-8")
    refused = manager.get("/api/stats/nodes/", {**q, "rows": "instances"})
    assert refused.status_code == 400 and refused.json()["code"]
    judge = Client()
    judge.force_login(judge_of(locked))
    assert judge.get("/api/stats/nodes/", q).status_code == 403


@pytest.mark.parametrize("neutralise", [True, False])
def test_the_batched_rows_are_the_detail_rows(history, neutralise):
    """On PostgreSQL the rows come from one statement formatted by the database; they must
    be exactly what the Python path builds (neutralised for CSV, raw for XLSX)."""
    from courtflow.exports import safe_cell

    *_ignored, period = history
    from assessment.node_stats import node_instances_batches

    batched = [
        tuple("" if v is None else v for v in row)
        for rows in node_instances_batches(neutralise=neutralise, batch=4, **period)
        for row in rows
    ]
    expected = [
        tuple(
            "" if v is None else (safe_cell(v) if neutralise and isinstance(v, str) else v)
            for v in row
        )
        for row in node_instances_detail(**period)
    ]
    assert batched == expected
    assert any(
        str(v).startswith("'=HYPERLINK" if neutralise else "=HYPERLINK") for r in batched for v in r
    )
