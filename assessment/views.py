"""Statistics pages: court metrics for a period, on screen and as a spreadsheet-safe CSV
filtered exactly as the page is."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessment.apis import metrics_scope, period_bounds
from assessment.metrics import court_metrics
from courtflow.errors import NotAllowed, NotVisible

LEVEL_CHOICES = [
    ("court", gettext_lazy("The whole")),
    ("division", gettext_lazy("By division")),
    ("team", gettext_lazy("By team")),
    ("judge", gettext_lazy("By judge")),
]


class MetricsForm(forms.Form):
    start = forms.DateField(
        label=gettext_lazy("From"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    end = forms.DateField(
        label=gettext_lazy("To (inclusive)"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    level = forms.ChoiceField(label=gettext_lazy("Rows"), choices=LEVEL_CHOICES, required=False)

    def clean(self):
        data = super().clean()
        for key, value in _defaults().items():
            data[key] = data.get(key) or value
        if data["end"] < data["start"]:
            self.add_error("end", _("The period ends before it begins."))
        elif (data["end"] - data["start"]).days > 366 * 5:
            self.add_error("end", _("A period is at most five years long."))
        return data


def _defaults() -> dict:
    """This year so far, one row per division."""
    today = timezone.localdate()
    return {"start": today.replace(month=1, day=1), "end": today, "level": "division"}


def _columns():
    return [
        ("new", _("New")),
        ("closed", _("Closed")),
        ("carried_over", _("Carried over")),
        ("pending", _("Pending at the end")),
        ("closure_rate", _("Closure rate (结案率) %")),
        ("closed_to_new", _("Closed ÷ new (结收比) %")),
        ("within_limit_rate", _("Closed within the 审限 %")),
        ("pending_over_12", _("Pending over 12 months")),
        ("pending_over_24", _("Pending over 24 months")),
        ("backlog_clearance", _("Backlog cleared (清积率) %")),
        ("median_days", _("Median days to disposition")),
        ("mean_days", _("Mean days to disposition")),
        ("pending_median_age", _("Median age of pending cases (days)")),
        ("online_hearing_rate", _("Hearings held online %")),
    ]


def _metrics(request: HttpRequest):
    form = MetricsForm(request.GET or None, initial=_defaults())
    if request.GET and not form.is_valid():
        return form, None, None
    data = form.cleaned_data if request.GET else _defaults()
    try:
        court_id, division_id = metrics_scope(request.user, None)
    except (NotAllowed, NotVisible):
        raise Http404 from None
    start, end = period_bounds(data["start"], data["end"])
    rows = court_metrics(
        court_id=court_id, division_id=division_id, start=start, end=end, level=data["level"]
    )
    return form, data, rows


@login_required
def metrics_page(request: HttpRequest) -> HttpResponse:
    form, data, rows = _metrics(request)
    columns = _columns()
    table = [
        (row.name or _("The court"), [getattr(row, key) for key, _label in columns])
        for row in rows or []
    ]
    return render(
        request,
        "assessment/metrics.html",
        {
            "form": form,
            "period": data,
            "columns": columns,
            "table": table,
            "query": request.GET.urlencode(),
        },
        status=200 if rows is not None else 400,
    )


@login_required
def metrics_csv(request: HttpRequest) -> HttpResponse:
    from courtflow.exports import csv_response

    _form, data, rows = _metrics(request)
    if rows is None:
        return metrics_page(request)
    columns = _columns()
    header = [_("Period"), _("Court, division, team or judge"), *[label for _key, label in columns]]
    period = f"{data['start']:%Y-%m-%d} – {data['end']:%Y-%m-%d}"
    body = (
        [period, row.name or _("The court"), *["" if v is None else v for v in values]]
        for row in rows
        for values in [[getattr(row, key) for key, _label in columns]]
    )
    return csv_response(
        f"court-metrics-{data['start']:%Y%m%d}-{data['end']:%Y%m%d}.csv", header, body
    )


# --- node statistics ---------------------------------------------------------------------


class NodeStatsForm(MetricsForm):
    code = forms.CharField(
        label=gettext_lazy("Node code"),
        required=False,
        max_length=48,
        help_text=gettext_lazy("Empty for every node, e.g. CIV-SIMPLE-SCHEDULE for one."),
    )


def _node_filter(request: HttpRequest):
    """The node pages' filter, read once for the page and its exports: (form, data, scope),
    data and scope None when the form has errors. The scope is the user's court or
    division, the period's bounds and the node code."""
    form = NodeStatsForm(request.GET or None, initial={**_defaults(), "level": "court"})
    if request.GET and not form.is_valid():
        return form, None, None
    data = form.cleaned_data if request.GET else {**_defaults(), "level": "court", "code": ""}
    if not request.GET.get("level"):
        data["level"] = "court"
    try:
        court_id, division_id = metrics_scope(request.user, None)
    except (NotAllowed, NotVisible):
        raise Http404 from None
    start, end = period_bounds(data["start"], data["end"])
    scope = {
        "court_id": court_id,
        "division_id": division_id,
        "start": start,
        "end": end,
        "code": data.get("code") or None,
    }
    return form, {**data, "court_id": court_id, "division_id": division_id}, scope


