"""Catalog and calendar API: the node catalog with its legal bases, and the due-date
calculator that applies the legal counting rules on the court calendar."""

from __future__ import annotations

import datetime as dt

from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from courtflow.api import QueryParamsSerializer, error_responses
from nodes import selectors
from nodes.periods import COURT_TZ, MAX_AMOUNT, UNITS, PeriodError, add_period
from nodes.vocab import Level, Phase, Procedure

FIRST_YEAR, LAST_YEAR = 2000, 2100


class NodeOutput(serializers.Serializer):
    code = serializers.CharField()
    name_zh = serializers.CharField()
    name_en = serializers.CharField()
    phase = serializers.CharField()
    procedures = serializers.ListField(child=serializers.CharField())
    level = serializers.CharField()
    opens_on = serializers.CharField()
    closes_on = serializers.ListField(child=serializers.CharField())
    condition = serializers.CharField()
    period = serializers.SerializerMethodField()
    counting = serializers.CharField()
    prompt_lead_hours = serializers.IntegerField()
    warning_lead_hours = serializers.IntegerField()
    owner_role = serializers.CharField()
    gates = serializers.CharField()
    on_trial_clock = serializers.BooleanField()
    legal_basis = serializers.SerializerMethodField()
    basis_status = serializers.CharField()

    def get_period(self, node) -> dict:
        return {"amount": node.amount, "unit": node.unit}

    def get_legal_basis(self, node) -> dict:
        return {"zh": node.basis_zh, "en": node.basis_en}


class CatalogOutput(serializers.Serializer):
    count = serializers.IntegerField(help_text="Nodes matching the filters.")
    version = serializers.IntegerField(allow_null=True, help_text="Catalog version number.")
    results = NodeOutput(many=True)


class CatalogListApi(APIView):
    """The current node catalog, filtered by phase, procedure and level."""

    class FilterSerializer(QueryParamsSerializer):
        phase = serializers.ChoiceField(choices=Phase.choices, required=False)
        procedure = serializers.ChoiceField(choices=Procedure.choices, required=False)
        level = serializers.ChoiceField(choices=Level.choices, required=False)

    @extend_schema(
        parameters=[FilterSerializer], responses={200: CatalogOutput, **error_responses(400, 403)}
    )
    def get(self, request: Request) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        version = selectors.catalog_current()
        nodes = selectors.catalog_nodes(version=version, **filters.validated_data)
        return Response(
            {
                "count": len(nodes),
                "version": version.number if version else None,
                "results": NodeOutput(nodes, many=True).data,
            }
        )


def parse_instant(value: str) -> dt.datetime:
    """An ISO 8601 instant or date; without an offset it is Beijing time."""
    value = (value or "").strip()
    parsed: dt.datetime | None = None
    try:
        parsed = parse_datetime(value)
        if parsed is None:
            day = parse_date(value)
            if day is not None:
                parsed = dt.datetime.combine(day, dt.time(0))
    except ValueError:
        parsed = None
    if parsed is None:
        raise serializers.ValidationError(
            _(
                "Not an ISO 8601 instant such as 2026-03-02T09:00:00+08:00 or a date such as 2026-03-02."
            )
        )
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=COURT_TZ)
    if not FIRST_YEAR <= parsed.astimezone(COURT_TZ).year <= LAST_YEAR:
        raise serializers.ValidationError(
            _("The court calendar covers %(first)s to %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )
    return parsed


class DueOutput(serializers.Serializer):
    due_at = serializers.DateTimeField(
        help_text="The first instant after the period: 24:00 of the last day."
    )
    last_day = serializers.DateField(
        allow_null=True, help_text="The last day of the period (day units)."
    )
    provisional = serializers.BooleanField(
        help_text="A year without calendar data was assumed Monday–Friday."
    )
    explanation = serializers.ListField(
        child=serializers.CharField(), help_text="The rules applied, in order."
    )


class DueDateApi(APIView):
    """The legal deadline of a period from an instant, on the court calendar, with why."""

    class QuerySerializer(QueryParamsSerializer):
        anchor = serializers.CharField(help_text="ISO 8601 instant the period runs from.")
        amount = serializers.IntegerField(min_value=0, help_text="Length of the period.")
        unit = serializers.ChoiceField(choices=[(u, u) for u in UNITS])
        custody = serializers.BooleanField(
            required=False,
            default=False,
            help_text="A criminal custody period: the last day never moves.",
        )

        def validate_anchor(self, value: str) -> dt.datetime:
            return parse_instant(value)

        def validate(self, attrs: dict) -> dict:
            if attrs["amount"] > MAX_AMOUNT[attrs["unit"]]:
                raise serializers.ValidationError(
                    {
                        "amount": _("At most %(max)s %(unit)s.")
                        % {"max": MAX_AMOUNT[attrs["unit"]], "unit": attrs["unit"]}
                    }
                )
            return attrs

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "anchor",
                str,
                required=True,
                description="ISO 8601 instant, e.g. 2026-09-30T10:00:00+08:00",
            ),
            OpenApiParameter("amount", int, required=True),
            OpenApiParameter("unit", str, required=True, enum=list(UNITS)),
            OpenApiParameter("custody", bool, required=False),
        ],
        responses={200: DueOutput, **error_responses(400, 403)},
    )
    def get(self, request: Request) -> Response:
        query = self.QuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        try:
            due = add_period(
                data["anchor"],
                data["amount"],
                data["unit"],
                selectors.calendar_load(),
                custody=data["custody"],
            )
        except PeriodError as exc:
            raise serializers.ValidationError({exc.field: [exc.message]}) from exc
        return Response(due.as_dict())


