"""Hearings: booked with a courtroom and a pool clerk (no double booking), held, adjourned."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.lifecycle import Stage
from cases.models import Case, CaseEvent, Hearing
from cases.rollups import rollup_refresh
from cases.services.common import (
    case_for_update,
    check_event_time,
    ensure_unlocked,
    record_event,
    require_case_role,
)
from cases.services.events import ensure_gate
from courtflow.audit import audit_record
from courtflow.errors import Conflict, InvalidInput
from nodes import engine
from teams.models import Courtroom, Person
from teams.roles import Role
from teams.services import booking_cancel, booking_create

HEARING_ROLES = (Role.JUDGE, Role.ASSISTANT, Role.CLERK)
HEARING_STAGES = (Stage.PRETRIAL, Stage.TRIAL, Stage.REVIEW, Stage.JUDGMENT)


@transaction.atomic
def hearing_schedule(
    *,
    actor: Any,
    case: Case,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    courtroom: Courtroom | None,
    clerk: Person | None,
    online: bool = False,
    stream: bool = False,
    public: bool = True,
    idempotency_key: uuid.UUID | None = None,
) -> Hearing:
    """Schedule a hearing: book the room and the clerk, record 开庭排期 with the date, and open
    the nodes counted back from it (summons ≥3 days before, indictment copy ≥10 days …)."""
    case = case_for_update(case)
    ensure_unlocked(case)
    require_case_role(actor, case, HEARING_ROLES)
    if (
        idempotency_key is not None
        and CaseEvent.objects.filter(idempotency_key=idempotency_key).exists()
    ):
        raise Conflict(_("This form was already submitted."), code="duplicate_submission")
    if case.stage not in HEARING_STAGES:
        raise Conflict(
            _("A hearing can only be scheduled while the case is being tried."), code="wrong_stage"
        )
    if courtroom is None and not online:
        raise InvalidInput(_("An in-person hearing needs a courtroom."), field="courtroom")
    if starts_at <= timezone.now():
        raise InvalidInput(_("A hearing is scheduled in the future."), field="starts_at")
    if stream and courtroom is not None and not courtroom.supports_streaming:
        raise InvalidInput(_("This courtroom cannot stream."), field="stream")
    if Hearing.objects.filter(case=case, status=Hearing.Status.SCHEDULED).exists():
        raise Conflict(
            _("The case already has a scheduled hearing; adjourn or cancel it first."),
            code="hearing_exists",
        )
    booking = booking_create(
        actor=actor,
        court=case.court,
        starts_at=starts_at,
        ends_at=ends_at,
        courtroom=courtroom,
        clerk=clerk,
        purpose=f"{case.number} 开庭",
    )
    hearing = Hearing.objects.create(
        case=case,
        booking=booking,
        starts_at=starts_at,
        ends_at=ends_at,
        online=online,
        stream=stream,
        public=public,
    )
    record_event(
        case,
        "hearing_scheduled",
        actor=actor,
        at=timezone.now(),
        scheduled_for=starts_at,
        payload={
            "online": online,
            "stream_required": stream,
            "public_hearing": public,
            "hearing": hearing.pk,
        },
        idempotency_key=idempotency_key,
    )
    audit_record(
        actor=actor,
        action="case.hearing_scheduled",
        obj=hearing,
        case_id=case.pk,
        court_id=case.court_id,
        after={
            "starts_at": starts_at,
            "courtroom": getattr(courtroom, "name", ""),
            "clerk": getattr(clerk, "name", ""),
            "online": online,
            "stream": stream,
        },
    )
    return hearing


@transaction.atomic
def hearing_record_held(*, actor: Any, hearing: Hearing, at: dt.datetime | None = None) -> Hearing:
    """The hearing took place. The first one moves the case to trial, if its checkpoints
    (summons served in time, indictment copy …) are done."""
    case = case_for_update(hearing.case_id)
    ensure_unlocked(case)
    require_case_role(actor, case, HEARING_ROLES)
    hearing = Hearing.objects.select_for_update().get(pk=hearing.pk)
    if hearing.status != Hearing.Status.SCHEDULED:
        raise Conflict(
            _("This hearing is already %(status)s.") % {"status": hearing.get_status_display()},
            code="wrong_state",
        )
    at = at or max(hearing.starts_at, min(timezone.now(), hearing.ends_at))
    check_event_time(case, at)
    if at < hearing.starts_at - dt.timedelta(hours=1):
        raise InvalidInput(_("A hearing cannot be held before its scheduled time."), field="at")
    if case.stage == Stage.PRETRIAL:
        ensure_gate(case, "open_hearing")
        case.open_hearing()
        case.save()
    hearing.status = Hearing.Status.HELD
    hearing.save(update_fields=["status"])
    rollup_refresh([case.pk])
    record_event(
        case,
        "hearing_held",
        actor=actor,
        at=at,
        payload={
            "stream_required": hearing.stream,
            "online": hearing.online,
            "hearing": hearing.pk,
        },
    )
    audit_record(
        actor=actor,
        action="case.hearing_held",
        obj=hearing,
        case_id=case.pk,
        court_id=case.court_id,
        after={"at": at, "stage": case.stage},
    )
    return hearing


@transaction.atomic
def hearing_adjourn(*, actor: Any, hearing: Hearing, reason: str, cancel: bool = False) -> Hearing:
    """Adjourn (延期开庭) or cancel a scheduled hearing; the room and the clerk are released.
    Adjournments are counted: ordinary procedure at most twice, simple procedure once
    (2018/2019 延长审限和延期开庭规定 art 3) — a further one is refused."""
    case = case_for_update(hearing.case_id)
    ensure_unlocked(case)
    require_case_role(actor, case, HEARING_ROLES)
    hearing = Hearing.objects.select_for_update().get(pk=hearing.pk)
    if hearing.status != Hearing.Status.SCHEDULED:
        raise Conflict(
            _("Only a scheduled hearing can be adjourned or cancelled."), code="wrong_state"
        )
    if not (reason or "").strip():
        raise InvalidInput(_("Give the reason."), field="reason")
    if not cancel:
        limit = 1 if case.procedure in ("civil_simple", "civil_small_claims") else 2
        done = Hearing.objects.filter(case=case, status=Hearing.Status.ADJOURNED).count()
        if done >= limit:
            raise Conflict(
                _(
                    "This procedure allows at most %(n)s adjournment(s); a further one needs the "
                    "president's approval."
                )
                % {"n": limit},
                code="too_many_adjournments",
            )
    hearing.status = Hearing.Status.CANCELLED if cancel else Hearing.Status.ADJOURNED
    hearing.save(update_fields=["status"])
    rollup_refresh([case.pk])
    booking_cancel(actor=actor, booking=hearing.booking, reason=reason)
    if not cancel:
        record_event(
            case,
            "hearing_adjourned",
            actor=actor,
            at=timezone.now(),
            payload={"hearing": hearing.pk},
        )
    # The nodes counted back from this hearing's date no longer apply; the next date opens new ones.
    engine.waive(
        Q(definition__opens_on="hearing_scheduled"),
        case_id=case.pk,
        reason=str(_("The hearing was adjourned")),
    )
    audit_record(
        actor=actor,
        action="case.hearing_cancelled" if cancel else "case.hearing_adjourned",
        obj=hearing,
        case_id=case.pk,
        court_id=case.court_id,
        reason=reason,
    )
    return hearing
