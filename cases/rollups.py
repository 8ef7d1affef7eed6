"""Court-metrics rollups: compressed facts from which ``assessment.metrics.court_metrics``
answers any period bounded by local midnights without reading the cases.

Each case contributes, at the court level and at its division, team and judge:
* one ``MetricsFlow`` row (filed day, closing day, 审限 outcome, suspended or not, net days
  to disposition) once filed;
* ``MetricsAgeSegment`` rows if a suspension covered part of its life (its net age as a
  piecewise function of the period's end);
* ``MetricsHearings`` per local day with a hearing held.

What a case last contributed is kept in ``MetricsCaseFacts``. ``rollup_refresh(ids)`` reads
the cases' raw rows again, subtracts the stored facts and adds the new ones with set-based
upserts (``count = count + EXCLUDED.count``, the same SQL on PostgreSQL and SQLite). It is
idempotent, so every service that changes a fact a metric uses calls it at its end, inside
its transaction, on the case it changed (the case row is locked by then): registration and
docketing, the bulk import, the events that close a case, assignment and reassignment,
suspensions starting and ending, hearings held or adjourned, and the approvals (extensions
change the 审限). The deadline sweep changes none of these facts (it writes node instances
and ``Case.locked``/``lock_count`` only), so it does not call it. Writes that bypass the
services (SQL, the benchmark's generator, tests updating rows) are followed by
``rollup_rebuild`` (``manage.py metrics_rebuild``).

Durations are whole local days (docs/statistics.md, "Court-metrics rollups"): a case filed
on day f and closed on day k took ``k - f`` days; a suspension from day a to day b (its end's
day, or still running) covers days a … b - 1.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from cases.models import METRICS_FLOW_KEY, METRICS_HEARINGS_KEY, METRICS_SEGMENT_KEY

OPEN = dt.date(9999, 12, 31)
OPEN_ORD = OPEN.toordinal()
COURT, DIVISION, TEAM, JUDGE = 0, 1, 2, 3
LIMIT_NONE, LIMIT_WITHIN, LIMIT_OVER = 0, 1, 2

FLOW_KEY, SEGMENT_KEY, HEARING_KEY = METRICS_FLOW_KEY, METRICS_SEGMENT_KEY, METRICS_HEARINGS_KEY


def local_day(moment: dt.datetime) -> dt.date:
    """The day of ``moment`` in the court's time zone (the project's TIME_ZONE)."""
    return moment.astimezone(timezone.get_default_timezone()).date()


@dataclass(frozen=True)
class CaseFacts:
    """What the metrics know of one case; days are ordinals of local dates."""

    court: int
    division: int | None
    team: int | None
    judge: int | None
    filed: int | None
    closed: int | None
    limit_state: int
    suspensions: tuple[tuple[int, int | None], ...]  # raw day spans [a, b), b None: running
    hearings: tuple[tuple[int, int, int], ...]  # (day, held, online)

    def dumps(self) -> str:
        return json.dumps(
            [
                self.court,
                self.division,
                self.team,
                self.judge,
                self.filed,
                self.closed,
                self.limit_state,
                self.suspensions,
                self.hearings,
            ],
            separators=(",", ":"),
        )

    @classmethod
    def loads(cls, text: str) -> CaseFacts:
        c, d, t, j, f, k, lim, susp, hear = json.loads(text)
        return cls(
            c, d, t, j, f, k, lim, tuple(tuple(s) for s in susp), tuple(tuple(h) for h in hear)
        )


def suspended_spans(
    spans: Iterable[tuple[int, int | None]], lo: int, hi: int | None
) -> list[tuple[int, int | None]]:
    """The day spans clipped to [lo, hi) (hi None: no end), merged; empty ones dropped."""
    clipped = []
    for a, b in spans:
        a = max(a, lo)
        if b is not None and hi is not None:
            b = min(b, hi)
        elif b is None and hi is not None:
            b = hi
        if b is None or b > a:
            clipped.append((a, b))
    clipped.sort(key=lambda s: s[0])
    merged: list[tuple[int, int | None]] = []
    for a, b in clipped:
        if merged and (merged[-1][1] is None or a <= merged[-1][1]):
            last_a, last_b = merged[-1]
            end = None if last_b is None or b is None else max(last_b, b)
            merged[-1] = (last_a, end)
        else:
            merged.append((a, b))
    return merged


def _units(f: CaseFacts) -> list[tuple[int, int, int]]:
    """(level, division_id, unit_id) of every unit the case counts in."""
    units = [(COURT, 0, 0)]
    division = f.division or 0
    if f.division:
        units.append((DIVISION, division, division))
    if f.team:
        units.append((TEAM, division, f.team))
    if f.judge:
        units.append((JUDGE, division, f.judge))
    return units


def contributions(f: CaseFacts) -> tuple[Counter, Counter, Counter]:
    """The rows (key → count) one case adds to each rollup; hearing keys end with 0 for the
    hearings held and 1 for those held online."""
    flow: Counter = Counter()
    segments: Counter = Counter()
    hearings: Counter = Counter()
    units = _units(f)
    if f.filed is not None:
        end = f.closed  # None while open
        spans = suspended_spans(f.suspensions, f.filed, end)
        net = 0
        if end is not None:
            gross = end - f.filed
            net = max(gross - sum(b - a for a, b in spans), 0)  # b is set: clipped to end
        closed = end if end is not None else OPEN_ORD
        state = f.limit_state if end is not None else LIMIT_NONE
        pieces = _segments(f.filed, end, spans) if spans else []
        for level, division, unit in units:
            flow[(f.court, level, unit, division, f.filed, closed, state, bool(spans), net)] += 1
            for seg in pieces:
                segments[(f.court, level, unit, division, *seg)] += 1
    for day, held, online in f.hearings:
        for level, division, unit in units:
            hearings[(f.court, level, unit, division, day, 0)] += held
            hearings[(f.court, level, unit, division, day, 1)] += online
    return flow, segments, hearings


def _segments(
    filed: int, closed: int | None, spans: list[tuple[int, int | None]]
) -> list[tuple[int, int, bool, int]]:
    """(seg_from, seg_to, frozen, value) pieces of the case's life [filed, closed)."""
    out = []
    pos, net = filed, 0
    stop = closed if closed is not None else OPEN_ORD
    for a, b in spans:
        if a > pos:
            out.append((pos, a, False, pos - net))  # age at E = E - (pos - net)
            net += a - pos
        b = b if b is not None else stop
        out.append((a, b, True, net))
        pos = b
    if pos < stop:
        out.append((pos, stop, False, pos - net))
    return out


