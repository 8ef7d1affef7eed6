"""集约送达 (西城): a team asks for a document to be served in one action; the service centre's
staff record each attempt; success records the service event with the date the rules give
for the method (审限规定 art 10); service by publication suspends the 审限 for its period."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.lifecycle import Stage
from cases.models import Case, Party, ServiceAttempt, ServiceRequest, Suspension
from cases.services.approvals import PUBLICATION_DAYS, PUBLICATION_DAYS_ABROAD, suspension_start
from cases.services.common import (
    case_for_update,
    check_event_time,
    ensure_unlocked,
    record_event,
    require_case_role,
)
from courtflow.audit import audit_record
from courtflow.errors import Conflict, InvalidInput, NotAllowed
from nodes.vocab import Procedure
from teams.access import person_for_user
from teams.roles import Role

DOCUMENT_EVENT = {
    ServiceRequest.Document.COMPLAINT_COPY: "complaint_copy_served",
    ServiceRequest.Document.DEFENCE_COPY: "defence_copy_served",
    ServiceRequest.Document.SUMMONS: "summons_served",
    ServiceRequest.Document.INDICTMENT_COPY: "indictment_copy_served",
    ServiceRequest.Document.JUDGMENT: "judgment_served",
    ServiceRequest.Document.MEDIATION_DOCUMENT: "mediation_document_served",
    ServiceRequest.Document.APPEAL_COPY: "appeal_copy_served",
    ServiceRequest.Document.FEE_NOTICE: "fee_notice_served",
    ServiceRequest.Document.APPEAL_FEE_NOTICE: "appeal_fee_notice_served",
    ServiceRequest.Document.ACCEPTANCE_NOTICE: "acceptance_notice_sent",
    ServiceRequest.Document.ENFORCEMENT_NOTICE: "enforcement_notice_sent",
    ServiceRequest.Document.SALE_RULING: "sale_ruling_served",
    ServiceRequest.Document.DISTRIBUTION_PLAN: "distribution_plan_served",
}
REQUESTERS = (Role.JUDGE, Role.ASSISTANT, Role.CLERK, Role.BAILIFF, Role.REGISTRAR)
NO_PUBLICATION = (Procedure.CIVIL_SIMPLE, Procedure.CIVIL_SMALL_CLAIMS)


@transaction.atomic
def service_request_create(
    *, actor: Any, case: Case, document: str, party: Party
) -> ServiceRequest:
    """Send a document to the service centre's queue (one action for the team)."""
    case = case_for_update(case)
    ensure_unlocked(case)
    require_case_role(actor, case, REQUESTERS)
    if document not in ServiceRequest.Document.values:
        raise InvalidInput(_("Unknown document."), field="document")
    if party.case_id != case.pk:
        raise InvalidInput(_("The recipient is not a party of this case."), field="party")
    if case.stage == Stage.ARCHIVED:
        raise Conflict(_("The case is archived."), code="wrong_stage")
    if ServiceRequest.objects.filter(
        case=case,
        document=document,
        party=party,
        status__in=[ServiceRequest.Status.PENDING, ServiceRequest.Status.IN_PROGRESS],
    ).exists():
        raise Conflict(
            _("This document is already waiting to be served on this party."),
            code="already_requested",
        )
    request = ServiceRequest.objects.create(
        case=case,
        court_id=case.court_id,
        document=document,
        party=party,
        requested_by=actor,
        requested_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action="service.requested",
        obj=request,
        case_id=case.pk,
        court_id=case.court_id,
        after={"document": document, "party": party.name},
    )
    return request


def served_date(method: str, at: dt.datetime, posted_at: dt.datetime | None) -> dt.datetime:
    """The date service counts from (审限规定 art 10): 邮寄 the posting date, 留置 the day it was
    left, 公告 the publication date, 委托 and the others the date the party signed."""
    if method == ServiceAttempt.Method.POST and posted_at is not None:
        return posted_at
    return at


