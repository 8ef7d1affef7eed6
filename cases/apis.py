"""Case API: register and list cases, a case's nodes and the actions open to the caller,
approvals, the service-centre queue, hearings and the assignment replay. Every object is
loaded through cases.access (404 outside the caller's scope); every write calls a service."""

from __future__ import annotations

import uuid

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import selectors, services
from cases.access import (
    case_get_for_user,
    case_queryset_for_user,
    service_request_get_for_user,
)
from cases.lifecycle import ClosureType, Complexity, Stage
from cases.models import Approval, Assignment, Case, Hearing, Party, ServiceAttempt, ServiceRequest
from cases.services.approvals import approvals_pending_for
from cases.services.service_of_process import service_queue
from courtflow.api import QueryParamsSerializer, StrictSerializer, error_responses
from courtflow.errors import InvalidInput, NotVisible
from nodes.vocab import CONDITIONS, EVENTS, Procedure
from teams.access import person_for_user
from teams.models import Courtroom, Person
from teams.roles import Role

READ = error_responses(400, 403, 404)
WRITE = error_responses(400, 403, 404, 409)


def _idempotency_key(request: Request) -> uuid.UUID | None:
    raw = request.headers.get("Idempotency-Key")
    if not raw:
        return None
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise InvalidInput(_("Idempotency-Key must be a UUID."), field="Idempotency-Key") from None


class PartyOutput(serializers.ModelSerializer):
    id_number = serializers.CharField(
        source="masked_id", help_text="Masked: first 3 and last 2 characters."
    )

    class Meta:
        model = Party
        fields = ["id", "name", "role", "kind", "id_number"]


class CaseOutput(serializers.ModelSerializer):
    team_name = serializers.CharField(source="team.name", default=None)
    judge_name = serializers.CharField(source="judge.name", default=None)
    division_name = serializers.CharField(source="division.name")

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "procedure",
            "family",
            "cause",
            "stage",
            "complexity",
            "locked",
            "lock_count",
            "filed_at",
            "division",
            "division_name",
            "team",
            "team_name",
            "judge",
            "judge_name",
            "trial_limit_due_at",
            "supervision_category",
            "president_supervised",
            "closed_at",
            "closure_type",
        ]


class CaseDetailOutput(CaseOutput):
    parties = PartyOutput(many=True)
    days_left = serializers.SerializerMethodField(
        help_text="Whole days left on the 审限 (negative when past)."
    )
    clock_paused = serializers.BooleanField()
    catalog_version = serializers.IntegerField(source="catalog_version.number")
    claim_amount = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)

    class Meta(CaseOutput.Meta):
        fields = [
            *CaseOutput.Meta.fields,
            "parties",
            "days_left",
            "clock_paused",
            "catalog_version",
            "claim_amount",
            "received_at",
        ]

    def get_days_left(self, case: Case) -> int | None:
        return selectors.trial_limit_days_left(case)


class PartyInput(StrictSerializer):
    name = serializers.CharField(max_length=120)
    role = serializers.ChoiceField(choices=Party.Role.choices)
    kind = serializers.ChoiceField(choices=Party.Kind.choices, default=Party.Kind.PERSON)
    id_number = serializers.CharField(max_length=32, required=False, allow_blank=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True)


class CasePageOutput(serializers.Serializer):
    count = serializers.IntegerField(help_text="Cases matching the filters.")
    next = serializers.URLField(allow_null=True, help_text="The next page, if any.")
    previous = serializers.URLField(allow_null=True, help_text="The previous page, if any.")
    results = CaseOutput(many=True)


