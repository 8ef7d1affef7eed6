"""Courts, divisions, people and accounts, coefficients and team types."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from courtflow.audit import audit_record, snapshot
from courtflow.errors import Conflict, InvalidInput, NotAllowed
from teams.defaults import DEFAULT_TEAM_TYPES
from teams.models import (
    COURT_CODE_VALIDATOR,
    Court,
    Division,
    HRCoefficient,
    Person,
    TeamType,
    TeamTypeSeat,
)
from teams.permissions import require_court_perm
from teams.roles import (
    DEFAULT_COEFFICIENTS,
    POSITION_ROLES,
    ROLE_DEFAULT_CATEGORY,
    ROLE_PERMISSIONS,
    STAFF_ROLES,
    Position,
    Role,
    StaffCategory,
    group_name,
)

User = get_user_model()

PERSON_FIELDS = ("name", "court", "division", "role", "staff_category", "is_active")


def roles_sync_groups() -> None:
    """Create one group per role holding exactly the permissions of ROLE_PERMISSIONS.

    Runs after migrations; the role table in code is the single source of truth."""
    for role, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=group_name(role))
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".", 1)
            wanted.extend(
                Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(wanted)


def person_sync_groups(person: Person) -> None:
    """Give the person's user the group of their role (and admin access for staff roles)."""
    user = person.user
    group, _created = Group.objects.get_or_create(name=group_name(person.role))
    others = [g for g in user.groups.all() if g.name.startswith("role:") and g.pk != group.pk]
    if others:
        user.groups.remove(*others)
    user.groups.add(group)
    is_staff = person.role in STAFF_ROLES and person.is_active
    if user.is_staff != is_staff or user.is_active != person.is_active:
        user.is_staff = is_staff
        user.is_active = person.is_active
        user.save(update_fields=["is_staff", "is_active"])


@transaction.atomic
def court_create(
    *, actor: Any, code: str, name: str, level: str, parent: Court | None = None
) -> Court:
    """Create a court with its default coefficients and team types (editable afterwards)."""
    if actor is not None and not actor.is_superuser:
        raise NotAllowed(_("Only a system superuser can create a court."))
    code = (code or "").strip()
    name = (name or "").strip()
    try:
        COURT_CODE_VALIDATOR(code)
    except ValidationError as exc:
        raise InvalidInput(exc.messages[0], field="code", code="invalid_court_code") from exc
    if not name:
        raise InvalidInput(_("A court needs a name."), field="name")
    if level not in Court.Level.values:
        raise InvalidInput(_("Unknown court level."), field="level")
    if Court.objects.filter(code=code).exists():
        raise InvalidInput(
            _("A court with code %(code)s already exists.") % {"code": code},
            field="code",
            code="duplicate_court_code",
        )
    if Court.objects.filter(name=name).exists():
        raise InvalidInput(
            _("A court named %(name)s already exists.") % {"name": name},
            field="name",
            code="duplicate_court_name",
        )
    try:
        with transaction.atomic():
            court = Court.objects.create(code=code, name=name, level=level, parent=parent)
    except IntegrityError as exc:  # a concurrent creation won the race
        raise InvalidInput(
            _("A court with code %(code)s already exists.") % {"code": code},
            field="code",
            code="duplicate_court_code",
        ) from exc
    HRCoefficient.objects.bulk_create(
        HRCoefficient(court=court, category=category, value=Decimal(value))
        for category, value in DEFAULT_COEFFICIENTS.items()
    )
    for kind, (type_name, quota, simple, complex_, seats) in DEFAULT_TEAM_TYPES.items():
        team_type = TeamType.objects.create(
            court=court,
            kind=kind,
            name=type_name,
            annual_quota=quota,
            handles_simple_cases=simple,
            handles_complex_cases=complex_,
        )
        TeamTypeSeat.objects.bulk_create(
            TeamTypeSeat(team_type=team_type, position=pos, min_count=lo, max_count=hi)
            for pos, lo, hi in seats
        )
    audit_record(
        actor=actor,
        action="court.created",
        obj=court,
        court_id=court.pk,
        after=snapshot(court, ["code", "name", "level", "parent"]),
    )
    return court


@transaction.atomic
def division_create(
    *, actor: Any, court: Court, name: str, kind: str, head: Person | None = None
) -> Division:
    """Add a division to a court."""
    require_court_perm(actor, "teams.manage_court_teams", court)
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("A division needs a name."), field="name")
    if kind not in Division.Kind.values:
        raise InvalidInput(_("Unknown division kind."), field="kind")
    if Division.objects.filter(court=court, name=name).exists():
        raise InvalidInput(
            _("This court already has a division named %(name)s.") % {"name": name}, field="name"
        )
    division = Division.objects.create(court=court, name=name, kind=kind)
    audit_record(
        actor=actor,
        action="division.created",
        obj=division,
        after=snapshot(division, ["name", "kind"]),
    )
    if head is not None:
        division_set_head(actor=actor, division=division, head=head)
    return division


