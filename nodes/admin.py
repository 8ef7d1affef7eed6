"""Calendar and catalog admin for trial managers: browse and filter, correct calendar days,
switch nodes off or change lead times for the court. Every save calls a service; the legal
basis of a node is never editable here (it comes from the catalog file)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from courtflow.admin_tools import NotFoundOutsideScope, ServiceModelAdmin
from courtflow.errors import DomainError
from courtflow.uploads import csv_upload_read, size_label, too_large_error
from nodes import services
from nodes.catalog_file import MAX_FILE_BYTES as CATALOG_MAX_BYTES
from nodes.models import CalendarDay, CaseLock, CatalogVersion, NodeDefinition, NodeSetting
from nodes.services.calendar import MAX_CSV_BYTES as CALENDAR_MAX_BYTES
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


class CsvUploadForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))


class ScheduleUploadForm(CsvUploadForm):
    replace = forms.BooleanField(
        label=_("Replace a year already confirmed"),
        required=False,
        help_text=_("Leave unticked unless the State Council has changed a published schedule."),
    )


class CsvUploadAdminMixin:
    """An admin page to upload one CSV file for a service: the file is checked (type, size,
    UTF-8 text) before the service reads it, and a refusal changes nothing."""

    upload_slug = "upload"
    upload_perms: tuple[str, ...] = ()
    upload_form = CsvUploadForm
    upload_max_bytes = 0
    upload_title = ""
    upload_explanation = ""

    def upload_perform(self, request, data: bytes, name: str, cleaned: dict) -> str:
        raise NotImplementedError

    def _may_upload(self, request) -> bool:
        return request.user.is_superuser or any(request.user.has_perm(p) for p in self.upload_perms)

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                f"{self.upload_slug}/",
                self.admin_site.admin_view(self.upload_view),
                name=f"{opts.app_label}_{opts.model_name}_{self.upload_slug}",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        if self._may_upload(request):
            opts = self.model._meta
            extra_context["upload_url"] = reverse(
                f"admin:{opts.app_label}_{opts.model_name}_{self.upload_slug}"
            )
            extra_context["upload_label"] = self.upload_title
        return super().changelist_view(request, extra_context)

    def upload_view(self, request):
        if not self._may_upload(request):
            raise PermissionDenied
        opts = self.model._meta
        changelist = f"admin:{opts.app_label}_{opts.model_name}_changelist"
        form = self.upload_form(request.POST or None, request.FILES or None)
        if request.method == "POST":
            refused = getattr(request, "upload_refused", None)
            if refused:  # stopped while streaming in (settings.COURTFLOW_UPLOAD_MAX_BYTES)
                form = self.upload_form(request.POST)
                form.is_valid()
                form.errors.pop("file", None)
                form.add_error("file", str(too_large_error(self.upload_max_bytes).message))
            elif form.is_valid():
                upload = form.cleaned_data["file"]
                try:
                    data = csv_upload_read(upload, max_bytes=self.upload_max_bytes)
                    message = self.upload_perform(request, data, upload.name, form.cleaned_data)
                except DomainError as exc:
                    form.add_error("file", str(exc.message))
                else:
                    self.message_user(request, message, messages.SUCCESS)
                    return redirect(changelist)
        context = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "title": self.upload_title,
            "explanation": self.upload_explanation,
            "submit_label": _("Upload"),
            "max_size": size_label(min(self.upload_max_bytes, settings.COURTFLOW_UPLOAD_MAX_BYTES)),
            "form": form,
            "changelist_url": changelist,
        }
        status = 400 if form.errors else 200
        return TemplateResponse(request, "admin/nodes/csv_upload.html", context, status=status)


@admin.register(CalendarDay)
class CalendarDayAdmin(CsvUploadAdminMixin, ServiceModelAdmin):
    court_lookup = None
    form = CalendarDayForm
    list_display = ["date", "weekday", "is_workday", "name", "source", "confirmed"]
    list_filter = ["is_workday", "source", "confirmed"]
    search_fields = ["name"]
    date_hierarchy = "date"
    add_perms = ("nodes.manage_calendar",)
    change_perms = ("nodes.manage_calendar",)
    change_list_template = "admin/nodes/change_list_upload.html"
    upload_slug = "import"
    upload_perms = ("nodes.manage_calendar",)
    upload_form = ScheduleUploadForm
    upload_max_bytes = CALENDAR_MAX_BYTES
    upload_title = _("Import the State Council schedule")
    upload_explanation = _(
        "One line per listed day: date,is_workday,name (for example 2027-10-01,0,国庆节 or "
        "2027-09-26,1,调休上班). Every other day of that year follows the Monday–Friday rule."
    )

    def upload_perform(self, request, data, name, cleaned):
        result = services.calendar_import_csv(
            actor=request.user, data=data, source_name=name, replace=cleaned.get("replace", False)
        )
        years = "、".join(str(year) for year in sorted(result))
        return _("The schedule for %(years)s was imported.") % {"years": years}

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
class CatalogVersionAdmin(CsvUploadAdminMixin, admin.ModelAdmin):
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
    change_list_template = "admin/nodes/change_list_upload.html"
    upload_slug = "load"
    upload_perms = ("nodes.manage_catalog",)
    upload_max_bytes = CATALOG_MAX_BYTES
    upload_title = _("Load a catalog file")
    upload_explanation = _(
        "The node catalog in the format of nodes/catalog/nodes.csv. New contents become the "
        "current version; cases keep the version they were opened under."
    )

    def upload_perform(self, request, data, name, cleaned):
        before = CatalogVersion.objects.filter(is_current=True).values_list("pk", flat=True)
        before_pk = before.first()
        version, _created = services.catalog_load(actor=request.user, data=data, source_name=name)
        if version.pk == before_pk:
            return _("The file is the current catalog: nothing changed.")
        return _("Catalog version %(number)s is now current.") % {"number": version.number}

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or self._may_upload(request)

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
class CaseLockAdmin(NotFoundOutsideScope, admin.ModelAdmin):
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
