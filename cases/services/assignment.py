"""Random assignment (静海): simple cases to the division's speedy teams, complex cases drawn
among its 专业/精审 teams, weighted by remaining quota capacity. The draw is reproducible:
its seed, candidates and weights are stored, and ``assignment_replay`` repeats it."""

from __future__ import annotations

import random
import secrets
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.lifecycle import Complexity, Family, Stage
from cases.models import Assignment, Case, Recusal
from cases.rollups import rollup_refresh
from courtflow.audit import audit_record
from courtflow.errors import Conflict
from teams.models import Absence, Membership, Team, TeamType
from teams.roles import Position, Role
from teams.selectors import coefficients_for_court, team_coefficient_sum, team_type_template_sum

# Capacity of a team whose type has no annual quota (精审, "1+1"): cases per coefficient unit.
DEFAULT_CASES_PER_COEFFICIENT = Decimal("150")


def weighted_pick(seed: int, candidates: list[dict]) -> dict:
    """Pick one candidate with probability proportional to its weight. Pure and stable: the
    same seed and candidates give the same team on any machine and Python version."""
    total = sum(Decimal(str(c["weight"])) for c in candidates)
    point = Decimal(str(random.Random(seed).random())) * total
    running = Decimal("0")
    for candidate in candidates:
        running += Decimal(str(candidate["weight"]))
        if point < running:
            return candidate
    return candidates[-1]


def _eligible_types(case: Case) -> list[str]:
    if case.family == Family.MEDIATION:
        return list(
            TeamType.objects.filter(
                court_id=case.court_id, kind=TeamType.Kind.PRE_LITIGATION
            ).values_list("pk", flat=True)
        )
    field = (
        "handles_simple_cases" if case.complexity == Complexity.SIMPLE else "handles_complex_cases"
    )
    return list(
        TeamType.objects.filter(court_id=case.court_id, **{field: True}).values_list(
            "pk", flat=True
        )
    )


def assignment_candidates(case: Case) -> tuple[list[dict], list[dict]]:
    """The teams in the draw with their weights, and the teams left out with the reason. A
    division without a speedy team draws its simple cases among its other teams."""
    today = timezone.localdate()
    base = (
        Team.objects.filter(division_id=case.division_id, is_active=True)
        .select_related("team_type")
        .order_by("id")
    )
    teams = list(base.filter(team_type_id__in=_eligible_types(case)))
    if not teams and case.complexity == Complexity.SIMPLE:
        teams = list(base.filter(team_type__handles_complex_cases=True))
    judges = {
        m.team_id: m.person
        for m in Membership.objects.filter(
            team__in=teams, ended_on__isnull=True, position=Position.JUDGE
        ).select_related("person")
    }
    recused = (
        set(Recusal.objects.filter(case=case).values_list("person_id", flat=True))
        if case.pk
        else set()
    )
    absent = set(
        Absence.objects.filter(starts_on__lte=today, ends_on__gte=today).values_list(
            "person_id", flat=True
        )
    )
    year_start = timezone.localtime().replace(
        month=1, day=1, hour=0, minute=0, second=0, microsecond=0
    )
    assigned = dict(
        Case.objects.filter(team__in=teams, filed_at__gte=year_start)
        .values_list("team_id")
        .annotate(n=Count("id"))
        .values_list("team_id", "n")
    )
    coefficients = coefficients_for_court(case.court_id)
    candidates, excluded = [], []
    for team in teams:
        judge = judges.get(team.pk)
        if judge is None:
            excluded.append({"team": team.pk, "name": team.name, "reason": "no judge"})
            continue
        if not judge.is_active:
            excluded.append({"team": team.pk, "name": team.name, "reason": "judge inactive"})
            continue
        if judge.pk in recused:
            excluded.append({"team": team.pk, "name": team.name, "reason": "judge recused"})
            continue
        if judge.pk in absent:
            excluded.append({"team": team.pk, "name": team.name, "reason": "judge absent"})
            continue
        coef_sum = team_coefficient_sum(team, coefficients=coefficients)
        quota = team.team_type.annual_quota
        if quota:
            template = team_type_template_sum(team.team_type, coefficients=coefficients) or Decimal(
                "1"
            )
            capacity = Decimal(quota) * coef_sum / template
        else:
            capacity = coef_sum * DEFAULT_CASES_PER_COEFFICIENT
        remaining = capacity - assigned.get(team.pk, 0)
        weight = max(remaining, Decimal("1")).quantize(Decimal("0.1"))
        candidates.append(
            {
                "team": team.pk,
                "name": team.name,
                "judge": judge.pk,
                "weight": str(weight),
                "assigned_this_year": assigned.get(team.pk, 0),
                "capacity": str(capacity.quantize(Decimal("0.1"))),
            }
        )
    return candidates, excluded


@transaction.atomic
def assignment_draw(*, actor: Any, case: Case, seed: int | None = None) -> Assignment:
    """Draw the case's team at random, weighted by remaining capacity, store the draw and
    move the case to its working stage. Refuses when no team is eligible."""
    from cases.services.common import (
        case_for_update,
        ensure_unlocked,
        record_event,
        require_case_role,
    )

    case = case_for_update(case)
    ensure_unlocked(case)
    require_case_role(actor, case, (Role.DIVISION_HEAD, Role.REGISTRAR))
    waiting = case.stage == Stage.FILED or (
        case.family == Family.MEDIATION and case.stage == Stage.REFERRED
    )
    if not waiting or case.team_id is not None:
        raise Conflict(
            _("Case %(number)s is already assigned.") % {"number": case.number},
            code="already_assigned",
        )
    if case.family != Family.MEDIATION and not case.complexity:
        raise Conflict(
            _("Triage the case (simple or complex) before the draw."), code="not_triaged"
        )
    candidates, excluded = assignment_candidates(case)
    if not candidates:
        raise Conflict(
            _("No team of the division can take this case now (%(why)s).")
            % {"why": "; ".join(f"{e['name']}: {e['reason']}" for e in excluded) or "—"},
            code="no_eligible_team",
            detail={"excluded": excluded},
        )
    seed = seed if seed is not None else secrets.randbits(62)
    chosen = weighted_pick(seed, candidates)
    team = Team.objects.get(pk=chosen["team"])
    from teams.models import Person

    judge = Person.objects.get(pk=chosen["judge"])
    now = timezone.now()
    assignment = Assignment.objects.create(
        case=case,
        method=Assignment.Method.DRAW,
        seed=seed,
        candidates=candidates,
        excluded=excluded,
        team=team,
        judge=judge,
        at=now,
        by=actor if getattr(actor, "pk", None) else None,
    )
    case.assign(team=team, judge=judge)
    case.save()
    rollup_refresh([case.pk])
    record_event(
        case, "case_assigned", actor=actor, at=now, payload={"team": team.pk, "judge": judge.pk}
    )
    audit_record(
        actor=actor,
        action="case.assigned",
        obj=case,
        case_id=case.pk,
        after={
            "team": team.name,
            "judge": judge.name,
            "seed": seed,
            "candidates": len(candidates),
            "stage": case.stage,
        },
    )
    return assignment


def assignment_replay(assignment: Assignment) -> dict:
    """Repeat a stored draw; the result must be the team that was chosen."""
    if assignment.method != Assignment.Method.DRAW:
        return {"team": assignment.team_id, "matches": True, "method": assignment.method}
    picked = weighted_pick(assignment.seed, assignment.candidates)
    return {
        "team": picked["team"],
        "name": picked["name"],
        "matches": picked["team"] == assignment.team_id,
        "seed": assignment.seed,
        "candidates": assignment.candidates,
    }
