"""Requests and decisions: extension, suspension, conversion, reassignment, triage override.

Who decides (the design's role table and the law):
- extension of the 审限: a president (院长; 民诉法 art 152 and the 2019 rule). Where the law
  reserves it to a higher court (criminal, administrative, civil beyond 12 months) the
  president records that court's decision as an external reference.
- suspension (扣除/中止), conversion (简转普, criminal track changes), reassignment within the
  division, triage override: the division head.
Both the request and the decision are audited; effects apply in the deciding transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransition, can_proceed

from cases.lifecycle import CONVERSIONS, PROCEDURE_FAMILY, Complexity, Family, Stage
from cases.models import Approval, Assignment, Case, Extension, Suspension
from cases.rollups import rollup_refresh
from cases.services.common import (
    case_for_update,
    clock_recompute,
    ensure_unlocked,
    open_nodes,
    record_event,
    require_case_role,
)
from courtflow.audit import audit_record
from courtflow.errors import Conflict, InvalidInput, NotAllowed
from nodes import engine
from nodes.engine import TRIAL_LIMIT_EVENT
from nodes.models import NodeInstance
from nodes.vocab import Procedure
from teams.access import person_for_user
from teams.models import Membership, Team
from teams.roles import Position, Role

REQUESTERS = (Role.JUDGE, Role.ASSISTANT)
APPROVER = {
    Approval.Kind.EXTENSION: Role.PRESIDENT,
    Approval.Kind.SUSPENSION: Role.DIVISION_HEAD,
    Approval.Kind.CONVERSION: Role.DIVISION_HEAD,
    Approval.Kind.REASSIGNMENT: Role.DIVISION_HEAD,
    Approval.Kind.TRIAGE_OVERRIDE: Role.DIVISION_HEAD,
}
# Extensions a president may grant alone, in months, per procedure; beyond that (or for
# procedures whose extension belongs to a higher court) the higher court's decision is
# recorded as an external reference.
PRESIDENT_EXTENSION_MONTHS = {
    Procedure.CIVIL_ORDINARY: 6,  # 民诉法 art 152
    Procedure.CIVIL_SIMPLE: 1,  # 民诉法解释 art 258
    Procedure.CIVIL_SMALL_CLAIMS: 1,  # 民诉法 art 168
    Procedure.CIVIL_SECOND: 3,  # 民诉法 art 183; 审限规定 art 2
    Procedure.ENFORCEMENT: 3,  # 审限规定 art 5
    Procedure.CIVIL_RETRIAL_REVIEW: 3,  # 民诉法 art 215 (院长 approval)
    Procedure.ADMIN_RETRIAL_REVIEW: 3,  # 行诉法解释 art 112
}
PUBLICATION_DAYS = 30
PUBLICATION_DAYS_ABROAD = 60


def _approver_roles(role: str) -> tuple[str, ...]:
    return (Role.PRESIDENT, Role.VICE_PRESIDENT) if role == Role.PRESIDENT else (role,)


def _clean_payload(case: Case, kind: str, payload: dict) -> dict:
    if kind == Approval.Kind.EXTENSION:
        try:
            months, days = int(payload.get("months") or 0), int(payload.get("days") or 0)
        except (TypeError, ValueError):
            raise InvalidInput(
                _("Give the extension in whole months or days."), field="months"
            ) from None
        if months < 0 or days < 0 or months > 12 or days > 90 or not (months or days):
            raise InvalidInput(_("An extension is 1–12 months or 1–90 days."), field="months")
        if case.trial_limit_due_at is None:
            raise Conflict(_("This case has no running 审限 to extend."), code="no_trial_limit")
        return {"months": months, "days": days}
    if kind == Approval.Kind.SUSPENSION:
        suspension_kind = payload.get("suspension_kind")
        if suspension_kind not in Suspension.Kind.values:
            raise InvalidInput(_("Choose the kind of suspension."), field="suspension_kind")
        return {"suspension_kind": suspension_kind, "stay": suspension_kind == Suspension.Kind.STAY}
    if kind == Approval.Kind.CONVERSION:
        target = payload.get("procedure")
        if target not in CONVERSIONS.get(case.procedure, ()):
            raise InvalidInput(
                _("This procedure cannot be converted to that one."), field="procedure"
            )
        return {"procedure": target, "from": case.procedure}
    if kind == Approval.Kind.REASSIGNMENT:
        try:
            team = Team.objects.get(
                pk=int(payload.get("team")), court_id=case.court_id, is_active=True
            )
        except (Team.DoesNotExist, TypeError, ValueError):
            raise InvalidInput(_("Choose an active team of this court."), field="team") from None
        if team.pk == case.team_id:
            raise InvalidInput(_("The case is already with that team."), field="team")
        return {"team": team.pk, "team_name": team.name}
    if kind == Approval.Kind.TRIAGE_OVERRIDE:
        if payload.get("complexity") not in (Complexity.SIMPLE, Complexity.COMPLEX):
            raise InvalidInput(_("Choose simple or complex."), field="complexity")
        return {"complexity": payload["complexity"]}
    raise InvalidInput(_("Unknown kind of request."), field="kind")


@transaction.atomic
def approval_request(
    *, actor: Any, case: Case, kind: str, reason: str, payload: dict | None = None
) -> Approval:
    """File a request for the approver the rules require. One pending request per kind. An
    unlock request is the one request a locked case accepts."""
    case = case_for_update(case)
    if kind == Approval.Kind.UNLOCK:
        return _unlock_request(actor=actor, case=case, reason=reason)
    ensure_unlocked(case)
    if kind not in APPROVER:
        raise InvalidInput(_("Unknown kind of request."), field="kind")
    requesters = (
        REQUESTERS if kind != Approval.Kind.TRIAGE_OVERRIDE else (Role.REGISTRAR, Role.JUDGE)
    )
    require_case_role(actor, case, requesters)
    if not (reason or "").strip() or len(reason) > 2000:
        raise InvalidInput(
            _("Give the reason for the request (at most 2000 characters)."), field="reason"
        )
    clean = _clean_payload(case, kind, payload or {})
    if (
        kind == Approval.Kind.CONVERSION
        and case.trial_limit_due_at
        and timezone.now() >= case.trial_limit_due_at
    ):
        raise Conflict(
            _("A conversion must be decided before the current 审限 expires (民诉法解释 art 258)."),
            code="too_late",
        )
    if Approval.objects.filter(case=case, kind=kind, status=Approval.Status.PENDING).exists():
        raise Conflict(
            _("A request of this kind is already waiting for a decision."), code="already_pending"
        )
    approval = Approval.objects.create(
        case=case,
        kind=kind,
        payload=clean,
        reason=reason.strip(),
        requested_by=actor,
        requested_at=timezone.now(),
        approver_role=APPROVER[kind],
    )
    if kind == Approval.Kind.EXTENSION:
        record_event(
            case, "extension_requested", actor=actor, at=approval.requested_at, payload=clean
        )
    audit_record(
        actor=actor,
        action=f"approval.requested.{kind}",
        obj=approval,
        case_id=case.pk,
        court_id=case.court_id,
        after=clean,
        reason=reason,
    )
    return approval


def _unlock_request(*, actor: Any, case: Case, reason: str) -> Approval:
    from cases.services.locks import unlock_approver_role

    require_case_role(actor, case, REQUESTERS)
    if not case.locked:
        raise Conflict(
            _("Case %(number)s is not locked.") % {"number": case.number}, code="not_locked"
        )
    if not (reason or "").strip() or len(reason) > 2000:
        raise InvalidInput(
            _("Explain why the node is late and how it will be done (at most 2000 characters)."),
            field="reason",
        )
    if Approval.objects.filter(
        case=case, kind=Approval.Kind.UNLOCK, status=Approval.Status.PENDING
    ).exists():
        raise Conflict(
            _("A request of this kind is already waiting for a decision."), code="already_pending"
        )
    approval = Approval.objects.create(
        case=case,
        kind=Approval.Kind.UNLOCK,
        payload={"lock_sequence": case.lock_count},
        reason=reason.strip(),
        requested_by=actor,
        requested_at=timezone.now(),
        approver_role=unlock_approver_role(case),
    )
    audit_record(
        actor=actor,
        action="approval.requested.unlock",
        obj=approval,
        case_id=case.pk,
        court_id=case.court_id,
        after=approval.payload,
        reason=reason,
    )
    return approval


def _require_approver(actor: Any, approval: Approval, case: Case) -> None:
    if approval.kind == Approval.Kind.UNLOCK:
        from cases.services.locks import require_unlock_approver

        require_unlock_approver(actor, case)
        return
    if actor is None or getattr(actor, "is_superuser", False):
        return
    person = person_for_user(actor)
    roles = _approver_roles(approval.approver_role)
    if person is None or person.role not in roles or person.court_id != case.court_id:
        raise NotAllowed(
            _("This request is decided by %(role)s.")
            % {"role": Role(approval.approver_role).label},
            code="wrong_approver",
        )
    if person.role == Role.DIVISION_HEAD and person.division_id != case.division_id:
        raise NotAllowed(_("This case belongs to another division."), code="wrong_approver")
    if getattr(actor, "pk", None) == approval.requested_by_id:
        raise NotAllowed(
            _("A request cannot be decided by the person who filed it."), code="own_request"
        )


@transaction.atomic
def approval_decide(
    *,
    actor: Any,
    approval: Approval,
    approve: bool,
    reason: str,
    external_reference: str = "",
    at: dt.datetime | None = None,
    new_due_at: dt.datetime | None = None,
) -> Approval:
    """Approve or reject a pending request; an approval takes effect at once (an unlock needs
    ``new_due_at``). Two deciders at the same moment: the first wins, the second gets a conflict."""
    approval = Approval.objects.select_for_update().get(pk=approval.pk)
    case = case_for_update(approval.case_id)
    if approval.kind != Approval.Kind.UNLOCK:
        ensure_unlocked(case)
    _require_approver(actor, approval, case)
    if approval.status != Approval.Status.PENDING:
        raise Conflict(
            _("This request was already decided (%(status)s).")
            % {"status": approval.get_status_display()},
            code="already_decided",
        )
    if not (reason or "").strip():
        raise InvalidInput(_("Give the reason for the decision."), field="reason")
    at = at or timezone.now()
    if approve and approval.kind == Approval.Kind.EXTENSION:
        granted_alone = PRESIDENT_EXTENSION_MONTHS.get(case.procedure, 0)
        already = sum(e.months for e in Extension.objects.filter(case=case))
        if (
            already + approval.payload.get("months", 0) > granted_alone
            and not external_reference.strip()
        ):
            raise InvalidInput(
                _("This extension belongs to the higher court: record its decision (reference)."),
                field="external_reference",
                code="needs_higher_court",
            )
    try:
        if approve:
            approval.approve(by=actor, at=at, reason=reason)
        else:
            approval.reject(by=actor, at=at, reason=reason)
        approval.external_reference = external_reference.strip()[:100]
        approval.save()
    except ConcurrentTransition as exc:
        raise Conflict(
            _("Someone decided this request at the same moment."), code="concurrent_decision"
        ) from exc
    if approve and approval.kind == Approval.Kind.UNLOCK:
        from cases.services.locks import case_unlock

        case_unlock(actor=actor, case=case, reason=reason, new_due_at=new_due_at, approval=approval)
    elif approve:
        _apply(approval, case, actor=actor, at=at)
    audit_record(
        actor=actor,
        action=f"approval.{'approved' if approve else 'rejected'}.{approval.kind}",
        obj=approval,
        case_id=case.pk,
        court_id=case.court_id,
        before={"status": "pending"},
        after={
            "status": approval.status,
            **approval.payload,
            "external_reference": approval.external_reference,
        },
        reason=reason,
    )
    return approval


@transaction.atomic
def approval_withdraw(*, actor: Any, approval: Approval) -> Approval:
    """The requester takes a pending request back."""
    approval = Approval.objects.select_for_update().get(pk=approval.pk)
    if getattr(actor, "pk", None) != approval.requested_by_id:
        raise NotAllowed(_("Only the person who filed a request can withdraw it."))
    if not can_proceed(approval.withdraw):
        raise Conflict(_("This request was already decided."), code="already_decided")
    approval.withdraw(at=timezone.now())
    approval.save()
    audit_record(
        actor=actor,
        action=f"approval.withdrawn.{approval.kind}",
        obj=approval,
        case_id=approval.case_id,
        court_id=approval.case.court_id,
    )
    return approval


def _apply(approval: Approval, case: Case, *, actor: Any, at: dt.datetime) -> None:
    kind, payload = approval.kind, approval.payload
    if kind == Approval.Kind.EXTENSION:
        Extension.objects.create(
            case=case,
            months=payload.get("months", 0),
            days=payload.get("days", 0),
            approval=approval,
            at=at,
        )
        record_event(case, "extension_decided", actor=actor, at=at, payload=payload)
        clock_recompute(case, actor=actor, reason=approval.reason)
    elif kind == Approval.Kind.SUSPENSION:
        suspension_start(
            case=case,
            kind=payload["suspension_kind"],
            at=at,
            actor=actor,
            approval=approval,
            stay=payload.get("stay", False),
        )
    elif kind == Approval.Kind.CONVERSION:
        convert(case, procedure=payload["procedure"], actor=actor, at=at)
    elif kind == Approval.Kind.REASSIGNMENT:
        team = Team.objects.get(pk=payload["team"])
        judge = (
            Membership.objects.filter(team=team, ended_on__isnull=True, position=Position.JUDGE)
            .select_related("person")
            .first()
        )
        if judge is None:
            raise Conflict(
                _("Team %(team)s has no judge now.") % {"team": team.name}, code="no_judge"
            )
        Assignment.objects.create(
            case=case,
            method=Assignment.Method.REASSIGNMENT,
            team=team,
            judge=judge.person,
            at=at,
            by=actor if getattr(actor, "pk", None) else None,
            reason=approval.reason,
        )
        case.team, case.judge = team, judge.person
        case.save(update_fields=["team", "judge"])
        rollup_refresh([case.pk])
        record_event(
            case, "case_assigned", actor=actor, at=at, payload={"team": team.pk, "reassigned": True}
        )
    elif kind == Approval.Kind.TRIAGE_OVERRIDE:
        from cases.services.triage import triage_decide

        triage_decide(
            actor=actor, case=case, complexity=payload["complexity"], reason=approval.reason
        )


def suspension_start(
    *,
    case: Case,
    kind: str,
    at: dt.datetime,
    actor: Any,
    approval: Approval | None = None,
    ends_at: dt.datetime | None = None,
    stay: bool = False,
) -> Suspension:
    """Stop the 审限 clock (from ``at``; with ``ends_at`` when the law fixes the length, as for
    service by publication). A stay (中止) also suspends the case's stage."""
    if Suspension.objects.filter(case=case, ended_at__isnull=True).exists() and ends_at is None:
        raise Conflict(
            _("A suspension without an end is already running."), code="already_suspended"
        )
    suspension = Suspension.objects.create(
        case=case,
        kind=kind,
        started_at=at,
        ended_at=ends_at,
        planned_end_at=ends_at,
        approval=approval,
    )
    if stay and can_proceed(case.suspend):
        case.suspend()
        case.save()
    record_event(case, "suspension_started", actor=actor, at=at, payload={"kind": kind})
    clock_recompute(case, actor=actor, reason=str(Suspension.Kind(kind).label))
    rollup_refresh([case.pk])
    return suspension


