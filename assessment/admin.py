from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from assessment import services
from assessment.models import AssessmentSetting, Indicator, WorkloadWeight
from courtflow.admin_tools import ServiceModelAdmin
from courtflow.errors import InvalidInput
from teams.access import person_for_user


class WorkloadWeightForm(forms.ModelForm):
    reason = forms.CharField(label=_("reason for the change"), max_length=500, required=False)

    class Meta:
        model = WorkloadWeight
        fields = ["procedure", "complexity", "weight", "note"]


@admin.register(WorkloadWeight)
class WorkloadWeightAdmin(ServiceModelAdmin):
    form = WorkloadWeightForm
    list_display = ["procedure", "complexity", "weight", "note", "court"]
    list_filter = ["complexity"]
    fields = ["procedure", "complexity", "weight", "note", "reason"]
    add_perms = ("assessment.manage_workload_weights",)
    change_perms = ("assessment.manage_workload_weights",)

    def perform(self, request, data, obj):
        person = person_for_user(request.user)
        if obj is None and person is None:
            raise InvalidInput(_("Your account is not bound to a court."))
        court = obj.court if obj else person.court
        return services.workload_weight_set(
            actor=request.user,
            court=court,
            procedure=obj.procedure if obj else data.get("procedure", ""),
            complexity=obj.complexity if obj else data.get("complexity", ""),
            weight=data["weight"],
            note=data.get("note", ""),
            reason=data.get("reason", ""),
        )

    def get_readonly_fields(self, request, obj=None):
        return ["procedure", "complexity"] if obj else []


class IndicatorForm(forms.ModelForm):
    reason = forms.CharField(label=_("reason for the change"), max_length=500, required=False)

    class Meta:
        model = Indicator
        fields = services.INDICATOR_FIELDS


@admin.register(Indicator)
class IndicatorAdmin(ServiceModelAdmin):
    form = IndicatorForm
    list_display = ["code", "name_zh", "category", "measure", "target", "points", "is_active"]
    list_filter = ["category", "is_active"]
    fields = [*IndicatorForm.Meta.fields, "reason"]
    change_perms = ("assessment.manage_indicators",)

    def perform(self, request, data, obj):
        return services.indicator_update(
            actor=request.user,
            indicator=obj,
            data={k: v for k, v in data.items() if k != "reason"},
            reason=data.get("reason", ""),
        )


class SettingForm(forms.ModelForm):
    reason = forms.CharField(label=_("reason for the change"), max_length=500, required=False)

    class Meta:
        model = AssessmentSetting
        fields = services.SETTING_FIELDS


@admin.register(AssessmentSetting)
class AssessmentSettingAdmin(ServiceModelAdmin):
    form = SettingForm
    list_display = ["court", "ranking_enabled", "speedy_rule"]
    fields = [*SettingForm.Meta.fields, "reason"]
    change_perms = ("assessment.manage_indicators",)

    def perform(self, request, data, obj):
        return services.assessment_setting_update(
            actor=request.user,
            setting=obj,
            data={k: v for k, v in data.items() if k != "reason"},
            reason=data.get("reason", ""),
        )
