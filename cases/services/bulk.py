"""Importing cases in bulk: a court's pending cases from the system it replaces (and the demo
and benchmark data). The same rules as one-by-one registration, in set-based statements:
numbers reserved per court, year and type in one locked update, and cases, parties, events,
node instances, triage, assignments and audit rows inserted in bulk. All or nothing."""

from __future__ import annotations

import datetime as dt
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.lifecycle import PROCEDURE_FAMILY, PROCEDURE_TYPE_CODE, Complexity, Family, Stage
from cases.models import Assignment, Case, CaseEvent, CaseNumberSequence, Party, Triage
from cases.rollups import rollup_refresh
from cases.services.assignment import assignment_candidates, weighted_pick
from cases.services.numbering import format_case_number
from cases.services.registration import (
    _clean_amount,
    _clean_facts,
    _clean_parties,
    _default_division,
)
from courtflow.audit import audit_record, audit_record_bulk
from courtflow.errors import Conflict, InvalidInput, NotAllowed
from nodes import engine
from nodes.engine import TRIAL_LIMIT_EVENT
from nodes.models import NodeInstance
from nodes.selectors import calendar_load, catalog_current, node_settings_for
from nodes.vocab import EVENTS, Procedure
from teams.models import Court, Division, Person, Team

WORKING_STAGE = {
    Family.FIRST_INSTANCE: Stage.PRETRIAL,
    Family.CRIMINAL: Stage.PRETRIAL,
    Family.SECOND_INSTANCE: Stage.PRETRIAL,
    Family.REVIEW: Stage.REVIEW,
    Family.PRESERVATION: Stage.REVIEW,
    Family.ENFORCEMENT: Stage.INVESTIGATING,
    Family.MEDIATION: Stage.REFERRED,
}


@dataclass
class ImportRow:
    """One case as the previous system knows it. ``events`` are (code, at, scheduled_for,
    payload) after filing, in any order; ``stage`` is where the case stands now."""

    procedure: str
    cause: str
    parties: list[dict]
    received_at: dt.datetime
    filed_at: dt.datetime
    claim_amount: Any = None
    division: Division | None = None
    complexity: str = ""
    assign: bool = True
    stage: str | None = None
    in_custody: bool = False
    foreign_party: bool = False
    supervision_category: int = 0
    facts: dict = field(default_factory=dict)
    events: list[tuple[str, dt.datetime, dt.datetime | None, dict]] = field(default_factory=list)
    closed_at: dt.datetime | None = None
    closure_type: str = ""


@dataclass
class _Draft:
    row: ImportRow
    case: Case
    team: Team | None = None
    judge: Person | None = None
    assignment: Assignment | None = None


def _validate(rows: list[ImportRow], court: Court) -> None:
    now = timezone.now()
    for i, row in enumerate(rows, start=1):
        try:
            if row.procedure not in Procedure.values:
                raise InvalidInput(_("Unknown procedure."), field="procedure")
            family = PROCEDURE_FAMILY[row.procedure]
            if not row.cause or len(row.cause) > 100:
                raise InvalidInput(
                    _("The cause of action is required (at most 100 characters)."), field="cause"
                )
            row.parties = _clean_parties(row.parties, family)
            row.claim_amount = _clean_amount(row.claim_amount)
            row.facts = _clean_facts(row.facts, row.procedure)
            if row.filed_at < row.received_at or row.filed_at > now:
                raise InvalidInput(
                    _("Filing comes after receipt and not in the future."), field="filed_at"
                )
            if row.division is not None and row.division.court_id != court.pk:
                raise InvalidInput(_("The division belongs to another court."), field="division")
            for code, at, _scheduled, _payload in row.events:
                if code not in EVENTS:
                    raise InvalidInput(_("Unknown event."), field="events")
                if at < row.filed_at or at > now:
                    raise InvalidInput(
                        _("An event cannot be recorded in the future."), field="events"
                    )
        except InvalidInput as exc:
            exc.detail = {**exc.detail, "row": i}
            raise


def _reserve_numbers(court: Court, drafts: list[_Draft]) -> None:
    groups: dict[tuple[int, str], list[_Draft]] = defaultdict(list)
    for d in drafts:
        groups[(d.case.year, d.case.type_code)].append(d)
    for (year, type_code), members in sorted(groups.items()):
        seq, _created = CaseNumberSequence.objects.select_for_update().get_or_create(
            court=court, year=year, type_code=type_code, defaults={"last": 0}
        )
        start = seq.last
        seq.last += len(members)
        seq.save(update_fields=["last"])
        for offset, d in enumerate(sorted(members, key=lambda m: m.case.filed_at), start=1):
            d.case.sequence = start + offset
            d.case.number = format_case_number(
                year=year, court_code=court.code, type_code=type_code, sequence=d.case.sequence
            )


