"""Reads for the supervisors' pages: a division's team load and lock counts, the court at a
glance, supervised cases, lock hot spots. Each is a handful of aggregate queries whatever
the number of cases."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from cases.lifecycle import ACTIVE_STAGES, Complexity
from cases.models import Approval, Case, SupervisionAction
from nodes.models import CaseLock
from teams.models import Membership, Team
from teams.selectors import coefficients_for_court

# A simple case (简) weighs this much of a complex one in the load (丰台: 0.25–0.3).
SIMPLE_WEIGHT = Decimal("0.3")


@dataclass
class TeamLoad:
    team: Team
    open_cases: int
    simple: int
    complex: int
    locked: int
    coefficient_sum: Decimal
    weighted: Decimal  # complex + 0.3 × simple
    per_coefficient: Decimal | None  # weighted load per unit of coefficient


def team_load(*, court_id: int, division_id: int | None = None) -> list[TeamLoad]:
    """Each active team's open cases weighted by complexity and divided by the sum of its
    members' human-resource coefficients (丰台), so a small team is not read as idle."""
    teams = Team.objects.filter(court_id=court_id, is_active=True).select_related("team_type")
    if division_id is not None:
        teams = teams.filter(division_id=division_id)
    teams = list(teams.order_by("name"))
    counts = {
        row["team_id"]: row
        for row in Case.objects.filter(team__in=teams, stage__in=ACTIVE_STAGES)
        .values("team_id")
        .annotate(
            n=Count("id"),
            simple=Count("id", filter=Q(complexity=Complexity.SIMPLE)),
            locked=Count("id", filter=Q(locked=True)),
        )
    }
    coefficients = coefficients_for_court(court_id)
    sums: dict[int, Decimal] = {t.pk: Decimal("0") for t in teams}
    for team_id, category in Membership.objects.filter(
        team__in=teams, ended_on__isnull=True
    ).values_list("team_id", "person__staff_category"):
        sums[team_id] += coefficients.get(category, Decimal("0"))
    out = []
    for team in teams:
        row = counts.get(team.pk, {"n": 0, "simple": 0, "locked": 0})
        simple, total = row["simple"], row["n"]
        weighted = Decimal(total - simple) + SIMPLE_WEIGHT * simple
        coef = sums[team.pk]
        out.append(
            TeamLoad(
                team=team,
                open_cases=total,
                simple=simple,
                complex=total - simple,
                locked=row["locked"],
                coefficient_sum=coef,
                weighted=weighted,
                per_coefficient=(weighted / coef).quantize(Decimal("0.1")) if coef else None,
            )
        )
    return out


def lock_counts(*, court_id: int, division_id: int | None = None, now=None) -> dict:
    """Locks now and this month, and how many cases were locked once, twice, three times or more."""
    now = now or timezone.now()
    month_start = timezone.localtime(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    locks = CaseLock.objects.filter(court_id=court_id)
    cases = Case.objects.filter(court_id=court_id)
    if division_id is not None:
        locks = locks.filter(case__division_id=division_id)
        cases = cases.filter(division_id=division_id)
    by_count = dict(
        cases.filter(lock_count__gt=0)
        .values_list("lock_count")
        .annotate(n=Count("id"))
        .values_list("lock_count", "n")
    )
    return {
        "locked_now": cases.filter(locked=True).count(),
        "this_month": locks.filter(locked_at__gte=month_start).count(),
        "unlocked_this_month": locks.filter(unlocked_at__gte=month_start).count(),
        "once": by_count.get(1, 0),
        "twice": by_count.get(2, 0),
        "more": sum(n for k, n in by_count.items() if k >= 3),
    }


def court_glance(*, court_id: int, now=None) -> dict:
    """New and closed this month, pending, locked and over the 审限 — one query."""
    now = now or timezone.now()
    month_start = timezone.localtime(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    active = Q(stage__in=ACTIVE_STAGES)
    return Case.objects.filter(court_id=court_id).aggregate(
        new=Count("id", filter=Q(filed_at__gte=month_start)),
        closed=Count("id", filter=Q(closed_at__gte=month_start)),
        pending=Count("id", filter=active),
        locked=Count("id", filter=Q(locked=True)),
        over_limit=Count("id", filter=active & Q(trial_limit_due_at__lt=now, clock_paused=False)),
        supervised=Count(
            "id",
            filter=active & (Q(supervision_category__gt=0) | Q(president_supervised=True)),
        ),
    )


def supervised_cases(*, court_id: int, limit: int = 100) -> list[dict]:
    """四类案件 and president-supervised cases still open, with their latest supervision act."""
    cases = list(
        Case.objects.filter(court_id=court_id, stage__in=ACTIVE_STAGES)
        .filter(Q(supervision_category__gt=0) | Q(president_supervised=True))
        .select_related("team", "judge", "division")
        .order_by("next_due_at", "id")[:limit]
    )
    latest: dict[int, SupervisionAction] = {}
    for act in SupervisionAction.objects.filter(case__in=cases).order_by("at"):
        latest[act.case_id] = act
    return [{"case": c, "last": latest.get(c.pk)} for c in cases]


def president_approvals(*, court_id: int):
    """Requests a president decides: extensions, reassignments, second and later unlocks."""
    return (
        Approval.objects.filter(
            case__court_id=court_id, status=Approval.Status.PENDING, approver_role="president"
        )
        .select_related("case", "requested_by")
        .order_by("requested_at")
    )


def lock_hot_spots(*, court_id: int, months: int = 12, now=None) -> dict:
    """Which nodes lock cases most, and locks by division and month, over the last months."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=31 * months)
    locks = CaseLock.objects.filter(court_id=court_id, locked_at__gte=since)
    by_node = list(
        locks.values("node__code", "node__definition__name_zh", "node__definition__name_en")
        .annotate(n=Count("id"))
        .order_by("-n", "node__code")[:15]
    )
    by_division_month = list(
        locks.annotate(month=TruncMonth("locked_at"))
        .values("case__division__name", "month")
        .annotate(n=Count("id"))
        .order_by("month", "case__division__name")
    )
    by_month = list(
        locks.annotate(month=TruncMonth("locked_at"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by("month")
    )
    return {"by_node": by_node, "by_division_month": by_division_month, "by_month": by_month}
