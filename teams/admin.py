"""Organisation admin. Lists are scoped to the user's court; every save calls a service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin  # registers User first
from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from courtflow.admin_tools import NotFoundOutsideScope, ReadOnlyAdmin, ServiceModelAdmin

from . import selectors, services
from .access import court_ids_for_user, person_for_user
from .models import (
    Booking,
    Court,
    Courtroom,
    Division,
    HRCoefficient,
    Membership,
    Person,
    Team,
    TeamType,
    TeamTypeSeat,
)

TEAM_MANAGERS = ("teams.manage_court_teams", "teams.manage_division_teams")


def _my_court(request: HttpRequest, data: dict[str, Any]) -> Court:
    person = person_for_user(request.user)
    return data.get("court") or person.court


@admin.register(Court)
class CourtAdmin(ServiceModelAdmin):
    court_lookup = "id"
    list_display = ["code", "name", "level", "parent", "is_active"]
    search_fields = ["code", "name"]
    fields = ["code", "name", "level", "parent"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def perform(self, request, data, obj):
        return services.court_create(
            actor=request.user,
            code=data["code"],
            name=data["name"],
            level=data["level"],
            parent=data.get("parent"),
        )


@admin.register(Division)
class DivisionAdmin(ServiceModelAdmin):
    list_display = ["name", "kind", "head", "court"]
    list_filter = ["kind"]
    search_fields = ["name"]
    add_perms = ("teams.manage_court_teams",)
    change_perms = ("teams.manage_court_teams",)

    def get_fields(self, request, obj=None):
        return ["head"] if obj else ["court", "name", "kind", "head"]

    def perform(self, request, data, obj):
        if obj is None:
            return services.division_create(
                actor=request.user,
                court=_my_court(request, data),
                name=data["name"],
                kind=data["kind"],
                head=data.get("head"),
            )
        return services.division_set_head(actor=request.user, division=obj, head=data.get("head"))


class PersonAddForm(forms.ModelForm):
    username = forms.CharField(label=_("user name"), max_length=150)
    password = forms.CharField(
        label=_("initial password"),
        widget=forms.PasswordInput,
        required=False,
        help_text=_("Leave empty to create the account without a usable password."),
    )

    class Meta:
        model = Person
        fields = ["court", "name", "role", "division", "staff_category"]


@admin.register(Person)
class PersonAdmin(ServiceModelAdmin):
    list_display = ["name", "role", "division", "staff_category", "is_active", "court"]
    list_filter = ["role", "is_active", "division"]
    search_fields = ["name", "user__username"]
    list_select_related = ["division", "court"]
    add_perms = ("teams.manage_people",)
    change_perms = ("teams.manage_people",)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = PersonAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["court", "username", "password", "name", "role", "division", "staff_category"]
        return ["name", "role", "division", "staff_category", "is_active"]

    def get_readonly_fields(self, request, obj=None):
        return []

    def perform(self, request, data, obj):
        if obj is None:
            return services.person_create(
                actor=request.user,
                court=_my_court(request, data),
                username=data["username"],
                name=data["name"],
                role=data["role"],
                division=data.get("division"),
                staff_category=data.get("staff_category") or None,
                password=data.get("password") or None,
            )
        return services.person_update(
            actor=request.user,
            person=obj,
            name=data["name"],
            role=data["role"],
            division=data.get("division"),
            staff_category=data.get("staff_category"),
            is_active=data.get("is_active"),
        )


class CoefficientForm(forms.ModelForm):
    reason = forms.CharField(label=_("reason for the change"), max_length=500, required=False)

    class Meta:
        model = HRCoefficient
        fields = ["value"]


@admin.register(HRCoefficient)
class HRCoefficientAdmin(ServiceModelAdmin):
    form = CoefficientForm
    list_display = ["category", "value", "court"]
    fields = ["value", "reason"]
    change_perms = ("teams.manage_coefficients",)

    def perform(self, request, data, obj):
        return services.coefficient_set(
            actor=request.user,
            court=obj.court,
            category=obj.category,
            value=data["value"],
            reason=data.get("reason", ""),
        )


class SeatInline(admin.TabularInline):
    model = TeamTypeSeat
    extra = 0
    can_delete = False
    fields = ["position", "min_count", "max_count"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(TeamType)
class TeamTypeAdmin(ServiceModelAdmin):
    list_display = [
        "name",
        "kind",
        "annual_quota",
        "handles_simple_cases",
        "handles_complex_cases",
        "court",
    ]
    fields = ["name", "annual_quota", "handles_simple_cases", "handles_complex_cases"]
    inlines = [SeatInline]
    change_perms = ("teams.manage_team_types",)

    def perform(self, request, data, obj):
        return services.team_type_update(
            actor=request.user,
            team_type=obj,
            name=data["name"],
            annual_quota=data.get("annual_quota"),
            handles_simple_cases=data["handles_simple_cases"],
            handles_complex_cases=data["handles_complex_cases"],
        )


@admin.register(TeamTypeSeat)
class TeamTypeSeatAdmin(ServiceModelAdmin):
    court_lookup = "team_type__court_id"
    list_display = ["team_type", "position", "min_count", "max_count"]
    list_filter = ["team_type"]
    fields = ["team_type", "position", "min_count", "max_count"]
    add_perms = ("teams.manage_team_types",)
    change_perms = ("teams.manage_team_types",)

    def perform(self, request, data, obj):
        team_type = obj.team_type if obj else data["team_type"]
        seat = services.team_type_seat_set(
            actor=request.user,
            team_type=team_type,
            position=data["position"],
            min_count=data["min_count"],
            max_count=data.get("max_count"),
        )
        return seat if seat is not None else obj


class CompositionFilter(admin.SimpleListFilter):
    title = _("staffing template")
    parameter_name = "composition"

    def lookups(self, request, model_admin):
        return [("problem", _("Does not meet template")), ("ok", _("Meets template"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() not in ("problem", "ok"):
            return queryset
        person = person_for_user(request.user)
        bad = selectors.team_ids_not_meeting_template(
            None if request.user.is_superuser else person.court_id
        )
        return (
            queryset.filter(pk__in=bad)
            if self.value() == "problem"
            else queryset.exclude(pk__in=bad)
        )


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    can_delete = False
    fields = ["person", "position", "started_on", "ended_on", "end_reason"]
    readonly_fields = fields
    ordering = ["-started_on"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Team)
class TeamAdmin(ServiceModelAdmin):
    list_display = ["name", "division", "team_type", "coefficient_sum", "composition", "is_active"]
    list_filter = [CompositionFilter, "team_type__kind", "division", "is_active"]
    search_fields = ["name"]
    list_select_related = ["division", "team_type"]
    inlines = [MembershipInline]
    add_perms = TEAM_MANAGERS
    change_perms = TEAM_MANAGERS

    def get_fields(self, request, obj=None):
        return ["is_active"] if obj else ["division", "team_type", "name"]

    @admin.display(description=_("coefficient sum"))
    def coefficient_sum(self, team: Team):
        return selectors.team_coefficient_sum(team)

    @admin.display(description=_("staffing template"))
    def composition(self, team: Team):
        comp = selectors.team_composition(team)
        return _("Meets template") if comp.ok else "；".join(comp.problems)

    def perform(self, request, data, obj):
        if obj is None:
            return services.team_create(
                actor=request.user,
                division=data["division"],
                team_type=data["team_type"],
                name=data["name"],
            )
        return services.team_set_active(actor=request.user, team=obj, is_active=data["is_active"])


@admin.register(Membership)
class MembershipAdmin(ServiceModelAdmin):
    court_lookup = "team__court_id"
    list_display = ["person", "team", "position", "started_on", "ended_on"]
    list_filter = ["position", "team__division"]
    search_fields = ["person__name", "team__name"]
    list_select_related = ["person", "team"]
    add_perms = TEAM_MANAGERS
    change_perms = TEAM_MANAGERS

    def get_fields(self, request, obj=None):
        return ["ended_on", "end_reason"] if obj else ["team", "person", "position", "started_on"]

    def perform(self, request, data, obj):
        if obj is None:
            return services.membership_create(
                actor=request.user,
                team=data["team"],
                person=data["person"],
                position=data["position"],
                started_on=data["started_on"],
            )
        return services.membership_end(
            actor=request.user,
            membership=obj,
            ended_on=data.get("ended_on"),
            reason=data.get("end_reason", ""),
        )


@admin.register(Courtroom)
class CourtroomAdmin(ServiceModelAdmin):
    list_display = ["name", "supports_streaming", "is_active", "court"]
    fields = ["court", "name", "supports_streaming"]
    add_perms = ("teams.manage_court_teams",)

    def perform(self, request, data, obj):
        return services.courtroom_create(
            actor=request.user,
            court=_my_court(request, data),
            name=data["name"],
            supports_streaming=data["supports_streaming"],
        )


@admin.register(Booking)
class BookingAdmin(ReadOnlyAdmin):
    """Room and clerk bookings of the court; a hearing's booking names its case, so it is
    shown only to those who may see the case (a division head: the division's hearings)."""

    list_display = ["starts_at", "ends_at", "courtroom", "clerk", "purpose", "cancelled_at"]
    list_filter = ["courtroom"]
    list_select_related = ["courtroom", "clerk"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        from cases.access import case_queryset_for_user

        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(
            Q(hearing__isnull=True) | Q(hearing__case__in=case_queryset_for_user(request.user))
        )


# Accounts are scoped like people: a court's system administrator sees its court's users only.
admin.site.unregister(User)


@admin.register(User)
class CourtUserAdmin(NotFoundOutsideScope, DjangoUserAdmin):
    """Django's user admin with the list (and each change page) limited to the user's court."""

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        qs = super().get_queryset(request)
        court_ids = court_ids_for_user(request.user)
        if court_ids is None:
            return qs
        return qs.filter(person__court_id__in=court_ids)
