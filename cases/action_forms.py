"""The forms of the case page: one per action open to the user now (record an event, triage,
docket, schedule a hearing, ask the service centre, file a request, end a suspension), built
from the same list the API offers (``selectors.case_actions_for_user``)."""

from __future__ import annotations

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.lifecycle import CONVERSIONS, ClosureType, Complexity
from cases.models import Approval, Case, InterferenceRecord, ServiceRequest, Suspension
from cases.rules import rule_for
from cases.selectors import Action
from courtflow.labels import english
from nodes.vocab import CONDITIONS, Procedure
from teams.models import Courtroom, Person, Team
from teams.roles import Role


class DateTimeLocal(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _when(label=None, required=False) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label or _("When"),
        required=required,
        widget=DateTimeLocal(),
        help_text=None if required else _("Leave empty for now."),
    )


def _reason(label=None, required=True) -> forms.CharField:
    return forms.CharField(
        label=label or _("Reason"),
        max_length=2000,
        required=required,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ActionForm(forms.Form):
    """Common to every action form: a key that makes a double submit harmless. (Which action
    a post is for travels unprefixed, as ``action``, beside the form's own fields.)"""

    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, action: Action, case: Case, **kwargs):
        kwargs.setdefault("prefix", action.code.replace(":", "-"))
        kwargs.setdefault("initial", {})
        kwargs["initial"].update(idempotency_key=uuid.uuid4())
        super().__init__(*args, **kwargs)
        self.action = action
        self.case = case
        self.build()

    def build(self) -> None:  # overridden per kind
        pass

    @property
    def title(self) -> str:
        return action_title(self.action)


def _flag_label(flag: str) -> str:
    pair = CONDITIONS.get(flag, (flag, flag))
    return pair[1] if english() else pair[0]


class EventForm(ActionForm):
    def build(self) -> None:
        code = self.action.code.split(":", 1)[1]
        self.fields["at"] = _when()
        rule = rule_for(code)
        if rule.closure_types:
            self.fields["closure_type"] = forms.ChoiceField(
                label=_("How the case ends"),
                choices=[(c, ClosureType(c).label) for c in rule.closure_types],
            )
        for flag in rule.payload_flags:
            self.fields[f"flag_{flag}"] = forms.BooleanField(
                label=_flag_label(flag), required=False
            )


class TriageForm(ActionForm):
    def build(self) -> None:
        self.fields["complexity"] = forms.ChoiceField(
            label=_("Complexity"), choices=[c for c in Complexity.choices if c[0]]
        )
        self.fields["reason"] = _reason(_("Reason (needed to override the proposal)"), False)


class DocketForm(ActionForm):
    def build(self) -> None:
        self.fields["at"] = _when()


class SuspensionEndForm(ActionForm):
    def build(self) -> None:
        self.fields["at"] = _when()
        self.fields["reason"] = _reason(required=False)


