"""Court metrics per period and level (court, division, team, judge).

Definitions (../shared/domain/legal-time-limits.md §9 and the reform reports):

* 新收 new: cases filed (立案) in the period; 已结 closed: cases closed in the period;
  旧存 carried over: filed before the period and not closed before it; 未结 pending: filed
  by the period's end and not closed by then.
* 结案率 closure rate = closed ÷ (carried over + new) — the share of the period's caseload
  that was disposed of.
* 结收比 closed-to-new ratio = closed ÷ new. 海淀, January–October 2020: 64,775 new and
  55,257 closed give 85.31%. It is also NCSC CourTools measure 2, the clearance rate
  (outgoing ÷ incoming cases).
* 审限内结案率 closed within the time limit = closed on or before their 审限 due date ÷
  closed cases that have a 审限.
* Pending over 12 and 24 months: pending at the period's end and filed more than 12 (24)
  months before it; 清积率 backlog clearance = of the cases pending over 12 months at the
  period's start, the share closed by its end.
* Time to disposition: filing to closure in whole local days, net of the days the 审限 stood
  suspended (公告, 鉴定, 中止 …), mean and median over the period's closed cases.
* Age of the active pending caseload (CourTools measure 4): whole days from filing to the
  period's end of the cases pending then, median and mean, net of suspensions likewise.
  (Whole days: a case filed on day f and closed on day k took k − f days; a suspension from
  day a to day b covers days a … b − 1. docs/statistics.md, "Court-metrics rollups".)

``court_metrics`` answers from the rollups of ``cases.rollups`` for periods bounded by local
midnights (every page's and API's period); ``court_metrics_raw`` computes the same from the
raw rows and is the reference the tests hold it to.
* Online hearing rate: hearings held online ÷ hearings held in the period.

Rates are percentages with two decimals, half up, or None where the denominator is zero.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from cases.models import Case, Hearing, MetricsAgeSegment, MetricsFlow, MetricsHearings, Suspension
from cases.rollups import COURT, DIVISION, JUDGE, LIMIT_WITHIN, TEAM, suspended_spans

LEVELS = {
    "court": None,
    "division": ("division_id", "division__name"),
    "team": ("team_id", "team__name"),
    "judge": ("judge_id", "judge__name"),
}


def percent(numerator: int, denominator: int) -> Decimal | None:
    """``numerator ÷ denominator`` as a percentage, two decimals, half up."""
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


def closure_rate(closed: int, carried_over: int, new: int) -> Decimal | None:
    """结案率 = closed ÷ (carried over + new)."""
    return percent(closed, carried_over + new)


def closed_to_new(closed: int, new: int) -> Decimal | None:
    """结收比 = closed ÷ new (CourTools: clearance rate)."""
    return percent(closed, new)


def months_before(moment: dt.datetime, months: int) -> dt.datetime:
    """The same wall-clock moment ``months`` calendar months earlier (the 31st → the last
    day of a shorter month)."""
    from nodes.periods import add_months

    local = timezone.localtime(moment)
    day = add_months(local.date(), -months)
    return local.replace(year=day.year, month=day.month, day=day.day)


@dataclass
class Metrics:
    key: int | None = None
    name: str = ""
    new: int = 0
    closed: int = 0
    carried_over: int = 0
    pending: int = 0
    closed_with_limit: int = 0
    closed_within_limit: int = 0
    pending_over_12: int = 0
    pending_over_24: int = 0
    backlog_at_start: int = 0
    backlog_cleared: int = 0
    hearings_held: int = 0
    hearings_online: int = 0
    # whole days → how many cases: closed in the period (net days to disposition) and pending
    # at its end (net age)
    disposition_days: Counter = field(default_factory=Counter, repr=False)
    pending_age_days: Counter = field(default_factory=Counter, repr=False)

    @property
    def closure_rate(self) -> Decimal | None:
        return closure_rate(self.closed, self.carried_over, self.new)

    @property
    def closed_to_new(self) -> Decimal | None:
        return closed_to_new(self.closed, self.new)

    @property
    def within_limit_rate(self) -> Decimal | None:
        return percent(self.closed_within_limit, self.closed_with_limit)

    @property
    def backlog_clearance(self) -> Decimal | None:
        return percent(self.backlog_cleared, self.backlog_at_start)

    @property
    def online_hearing_rate(self) -> Decimal | None:
        return percent(self.hearings_online, self.hearings_held)

    @property
    def mean_days(self) -> Decimal | None:
        return _days(_mean(self.disposition_days))

    @property
    def median_days(self) -> Decimal | None:
        return _days(_median(self.disposition_days))

    @property
    def pending_median_age(self) -> Decimal | None:
        return _days(_median(self.pending_age_days))

    @property
    def pending_mean_age(self) -> Decimal | None:
        return _days(_mean(self.pending_age_days))

    def as_dict(self) -> dict:
        data = asdict(self)
        del data["disposition_days"], data["pending_age_days"]
        for name in OUTPUT_RATES:
            data[name] = getattr(self, name)
        return data


OUTPUT_RATES = (
    "closure_rate",
    "closed_to_new",
    "within_limit_rate",
    "backlog_clearance",
    "online_hearing_rate",
    "mean_days",
    "median_days",
    "pending_median_age",
    "pending_mean_age",
)


def _mean(histogram: Counter) -> Decimal | None:
    total = sum(histogram.values())
    if not total:
        return None
    return Decimal(sum(days * n for days, n in histogram.items())) / total


def _median(histogram: Counter) -> Decimal | None:
    """The median of the values a histogram counts (the mean of the two middle ones if even)."""
    total = sum(n for n in histogram.values() if n)
    if not total:
        return None
    lower, upper = (total - 1) // 2, total // 2  # 0-based ranks of the middle value(s)
    seen, low_value = 0, None
    for days in sorted(d for d, n in histogram.items() if n):
        seen += histogram[days]
        if low_value is None and seen > lower:
            low_value = days
        if seen > upper:
            return (Decimal(low_value) + Decimal(days)) / 2
    raise AssertionError("unreachable")


def _days(value: Decimal | None) -> Decimal | None:
    if value is None:
        return None
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(timezone.get_default_timezone()).date()


def _midnight(moment: dt.datetime) -> bool:
    local = moment.astimezone(timezone.get_default_timezone())
    return local.time() == dt.time() and local.tzinfo is not None


def _bounds(start: dt.datetime, end: dt.datetime) -> dict[str, dt.date]:
    """The period's days and those the long-pending counts compare with."""
    return {
        "start": _local_day(start),
        "end": _local_day(end),
        "year_ago": _local_day(months_before(end, 12)),
        "two_years_ago": _local_day(months_before(end, 24)),
        "start_year_ago": _local_day(months_before(start, 12)),
    }


