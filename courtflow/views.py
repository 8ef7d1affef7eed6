"""Sign-in landing: every role lands on its own home page."""

from __future__ import annotations

import sys

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import defaults

from courtflow.middleware import DATABASE_ERRORS, database_unavailable
from teams import selectors as team_selectors
from teams.access import person_for_user
from teams.models import Booking, HRCoefficient, TeamType
from teams.roles import Role

# Roles whose home shows their own team.
TEAM_ROLES = {Role.JUDGE, Role.ASSISTANT, Role.BAILIFF, Role.MEDIATOR}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send the user to their role's home page (superusers without a court to the admin)."""
    person = person_for_user(request.user)
    if person is None:
        if request.user.is_superuser or request.user.is_staff:
            return redirect("admin:index")
        return render(request, "home/no_person.html", status=403)
    return redirect("role-home", role=person.role)


@login_required
def role_home(request: HttpRequest, role: str) -> HttpResponse:
    """The home page of the signed-in user's role; another role's home does not exist for them."""
    person = person_for_user(request.user)
    if person is None or person.role != role or role not in Role.values:
        raise Http404
    context: dict = {"role": Role(role), "today": timezone.localdate()}
    current_team = team_selectors.person_current_team(person)
    if current_team is not None:
        context["team"] = team_selectors.team_list(court_id=person.court_id).get(pk=current_team.pk)
        context["team_sum"] = team_selectors.team_coefficient_sum(current_team)
        context["team_target"] = team_selectors.team_annual_target(current_team)
    if role == Role.CLERK:
        context["bookings"] = (
            Booking.objects.filter(
                clerk=person, cancelled_at__isnull=True, ends_at__gte=timezone.now()
            )
            .select_related("courtroom")
            .order_by("starts_at")[:20]
        )
        context["in_pool"] = current_team is None
    if role == Role.DIVISION_HEAD and person.division_id:
        context.update(_division_console(request, person))
    if role in (Role.PRESIDENT, Role.VICE_PRESIDENT):
        context.update(_president_console(request, person))
    if role == Role.ASSISTANT:
        from cases.selectors import assistant_nodes

        context["assistant_nodes"] = assistant_nodes(user=request.user)[:100]
        context["now"] = timezone.now()
    if role == Role.REGISTRAR:
        from cases.lifecycle import Stage
        from cases.models import Case

        context["recent_cases"] = (
            Case.objects.filter(court_id=person.court_id, stage__in=[Stage.RECEIVED, Stage.FILED])
            .select_related("division")
            .order_by("-id")[:20]
        )
    if role == Role.TRIAL_MANAGER:
        context.update(_hot_spots(person))
        context["coefficients"] = HRCoefficient.objects.filter(court_id=person.court_id).order_by(
            "-value"
        )
        context["team_types"] = TeamType.objects.filter(court_id=person.court_id).prefetch_related(
            "seats"
        )
    return render(request, f"home/{role}.html", context)


def _decide_forms(approvals) -> list[tuple]:
    from cases.action_forms import DecideForm

    return [(a, DecideForm(prefix=f"decide-{a.pk}")) for a in approvals]


def _division_console(request: HttpRequest, person) -> dict:
    """The division head's morning: the supervision list, locked cases to unlock in two clicks,
    requests to decide, cases to triage, the teams' load and the division's locks."""
    from cases.action_forms import TriageForm, UnlockForm
    from cases.console import lock_counts, team_load
    from cases.selectors import Action
    from cases.services.approvals import approvals_pending_for
    from cases.services.locks import court_rules
    from cases.services.triage import triage_queue
    from nodes.supervision import daily_list

    sections = daily_list(court_id=person.court_id, division_id=person.division_id)
    rules = court_rules(person.court_id)
    locked = next(s for s in sections if s.key == "locked")
    triage = list(triage_queue(court_id=person.court_id, division_id=person.division_id)[:30])
    triage_action = Action("triage", "", "form", fields=["complexity", "reason"])
    return {
        "sections": [s for s in sections if s.key != "locked"],
        "locked_section": locked,
        "unlock_form": UnlockForm(grace_days=min(5, rules.max_grace_days)),
        "max_grace_days": rules.max_grace_days,
        "approvals": _decide_forms(approvals_pending_for(user=request.user)[:50]),
        "triage": [(c, TriageForm(action=triage_action, case=c)) for c in triage],
        "team_load": team_load(court_id=person.court_id, division_id=person.division_id),
        "locks": lock_counts(court_id=person.court_id, division_id=person.division_id),
        "compositions": team_selectors.team_compositions(
            person.court_id, division_id=person.division_id
        ),
    }


def _president_console(request: HttpRequest, person) -> dict:
    from cases.action_forms import SupervisionForm
    from cases.console import court_glance, lock_counts, president_approvals, supervised_cases
    from cases.models import InterferenceRecord

    compositions = team_selectors.team_compositions(person.court_id)
    return {
        "glance": court_glance(court_id=person.court_id),
        "locks": lock_counts(court_id=person.court_id),
        "approvals": _decide_forms(president_approvals(court_id=person.court_id)[:50]),
        "supervised": supervised_cases(court_id=person.court_id),
        "supervision_form": SupervisionForm(),
        "interference": InterferenceRecord.objects.filter(court_id=person.court_id)
        .select_related("case")
        .order_by("-recorded_at")[:10],
        "compositions": compositions,
        "problem_count": sum(1 for c in compositions if not c.ok),
    }


def _hot_spots(person) -> dict:
    from cases.console import lock_counts, lock_hot_spots
    from courtflow.labels import english
    from courtflow.svg import bar_chart, column_chart

    spots = lock_hot_spots(court_id=person.court_id)
    name = "node__definition__name_en" if english() else "node__definition__name_zh"
    by_node = [(row[name] or row["node__code"], row["n"]) for row in spots["by_node"]]
    by_month = [
        (timezone.localtime(row["month"]).strftime("%Y-%m") if row["month"] else "—", row["n"])
        for row in spots["by_month"]
    ]
    table: dict[str, dict[str, int]] = {}
    months: list[str] = []
    for row in spots["by_division_month"]:
        month = timezone.localtime(row["month"]).strftime("%Y-%m") if row["month"] else "—"
        if month not in months:
            months.append(month)
        table.setdefault(row["case__division__name"], {})[month] = row["n"]
    return {
        "node_chart": bar_chart(by_node, title=str(_("Locks by node, last 12 months"))),
        "month_chart": column_chart(by_month, title=str(_("Locks by month"))),
        "hot_nodes": spots["by_node"],
        "division_months": months,
        "division_table": [
            (division, [cells.get(m, 0) for m in months])
            for division, cells in sorted(table.items())
        ],
        "locks": lock_counts(court_id=person.court_id),
    }


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 handler: a database that cannot be reached is a 503 with the plain page
    (also when the error came from a middleware, outside any view); anything else is
    Django's own 500 page, without details."""
    exception = sys.exc_info()[1]
    if isinstance(exception, DATABASE_ERRORS):
        return database_unavailable(request, exception)
    return defaults.server_error(request)
