"""Sign-in landing: every role lands on its own home page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

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
        from cases import selectors as case_selectors

        context["compositions"] = team_selectors.team_compositions(
            person.court_id, division_id=person.division_id
        )
        context["open_suspensions"] = case_selectors.suspensions_open_without_end(
            court_id=person.court_id, division_id=person.division_id
        )[:50]
        context["unserved"] = case_selectors.cases_not_served_within(
            court_id=person.court_id, division_id=person.division_id
        )[:50]
    if role in (Role.PRESIDENT, Role.VICE_PRESIDENT):
        compositions = team_selectors.team_compositions(person.court_id)
        context["compositions"] = compositions
        context["problem_count"] = sum(1 for c in compositions if not c.ok)
    if role == Role.REGISTRAR:
        from cases.lifecycle import Stage
        from cases.models import Case

        context["recent_cases"] = (
            Case.objects.filter(court_id=person.court_id, stage__in=[Stage.RECEIVED, Stage.FILED])
            .select_related("division")
            .order_by("-id")[:20]
        )
    if role == Role.TRIAL_MANAGER:
        context["coefficients"] = HRCoefficient.objects.filter(court_id=person.court_id).order_by(
            "-value"
        )
        context["team_types"] = TeamType.objects.filter(court_id=person.court_id).prefetch_related(
            "seats"
        )
    return render(request, f"home/{role}.html", context)
