"""Forms for the registrar's registration page."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.lifecycle import SupervisionCategory
from cases.models import Party
from nodes.vocab import Procedure
from teams.models import Division


class RegistrationForm(forms.Form):
    procedure = forms.ChoiceField(label=_("Procedure"), choices=Procedure.choices)
    cause = forms.CharField(label=_("Cause of action"), max_length=100)
    claim_amount = forms.DecimalField(
        label=_("Amount in dispute (yuan)"),
        required=False,
        min_value=0,
        max_digits=16,
        decimal_places=2,
    )
    division = forms.ModelChoiceField(
        label=_("Division"),
        queryset=Division.objects.none(),
        required=False,
        empty_label=_("By procedure"),
    )
    in_custody = forms.BooleanField(label=_("Defendant in custody"), required=False)
    foreign_party = forms.BooleanField(label=_("A party has no domicile in China"), required=False)
    supervision_category = forms.TypedChoiceField(
        label=_("四类案件"), choices=SupervisionCategory.choices, coerce=int, initial=0
    )
    file_now = forms.BooleanField(label=_("File now (立案)"), required=False, initial=True)
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args, court=None, **kwargs):
        super().__init__(*args, **kwargs)
        if court is not None:
            self.fields["division"].queryset = Division.objects.filter(
                court=court, is_active=True
            ).order_by("name")


class PartyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Party.Role.choices, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Party.Kind.choices, initial=Party.Kind.PERSON)
    id_number = forms.CharField(label=_("Identity number"), max_length=32, required=False)


PartyFormSet = forms.formset_factory(PartyForm, extra=4, max_num=20)
