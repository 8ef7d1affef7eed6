"""Node statistics (盐城: node data down to the case, the person and the reason).

For the node instances reached (opened) in a period, per node and per court, division,
team or judge: how many were reached, done on time, done late, still open, overdue and
locked now, waived; the prompts (提示) and warnings (预警) given; the median and 90th
percentile time to completion; and from the lock records, locks by sequence (a case's first,
second, third or later lock on this node) and unlocks; and the suspended days: how long the
nodes stood open while their case was suspended (公告, 鉴定, 中止 … — the time the 审限 does
not count), summed over the instances, overlapping suspensions counted once.

The detail export gives one row per node instance — case number, division, team, judge,
node, status, due and completion times, lock and unlock with the unlock's reason — read with
a server-side cursor and streamed, so its memory does not grow with the number of rows.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nodes.models import CaseLock, NodeInstance, SweepAction
from nodes.vocab import Level

LEVEL_KEYS = {
    "court": None,
    "division": ("case__division_id", "case__division__name"),
    "team": ("case__team_id", "case__team__name"),
    "judge": ("case__judge_id", "case__judge__name"),
}


@dataclass
class NodeRow:
    code: str
    name_zh: str = ""
    name_en: str = ""
    level: str = ""
    key: int | None = None
    unit: str = ""
    reached: int = 0
    on_time: int = 0
    late: int = 0
    open: int = 0
    overdue: int = 0
    locked: int = 0
    waived: int = 0
    prompted: int = 0
    warned: int = 0
    locks_first: int = 0
    locks_second: int = 0
    locks_more: int = 0
    unlocks: int = 0
    suspended_seconds: float = 0.0
    hours: list[float] = field(default_factory=list, repr=False)

    @property
    def suspended_days(self) -> Decimal:
        return _round(self.suspended_seconds / 86400)

    @property
    def on_time_rate(self) -> Decimal | None:
        done = self.on_time + self.late
        if not done:
            return None
        return (Decimal(self.on_time) * 100 / done).quantize(Decimal("0.01"), ROUND_HALF_UP)

    @property
    def median_hours(self) -> Decimal | None:
        return _round(statistics.median(self.hours)) if self.hours else None

    @property
    def p90_hours(self) -> Decimal | None:
        return _round(_percentile(self.hours, 0.9)) if self.hours else None


def _round(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _percentile(values: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (PostgreSQL's percentile_cont)."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def node_stats(
    *,
    court_id: int,
    start: dt.datetime,
    end: dt.datetime,
    level: str = "court",
    division_id: int | None = None,
    code: str | None = None,
) -> list[NodeRow]:
    """One row per node (and unit at the chosen level), for instances opened in
    ``start`` ≤ t < ``end``; the nodes that were reached most come first."""
    if level not in LEVEL_KEYS:
        raise ValueError(level)
    instances = NodeInstance.objects.filter(
        court_id=court_id, opened_at__gte=start, opened_at__lt=end
    )
    if division_id is not None:
        instances = instances.filter(case__division_id=division_id)
    if code:
        instances = instances.filter(code=code)
    group = LEVEL_KEYS[level]
    fields = ["code", "definition__name_zh", "definition__name_en"]
    if group:
        fields += list(group)
    done = Q(status="done")
    counts = instances.values(*fields).annotate(
        reached=Count("id"),
        on_time=Count("id", filter=done & Q(completed_late=False)),
        late=Count("id", filter=done & Q(completed_late=True)),
        open_=Count("id", filter=Q(status="open")),
        overdue=Count("id", filter=Q(status="overdue")),
        locked=Count("id", filter=Q(status="locked")),
        waived=Count("id", filter=Q(status__in=["waived", "lapsed"])),
    )
    rows: dict[tuple, NodeRow] = {}
    for v in counts.order_by():
        key = v[group[0]] if group else None
        rows[(v["code"], key)] = NodeRow(
            code=v["code"],
            name_zh=v["definition__name_zh"],
            name_en=v["definition__name_en"],
            level=level,
            key=key,
            unit=(v[group[1]] or "") if group else "",
            reached=v["reached"],
            on_time=v["on_time"],
            late=v["late"],
            open=v["open_"],
            overdue=v["overdue"],
            locked=v["locked"],
            waived=v["waived"],
        )
    # Time to completion, in hours.
    completion = instances.filter(done, completed_at__isnull=False).values_list(
        "code", *([group[0]] if group else []), "opened_at", "completed_at"
    )
    for item in completion.order_by().iterator(chunk_size=5000):
        key = item[1] if group else None
        row = rows.get((item[0], key))
        if row is not None:
            row.hours.append(max((item[-1] - item[-2]).total_seconds(), 0) / 3600)
    # Prompts and warnings from the sweep's record (an unlock starts a new round of them,
    # so the instance's own columns hold only the latest).
    action_fields = ["instance__code", *([f"instance__{group[0]}"] if group else [])]
    actions = (
        SweepAction.objects.filter(
            instance__in=instances, kind__in=[SweepAction.Kind.PROMPT, SweepAction.Kind.WARNING]
        )
        .values(*action_fields)
        .annotate(
            prompts=Count("id", filter=Q(kind=SweepAction.Kind.PROMPT)),
            warnings=Count("id", filter=Q(kind=SweepAction.Kind.WARNING)),
        )
        .order_by()
    )
    for v in actions:
        row = rows.get((v["instance__code"], v[f"instance__{group[0]}"] if group else None))
        if row is not None:
            row.prompted, row.warned = v["prompts"], v["warnings"]
    # Locks by sequence and unlocks, for locks on these instances.
    lock_fields = ["node__code", *([f"node__{group[0]}"] if group else []), "sequence"]
    locks = (
        CaseLock.objects.filter(node__in=instances)
        .values(*lock_fields)
        .annotate(n=Count("id"), unlocked=Count("id", filter=Q(unlocked_at__isnull=False)))
        .order_by()
    )
    for v in locks:
        key = v[f"node__{group[0]}"] if group else None
        row = rows.get((v["node__code"], key))
        if row is None:
            continue
        if v["sequence"] == 1:
            row.locks_first += v["n"]
        elif v["sequence"] == 2:
            row.locks_second += v["n"]
        else:
            row.locks_more += v["n"]
        row.unlocks += v["unlocked"]
    _add_suspended(rows, instances, group, court_id=court_id)
    return sorted(rows.values(), key=lambda r: (-r.reached, r.code, r.unit))


def _add_suspended(rows: dict, instances, group, *, court_id: int) -> None:
    """Add to each row the time its instances stood open while their case was suspended.
    Suspensions are few (6% of cases in the benchmark's data): the court's are read in one
    query, and only the instances of suspended cases are read."""
    from cases.models import Suspension

    now = timezone.now()
    spans: dict[int, list[tuple[dt.datetime, dt.datetime]]] = {}
    for case_id, started, ended in Suspension.objects.filter(case__court_id=court_id).values_list(
        "case_id", "started_at", "ended_at"
    ):
        spans.setdefault(case_id, []).append((started, ended or now))
    if not spans:
        return
    merged = {case_id: _merge(intervals) for case_id, intervals in spans.items()}
    suspended = instances.filter(
        case_id__in=Suspension.objects.filter(case__court_id=court_id).values("case_id")
    )
    for code, *key, case_id, opened, closed in (
        suspended.order_by()
        .values_list("code", *([group[0]] if group else []), "case_id", "opened_at", "completed_at")
        .iterator(chunk_size=5000)
    ):
        row = rows.get((code, key[0] if key else None))
        if row is None:
            continue
        until = closed or now
        for started, ended in merged.get(case_id, ()):
            overlap = (min(ended, until) - max(started, opened)).total_seconds()
            if overlap > 0:
                row.suspended_seconds += overlap


def _merge(
    intervals: list[tuple[dt.datetime, dt.datetime]],
) -> list[tuple[dt.datetime, dt.datetime]]:
    merged: list[list[dt.datetime]] = []
    for started, ended in sorted(intervals):
        if merged and started <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], ended)
        else:
            merged.append([started, ended])
    return [(a, b) for a, b in merged]


NODE_STATS_COLUMNS = [
    ("reached", gettext_lazy("Reached")),
    ("on_time", gettext_lazy("Done on time")),
    ("late", gettext_lazy("Done late")),
    ("on_time_rate", gettext_lazy("On time %")),
    ("open", gettext_lazy("Open")),
    ("overdue", gettext_lazy("Overdue")),
    ("locked", gettext_lazy("Locked")),
    ("waived", gettext_lazy("Waived or lapsed")),
    ("prompted", gettext_lazy("Prompts (提示)")),
    ("warned", gettext_lazy("Warnings (预警)")),
    ("median_hours", gettext_lazy("Median hours to completion")),
    ("p90_hours", gettext_lazy("90th percentile hours")),
    ("locks_first", gettext_lazy("First locks")),
    ("locks_second", gettext_lazy("Second locks")),
    ("locks_more", gettext_lazy("Third or later locks")),
    ("unlocks", gettext_lazy("Unlocks")),
    ("suspended_days", gettext_lazy("Days open while the case was suspended")),
]


# --- the detail export ----------------------------------------------------------------------

DETAIL_FIELDS = [
    "case__number",
    "case__division__name",
    "case__team__name",
    "case__judge__name",
    "code",
    "definition__name_zh",
    "level",
    "status",
    "opened_at",
    "due_at",
    "completed_at",
    "completed_late",
    "waived_reason",
]


def node_instances_detail(
    *,
    court_id: int,
    start: dt.datetime,
    end: dt.datetime,
    division_id: int | None = None,
    code: str | None = None,
    chunk_size: int = 10_000,
) -> Iterator[tuple]:
    """One tuple per node instance opened in the period, in id order, with the case's lock
    on it and the unlock's reason (the latest lock when there were several): read with a
    server-side cursor (PostgreSQL) in chunks, no model objects built."""
    instances = NodeInstance.objects.filter(
        court_id=court_id, opened_at__gte=start, opened_at__lt=end
    )
    if division_id is not None:
        instances = instances.filter(case__division_id=division_id)
    if code:
        instances = instances.filter(code=code)
    tz = timezone.get_current_timezone()

    def local(value):
        return value.astimezone(tz).strftime("%Y-%m-%d %H:%M") if value else ""

    statuses = {k: str(v) for k, v in NodeInstance.Status.choices}
    levels = {k: str(v) for k, v in Level.choices}
    yes = str(_("yes"))
    rows = instances.order_by("id").values_list("id", *DETAIL_FIELDS)
    pending: list[tuple] = []

    def flush(batch: list[tuple]) -> Iterator[tuple]:
        ids = [r[0] for r in batch]
        locks = {}
        for node_id, sequence, locked_at, unlocked_at, reason in (
            CaseLock.objects.filter(node_id__in=ids)
            .order_by("node_id", "sequence")
            .values_list("node_id", "sequence", "locked_at", "unlocked_at", "unlock_reason")
        ):
            locks[node_id] = (sequence, locked_at, unlocked_at, reason)
        for r in batch:
            lock = locks.get(r[0])
            yield (
                *r[1:7],
                levels.get(r[7], r[7]),
                statuses.get(r[8], r[8]),
                local(r[9]),
                local(r[10]),
                local(r[11]),
                yes if r[12] else "",
                r[13],
                lock[0] if lock else "",
                local(lock[1]) if lock else "",
                local(lock[2]) if lock else "",
                lock[3] if lock else "",
            )

    for row in rows.iterator(chunk_size=chunk_size):
        pending.append(row)
        if len(pending) >= chunk_size:
            yield from flush(pending)
            pending = []
    if pending:
        yield from flush(pending)


DETAIL_HEADER = [
    gettext_lazy("Case number"),
    gettext_lazy("Division"),
    gettext_lazy("Team"),
    gettext_lazy("Judge"),
    gettext_lazy("Node code"),
    gettext_lazy("Node"),
    gettext_lazy("Level"),
    gettext_lazy("Status"),
    gettext_lazy("Opened"),
    gettext_lazy("Due"),
    gettext_lazy("Completed"),
    gettext_lazy("Completed late"),
    gettext_lazy("Why it no longer applies"),
    gettext_lazy("Lock"),
    gettext_lazy("Locked at"),
    gettext_lazy("Unlocked at"),
    gettext_lazy("Reason for the unlock"),
]


def _detail_sql(
    *,
    court_id: int,
    start: dt.datetime,
    end: dt.datetime,
    division_id: int | None,
    code: str | None,
    neutralise: bool,
) -> tuple[str, dict]:
    """The detail rows in one PostgreSQL statement: the joins, the node's latest lock, the
    times formatted in the court's zone, the codes labelled and (``neutralise``) a text a
    spreadsheet would run as a formula given its apostrophe — the same values
    ``node_instances_detail`` builds in Python, without a Python step per cell."""
    from django.conf import settings

    params: dict = {
        "yes": str(_("yes")),
        "tz": settings.TIME_ZONE,
        "court_id": court_id,
        "start": start,
        "end": end,
    }

    def label(column: str, choices, prefix: str) -> str:
        whens = []
        for i, (value, text) in enumerate(choices):
            params[f"{prefix}{i}"], params[f"{prefix}v{i}"] = value, str(text)
            whens.append(f"WHEN %({prefix}{i})s THEN %({prefix}v{i})s")
        return f"CASE {column} {' '.join(whens)} ELSE {column} END"

    def local(column: str) -> str:
        return f"to_char({column} AT TIME ZONE %(tz)s, 'YYYY-MM-DD HH24:MI')"

    def text(column: str) -> str:
        if not neutralise:
            return column
        return (
            f"CASE WHEN left({column}, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) "
            f"THEN '''' || {column} ELSE {column} END"
        )

    where = ["n.court_id = %(court_id)s", "n.opened_at >= %(start)s", "n.opened_at < %(end)s"]
    if division_id is not None:
        params["division_id"] = division_id
        where.append("c.division_id = %(division_id)s")
    if code:
        params["code"] = code
        where.append("n.code = %(code)s")
    levels = label("n.level", Level.choices, "l")
    statuses = label("n.status", NodeInstance.Status.choices, "s")
    sql = f"""
        SELECT {text("c.number")}, {text("d.name")}, {text("tm.name")}, {text("p.name")},
               {text("n.code")}, {text("nd.name_zh")}, {levels}, {statuses},
               {local("n.opened_at")}, {local("n.due_at")}, {local("n.completed_at")},
               CASE WHEN n.completed_late THEN %(yes)s END, {text("n.waived_reason")},
               k.sequence, {local("k.locked_at")}, {local("k.unlocked_at")},
               {text("k.unlock_reason")}
        FROM nodes_nodeinstance n
        JOIN cases_case c ON c.id = n.case_id
        JOIN teams_division d ON d.id = c.division_id
        LEFT JOIN teams_team tm ON tm.id = c.team_id
        LEFT JOIN teams_person p ON p.id = c.judge_id
        JOIN nodes_nodedefinition nd ON nd.id = n.definition_id
        LEFT JOIN (SELECT DISTINCT ON (node_id) node_id, sequence, locked_at, unlocked_at,
                          unlock_reason
                   FROM nodes_caselock WHERE court_id = %(court_id)s
                   ORDER BY node_id, sequence DESC) k ON k.node_id = n.id
        WHERE {" AND ".join(where)}
        ORDER BY n.id"""
    return sql, params


def node_instances_batches(
    *,
    court_id: int,
    start: dt.datetime,
    end: dt.datetime,
    division_id: int | None = None,
    code: str | None = None,
    neutralise: bool = True,
    batch: int = 10_000,
) -> Iterator[list]:
    """The detail rows in lists of ``batch``, ready to write: on PostgreSQL from one
    statement read through a server-side cursor inside a transaction (so rows stream as
    PostgreSQL produces them instead of waiting for a WITH HOLD cursor to materialise);
    elsewhere from ``node_instances_detail``. ``neutralise`` for CSV (not for XLSX, whose
    text cells are never formulas)."""
    from django.db import connection, transaction

    if connection.vendor == "postgresql":
        sql, params = _detail_sql(
            court_id=court_id,
            start=start,
            end=end,
            division_id=division_id,
            code=code,
            neutralise=neutralise,
        )
        with transaction.atomic(), connection.chunked_cursor() as cursor:
            cursor.execute(sql, params)
            while rows := cursor.fetchmany(batch):
                yield rows
        return
    from courtflow.exports import safe_cell

    pending: list = []
    for row in node_instances_detail(
        court_id=court_id, start=start, end=end, division_id=division_id, code=code
    ):
        if neutralise:
            row = tuple(v if v is None or isinstance(v, int) else safe_cell(v) for v in row)
        pending.append(row)
        if len(pending) == batch:
            yield pending
            pending = []
    if pending:
        yield pending
