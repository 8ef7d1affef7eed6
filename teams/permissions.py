"""Who may change the organisation. Services call these before writing.

``actor=None`` is the system itself (management commands such as load_demo, migrations);
every request-driven change carries the signed-in user.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from courtflow.errors import NotAllowed

from .models import Court, Division


def actor_person(actor: Any):
    return getattr(actor, "person", None) if actor is not None else None


def require_court_perm(actor: Any, perm: str, court: Court) -> None:
    """Refuse unless the actor holds ``perm`` and belongs to ``court`` (superusers pass)."""
    if actor is None or actor.is_superuser:
        return
    person = actor_person(actor)
    if person is None or person.court_id != court.pk or not actor.has_perm(perm):
        raise NotAllowed(_("You are not allowed to make this change."), code="not_allowed")


def require_team_manager(actor: Any, court: Court, division: Division) -> None:
    """Court-wide team managers may change any team; a division head only their division's."""
    if actor is None or actor.is_superuser:
        return
    person = actor_person(actor)
    if person is not None and person.court_id == court.pk:
        if actor.has_perm("teams.manage_court_teams"):
            return
        if actor.has_perm("teams.manage_division_teams") and person.division_id == division.pk:
            return
    raise NotAllowed(_("You may only change the teams of your own division."), code="not_allowed")
