"""Assessment services: workload weights (audited) and quota progress (丰台 method)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from assessment.models import DEFAULT_WEIGHTS, WorkloadWeight
from cases.models import Case
from courtflow.audit import audit_record
from courtflow.errors import InvalidInput
from nodes.vocab import Procedure
from teams.models import Court, Team
from teams.permissions import require_court_perm


def _parse_weight(value: Any) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise InvalidInput(_("A weight is a number such as 0.3."), field="weight") from None
    if not number.is_finite() or number <= 0 or number > Decimal("9.99"):
        raise InvalidInput(_("A weight must be more than 0 and at most 9.99."), field="weight")
    if number != number.quantize(Decimal("0.01")):
        raise InvalidInput(_("A weight has at most two decimal places."), field="weight")
    return number


@transaction.atomic
def workload_weight_set(
    *,
    actor: Any,
    court: Court,
    procedure: str,
    complexity: str,
    weight: Any,
    note: str = "",
    reason: str = "",
) -> WorkloadWeight:
    """Set how much a closed case of this procedure and/or complexity counts (audited)."""
    require_court_perm(actor, "assessment.manage_workload_weights", court)
    if procedure and procedure not in Procedure.values:
        raise InvalidInput(_("Unknown procedure."), field="procedure")
    if complexity not in WorkloadWeight.Complexity.values:
        raise InvalidInput(_("Choose simple, complex or any."), field="complexity")
    number = _parse_weight(weight)
    if len(note) > 200:
        raise InvalidInput(_("A note is at most 200 characters."), field="note")
    row, created = WorkloadWeight.objects.select_for_update().get_or_create(
        court=court,
        procedure=procedure,
        complexity=complexity,
        defaults={"weight": number, "note": note},
    )
    before = None if created else {"weight": str(row.weight), "note": row.note}
    if not created:
        if row.weight == number and row.note == note:
            return row
        row.weight, row.note = number, note
        row.save(update_fields=["weight", "note"])
    audit_record(
        actor=actor,
        action="workload_weight.changed",
        obj=row,
        before=before,
        after={
            "procedure": procedure,
            "complexity": complexity,
            "weight": str(number),
            "note": note,
        },
        reason=reason,
    )
    return row


def weights_for_court(court_id: int) -> dict[tuple[str, str], Decimal]:
    """(procedure, complexity) → weight: the defaults, overlaid with the court's own."""
    table = {(p, c): w for p, c, w, _note in DEFAULT_WEIGHTS}
    for p, c, w in WorkloadWeight.objects.filter(court_id=court_id).values_list(
        "procedure", "complexity", "weight"
    ):
        table[(p, c)] = w
    return table


def weight_of(table: dict[tuple[str, str], Decimal], procedure: str, complexity: str) -> Decimal:
    """The most specific weight: procedure and complexity, procedure, complexity, else 1."""
    for key in ((procedure, complexity), (procedure, ""), ("", complexity)):
        if key in table:
            return table[key]
    return Decimal("1")


@dataclass
class QuotaRow:
    team: Team
    coefficient_sum: Decimal
    annual_target: Decimal | None
    target: Decimal | None
    closed: int
    weighted: Decimal

    @property
    def progress(self) -> Decimal | None:
        if not self.target:
            return None
        return (self.weighted * 100 / self.target).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def band(self) -> str:
        """met (≥100%), near (≥80%), behind; "" for teams without a target. Bands, not
        ranks: national guidance discourages ranking judges by indicators."""
        progress = self.progress
        if progress is None:
            return ""
        if progress >= 100:
            return "met"
        return "near" if progress >= 80 else "behind"


def quota_progress(
    *, court_id: int, start: dt.date, end: dt.date, division_id: int | None = None
) -> list[QuotaRow]:
    """Each active team's target for ``start``..``end`` (its type's annual quota scaled by
    its coefficient sum, prorated by days) against its closed cases, counted by weight."""
    from assessment.apis import period_bounds
    from teams.selectors import (
        coefficients_for_court,
        prorate,
        team_annual_target,
        team_coefficient_sum,
    )

    teams = Team.objects.filter(court_id=court_id, is_active=True).select_related(
        "team_type", "division"
    )
    if division_id is not None:
        teams = teams.filter(division_id=division_id)
    begin, finish = period_bounds(start, end)
    weights = weights_for_court(court_id)
    closed: dict[int, int] = defaultdict(int)
    weighted: dict[int, Decimal] = defaultdict(Decimal)
    for team_id, procedure, complexity, n in (
        Case.objects.filter(court_id=court_id, closed_at__gte=begin, closed_at__lt=finish)
        .values_list("team_id", "procedure", "complexity")
        .annotate(n=Count("id"))
        .order_by()
    ):
        closed[team_id] += n
        weighted[team_id] += weight_of(weights, procedure, complexity or "") * n
    coefficients = coefficients_for_court(court_id)
    rows = []
    for team in teams.order_by("division__name", "name"):
        annual = team_annual_target(team, on=end)
        rows.append(
            QuotaRow(
                team=team,
                coefficient_sum=team_coefficient_sum(team, on=end, coefficients=coefficients),
                annual_target=annual,
                target=prorate(annual, start, end) if annual is not None else None,
                closed=closed.get(team.pk, 0),
                weighted=weighted.get(team.pk, Decimal("0")).quantize(Decimal("0.01")),
            )
        )
    return rows