@transaction.atomic
def suspension_end(
    *, actor: Any, case: Case, at: dt.datetime | None = None, reason: str = ""
) -> Suspension:
    """End the running suspension: the clock runs again and a stayed case resumes."""
    case = case_for_update(case)
    ensure_unlocked(case)
    require_case_role(actor, case, (Role.JUDGE, Role.DIVISION_HEAD))
    suspension = (
        Suspension.objects.select_for_update().filter(case=case, ended_at__isnull=True).first()
    )
    if suspension is None:
        raise Conflict(_("No suspension is running on this case."), code="not_suspended")
    at = at or timezone.now()
    if at < suspension.started_at or at > timezone.now() + dt.timedelta(minutes=5):
        raise InvalidInput(
            _("The suspension ends after it started and not in the future."), field="at"
        )
    suspension.ended_at = at
    suspension.save(update_fields=["ended_at"])
    if case.stage == Stage.SUSPENDED:
        case.resume()
        case.save()
    record_event(case, "suspension_ended", actor=actor, at=at, payload={"kind": suspension.kind})
    clock_recompute(case, actor=actor, reason=reason)
    rollup_refresh([case.pk])
    audit_record(
        actor=actor,
        action="case.suspension_ended",
        obj=case,
        case_id=case.pk,
        after={"kind": suspension.kind, "ended_at": at, "days": (at - suspension.started_at).days},
        reason=reason,
    )
    return suspension