# --- from the rollups ----------------------------------------------------------------------

ROLLUP_LEVEL = {"court": COURT, "division": DIVISION, "team": TEAM, "judge": JUDGE}


def court_metrics(
    *,
    court_id: int,
    start: dt.datetime,
    end: dt.datetime,
    level: str = "court",
    division_id: int | None = None,
) -> list[Metrics]:
    """The metrics of a court (or one division of it) for ``start`` ≤ t < ``end``, one row
    for the whole (``level="court"``) or one per division, team or judge, named. Read from
    the rollups when both bounds are local midnights, otherwise from the raw rows."""
    if level not in LEVELS:
        raise ValueError(level)
    if not (_midnight(start) and _midnight(end)):
        return court_metrics_raw(
            court_id=court_id, start=start, end=end, level=level, division_id=division_id
        )
    b = _bounds(start, end)
    grouped = level != "court"
    # The court's rows for the whole court; its division's rows for one division at the
    # court level; the level's rows (of one division) per unit otherwise.
    if level in ("court", "division") and division_id is not None:
        where = {"court_id": court_id, "level": DIVISION, "unit_id": division_id}
    else:
        where = {"court_id": court_id, "level": ROLLUP_LEVEL[level]}
        if division_id is not None:
            where["division_id"] = division_id
    first, stop = b["start"], b["end"]
    closed_in = Q(closed__gte=first, closed__lt=stop)
    open_at_start = Q(filed__lt=first, closed__gte=first)
    pending_at_end = Q(filed__lt=stop, closed__gte=stop)
    sums = {
        "new": Sum("n", filter=Q(filed__gte=first, filed__lt=stop)),
        "closed": Sum("n", filter=closed_in),
        "carried_over": Sum("n", filter=open_at_start),
        "pending": Sum("n", filter=pending_at_end),
        "closed_with_limit": Sum("n", filter=closed_in & Q(limit_state__gt=0)),
        "closed_within_limit": Sum("n", filter=closed_in & Q(limit_state=LIMIT_WITHIN)),
        "pending_over_12": Sum("n", filter=pending_at_end & Q(filed__lt=b["year_ago"])),
        "pending_over_24": Sum("n", filter=pending_at_end & Q(filed__lt=b["two_years_ago"])),
        "backlog_at_start": Sum("n", filter=open_at_start & Q(filed__lt=b["start_year_ago"])),
        "backlog_cleared": Sum(
            "n", filter=open_at_start & Q(filed__lt=b["start_year_ago"]) & closed_in
        ),
        "cases": Sum("n"),
    }
    flow = MetricsFlow.objects.filter(**where)
    rows: dict[int | None, Metrics] = {}
    # (annotated as m_<name>: "closed" is also a column of the rollup)
    annotated = flow.values("unit_id" if grouped else "court_id").annotate(
        **{f"m_{name}": total for name, total in sums.items()}
    )
    for values in annotated:
        if not values["m_cases"]:
            continue  # every case of the unit left it (reassigned): the raw rows have none
        key = values["unit_id"] if grouped else None
        counts = {k[2:]: v or 0 for k, v in values.items() if k.startswith("m_") and k != "m_cases"}
        rows[key] = Metrics(key=key, **counts)
    if not grouped:
        rows.setdefault(None, Metrics())

    def unit(values: dict) -> int | None:
        return values["unit_id"] if grouped else None

    group = ("unit_id",) if grouped else ()
    for values in flow.filter(closed_in).values(*group, "net_days").annotate(k=Sum("n")).order_by():
        if (row := rows.get(unit(values))) is not None and values["k"]:
            row.disposition_days[values["net_days"]] += values["k"]
    for values in (
        flow.filter(pending_at_end, suspended=False)
        .values(*group, "filed")
        .annotate(k=Sum("n"))
        .order_by()
    ):
        if (row := rows.get(unit(values))) is not None and values["k"]:
            row.pending_age_days[(stop - values["filed"]).days] += values["k"]
    end_ordinal = stop.toordinal()
    for values in (
        MetricsAgeSegment.objects.filter(**where, seg_from__lt=stop, seg_to__gte=stop)
        .values(*group, "frozen", "value")
        .annotate(k=Sum("n"))
        .order_by()
    ):
        if (row := rows.get(unit(values))) is not None and values["k"]:
            age = values["value"] if values["frozen"] else end_ordinal - values["value"]
            row.pending_age_days[age] += values["k"]
    hearings = MetricsHearings.objects.filter(**where, day__gte=first, day__lt=stop)
    totals = {"h": Sum("held"), "o": Sum("online")}
    for values in (
        hearings.values("unit_id").annotate(**totals).order_by()
        if grouped
        else [hearings.aggregate(**totals)]
    ):
        if (row := rows.get(unit(values))) is not None:
            row.hearings_held, row.hearings_online = values["h"] or 0, values["o"] or 0
    if grouped:
        _name(rows, level)
    return sorted(rows.values(), key=lambda m: (m.name, m.key or 0))


