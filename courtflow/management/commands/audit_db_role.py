"""Create or update the PostgreSQL role the application connects as:
`manage.py audit_db_role --role courtflow_app` (run as the owner, after every `migrate`).

The role owns nothing. It may SELECT, INSERT, UPDATE and DELETE on every application table
except two: on the audit table (courtflow_auditevent) it may only INSERT and SELECT, so no
one using the application's credentials can rewrite history, even around the triggers
(which the table's owner could drop); on django_migrations it may only SELECT. Sequences:
USAGE and SELECT. Run it again after each `migrate`: tables a migration creates get their
grants then. Idempotent; the password, if any, comes from an environment variable so it
never appears in the shell history or the process list.
"""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from courtflow.audit_triggers import TABLE as AUDIT_TABLE

READ_ONLY_TABLES = ("django_migrations",)


class Command(BaseCommand):
    help = (
        "Create or update the application's PostgreSQL role: full DML on the application's "
        "tables, INSERT and SELECT only on the audit table. Run as the owner after migrate."
    )

    def add_arguments(self, parser):
        parser.add_argument("--role", default="courtflow_app", help="The application's role.")
        parser.add_argument(
            "--password-env",
            metavar="VARIABLE",
            help="Set the role's password from this environment variable (LOGIN role).",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)
        parser.add_argument("--schema", default="public")

    def handle(self, *args, role, password_env, database, schema, **options):
        connection = connections[database]
        if connection.vendor != "postgresql":
            raise CommandError(
                "audit_db_role is for PostgreSQL; on SQLite the audit table's triggers are the "
                "guard (the embedded database has no roles)."
            )
        from psycopg2 import sql

        password = None
        if password_env:
            password = os.environ.get(password_env)
            if not password:
                raise CommandError(f"The environment variable {password_env} is empty.")
        owner = connection.settings_dict["USER"]
        if role == owner:
            raise CommandError(
                f"{role} is the role migrations run as (the tables' owner); the application "
                "needs a second role."
            )
        ident = sql.Identifier(role)
        with transaction.atomic(using=database), connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if cursor.fetchone() is None:
                cursor.execute(
                    sql.SQL("CREATE ROLE {} LOGIN").format(ident).as_string(cursor.cursor)
                )
                self.stdout.write(f"Created role {role}.")
            cursor.execute(
                sql.SQL("ALTER ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS")
                .format(ident)
                .as_string(cursor.cursor)
            )
            if password is not None:
                cursor.execute(
                    sql.SQL("ALTER ROLE {} PASSWORD {}")
                    .format(ident, sql.Literal(password))
                    .as_string(cursor.cursor)
                )
            owned = self._owned_by(cursor, role)
            if owned:
                raise CommandError(
                    f"{role} owns {', '.join(owned[:5])}: the application role must own nothing "
                    "(an owner can drop the audit triggers). Reassign them to the owner role "
                    f"(REASSIGN OWNED BY {role} TO {owner}) and run this again."
                )
            cursor.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY tablename",
                [schema],
            )
            tables = [row[0] for row in cursor.fetchall()]
            if AUDIT_TABLE not in tables:
                raise CommandError(f"{AUDIT_TABLE} does not exist yet: run migrate first.")
            schema_ident = sql.Identifier(schema)
            statements = [
                sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
                    sql.Identifier(connection.settings_dict["NAME"]), ident
                ),
                sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(schema_ident, ident),
                # Start from nothing, so a privilege granted by hand earlier does not linger.
                sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA {} FROM {}").format(
                    schema_ident, ident
                ),
                sql.SQL("REVOKE ALL ON ALL SEQUENCES IN SCHEMA {} FROM {}").format(
                    schema_ident, ident
                ),
                sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {} TO {}").format(
                    schema_ident, ident
                ),
            ]
            counts = {"dml": 0, "insert_select": 0, "select": 0}
            for table in tables:
                target = sql.SQL("{}.{}").format(schema_ident, sql.Identifier(table))
                if table == AUDIT_TABLE:
                    privileges, kind = "SELECT, INSERT", "insert_select"
                elif table in READ_ONLY_TABLES:
                    privileges, kind = "SELECT", "select"
                else:
                    privileges, kind = "SELECT, INSERT, UPDATE, DELETE", "dml"
                statements.append(
                    sql.SQL("GRANT " + privileges + " ON {} TO {}").format(target, ident)
                )
                counts[kind] += 1
            for statement in statements:
                cursor.execute(statement.as_string(cursor.cursor))
        self.stdout.write(
            f"{role}: SELECT/INSERT/UPDATE/DELETE on {counts['dml']} tables, "
            f"INSERT and SELECT only on {AUDIT_TABLE}, SELECT only on "
            f"{', '.join(READ_ONLY_TABLES)}; owns nothing. Connect the application as {role}; "
            f"run migrations as {owner}, then this command again."
        )

    @staticmethod
    def _owned_by(cursor, role: str) -> list[str]:
        cursor.execute(
            """
            SELECT c.relname FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner
            WHERE r.rolname = %s
            UNION ALL
            SELECT p.proname FROM pg_proc p JOIN pg_roles r ON r.oid = p.proowner
            WHERE r.rolname = %s
            UNION ALL
            SELECT n.nspname FROM pg_namespace n JOIN pg_roles r ON r.oid = n.nspowner
            WHERE r.rolname = %s
            """,
            [role, role, role],
        )
        return [row[0] for row in cursor.fetchall()]