def _draw_teams(drafts: list[_Draft]) -> None:
    """The same weighted draw as one-by-one assignment; candidates are computed once per
    division and complexity for the whole import (capacity as it stood at the start)."""
    cache: dict[tuple[int, str, str], tuple[list[dict], list[dict]]] = {}
    teams = {t.pk: t for t in Team.objects.filter(court_id=drafts[0].case.court_id)}
    judges = {
        p.pk: p
        for p in Person.objects.filter(
            court_id=drafts[0].case.court_id,
            role__in=["judge", "division_head", "president", "vice_president"],
        )
    }
    now = timezone.now()
    for d in drafts:
        if not d.row.assign:
            continue
        key = (d.case.division_id, d.case.complexity, d.case.family)
        if key not in cache:
            cache[key] = assignment_candidates(d.case)
        candidates, excluded = cache[key]
        if not candidates:
            raise Conflict(
                _("No team of the division can take this case now (%(why)s).") % {"why": "—"},
                code="no_eligible_team",
                detail={"division": d.case.division_id},
            )
        seed = secrets.randbits(62)
        chosen = weighted_pick(seed, candidates)
        d.team, d.judge = teams[chosen["team"]], judges[chosen["judge"]]
        d.case.team, d.case.judge = d.team, d.judge
        d.assignment = Assignment(
            case=d.case,
            method=Assignment.Method.DRAW,
            seed=seed,
            candidates=candidates,
            excluded=excluded,
            team=d.team,
            judge=d.judge,
            at=max(
                d.case.filed_at,
                now if d.case.filed_at > now - dt.timedelta(minutes=1) else d.case.filed_at,
            ),
        )


def _open_nodes_in_memory(
    drafts: list[_Draft], event_rows: dict[int, list[CaseEvent]]
) -> list[NodeInstance]:
    """Replay each case's events in order on in-memory node instances: close what an event
    closes, open what it opens; then set each case's 审限 and open the nodes counted back."""
    cal = calendar_load()
    settings_by_court = {drafts[0].case.court_id: node_settings_for(drafts[0].case.court_id)}
    no_clock = engine.ClockState()
    out: list[NodeInstance] = []
    now = timezone.now()
    for d in drafts:
        case = d.case
        live: list[NodeInstance] = []
        facts = {
            **case.facts,
            "in_custody": case.in_custody,
            "not_in_custody": not case.in_custody,
            "foreign_party": case.foreign_party,
            "money_claim": bool(case.claim_amount),
        }
        for event in event_rows[id(case)]:
            limit_met = False
            for inst in live:
                if (
                    inst.status == NodeInstance.Status.OPEN
                    and event.code in inst.definition.closes_on
                ):
                    inst.status = NodeInstance.Status.DONE
                    inst.completed_at = event.at
                    inst.completed_late = inst.due_at is not None and event.at >= inst.due_at
                    inst.next_action_at = None
                    limit_met |= engine.is_main_limit(inst.definition)
            for inst in live:  # the same waiving rules as the one-by-one services
                if inst.status != NodeInstance.Status.OPEN:
                    continue
                definition = inst.definition
                if (
                    (limit_met and definition.on_trial_clock and definition.counting == "before")
                    or (
                        event.code in engine.CLOSING_EVENTS
                        and not engine.still_owed_after_closing(definition)
                    )
                    or event.code == "archived"
                ):
                    inst.status = NodeInstance.Status.WAIVED
                    inst.waived_reason = str(_("The case closed"))
                    inst.next_action_at = None
            request = engine.OpenRequest(
                case_id=0,
                court_id=case.court_id,
                procedure=case.procedure,
                version_id=case.catalog_version_id,
                event=event.code,
                at=event.at,
                scheduled_for=event.scheduled_for,
                facts={**facts, **{k: v for k, v in event.payload.items() if isinstance(v, bool)}},
                clock=no_clock,
            )
            opened = engine.build_instances(
                [request], cal=cal, settings_by_court=settings_by_court, now=now
            )
            for inst in opened:
                for old in live:  # a later event replaces the live node it opened before
                    if old.code == inst.code and old.status == NodeInstance.Status.OPEN:
                        old.status = NodeInstance.Status.WAIVED
                        old.waived_reason = str(_("Replaced by a later event"))
                        old.next_action_at = None
                inst.opened_at = event.at
            live.extend(opened)
            if case.trial_limit_due_at is None and any(
                engine.is_main_limit(i.definition) for i in opened
            ):
                # The 审限 starts: open the nodes counted back from it, as one-by-one filing does.
                limits = [
                    i.due_at for i in opened if engine.is_main_limit(i.definition) and i.due_at
                ]
                case.trial_limit_due_at = max(limits) if limits else None
                if case.trial_limit_due_at is not None:
                    request = engine.OpenRequest(
                        case_id=0,
                        court_id=case.court_id,
                        procedure=case.procedure,
                        version_id=case.catalog_version_id,
                        event=TRIAL_LIMIT_EVENT,
                        at=event.at,
                        scheduled_for=None,
                        facts=facts,
                        clock=no_clock,
                        limit_due_at=case.trial_limit_due_at,
                    )
                    for inst in engine.build_instances(
                        [request], cal=cal, settings_by_court=settings_by_court, now=now
                    ):
                        inst.opened_at = event.at
                        live.append(inst)
        for inst in live:
            inst.case = case
        out.extend(live)
    return out