@transaction.atomic
def service_attempt_record(
    *,
    actor: Any,
    request: ServiceRequest,
    method: str,
    result: str,
    at: dt.datetime | None = None,
    posted_at: dt.datetime | None = None,
    note: str = "",
) -> ServiceAttempt:
    """Service-centre staff record one attempt. A served document completes its service node;
    a publication starts the 公告 suspension of the 审限 (30 days, 60 abroad; 民诉法 arts 95,
    283) and counts as served from the publication date."""
    person = person_for_user(actor)
    if (
        actor is not None
        and not getattr(actor, "is_superuser", False)
        and (
            person is None
            or person.role != Role.SERVICE_STAFF
            or person.court_id != request.court_id
        )
    ):
        raise NotAllowed(_("Only the service centre's staff record service attempts."))
    request = ServiceRequest.objects.select_for_update().get(pk=request.pk)
    case = case_for_update(request.case_id)
    ensure_unlocked(case)
    if request.status in (ServiceRequest.Status.SERVED, ServiceRequest.Status.CANCELLED):
        raise Conflict(
            _("This document is already %(status)s.") % {"status": request.get_status_display()},
            code="already_done",
        )
    if method not in ServiceAttempt.Method.values:
        raise InvalidInput(_("Unknown method of service."), field="method")
    if result not in ServiceAttempt.Result.values:
        raise InvalidInput(_("Unknown result."), field="result")
    publication = method == ServiceAttempt.Method.PUBLICATION
    if publication != (result == ServiceAttempt.Result.STARTED):
        raise InvalidInput(
            _("Publication is recorded as started; other methods as served or not."), field="result"
        )
    if publication and case.procedure in NO_PUBLICATION:
        raise Conflict(
            _(
                "Simple and small-claims procedure do not allow service by publication; convert the case "
                "to ordinary procedure first (民诉法解释 art 140)."
            ),
            code="publication_not_allowed",
        )
    at = at or timezone.now()
    check_event_time(case, at)
    if posted_at is not None and (posted_at > at or posted_at < case.received_at):
        raise InvalidInput(
            _("The posting date lies between receipt of the case and the attempt."),
            field="posted_at",
        )
    attempt = ServiceAttempt.objects.create(
        request=request, method=method, at=at, result=result, note=note[:300], recorded_by=actor
    )
    served = result in (ServiceAttempt.Result.SERVED, ServiceAttempt.Result.STARTED)
    if served:
        request.status = ServiceRequest.Status.SERVED
        request.served_at = served_date(method, at, posted_at)
        request.save(update_fields=["status", "served_at"])
        record_event(
            case,
            DOCUMENT_EVENT[request.document],
            actor=actor,
            at=request.served_at,
            payload={"method": method, "party": request.party_id},
        )
        if publication:
            days = PUBLICATION_DAYS_ABROAD if case.foreign_party else PUBLICATION_DAYS
            record_event(
                case, "publication_service_started", actor=actor, at=at, payload={"days": days}
            )
            suspension_start(
                case=case,
                kind=Suspension.Kind.PUBLICATION,
                at=at,
                actor=actor,
                ends_at=at + dt.timedelta(days=days),
            )
    else:
        request.status = ServiceRequest.Status.IN_PROGRESS
        request.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="service.attempt",
        obj=attempt,
        case_id=case.pk,
        court_id=case.court_id,
        after={
            "document": request.document,
            "method": method,
            "result": result,
            "at": at,
            "served_at": request.served_at,
        },
        reason=note,
    )
    return attempt


def service_queue(*, court_id: int):
    """The service centre's open requests, oldest first."""
    return (
        ServiceRequest.objects.filter(
            court_id=court_id,
            status__in=[ServiceRequest.Status.PENDING, ServiceRequest.Status.IN_PROGRESS],
        )
        .select_related("case", "party")
        .order_by("requested_at", "id")
    )
