"""Case pages. (The judge's queue and the case page arrive with the browser UI.)"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cases import services
from cases.forms import PartyFormSet, RegistrationForm
from courtflow.errors import DomainError
from teams.access import person_for_user
from teams.roles import Role


@login_required
def register_case(request: HttpRequest) -> HttpResponse:
    """The registrar's form: a case with its parties, numbered and filed on submit."""
    person = person_for_user(request.user)
    if person is None or person.role != Role.REGISTRAR:
        raise Http404
    form = RegistrationForm(request.POST or None, court=person.court)
    parties = PartyFormSet(request.POST or None, prefix="party")
    if request.method == "POST" and form.is_valid() and parties.is_valid():
        data = form.cleaned_data
        rows = [p for p in parties.cleaned_data if p.get("name")]
        try:
            case = services.case_register(
                actor=request.user,
                court=person.court,
                procedure=data["procedure"],
                cause=data["cause"],
                parties=rows,
                claim_amount=data.get("claim_amount"),
                division=data.get("division"),
                in_custody=data["in_custody"],
                foreign_party=data["foreign_party"],
                supervision_category=data["supervision_category"],
                file_now=data["file_now"],
                idempotency_key=data["idempotency_key"],
            )
        except DomainError as exc:
            field = exc.field if exc.field in form.fields else None
            if exc.field == "parties":
                parties._non_form_errors = parties.error_class([str(exc.message)])
            else:
                form.add_error(field, str(exc.message))
        else:
            messages.success(request, _("Case %(number)s registered.") % {"number": case.number})
            return redirect("cases:register")
    return render(request, "cases/register.html", {"form": form, "parties": parties})
