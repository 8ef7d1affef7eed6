"""Catalog page: the nodes with their legal bases, counts, filters, and a due-date calculator."""

from __future__ import annotations

import contextlib

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

from nodes import selectors
from nodes.vocab import GATES, Level, Phase, Procedure
from teams.roles import Role


@login_required
def catalog_page(request: HttpRequest) -> HttpResponse:
    """Every node of the current catalog; filters by phase, procedure and level."""
    phase = request.GET.get("phase") if request.GET.get("phase") in Phase.values else None
    procedure = (
        request.GET.get("procedure") if request.GET.get("procedure") in Procedure.values else None
    )
    level = request.GET.get("level") if request.GET.get("level") in Level.values else None
    version = selectors.catalog_current()
    all_nodes = selectors.catalog_nodes(version=version)
    nodes = selectors.catalog_nodes(version=version, phase=phase, procedure=procedure, level=level)
    english = translation.get_language() == "en"
    role_labels = dict(Role.choices)
    procedure_labels = dict(Procedure.choices)
    rows = [
        {
            "node": n,
            "name": n.name_en if english else n.name_zh,
            "basis": n.basis_en if english else n.basis_zh,
            "owner": role_labels.get(n.owner_role, n.owner_role),
            "gate": (GATES[n.gates][1] if english else GATES[n.gates][0]) if n.gates else "",
            "procedures": [procedure_labels.get(p, p) for p in n.procedures],
        }
        for n in nodes
    ]
    return render(
        request,
        "nodes/catalog.html",
        {
            "version": version,
            "rows": rows,
            "counts": selectors.catalog_counts(all_nodes),
            "total": len(all_nodes),
            "general_total": sum(1 for n in all_nodes if n.level == Level.GENERAL),
            "important_total": sum(1 for n in all_nodes if n.level == Level.IMPORTANT),
            "phases": Phase.choices,
            "procedures": Procedure.choices,
            "levels": Level.choices,
            "selected": {"phase": phase or "", "procedure": procedure or "", "level": level or ""},
            "shown": len(nodes),
        },
    )


@login_required
def inbox_page(request: HttpRequest) -> HttpResponse:
    """The user's notifications, newest first; mark one or all read."""
    from django.core.paginator import Paginator
    from django.shortcuts import redirect

    from courtflow.errors import DomainError
    from nodes.models import Notification
    from nodes.services.inbox import notifications_mark_read

    if request.method == "POST":
        with contextlib.suppress(DomainError):  # someone else's or gone: nothing to mark
            notifications_mark_read(user=request.user, notification_id=request.POST.get("id", ""))
        return redirect(request.get_full_path())
    qs = Notification.objects.filter(recipient=request.user).select_related(
        "case", "node__definition"
    )
    if request.GET.get("unread") == "1":
        qs = qs.filter(read_at__isnull=True)
    page = Paginator(qs.order_by("-created_at", "-id"), 50).get_page(request.GET.get("page"))
    english = translation.get_language() == "en"
    kinds = dict(Notification.Kind.choices)
    items = []
    for note in page:
        text = note.title
        if english and note.case_id:
            node = note.node.definition.name_en if note.node_id else ""
            text = f"{kinds.get(note.kind, note.kind)}: {note.case.number}" + (
                f" — {node}" if node else ""
            )
        items.append({"note": note, "text": text})
    return render(
        request,
        "nodes/inbox.html",
        {"page": page, "items": items, "unread_only": request.GET.get("unread") == "1"},
    )


@login_required
def calendar_page(request: HttpRequest) -> HttpResponse:
    """A year of the court calendar: holidays, rest days and 调休 working weekends, with
    their source. Trial managers correct a day in the administration (audited)."""
    import calendar as pycal
    import datetime as dt

    from django.utils import timezone

    from nodes.models import CalendarDay

    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    year = min(max(year, 2000), 2100)
    days = {d.date: d for d in CalendarDay.objects.filter(date__year=year)}
    months = []
    for month in range(1, 13):
        weeks = []
        for week in pycal.Calendar(firstweekday=0).monthdatescalendar(year, month):
            cells = []
            for day in week:
                record = days.get(day)
                if day.month != month:
                    cells.append(None)
                    continue
                weekend = day.weekday() >= 5
                workday = record.is_workday if record else not weekend
                cells.append(
                    {
                        "date": day,
                        "workday": workday,
                        "holiday": bool(record and not record.is_workday and not weekend),
                        "swapped": bool(record and record.is_workday and weekend),
                        "name": record.name if record else "",
                        "today": day == today,
                    }
                )
            weeks.append(cells)
        months.append({"month": dt.date(year, month, 1), "weeks": weeks})
    missing = selectors.calendar_missing_years([year])
    return render(
        request,
        "nodes/calendar.html",
        {
            "year": year,
            "months": months,
            "missing": bool(missing),
            "holidays": sorted((d for d in days.values() if d.name), key=lambda d: d.date),
            "can_edit": request.user.has_perm("nodes.change_calendarday"),
        },
    )
