"""Case admin: read-only lists scoped exactly as the case pages are, and the unlock action,
which calls the same service as the API (a reason and a new due date are required)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.access import case_queryset_for_user
from cases.models import Approval, Case, TriageRule
from cases.services.locks import case_unlock, court_rules
from cases.services.triage import triage_rule_save
from courtflow.admin_tools import CourtScopedAdmin, ServiceModelAdmin
from courtflow.errors import DomainError


class UnlockForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the unlock"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    new_due_at = forms.DateTimeField(
        label=_("New due date"), help_text=_("YYYY-MM-DD HH:MM, Beijing time.")
    )


@admin.action(description=_("Unlock the selected cases"))
def unlock_selected(modeladmin, request, queryset):
    form = UnlockForm(request.POST if "apply" in request.POST else None)
    if "apply" in request.POST and form.is_valid():
        done = 0
        for case in queryset:
            try:
                case_unlock(
                    actor=request.user,
                    case=case,
                    reason=form.cleaned_data["reason"],
                    new_due_at=form.cleaned_data["new_due_at"],
                )
                done += 1
            except DomainError as exc:
                modeladmin.message_user(request, f"{case.number}: {exc.message}", messages.ERROR)
        if done:
            modeladmin.message_user(
                request, _("%(n)s case(s) unlocked.") % {"n": done}, messages.SUCCESS
            )
        return None
    max_days = court_rules(queryset.first().court_id).max_grace_days if queryset.exists() else 15
    return TemplateResponse(
        request,
        "admin/cases/unlock.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": _("Unlock cases"),
            "cases": queryset,
            "form": form,
            "action": "unlock_selected",
            "max_days": max_days,
            "opts": modeladmin.model._meta,
            "now": timezone.localtime(),
        },
    )


@admin.register(Case)
class CaseAdmin(CourtScopedAdmin):
    list_display = [
        "number",
        "procedure",
        "stage",
        "locked",
        "lock_count",
        "division",
        "team",
        "judge",
        "trial_limit_due_at",
    ]
    list_filter = ["locked", "stage", "procedure", "division"]
    search_fields = ["number", "parties__name"]
    list_select_related = ["division", "team", "judge"]
    show_full_result_count = False
    actions = [unlock_selected]

    def get_queryset(self, request):
        return case_queryset_for_user(request.user).select_related("division", "team", "judge")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser or request.user.has_perm("cases.view_case")

    def get_actions(self, request):
        actions = super().get_actions(request)
        from teams.access import person_for_user
        from teams.roles import Role

        person = person_for_user(request.user)
        if not request.user.is_superuser and (
            person is None
            or person.role not in (Role.DIVISION_HEAD, Role.PRESIDENT, Role.VICE_PRESIDENT)
        ):
            actions.pop("unlock_selected", None)
        return actions


@admin.register(Approval)
class ApprovalAdmin(CourtScopedAdmin):
    court_lookup = "case__court_id"
    list_display = [
        "case",
        "kind",
        "status",
        "requested_by",
        "requested_at",
        "approver_role",
        "decided_by",
    ]
    list_filter = ["kind", "status"]
    list_select_related = ["case", "requested_by", "decided_by"]

    def get_queryset(self, request):
        return Approval.objects.filter(
            case__in=case_queryset_for_user(request.user)
        ).select_related("case", "requested_by", "decided_by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TriageRule)
class TriageRuleAdmin(ServiceModelAdmin):
    list_display = ["name", "priority", "result", "is_active", "court"]
    list_filter = ["result", "is_active"]
    fields = [
        "name",
        "priority",
        "procedures",
        "cause_keywords",
        "max_amount",
        "max_parties",
        "result",
        "is_active",
    ]
    add_perms = ("cases.add_triagerule",)
    change_perms = ("cases.change_triagerule",)

    def perform(self, request, data, obj):
        from teams.access import person_for_user

        court_id = obj.court_id if obj else person_for_user(request.user).court_id
        return triage_rule_save(actor=request.user, court_id=court_id, data=data, rule=obj)
