"""The application's PostgreSQL role (`manage.py audit_db_role`): through a real second
connection as that role, the audit table takes INSERT and SELECT and refuses UPDATE, DELETE
and TRUNCATE by privilege (not only by trigger), while cases can still be written."""

from __future__ import annotations

import os

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from cases.tests.helpers import register
from courtflow.models import AuditEvent

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def app_role(committed_world):
    import psycopg2

    role = f"courtflow_app_t{os.getpid()}"
    os.environ["HSEC_TEST_APP_PASSWORD"] = "app-secret-1"
    call_command("audit_db_role", "--role", role, "--password-env", "HSEC_TEST_APP_PASSWORD")
    settings = connection.settings_dict
    conn = psycopg2.connect(
        dbname=settings["NAME"],
        user=role,
        password="app-secret-1",
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
    )
    conn.autocommit = True
    try:
        yield committed_world, role, conn
    finally:
        conn.close()
        os.environ.pop("HSEC_TEST_APP_PASSWORD", None)
        with connection.cursor() as cursor:
            cursor.execute(f'DROP OWNED BY "{role}"')
            cursor.execute(f'DROP ROLE "{role}"')


def refused(conn, statement: str, params=()) -> str:
    import psycopg2

    with pytest.raises(psycopg2.errors.InsufficientPrivilege) as info, conn.cursor() as cursor:
        cursor.execute(statement, params)
    return str(info.value)


def test_the_app_role_appends_and_reads_the_audit_trail_but_cannot_rewrite_it(app_role):
    world, _role, conn = app_role
    case = register(world, "civil_simple", claim_amount="8000")
    with conn.cursor() as cursor:
        cursor.execute(
            "INSERT INTO courtflow_auditevent (at, actor_name, action, source, object_type, "
            "object_id, object_repr, reason) VALUES (now(), '', 'probe.inserted', 'system', "
            "'probe', '1', 'probe', '') RETURNING id"
        )
        probe_id = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM courtflow_auditevent WHERE case_id = %s", [case.pk])
        assert cursor.fetchone()[0] >= 1
    assert AuditEvent.objects.filter(pk=probe_id, action="probe.inserted").exists()

    # Refused by privilege: "permission denied", before any trigger is reached.
    for statement in (
        "UPDATE courtflow_auditevent SET reason = 'rewritten' WHERE id = %s",
        "DELETE FROM courtflow_auditevent WHERE id = %s",
    ):
        message = refused(conn, statement, [probe_id])
        assert "permission denied for table courtflow_auditevent" in message
    assert "permission denied" in refused(conn, "TRUNCATE courtflow_auditevent")
    assert "must be owner" in refused(
        conn, "DROP TRIGGER audit_no_update_delete ON courtflow_auditevent"
    )
    assert AuditEvent.objects.filter(pk=probe_id, reason="").exists()

    # The application's own tables stay fully writable.
    with conn.cursor() as cursor:
        cursor.execute("UPDATE cases_case SET cause = cause || '' WHERE id = %s", [case.pk])
        assert cursor.rowcount == 1
        cursor.execute("SELECT count(*) FROM django_session")
        cursor.execute("DELETE FROM django_session WHERE session_key = 'none'")
    assert "permission denied" in refused(conn, "DELETE FROM django_migrations WHERE app = 'none'")


def test_the_command_is_idempotent_and_refuses_the_owner_role(app_role):
    _world, role, _conn = app_role
    call_command("audit_db_role", "--role", role)  # again: same grants, no error
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT privilege_type FROM information_schema.role_table_grants "
            "WHERE grantee = %s AND table_name = 'courtflow_auditevent' ORDER BY 1",
            [role],
        )
        assert [r[0] for r in cursor.fetchall()] == ["INSERT", "SELECT"]
        cursor.execute(
            "SELECT count(DISTINCT table_name) FROM information_schema.role_table_grants "
            "WHERE grantee = %s AND privilege_type = 'DELETE'",
            [role],
        )
        assert cursor.fetchone()[0] > 50
    with pytest.raises(CommandError, match="second role"):
        call_command("audit_db_role", "--role", connection.settings_dict["USER"])
