"""Reads of the organisation: teams with their coefficient sums, targets and composition,
the clerk pool, membership history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Prefetch, Q, QuerySet

from .defaults import POSITION_CATEGORY
from .models import Booking, Court, HRCoefficient, Membership, Person, Team, TeamType
from .roles import Position, Role


def coefficients_for_court(court_id: int) -> dict[str, Decimal]:
    """The court's coefficient per staff category."""
    return dict(HRCoefficient.objects.filter(court_id=court_id).values_list("category", "value"))


def active_memberships(team: Team, *, on: dt.date | None = None) -> QuerySet[Membership]:
    """Memberships of ``team`` active on ``on`` (or open now when ``on`` is None)."""
    qs = team.memberships.select_related("person")
    if on is None:
        return qs.filter(ended_on__isnull=True)
    return qs.filter(Q(started_on__lte=on) & (Q(ended_on__isnull=True) | Q(ended_on__gt=on)))


def team_coefficient_sum(
    team: Team, *, on: dt.date | None = None, coefficients: dict[str, Decimal] | None = None
) -> Decimal:
    """The sum of the human-resource coefficients of the team's active members (丰台)."""
    coefficients = (
        coefficients if coefficients is not None else coefficients_for_court(team.court_id)
    )
    return sum(
        (
            coefficients.get(m.person.staff_category, Decimal("0"))
            for m in active_memberships(team, on=on)
        ),
        Decimal("0"),
    )


def team_type_template_sum(
    team_type: TeamType, *, coefficients: dict[str, Decimal] | None = None
) -> Decimal:
    """The coefficient sum of a fully (minimally) staffed team of this type."""
    coefficients = (
        coefficients if coefficients is not None else coefficients_for_court(team_type.court_id)
    )
    return sum(
        (
            coefficients.get(POSITION_CATEGORY[s.position], Decimal("0")) * s.min_count
            for s in team_type.seats.all()
        ),
        Decimal("0"),
    )


