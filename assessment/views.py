"""Statistics pages: court metrics for a period, on screen and as a spreadsheet-safe CSV
filtered exactly as the page is."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
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
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=gettext_lazy("To (inclusive)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
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
