"""Shared guards and helpers of the case services: locking the row, refusing a locked case,
checking who may act, opening and closing nodes, and keeping the 审限 clock."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case, CaseEvent, Extension, Suspension
from courtflow.audit import audit_record
from courtflow.errors import Conflict, InvalidInput, NotAllowed
from courtflow.labels import english
from nodes import engine
from nodes.models import NodeInstance
from nodes.periods import deadline_text
from nodes.selectors import calendar_load, node_settings_for
from teams.access import person_for_user
from teams.models import Membership
from teams.roles import Role

CLOCK_SKEW = dt.timedelta(minutes=5)


def case_for_update(case: Case | int) -> Case:
    """The case row, locked for the rest of the transaction (concurrent changes queue)."""
    pk = case.pk if isinstance(case, Case) else case
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("court", "division", "team", "judge")
        .get(pk=pk)
    )


def lock_message(case: Case) -> tuple[str, dict]:
    """Why a locked case refuses: the node, its deadline and who can unlock."""
    node = (
        NodeInstance.objects.filter(case=case, status=NodeInstance.Status.LOCKED)
        .select_related("definition")
        .order_by("due_at")
        .first()
    )
    who = _("the division head") if case.lock_count <= 1 else _("a president")
    if node is None:
        return str(
            _("Case %(number)s is locked; an unlock must first be approved by %(who)s.")
            % {"number": case.number, "who": who}
        ), {"unlock_by": str(who)}
    due_at = node.grace_until or node.due_at
    message = _(
        "Case %(number)s is locked: node “%(node)s” was due %(due)s. Nothing else can change "
        "until %(who)s approves an unlock."
    ) % {
        "number": case.number,
        "node": node.definition.name_en if english() else node.definition.name_zh,
        "due": deadline_text(due_at),
        "who": who,
    }
    return str(message), {
        "node": node.code,
        "node_name": node.definition.name_zh,
        "due_at": due_at.isoformat(),
        "unlock_by": str(who),
        "lock_sequence": case.lock_count,
    }


def ensure_unlocked(case: Case) -> None:
    """Refuse any change to a locked case, from every door (the services all call this)."""
    if case.locked:
        message, detail = lock_message(case)
        raise Conflict(message, code="case_locked", detail=detail)


def actor_role(actor: Any) -> str | None:
    person = person_for_user(actor)
    return person.role if person is not None else None


def require_case_role(actor: Any, case: Case, roles: tuple[str, ...] | list[str]) -> None:
    """Refuse unless the actor holds one of ``roles`` and the case is theirs to act on:
    their team's case (team roles), their division's (division head), their court's
    (presidents, registrars, service staff). ``actor=None`` is the system."""
    if actor is None or getattr(actor, "is_superuser", False):
        return
    person = person_for_user(actor)
    if (
        person is None
        or not person.is_active
        or person.role not in roles
        or person.court_id != case.court_id
    ):
        raise NotAllowed(_("Your role cannot do this on this case."), code="not_allowed")
    if person.role in (Role.JUDGE, Role.ASSISTANT, Role.BAILIFF, Role.MEDIATOR):
        team_id = (
            Membership.objects.filter(person=person, ended_on__isnull=True)
            .values_list("team_id", flat=True)
            .first()
        )
        if team_id is None or team_id != case.team_id:
            raise NotAllowed(_("Only the case's own team can do this."), code="not_allowed")
    if person.role == Role.CLERK:
        team_id = (
            Membership.objects.filter(person=person, ended_on__isnull=True)
            .values_list("team_id", flat=True)
            .first()
        )
        booked = case.hearings.filter(booking__clerk=person).exists()
        if team_id != case.team_id and not booked:
            raise NotAllowed(_("Only the case's own team can do this."), code="not_allowed")
    if person.role == Role.DIVISION_HEAD and person.division_id != case.division_id:
        raise NotAllowed(_("This case belongs to another division."), code="not_allowed")


def check_event_time(
    case: Case, at: dt.datetime, *, field: str = "at", not_before: dt.datetime | None = None
) -> None:
    """An event cannot happen in the future, or before the case reached the court."""
    if timezone.is_naive(at):
        raise InvalidInput(_("The time must carry a time zone."), field=field)
    if at > timezone.now() + CLOCK_SKEW:
        raise InvalidInput(
            _("An event cannot be recorded in the future."), field=field, code="future_event"
        )
    floor = not_before or case.received_at
    if at < floor:
        raise InvalidInput(
            _("This cannot have happened before %(when)s.")
            % {"when": timezone.localtime(floor).strftime("%Y-%m-%d %H:%M")},
            field=field,
            code="event_out_of_order",
        )


def case_facts(case: Case, payload: dict | None = None) -> dict:
    """Facts the catalog's conditions read: the case's flags plus the event's details."""
    facts = {
        **{k: v for k, v in (case.facts or {}).items() if isinstance(v, bool)},
        "in_custody": case.in_custody,
        "not_in_custody": not case.in_custody,
        "foreign_party": case.foreign_party,
        "money_claim": bool(case.claim_amount),
    }
    facts.update({k: v for k, v in (payload or {}).items() if isinstance(v, bool)})
    return facts