class SupervisionRowOutput(serializers.Serializer):
    case = serializers.IntegerField()
    number = serializers.CharField()
    cause = serializers.CharField()
    stage = serializers.CharField()
    team = serializers.CharField()
    judge = serializers.CharField()
    filed_at = serializers.DateTimeField(allow_null=True)
    trial_limit_due_at = serializers.DateTimeField(allow_null=True)


class SupervisionSectionOutput(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    total = serializers.IntegerField()
    rows = serializers.ListField(child=serializers.DictField())


class SupervisionDailyApi(APIView):
    """The daily supervision list (日管): a division head's division, a president's court."""

    class FilterSerializer(QueryParamsSerializer):
        division = serializers.IntegerField(
            required=False, help_text="Presidents and trial managers only."
        )

    @extend_schema(
        parameters=[FilterSerializer],
        responses={200: SupervisionSectionOutput(many=True), **error_responses(400, 403, 404)},
    )
    def get(self, request: Request) -> Response:
        from courtflow.errors import NotAllowed
        from nodes.supervision import daily_list
        from teams.access import division_get_for_user, person_for_user
        from teams.roles import Role

        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        me = person_for_user(request.user)
        if me is None:
            raise NotAllowed(_("Your account is not bound to a court."))
        if me.role == Role.DIVISION_HEAD:
            division_id = me.division_id
        elif me.role in (Role.PRESIDENT, Role.VICE_PRESIDENT, Role.TRIAL_MANAGER):
            division_id = filters.validated_data.get("division")
            if division_id is not None:
                division_get_for_user(user=request.user, division_id=division_id)
        else:
            raise NotAllowed(_("The supervision list is for division heads and presidents."))
        sections = daily_list(court_id=me.court_id, division_id=division_id)
        return Response(
            SupervisionSectionOutput(
                [
                    {"key": s.key, "title": s.title, "total": s.total, "rows": s.rows}
                    for s in sections
                ],
                many=True,
            ).data
        )


class NotificationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField()
    case = serializers.IntegerField(source="case_id", allow_null=True)
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)


class NotificationListApi(APIView):
    """The caller's inbox, newest first (``unread=true`` for unread only), with the unread count."""

    class FilterSerializer(QueryParamsSerializer):
        unread = serializers.BooleanField(required=False, default=False)

    @extend_schema(
        parameters=[FilterSerializer],
        responses={200: NotificationOutput(many=True), **error_responses(400, 403)},
    )
    def get(self, request: Request) -> Response:
        from nodes.models import Notification

        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        qs = Notification.objects.filter(recipient=request.user)
        unread = qs.filter(read_at__isnull=True).count()
        if filters.validated_data["unread"]:
            qs = qs.filter(read_at__isnull=True)
        response = Response(
            NotificationOutput(qs.order_by("-created_at", "-id")[:200], many=True).data
        )
        response["X-Unread-Count"] = str(unread)
        return response


class NotificationReadApi(APIView):
    """Mark one of the caller's notifications read (``all`` marks every one)."""

    @extend_schema(request=None, responses={204: None, **error_responses(403, 404)})
    def post(self, request: Request, notification_id: str) -> Response:
        from nodes.services.inbox import notifications_mark_read

        notifications_mark_read(user=request.user, notification_id=notification_id)
        return Response(status=204)