# --- reading the raw rows -----------------------------------------------------------------


def facts_read(case_ids: Iterable[int]) -> dict[int, CaseFacts]:
    """{case id: CaseFacts} of these cases, from their raw rows."""
    from cases.models import Case, Hearing, Suspension

    ids = list(case_ids)
    return _facts(
        Case.objects.filter(pk__in=ids),
        Suspension.objects.filter(case_id__in=ids),
        Hearing.objects.filter(case_id__in=ids),
    )


def facts_of_court(court_id: int, chunk: int = 50_000):
    """Every case of a court as (id, CaseFacts), read a range of ids at a time."""
    from cases.models import Case, Hearing, Suspension

    ids = Case.objects.filter(court_id=court_id).order_by("id").values_list("id", flat=True)
    last = 0
    while True:
        bounds = list(ids.filter(id__gt=last)[:chunk])
        if not bounds:
            return
        lo, hi = bounds[0], bounds[-1]
        span = {"case_id__gte": lo, "case_id__lte": hi, "case__court_id": court_id}
        yield from _facts(
            Case.objects.filter(court_id=court_id, id__gte=lo, id__lte=hi),
            Suspension.objects.filter(**span),
            Hearing.objects.filter(**span),
        ).items()
        last = hi


def _facts(cases, suspensions, hearings) -> dict[int, CaseFacts]:
    from cases.models import Hearing

    zone = timezone.get_default_timezone()

    def day(moment: dt.datetime | None) -> int | None:
        return None if moment is None else moment.astimezone(zone).date().toordinal()

    spans: dict[int, list] = defaultdict(list)
    for case_id, start, end in suspensions.values_list("case_id", "started_at", "ended_at"):
        spans[case_id].append((day(start), day(end)))
    held: dict[int, dict[int, list[int]]] = defaultdict(dict)
    for case_id, starts, online in hearings.filter(status=Hearing.Status.HELD).values_list(
        "case_id", "starts_at", "online"
    ):
        entry = held[case_id].setdefault(day(starts), [0, 0])
        entry[0] += 1
        entry[1] += bool(online)
    out = {}
    for pk, court, division, team, judge, filed, closed, due in cases.values_list(
        "id",
        "court_id",
        "division_id",
        "team_id",
        "judge_id",
        "filed_at",
        "closed_at",
        "trial_limit_due_at",
    ):
        if closed is None or filed is None or due is None:
            state = LIMIT_NONE
        else:
            state = LIMIT_WITHIN if closed <= due else LIMIT_OVER
        days = held.get(pk, {})
        out[pk] = CaseFacts(
            court,
            division,
            team,
            judge,
            day(filed),
            day(closed) if filed is not None else None,
            state,
            tuple(sorted(spans.get(pk, ()), key=lambda s: (s[0], s[1] is None, s[1] or 0))),
            tuple((d, h, o) for d, (h, o) in sorted(days.items())),
        )
    return out


