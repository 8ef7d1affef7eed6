"""Case pages: the registrar's form, the queue, the case page with its forms, unlocks and
decisions, supervision and 三个规定 records. Every write calls the same service as the API."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from cases import selectors, services
from cases.access import case_get_for_user
from cases.forms import PartyFormSet, RegistrationForm
from cases.lifecycle import Stage
from cases.models import Case
from courtflow.errors import DomainError, InvalidInput, NotAllowed
from nodes.periods import deadline_text
from nodes.vocab import Procedure
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


# --- the queue -------------------------------------------------------------------------


class QueueFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Case number or party"), max_length=60, required=False)
    procedure = forms.ChoiceField(
        label=gettext_lazy("Procedure"),
        choices=[("", gettext_lazy("All")), *Procedure.choices],
        required=False,
    )
    stage = forms.ChoiceField(
        label=gettext_lazy("Stage"),
        choices=[("", gettext_lazy("All")), *Stage.choices],
        required=False,
    )
    due = forms.ChoiceField(
        label=gettext_lazy("Due"),
        choices=[
            ("", gettext_lazy("Any time")),
            ("overdue", gettext_lazy("Overdue")),
            ("3", gettext_lazy("Within 3 days")),
            ("7", gettext_lazy("Within 7 days")),
            ("30", gettext_lazy("Within 30 days")),
        ],
        required=False,
    )
    locked = forms.ChoiceField(
        label=gettext_lazy("Locked"),
        choices=[
            ("", gettext_lazy("All")),
            ("yes", gettext_lazy("Locked only")),
            ("no", gettext_lazy("Not locked")),
        ],
        required=False,
    )
    supervised = forms.BooleanField(
        label=gettext_lazy("Supervised cases (四类案件) only"), required=False
    )


QUEUE_PAGE_SIZE = 25


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """The user's cases by urgency: locked and overdue first, then by the next deadline, with
    提示 / 预警 / 锁 badges, filters, search and pages. A judge sees the team's cases, a
    division head the division's, a president the court's (cases.access)."""
    person = person_for_user(request.user)
    if person is None and not request.user.is_superuser:
        raise Http404
    form = QueueFilterForm(request.GET or None)
    filters: dict = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {
            "q": data["q"] or None,
            "procedure": data["procedure"] or None,
            "stage": data["stage"] or None,
            "due": data["due"] or None,
            "locked": {"yes": True, "no": False}.get(data["locked"]),
            "supervised": data["supervised"] or None,
        }
    now = timezone.now()
    qs = selectors.queue_cases(user=request.user, now=now, **filters)
    page = Paginator(qs, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.queue_rows(list(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "now": now,
        "query": query.urlencode(),
        "heading": _queue_heading(person),
    }
    template = "cases/_queue_results.html" if request.htmx else "cases/queue.html"
    return render(request, template, context)


def _queue_heading(person) -> str:
    if person is None:
        return str(_("All cases"))
    if person.role == Role.DIVISION_HEAD:
        return str(_("The division's cases"))
    if person.role in (Role.PRESIDENT, Role.VICE_PRESIDENT, Role.TRIAL_MANAGER):
        return str(_("The court's cases"))
    return str(_("My queue"))


# --- the case page ---------------------------------------------------------------------


def _case_context(
    request: HttpRequest,
    case: Case,
    *,
    failed: dict | None = None,
    open_action: str = "",
    fresh: bool = True,
) -> dict:
    """Everything the case page shows; ``failed`` holds bound forms that were refused, by
    name, so that their errors appear next to their fields. The steps that do not move the
    case on now are listed by name only and their forms fetched when opened (htmx), or, with
    ``open_action``, that one's form is shown."""
    from cases.action_forms import (
        DecideForm,
        SupervisionForm,
        UnlockForm,
        action_title,
        form_class,
    )
    from cases.models import Extension, SupervisionAction
    from cases.rules import rule_for
    from cases.services.common import lock_message
    from cases.services.locks import court_rules, require_unlock_approver
    from cases.services.supervision import SUPERVISORS
    from nodes import engine

    failed = failed or {}
    user = request.user
    person = person_for_user(user)
    case = selectors.case_detail(case, fresh=fresh)
    nodes = list(selectors.case_nodes(case))
    # The event that does a live node's work is the first it lists (the others end it as
    # moot); where two nodes share it, the one due first is named.
    far = timezone.now() + timezone.timedelta(days=36500)
    completes = {
        n.definition.closes_on[0]: n
        for n in sorted(nodes, key=lambda n: n.grace_until or n.due_at or far, reverse=True)
        if n.status in engine.LIVE and n.definition.closes_on
    }
    actions = selectors.case_actions_for_user(user=user, case=case)
    forms_, other_forms = [], []
    for action in actions:
        code = action.code.split(":", 1)[1] if action.kind == "event" else ""
        primary = action.kind != "event" or code in completes or rule_for(code).transition
        shelf = forms_ if primary else other_forms  # what moves the case on now, or not
        if action.code not in failed and action.code != open_action:
            # Listed by name; the form (widgets, choices) is rendered when it is opened.
            shelf.append(LazyAction(action, action_title(action), completes.get(code)))
            continue
        form = failed.get(action.code) or form_class(action)(action=action, case=case)
        form.completes = completes.get(code)
        form.opened = True
        shelf.append(form)
    rules = court_rules(case.court_id)
    can_unlock = False
    if case.locked:
        try:
            require_unlock_approver(user, case)
            can_unlock = person is not None
        except NotAllowed:
            can_unlock = False
    pending = list(case.approvals.all())
    decide_forms = {}
    for approval in pending:
        if _may_decide(person, approval, case):
            decide_forms[approval.pk] = failed.get(f"decide:{approval.pk}") or DecideForm(
                prefix=f"decide-{approval.pk}"
            )
    lock_text = lock_message(case)[0] if case.locked else ""
    days_left = selectors.trial_limit_days_left(case)
    return {
        "case": case,
        "parties": list(case.parties.all()),
        "nodes": nodes,
        "other_forms": other_forms,
        "events": list(selectors.case_events(case)),
        "audit": selectors.case_audit_timeline(case),
        "forms": forms_,
        "days_left": days_left,
        "days_over": -days_left if days_left is not None and days_left < 0 else 0,
        "suspensions": list(case.suspensions.all()),
        "extensions": list(Extension.objects.filter(case=case).order_by("id")),
        "hearings": sorted(case.hearings.all(), key=lambda h: h.starts_at),
        "pending": pending,
        "decide_forms": decide_forms,
        "lock_text": lock_text,
        "locks": list(case.locks.order_by("sequence")),
        "can_unlock": can_unlock,
        "unlock_form": failed.get("unlock") or UnlockForm(grace_days=min(5, rules.max_grace_days)),
        "max_grace_days": rules.max_grace_days,
        "supervision": list(
            SupervisionAction.objects.filter(case=case).select_related("by").order_by("at")
        ),
        "supervision_form": failed.get("supervise") or SupervisionForm()
        if person is not None and person.role in SUPERVISORS
        else None,
        "can_act_on_hearings": _hearing_actor(person, case),
        "now": timezone.now(),
    }


