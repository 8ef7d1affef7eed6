"""Organisation API: courts, divisions, people, teams and memberships, coefficients, team
types and the clerk pool. Reads are scoped to the caller's court; writes go to services."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from courtflow.api import QueryParamsSerializer, StrictSerializer, error_responses
from courtflow.errors import InvalidInput

from . import access, selectors, services
from .models import Court, Division, HRCoefficient, Membership, Person, Team, TeamType
from .roles import Position, Role, StaffCategory

READ_ERRORS = error_responses(400, 403, 404)
WRITE_ERRORS = error_responses(400, 403, 404, 409)


class CourtOutput(serializers.ModelSerializer):
    class Meta:
        model = Court
        fields = ["id", "code", "name", "level", "parent"]


class CourtListApi(APIView):
    """Courts visible to the caller; superusers may create a court."""

    class InputSerializer(StrictSerializer):
        code = serializers.CharField(max_length=8, help_text="法院代字, e.g. 京0102.")
        name = serializers.CharField(max_length=100)
        level = serializers.ChoiceField(choices=Court.Level.choices)
        parent = serializers.IntegerField(required=False, allow_null=True)

    @extend_schema(responses={200: CourtOutput(many=True), **READ_ERRORS})
    def get(self, request: Request) -> Response:
        courts = access.scope_to_courts(request.user, Court.objects.all(), "id")
        return Response(CourtOutput(courts, many=True).data)

    @extend_schema(request=InputSerializer, responses={201: CourtOutput, **WRITE_ERRORS})
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        parent_id = data.validated_data.pop("parent", None)
        parent = (
            access.court_get_for_user(user=request.user, court_id=parent_id) if parent_id else None
        )
        court = services.court_create(actor=request.user, parent=parent, **data.validated_data)
        return Response(CourtOutput(court).data, status=status.HTTP_201_CREATED)


class DivisionOutput(serializers.ModelSerializer):
    class Meta:
        model = Division
        fields = ["id", "court", "name", "kind", "head"]


class DivisionListApi(APIView):
    """Divisions of the caller's court."""

    @extend_schema(responses={200: DivisionOutput(many=True), **READ_ERRORS})
    def get(self, request: Request) -> Response:
        qs = access.scope_to_courts(request.user, Division.objects.order_by("court_id", "name"))
        return Response(DivisionOutput(qs, many=True).data)


