"""Registrants filing at the same moment on PostgreSQL: their upserts meet on the same rollup
rows (same day, same division) and none may be lost."""

from __future__ import annotations

import pytest
from django.utils import timezone

from assessment.apis import period_bounds
from assessment.metrics import court_metrics, court_metrics_raw
from assessment.tests.test_metrics_rollups import assert_in_step
from cases.models import Case, MetricsFlow
from cases.tests.helpers import register_in_parallel

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_parallel_filings_all_count_in_the_court_metrics(committed_world):
    workers, per_worker = 8, 5
    register_in_parallel(committed_world, workers=workers, per_worker=per_worker)
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
