"""Court metrics checked against the sources' figures and against a table of cases whose
every count a trial manager could verify by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from assessment.metrics import closed_to_new, closure_rate, court_metrics, percent
from cases.models import Case, Suspension
from cases.rollups import rollup_rebuild
from cases.tests.helpers import register, triage_and_assign

# (new, closed, carried over, 结收比, 结案率) — 海淀, January to October 2020 (reform report):
# 64,775 new and 55,257 closed cases, 结收比 85.31%.
SOURCE_FIGURES = [
    (64_775, 55_257, 0, Decimal("85.31"), Decimal("85.31")),
    (100, 95, 25, Decimal("95.00"), Decimal("76.00")),
    (0, 3, 4, None, Decimal("75.00")),
]


@pytest.mark.parametrize("new,closed,carried,ratio,rate", SOURCE_FIGURES)
def test_ratios_from_the_sources(new, closed, carried, ratio, rate):
    assert closed_to_new(closed, new) == ratio
    assert closure_rate(closed, carried, new) == rate


def test_percent_rounds_half_up_and_refuses_a_zero_denominator():
    assert percent(1, 8) == Decimal("12.50")
    assert percent(2, 3) == Decimal("66.67")
    assert percent(5, 0) is None


def at(y, m, d):
    return timezone.make_aware(dt.datetime(y, m, d, 10, 0))


# name: (filed, closed, 审限 due) — the period is 2026-01-01 to 2026-07-01.
TABLE = {
    "A": (at(2025, 3, 1), None, None),  # carried over, pending, over 12 months
    "B": (at(2024, 6, 1), at(2026, 3, 1), None),  # backlog at the start, cleared
    "C": (at(2026, 2, 1), at(2026, 4, 1), at(2026, 5, 1)),  # new, closed within the 审限
    "D": (at(2026, 2, 1), at(2026, 6, 1), at(2026, 5, 1)),  # new, closed late
    "E": (at(2026, 8, 1), None, None),  # after the period: not counted
    "F": (at(2025, 1, 1), at(2025, 12, 1), None),  # closed before the period: not counted
    "G": (at(2024, 5, 1), None, None),  # pending over 24 months, backlog not cleared
}


@pytest.fixture
def table(world):
    cases = {}
    for name, (filed, closed, limit) in TABLE.items():
        case = triage_and_assign(
            world, register(world, "civil_simple", claim_amount="5000"), "simple"
        )
        Case.objects.filter(pk=case.pk).update(
            filed_at=filed, closed_at=closed, trial_limit_due_at=limit
        )
        cases[name] = case
    # C's 审限 stood suspended for 10 days (鉴定), and twice over 3 of them: counted once.
    Suspension.objects.create(
        case=cases["C"], kind="appraisal", started_at=at(2026, 3, 1), ended_at=at(2026, 3, 11)
    )
    Suspension.objects.create(
        case=cases["C"], kind="publication", started_at=at(2026, 3, 8), ended_at=at(2026, 3, 11)
    )
    rollup_rebuild(world.court.pk)  # the rows above were written past the services
    return world, cases


def test_court_metrics_count_the_table_by_hand(table):
    world, _cases = table
    (m,) = court_metrics(court_id=world.court.pk, start=at(2026, 1, 1), end=at(2026, 7, 1))
    assert (m.new, m.closed, m.carried_over, m.pending) == (2, 3, 3, 2)
    assert m.closure_rate == Decimal("60.00")  # 3 ÷ (3 + 2)
    assert m.closed_to_new == Decimal("150.00")  # 3 ÷ 2
    assert (m.closed_with_limit, m.closed_within_limit, m.within_limit_rate) == (
        2,
        1,
        Decimal("50.00"),
    )
    assert (m.pending_over_12, m.pending_over_24) == (2, 1)
    assert (m.backlog_at_start, m.backlog_cleared, m.backlog_clearance) == (2, 1, Decimal("50.00"))
    # Days to disposition net of suspensions: B 638, C 59 − 10 = 49, D 120.
    assert m.median_days == Decimal("120.0")
    assert m.mean_days == Decimal("269.0")
    # Pending at the end: A 487 days, G 791 days.
    assert m.pending_median_age == Decimal("639.0")


def test_levels_add_up_to_the_court(table):
    world, _cases = table
    period = {"start": at(2026, 1, 1), "end": at(2026, 7, 1)}
    (court,) = court_metrics(court_id=world.court.pk, **period)
    for level in ("division", "team", "judge"):
        rows = court_metrics(court_id=world.court.pk, level=level, **period)
        assert rows and all(r.name for r in rows)
        assert sum(r.closed for r in rows) == court.closed
        assert sum(r.new for r in rows) == court.new
        assert sum(r.pending for r in rows) == court.pending


def test_court_metrics_api_is_scoped_and_validated(table):
    world, cases = table
    manager = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    manager.force_login(world.user("trialmgr"))
    url = "/api/stats/court-metrics/"
    resp = manager.get(url, {"from": "2026-01-01", "to": "2026-06-30"})
    assert resp.status_code == 200, resp.content
    (row,) = resp.json()["rows"]
    assert (row["new"], row["closed"], row["closure_rate"]) == (2, 3, "60.00")
    by_division = manager.get(url, {"from": "2026-01-01", "to": "2026-06-30", "level": "division"})
    assert {r["name"] for r in by_division.json()["rows"]} == {cases["C"].division.name}
    bad = manager.get(url, {"from": "2026-07-01", "to": "2026-01-01"})
    assert bad.status_code == 400 and "code" in bad.json()
    judge = Client()
    judge.force_login(cases["C"].judge.user)
    assert judge.get(url, {"from": "2026-01-01", "to": "2026-06-30"}).status_code == 403
    # A division head sees their own division whatever they ask for.
    head = Client()
    head.force_login(cases["C"].division.head.user)
    other = world.court.divisions.exclude(pk=cases["C"].division_id).first()
    mine = head.get(url, {"from": "2026-01-01", "to": "2026-06-30", "division": other.pk})
    assert mine.status_code == 404
    own = head.get(url, {"from": "2026-01-01", "to": "2026-06-30"})
    assert own.json()["rows"][0]["closed"] == 3


def test_metrics_page_and_csv_for_the_trial_manager(table):
    world, _cases = table
    manager = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    manager.force_login(world.user("trialmgr"))
    home = manager.get("/home/trial_manager/").content.decode()
    assert 'href="/stats/"' in home  # reachable from the navigation
    query = {"start": "2026-01-01", "end": "2026-06-30", "level": "court"}
    page = manager.get("/stats/", query).content.decode()
    assert "结收比" in page and "150.00" in page and "60.00" in page
    resp = manager.get("/stats/court-metrics.csv", query)
    assert resp["Content-Type"].startswith("text/csv")
    text = b"".join(resp.streaming_content).decode("utf-8-sig")
    header, row = text.splitlines()[:2]
    assert "结案率" in header and row.startswith("2026-01-01 – 2026-06-30,")
    assert ",60.00," in row
    bad = manager.get("/stats/", {"start": "2026-07-01", "end": "2026-01-01"})
    assert bad.status_code == 400 and "field-error" in bad.content.decode()
    judge = Client()
    judge.force_login(_cases["C"].judge.user)
    assert judge.get("/stats/").status_code == 404


def test_the_period_fields_show_their_dates_to_the_browser(world):
    """A date input shows nothing unless its value is ISO (yyyy-mm-dd), whatever the locale."""
    manager = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    manager.force_login(world.user("trialmgr"))
    today = timezone.localdate()
    for url in ("/stats/", "/stats/nodes/", "/stats/indicators/", "/stats/quotas/"):
        page = manager.get(url).content.decode()
        assert f'value="{today.replace(month=1, day=1):%Y-%m-%d}"' in page, url
        assert f'value="{today:%Y-%m-%d}"' in page, url


def test_audit_extract_and_metrics_workbook(table):
    import io

    import openpyxl

    world, cases = table
    manager = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    manager.force_login(world.user("trialmgr"))
    today = timezone.localdate()
    query = {"start": f"{today - dt.timedelta(days=1)}", "end": f"{today}"}
    resp = manager.get("/stats/audit.csv", {**query, "case_number": cases["C"].number})
    text = b"".join(resp.streaming_content).decode("utf-8")
    lines = text.splitlines()
    assert lines[0].startswith("\ufeff时间") and len(lines) > 2
    assert all(cases["C"].number in line for line in lines[1:])
    assert "登记" in text  # actions in words
    workbook = manager.get("/stats/audit.xlsx", query)
    book = openpyxl.load_workbook(io.BytesIO(b"".join(workbook.streaming_content)), read_only=True)
    assert next(book.worksheets[0].iter_rows(values_only=True))[0] == "时间"
    metrics = manager.get(
        "/stats/court-metrics.xlsx", {"start": "2026-01-01", "end": "2026-06-30", "level": "court"}
    )
    book = openpyxl.load_workbook(io.BytesIO(b"".join(metrics.streaming_content)), read_only=True)
    header, row = list(book.worksheets[0].iter_rows(values_only=True))[:2]
    assert header[0] == "期间" and row[2] == 2  # new
    judge = Client()
    judge.force_login(cases["C"].judge.user)
    assert judge.get("/stats/audit.csv", query).status_code == 404