class HearingForm(ActionForm):
    def build(self) -> None:
        self.fields["starts_at"] = _when(_("Starts"), required=True)
        self.fields["ends_at"] = _when(_("Ends"), required=True)
        self.fields["courtroom"] = forms.ModelChoiceField(
            label=_("Courtroom"),
            queryset=Courtroom.objects.filter(court_id=self.case.court_id, is_active=True),
            required=False,
            empty_label=_("Online, no room"),
        )
        self.fields["clerk"] = forms.ModelChoiceField(
            label=_("Clerk"),
            queryset=Person.objects.filter(
                court_id=self.case.court_id, role=Role.CLERK, is_active=True
            ).order_by("name"),
            required=False,
            empty_label=_("The team's own clerk"),
        )
        self.fields["online"] = forms.BooleanField(label=_("Online hearing"), required=False)
        self.fields["stream"] = forms.BooleanField(label=_("Streamed (庭审直播)"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The end must be after the start."))
        return data


class ServiceForm(ActionForm):
    def build(self) -> None:
        self.fields["document"] = forms.ChoiceField(
            label=_("Document"), choices=ServiceRequest.Document.choices
        )
        self.fields["party"] = forms.ModelChoiceField(
            label=_("Party"), queryset=self.case.parties.order_by("id")
        )


class RequestForm(ActionForm):
    def build(self) -> None:
        kind = self.action.code.split(":", 1)[1]
        self.kind = kind
        self.fields["reason"] = _reason()
        if kind == Approval.Kind.EXTENSION:
            self.fields["months"] = forms.IntegerField(
                label=_("Months"), min_value=0, max_value=12, required=False
            )
            self.fields["days"] = forms.IntegerField(
                label=_("Days"), min_value=0, max_value=90, required=False
            )
        elif kind == Approval.Kind.SUSPENSION:
            self.fields["suspension_kind"] = forms.ChoiceField(
                label=_("Kind"), choices=Suspension.Kind.choices
            )
        elif kind == Approval.Kind.CONVERSION:
            self.fields["procedure"] = forms.ChoiceField(
                label=_("Convert to"),
                choices=[(p, Procedure(p).label) for p in CONVERSIONS.get(self.case.procedure, ())],
            )
        elif kind == Approval.Kind.REASSIGNMENT:
            self.fields["team"] = forms.ModelChoiceField(
                label=_("To team"),
                queryset=Team.objects.filter(court_id=self.case.court_id, is_active=True)
                .exclude(pk=self.case.team_id)
                .order_by("name"),
            )

    def payload(self) -> dict:
        data = self.cleaned_data
        if self.kind == Approval.Kind.EXTENSION:
            return {"months": data.get("months") or 0, "days": data.get("days") or 0}
        if self.kind == Approval.Kind.SUSPENSION:
            return {"suspension_kind": data["suspension_kind"]}
        if self.kind == Approval.Kind.CONVERSION:
            return {"procedure": data["procedure"]}
        if self.kind == Approval.Kind.REASSIGNMENT:
            return {"team": data["team"].pk}
        return {}


class UnlockForm(forms.Form):
    """The approver's unlock: a reason and a new due date within the court's grace."""

    reason = _reason(_("Reason for the unlock"))
    new_due_at = forms.DateTimeField(label=_("New due date"), widget=DateTimeLocal())

    def __init__(self, *args, grace_days: int = 5, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault(
            "new_due_at",
            timezone.localtime().replace(hour=23, minute=59, second=0, microsecond=0)
            + timezone.timedelta(days=grace_days),
        )
        super().__init__(*args, **kwargs)


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("reject", _("Reject"))], widget=forms.HiddenInput
    )
    reason = _reason(_("Reason for the decision"))
    new_due_at = forms.DateTimeField(
        label=_("New due date (unlocks)"), widget=DateTimeLocal(), required=False
    )


class SupervisionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            ("urge", _("Urge on (督办)")),
            ("talk", _("Talk with the judge (约谈)")),
            ("note", _("Note (监督意见)")),
        ],
    )
    text = forms.CharField(
        label=_("Content"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class InterferenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Which rule"), choices=InterferenceRecord.Kind.choices)
    intervener = forms.CharField(label=_("Who intervened"), max_length=100)
    intervener_position = forms.CharField(label=_("Their position"), max_length=100, required=False)
    occurred_at = forms.DateTimeField(label=_("When it happened"), widget=DateTimeLocal())
    case_number = forms.CharField(label=_("Case number (if any)"), max_length=40, required=False)
    description = forms.CharField(
        label=_("What happened"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


FORM_FOR_KIND = {
    "event": EventForm,
    "triage": TriageForm,
    "docket": DocketForm,
    "suspension:end": SuspensionEndForm,
    "hearing:schedule": HearingForm,
    "service:request": ServiceForm,
    "request": RequestForm,
}


def form_class(action: Action) -> type[ActionForm]:
    if action.code in FORM_FOR_KIND:
        return FORM_FOR_KIND[action.code]
    return FORM_FOR_KIND[action.code.split(":", 1)[0]]


def action_title(action: Action) -> str:
    """The action's name in the user's language."""
    from courtflow.labels import event_label

    code = action.code
    if code.startswith("event:"):
        return event_label(code.split(":", 1)[1])
    if code == "request:unlock":
        return str(_("Request an unlock"))
    if code.startswith("request:"):
        kind = code.split(":", 1)[1]
        return str(_("Request: %(kind)s") % {"kind": Approval.Kind(kind).label})
    titles = {
        "triage": _("Confirm triage (繁简分流)"),
        "docket": _("Docket the case (立案)"),
        "suspension:end": _("End the suspension"),
        "hearing:schedule": _("Schedule a hearing"),
        "service:request": _("Ask the service centre to serve (集约送达)"),
    }
    return str(titles.get(code, code))
