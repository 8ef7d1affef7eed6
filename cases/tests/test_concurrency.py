"""Registrants filing at the same moment on PostgreSQL (real parallel connections)."""

from __future__ import annotations

import pytest

from cases.models import Case
from cases.tests.helpers import register_in_parallel

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_parallel_registrations_never_duplicate_a_case_number(committed_world):
    workers, per_worker = 8, 5
    register_in_parallel(committed_world, workers=workers, per_worker=per_worker)
    numbers = list(Case.objects.values_list("number", flat=True))
    assert len(numbers) == workers * per_worker == len(set(numbers))
    sequences = sorted(Case.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, workers * per_worker + 1))  # no gaps either
