"""Every write to the calendar and the catalog: atomic, checked, audited."""

from nodes.services.calendar import (
    calendar_day_set,
    calendar_import_csv,
    calendar_seed_from_package,
)
from nodes.services.catalog import catalog_load, node_setting_set

__all__ = [
    "calendar_day_set",
    "calendar_import_csv",
    "calendar_seed_from_package",
    "catalog_load",
    "node_setting_set",
]
