"""System checks for the deployment and for the audit table's append-only guard."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.db import DatabaseError, connection


@register("courtflow")
def check_embedded_in_production(app_configs, **kwargs):
    """Production must not fall back to the embedded SQLite database or filesystem broker."""
    errors = []
    if settings.PRODUCTION:
        if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
            errors.append(
                Warning(
                    "COURTFLOW_ENV=production but DATABASE_URL is not PostgreSQL.",
                    hint="Set DATABASE_URL=postgres://…",
                    id="courtflow.W001",
                )
            )
        if settings.CELERY_BROKER_URL.startswith("filesystem://"):
            errors.append(
                Warning(
                    "COURTFLOW_ENV=production but the Celery broker is the filesystem.",
                    hint="Set CELERY_BROKER_URL=redis://…",
                    id="courtflow.W002",
                )
            )
    return errors


@register(Tags.database)
def check_audit_append_only(app_configs=None, databases=None, **kwargs):
    """The audit log's append-only triggers must be in place (`manage.py check --database
    default`; `make run` runs it before serving). Like Django's own database checks it runs
    only when asked for a database, so `check --deploy` reads settings, not data."""
    from courtflow import audit_triggers

    if not databases or "default" not in databases:
        return []
    try:
        gone = audit_triggers.missing(connection)
    except DatabaseError:  # not migrated yet
        return []
    if not gone:
        return []
    return [
        Error(
            f"The audit table is not append-only: trigger(s) {', '.join(sorted(gone))} missing.",
            hint="Run manage.py migrate (migrations reinstall them) or courtflow.audit_triggers.install().",
            id="courtflow.E001",
        )
    ]