# --- writing -------------------------------------------------------------------------------


def _upsert(table: str, key: tuple[str, ...], values: tuple[str, ...], rows: list) -> None:
    """Add ``rows`` (key + values) to ``table``: new keys inserted, existing ones summed."""
    if not rows:
        return
    cols = ", ".join((*key, *values))
    update = ", ".join(f"{v} = {table}.{v} + EXCLUDED.{v}" for v in values)
    width = len(key) + len(values)
    per = max(1, (60_000 if connection.vendor == "postgresql" else 900) // width)
    with connection.cursor() as cur:
        for start in range(0, len(rows), per):
            chunk = rows[start : start + per]
            marks = ", ".join(["(" + ", ".join(["%s"] * width) + ")"] * len(chunk))
            cur.execute(
                f"INSERT INTO {table} ({cols}) VALUES {marks} "
                f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {update}",
                [v for row in chunk for v in row],
            )


def _as_date(ordinal: int) -> dt.date:
    return dt.date.fromordinal(ordinal)


def _flow_rows(counter: Counter) -> list:
    return [
        (c, lv, u, d, _as_date(f), _as_date(k), s, susp, net, n)
        for (c, lv, u, d, f, k, s, susp, net), n in counter.items()
        if n
    ]


def _segment_rows(counter: Counter) -> list:
    return [
        (c, lv, u, d, _as_date(a), _as_date(b), frozen, value, n)
        for (c, lv, u, d, a, b, frozen, value), n in counter.items()
        if n
    ]


def _hearing_rows(counter: Counter) -> list:
    merged: dict[tuple, list[int]] = {}
    for (c, lv, u, d, day, kind), n in counter.items():
        merged.setdefault((c, lv, u, d, day), [0, 0])[kind] += n
    return [
        (c, lv, u, d, _as_date(day), held, online)
        for (c, lv, u, d, day), (held, online) in merged.items()
        if held or online
    ]


def _apply(changes: Iterable[tuple[CaseFacts | None, CaseFacts | None]]) -> None:
    flow: Counter = Counter()
    segments: Counter = Counter()
    hearings: Counter = Counter()
    for old, new in changes:
        for facts, sign in ((old, -1), (new, 1)):
            if facts is None:
                continue
            f, s, h = contributions(facts)
            for target, part in ((flow, f), (segments, s), (hearings, h)):
                for key, n in part.items():
                    target[key] += sign * n
    _upsert("cases_metricsflow", FLOW_KEY, ("n",), _flow_rows(flow))
    _upsert("cases_metricsagesegment", SEGMENT_KEY, ("n",), _segment_rows(segments))
    _upsert("cases_metricshearings", HEARING_KEY, ("held", "online"), _hearing_rows(hearings))


def rollup_refresh(case_ids: Iterable[int]) -> None:
    """Bring the rollups in step with these cases' raw rows (idempotent). Call it inside the
    transaction that changed them, after the change."""
    ids = sorted(set(case_ids))
    with transaction.atomic():
        for start in range(0, len(ids), 5000):  # bounded IN lists (SQLite's variable limit)
            _refresh(ids[start : start + 5000])


def _refresh(ids: list[int]) -> None:
    from cases.models import MetricsCaseFacts

    stored = {
        row.case_id: row
        for row in MetricsCaseFacts.objects.select_for_update().filter(case_id__in=ids)
    }
    new = facts_read(ids)
    changes, create, update = [], [], []
    for pk in ids:
        facts = new.get(pk)
        row = stored.get(pk)
        old = CaseFacts.loads(row.facts) if row else None
        if old == facts:
            continue
        changes.append((old, facts))
        if facts is None:
            continue
        if row is None:
            create.append(MetricsCaseFacts(case_id=pk, court_id=facts.court, facts=facts.dumps()))
        else:
            row.facts, row.court_id = facts.dumps(), facts.court
            update.append(row)
    if not changes:
        return
    _apply(changes)
    gone = [pk for pk in ids if pk not in new and pk in stored]
    if gone:
        MetricsCaseFacts.objects.filter(case_id__in=gone).delete()
    MetricsCaseFacts.objects.bulk_create(create, batch_size=2000)
    MetricsCaseFacts.objects.bulk_update(update, ["facts", "court_id"], batch_size=2000)


def rollup_rebuild(court_id: int) -> dict:
    """Recompute a court's rollups from its raw rows (after a migration, an import in SQL, or
    writes that bypassed the services). Holds the rollup tables against concurrent writers on
    PostgreSQL while it runs."""
    from cases.models import MetricsAgeSegment, MetricsCaseFacts, MetricsFlow, MetricsHearings

    flow: Counter = Counter()
    segments: Counter = Counter()
    hearings: Counter = Counter()
    cases = 0
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute(
                    "LOCK TABLE cases_metricsflow, cases_metricsagesegment, "
                    "cases_metricshearings, cases_metricscasefacts IN EXCLUSIVE MODE"
                )
        for model in (MetricsFlow, MetricsAgeSegment, MetricsHearings, MetricsCaseFacts):
            model.objects.filter(court_id=court_id).delete()
        ledger = []
        for pk, item in facts_of_court(court_id):
            f, s, h = contributions(item)
            flow.update(f)
            segments.update(s)
            hearings.update(h)
            ledger.append((pk, item.court, item.dumps()))
            cases += 1
            if len(ledger) >= 50_000:
                _insert("cases_metricscasefacts", ("case_id", "court_id", "facts"), ledger)
                ledger = []
        _insert("cases_metricscasefacts", ("case_id", "court_id", "facts"), ledger)
        flow_rows = _flow_rows(flow)
        _insert("cases_metricsflow", (*FLOW_KEY, "n"), flow_rows)
        segment_rows = _segment_rows(segments)
        _insert("cases_metricsagesegment", (*SEGMENT_KEY, "n"), segment_rows)
        hearing_rows = _hearing_rows(hearings)
        _insert("cases_metricshearings", (*HEARING_KEY, "held", "online"), hearing_rows)
    return {
        "cases": cases,
        "flow_rows": len(flow_rows),
        "segment_rows": len(segment_rows),
        "hearing_rows": len(hearing_rows),
    }


def _insert(table: str, cols: tuple[str, ...], rows: list) -> None:
    """Plain multi-row INSERTs (the rebuild writes into emptied rows)."""
    per = max(1, (60_000 if connection.vendor == "postgresql" else 900) // len(cols))
    with connection.cursor() as cur:
        for start in range(0, len(rows), per):
            chunk = rows[start : start + per]
            marks = ", ".join(["(" + ", ".join(["%s"] * len(cols)) + ")"] * len(chunk))
            cur.execute(
                f"INSERT INTO {table} ({', '.join(cols)}) VALUES {marks}",
                [v for row in chunk for v in row],
            )
