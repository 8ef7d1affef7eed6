"""System checks for the deployment (more arrive with the calendar and the sweep)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Warning, register


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