@transaction.atomic
def case_import_bulk(
    *, actor: Any, court: Court, rows: list[ImportRow], source: str = "import"
) -> list[Case]:
    """Import many cases at once (validated first; one bad row refuses the whole import)."""
    if actor is not None and not getattr(actor, "is_superuser", False):
        raise NotAllowed(_("Only a system superuser imports cases in bulk."))
    if not rows:
        return []
    version = catalog_current()
    if version is None:
        raise Conflict(
            _("No node catalog is loaded; cases cannot be registered yet."), code="no_catalog"
        )
    _validate(rows, court)
    drafts = []
    for row in rows:
        family = PROCEDURE_FAMILY[row.procedure]
        division = row.division or _default_division(court, family)
        complexity = row.complexity or (
            Complexity.SIMPLE
            if row.procedure
            in (
                Procedure.CIVIL_SIMPLE,
                Procedure.CIVIL_SMALL_CLAIMS,
                Procedure.CRIMINAL_FAST,
                Procedure.CRIMINAL_SUMMARY,
                Procedure.PRESERVATION,
            )
            else Complexity.COMPLEX
        )
        stage = row.stage or (
            WORKING_STAGE[family]
            if row.assign
            else (Stage.REFERRED if family == Family.MEDIATION else Stage.FILED)
        )
        case = Case(
            court=court,
            year=timezone.localtime(row.filed_at).year,
            type_code=PROCEDURE_TYPE_CODE[row.procedure],
            procedure=row.procedure,
            cause=row.cause,
            claim_amount=row.claim_amount,
            received_at=row.received_at,
            filed_at=row.filed_at,
            division=division,
            complexity=complexity if family != Family.MEDIATION else "",
            supervision_category=row.supervision_category,
            president_supervised=row.supervision_category > 0,
            in_custody=row.in_custody,
            foreign_party=row.foreign_party,
            facts=row.facts,
            catalog_version=version,
            clock_started_at=row.filed_at,
            stage=stage,
            family=family,
            closed_at=row.closed_at,
            closure_type=row.closure_type,
        )
        drafts.append(_Draft(row=row, case=case))
    _reserve_numbers(court, drafts)
    _draw_teams(drafts)
    cases = Case.objects.bulk_create([d.case for d in drafts], batch_size=1000)
    Party.objects.bulk_create(
        [Party(case=d.case, **p) for d in drafts for p in d.row.parties], batch_size=2000
    )
    Triage.objects.bulk_create(
        [
            Triage(
                case=d.case,
                proposed=d.case.complexity or Complexity.COMPLEX,
                decided=d.case.complexity if d.row.assign else "",
                decided_at=d.case.filed_at if d.row.assign else None,
            )
            for d in drafts
            if d.case.family != Family.MEDIATION
        ],
        batch_size=2000,
    )
    Assignment.objects.bulk_create(
        [d.assignment for d in drafts if d.assignment is not None], batch_size=1000
    )
    event_rows: dict[int, list[CaseEvent]] = {}
    for d in drafts:
        base = [
            ("complaint_received", d.case.received_at, None, {}),
            ("case_filed", d.case.filed_at, None, {}),
        ]
        if d.case.family == Family.MEDIATION:
            base.append(("mediation_referred", d.case.filed_at, None, {}))
        if d.assignment is not None:
            base.append(("case_assigned", d.case.filed_at, None, {"team": d.team.pk}))
        ordered = sorted([*base, *d.row.events], key=lambda e: e[1])
        event_rows[id(d.case)] = [
            CaseEvent(
                case=d.case,
                code=code,
                at=at,
                scheduled_for=scheduled,
                payload=payload,
                recorded_by=actor if getattr(actor, "pk", None) else None,
            )
            for code, at, scheduled, payload in ordered
        ]
    CaseEvent.objects.bulk_create(
        [e for events in event_rows.values() for e in events], batch_size=2000
    )
    nodes = _open_nodes_in_memory(drafts, event_rows)
    NodeInstance.objects.bulk_create(nodes, batch_size=2000)
    Case.objects.bulk_update([d.case for d in drafts], ["trial_limit_due_at"], batch_size=1000)
    rollup_refresh(c.pk for c in cases)  # court metrics: one set-based upsert per rollup
    for start in range(0, len(cases), 1000):
        engine.next_due_refresh(c.pk for c in cases[start : start + 1000])
    audit_record_bulk(
        {
            "actor": actor,
            "action": "case.imported",
            "obj": d.case,
            "case_id": d.case.pk,
            "after": {
                "number": d.case.number,
                "procedure": d.case.procedure,
                "stage": d.case.stage,
                "team": d.team.name if d.team else "",
                "source": source,
            },
        }
        for d in drafts
    )
    audit_record(
        actor=actor,
        action="cases.imported",
        object_type="cases.import",
        object_repr=source,
        court_id=court.pk,
        after={"cases": len(cases), "nodes": len(nodes), "source": source},
    )
    return cases