@transaction.atomic
def division_set_head(*, actor: Any, division: Division, head: Person | None) -> Division:
    """Make ``head`` the division's 庭长 (a division head of the same court)."""
    require_court_perm(actor, "teams.manage_court_teams", division.court)
    if head is not None:
        if head.court_id != division.court_id:
            raise InvalidInput(_("The division head must belong to the same court."), field="head")
        if head.role != Role.DIVISION_HEAD:
            raise InvalidInput(
                _("Only a person with the division-head role can head a division."), field="head"
            )
        if not head.is_active:
            raise InvalidInput(_("An inactive person cannot head a division."), field="head")
    before = snapshot(division, ["head"])
    division.head = head
    division.save(update_fields=["head"])
    audit_record(
        actor=actor,
        action="division.head_set",
        obj=division,
        before=before,
        after=snapshot(division, ["head"]),
    )
    return division


def _check_person_fields(
    *, court: Court, division: Division | None, role: str, staff_category: str | None
) -> str:
    if role not in Role.values:
        raise InvalidInput(_("Unknown role."), field="role")
    if division is not None and division.court_id != court.pk:
        raise InvalidInput(_("The division belongs to another court."), field="division")
    category = staff_category or ROLE_DEFAULT_CATEGORY[role]
    if category not in StaffCategory.values:
        raise InvalidInput(_("Unknown staff category."), field="staff_category")
    return category


@transaction.atomic
def person_create(
    *,
    actor: Any,
    court: Court,
    username: str,
    name: str,
    role: str,
    division: Division | None = None,
    staff_category: str | None = None,
    password: str | None = None,
    password_hash: str | None = None,
    email: str = "",
) -> Person:
    """Create a user account and its person; the role decides groups and admin access.

    ``password_hash`` (an already hashed password) serves bulk provisioning, where hashing
    one password per account would take most of the time."""
    require_court_perm(actor, "teams.manage_people", court)
    username = (username or "").strip()
    name = (name or "").strip()
    if not username:
        raise InvalidInput(_("A user name is required."), field="username")
    if not name:
        raise InvalidInput(_("A name is required."), field="name")
    category = _check_person_fields(
        court=court, division=division, role=role, staff_category=staff_category
    )
    if User.objects.filter(username=username).exists():
        raise InvalidInput(
            _("The user name %(username)s is taken.") % {"username": username}, field="username"
        )
    user = User(username=username, email=email)
    if password_hash:
        user.password = password_hash
    elif password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    person = Person.objects.create(
        user=user, name=name, court=court, division=division, role=role, staff_category=category
    )
    person_sync_groups(person)
    audit_record(
        actor=actor, action="person.created", obj=person, after=snapshot(person, PERSON_FIELDS)
    )
    return person


@transaction.atomic
def person_update(
    *,
    actor: Any,
    person: Person,
    name: str | None = None,
    role: str | None = None,
    division: Division | None | str = "unchanged",
    staff_category: str | None = None,
    is_active: bool | None = None,
    reason: str = "",
) -> Person:
    """Change a person's role, division, category or active flag. Deactivating ends their
    team membership today; a new role must still fit their current team seat."""
    from .memberships import membership_end  # one module per subject; avoid an import cycle

    require_court_perm(actor, "teams.manage_people", person.court)
    person = Person.objects.select_for_update().get(pk=person.pk)
    before = snapshot(person, PERSON_FIELDS)
    new_role = role or person.role
    new_division = person.division if division == "unchanged" else division
    category = _check_person_fields(
        court=person.court,
        division=new_division,
        role=new_role,
        staff_category=staff_category or (person.staff_category if role is None else None),
    )
    active = person.memberships.filter(ended_on__isnull=True).select_related("team").first()
    if (
        active is not None
        and new_role != person.role
        and new_role not in POSITION_ROLES[active.position]
    ):
        raise InvalidInput(
            _(
                "A %(role)s cannot keep the %(position)s seat in team %(team)s; move the person first."
            )
            % {
                "role": Role(new_role).label,
                "position": Position(active.position).label,
                "team": active.team.name,
            },
            field="role",
        )
    if name is not None:
        if not name.strip():
            raise InvalidInput(_("A name is required."), field="name")
        person.name = name.strip()
    person.role = new_role
    person.division = new_division
    person.staff_category = category
    if is_active is not None:
        person.is_active = is_active
    person.save()
    if not person.is_active and active is not None:
        from django.utils import timezone

        membership_end(
            actor=actor,
            membership=active,
            ended_on=timezone.localdate(),
            reason=reason or str(_("Person deactivated")),
        )
    person_sync_groups(person)
    audit_record(
        actor=actor,
        action="person.updated",
        obj=person,
        before=before,
        after=snapshot(person, PERSON_FIELDS),
        reason=reason,
    )
    return person