class CaseListApi(APIView):
    """Cases in the caller's scope (filters, search by 案号 or party name); registrars register."""

    class FilterSerializer(QueryParamsSerializer):
        stage = serializers.ChoiceField(choices=Stage.choices, required=False)
        procedure = serializers.ChoiceField(choices=Procedure.choices, required=False)
        locked = serializers.BooleanField(required=False, allow_null=True, default=None)
        supervised = serializers.BooleanField(required=False, allow_null=True, default=None)
        q = serializers.CharField(required=False, max_length=60)
        open_only = serializers.BooleanField(required=False, default=False)
        limit = serializers.IntegerField(
            required=False, min_value=1, max_value=1000, help_text="Page size (default 50)."
        )
        offset = serializers.IntegerField(required=False, min_value=0, help_text="Rows to skip.")

    class InputSerializer(StrictSerializer):
        procedure = serializers.ChoiceField(choices=Procedure.choices)
        cause = serializers.CharField(max_length=100)
        parties = PartyInput(many=True)
        claim_amount = serializers.DecimalField(
            max_digits=16, decimal_places=2, required=False, allow_null=True, min_value=0
        )
        received_at = serializers.DateTimeField(required=False)
        filed_at = serializers.DateTimeField(required=False)
        file_now = serializers.BooleanField(default=True)
        division = serializers.IntegerField(required=False)
        in_custody = serializers.BooleanField(default=False)
        foreign_party = serializers.BooleanField(default=False)
        supervision_category = serializers.IntegerField(default=0, min_value=0, max_value=4)
        facts = serializers.DictField(
            child=serializers.BooleanField(),
            required=False,
            help_text="Condition flags: " + ", ".join(CONDITIONS),
        )

    @extend_schema(
        operation_id="cases_list",  # a page object, not a bare list: name it as before
        parameters=[FilterSerializer],
        responses={200: CasePageOutput, **READ},
    )
    def get(self, request: Request) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        values = dict(filters.validated_data)
        values.pop("limit", None), values.pop("offset", None)  # read by the paginator
        qs = selectors.case_list_for_user(user=request.user, **values)
        paginator = LimitOffsetPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(CaseOutput(page, many=True).data)

    @extend_schema(request=InputSerializer, responses={201: CaseDetailOutput, **WRITE})
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        me = person_for_user(request.user)
        if me is None:
            raise InvalidInput(_("Your account is not bound to a court."), code="no_court")
        division = None
        if "division" in values:
            from teams.access import division_get_for_user

            division = division_get_for_user(user=request.user, division_id=values.pop("division"))
        case = services.case_register(
            actor=request.user,
            court=me.court,
            division=division,
            idempotency_key=_idempotency_key(request),
            **values,
        )
        return Response(
            CaseDetailOutput(selectors.case_detail(case)).data, status=status.HTTP_201_CREATED
        )


class CaseDetailApi(APIView):
    """One case: stage, lock, 审限 due date and days left, parties (identity numbers masked)."""

    @extend_schema(responses={200: CaseDetailOutput, **READ})
    def get(self, request: Request, case_id: int) -> Response:
        case = case_get_for_user(user=request.user, case_id=case_id)
        return Response(CaseDetailOutput(selectors.case_detail(case)).data)


class CaseNodeOutput(serializers.Serializer):
    code = serializers.CharField()
    name_zh = serializers.CharField(source="definition.name_zh")
    name_en = serializers.CharField(source="definition.name_en")
    level = serializers.CharField()
    status = serializers.CharField()
    opened_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField(allow_null=True)
    provisional = serializers.BooleanField()
    completed_at = serializers.DateTimeField(allow_null=True)
    completed_late = serializers.BooleanField()
    gates = serializers.CharField()
    legal_basis = serializers.CharField(source="definition.basis_zh")


class CaseNodesApi(APIView):
    """The case's node instances with their due and completion times."""

    @extend_schema(responses={200: CaseNodeOutput(many=True), **READ})
    def get(self, request: Request, case_id: int) -> Response:
        case = case_get_for_user(user=request.user, case_id=case_id)
        return Response(CaseNodeOutput(selectors.case_nodes(case), many=True).data)