def _node_stats(request: HttpRequest):
    from assessment.node_stats import node_stats

    form, data, scope = _node_filter(request)
    if data is None:
        return form, None, None
    return form, data, node_stats(level=data["level"], **scope)


def _node_table(rows):
    from assessment.node_stats import NODE_STATS_COLUMNS
    from courtflow.labels import english

    for row in rows:
        name = row.name_en if english() and row.name_en else row.name_zh
        yield (
            row.code,
            name,
            row.unit or _("The court"),
            *[getattr(row, key) for key, _label in NODE_STATS_COLUMNS],
        )


def _node_header():
    from assessment.node_stats import NODE_STATS_COLUMNS

    return [_("Node code"), _("Node"), _("Court, division, team or judge")] + [
        str(label) for _key, label in NODE_STATS_COLUMNS
    ]


@login_required
def node_stats_page(request: HttpRequest) -> HttpResponse:
    form, data, rows = _node_stats(request)
    return render(
        request,
        "assessment/node_stats.html",
        {
            "form": form,
            "period": data,
            "header": _node_header(),
            "table": list(_node_table(rows or [])),
            "query": request.GET.urlencode(),
        },
        status=200 if rows is not None else 400,
    )


@login_required
def node_stats_export(request: HttpRequest, fmt: str) -> HttpResponse:
    from courtflow.exports import csv_response, xlsx_response

    _form, data, rows = _node_stats(request)
    if rows is None:
        return node_stats_page(request)
    name = f"node-stats-{data['start']:%Y%m%d}-{data['end']:%Y%m%d}"
    if fmt == "xlsx":
        return xlsx_response(
            f"{name}.xlsx", _node_header(), _node_table(rows), sheet=_("Node statistics")
        )
    return csv_response(f"{name}.csv", _node_header(), _node_table(rows))


@login_required
def node_instances_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """Every node instance of the period, one row each, down to the case, the person and
    the unlock's reason; streamed (CSV) or written in constant memory (XLSX)."""
    from itertools import chain

    from assessment.node_stats import DETAIL_HEADER, node_instances_batches
    from courtflow.exports import csv_batches, csv_response_pieces, xlsx_response

    _form, data, scope = _node_filter(request)
    if data is None:
        return node_stats_page(request)
    header = [str(h) for h in DETAIL_HEADER]
    name = f"node-instances-{data['start']:%Y%m%d}-{data['end']:%Y%m%d}"
    if fmt == "xlsx":
        rows = chain.from_iterable(node_instances_batches(neutralise=False, **scope))
        return xlsx_response(f"{name}.xlsx", header, rows, sheet=_("Node instances"))
    batches = node_instances_batches(neutralise=True, **scope)
    return csv_response_pieces(f"{name}.csv", csv_batches(header, batches))


# --- quotas ----------------------------------------------------------------------------------


class PeriodForm(forms.Form):
    start = MetricsForm.base_fields["start"]
    end = MetricsForm.base_fields["end"]

    def clean(self):
        data = super().clean()
        defaults = _defaults()
        data["start"] = data.get("start") or defaults["start"]
        data["end"] = data.get("end") or defaults["end"]
        if data["end"] < data["start"]:
            self.add_error("end", _("The period ends before it begins."))
        elif (data["end"] - data["start"]).days > 366 * 5:
            self.add_error("end", _("A period is at most five years long."))
        return data