def _parse_coefficient(value: Any) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise InvalidInput(_("A coefficient is a number such as 0.6."), field="value") from exc
    if not number.is_finite() or number < 0 or number > Decimal("9.99"):
        raise InvalidInput(_("A coefficient must be between 0 and 9.99."), field="value")
    if number != number.quantize(Decimal("0.01")):
        raise InvalidInput(_("A coefficient has at most two decimal places."), field="value")
    return number


@transaction.atomic
def coefficient_set(
    *, actor: Any, court: Court, category: str, value: Any, reason: str = ""
) -> HRCoefficient:
    """Change one human-resource coefficient of a court (team sums follow at once)."""
    require_court_perm(actor, "teams.manage_coefficients", court)
    if category not in StaffCategory.values:
        raise InvalidInput(_("Unknown staff category."), field="category")
    number = _parse_coefficient(value)
    coefficient, _created = HRCoefficient.objects.select_for_update().get_or_create(
        court=court, category=category, defaults={"value": number}
    )
    before = {"value": str(coefficient.value)} if not _created else None
    if not _created:
        if coefficient.value == number:
            return coefficient
        coefficient.value = number
        coefficient.save(update_fields=["value"])
    audit_record(
        actor=actor,
        action="coefficient.changed",
        obj=coefficient,
        before=before,
        after={"category": category, "value": str(number)},
        reason=reason,
    )
    return coefficient


@transaction.atomic
def team_type_update(
    *,
    actor: Any,
    team_type: TeamType,
    name: str | None = None,
    annual_quota: int | None | str = "unchanged",
    handles_simple_cases: bool | None = None,
    handles_complex_cases: bool | None = None,
    reason: str = "",
) -> TeamType:
    """Change a team type's name, annual quota or which cases it takes."""
    require_court_perm(actor, "teams.manage_team_types", team_type.court)
    fields = ["name", "annual_quota", "handles_simple_cases", "handles_complex_cases"]
    before = snapshot(team_type, fields)
    if name is not None:
        if not name.strip():
            raise InvalidInput(_("A team type needs a name."), field="name")
        team_type.name = name.strip()
    if annual_quota != "unchanged":
        if annual_quota is not None and (
            not isinstance(annual_quota, int) or annual_quota < 0 or annual_quota > 100000
        ):
            raise InvalidInput(
                _("An annual quota is a whole number between 0 and 100000."), field="annual_quota"
            )
        team_type.annual_quota = annual_quota
    if handles_simple_cases is not None:
        team_type.handles_simple_cases = handles_simple_cases
    if handles_complex_cases is not None:
        team_type.handles_complex_cases = handles_complex_cases
    team_type.save()
    audit_record(
        actor=actor,
        action="team_type.updated",
        obj=team_type,
        before=before,
        after=snapshot(team_type, fields),
        reason=reason,
    )
    return team_type


@transaction.atomic
def team_type_seat_set(
    *,
    actor: Any,
    team_type: TeamType,
    position: str,
    min_count: int,
    max_count: int | None,
    reason: str = "",
) -> TeamTypeSeat | None:
    """Set how many people a template seat takes; ``min_count == max_count == 0`` removes it."""
    require_court_perm(actor, "teams.manage_team_types", team_type.court)
    if position not in Position.values:
        raise InvalidInput(_("Unknown position."), field="position")
    if min_count < 0 or min_count > 50:
        raise InvalidInput(_("The minimum must be between 0 and 50."), field="min_count")
    if max_count is not None and (max_count < min_count or max_count > 50):
        raise InvalidInput(
            _("The maximum must be at least the minimum and at most 50."), field="max_count"
        )
    seat = TeamTypeSeat.objects.filter(team_type=team_type, position=position).first()
    before = snapshot(seat, ["position", "min_count", "max_count"]) if seat else None
    if min_count == 0 and max_count == 0:
        if seat is None:
            return None
        if team_type.teams.filter(
            memberships__ended_on__isnull=True, memberships__position=position
        ).exists():
            raise Conflict(
                _("Teams of this type still have people in this seat."), field="position"
            )
        seat_id = seat.pk
        seat.delete()
        audit_record(
            actor=actor,
            action="team_type.seat_removed",
            object_type="teams.teamtypeseat",
            object_id=seat_id,
            object_repr=str(team_type),
            court_id=team_type.court_id,
            before=before,
            reason=reason,
        )
        return None
    if seat is None:
        seat = TeamTypeSeat(team_type=team_type, position=position)
    seat.min_count = min_count
    seat.max_count = max_count
    seat.save()
    audit_record(
        actor=actor,
        action="team_type.seat_set",
        obj=seat,
        court_id=team_type.court_id,
        before=before,
        after=snapshot(seat, ["position", "min_count", "max_count"]),
        reason=reason,
    )
    return seat
