"""Unlocking a locked case (锁定 → 解锁). The division head approves a case's first lock and a
president any later one (each court may set otherwise); the approver gives a reason and a
new due date for the overdue nodes within the allowed grace, and the sweep does not lock
again before it. A lock after the grace is the case's next lock, numbered on."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Approval, Case
from cases.services.common import case_for_update
from courtflow.audit import audit_record
from courtflow.errors import Conflict, InvalidInput, NotAllowed
from nodes import engine
from nodes.models import CaseLock, CourtRules, NodeInstance, Notification
from nodes.selectors import node_settings_for
from teams.access import person_for_user
from teams.roles import Role

PRESIDENTS = (Role.PRESIDENT, Role.VICE_PRESIDENT)


def court_rules(court_id: int) -> CourtRules:
    """The court's lock rules (defaults when it has set none)."""
    return CourtRules.objects.filter(court_id=court_id).first() or CourtRules(court_id=court_id)


def unlock_approver_role(case: Case) -> str:
    """Who may approve unlocking this case now: its first lock, or a later one."""
    rules = court_rules(case.court_id)
    return rules.first_unlock_role if case.lock_count <= 1 else rules.later_unlock_role


def require_unlock_approver(actor: Any, case: Case) -> None:
    """Refuse unless the actor holds the approving role for this lock, for this case."""
    if actor is None or getattr(actor, "is_superuser", False):
        return
    role = unlock_approver_role(case)
    roles = PRESIDENTS if role == Role.PRESIDENT else (role,)
    person = person_for_user(actor)
    if person is None or person.court_id != case.court_id or person.role not in roles:
        raise NotAllowed(
            _("Lock %(n)s of this case is unlocked by %(role)s.")
            % {"n": case.lock_count, "role": Role(role).label},
            code="wrong_approver",
            detail={"unlock_by": role, "lock_sequence": case.lock_count},
        )
    if person.role == Role.DIVISION_HEAD and person.division_id != case.division_id:
        raise NotAllowed(_("This case belongs to another division."), code="wrong_approver")


@transaction.atomic
def case_unlock(
    *,
    actor: Any,
    case: Case,
    reason: str,
    new_due_at: dt.datetime,
    approval: Approval | None = None,
) -> CaseLock:
    """Unlock a locked case: the overdue nodes get ``new_due_at`` (within the grace), the lock
    is closed with the reason, and a pending unlock request is approved with it."""
    case = case_for_update(case)
    if not case.locked:
        raise Conflict(
            _("Case %(number)s is not locked.") % {"number": case.number}, code="not_locked"
        )
    require_unlock_approver(actor, case)
    if not (reason or "").strip() or len(reason) > 2000:
        raise InvalidInput(
            _("Give the reason for the unlock (at most 2000 characters)."), field="reason"
        )
    now = timezone.now()
    rules = court_rules(case.court_id)
    if new_due_at is None or timezone.is_naive(new_due_at):
        raise InvalidInput(_("Give the new due date with its time zone."), field="new_due_at")
    if new_due_at <= now:
        raise InvalidInput(_("The new due date must be in the future."), field="new_due_at")
    if new_due_at > now + dt.timedelta(days=rules.max_grace_days):
        raise InvalidInput(
            _("The new due date may be at most %(n)s days ahead.") % {"n": rules.max_grace_days},
            field="new_due_at",
            code="grace_too_long",
        )
    lock = CaseLock.objects.select_for_update().filter(case=case, unlocked_at__isnull=True).first()
    if lock is None:  # the flag without a lock row: repair rather than refuse the approver
        lock = CaseLock.objects.create(
            case=case,
            court_id=case.court_id,
            sequence=max(case.lock_count, 1),
            node=NodeInstance.objects.filter(case=case).order_by("-id").first(),
            locked_at=now,
        )
    nodes = list(
        NodeInstance.objects.select_for_update()
        .filter(case=case, status=NodeInstance.Status.LOCKED)
        .select_related("definition")
    )
    settings_map = node_settings_for(case.court_id)
    for inst in nodes:
        prompt_h, warn_h = engine.leads(inst.definition, settings_map.get(inst.code))
        inst.status = NodeInstance.Status.OPEN
        inst.grace_until = new_due_at
        inst.round += 1
        inst.prompted_at = inst.warned_at = None
        inst.prompt_at = new_due_at - dt.timedelta(hours=prompt_h) if prompt_h else None
        inst.warn_at = new_due_at - dt.timedelta(hours=warn_h) if warn_h else None
        inst.next_action_at = engine.next_action(inst)
    NodeInstance.objects.bulk_update(
        nodes,
        [
            "status",
            "grace_until",
            "round",
            "prompted_at",
            "warned_at",
            "prompt_at",
            "warn_at",
            "next_action_at",
        ],
    )
    case.locked = False
    case.save(update_fields=["locked"])
    engine.next_due_refresh([case.pk])  # the grace is the nodes' deadline now
    if approval is None:
        approval = (
            Approval.objects.select_for_update()
            .filter(case=case, kind=Approval.Kind.UNLOCK, status=Approval.Status.PENDING)
            .first()
        )
        if approval is not None:
            approval.approve(by=actor, at=now, reason=reason)
            approval.save()
    lock.unlocked_at = now
    lock.unlocked_by = actor if getattr(actor, "pk", None) else None
    lock.unlock_reason = reason.strip()
    lock.new_due_at = new_due_at
    lock.approval = approval
    lock.save()
    if case.judge_id:
        Notification.objects.create(
            recipient=case.judge.user,
            kind=Notification.Kind.UNLOCK,
            case=case,
            created_at=now,
            title=str(
                _("Unlocked: %(number)s, new due date %(due)s.")
                % {
                    "number": case.number,
                    "due": timezone.localtime(new_due_at).strftime("%Y-%m-%d %H:%M"),
                }
            )[:200],
        )
    audit_record(
        actor=actor,
        action="case.unlocked",
        obj=case,
        case_id=case.pk,
        before={"locked": True, "lock_sequence": lock.sequence},
        after={"locked": False, "new_due_at": new_due_at, "nodes": [n.code for n in nodes]},
        reason=reason,
    )
    return lock