def team_annual_target(
    team: Team,
    *,
    on: dt.date | None = None,
    coefficients: dict[str, Decimal] | None = None,
    actual: Decimal | None = None,
) -> Decimal | None:
    """The team's yearly case target: its type's quota scaled by its coefficient sum over the
    template's (丰台 method). A fully staffed team gets the quota; one member short, less.
    None when the type has no quota (not assessed by counts). A caller going over many teams
    passes the court's ``coefficients`` and the team's ``actual`` sum it already has."""
    quota = team.team_type.annual_quota
    if quota is None:
        return None
    if coefficients is None:
        coefficients = coefficients_for_court(team.court_id)
    template = team_type_template_sum(team.team_type, coefficients=coefficients)
    if template == 0:
        return None
    if actual is None:
        actual = team_coefficient_sum(team, on=on, coefficients=coefficients)
    return (Decimal(quota) * actual / template).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def prorate(annual: Decimal, start: dt.date, end: dt.date) -> Decimal:
    """An annual figure for the period ``start``..``end`` inclusive, by calendar days."""
    if end < start:
        return Decimal("0")
    days = (end - start).days + 1
    year_days = 366 if _is_leap(start.year) else 365
    return (annual * Decimal(days) / Decimal(year_days)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


@dataclass
class SeatStatus:
    position: str
    label: str
    count: int
    min_count: int
    max_count: int | None

    @property
    def ok(self) -> bool:
        return self.count >= self.min_count and (
            self.max_count is None or self.count <= self.max_count
        )


@dataclass
class Composition:
    team: Team
    seats: list[SeatStatus] = field(default_factory=list)
    unexpected: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.unexpected and all(s.ok for s in self.seats)

    @property
    def problems(self) -> list[str]:
        out = [f"{s.label} {s.count}/{s.min_count}" for s in self.seats if not s.ok]
        out += [f"{Position(p).label} {n}/0" for p, n in self.unexpected.items()]
        return out


def _composition(team: Team, counts: dict[str, int]) -> Composition:
    comp = Composition(team=team)
    known = set()
    for seat in team.team_type.seats.all():
        known.add(seat.position)
        comp.seats.append(
            SeatStatus(
                seat.position,
                str(Position(seat.position).label),
                counts.get(seat.position, 0),
                seat.min_count,
                seat.max_count,
            )
        )
    comp.unexpected = {p: n for p, n in counts.items() if p not in known and n}
    return comp


def team_composition(team: Team) -> Composition:
    """How the team's active members fill its template, seat by seat."""
    counts = dict(
        team.memberships.filter(ended_on__isnull=True)
        .values_list("position")
        .annotate(n=Count("id"))
        .values_list("position", "n")
    )
    return _composition(team, counts)


def team_compositions(court: Court | int, *, division_id: int | None = None) -> list[Composition]:
    """The composition of every active team of a court (one query for members, one for seats)."""
    court_id = court.pk if isinstance(court, Court) else court
    teams = (
        Team.objects.filter(court_id=court_id, is_active=True)
        .select_related("team_type", "division")
        .prefetch_related("team_type__seats")
        .order_by("division__name", "name")
    )
    if division_id is not None:
        teams = teams.filter(division_id=division_id)
    counts: dict[int, dict[str, int]] = {}
    rows = (
        Membership.objects.filter(team__court_id=court_id, ended_on__isnull=True)
        .values_list("team_id", "position")
        .annotate(n=Count("id"))
    )
    for team_id, position, n in rows:
        counts.setdefault(team_id, {})[position] = n
    return [_composition(team, counts.get(team.pk, {})) for team in teams]


def teams_not_meeting_template(
    court: Court | int, *, division_id: int | None = None
) -> list[Composition]:
    """Active teams whose members do not fill their template (too few or too many)."""
    return [c for c in team_compositions(court, division_id=division_id) if not c.ok]


def team_ids_not_meeting_template(court_id: int | None = None) -> list[int]:
    """Ids of such teams (for the admin list filter); all courts when ``court_id`` is None."""
    court_ids = (
        [court_id] if court_id is not None else list(Court.objects.values_list("pk", flat=True))
    )
    return [c.team.pk for cid in court_ids for c in teams_not_meeting_template(cid)]


def pool_clerks(court: Court | int) -> QuerySet[Person]:
    """The clerk pool: active clerks of the court with no active team membership (西城)."""
    court_id = court.pk if isinstance(court, Court) else court
    return (
        Person.objects.filter(court_id=court_id, role=Role.CLERK, is_active=True)
        .exclude(pk__in=Membership.objects.filter(ended_on__isnull=True).values("person_id"))
        .order_by("name")
    )


def pool_clerks_free(
    court: Court | int, *, starts_at: dt.datetime, ends_at: dt.datetime
) -> QuerySet[Person]:
    """Pool clerks with no live booking overlapping ``starts_at``..``ends_at``."""
    busy = Booking.objects.filter(
        cancelled_at__isnull=True, clerk__isnull=False, starts_at__lt=ends_at, ends_at__gt=starts_at
    ).values("clerk_id")
    return pool_clerks(court).exclude(pk__in=busy)


def membership_history(person: Person) -> QuerySet[Membership]:
    """Every membership the person ever had, newest first."""
    return person.memberships.select_related("team", "team__division").order_by(
        "-started_on", "-id"
    )


def team_list(*, court_id: int, division_id: int | None = None) -> QuerySet[Team]:
    """Active teams of a court with what list pages show, members prefetched."""
    qs = (
        Team.objects.filter(court_id=court_id, is_active=True)
        .select_related("division", "team_type")
        .prefetch_related(
            "team_type__seats",
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(ended_on__isnull=True).select_related("person"),
                to_attr="active_members",
            ),
        )
        .order_by("division__name", "name")
    )
    if division_id is not None:
        qs = qs.filter(division_id=division_id)
    return qs


def person_current_team(person: Person) -> Team | None:
    membership = person.memberships.filter(ended_on__isnull=True).select_related("team").first()
    return membership.team if membership else None