def _name(rows: dict[int | None, Metrics], level: str) -> None:
    from teams.models import Division, Person, Team

    model = {"division": Division, "team": Team, "judge": Person}[level]
    names = dict(model.objects.filter(pk__in=list(rows)).values_list("pk", "name"))
    for key, row in rows.items():
        row.name = names.get(key) or ""


# --- from the raw rows (the reference) -----------------------------------------------------


def court_metrics_raw(
    *,
    court_id: int,
    start: dt.datetime,
    end: dt.datetime,
    level: str = "court",
    division_id: int | None = None,
) -> list[Metrics]:
    """``court_metrics`` computed from the cases, suspensions and hearings themselves: the
    definition the rollups are held to, and the answer for periods not bounded by local
    midnights."""
    if level not in LEVELS:
        raise ValueError(level)
    cases = Case.objects.filter(court_id=court_id, filed_at__isnull=False)
    if division_id is not None:
        cases = cases.filter(division_id=division_id)
    year_ago, two_years_ago = months_before(end, 12), months_before(end, 24)
    start_year_ago = months_before(start, 12)
    open_at_start = Q(filed_at__lt=start) & (Q(closed_at__isnull=True) | Q(closed_at__gte=start))
    pending_at_end = Q(filed_at__lt=end) & (Q(closed_at__isnull=True) | Q(closed_at__gte=end))
    closed_in = Q(closed_at__gte=start, closed_at__lt=end)
    counts = {
        "new": Count("id", filter=Q(filed_at__gte=start, filed_at__lt=end)),
        "closed": Count("id", filter=closed_in),
        "carried_over": Count("id", filter=open_at_start),
        "pending": Count("id", filter=pending_at_end),
        "closed_with_limit": Count("id", filter=closed_in & Q(trial_limit_due_at__isnull=False)),
        "closed_within_limit": Count(
            "id", filter=closed_in & Q(closed_at__lte=F("trial_limit_due_at"))
        ),
        "pending_over_12": Count("id", filter=pending_at_end & Q(filed_at__lt=year_ago)),
        "pending_over_24": Count("id", filter=pending_at_end & Q(filed_at__lt=two_years_ago)),
        "backlog_at_start": Count("id", filter=open_at_start & Q(filed_at__lt=start_year_ago)),
        "backlog_cleared": Count(
            "id", filter=open_at_start & Q(filed_at__lt=start_year_ago) & closed_in
        ),
    }
    group = LEVELS[level]
    rows: dict[int | None, Metrics] = {}
    if group is None:
        rows[None] = Metrics(**cases.aggregate(**counts))
    else:
        key, name = group
        for values in (
            cases.exclude(**{f"{key}__isnull": True}).values(key, name).annotate(**counts)
        ):
            k = values.pop(key)
            rows[k] = Metrics(key=k, name=values.pop(name) or "", **values)
    key_field = group[0] if group else None

    def row_for(values_key):
        if key_field is None:
            return rows[None]
        return rows.get(values_key)

    # Days to disposition and pending ages in whole local days, net of suspended days.
    closed = list(
        cases.filter(closed_in).values_list(
            "id", "filed_at", "closed_at", *(key_field,) if key_field else ()
        )
    )
    pending = list(
        cases.filter(pending_at_end).values_list(
            "id", "filed_at", *(key_field,) if key_field else ()
        )
    )
    spans = _suspension_days(court_id=court_id, until=end)
    end_day = _local_day(end).toordinal()
    for item in closed:
        case_id, filed, done = item[0], _local_day(item[1]), _local_day(item[2])
        row = row_for(item[3] if key_field else None)
        if row is not None:
            f, k = filed.toordinal(), done.toordinal()
            off = sum(b - a for a, b in suspended_spans(spans.get(case_id, ()), f, k))
            row.disposition_days[max(k - f - off, 0)] += 1
    for item in pending:
        case_id, filed = item[0], _local_day(item[1]).toordinal()
        row = row_for(item[2] if key_field else None)
        if row is not None:
            off = sum(b - a for a, b in suspended_spans(spans.get(case_id, ()), filed, end_day))
            row.pending_age_days[max(end_day - filed - off, 0)] += 1

    hearings = Hearing.objects.filter(
        case__court_id=court_id,
        status=Hearing.Status.HELD,
        starts_at__gte=start,
        starts_at__lt=end,
    )
    if division_id is not None:
        hearings = hearings.filter(case__division_id=division_id)
    hearing_key = f"case__{key_field}" if key_field else None
    held = (
        hearings.values(hearing_key).annotate(
            n=Count("id"), online=Count("id", filter=Q(online=True))
        )
        if hearing_key
        else [hearings.aggregate(n=Count("id"), online=Count("id", filter=Q(online=True)))]
    )
    for values in held:
        row = row_for(values.get(hearing_key) if hearing_key else None)
        if row is not None:
            row.hearings_held, row.hearings_online = values["n"], values["online"]
    return sorted(rows.values(), key=lambda m: (m.name, m.key or 0))


def _suspension_days(*, court_id: int, until: dt.datetime) -> dict[int, list]:
    """The court's suspensions started before ``until`` as local day spans [a, b) per case
    (b None while running). Read in one query: suspensions are few (one query for 86,069
    took 0.64 s, 272 of 5,000 ids 14 s — docs/benchmarks.md, "Statistics exports")."""
    spans: dict[int, list] = defaultdict(list)
    for case_id, start, stop in Suspension.objects.filter(
        case__court_id=court_id, started_at__lt=until
    ).values_list("case_id", "started_at", "ended_at"):
        spans[case_id].append(
            (_local_day(start).toordinal(), None if stop is None else _local_day(stop).toordinal())
        )
    return spans
