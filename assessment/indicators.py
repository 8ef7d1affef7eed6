"""Assessment indicators per court, division, team and person (海淀's four levels), in 丰台's
four categories, with the quota bonus and penalty and 西城's 速裁 rule.

Scoring. An indicator with value v, target T and full points P scores
  higher is better: P × min(1, v ÷ T)            (P when T is 0)
  lower is better:  P × min(1, (T + 1) ÷ (v + 1))  (so a target of 0 cases still scores)
An indicator with no value for a unit (no cases, no hearings) is left out of both the score
and the maximum. The unit's result is its score ÷ maximum, as a percentage, plus the quota
bonus or penalty (points per 10% over or under the weighted quota, capped either way). Units
are shown in bands — good (≥ 90), fair (≥ 75), needs attention — unless the court has
turned ranking on.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Count, Q

from assessment.models import AssessmentSetting, Indicator

# code, name_zh, name_en, category, measure, higher is better, target, points
DEFAULT_INDICATORS = [
    (
        "quota",
        "任务指标完成率",
        "Quota met (weighted)",
        "quantity",
        "quota_progress",
        True,
        "100",
        "20",
    ),
    ("closed_to_new", "结收比", "Closed ÷ new", "quantity", "closed_to_new", True, "100", "10"),
    (
        "within_limit",
        "审限内结案率",
        "Closed within the 审限",
        "efficiency",
        "within_limit_rate",
        True,
        "98",
        "10",
    ),
    (
        "pending_12",
        "超12个月未结案件",
        "Pending over 12 months",
        "efficiency",
        "pending_over_12",
        False,
        "0",
        "10",
    ),
    (
        "pending_24",
        "超24个月未结案件",
        "Pending over 24 months",
        "efficiency",
        "pending_over_24",
        False,
        "0",
        "5",
    ),
    (
        "median_days",
        "审理天数中位数",
        "Median days to disposition",
        "efficiency",
        "median_days",
        False,
        "60",
        "5",
    ),
    ("backlog", "清积率", "Backlog cleared", "efficiency", "backlog_clearance", True, "50", "5"),
    (
        "reversal",
        "发改率",
        "Changed or sent back on appeal",
        "quality",
        "reversal_rate",
        False,
        "2",
        "15",
    ),
    (
        "online_on_time",
        "裁判文书按期上网率",
        "Judgments online on time",
        "effect",
        "judgments_online_on_time",
        True,
        "95",
        "10",
    ),
    ("streamed", "庭审直播率", "Hearings streamed", "effect", "hearings_streamed", True, "30", "5"),
    (
        "online_hearings",
        "在线庭审率",
        "Hearings held online",
        "effect",
        "online_hearing_rate",
        True,
        "50",
        "5",
    ),
]

LEVEL_KEYS = {
    "court": None,
    "division": "division_id",
    "team": "team_id",
    "judge": "judge_id",
}


@transaction.atomic
def indicators_default(court_id: int) -> list[Indicator]:
    """The default set for a court that has none (idempotent)."""
    existing = set(Indicator.objects.filter(court_id=court_id).values_list("code", flat=True))
    made = [
        Indicator(
            court_id=court_id,
            code=code,
            name_zh=zh,
            name_en=en,
            category=category,
            measure=measure,
            higher_is_better=higher,
            target=Decimal(target),
            points=Decimal(points),
        )
        for code, zh, en, category, measure, higher, target, points in DEFAULT_INDICATORS
        if code not in existing
    ]
    Indicator.objects.bulk_create(made)
    return list(Indicator.objects.filter(court_id=court_id, is_active=True).order_by("id"))


def score(indicator: Indicator, value: Decimal | int | None) -> Decimal | None:
    if value is None:
        return None
    value, target, points = Decimal(value), indicator.target, indicator.points
    if indicator.higher_is_better:
        share = Decimal(1) if target == 0 else min(Decimal(1), value / target)
    else:
        share = min(Decimal(1), (target + 1) / (value + 1))
    return (points * max(share, Decimal(0))).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass
class UnitResult:
    key: int | None
    name: str
    values: dict[str, Decimal | int | None] = field(default_factory=dict)
    scores: dict[str, Decimal | None] = field(default_factory=dict)
    earned: Decimal = Decimal(0)
    maximum: Decimal = Decimal(0)
    quota_adjustment: Decimal = Decimal(0)
    excellent_rule: bool = False
    bonus_share: Decimal | None = None
    rank: int | None = None

    @property
    def percent(self) -> Decimal | None:
        if not self.maximum:
            return None
        return (self.earned * 100 / self.maximum + self.quota_adjustment).quantize(
            Decimal("0.1"), ROUND_HALF_UP
        )

    @property
    def band(self) -> str:
        if self.excellent_rule:
            return "excellent"
        p = self.percent
        if p is None:
            return ""
        return "good" if p >= 90 else "fair" if p >= 75 else "attention"


def _rate(numerator: int, denominator: int) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / denominator).quantize(Decimal("0.01"), ROUND_HALF_UP)


def indicator_results(
    *, court_id: int, start: dt.date, end: dt.date, level: str = "team"
) -> tuple[list[Indicator], list[UnitResult], AssessmentSetting]:
    """Every unit of the level with its indicator values, scores and band (or rank)."""
    from assessment.apis import period_bounds
    from assessment.metrics import court_metrics
    from assessment.models import Reversal
    from assessment.node_stats import node_stats
    from assessment.services import quota_progress
    from cases.lifecycle import Family
    from cases.models import Case, Hearing
    from teams.models import TeamType

    if level not in LEVEL_KEYS:
        raise ValueError(level)
    indicators = indicators_default(court_id)
    setting, _created = AssessmentSetting.objects.get_or_create(court_id=court_id)
    begin, finish = period_bounds(start, end)
    key = LEVEL_KEYS[level]
    units: dict[int | None, UnitResult] = {}
    for m in court_metrics(court_id=court_id, start=begin, end=finish, level=level):
        unit = units.setdefault(m.key, UnitResult(key=m.key, name=m.name))
        for measure in (
            "closed",
            "closure_rate",
            "closed_to_new",
            "within_limit_rate",
            "pending_over_12",
            "pending_over_24",
            "backlog_clearance",
            "median_days",
            "online_hearing_rate",
        ):
            unit.values[measure] = getattr(m, measure)
    # Judgments online on time (the PUB-JUDG-ONLINE node).
    for row in node_stats(
        court_id=court_id, start=begin, end=finish, level=level, code="PUB-JUDG-ONLINE"
    ):
        if row.key in units:
            units[row.key].values["judgments_online_on_time"] = row.on_time_rate
    # Hearings streamed, and 发改 over first-instance closures.
    case_key = f"case__{key}" if key else None
    held = Hearing.objects.filter(
        case__court_id=court_id, status="held", starts_at__gte=begin, starts_at__lt=finish
    )
    for values in (
        held.values(case_key).annotate(n=Count("id"), s=Count("id", filter=Q(stream=True)))
        if case_key
        else [held.aggregate(n=Count("id"), s=Count("id", filter=Q(stream=True)))]
    ):
        unit = units.get(values.get(case_key) if case_key else None)
        if unit is not None:
            unit.values["hearings_streamed"] = _rate(values["s"], values["n"])
    reversals = Reversal.objects.filter(
        court_id=court_id, decided_on__gte=start, decided_on__lte=end
    )
    changed = (
        dict(reversals.values_list(f"case__{key}").annotate(n=Count("id")).order_by())
        if key
        else {None: reversals.count()}
    )
    first_instance = Case.objects.filter(
        court_id=court_id,
        family__in=[Family.FIRST_INSTANCE, Family.CRIMINAL],
        closed_at__gte=begin,
        closed_at__lt=finish,
    )
    closed_first = (
        dict(first_instance.values_list(key).annotate(n=Count("id")).order_by())
        if key
        else {None: first_instance.count()}
    )
    for unit_key, unit in units.items():
        if closed_first.get(unit_key):
            unit.values["reversal_rate"] = _rate(changed.get(unit_key, 0), closed_first[unit_key])
    # The weighted quota (teams; divisions and the court as sums; persons take their team's).
    quota_rows = quota_progress(court_id=court_id, start=start, end=end)
    targets: dict[int | None, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    speedy_met: set[int] = set()
    for r in quota_rows:
        if r.target is None:
            continue
        group = {"court": None, "division": r.team.division_id, "team": r.team.pk}.get(level)
        if level == "judge":
            continue
        targets[group][0] += r.weighted
        targets[group][1] += r.target
        if r.team.team_type.kind == TeamType.Kind.SPEEDY and r.progress and r.progress >= 100:
            speedy_met.add(r.team.pk)
    for unit_key, (weighted, target) in targets.items():
        if unit_key in units and target:
            units[unit_key].values["quota_progress"] = (weighted * 100 / target).quantize(
                Decimal("0.1"), ROUND_HALF_UP
            )
    # Scores, the quota bonus or penalty, and the 速裁 rule.
    for unit in units.values():
        for indicator in indicators:
            s = score(indicator, unit.values.get(indicator.measure))
            unit.scores[indicator.code] = s
            if s is not None:
                unit.earned += s
                unit.maximum += indicator.points
        progress = unit.values.get("quota_progress")
        if progress is not None:
            tenths = int((Decimal(progress) - 100) / 10)
            per = setting.over_quota_points if tenths > 0 else setting.under_quota_points
            unit.quota_adjustment = max(
                -setting.quota_points_cap, min(setting.quota_points_cap, per * tenths)
            )
        if setting.speedy_rule and level == "team" and unit.key in speedy_met:
            unit.excellent_rule = True
            unit.bonus_share = setting.speedy_bonus_share
    results = sorted(units.values(), key=lambda u: (u.name or "", u.key or 0))
    if setting.ranking_enabled:
        ranked = sorted((u for u in results if u.percent is not None), key=lambda u: -u.percent)
        for position, unit in enumerate(ranked, start=1):
            same = position > 1 and ranked[position - 2].percent == unit.percent
            unit.rank = ranked[position - 2].rank if same else position  # 1, 2, 2, 4
    return indicators, results, setting
