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
* Time to disposition: filing to closure in days, net of the days the 审限 stood suspended
  (公告, 鉴定, 中止 …), mean and median over the period's closed cases.
* Age of the active pending caseload (CourTools measure 4): days from filing to the period's
  end of the cases pending then, median and mean, net of suspensions likewise.
* Online hearing rate: hearings held online ÷ hearings held in the period.

Rates are percentages with two decimals, half up, or None where the denominator is zero.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q
from django.utils import timezone

from cases.models import Case, Hearing, Suspension

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
    days_to_disposition: list[float] = field(default_factory=list, repr=False)
    pending_ages: list[float] = field(default_factory=list, repr=False)

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
        return _days(
            statistics.fmean(self.days_to_disposition) if self.days_to_disposition else None
        )

    @property
    def median_days(self) -> Decimal | None:
        return _days(
            statistics.median(self.days_to_disposition) if self.days_to_disposition else None
        )

    @property
    def pending_median_age(self) -> Decimal | None:
        return _days(statistics.median(self.pending_ages) if self.pending_ages else None)

    @property
    def pending_mean_age(self) -> Decimal | None:
        return _days(statistics.fmean(self.pending_ages) if self.pending_ages else None)

    def as_dict(self) -> dict:
        data = asdict(self)
        del data["days_to_disposition"], data["pending_ages"]
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


def _days(value: float | None) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _suspended_seconds(
    case_ids: list[int], until: dt.datetime, *, court_id: int
) -> dict[int, float]:
    """Seconds each case's 审限 stood suspended up to ``until`` (overlaps counted once).
    Suspensions are few: the court's are read in one query and kept for the cases asked
    (272 queries of 5,000 ids took 14 s for 1.36M cases; one for the court's 86,069
    suspensions 0.64 s — docs/benchmarks.md, "Statistics exports")."""
    wanted = set(case_ids)
    spans: dict[int, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    for case_id, start, end in Suspension.objects.filter(
        case__court_id=court_id, started_at__lt=until
    ).values_list("case_id", "started_at", "ended_at"):
        if case_id in wanted:
            spans[case_id].append((start, min(end or until, until)))
    total: dict[int, float] = {}
    for case_id, intervals in spans.items():
        intervals.sort()
        seconds, cur_start, cur_end = 0.0, None, None
        for start, end in intervals:
            if cur_end is None or start > cur_end:
                if cur_end is not None:
                    seconds += (cur_end - cur_start).total_seconds()
                cur_start, cur_end = start, end
            else:
                cur_end = max(cur_end, end)
        if cur_end is not None:
            seconds += (cur_end - cur_start).total_seconds()
        total[case_id] = seconds
    return total


def court_metrics(
    *,
    court_id: int,
    start: dt.datetime,
    end: dt.datetime,
    level: str = "court",
    division_id: int | None = None,
) -> list[Metrics]:
    """The metrics of a court (or one division of it) for ``start`` ≤ t < ``end``, one row
    for the whole (``level="court"``) or one per division, team or judge, named."""
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

    # Time to disposition and pending ages, net of suspensions.
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
    suspended = _suspended_seconds(
        [c[0] for c in closed] + [p[0] for p in pending], end, court_id=court_id
    )
    for item in closed:
        case_id, filed, done = item[0], item[1], item[2]
        row = row_for(item[3] if key_field else None)
        if row is not None:
            seconds = (done - filed).total_seconds() - suspended.get(case_id, 0.0)
            row.days_to_disposition.append(max(seconds, 0.0) / 86400)
    for item in pending:
        case_id, filed = item[0], item[1]
        row = row_for(item[2] if key_field else None)
        if row is not None:
            seconds = (end - filed).total_seconds() - suspended.get(case_id, 0.0)
            row.pending_ages.append(max(seconds, 0.0) / 86400)

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
    ordered = sorted(rows.values(), key=lambda m: (m.name, m.key or 0))
    return ordered
