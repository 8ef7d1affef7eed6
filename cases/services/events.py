"""Recording what happened on a case. An event completes node instances, opens the next
ones, and may move the case's stage; a transition whose checkpoint nodes (设卡) are not done,
or not done in time, is refused with the list of what is missing."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import can_proceed

from cases.lifecycle import Family, Stage
from cases.models import Case, CaseEvent
from cases.rollups import rollup_refresh
from cases.rules import roles_for, rule_for
from cases.services.common import (
    case_for_update,
    check_event_time,
    ensure_unlocked,
    record_event,
    require_case_role,
)
from courtflow.audit import audit_record
from courtflow.errors import Conflict, InvalidInput
from nodes import engine
from nodes.models import NodeInstance
from nodes.vocab import EVENTS, Counting


def gate_missing(case: Case, action: str) -> list[dict]:
    """The checkpoint nodes that still block ``action`` on this case: live ones, and done ones
    that came too late for a step that had to happen before (a summons served 2 days before
    the hearing does not let the hearing open)."""
    rows = NodeInstance.objects.filter(case=case, gates=action).exclude(
        status=NodeInstance.Status.WAIVED
    )
    latest = {
        inst.code: inst for inst in rows.select_related("definition").order_by("id")
    }  # a redo replaces
    missing = []
    for inst in latest.values():
        late_before = (
            inst.status == NodeInstance.Status.DONE
            and inst.completed_late
            and inst.definition.counting == Counting.BEFORE
        )
        if inst.status in engine.LIVE or late_before:
            missing.append(
                {
                    "code": inst.code,
                    "name": inst.definition.name_zh,
                    "name_en": inst.definition.name_en,
                    "due_at": inst.due_at.isoformat() if inst.due_at else None,
                    "status": "late" if late_before else inst.status,
                    "basis": inst.definition.basis_zh,
                }
            )
    return missing


def ensure_gate(case: Case, action: str) -> None:
    missing = gate_missing(case, action)
    if missing:
        names = "、".join(m["name"] for m in missing)
        raise Conflict(
            _("This step is blocked until these nodes are done: %(names)s.") % {"names": names},
            code="checkpoint",
            detail={"action": action, "missing": missing},
        )


def waive_after_closing(case: Case, reason: str) -> None:
    """A closed case no longer owes steps of the trial it did not reach."""
    live = NodeInstance.objects.filter(case=case, status__in=engine.LIVE).select_related(
        "definition"
    )
    drop = [i.pk for i in live if not engine.still_owed_after_closing(i.definition)]
    if drop:
        engine.waive(Q(pk__in=drop), case_id=case.pk, reason=reason)


def _apply_transition(case: Case, name: str, *, at: dt.datetime, payload: dict) -> None:
    method = getattr(case, name)
    if not can_proceed(method):
        raise Conflict(
            _("This step is not possible in the case's current stage (%(stage)s).")
            % {"stage": case.get_stage_display()},
            code="wrong_stage",
        )
    ensure_gate(case, name)
    if name in ("close", "decide"):
        method(at=at, closure_type=payload["closure_type"])
    elif name == "terminate_round" or name == "docket":
        method(at=at)
    else:
        method()


@transaction.atomic
def case_event_record(
    *,
    actor: Any,
    case: Case,
    code: str,
    at: dt.datetime | None = None,
    payload: dict | None = None,
    scheduled_for: dt.datetime | None = None,
    idempotency_key: uuid.UUID | None = None,
) -> CaseEvent:
    """Record one event on a case, with every rule: the case is not locked, the actor's role
    may record it, the stage allows it, it is not recorded twice, what must come first has
    come, and any transition it drives passes its checkpoints."""
    if code not in EVENTS:
        raise InvalidInput(_("Unknown event."), field="code")
    case = case_for_update(case)
    ensure_unlocked(case)
    if (
        idempotency_key is not None
        and CaseEvent.objects.filter(idempotency_key=idempotency_key).exists()
    ):
        raise Conflict(_("This form was already submitted."), code="duplicate_submission")
    rule = rule_for(code)
    if rule.internal:
        raise InvalidInput(
            _("This event is recorded through its own form (hearings, approvals, service)."),
            field="code",
            code="internal_event",
        )
    require_case_role(actor, case, roles_for(code, case))
    if rule.families and case.family not in rule.families:
        raise Conflict(_("This event does not belong to this kind of case."), code="wrong_family")
    if case.stage not in rule.stages:
        raise Conflict(
            _("“%(event)s” cannot be recorded while the case is %(stage)s.")
            % {"event": EVENTS[code][0], "stage": case.get_stage_display()},
            code="wrong_stage",
        )
    if rule.once and CaseEvent.objects.filter(case=case, code=code).exists():
        raise Conflict(
            _("“%(event)s” is already recorded on this case.") % {"event": EVENTS[code][0]},
            code="already_recorded",
        )
    at = at or timezone.now()
    not_before = None
    if rule.requires_any:
        earlier = (
            CaseEvent.objects.filter(case=case, code__in=rule.requires_any).order_by("at").first()
        )
        if earlier is None:
            raise Conflict(
                _("Record %(first)s first.")
                % {"first": " / ".join(EVENTS[e][0] for e in rule.requires_any)},
                code="event_out_of_order",
                detail={"requires_any": list(rule.requires_any)},
            )
        not_before = earlier.at
    check_event_time(case, at, not_before=not_before)
    payload = dict(payload or {})
    if rule.closure_types:
        closure = payload.get("closure_type") or (
            rule.closure_types[0] if len(rule.closure_types) == 1 else ""
        )
        if closure not in rule.closure_types:
            raise InvalidInput(
                _("Choose how the case ends."),
                field="closure_type",
                detail={"choices": list(rule.closure_types)},
            )
        payload["closure_type"] = closure
    for flag in rule.payload_flags:
        if flag in payload:
            payload[flag] = bool(payload[flag])
    stage_before = case.stage
    if code == "supervision_flagged":
        from cases.services.supervision import supervised_case_flag

        supervised_case_flag(actor=actor, case=case, category=payload.get("category"), at=at)
    if rule.transition:
        _apply_transition(case, rule.transition, at=at, payload=payload)
        case.save()
    try:
        with transaction.atomic():
            event = record_event(
                case,
                code,
                actor=actor,
                at=at,
                scheduled_for=scheduled_for,
                payload=payload,
                idempotency_key=idempotency_key,
            )
    except IntegrityError as exc:
        raise Conflict(_("This form was already submitted."), code="duplicate_submission") from exc
    if case.stage == Stage.CLOSED and stage_before != Stage.CLOSED:
        if (
            code != "case_closed"
        ):  # a decision or settlement closed it: nodes waiting for the closing end too
            record_event(case, "case_closed", actor=actor, at=at, payload=payload)
        waive_after_closing(case, str(_("The case closed")))
    if case.stage == Stage.ARCHIVED:
        engine.waive(Q(), case_id=case.pk, reason=str(_("The case was archived")))
    audit_record(
        actor=actor,
        action=f"case.event.{code}",
        obj=case,
        case_id=case.pk,
        before={"stage": stage_before},
        after={"stage": case.stage, "at": at, **payload},
    )
    if rule.transition:  # filing or closing changes what the court metrics count
        rollup_refresh([case.pk])
    if code == "mediation_failed" and case.family == Family.MEDIATION:
        _file_after_failed_mediation(actor=actor, case=case, at=at)
    return event


def _file_after_failed_mediation(*, actor: Any, case: Case, at: dt.datetime) -> Case:
    """A failed pre-litigation mediation turns into a filed civil case (在线调解规则 art 21)."""
    from cases.services.registration import case_register
    from nodes.vocab import Procedure

    parties = [
        {
            "name": p.name,
            "role": {"applicant": "plaintiff", "respondent": "defendant"}.get(p.role, p.role),
            "kind": p.kind,
            "id_number": p.id_number,
            "address": p.address,
            "phone": p.phone,
        }
        for p in case.parties.all()
    ]
    filed = case_register(
        actor=None,
        court=case.court,
        procedure=Procedure.CIVIL_SIMPLE
        if (case.claim_amount or 0) < 500000
        else Procedure.CIVIL_ORDINARY,
        cause=case.cause,
        parties=parties,
        claim_amount=case.claim_amount,
        received_at=at,
        filed_at=at,
        origin=case,
    )
    audit_record(
        actor=actor,
        action="case.filed_after_mediation",
        obj=filed,
        case_id=filed.pk,
        after={"from": case.number, "number": filed.number},
    )
    return filed