@login_required
def quotas_page(request: HttpRequest) -> HttpResponse:
    """Each team's target for the period against its weighted closures, in bands."""
    from assessment.services import quota_progress, weights_for_court

    try:
        court_id, division_id = metrics_scope(request.user, None)
    except (NotAllowed, NotVisible):
        raise Http404 from None
    form = PeriodForm(request.GET or None, initial=_defaults())
    rows, period = None, None
    if not request.GET or form.is_valid():
        period = form.cleaned_data if request.GET else _defaults()
        rows = quota_progress(
            court_id=court_id, division_id=division_id, start=period["start"], end=period["end"]
        )
    from assessment.models import WorkloadWeight
    from nodes.vocab import Procedure

    weights = [
        (
            Procedure(procedure).label if procedure else _("Any"),
            WorkloadWeight.Complexity(complexity).label,
            weight,
        )
        for (procedure, complexity), weight in sorted(weights_for_court(court_id).items())
    ]
    return render(
        request,
        "assessment/quotas.html",
        {"form": form, "period": period, "rows": rows, "weights": weights},
        status=200 if rows is not None else 400,
    )


# --- disclosure boards (公示) -----------------------------------------------------------------


class CorrectionForm(forms.Form):
    board = forms.ChoiceField(label=gettext_lazy("Board"), choices=[])
    text = forms.CharField(
        label=gettext_lazy("What should be corrected, and why"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        from assessment.models import BoardCorrection

        super().__init__(*args, **kwargs)
        self.fields["board"].choices = BoardCorrection.Board.choices


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=gettext_lazy("Answer"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


def _person_or_404(request: HttpRequest):
    from teams.access import person_for_user

    person = person_for_user(request.user)
    if person is None:
        raise Http404
    return person


@login_required
def board_page(request: HttpRequest) -> HttpResponse:
    """The three disclosure boards (丰台): coefficients, task targets and closure
    performance, court-wide; team members ask for corrections, the trial manager answers."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from assessment.models import BoardCorrection
    from assessment.services import (
        _current_team,
        board_correction_answer,
        board_correction_request,
        quota_progress,
    )
    from courtflow.errors import DomainError
    from teams.models import HRCoefficient

    person = _person_or_404(request)
    team = _current_team(person)
    form = CorrectionForm(request.POST or None) if team else None
    status = 200
    if request.method == "POST":
        status = 400
        if "correction" in request.POST:
            correction = BoardCorrection.objects.filter(
                pk=request.POST.get("correction"), court_id=person.court_id
            ).first()
            answer = AnswerForm(request.POST, prefix=f"a{getattr(correction, 'pk', 0)}")
            if correction is None:
                raise Http404
            if answer.is_valid():
                try:
                    board_correction_answer(
                        actor=request.user,
                        correction=correction,
                        accept=request.POST.get("decision") == "accept",
                        answer=answer.cleaned_data["answer"],
                    )
                except DomainError as exc:
                    messages.error(request, str(exc.message))
                    status = exc.status
                else:
                    messages.success(request, _("The answer was recorded."))
                    return redirect(reverse("stats:board") + "#corrections")
            else:
                messages.error(request, _("Give the answer."))
        elif form is not None and form.is_valid():
            try:
                board_correction_request(actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                field = exc.field if exc.field in form.fields else None
                form.add_error(field, str(exc.message))
                status = exc.status
            else:
                messages.success(
                    request, _("Your request was sent to the trial management office.")
                )
                return redirect(reverse("stats:board") + "#corrections")
        elif form is None:
            raise Http404
    period = _defaults()
    corrections = BoardCorrection.objects.filter(court_id=person.court_id).select_related(
        "team", "requested_by", "answered_by"
    )
    is_manager = person.role == "trial_manager"
    if not is_manager:
        corrections = corrections.filter(team=team) if team else corrections.none()
    corrections = list(corrections.order_by("-requested_at")[:100])
    answer_forms = {
        c.pk: AnswerForm(prefix=f"a{c.pk}")
        for c in corrections
        if is_manager and c.status == BoardCorrection.Status.OPEN
    }
    return render(
        request,
        "assessment/board.html",
        {
            "period": period,
            "coefficients": HRCoefficient.objects.filter(court_id=person.court_id).order_by(
                "-value"
            ),
            "rows": quota_progress(
                court_id=person.court_id, start=period["start"], end=period["end"]
            ),
            "team": team,
            "form": form,
            "corrections": [(c, answer_forms.get(c.pk)) for c in corrections],
        },
        status=status,
    )


# --- work reports -------------------------------------------------------------------------


class ReportForm(forms.Form):
    start = forms.DateField(
        label=gettext_lazy("From"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    end = forms.DateField(
        label=gettext_lazy("To (inclusive)"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    summary = forms.CharField(
        label=gettext_lazy("Summary of the work"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class ReportDecisionForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Comment"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


@login_required
def reports_page(request: HttpRequest) -> HttpResponse:
    """My work reports (write, change, submit) and the reports waiting for my confirmation."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from assessment.models import WorkReport
    from assessment.services import (
        report_confirmer_role,
        work_report_decide,
        work_report_save,
        work_report_submit,
        work_reports_to_confirm,
    )
    from courtflow.errors import DomainError

    person = _person_or_404(request)
    mine = WorkReport.objects.filter(person=person)
    editing = None
    if request.GET.get("edit"):
        editing = mine.filter(pk=request.GET["edit"]).first()
    initial = (
        {"start": editing.period_start, "end": editing.period_end, "summary": editing.summary}
        if editing
        else {"start": timezone.localdate().replace(day=1), "end": timezone.localdate()}
    )
    form = ReportForm(initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        op = request.POST.get("op", "")
        try:
            if op == "save":
                form = ReportForm(request.POST)
                editing = mine.filter(pk=request.POST.get("report") or 0).first()
                if form.is_valid():
                    work_report_save(
                        actor=request.user,
                        start=form.cleaned_data["start"],
                        end=form.cleaned_data["end"],
                        summary=form.cleaned_data["summary"],
                        report=editing,
                    )
                    messages.success(request, _("The report was saved as a draft."))
                    return redirect("stats:reports")
            elif op == "submit":
                report = mine.filter(pk=request.POST.get("report") or 0).first()
                if report is None:
                    raise Http404
                work_report_submit(actor=request.user, report=report)
                messages.success(request, _("The report was submitted for confirmation."))
                return redirect("stats:reports")
            elif op in ("confirm", "return"):
                report = WorkReport.objects.filter(
                    pk=request.POST.get("report") or 0, court_id=person.court_id
                ).first()
                if report is None:
                    raise Http404
                decision = ReportDecisionForm(request.POST, prefix=f"r{report.pk}")
                decision.is_valid()
                work_report_decide(
                    actor=request.user,
                    report=report,
                    confirm=op == "confirm",
                    comment=decision.cleaned_data.get("comment", ""),
                )
                messages.success(
                    request,
                    _("The report was confirmed.")
                    if op == "confirm"
                    else _("The report was returned."),
                )
                return redirect("stats:reports")
            else:
                raise Http404
        except DomainError as exc:
            if op == "save" and exc.field in form.fields:
                form.add_error(exc.field, str(exc.message))
            else:
                messages.error(request, str(exc.message))
            status = exc.status
    to_confirm = work_reports_to_confirm(person)
    return render(
        request,
        "assessment/reports.html",
        {
            "form": form,
            "editing": editing,
            "mine": list(mine.order_by("-period_end", "-id")[:50]),
            "can_report": bool(report_confirmer_role(person)),
            "to_confirm": [(r, ReportDecisionForm(prefix=f"r{r.pk}")) for r in to_confirm],
        },
        status=status,
    )


# --- quality reviews, reversals and accountability ---------------------------------------


class ReviewForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=[])
    title = forms.CharField(label=gettext_lazy("Title"), max_length=120)
    start = forms.DateField(
        label=gettext_lazy("From"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    end = forms.DateField(
        label=gettext_lazy("To (inclusive)"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )

    def __init__(self, *args, **kwargs):
        from assessment.models import QualityReview

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = QualityReview.Kind.choices


class FindingForm(forms.Form):
    review = forms.TypedChoiceField(label=gettext_lazy("Review"), coerce=int, choices=[])
    case_number = forms.CharField(label=gettext_lazy("Case number"), max_length=40)
    grade = forms.ChoiceField(label=gettext_lazy("Grade"), choices=[])
    text = forms.CharField(
        label=gettext_lazy("Finding"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, reviews=(), **kwargs):
        from assessment.models import ReviewFinding

        super().__init__(*args, **kwargs)
        self.fields["review"].choices = [(r.pk, str(r)) for r in reviews]
        self.fields["grade"].choices = ReviewFinding.Grade.choices


class ReversalForm(forms.Form):
    case_number = forms.CharField(label=gettext_lazy("First-instance case number"), max_length=40)
    kind = forms.ChoiceField(label=gettext_lazy("Outcome on appeal"), choices=[])
    appeal_number = forms.CharField(
        label=gettext_lazy("Second-instance case number"), max_length=40
    )
    decided_on = forms.DateField(
        label=gettext_lazy("Decided on"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        from assessment.models import Reversal

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = Reversal.Kind.choices


class AccountabilityForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=[])
    level = forms.ChoiceField(label=gettext_lazy("Level of the talk"), choices=[], required=False)
    person = forms.TypedChoiceField(
        label=gettext_lazy("Person concerned"),
        coerce=int,
        choices=[],
        required=False,
        empty_value=None,
    )
    case_number = forms.CharField(label=gettext_lazy("Case number"), max_length=40, required=False)
    text = forms.CharField(
        label=gettext_lazy("What happened"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, people=(), **kwargs):
        from assessment.models import AccountabilityRecord

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = AccountabilityRecord.Kind.choices
        self.fields["level"].choices = AccountabilityRecord.Level.choices
        self.fields["person"].choices = [("", "—"), *[(p.pk, p.name) for p in people]]


@login_required
def quality_page(request: HttpRequest) -> HttpResponse:
    """Quality reviews with their findings, reversals and remands counted back to the
    first-instance team (发改率), and accountability records — for the court's leaders and
    trial managers, who record them; a division head reads those of the division."""
    from django.contrib import messages
    from django.core.exceptions import PermissionDenied
    from django.db.models import Q
    from django.shortcuts import redirect

    from assessment.models import AccountabilityRecord, QualityReview, Reversal, ReviewFinding
    from assessment.services import (
        QUALITY_MANAGERS,
        accountability_record,
        quality_by_team,
        quality_review_create,
        reversal_record,
        review_finding_record,
    )
    from courtflow.errors import DomainError
    from teams.models import Person
    from teams.roles import Role

    person = _person_or_404(request)
    manager = person.role in QUALITY_MANAGERS
    if not manager and not (person.role == Role.DIVISION_HEAD and person.division_id):
        raise Http404
    if not manager and request.method == "POST":
        raise PermissionDenied
    division = None if manager else person.division_id
    reviews = list(
        QualityReview.objects.filter(court_id=person.court_id).order_by("-period_end", "-id")[:50]
    )
    people = Person.objects.filter(court_id=person.court_id, is_active=True).order_by("name")
    which = request.POST.get("form", "")
    forms_ = {
        "review": ReviewForm(request.POST if which == "review" else None, prefix="review"),
        "finding": FindingForm(
            request.POST if which == "finding" else None, prefix="finding", reviews=reviews
        ),
        "reversal": ReversalForm(request.POST if which == "reversal" else None, prefix="reversal"),
        "record": AccountabilityForm(
            request.POST if which == "record" else None, prefix="record", people=people
        ),
    }
    status = 200
    if request.method == "POST":
        form = forms_.get(which)
        if form is None:
            raise Http404
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                if which == "review":
                    quality_review_create(actor=request.user, **data)
                elif which == "finding":
                    review = next(r for r in reviews if r.pk == data.pop("review"))
                    review_finding_record(actor=request.user, review=review, **data)
                elif which == "reversal":
                    reversal_record(actor=request.user, **data)
                else:
                    accountability_record(
                        actor=request.user,
                        kind=data["kind"],
                        level=data["level"],
                        person_id=data["person"],
                        case_number=data["case_number"],
                        text=data["text"],
                    )
            except DomainError as exc:
                field = exc.field if exc.field in form.fields else None
                form.add_error(field, str(exc.message))
                status = exc.status
            else:
                messages.success(request, _("Recorded."))
                return redirect(reverse("stats:quality") + f"#{which}")
    period = _defaults()
    findings = ReviewFinding.objects.filter(review__court_id=person.court_id)
    reversals = Reversal.objects.filter(court_id=person.court_id)
    records = AccountabilityRecord.objects.filter(court_id=person.court_id)
    if division is not None:  # the division's teams, cases and people
        findings = findings.filter(Q(team__division_id=division) | Q(case__division_id=division))
        reversals = reversals.filter(Q(team__division_id=division) | Q(case__division_id=division))
        records = records.filter(Q(person__division_id=division) | Q(case__division_id=division))
    return render(
        request,
        "assessment/quality.html",
        {
            "forms": forms_ if manager else {},
            "manager": manager,
            "reviews": reviews,
            "findings": findings.select_related("review", "case", "team", "judge").order_by(
                "-recorded_at"
            )[:100],
            "reversals": reversals.select_related("case", "team", "judge").order_by(
                "-decided_on", "-id"
            )[:100],
            "records": records.select_related("person", "case", "recorded_by").order_by(
                "-recorded_at"
            )[:100],
            "by_team": quality_by_team(
                court_id=person.court_id,
                start=period["start"],
                end=period["end"],
                division_id=division,
            ),
            "period": period,
        },
        status=status,
    )


# --- prepared exports -------------------------------------------------------------------


@login_required
def exports_page(request: HttpRequest) -> HttpResponse:
    """The user's prepared exports and the monthly reports they may read; a POST queues an
    export of every node instance for the node-statistics filters."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from assessment.exports import export_job_request, export_jobs_for

    person = _person_or_404(request)
    if request.method == "POST":
        form = NodeStatsForm(request.POST)
        fmt = request.POST.get("fmt", "")
        try:
            court_id, division_id = metrics_scope(request.user, None)
        except (NotAllowed, NotVisible):
            raise Http404 from None
        if not form.is_valid() or fmt not in ("csv", "xlsx"):
            messages.error(request, _("Check the period and the format."))
            return redirect("stats:nodes")
        data = form.cleaned_data
        export_job_request(
            actor=request.user,
            court_id=court_id,
            division_id=division_id,
            start=data["start"],
            end=data["end"],
            fmt=fmt,
            code=data.get("code") or "",
        )
        messages.success(request, _("The export is being prepared; it appears here when ready."))
        return redirect("stats:exports")
    jobs = list(export_jobs_for(person)[:100])
    return render(
        request,
        "assessment/exports.html",
        {"jobs": jobs, "running": any(j.status in ("queued", "running") for j in jobs)},
    )


@login_required
def export_download(request: HttpRequest, job_id: int) -> HttpResponse:
    from django.http import FileResponse

    from assessment.exports import export_dir, export_jobs_for
    from courtflow.exports import XLSX_TYPE

    person = _person_or_404(request)
    job = export_jobs_for(person).filter(pk=job_id, status="done").first()
    if job is None:
        raise Http404
    path = export_dir() / job.file_name
    if not path.is_file():
        raise Http404
    types = {
        "csv": "text/csv; charset=utf-8",
        "xlsx": XLSX_TYPE,
        "html": "text/html; charset=utf-8",
    }
    response = FileResponse(
        path.open("rb"),
        as_attachment=job.fmt != "html",
        filename=job.file_name.split("-", 1)[1],
        content_type=types[job.fmt],
    )
    if job.fmt == "html":
        # The monthly report is a stand-alone document with its own inline stylesheet: it may
        # use that and nothing else (no script at all), instead of the site-wide policy.
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
            "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        )
    return response


# --- indicators ------------------------------------------------------------------------------

INDICATOR_LEVELS = [
    ("team", gettext_lazy("By team")),
    ("division", gettext_lazy("By division")),
    ("judge", gettext_lazy("By judge")),
    ("court", gettext_lazy("The whole")),
]


class IndicatorForm(PeriodForm):
    level = forms.ChoiceField(label=gettext_lazy("Rows"), choices=INDICATOR_LEVELS, required=False)


@login_required
def indicators_page(request: HttpRequest) -> HttpResponse:
    """Indicators per unit with scores, in bands (or ranks when the court turned them on)."""
    from assessment.indicators import indicator_results
    from courtflow.labels import english

    try:
        court_id, division_id = metrics_scope(request.user, None)
    except (NotAllowed, NotVisible):
        raise Http404 from None
    form = IndicatorForm(request.GET or None, initial={**_defaults(), "level": "team"})
    if request.GET and not form.is_valid():
        return render(request, "assessment/indicators.html", {"form": form}, status=400)
    data = form.cleaned_data if request.GET else {**_defaults(), "level": "team"}
    level = data.get("level") or "team"
    indicators, results, setting = indicator_results(
        court_id=court_id, start=data["start"], end=data["end"], level=level
    )
    if division_id is not None and level in ("division", "team", "judge"):
        results = _only_division(results, level, division_id)
    en = english()
    return render(
        request,
        "assessment/indicators.html",
        {
            "form": form,
            "period": data,
            "indicators": [
                (i, i.name_en if en else i.name_zh, i.get_category_display()) for i in indicators
            ],
            "rows": [
                (
                    r,
                    [(r.values.get(i.measure), r.scores.get(i.code)) for i in indicators],
                )
                for r in results
            ],
            "setting": setting,
        },
    )


def _only_division(results, level: str, division_id: int):
    """A division head reads the units of their own division."""
    from teams.models import Person, Team

    if level == "division":
        return [r for r in results if r.key == division_id]
    model = Team if level == "team" else Person
    keys = set(model.objects.filter(division_id=division_id).values_list("pk", flat=True))
    return [r for r in results if r.key in keys]


# --- audit extracts and the other spreadsheets ---------------------------------------------


def _audit_rows(court_id: int, start, end, case_number: str = ""):
    """One row per audit event of the court in the period (oldest first), with the case's
    number, the person, the action in words, the object, the reason and the change."""
    import json

    from cases.models import Case
    from courtflow.labels import action_label
    from courtflow.models import AuditEvent

    events = AuditEvent.objects.filter(court_id=court_id, at__gte=start, at__lt=end)
    if case_number:
        case_id = (
            Case.objects.filter(court_id=court_id, number=case_number.strip())
            .values_list("pk", flat=True)
            .first()
        )
        events = events.filter(case_id=case_id or -1)
    numbers: dict[int, str] = {}
    tz = timezone.get_current_timezone()
    rows = events.order_by("at", "id").values_list(
        "at",
        "actor_name",
        "source",
        "action",
        "object_repr",
        "case_id",
        "reason",
        "before",
        "after",
    )
    batch: list[tuple] = []

    def flush(items):
        wanted = {r[5] for r in items if r[5] and r[5] not in numbers}
        if wanted:
            numbers.update(Case.objects.filter(pk__in=wanted).values_list("pk", "number"))
        for at, actor, source, action, obj, case_id, reason, before, after in items:
            yield (
                at.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S"),
                actor or source,
                action_label(action),
                action,
                obj,
                numbers.get(case_id, ""),
                reason,
                json.dumps(before, ensure_ascii=False) if before else "",
                json.dumps(after, ensure_ascii=False) if after else "",
            )

    for row in rows.iterator(chunk_size=5000):
        batch.append(row)
        if len(batch) == 5000:
            yield from flush(batch)
            batch = []
    yield from flush(batch)


class AuditExtractForm(PeriodForm):
    case_number = forms.CharField(label=gettext_lazy("Case number"), max_length=40, required=False)


@login_required
def audit_extract(request: HttpRequest, fmt: str) -> HttpResponse:
    """The court's audit trail for a period (or one case), as CSV or Excel, for presidents
    and trial managers: the trail also holds the court's organisation changes, which are
    not a division's to read."""
    from courtflow.exports import csv_response, xlsx_response

    person = _person_or_404(request)
    if person.role not in ("president", "vice_president", "trial_manager"):
        raise Http404
    form = AuditExtractForm(request.GET or None)
    if request.GET and not form.is_valid():
        return render(request, "assessment/metrics.html", {"form": form}, status=400)
    data = form.cleaned_data if request.GET else {**_defaults(), "case_number": ""}
    start, end = period_bounds(data["start"], data["end"])
    header = [
        _("Time"),
        _("Who"),
        _("Action"),
        _("Action code"),
        _("Object"),
        _("Case number"),
        _("Reason"),
        _("Before"),
        _("After"),
    ]
    rows = _audit_rows(person.court_id, start, end, data.get("case_number") or "")
    name = f"audit-{data['start']:%Y%m%d}-{data['end']:%Y%m%d}"
    if fmt == "xlsx":
        return xlsx_response(f"{name}.xlsx", header, rows, sheet=_("Audit trail"))
    return csv_response(f"{name}.csv", header, rows)


@login_required
def metrics_xlsx(request: HttpRequest) -> HttpResponse:
    from courtflow.exports import xlsx_response

    _form, data, rows = _metrics(request)
    if rows is None:
        return metrics_page(request)
    columns = _columns()
    header = [_("Period"), _("Court, division, team or judge"), *[label for _key, label in columns]]
    period = f"{data['start']:%Y-%m-%d} – {data['end']:%Y-%m-%d}"
    body = (
        [period, row.name or _("The court"), *[getattr(row, key) for key, _label in columns]]
        for row in rows
    )
    return xlsx_response(
        f"court-metrics-{data['start']:%Y%m%d}-{data['end']:%Y%m%d}.xlsx",
        header,
        body,
        sheet=_("Court metrics"),
    )
