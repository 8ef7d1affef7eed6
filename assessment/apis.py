"""Statistics API: court metrics per period and level."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from courtflow.api import QueryParamsSerializer, error_responses

METRIC_READERS = ("division_head", "president", "vice_president", "trial_manager")


class MetricsRowOutput(serializers.Serializer):
    key = serializers.IntegerField(allow_null=True, help_text="Division, team or judge id.")
    name = serializers.CharField()
    new = serializers.IntegerField(help_text="新收: filed in the period.")
    closed = serializers.IntegerField(help_text="已结: closed in the period.")
    carried_over = serializers.IntegerField(help_text="旧存: open when the period began.")
    pending = serializers.IntegerField(help_text="未结: open when the period ended.")
    closed_with_limit = serializers.IntegerField()
    closed_within_limit = serializers.IntegerField()
    pending_over_12 = serializers.IntegerField()
    pending_over_24 = serializers.IntegerField()
    backlog_at_start = serializers.IntegerField(help_text="Pending over 12 months at the start.")
    backlog_cleared = serializers.IntegerField()
    hearings_held = serializers.IntegerField()
    hearings_online = serializers.IntegerField()
    closure_rate = serializers.DecimalField(
        max_digits=9,
        decimal_places=2,
        allow_null=True,
        help_text="结案率 = closed ÷ (carried over + new), %.",
    )
    closed_to_new = serializers.DecimalField(
        max_digits=9,
        decimal_places=2,
        allow_null=True,
        help_text="结收比 = closed ÷ new, % (CourTools clearance rate).",
    )
    within_limit_rate = serializers.DecimalField(
        max_digits=9, decimal_places=2, allow_null=True, help_text="审限内结案率, %."
    )
    backlog_clearance = serializers.DecimalField(
        max_digits=9, decimal_places=2, allow_null=True, help_text="清积率, %."
    )
    online_hearing_rate = serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True)
    mean_days = serializers.DecimalField(
        max_digits=9,
        decimal_places=1,
        allow_null=True,
        help_text="Filing to closure, net of suspensions.",
    )
    median_days = serializers.DecimalField(max_digits=9, decimal_places=1, allow_null=True)
    pending_median_age = serializers.DecimalField(
        max_digits=9, decimal_places=1, allow_null=True, help_text="CourTools measure 4, days."
    )
    pending_mean_age = serializers.DecimalField(max_digits=9, decimal_places=1, allow_null=True)


class MetricsOutput(serializers.Serializer):
    court = serializers.IntegerField()
    division = serializers.IntegerField(allow_null=True)
    level = serializers.CharField()
    start = serializers.DateField(help_text="First day of the period.")
    end = serializers.DateField(help_text="Last day of the period (inclusive).")
    rows = MetricsRowOutput(many=True)


class MetricsFilter(QueryParamsSerializer):
    start = serializers.DateField(required=False, help_text="First day (default: 1 January).")
    end = serializers.DateField(required=False, help_text="Last day, inclusive (default: today).")
    division = serializers.IntegerField(required=False, min_value=1)
    level = serializers.ChoiceField(
        choices=["court", "division", "team", "judge"], required=False, default="court"
    )

    def to_internal_value(self, data):
        # ``from`` and ``to`` in the query string (``from`` is a Python keyword).
        data = data.copy()
        for outer, inner in (("from", "start"), ("to", "end")):
            if outer in data and inner not in data:
                data[inner] = data[outer]
        return super().to_internal_value(data)

    def validate(self, attrs):
        today = timezone.localdate()
        attrs.setdefault("start", today.replace(month=1, day=1))
        attrs.setdefault("end", today)
        if attrs["end"] < attrs["start"]:
            raise serializers.ValidationError({"to": _("The period ends before it begins.")})
        if (attrs["end"] - attrs["start"]).days > 366 * 5:
            raise serializers.ValidationError({"to": _("A period is at most five years long.")})
        return attrs


def metrics_scope(user, division_id: int | None):
    """(court id, division id) the user may read: a division head their own division (another
    division answers 404), presidents and trial managers their court or one of its divisions."""
    from courtflow.errors import NotAllowed, NotVisible
    from teams.access import person_for_user
    from teams.models import Division

    me = person_for_user(user)
    if me is None or me.role not in METRIC_READERS:
        raise NotAllowed(_("Court metrics are for division heads, presidents and trial managers."))
    if me.role == "division_head":
        if division_id is not None and division_id != me.division_id:
            raise NotVisible(_("No such division."))
        return me.court_id, me.division_id
    if (
        division_id is not None
        and not Division.objects.filter(pk=division_id, court_id=me.court_id).exists()
    ):
        raise NotVisible(_("No such division."))
    return me.court_id, division_id


def period_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Midnight at the start of ``start`` to midnight after ``end``, in the court's time."""
    return (
        timezone.make_aware(dt.datetime.combine(start, dt.time())),
        timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time())),
    )


