"""The only door from a request to an organisation object: scope by the user's court.

Organisation data (teams, people, coefficients, team types) is visible court-wide, as the
西城 and 丰台 disclosure boards are; anything of another court answers 404."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

from courtflow.errors import NotVisible

from .models import Court, Division, Membership, Person, Team, TeamType


def person_for_user(user: Any) -> Person | None:
    """The signed-in user's person (None for anonymous users and unbound superusers)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.person
    except Person.DoesNotExist:
        return None


def court_ids_for_user(user: Any) -> list[int] | None:
    """Courts the user may read: their own; None means every court (superusers)."""
    if getattr(user, "is_superuser", False):
        return None
    person = person_for_user(user)
    return [person.court_id] if person is not None and person.is_active else []


def scope_to_courts(user: Any, qs: QuerySet, field: str = "court_id") -> QuerySet:
    """Restrict ``qs`` to the user's courts."""
    court_ids = court_ids_for_user(user)
    if court_ids is None:
        return qs
    return qs.filter(**{f"{field}__in": court_ids})


def _get(user: Any, qs: QuerySet, pk: Any, field: str = "court_id") -> Model:
    try:
        return scope_to_courts(user, qs, field).get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise NotVisible(_("Not found.")) from None


def court_get_for_user(*, user: Any, court_id: Any) -> Court:
    return _get(user, Court.objects.all(), court_id, field="id")


def division_get_for_user(*, user: Any, division_id: Any) -> Division:
    return _get(user, Division.objects.select_related("court"), division_id)


def team_get_for_user(*, user: Any, team_id: Any) -> Team:
    return _get(user, Team.objects.select_related("court", "division", "team_type"), team_id)


def team_type_get_for_user(*, user: Any, team_type_id: Any) -> TeamType:
    return _get(user, TeamType.objects.select_related("court"), team_type_id)


def person_get_for_user(*, user: Any, person_id: Any) -> Person:
    return _get(user, Person.objects.select_related("court", "division", "user"), person_id)


def membership_get_for_user(*, user: Any, membership_id: Any) -> Membership:
    return _get(
        user,
        Membership.objects.select_related("team", "team__court", "team__division"),
        membership_id,
        field="team__court_id",
    )
