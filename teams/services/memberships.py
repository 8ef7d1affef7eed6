"""Teams and memberships over time: who sits in which seat of which team, from when to when."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtflow.audit import audit_record, snapshot
from courtflow.errors import Conflict, InvalidInput
from teams.models import Division, Membership, Person, Team, TeamType
from teams.permissions import require_team_manager
from teams.roles import POSITION_ROLES, Position, Role

MEMBERSHIP_FIELDS = ("team", "person", "position", "started_on", "ended_on", "end_reason")


@transaction.atomic
def team_create(*, actor: Any, division: Division, team_type: TeamType, name: str) -> Team:
    """Create a team of a division; its type must belong to the same court."""
    court = division.court
    require_team_manager(actor, court, division)
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("A team needs a name."), field="name")
    if team_type.court_id != court.pk:
        raise InvalidInput(_("The team type belongs to another court."), field="team_type")
    if Team.objects.filter(court=court, name=name).exists():
        raise InvalidInput(
            _("This court already has a team named %(name)s.") % {"name": name}, field="name"
        )
    team = Team.objects.create(court=court, division=division, team_type=team_type, name=name)
    audit_record(
        actor=actor,
        action="team.created",
        obj=team,
        after=snapshot(team, ["name", "division", "team_type"]),
    )
    return team


@transaction.atomic
def team_set_active(*, actor: Any, team: Team, is_active: bool, reason: str = "") -> Team:
    """Dissolve (or revive) a team. A team with active members cannot be dissolved."""
    require_team_manager(actor, team.court, team.division)
    if not is_active and team.memberships.filter(ended_on__isnull=True).exists():
        raise Conflict(_("Move or release the team's members before dissolving it."))
    if team.is_active == is_active:
        return team
    team.is_active = is_active
    team.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="team.activated" if is_active else "team.dissolved",
        obj=team,
        after={"is_active": is_active},
        reason=reason,
    )
    return team


def membership_validate(
    *,
    team: Team,
    person: Person,
    position: str,
    started_on: dt.date | None,
    moving_from: Membership | None = None,
) -> None:
    """Refuse a membership that breaks a rule, with a message naming the field.

    Used by the services below and by admin forms, so both give the same answer."""
    if position not in Position.values:
        raise InvalidInput(_("Unknown position."), field="position")
    if started_on is None:
        raise InvalidInput(_("A membership needs a start date."), field="started_on")
    if not team.is_active:
        raise InvalidInput(
            _("Team %(team)s has been dissolved.") % {"team": team.name}, field="team"
        )
    if not person.is_active:
        raise InvalidInput(
            _("%(name)s is inactive and cannot join a team.") % {"name": person.name},
            field="person",
        )
    if person.court_id != team.court_id:
        raise InvalidInput(
            _("%(name)s belongs to another court and cannot join %(team)s.")
            % {"name": person.name, "team": team.name},
            field="person",
        )
    seats = {seat.position: seat for seat in team.team_type.seats.all()}
    seat = seats.get(position)
    if seat is None:
        allowed = "、".join(str(Position(p).label) for p in seats) or "—"
        raise InvalidInput(
            _("The template of %(type)s has no %(position)s seat (it allows: %(allowed)s).")
            % {
                "type": team.team_type.name,
                "position": Position(position).label,
                "allowed": allowed,
            },
            field="position",
        )
    if person.role not in POSITION_ROLES[position]:
        raise InvalidInput(
            _("A %(role)s cannot take a %(position)s seat.")
            % {"role": Role(person.role).label, "position": Position(position).label},
            field="position",
        )
    open_memberships = Membership.objects.filter(person=person, ended_on__isnull=True)
    if moving_from is not None:
        open_memberships = open_memberships.exclude(pk=moving_from.pk)
    current = open_memberships.select_related("team").first()
    if current is not None:
        raise InvalidInput(
            _(
                "%(name)s is already an active member of %(team)s; end that membership or move the "
                "person instead."
            )
            % {"name": person.name, "team": current.team.name},
            field="person",
            code="already_in_team",
        )
    last_end = (
        Membership.objects.filter(person=person, ended_on__isnull=False)
        .exclude(pk=getattr(moving_from, "pk", None))
        .aggregate(last=Max("ended_on"))["last"]
    )
    if last_end is not None and started_on < last_end:
        raise InvalidInput(
            _("%(name)s was in another team until %(date)s; a new membership cannot start earlier.")
            % {"name": person.name, "date": last_end.isoformat()},
            field="started_on",
        )
    if seat.max_count is not None:
        taken = team.memberships.filter(ended_on__isnull=True, position=position).count()
        if taken >= seat.max_count:
            raise InvalidInput(
                _(
                    "Team %(team)s already has %(count)s %(position)s seat(s) filled, the most its "
                    "template allows."
                )
                % {"team": team.name, "count": taken, "position": Position(position).label},
                field="position",
            )


def _lock_person(person: Person) -> Person:
    # Serialises concurrent changes to one person's memberships (PostgreSQL row lock; on
    # SQLite the IMMEDIATE transaction already serialises writers).
    return Person.objects.select_for_update().select_related("court").get(pk=person.pk)


@transaction.atomic
def membership_create(
    *, actor: Any, team: Team, person: Person, position: str, started_on: dt.date | None = None
) -> Membership:
    """Seat a person in a team from ``started_on`` (today by default)."""
    require_team_manager(actor, team.court, team.division)
    person = _lock_person(person)
    started_on = started_on or timezone.localdate()
    membership_validate(team=team, person=person, position=position, started_on=started_on)
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                team=team, person=person, position=position, started_on=started_on
            )
    except IntegrityError as exc:
        raise Conflict(
            _("This person already has an active team membership."),
            field="person",
            code="already_in_team",
        ) from exc
    audit_record(
        actor=actor,
        action="membership.created",
        obj=membership,
        court_id=team.court_id,
        after=snapshot(membership, MEMBERSHIP_FIELDS),
    )
    return membership


@transaction.atomic
def membership_end(
    *, actor: Any, membership: Membership, ended_on: dt.date | None = None, reason: str = ""
) -> Membership:
    """End an active membership on ``ended_on`` (the first day the person is no longer in it)."""
    require_team_manager(actor, membership.team.court, membership.team.division)
    membership = Membership.objects.select_for_update().select_related("team").get(pk=membership.pk)
    if membership.ended_on is not None:
        raise Conflict(
            _("This membership already ended on %(date)s.")
            % {"date": membership.ended_on.isoformat()},
            code="already_ended",
        )
    ended_on = ended_on or timezone.localdate()
    if ended_on < membership.started_on:
        raise InvalidInput(
            _("A membership cannot end (%(end)s) before it starts (%(start)s).")
            % {"end": ended_on.isoformat(), "start": membership.started_on.isoformat()},
            field="ended_on",
        )
    before = snapshot(membership, MEMBERSHIP_FIELDS)
    membership.ended_on = ended_on
    membership.end_reason = (reason or "")[:200]
    membership.save(update_fields=["ended_on", "end_reason"])
    audit_record(
        actor=actor,
        action="membership.ended",
        obj=membership,
        court_id=membership.team.court_id,
        before=before,
        after=snapshot(membership, MEMBERSHIP_FIELDS),
        reason=reason,
    )
    return membership


@transaction.atomic
def person_move(
    *,
    actor: Any,
    person: Person,
    team: Team,
    position: str,
    on: dt.date | None = None,
    reason: str = "",
) -> Membership:
    """Move a person to another team (or seat) on date ``on``: the old membership ends that
    day and the new one starts that day, so history has no gap and no overlap."""
    # Who may move people is checked before the move is validated: a role that may not
    # manage the team is refused (403) whatever it sent.
    require_team_manager(actor, team.court, team.division)
    on = on or timezone.localdate()
    person = _lock_person(person)
    current = (
        Membership.objects.filter(person=person, ended_on__isnull=True)
        .select_related("team", "team__court", "team__division")
        .first()
    )
    membership_validate(
        team=team, person=person, position=position, started_on=on, moving_from=current
    )
    if current is not None:
        if current.team_id == team.pk and current.position == position:
            raise InvalidInput(
                _("%(name)s already sits in that seat.") % {"name": person.name}, field="team"
            )
        membership_end(actor=actor, membership=current, ended_on=on, reason=reason)
    return membership_create(
        actor=actor, team=team, person=person, position=position, started_on=on
    )
