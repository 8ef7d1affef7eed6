"""System checks: a year with no calendar data, or no catalog, is a visible problem.

Tagged ``database`` because they read tables: `manage.py check --database default` runs
them, and `make run` does so before serving."""

from __future__ import annotations

from django.core.checks import Tags, Warning, register
from django.db import DatabaseError


@register(Tags.database)
def check_calendar_years(app_configs=None, databases=None, **kwargs):
    from nodes.selectors import calendar_missing_years, catalog_current

    if not databases or "default" not in databases:
        return []  # like Django's database checks: only when asked for the database
    try:
        missing = calendar_missing_years()
        current = catalog_current()
    except DatabaseError:  # not migrated yet
        return []
    problems = [
        Warning(
            f"The court calendar has no data for {year}: deadlines in {year} are computed on a Monday–Friday "
            "basis and marked provisional.",
            hint="Import the State Council's holiday schedule: manage.py calendar_import FILE.csv",
            id="nodes.W001",
        )
        for year in missing
    ]
    if current is None:
        problems.append(
            Warning(
                "No node catalog is loaded.", hint="Run manage.py catalog_load", id="nodes.W002"
            )
        )
    return problems
