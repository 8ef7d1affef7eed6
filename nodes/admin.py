"""Calendar and catalog admin for trial managers: browse and filter, correct calendar days,
switch nodes off or change lead times for the court. Every save calls a service; the legal
basis of a node is never editable here (it comes from the catalog file)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from courtflow.admin_tools import ServiceModelAdmin
from nodes import services
from nodes.models import CalendarDay, CaseLock, CatalogVersion, NodeDefinition, NodeSetting
from teams.access import person_for_user


class CalendarDayForm(forms.ModelForm):
    reason = forms.CharField(
        label=_("reason for the change"),
        max_length=500,
        help_text=_("For example: 国务院办公厅关于2027年部分节假日安排的通知."),
    )

    class Meta:
        model = CalendarDay
        fields = ["date", "is_workday", "name"]


@admin.register(CalendarDay)
class CalendarDayAdmin(ServiceModelAdmin):
    court_lookup = None
    form = CalendarDayForm
    list_display = ["date", "weekday", "is_workday", "name", "source", "confirmed"]
    list_filter = ["is_workday", "source", "confirmed"]
    search_fields = ["name"]
    date_hierarchy = "date"
    add_perms = ("nodes.manage_calendar",)
    change_perms = ("nodes.manage_calendar",)

    def get_queryset(self, request):  # the calendar is national: not scoped by court
        return CalendarDay.objects.all()

    def get_fields(self, request, obj=None):
        return ["is_workday", "name", "reason"] if obj else ["date", "is_workday", "name", "reason"]

    @admin.display(description=_("weekday"))
    def weekday(self, day: CalendarDay) -> str:
        return "一二三四五六日"[day.date.weekday()]

    def perform(self, request, data, obj):
        return services.calendar_day_set(
            actor=request.user,
            date=obj.date if obj else data["date"],
            is_workday=data["is_workday"],
            name=data.get("name", ""),
            reason=data.get("reason", ""),
        )


@admin.register(CatalogVersion)
class CatalogVersionAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "is_current",
        "node_count",
        "general_count",
        "important_count",
        "source_name",
        "loaded_at",
        "digest",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(NodeDefinition)
class NodeDefinitionAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name_zh",
        "phase",
        "level",
        "period_display",
        "counting",
        "owner_role",
        "gates",
        "basis_zh",
        "basis_status",
    ]
    list_filter = ["version", "phase", "level", "basis_status", "counting", "on_trial_clock"]
    search_fields = ["code", "name_zh", "name_en", "basis_zh"]
    list_per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("version")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class NodeSettingForm(forms.ModelForm):
    reason = forms.CharField(label=_("reason for the change"), max_length=500, required=False)

    class Meta:
        model = NodeSetting
        fields = ["code", "enabled", "prompt_lead_hours", "warning_lead_hours"]


@admin.register(NodeSetting)
class NodeSettingAdmin(ServiceModelAdmin):
    form = NodeSettingForm
    list_display = ["code", "enabled", "prompt_lead_hours", "warning_lead_hours", "court"]
    list_filter = ["enabled"]
    search_fields = ["code"]
    add_perms = ("nodes.manage_catalog",)
    change_perms = ("nodes.manage_catalog",)

    def get_fields(self, request, obj=None):
        fields = ["enabled", "prompt_lead_hours", "warning_lead_hours", "reason"]
        return fields if obj else ["code", *fields]

    def perform(self, request, data, obj):
        court = obj.court if obj else person_for_user(request.user).court
        return services.node_setting_set(
            actor=request.user,
            court=court,
            code=obj.code if obj else data["code"],
            enabled=data["enabled"],
            prompt_lead_hours=data.get("prompt_lead_hours"),
            warning_lead_hours=data.get("warning_lead_hours"),
            reason=data.get("reason", ""),
        )


@admin.register(CaseLock)
class CaseLockAdmin(admin.ModelAdmin):
    """Locks and unlocks, read-only and scoped to the user's cases."""

    list_display = ["case", "sequence", "locked_at", "unlocked_at", "unlocked_by", "new_due_at"]
    list_filter = ["sequence"]
    list_select_related = ["case", "unlocked_by"]

    def get_queryset(self, request):
        from cases.access import case_queryset_for_user

        return CaseLock.objects.filter(
            case__in=case_queryset_for_user(request.user)
        ).select_related("case", "unlocked_by")

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser or request.user.has_perm("cases.view_case")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