@dataclass
class LazyAction:
    """A step listed by name; its form is fetched when the user opens it."""

    action: object
    title: str
    completes: object = None
    lazy: bool = True


def _may_decide(person, approval, case) -> bool:
    if person is None:
        return False
    if approval.approver_role == Role.PRESIDENT:
        return person.role in (Role.PRESIDENT, Role.VICE_PRESIDENT)
    return person.role == approval.approver_role and person.division_id == case.division_id


def _hearing_actor(person, case) -> bool:
    return (
        person is not None
        and person.role in (Role.JUDGE, Role.ASSISTANT, Role.CLERK)
        and not case.locked
    )


def _render_case(request, case, *, failed=None, status=200, fresh=True) -> HttpResponse:
    context = _case_context(request, case, failed=failed, fresh=fresh)
    return render(request, "cases/case.html", context, status=status)


def _attach(form: forms.Form, exc: DomainError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, str(exc.message))


@login_required
def case_page(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_get_for_user(user=request.user, case_id=case_id)
    return _render_case(request, case, fresh=False)  # just loaded with its joins


def _next(request: HttpRequest) -> HttpResponse | None:
    """Back to the page the form was on (a console), if it is one of ours."""
    nxt = request.POST.get("next", "")
    if nxt and url_has_allowed_host_and_scheme(
        nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(nxt)
    return None


def _back(case: Case, anchor: str = "") -> HttpResponse:
    return redirect(reverse("cases:case", args=[case.pk]) + (f"#{anchor}" if anchor else ""))


@login_required
@require_http_methods(["GET", "POST"])
def case_act(request: HttpRequest, case_id: int) -> HttpResponse:
    """Do one of the actions the case page offers (the same services as the API). A GET
    with ``?action=`` gives that action's form: the form alone to htmx, the case page with
    it open otherwise."""
    from cases.action_forms import form_class

    case = case_get_for_user(user=request.user, case_id=case_id)
    if request.method == "GET":
        return _action_form(request, case, request.GET.get("action", ""))
    code = request.POST.get("action", "")
    actions = {a.code: a for a in selectors.case_actions_for_user(user=request.user, case=case)}
    action = actions.get(code)
    if action is None:
        if case.locked:
            from cases.services.common import lock_message

            messages.error(request, lock_message(case)[0])
        else:
            messages.error(request, _("That action is not open on this case now."))
        return _back(case, "actions")
    form = form_class(action)(request.POST, action=action, case=case)
    status = 400
    if form.is_valid():
        try:
            _perform(request.user, case, action, form)
        except DomainError as exc:
            if exc.code == "duplicate_submission":
                messages.info(request, str(exc.message))
                return _back(case, "actions")
            _attach(form, exc)
            status = exc.status
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": form.title})
            return _next(request) or _back(case, "nodes")
    return _render_case(request, case, failed={action.code: form}, status=status)


def _action_form(request: HttpRequest, case: Case, code: str) -> HttpResponse:
    from cases.action_forms import form_class

    actions = {a.code: a for a in selectors.case_actions_for_user(user=request.user, case=case)}
    action = actions.get(code)
    if action is None:
        if request.htmx:
            return HttpResponse(
                format_html(
                    '<p class="form-error">{}</p>', _("That action is not open on this case now.")
                ),
                status=409,
            )
        return _back(case, "actions")
    if request.htmx:
        form = form_class(action)(action=action, case=case)
        form.completes = None
        return render(request, "cases/_action_form.html", {"form": form, "case": case})
    context = _case_context(request, case, open_action=code)
    return render(request, "cases/case.html", context)


def _team_clerk(case: Case):
    """The clerk of the case's own team, when the form leaves the clerk to the team."""
    from teams.models import Membership
    from teams.roles import Position

    membership = (
        Membership.objects.filter(
            team_id=case.team_id, ended_on__isnull=True, position=Position.CLERK
        )
        .select_related("person")
        .first()
    )
    return membership.person if membership else None


def _perform(user, case: Case, action, form) -> None:
    data = form.cleaned_data
    code = action.code
    key = data.get("idempotency_key")
    if code.startswith("event:"):
        payload = {
            name[5:]: True for name, value in data.items() if name.startswith("flag_") and value
        }
        if data.get("closure_type"):
            payload["closure_type"] = data["closure_type"]
        services.case_event_record(
            actor=user,
            case=case,
            code=code.split(":", 1)[1],
            at=data.get("at"),
            payload=payload,
            idempotency_key=key,
        )
    elif code == "triage":
        services.triage_decide(
            actor=user, case=case, complexity=data["complexity"], reason=data.get("reason", "")
        )
    elif code == "docket":
        services.case_docket(actor=user, case=case, at=data.get("at"))
    elif code == "suspension:end":
        services.suspension_end(
            actor=user, case=case, at=data.get("at"), reason=data.get("reason", "")
        )
    elif code == "hearing:schedule":
        services.hearing_schedule(
            actor=user,
            case=case,
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            courtroom=data.get("courtroom"),
            clerk=data.get("clerk") or _team_clerk(case),
            online=data.get("online", False),
            stream=data.get("stream", False),
            idempotency_key=key,
        )
    elif code == "service:request":
        services.service_request_create(
            actor=user, case=case, document=data["document"], party=data["party"]
        )
    elif code.startswith("request:"):
        services.approval_request(
            actor=user,
            case=case,
            kind=code.split(":", 1)[1],
            reason=data["reason"],
            payload=form.payload(),
        )
    else:  # the list of actions and this dispatcher are kept in step by the tests
        raise InvalidInput(_("Unknown action."), field="action")


@login_required
@require_POST
def case_unlock_view(request: HttpRequest, case_id: int) -> HttpResponse:
    """The approver's unlock (the division head's first, a president's later ones)."""
    from cases.action_forms import UnlockForm

    case = case_get_for_user(user=request.user, case_id=case_id)
    form = UnlockForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            lock = services.case_unlock(
                actor=request.user,
                case=case,
                reason=form.cleaned_data["reason"],
                new_due_at=form.cleaned_data["new_due_at"],
            )
        except DomainError as exc:
            _attach(form, exc)
            status = exc.status
        else:
            messages.success(
                request,
                _("Case %(number)s unlocked (lock %(n)s); new due date %(due)s.")
                % {
                    "number": case.number,
                    "n": lock.sequence,
                    "due": deadline_text(lock.new_due_at),
                },
            )
            return _next(request) or _back(case)
    return _render_case(request, case, failed={"unlock": form}, status=status)


@login_required
@require_POST
def approval_decide_view(request: HttpRequest, approval_id: int) -> HttpResponse:
    from cases.action_forms import DecideForm
    from cases.models import Approval

    approval = Approval.objects.filter(pk=approval_id).select_related("case").first()
    if approval is None:
        raise Http404
    case = case_get_for_user(user=request.user, case_id=approval.case_id)
    form = DecideForm(request.POST, prefix=f"decide-{approval.pk}")
    status = 400
    if form.is_valid():
        try:
            services.approval_decide(
                actor=request.user,
                approval=approval,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
                new_due_at=form.cleaned_data.get("new_due_at"),
            )
        except DomainError as exc:
            _attach(form, exc)
            status = exc.status
        else:
            messages.success(
                request,
                _("Decided: %(kind)s on %(number)s.")
                % {"kind": approval.get_kind_display(), "number": case.number},
            )
            return _next(request) or _back(case)
    return _render_case(request, case, failed={f"decide:{approval.pk}": form}, status=status)


@login_required
@require_POST
def case_supervise_view(request: HttpRequest, case_id: int) -> HttpResponse:
    from cases.action_forms import SupervisionForm

    case = case_get_for_user(user=request.user, case_id=case_id)
    form = SupervisionForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.supervision_action_record(
                actor=request.user,
                case=case,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
            )
        except DomainError as exc:
            _attach(form, exc)
            status = exc.status
        else:
            messages.success(request, _("Supervision recorded."))
            return _back(case, "supervision")
    return _render_case(request, case, failed={"supervise": form}, status=status)


@login_required
@require_POST
def hearing_act(request: HttpRequest, hearing_id: int) -> HttpResponse:
    """Record a hearing as held, or adjourn it with a reason."""
    from cases.models import Hearing

    hearing = Hearing.objects.filter(pk=hearing_id).first()
    if hearing is None:
        raise Http404
    case = case_get_for_user(user=request.user, case_id=hearing.case_id)
    op = request.POST.get("op")
    try:
        if op == "held":
            services.hearing_record_held(actor=request.user, hearing=hearing)
            messages.success(request, _("Hearing recorded as held."))
        elif op == "adjourn":
            services.hearing_adjourn(
                actor=request.user, hearing=hearing, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("Hearing adjourned."))
        else:
            raise InvalidInput(_("Unknown action."), field="op")
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return _back(case, "hearings")


# --- 三个规定 records ---------------------------------------------------------------------


@login_required
def interference_page(request: HttpRequest) -> HttpResponse:
    """Record an intervention (三个规定); presidents and trial managers see the court's
    records, everyone else their own."""
    from cases.action_forms import InterferenceForm
    from cases.models import Case, InterferenceRecord

    person = person_for_user(request.user)
    if person is None:
        raise Http404
    form = InterferenceForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            case = None
            if data["case_number"]:
                case = Case.objects.filter(
                    court_id=person.court_id, number=data["case_number"].strip()
                ).first()
                if case is None:
                    form.add_error("case_number", _("No case with this number in your court."))
            if not form.errors:
                try:
                    services.interference_record_create(
                        actor=request.user,
                        case=case,
                        kind=data["kind"],
                        intervener=data["intervener"],
                        intervener_position=data["intervener_position"],
                        description=data["description"],
                        occurred_at=data["occurred_at"],
                    )
                except DomainError as exc:
                    _attach(form, exc)
                    status = exc.status
                else:
                    messages.success(request, _("Recorded. The presidents have been told."))
                    return redirect("cases:interference")
    records = InterferenceRecord.objects.filter(court_id=person.court_id).select_related(
        "case", "recorded_by"
    )
    if person.role not in (Role.PRESIDENT, Role.VICE_PRESIDENT, Role.TRIAL_MANAGER):
        records = records.filter(recorded_by=request.user)
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    return render(request, "cases/interference.html", {"form": form, "page": page}, status=status)


@login_required
def lock_records_export(request: HttpRequest, fmt: str = "csv") -> HttpResponse:
    """Every lock with its node, deadline, unlock and reason, down to the case and the
    person (盐城's node data export), as CSV or an Excel workbook, scoped like the queue: a
    division head's division, a president's or trial manager's court."""
    from courtflow.exports import csv_response, xlsx_response
    from courtflow.labels import english
    from nodes.models import CaseLock

    person = person_for_user(request.user)
    if person is None or person.role not in (
        Role.DIVISION_HEAD,
        Role.PRESIDENT,
        Role.VICE_PRESIDENT,
        Role.TRIAL_MANAGER,
    ):
        raise Http404
    locks = CaseLock.objects.filter(court_id=person.court_id)
    if person.role == Role.DIVISION_HEAD:
        locks = locks.filter(case__division_id=person.division_id)
    locks = locks.select_related(
        "case__division", "case__team", "case__judge", "node__definition", "unlocked_by"
    ).order_by("locked_at", "id")
    name = "name_en" if english() else "name_zh"
    header = [
        _("Case number"),
        _("Division"),
        _("Team"),
        _("Judge"),
        _("Lock"),
        _("Node"),
        _("Node code"),
        _("Due"),
        _("Locked at"),
        _("Unlocked at"),
        _("Unlocked by"),
        _("Reason for the unlock"),
        _("New due date"),
    ]

    def rows():
        for lock in locks.iterator(chunk_size=2000):
            case, node = lock.case, lock.node
            yield [
                case.number,
                case.division.name,
                case.team.name if case.team else "",
                case.judge.name if case.judge else "",
                lock.sequence,
                getattr(node.definition, name),
                node.code,
                deadline_text(node.due_at),
                timezone.localtime(lock.locked_at).strftime("%Y-%m-%d %H:%M"),
                timezone.localtime(lock.unlocked_at).strftime("%Y-%m-%d %H:%M")
                if lock.unlocked_at
                else "",
                (lock.unlocked_by.get_full_name() or lock.unlocked_by.username)
                if lock.unlocked_by
                else "",
                lock.unlock_reason,
                deadline_text(lock.new_due_at),
            ]

    filename = f"locks-{timezone.localdate():%Y%m%d}.{fmt}"
    if fmt == "xlsx":
        return xlsx_response(filename, header, rows(), sheet=str(_("Lock records")))
    return csv_response(filename, header, rows())