def convert(case: Case, *, procedure: str, actor: Any, at: dt.datetime) -> None:
    """Change the procedure. Nodes of the old procedure only are waived; nodes of the new one
    only open for the events already recorded, counted from the conversion (their duty starts
    now), except the 审限: civil and administrative cases keep counting from filing (民诉法解释
    art 258; 行诉法解释 art 105), criminal cases restart from the decision (刑诉法解释 arts 368, 376)."""
    old = case.procedure
    case.convert(procedure=procedure)
    restart = PROCEDURE_FAMILY[procedure] == Family.CRIMINAL
    if restart:
        case.clock_started_at = at
    case.save()
    live = NodeInstance.objects.filter(case=case, status__in=engine.LIVE).select_related(
        "definition"
    )
    stale = [
        i.pk
        for i in live
        if procedure not in i.definition.procedures or (restart and i.on_trial_clock)
    ]
    engine.waive(Q(pk__in=stale), case_id=case.pk, reason=str(_("Procedure converted")))
    record_event(
        case, "conversion_decided", actor=actor, at=at, payload={"from": old, "to": procedure}
    )
    recorded = list(
        case.events.order_by("at", "id").values_list("code", "at", "scheduled_for", "payload")
    )
    for code, event_at, scheduled_for, payload in recorded:
        definitions = engine.definitions_opening(case.catalog_version_id, code)
        new_only = {
            d.code
            for d in definitions
            if procedure in d.procedures
            and (old not in d.procedures or (restart and d.on_trial_clock))
            and not (d.on_trial_clock and d.counting == "before")
        }
        if not new_only:
            continue
        live_codes = set(
            NodeInstance.objects.filter(case=case, status__in=engine.LIVE).values_list(
                "code", flat=True
            )
        )
        clock_node = {d.code for d in definitions if engine.is_clock_limit(d)}
        start = case.clock_started_at if new_only & clock_node else max(event_at, at)
        open_nodes(
            case,
            code,
            at=start if start else at,
            scheduled_for=scheduled_for,
            payload=payload,
            only=new_only - live_codes,
        )
    clock_recompute(case, actor=actor, reason=str(_("Procedure converted")))
    if case.trial_limit_due_at is not None:
        before_nodes = {
            d.code
            for d in engine.definitions_opening(case.catalog_version_id, TRIAL_LIMIT_EVENT)
            if procedure in d.procedures
        }
        engine.waive(
            Q(code__in=before_nodes), case_id=case.pk, reason=str(_("Procedure converted"))
        )
        open_nodes(case, TRIAL_LIMIT_EVENT, at=at)
    audit_record(
        actor=actor,
        action="case.converted",
        obj=case,
        case_id=case.pk,
        before={"procedure": old},
        after={
            "procedure": procedure,
            "clock_started_at": case.clock_started_at,
            "trial_limit_due_at": case.trial_limit_due_at,
        },
    )


def approvals_pending_for(*, user: Any):
    """Requests waiting for this user's decision (their division, or their court for presidents)."""
    person = person_for_user(user)
    if person is None:
        return Approval.objects.none()
    qs = Approval.objects.filter(
        status=Approval.Status.PENDING, case__court_id=person.court_id
    ).select_related("case", "requested_by")
    if person.role == Role.DIVISION_HEAD:
        return qs.filter(approver_role=Role.DIVISION_HEAD, case__division_id=person.division_id)
    if person.role in (Role.PRESIDENT, Role.VICE_PRESIDENT):
        return qs.filter(approver_role=Role.PRESIDENT)
    return qs.filter(Q(requested_by=user))
