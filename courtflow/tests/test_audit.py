"""The audit trail is append-only in the database itself, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from courtflow.audit import audit_record
from courtflow.context import source_scope
from courtflow.models import AuditEvent
from teams import services
from teams.tests.factories import CourtFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _one_event() -> AuditEvent:
    with transaction.atomic():
        return audit_record(
            actor=None,
            action="test.recorded",
            object_type="test",
            object_id=1,
            after={"x": 1},
            reason="why",
        )


def test_orm_update_is_refused():
    event = _one_event()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(reason="rewritten")
    event.refresh_from_db()
    assert event.reason == "why"


def test_save_of_existing_row_is_refused():
    event = _one_event()
    event.reason = "rewritten"
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        event.save()


def test_orm_and_raw_delete_are_refused():
    event = _one_event()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM courtflow_auditevent")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)  # commit the row first: TRUNCATE must meet the trigger
def test_truncate_is_refused_on_postgres():
    _one_event()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("TRUNCATE courtflow_auditevent")
    assert AuditEvent.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_audit_outside_a_transaction_is_a_programming_error():
    with pytest.raises(RuntimeError, match="inside the transaction"):
        audit_record(actor=None, action="test.orphan", object_type="test")


def test_event_rolls_back_with_the_change_it_records():
    """A refused change leaves neither the change nor its audit event."""
    court = CourtFactory()
    before = AuditEvent.objects.count()
    with pytest.raises(Exception, match="boom"), transaction.atomic():
        services.coefficient_set(actor=None, court=court, category="judge", value="0.9")
        raise Exception("boom")
    assert AuditEvent.objects.count() == before
    assert court.coefficients.get(category="judge").value == 1


def test_event_names_actor_source_court_and_values():
    court = CourtFactory()
    manager = PersonFactory(court=court, role="trial_manager")
    with source_scope("api"):
        services.coefficient_set(
            actor=manager.user,
            court=court,
            category="assistant",
            value="0.55",
            reason="2026 年度调整",
        )
    event = AuditEvent.objects.filter(action="coefficient.changed").latest("id")
    assert event.actor == manager.user
    assert event.actor_name == manager.name
    assert event.source == "api"
    assert event.court_id == court.pk
    assert event.before == {"value": "0.60"}
    assert event.after == {"category": "assistant", "value": "0.55"}
    assert event.reason == "2026 年度调整"


def test_system_check_reports_missing_triggers():
    """A migration that rebuilds the audit table on SQLite drops its triggers; the database
    check run by `make run` must say so rather than leave the log silently editable."""
    from courtflow import audit_triggers
    from courtflow.checks import check_audit_append_only

    assert check_audit_append_only(databases=["default"]) == []
    try:
        audit_triggers.remove(connection)
        problems = check_audit_append_only(databases=["default"])
        assert [p.id for p in problems] == ["courtflow.E001"]
        assert "append-only" in problems[0].msg
    finally:
        audit_triggers.install(connection)
    assert check_audit_append_only(databases=["default"]) == []