class CourtMetricsApi(APIView):
    """Court metrics for a period: new, closed, carried over, pending, 结案率, 结收比,
    审限内结案率, long-pending cases and 清积率, time to disposition, pending age and the
    online hearing rate — for the court or one division, in one row or per division, team
    or judge."""

    @extend_schema(
        parameters=[MetricsFilter],
        responses={200: MetricsOutput, **error_responses(400, 403, 404)},
    )
    def get(self, request: Request) -> Response:
        from assessment.metrics import court_metrics

        filters = MetricsFilter(data=request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        court_id, division_id = metrics_scope(request.user, data.get("division"))
        start, end = period_bounds(data["start"], data["end"])
        rows = court_metrics(
            court_id=court_id, division_id=division_id, start=start, end=end, level=data["level"]
        )
        return Response(
            MetricsOutput(
                {
                    "court": court_id,
                    "division": division_id,
                    "level": data["level"],
                    "start": data["start"],
                    "end": data["end"],
                    "rows": [r.as_dict() for r in rows],
                }
            ).data
        )


class _FileRenderer:
    """Lets ``?format=csv`` and ``?format=xlsx`` through DRF's content negotiation; the view
    answers those with a streamed file, never through the renderer."""

    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class CSVRenderer(_FileRenderer):
    media_type = "text/csv"
    format = "csv"


class XLSXRenderer(_FileRenderer):
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"


class NodeStatsRowOutput(serializers.Serializer):
    code = serializers.CharField()
    name_zh = serializers.CharField()
    name_en = serializers.CharField()
    level = serializers.CharField()
    key = serializers.IntegerField(allow_null=True)
    unit = serializers.CharField()
    reached = serializers.IntegerField()
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    on_time_rate = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    open = serializers.IntegerField()
    overdue = serializers.IntegerField()
    locked = serializers.IntegerField()
    waived = serializers.IntegerField()
    prompted = serializers.IntegerField()
    warned = serializers.IntegerField()
    median_hours = serializers.DecimalField(max_digits=12, decimal_places=1, allow_null=True)
    p90_hours = serializers.DecimalField(max_digits=12, decimal_places=1, allow_null=True)
    locks_first = serializers.IntegerField()
    locks_second = serializers.IntegerField()
    locks_more = serializers.IntegerField()
    unlocks = serializers.IntegerField()


class NodeStatsFilter(MetricsFilter):
    code = serializers.CharField(required=False, max_length=48, help_text="One node's code.")
    rows = serializers.ChoiceField(
        choices=["summary", "instances"],
        required=False,
        default="summary",
        help_text="summary: one row per node (and unit); instances: one row per node instance "
        "(csv or xlsx only).",
    )


class NodeStatsApi(APIView):
    """Node statistics for a period — reached, on time, late, open, overdue, locked, prompts,
    warnings, time to completion, locks by sequence, unlocks — as JSON, or with
    ``format=csv`` / ``format=xlsx`` as a file (``rows=instances`` for one row per node
    instance down to the case, the person and the unlock's reason)."""

    renderer_classes = [*APIView.renderer_classes, CSVRenderer, XLSXRenderer]

    @extend_schema(
        parameters=[NodeStatsFilter],
        responses={
            (200, "application/json"): NodeStatsRowOutput(many=True),
            (200, "text/csv"): {"type": "string", "format": "binary"},
            (200, XLSXRenderer.media_type): {"type": "string", "format": "binary"},
            **error_responses(400, 403, 404),
        },
    )
    def get(self, request: Request):
        from itertools import chain

        from assessment.node_stats import DETAIL_HEADER, node_instances_batches, node_stats
        from assessment.views import _node_header, _node_table
        from courtflow.exports import (
            csv_batches,
            csv_response,
            csv_response_pieces,
            xlsx_response,
        )

        filters = NodeStatsFilter(data=request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        court_id, division_id = metrics_scope(request.user, data.get("division"))
        start, end = period_bounds(data["start"], data["end"])
        fmt = request.accepted_renderer.format
        scope = {
            "court_id": court_id,
            "division_id": division_id,
            "start": start,
            "end": end,
            "code": data.get("code") or None,
        }
        name = f"node-{data['rows']}-{data['start']:%Y%m%d}-{data['end']:%Y%m%d}"
        if data["rows"] == "instances":
            if fmt not in ("csv", "xlsx"):
                from courtflow.errors import InvalidInput

                raise InvalidInput(
                    _("One row per node instance comes as a file: format=csv or xlsx."),
                    field="format",
                )
            header = [str(h) for h in DETAIL_HEADER]
            if fmt == "csv":
                batches = node_instances_batches(neutralise=True, **scope)
                return csv_response_pieces(f"{name}.csv", csv_batches(header, batches))
            rows = chain.from_iterable(node_instances_batches(neutralise=False, **scope))
        else:
            stats = node_stats(level=data["level"], **scope)
            if fmt not in ("csv", "xlsx"):
                return Response(NodeStatsRowOutput(stats, many=True).data)
            header, rows = _node_header(), _node_table(stats)
        if fmt == "xlsx":
            return xlsx_response(f"{name}.xlsx", header, rows, sheet="nodes")
        return csv_response(f"{name}.csv", header, rows)