class PersonOutput(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username")

    class Meta:
        model = Person
        fields = [
            "id",
            "username",
            "name",
            "court",
            "division",
            "role",
            "staff_category",
            "is_active",
        ]


class PersonListApi(APIView):
    """People of the caller's court; people managers create accounts here."""

    class FilterSerializer(QueryParamsSerializer):
        role = serializers.ChoiceField(choices=Role.choices, required=False)
        division = serializers.IntegerField(required=False)

    class InputSerializer(StrictSerializer):
        username = serializers.CharField(max_length=150)
        name = serializers.CharField(max_length=60)
        role = serializers.ChoiceField(choices=Role.choices)
        division = serializers.IntegerField(required=False, allow_null=True)
        staff_category = serializers.ChoiceField(choices=StaffCategory.choices, required=False)
        password = serializers.CharField(
            required=False, write_only=True, min_length=8, max_length=128
        )
        email = serializers.EmailField(required=False, allow_blank=True)

    @extend_schema(
        parameters=[FilterSerializer], responses={200: PersonOutput(many=True), **READ_ERRORS}
    )
    def get(self, request: Request) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        qs = access.scope_to_courts(
            request.user, Person.objects.select_related("user").order_by("name")
        )
        if "role" in filters.validated_data:
            qs = qs.filter(role=filters.validated_data["role"])
        if "division" in filters.validated_data:
            qs = qs.filter(division_id=filters.validated_data["division"])
        return Response(PersonOutput(qs, many=True).data)

    @extend_schema(request=InputSerializer, responses={201: PersonOutput, **WRITE_ERRORS})
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        me = access.person_for_user(request.user)
        if me is None:
            raise InvalidInput(_("Your account is not bound to a court."), code="no_court")
        values = dict(data.validated_data)
        division_id = values.pop("division", None)
        division = (
            access.division_get_for_user(user=request.user, division_id=division_id)
            if division_id
            else None
        )
        person = services.person_create(
            actor=request.user, court=me.court, division=division, **values
        )
        return Response(PersonOutput(person).data, status=status.HTTP_201_CREATED)


class MemberOutput(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name")

    class Meta:
        model = Membership
        fields = [
            "id",
            "team",
            "person",
            "person_name",
            "position",
            "started_on",
            "ended_on",
            "end_reason",
        ]


class SeatOutput(serializers.Serializer):
    position = serializers.CharField()
    count = serializers.IntegerField()
    min_count = serializers.IntegerField()
    max_count = serializers.IntegerField(allow_null=True)
    ok = serializers.BooleanField()


class TeamOutput(serializers.ModelSerializer):
    class Meta:
        model = Team
        fields = ["id", "court", "division", "team_type", "name", "is_active"]


class TeamDetailOutput(TeamOutput):
    members = serializers.SerializerMethodField()
    coefficient_sum = serializers.SerializerMethodField()
    annual_target = serializers.SerializerMethodField()
    composition_ok = serializers.SerializerMethodField()
    seats = serializers.SerializerMethodField()

    class Meta(TeamOutput.Meta):
        fields = [
            *TeamOutput.Meta.fields,
            "members",
            "coefficient_sum",
            "annual_target",
            "composition_ok",
            "seats",
        ]

    def get_members(self, team: Team) -> list[dict]:
        return MemberOutput(selectors.active_memberships(team), many=True).data

    def get_coefficient_sum(self, team: Team) -> str:
        return str(selectors.team_coefficient_sum(team))

    def get_annual_target(self, team: Team) -> str | None:
        target = selectors.team_annual_target(team)
        return None if target is None else str(target)

    def get_composition_ok(self, team: Team) -> bool:
        return selectors.team_composition(team).ok

    def get_seats(self, team: Team) -> list[dict]:
        comp = selectors.team_composition(team)
        return [
            {
                "position": s.position,
                "count": s.count,
                "min_count": s.min_count,
                "max_count": s.max_count,
                "ok": s.ok,
            }
            for s in comp.seats
        ]


class TeamListApi(APIView):
    """Active teams of the caller's court; team managers create teams here."""

    class FilterSerializer(QueryParamsSerializer):
        division = serializers.IntegerField(required=False)
        composition = serializers.ChoiceField(
            choices=["ok", "problem"],
            required=False,
            help_text="Only teams that do / do not meet their template.",
        )

    class InputSerializer(StrictSerializer):
        division = serializers.IntegerField()
        team_type = serializers.IntegerField()
        name = serializers.CharField(max_length=60)

    @extend_schema(
        parameters=[FilterSerializer], responses={200: TeamOutput(many=True), **READ_ERRORS}
    )
    def get(self, request: Request) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        qs = access.scope_to_courts(
            request.user, Team.objects.filter(is_active=True).order_by("name")
        )
        if "division" in filters.validated_data:
            qs = qs.filter(division_id=filters.validated_data["division"])
        if "composition" in filters.validated_data:
            court_ids = access.court_ids_for_user(request.user)
            bad = {
                c.team.pk
                for cid in (
                    court_ids
                    if court_ids is not None
                    else Court.objects.values_list("pk", flat=True)
                )
                for c in selectors.teams_not_meeting_template(cid)
            }
            qs = (
                qs.filter(pk__in=bad)
                if filters.validated_data["composition"] == "problem"
                else qs.exclude(pk__in=bad)
            )
        return Response(TeamOutput(qs, many=True).data)

    @extend_schema(request=InputSerializer, responses={201: TeamOutput, **WRITE_ERRORS})
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        division = access.division_get_for_user(
            user=request.user, division_id=data.validated_data["division"]
        )
        team_type = access.team_type_get_for_user(
            user=request.user, team_type_id=data.validated_data["team_type"]
        )
        team = services.team_create(
            actor=request.user,
            division=division,
            team_type=team_type,
            name=data.validated_data["name"],
        )
        return Response(TeamOutput(team).data, status=status.HTTP_201_CREATED)


class TeamDetailApi(APIView):
    """A team with its active members, coefficient sum, annual target and composition."""

    @extend_schema(responses={200: TeamDetailOutput, **READ_ERRORS})
    def get(self, request: Request, team_id: int) -> Response:
        team = access.team_get_for_user(user=request.user, team_id=team_id)
        return Response(TeamDetailOutput(team).data)


class TeamMemberAddApi(APIView):
    """Seat a person in the team."""

    class InputSerializer(StrictSerializer):
        person = serializers.IntegerField()
        position = serializers.ChoiceField(choices=Position.choices)
        started_on = serializers.DateField(required=False)

    @extend_schema(request=InputSerializer, responses={201: MemberOutput, **WRITE_ERRORS})
    def post(self, request: Request, team_id: int) -> Response:
        team = access.team_get_for_user(user=request.user, team_id=team_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        person = access.person_get_for_user(
            user=request.user, person_id=data.validated_data["person"]
        )
        membership = services.membership_create(
            actor=request.user,
            team=team,
            person=person,
            position=data.validated_data["position"],
            started_on=data.validated_data.get("started_on"),
        )
        return Response(MemberOutput(membership).data, status=status.HTTP_201_CREATED)


class MembershipEndApi(APIView):
    """End an active membership."""

    class InputSerializer(StrictSerializer):
        ended_on = serializers.DateField(required=False)
        reason = serializers.CharField(max_length=200, required=False, allow_blank=True)

    @extend_schema(request=InputSerializer, responses={200: MemberOutput, **WRITE_ERRORS})
    def post(self, request: Request, membership_id: int) -> Response:
        membership = access.membership_get_for_user(user=request.user, membership_id=membership_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        membership = services.membership_end(
            actor=request.user,
            membership=membership,
            ended_on=data.validated_data.get("ended_on"),
            reason=data.validated_data.get("reason", ""),
        )
        return Response(MemberOutput(membership).data)


class PersonMoveApi(APIView):
    """Move a person to another team or seat: the old membership ends, the new one starts."""

    class InputSerializer(StrictSerializer):
        team = serializers.IntegerField()
        position = serializers.ChoiceField(choices=Position.choices)
        on = serializers.DateField(required=False)
        reason = serializers.CharField(max_length=200, required=False, allow_blank=True)

    @extend_schema(request=InputSerializer, responses={201: MemberOutput, **WRITE_ERRORS})
    def post(self, request: Request, person_id: int) -> Response:
        person = access.person_get_for_user(user=request.user, person_id=person_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        team = access.team_get_for_user(user=request.user, team_id=data.validated_data["team"])
        membership = services.person_move(
            actor=request.user,
            person=person,
            team=team,
            position=data.validated_data["position"],
            on=data.validated_data.get("on"),
            reason=data.validated_data.get("reason", ""),
        )
        return Response(MemberOutput(membership).data, status=status.HTTP_201_CREATED)


class PersonMembershipsApi(APIView):
    """A person's membership history, newest first."""

    @extend_schema(responses={200: MemberOutput(many=True), **READ_ERRORS})
    def get(self, request: Request, person_id: int) -> Response:
        person = access.person_get_for_user(user=request.user, person_id=person_id)
        return Response(MemberOutput(selectors.membership_history(person), many=True).data)


class CoefficientOutput(serializers.ModelSerializer):
    class Meta:
        model = HRCoefficient
        fields = ["court", "category", "value"]


class CoefficientListApi(APIView):
    """The human-resource coefficients of the caller's court."""

    @extend_schema(responses={200: CoefficientOutput(many=True), **READ_ERRORS})
    def get(self, request: Request) -> Response:
        qs = access.scope_to_courts(
            request.user, HRCoefficient.objects.order_by("court_id", "-value")
        )
        return Response(CoefficientOutput(qs, many=True).data)


class CoefficientSetApi(APIView):
    """Change one coefficient of the caller's court (audited)."""

    class InputSerializer(StrictSerializer):
        value = serializers.DecimalField(max_digits=4, decimal_places=2, min_value=0)
        reason = serializers.CharField(max_length=500, required=False, allow_blank=True)

    @extend_schema(request=InputSerializer, responses={200: CoefficientOutput, **WRITE_ERRORS})
    def put(self, request: Request, category: str) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        me = access.person_for_user(request.user)
        if me is None:
            raise InvalidInput(_("Your account is not bound to a court."), code="no_court")
        coefficient = services.coefficient_set(
            actor=request.user,
            court=me.court,
            category=category,
            value=data.validated_data["value"],
            reason=data.validated_data.get("reason", ""),
        )
        return Response(CoefficientOutput(coefficient).data)


class TeamTypeOutput(serializers.ModelSerializer):
    seats = serializers.SerializerMethodField()

    class Meta:
        model = TeamType
        fields = [
            "id",
            "court",
            "kind",
            "name",
            "annual_quota",
            "handles_simple_cases",
            "handles_complex_cases",
            "seats",
        ]

    def get_seats(self, team_type: TeamType) -> list[dict]:
        return [
            {"position": s.position, "min_count": s.min_count, "max_count": s.max_count}
            for s in team_type.seats.all()
        ]


class TeamTypeListApi(APIView):
    """Team types of the caller's court with their staffing templates and quotas."""

    @extend_schema(responses={200: TeamTypeOutput(many=True), **READ_ERRORS})
    def get(self, request: Request) -> Response:
        qs = access.scope_to_courts(request.user, TeamType.objects.prefetch_related("seats"))
        return Response(TeamTypeOutput(qs, many=True).data)


class TeamTypeUpdateApi(APIView):
    """Change a team type's annual quota or name (audited)."""

    class InputSerializer(StrictSerializer):
        name = serializers.CharField(max_length=60, required=False)
        annual_quota = serializers.IntegerField(
            min_value=0, max_value=100000, required=False, allow_null=True
        )
        reason = serializers.CharField(max_length=500, required=False, allow_blank=True)

    @extend_schema(request=InputSerializer, responses={200: TeamTypeOutput, **WRITE_ERRORS})
    def patch(self, request: Request, team_type_id: int) -> Response:
        team_type = access.team_type_get_for_user(user=request.user, team_type_id=team_type_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        team_type = services.team_type_update(
            actor=request.user,
            team_type=team_type,
            name=values.get("name"),
            annual_quota=values.get("annual_quota", "unchanged"),
            reason=values.get("reason", ""),
        )
        return Response(TeamTypeOutput(team_type).data)


class ClerkPoolApi(APIView):
    """Pool clerks of the caller's court; with a time slot, only those free in it."""

    class FilterSerializer(QueryParamsSerializer):
        starts_at = serializers.DateTimeField(required=False)
        ends_at = serializers.DateTimeField(required=False)

        def validate(self, attrs: dict) -> dict:
            if ("starts_at" in attrs) != ("ends_at" in attrs):
                raise serializers.ValidationError(_("Give both starts_at and ends_at, or neither."))
            if "starts_at" in attrs and attrs["ends_at"] <= attrs["starts_at"]:
                raise serializers.ValidationError(
                    {"ends_at": _("The end must be after the start.")}
                )
            return attrs

    @extend_schema(
        parameters=[FilterSerializer], responses={200: PersonOutput(many=True), **READ_ERRORS}
    )
    def get(self, request: Request) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        me = access.person_for_user(request.user)
        if me is None:
            return Response([])
        if "starts_at" in filters.validated_data:
            qs = selectors.pool_clerks_free(me.court_id, **filters.validated_data)
        else:
            qs = selectors.pool_clerks(me.court_id)
        return Response(PersonOutput(qs.select_related("user"), many=True).data)