class ActionOutput(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.CharField()
    blocked_by = serializers.ListField(
        child=serializers.DictField(), help_text="Checkpoint nodes not done yet."
    )
    fields = serializers.ListField(child=serializers.CharField())


class CaseActionsApi(APIView):
    """GET: what the caller may do now. POST: do one of them — record an event
    (``event:<code>``), triage (``triage``), docket (``docket``) or end a suspension."""

    class InputSerializer(StrictSerializer):
        action = serializers.CharField(max_length=80)
        at = serializers.DateTimeField(required=False)
        closure_type = serializers.ChoiceField(choices=ClosureType.choices, required=False)
        complexity = serializers.ChoiceField(
            choices=[c for c in Complexity.choices if c[0]], required=False
        )
        reason = serializers.CharField(max_length=2000, required=False, allow_blank=True)
        payload = serializers.DictField(required=False)

    @extend_schema(responses={200: ActionOutput(many=True), **READ})
    def get(self, request: Request, case_id: int) -> Response:
        case = case_get_for_user(user=request.user, case_id=case_id)
        return Response(
            ActionOutput(
                selectors.case_actions_for_user(user=request.user, case=case), many=True
            ).data
        )

    @extend_schema(request=InputSerializer, responses={200: CaseDetailOutput, **WRITE})
    def post(self, request: Request, case_id: int) -> Response:
        case = case_get_for_user(user=request.user, case_id=case_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        action = values["action"]
        if action.startswith("event:"):
            code = action.split(":", 1)[1]
            if code not in EVENTS:
                raise InvalidInput(_("Unknown event."), field="action")
            payload = dict(values.get("payload") or {})
            if "closure_type" in values:
                payload["closure_type"] = values["closure_type"]
            services.case_event_record(
                actor=request.user,
                case=case,
                code=code,
                at=values.get("at"),
                payload=payload,
                idempotency_key=_idempotency_key(request),
            )
        elif action == "triage":
            if "complexity" not in values:
                raise InvalidInput(_("Choose simple or complex."), field="complexity")
            services.triage_decide(
                actor=request.user,
                case=case,
                complexity=values["complexity"],
                reason=values.get("reason", ""),
            )
        elif action == "docket":
            services.case_docket(
                actor=request.user, case=case, at=values.get("at"), reason=values.get("reason", "")
            )
        elif action == "suspension:end":
            services.suspension_end(
                actor=request.user, case=case, at=values.get("at"), reason=values.get("reason", "")
            )
        else:
            raise InvalidInput(_("Unknown action."), field="action")
        return Response(CaseDetailOutput(selectors.case_detail(case)).data)


class ApprovalOutput(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number")

    class Meta:
        model = Approval
        fields = [
            "id",
            "case",
            "case_number",
            "kind",
            "status",
            "payload",
            "reason",
            "requested_by",
            "requested_at",
            "approver_role",
            "decided_by",
            "decided_at",
            "decision_reason",
            "external_reference",
        ]


class ApprovalListApi(APIView):
    """GET: requests waiting for the caller's decision (or filed by the caller). POST: file one."""

    class InputSerializer(StrictSerializer):
        case = serializers.IntegerField()
        kind = serializers.ChoiceField(
            choices=[k for k in Approval.Kind.choices if k[0] != "unlock"]
        )
        reason = serializers.CharField(max_length=2000)
        payload = serializers.DictField(required=False)

    @extend_schema(responses={200: ApprovalOutput(many=True), **READ})
    def get(self, request: Request) -> Response:
        return Response(
            ApprovalOutput(approvals_pending_for(user=request.user)[:200], many=True).data
        )

    @extend_schema(request=InputSerializer, responses={201: ApprovalOutput, **WRITE})
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = case_get_for_user(user=request.user, case_id=data.validated_data["case"])
        approval = services.approval_request(
            actor=request.user,
            case=case,
            kind=data.validated_data["kind"],
            reason=data.validated_data["reason"],
            payload=data.validated_data.get("payload") or {},
        )
        return Response(ApprovalOutput(approval).data, status=status.HTTP_201_CREATED)


def _approval_for_user(user, approval_id) -> Approval:
    approval = Approval.objects.filter(pk=approval_id).select_related("case").first()
    if approval is None or not case_queryset_for_user(user).filter(pk=approval.case_id).exists():
        raise NotVisible(_("Not found."))
    return approval


class ApprovalDecideApi(APIView):
    """Approve or reject a request (the approver the rules require)."""

    class InputSerializer(StrictSerializer):
        approve = serializers.BooleanField()
        reason = serializers.CharField(max_length=2000)
        external_reference = serializers.CharField(max_length=100, required=False, allow_blank=True)
        new_due_at = serializers.DateTimeField(
            required=False, help_text="Unlock requests: the new due date."
        )

    @extend_schema(request=InputSerializer, responses={200: ApprovalOutput, **WRITE})
    def post(self, request: Request, approval_id: int) -> Response:
        approval = _approval_for_user(request.user, approval_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        approval = services.approval_decide(
            actor=request.user, approval=approval, **data.validated_data
        )
        return Response(ApprovalOutput(approval).data)


class ServiceRequestOutput(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number")
    party_name = serializers.CharField(source="party.name")

    class Meta:
        model = ServiceRequest
        fields = [
            "id",
            "case",
            "case_number",
            "document",
            "party",
            "party_name",
            "status",
            "requested_at",
            "served_at",
        ]


class ServiceRequestListApi(APIView):
    """GET: the service centre's open queue (service staff) or the caller's cases' requests.
    POST: ask the centre to serve a document (one action for the team)."""

    class InputSerializer(StrictSerializer):
        case = serializers.IntegerField()
        document = serializers.ChoiceField(choices=ServiceRequest.Document.choices)
        party = serializers.IntegerField()

    @extend_schema(responses={200: ServiceRequestOutput(many=True), **READ})
    def get(self, request: Request) -> Response:
        me = person_for_user(request.user)
        if me is None:
            return Response([])
        if me.role == Role.SERVICE_STAFF:
            qs = service_queue(court_id=me.court_id)
        else:
            qs = (
                ServiceRequest.objects.filter(case__in=case_queryset_for_user(request.user))
                .select_related("case", "party")
                .order_by("-requested_at")
            )
        return Response(ServiceRequestOutput(qs[:500], many=True).data)

    @extend_schema(request=InputSerializer, responses={201: ServiceRequestOutput, **WRITE})
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = case_get_for_user(user=request.user, case_id=data.validated_data["case"])
        party = case.parties.filter(pk=data.validated_data["party"]).first()
        if party is None:
            raise InvalidInput(_("The recipient is not a party of this case."), field="party")
        req = services.service_request_create(
            actor=request.user, case=case, document=data.validated_data["document"], party=party
        )
        return Response(ServiceRequestOutput(req).data, status=status.HTTP_201_CREATED)


class ServiceAttemptApi(APIView):
    """Service-centre staff record an attempt (and its result) on a request."""

    class InputSerializer(StrictSerializer):
        method = serializers.ChoiceField(choices=ServiceAttempt.Method.choices)
        result = serializers.ChoiceField(choices=ServiceAttempt.Result.choices)
        at = serializers.DateTimeField(required=False)
        posted_at = serializers.DateTimeField(required=False)
        note = serializers.CharField(max_length=300, required=False, allow_blank=True)

    @extend_schema(request=InputSerializer, responses={200: ServiceRequestOutput, **WRITE})
    def post(self, request: Request, request_id: int) -> Response:
        # Outside the caller's scope (another division's case, another court) it is 404.
        req = service_request_get_for_user(user=request.user, request_id=request_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.service_attempt_record(actor=request.user, request=req, **data.validated_data)
        req.refresh_from_db()
        return Response(ServiceRequestOutput(req).data)


class HearingOutput(serializers.ModelSerializer):
    class Meta:
        model = Hearing
        fields = ["id", "case", "starts_at", "ends_at", "online", "stream", "public", "status"]


class HearingScheduleApi(APIView):
    """Schedule a hearing with a courtroom and a pool clerk (no double booking)."""

    class InputSerializer(StrictSerializer):
        starts_at = serializers.DateTimeField()
        ends_at = serializers.DateTimeField()
        courtroom = serializers.IntegerField(required=False, allow_null=True)
        clerk = serializers.IntegerField(required=False, allow_null=True)
        online = serializers.BooleanField(default=False)
        stream = serializers.BooleanField(default=False)
        public = serializers.BooleanField(default=True)

    @extend_schema(request=InputSerializer, responses={201: HearingOutput, **WRITE})
    def post(self, request: Request, case_id: int) -> Response:
        case = case_get_for_user(user=request.user, case_id=case_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        room_id, clerk_id = values.pop("courtroom", None), values.pop("clerk", None)
        room = (
            Courtroom.objects.filter(pk=room_id, court_id=case.court_id).first()
            if room_id
            else None
        )
        clerk = (
            Person.objects.filter(pk=clerk_id, court_id=case.court_id).first() if clerk_id else None
        )
        if room_id and room is None:
            raise InvalidInput(_("Unknown courtroom."), field="courtroom")
        if clerk_id and clerk is None:
            raise InvalidInput(_("Unknown clerk."), field="clerk")
        if values["ends_at"] <= values["starts_at"]:
            raise InvalidInput(_("The end must be after the start."), field="ends_at")
        hearing = services.hearing_schedule(
            actor=request.user,
            case=case,
            courtroom=room,
            clerk=clerk,
            idempotency_key=_idempotency_key(request),
            **values,
        )
        return Response(HearingOutput(hearing).data, status=status.HTTP_201_CREATED)


def _hearing_for_user(user, hearing_id) -> Hearing:
    hearing = Hearing.objects.filter(pk=hearing_id).first()
    if hearing is None or not case_queryset_for_user(user).filter(pk=hearing.case_id).exists():
        raise NotVisible(_("Not found."))
    return hearing


class HearingHeldApi(APIView):
    """Record that the hearing took place (the first one opens the trial, past its checkpoints)."""

    class InputSerializer(StrictSerializer):
        at = serializers.DateTimeField(required=False)

    @extend_schema(request=InputSerializer, responses={200: HearingOutput, **WRITE})
    def post(self, request: Request, hearing_id: int) -> Response:
        hearing = _hearing_for_user(request.user, hearing_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        hearing = services.hearing_record_held(
            actor=request.user, hearing=hearing, at=data.validated_data.get("at")
        )
        return Response(HearingOutput(hearing).data)


class HearingAdjournApi(APIView):
    """Adjourn (or cancel) a scheduled hearing; room and clerk are released."""

    class InputSerializer(StrictSerializer):
        reason = serializers.CharField(max_length=500)
        cancel = serializers.BooleanField(default=False)

    @extend_schema(request=InputSerializer, responses={200: HearingOutput, **WRITE})
    def post(self, request: Request, hearing_id: int) -> Response:
        hearing = _hearing_for_user(request.user, hearing_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        hearing = services.hearing_adjourn(
            actor=request.user, hearing=hearing, **data.validated_data
        )
        return Response(HearingOutput(hearing).data)


class ReplayOutput(serializers.Serializer):
    team = serializers.IntegerField()
    matches = serializers.BooleanField(help_text="The replayed draw chose the stored team.")
    seed = serializers.IntegerField(required=False)
    candidates = serializers.ListField(child=serializers.DictField(), required=False)


class AssignmentReplayApi(APIView):
    """Replay a case's stored random draw and say whether it gives the same team."""

    @extend_schema(responses={200: ReplayOutput(many=True), **READ})
    def get(self, request: Request, case_id: int) -> Response:
        case = case_get_for_user(user=request.user, case_id=case_id)
        results = [
            services.assignment_replay(a)
            for a in Assignment.objects.filter(case=case).order_by("at")
        ]
        return Response(ReplayOutput(results, many=True).data)


class CaseLockOutput(serializers.Serializer):
    sequence = serializers.IntegerField(help_text="1 for the case's first lock, 2 for the second …")
    locked_at = serializers.DateTimeField()
    unlocked_at = serializers.DateTimeField(allow_null=True)
    new_due_at = serializers.DateTimeField(allow_null=True)
    unlock_reason = serializers.CharField()


class CaseUnlockApi(APIView):
    """Unlock a locked case with a reason and a new due date for its overdue nodes (within the
    court's grace). The division head unlocks a case's first lock, a president later ones."""

    class InputSerializer(StrictSerializer):
        reason = serializers.CharField(max_length=2000)
        new_due_at = serializers.DateTimeField()

    @extend_schema(request=InputSerializer, responses={200: CaseLockOutput, **WRITE})
    def post(self, request: Request, case_id: int) -> Response:
        case = case_get_for_user(user=request.user, case_id=case_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        from cases.services.locks import case_unlock

        lock = case_unlock(actor=request.user, case=case, **data.validated_data)
        return Response(CaseLockOutput(lock).data)
