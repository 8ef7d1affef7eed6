"""The only door from a request to a case: every read is scoped by role and organisation.

| role | sees |
|---|---|
| judge, assistant, bailiff | their current team's cases |
| clerk | their team's cases and cases with a hearing booked to them |
| registrar | their court's cases still in filing (received, filed) |
| division head | their division's cases |
| president, vice president, trial manager | their court's cases (trial managers read only) |
| mediator | cases of their mediation team |
| service staff | cases with a document in their court's service queue |
| system administrator | none |

A case outside the scope answers 404, so its existence does not leak."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from courtflow.errors import NotVisible
from teams.access import person_for_user
from teams.models import Membership
from teams.roles import Role

from .lifecycle import Stage
from .models import Case

COURT_WIDE = (Role.PRESIDENT, Role.VICE_PRESIDENT, Role.TRIAL_MANAGER)
TEAM_ROLES = (Role.JUDGE, Role.ASSISTANT, Role.BAILIFF, Role.MEDIATOR)


def _current_team_id(person) -> int | None:
    return (
        Membership.objects.filter(person=person, ended_on__isnull=True)
        .values_list("team_id", flat=True)
        .first()
    )


def case_scope(user: Any) -> Q | None:
    """A filter for the cases the user may see; None means all (superusers); an empty
    match (pk=None) means none."""
    if getattr(user, "is_superuser", False):
        return None
    person = person_for_user(user)
    if person is None or not person.is_active:
        return Q(pk__in=[])
    court = Q(court_id=person.court_id)
    role = person.role
    if role in COURT_WIDE:
        return court
    if role == Role.DIVISION_HEAD:
        return court & Q(division_id=person.division_id)
    if role == Role.REGISTRAR:
        return court & Q(stage__in=[Stage.RECEIVED, Stage.FILED])
    if role in TEAM_ROLES:
        team_id = _current_team_id(person)
        return court & Q(team_id=team_id) if team_id else Q(pk__in=[])
    if role == Role.CLERK:
        team_id = _current_team_id(person)
        booked = Q(hearings__booking__clerk=person)
        return court & ((Q(team_id=team_id) | booked) if team_id else booked)
    if role == Role.SERVICE_STAFF:
        return court & Q(service_requests__isnull=False)
    return Q(pk__in=[])


def case_queryset_for_user(user: Any) -> QuerySet[Case]:
    """Cases the user may see (distinct: some scopes follow related rows)."""
    scope = case_scope(user)
    qs = Case.objects.all()
    if scope is None:
        return qs
    qs = qs.filter(scope)
    person = person_for_user(user)
    if person is not None and person.role in (Role.CLERK, Role.SERVICE_STAFF):
        qs = qs.distinct()
    return qs


def case_get_for_user(*, user: Any, case_id: Any, for_update: bool = False) -> Case:
    """The case if the user may see it; otherwise NotVisible (404)."""
    try:
        pk = int(case_id)
    except (TypeError, ValueError):
        raise NotVisible(_("Not found.")) from None
    qs = case_queryset_for_user(user).select_related(
        "court", "division", "team", "judge", "catalog_version"
    )
    case = qs.filter(pk=pk).first()
    if case is None:
        raise NotVisible(_("Not found."))
    if for_update:
        case = (
            Case.objects.select_for_update(of=("self",))
            .select_related("court", "division", "team", "judge")
            .get(pk=pk)
        )
    return case


def service_request_get_for_user(*, user: Any, request_id: Any):
    """A service request the user may act on or read: the court's whole queue for service
    staff (集约送达), otherwise a request of a case in the user's scope; else NotVisible."""
    from .models import ServiceRequest

    try:
        pk = int(request_id)
    except (TypeError, ValueError):
        raise NotVisible(_("Not found.")) from None
    person = person_for_user(user)
    qs = ServiceRequest.objects.filter(pk=pk)
    if person is not None and person.role == Role.SERVICE_STAFF and person.is_active:
        qs = qs.filter(court_id=person.court_id)
    elif not getattr(user, "is_superuser", False):
        qs = qs.filter(case__in=case_queryset_for_user(user))
    req = qs.first()
    if req is None:
        raise NotVisible(_("Not found."))
    return req
