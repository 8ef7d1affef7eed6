"""Reads of the calendar and the catalog."""

from __future__ import annotations

import calendar as _cal
import threading
import time
from collections import Counter

from django.db.models import Count, Max, QuerySet
from django.utils import timezone

from nodes.models import CalendarDay, CatalogVersion, NodeDefinition, NodeSetting
from nodes.periods import Calendar
from nodes.vocab import Level, Phase

_lock = threading.Lock()
_cached: dict[str, object] = {"key": None, "calendar": None, "checked": 0.0}
# How long a process trusts its cached calendar before checking for edits (one aggregate query).
CALENDAR_RECHECK_SECONDS = 2.0


def calendar_load() -> Calendar:
    """The court calendar as a pure value for period arithmetic. Cached per process; an edit
    is picked up within CALENDAR_RECHECK_SECONDS (an edit in this process at once)."""
    now = time.monotonic()
    with _lock:
        if _cached["calendar"] is not None and now - _cached["checked"] < CALENDAR_RECHECK_SECONDS:
            return _cached["calendar"]  # type: ignore[return-value]
    stamp = CalendarDay.objects.aggregate(n=Count("date"), last=Max("updated_at"))
    key = (stamp["n"], stamp["last"])
    with _lock:
        if _cached["key"] == key and _cached["calendar"] is not None:
            _cached["checked"] = now
            return _cached["calendar"]  # type: ignore[return-value]
    days: dict = {}
    names: dict = {}
    per_year: Counter[int] = Counter()
    for date, workday, name in CalendarDay.objects.values_list(
        "date", "is_workday", "name"
    ).iterator(2000):
        days[date] = workday
        if name:
            names[date] = name
        per_year[date.year] += 1
    covered = frozenset(y for y, n in per_year.items() if n == (366 if _cal.isleap(y) else 365))
    cal = Calendar(days=days, names=names, covered_years=covered)
    with _lock:
        _cached["key"], _cached["calendar"], _cached["checked"] = key, cal, now
    return cal


def calendar_changed() -> None:
    """Forget the cached calendar (called by the calendar services after a change)."""
    with _lock:
        _cached["checked"] = 0.0


def calendar_missing_years(years: list[int] | None = None) -> list[int]:
    """Years (this and next by default) the court calendar has no complete data for."""
    today = timezone.localdate()
    years = years or [today.year, today.year + 1]
    covered = calendar_load().covered_years
    return [y for y in years if y not in covered]


def catalog_current() -> CatalogVersion | None:
    return CatalogVersion.objects.filter(is_current=True).first()


def catalog_nodes(
    *,
    version: CatalogVersion | None = None,
    phase: str | None = None,
    procedure: str | None = None,
    level: str | None = None,
) -> list[NodeDefinition]:
    """Nodes of a catalog version (the current one by default), filtered, in file order."""
    version = version or catalog_current()
    if version is None:
        return []
    qs: QuerySet[NodeDefinition] = NodeDefinition.objects.filter(version=version)
    if phase:
        qs = qs.filter(phase=phase)
    if level:
        qs = qs.filter(level=level)
    nodes = list(qs.order_by("line"))
    if procedure:  # a JSON list; filtered here because SQLite has no JSON containment
        nodes = [n for n in nodes if procedure in n.procedures]
    return nodes


def catalog_counts(nodes: list[NodeDefinition]) -> list[dict]:
    """Per phase: general, important and total, in phase order, plus a total row."""
    table = Counter((n.phase, n.level) for n in nodes)
    rows = []
    for phase in Phase:
        general, important = (
            table[(phase.value, Level.GENERAL)],
            table[(phase.value, Level.IMPORTANT)],
        )
        if general or important:
            rows.append(
                {
                    "phase": phase.value,
                    "label": phase.label,
                    "general": general,
                    "important": important,
                    "total": general + important,
                }
            )
    return rows


def node_settings_for(court_id: int) -> dict[str, NodeSetting]:
    """A court's node adjustments by node code."""
    return {s.code: s for s in NodeSetting.objects.filter(court_id=court_id)}
