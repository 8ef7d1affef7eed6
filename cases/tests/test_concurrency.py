"""Registrants filing at the same moment on PostgreSQL (real parallel connections)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from cases.models import Case
from cases.tests.helpers import register

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_parallel_registrations_never_duplicate_a_case_number(committed_world):
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
    numbers = list(Case.objects.values_list("number", flat=True))
    assert len(numbers) == workers * per_worker == len(set(numbers))
    sequences = sorted(Case.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, workers * per_worker + 1))  # no gaps either
