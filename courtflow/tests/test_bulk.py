"""insert_rows writes exactly what the ORM would have written, on both databases (COPY on
PostgreSQL, multi-row INSERT on SQLite), and refuses a duplicate the same way."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from courtflow.audit import AUDIT_COLUMNS, audit_insert_rows
from courtflow.bulk import insert_rows
from courtflow.models import AuditEvent

pytestmark = pytest.mark.django_db

AWKWARD = [
    "",
    "民间借贷纠纷",
    "tab\there",
    "line\nbreak\r\nand return",
    "back\\slash \\N and \\t",
    "quote ' and \" and ,",
]


def test_awkward_values_round_trip():
    at = dt.datetime(2026, 11, 25, 23, 59, 59, 123456, tzinfo=dt.UTC)
    rows = [
        (
            at,
            None,
            text,
            "test.bulk",
            "system",
            None if i % 2 else 7,
            "test",
            str(i),
            text,
            None,
            None,
            {"text": text, "n": i, "nested": [None, True, "（2026）京0102民初1号"]},
            {} if i % 2 else {"x": None},
            text,
        )
        for i, text in enumerate(AWKWARD)
    ]
    with transaction.atomic():
        assert insert_rows(AuditEvent, AUDIT_COLUMNS, rows) == len(AWKWARD)
    stored = {e.object_id: e for e in AuditEvent.objects.filter(action="test.bulk")}
    assert len(stored) == len(AWKWARD)
    for i, text in enumerate(AWKWARD):
        event = stored[str(i)]
        assert event.at == at
        assert event.actor_name == text
        assert event.object_repr == text
        assert event.reason == text
        assert event.court_id == (None if i % 2 else 7)
        assert event.before == {
            "text": text,
            "n": i,
            "nested": [None, True, "（2026）京0102民初1号"],
        }
        assert event.after == ({} if i % 2 else {"x": None})


def test_no_rows_writes_nothing():
    with transaction.atomic():
        assert insert_rows(AuditEvent, AUDIT_COLUMNS, []) == 0
        assert audit_insert_rows([]) == 0
    assert not AuditEvent.objects.exists()


def test_duplicate_is_refused_as_integrity_error():
    from nodes.models import SweepAction

    at = dt.datetime(2026, 11, 25, tzinfo=dt.UTC)
    row = (1, 1, 1, "lock", 1, at, at)
    columns = ("instance_id", "case_id", "court_id", "kind", "round", "at", "due_at")
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_rows(SweepAction, columns, [row, row])
    assert not SweepAction.objects.exists()