def clock_state(case: Case) -> engine.ClockState:
    """The 审限 clock of a case: its approved extensions and suspensions."""
    ext_months = ext_days = 0
    for months, days in Extension.objects.filter(case=case).values_list("months", "days"):
        ext_months += months
        ext_days += days
    suspensions = tuple(
        Suspension.objects.filter(case=case)
        .order_by("started_at")
        .values_list("started_at", "ended_at")
    )
    return engine.ClockState(
        extension_months=ext_months, extension_days=ext_days, suspensions=suspensions
    )


def record_event(
    case: Case,
    code: str,
    *,
    actor: Any,
    at: dt.datetime,
    scheduled_for: dt.datetime | None = None,
    payload: dict | None = None,
    idempotency_key: Any = None,
) -> CaseEvent:
    """Store an event, close the nodes it completes and open the nodes it starts."""
    event = CaseEvent.objects.create(
        case=case,
        code=code,
        at=at,
        scheduled_for=scheduled_for,
        payload=payload or {},
        recorded_by=actor if getattr(actor, "pk", None) else None,
        idempotency_key=idempotency_key,
    )
    engine.close_for_event(case.pk, code, at, event.pk)
    open_nodes(case, code, at=at, scheduled_for=scheduled_for, payload=payload, event_id=event.pk)
    return event


def open_nodes(
    case: Case,
    code: str,
    *,
    at: dt.datetime,
    scheduled_for: dt.datetime | None = None,
    payload: dict | None = None,
    event_id: int | None = None,
    only: set[str] | None = None,
) -> list[NodeInstance]:
    """Create the node instances ``code`` opens on this case (``only``: just these codes)."""
    request = engine.OpenRequest(
        case_id=case.pk,
        court_id=case.court_id,
        procedure=case.procedure,
        version_id=case.catalog_version_id,
        event=code,
        at=at,
        scheduled_for=scheduled_for,
        facts=case_facts(case, payload),
        clock=clock_state(case),
        limit_due_at=case.trial_limit_due_at,
        event_id=event_id,
    )
    instances = engine.build_instances(
        [request],
        cal=calendar_load(),
        settings_by_court={case.court_id: node_settings_for(case.court_id)},
        now=timezone.now() if at < timezone.now() else at,
    )
    if only is not None:
        instances = [i for i in instances if i.code in only]
    # An event that happens again (a rescheduled hearing) replaces the live node it opened.
    codes = [i.code for i in instances]
    if codes:
        engine.waive(Q(code__in=codes), case_id=case.pk, reason=str(_("Replaced by a later event")))
    NodeInstance.objects.bulk_create(instances)
    engine.next_due_refresh([case.pk])  # also covers the nodes the event just completed
    return instances


def clock_recompute(case: Case, *, actor: Any = None, reason: str = "") -> None:
    """Recompute the 审限 and move every live node on the clock with it: the limits from their
    own start, lengthened by extensions and pushed back by suspended days; the nodes counted
    back from the limit (extension requests) from the new limit. Paused while a suspension runs."""
    cal = calendar_load()
    state = clock_state(case)
    nodes = list(
        NodeInstance.objects.select_for_update()
        .filter(case=case, on_trial_clock=True, status__in=engine.LIVE)
        .select_related("definition")
    )
    before = case.trial_limit_due_at
    dues: dict[int, object] = {}
    limit_due = None
    for inst in nodes:
        definition = inst.definition
        if engine.is_clock_limit(definition):
            due = engine.clock_due(
                definition, inst.anchor_at, state, cal, custody=definition.counting == "custody"
            )
            dues[inst.pk] = due
            if (
                engine.is_main_limit(definition)
                and due is not None
                and (limit_due is None or due.due_at > limit_due)
            ):
                limit_due = due.due_at
    paused = any(end is None for _start, end in state.suspensions)
    if limit_due is not None or paused:
        case.trial_limit_due_at = limit_due if not paused else before
    case.clock_paused = paused
    case.save(update_fields=["trial_limit_due_at", "clock_paused"])
    setting_map = node_settings_for(case.court_id)
    for inst in nodes:
        definition = inst.definition
        if inst.pk in dues:
            due = dues[inst.pk]
        elif paused or case.trial_limit_due_at is None:
            due = None
        else:
            inst.anchor_at = case.trial_limit_due_at
            due = engine.due_for(definition, anchor_at=case.trial_limit_due_at, cal=cal)
        sched = engine.schedule_for(
            due, *engine.leads(definition, setting_map.get(definition.code))
        )
        inst.due_at, inst.provisional = sched.due_at, sched.provisional
        inst.prompt_at, inst.warn_at = sched.prompt_at, sched.warn_at
        inst.next_action_at = engine.next_action(inst)
    if nodes:
        NodeInstance.objects.bulk_update(
            nodes,
            [
                "due_at",
                "provisional",
                "prompt_at",
                "warn_at",
                "next_action_at",
                "anchor_at",
            ],
        )
        engine.next_due_refresh([case.pk])
    if case.closed_at is not None and before != case.trial_limit_due_at:
        from cases.rollups import rollup_refresh

        rollup_refresh([case.pk])  # a closed case's 审限 decides whether it closed within it
    # The first computation at filing is part of the registration, audited there.
    if before is not None and (before != case.trial_limit_due_at or case.clock_paused != paused):
        audit_record(
            actor=actor,
            action="case.clock_moved",
            obj=case,
            case_id=case.pk,
            before={"trial_limit_due_at": before},
            after={"trial_limit_due_at": case.trial_limit_due_at, "paused": paused},
            reason=reason,
        )
