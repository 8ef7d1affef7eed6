"""Registrants filing at the same moment on PostgreSQL: their upserts meet on the same rollup
rows (same day, same division) and none may be lost."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.utils import timezone

from assessment.apis import period_bounds
from assessment.metrics import court_metrics, court_metrics_raw
from assessment.tests.test_metrics_rollups import assert_in_step
from cases.models import Case, MetricsFlow
from cases.tests.helpers import register

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_parallel_filings_all_count_in_the_court_metrics(committed_world):
    workers, per_worker = 8, 5
    errors: list[BaseException] = []
    barrier = threading.Barrier(workers)

    def file_cases() -> None:
        try:
            barrier.wait()
            for _ in range(per_worker):
                register(committed_world, "civil_simple")
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=file_cases) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    court = committed_world.court.pk
    # The 40 share one court row per filing day (one, unless midnight fell in between): each
    # upsert added to it, none overwrote another.
    days = {timezone.localdate(c.filed_at) for c in Case.objects.filter(court_id=court)}
    assert MetricsFlow.objects.filter(court_id=court, level=0).count() == len(days)
    start, end = period_bounds(min(days), max(days))
    (m,) = court_metrics(court_id=court, start=start, end=end)
    assert m.new == workers * per_worker
    assert [m] == court_metrics_raw(court_id=court, start=start, end=end)
    assert_in_step(court, "parallel filings")
