"""Statistics exports (issue 7), on PostgreSQL with 10,000,000 node instances in one year.

1. Data (unless ``--reuse``): a fresh ``courtflow_bench_export`` database with the catalog,
   the calendar and the demo court; ``--real`` realistic case histories (``cases.demo``)
   imported through the bulk path, then one deadline sweep. These are the templates of the
   rest, generated in SQL (the bulk path would take about 40 minutes for 10M nodes):
     * cases filed in the year, each a copy of a template case (every column; its times
       shifted so that it is filed at a random moment of the year; a new 案号), with copies
       of the template's node instances (those opened by now), until there are ``--nodes``
       node instances;
     * more cases filed in the year without node instances, up to ``--year-cases``, and
       ``--before-cases`` filed in the two years before it (carried-over and long-pending
       cases for the court metrics);
     * for every generated case, a hearing (with its courtroom booking) per hearing held in
       its template's history, a quarter of them online, and for 6% of them a suspension;
     * every generated node instance gets a status drawn at random: done on time, done late,
       open, overdue (general) or locked (important, the case's open lock), waived; a fifth of
       the late important ones were locked and unlocked again (a lock row with the unlock's
       reason), so the export's lock lookup finds rows;
   then VACUUM ANALYZE.
2. The node-instance CSV export, end to end, each way in a fresh process (so its peak RSS
   is its own), consumed and encoded to UTF-8: the application's path on PostgreSQL
   (``csv_batches(DETAIL_HEADER, node_instances_batches(...))``) and the Python path
   (``csv_rows(DETAIL_HEADER, node_instances_detail(...))``, what the view used before
   commit 7e83eca and other databases still use). In the same run, the practical floor:
   the same 17 columns read with one psycopg2 server-side cursor (the lock joined in SQL,
   times formatted by PostgreSQL) and written with csv.writer. The outputs' CRC-32 are
   compared (they must be byte-identical).
3. The same export over HTTP: gunicorn (production settings, one sync worker), the trial
   manager signed in through /login/, ``GET /stats/nodes/instances.csv?start=…&end=…``
   read to the end; the worker's peak RSS from /proc.
4. ``court_metrics(level="court")`` and ``level="division"`` for the year, each against one
   aggregate SQL statement over the raw rows computing the same figures; where the time
   goes (SQL statements against Python, and a profile).
5. With ``--profile-rows N`` (default 500,000): a cProfile of the export's first N rows
   (``--profile-path app`` or ``python``; for the Python path, its stages timed too).

    .venv/bin/python bench/export_bench.py [--nodes 10000000] [--year-cases 1200000]
        [--before-cases 300000] [--real 20000] [--reuse] [--no-http] [--profile-rows N]
        [--profile-path app|python] [--repeat 3] [--drop]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import zlib
from pathlib import Path

from setup import ROOT, Timer, django_setup, load_base

URL = "postgres://postgres@127.0.0.1:5432/courtflow_bench_export"
HOST = "127.0.0.1"
EXPORT_TARGET = 100_000  # rows per second
MEMORY_TARGET_MB = 300
METRICS_TARGET_S = 1.0
REBUILD_ROLLUPS = True  # bench/metrics_bench.py times the rebuild itself


# --- process and machine ---------------------------------------------------------------


def _status_kb(pid: int | str, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _stat(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def _children(ppid: int) -> list[int]:
    return [
        int(d.name)
        for d in Path("/proc").iterdir()
        if d.name.isdigit() and (f := _stat(int(d.name))) and int(f[1]) == ppid
    ]


def _ticks(pids: list[int]) -> int:
    return sum(int(f[11]) + int(f[12]) for p in pids if (f := _stat(p)))


def postgres_seconds(postmaster: int) -> float:
    """CPU seconds of every PostgreSQL process so far (the postmaster, its live children and
    the children it reaped: parallel workers)."""
    f = _stat(postmaster)
    own = sum(int(x) for x in f[11:15])
    return (own + _ticks(_children(postmaster))) / os.sysconf("SC_CLK_TCK")


def postmaster_pid(cur) -> int:
    cur.execute("SELECT pg_backend_pid()")
    return int(_stat(cur.fetchone()[0])[1])


def own_cpu() -> float:
    t = os.times()
    return t.user + t.system


def machine_busy() -> float:
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


# --- data ------------------------------------------------------------------------------


def period() -> tuple[dt.date, dt.date]:
    """The year ending today (inclusive, in the court's time): every generated row is in it."""
    from django.utils import timezone

    today = timezone.localdate()
    return today - dt.timedelta(days=364), today


def import_real(court, count: int, chunk: int = 10_000) -> None:
    import random

    from django.db import connection

    from cases.demo import demo_case_rows
    from cases.services.bulk import case_import_bulk
    from teams.models import Division

    civil = list(Division.objects.filter(court=court, kind=Division.Kind.CIVIL).order_by("id"))
    administrative = Division.objects.get(court=court, kind=Division.Kind.ADMINISTRATIVE)
    rng = random.Random(7)
    done = 0
    while done < count:
        n = min(chunk, count - done)
        rows = demo_case_rows(count=n, seed=500 + done // chunk)
        for row in rows:  # registration files them with the first civil division; spread them
            if row.procedure.startswith("civil"):
                row.division = rng.choice(civil)
            elif row.procedure.startswith("admin"):
                row.division = administrative
        case_import_bulk(actor=None, court=court, rows=rows, source="bench")
        done += n
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
        print(f"  imported {done} real cases", flush=True)


def _columns(cur, table: str) -> list[tuple[str, str]]:
    cur.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_name = %s ORDER BY ordinal_position",
        [table],
    )
    return cur.fetchall()


def _copy_sql(cur, table: str, source: str, overrides: dict[str, str], shift: str) -> str:
    """INSERT INTO table (every column but the id) SELECT each from ``t`` (the template row
    in ``source``), overridden or, for a time, shifted by ``shift``."""
    cols, exprs = [], []
    for name, kind in _columns(cur, table):
        if name == "id" and "id" not in overrides:
            continue
        cols.append(name)
        if name in overrides:
            exprs.append(overrides[name])
        elif kind == "timestamp with time zone":
            exprs.append(f"t.{name} + {shift}")
        else:
            exprs.append(f"t.{name}")
    return f"INSERT INTO {table} ({', '.join(cols)}) SELECT {', '.join(exprs)} FROM {source}"


WAIVE_REASONS = ["原告撤诉，本节点不再适用", "程序转换为普通程序", "当事人未申请", "案件移送管辖"]
SUSPENSION_KINDS = ["publication", "appraisal", "jurisdiction", "settlement", "stay"]
UNLOCK_REASONS = [
    "公告送达期间依法扣除，申请延长节点期限",
    "当事人申请鉴定，鉴定期间不计入",
    "承办法官休假，经庭长批准顺延",
    "管辖权异议审查期间",
]


def _text_choice(options: list[str], u: str) -> str:
    cases = " ".join(
        f"WHEN {u} < {(i + 1) / len(options):.4f} THEN '{text}'" for i, text in enumerate(options)
    )
    return f"(CASE {cases} ELSE '{options[-1]}' END)"


def generate(cur, *, court_id: int, nodes: int, year_cases: int, before_cases: int) -> dict:
    """Copies of the real cases (and their nodes, suspensions and hearings) spread over the
    year and the two years before it; see the module docstring."""
    from assessment.apis import period_bounds

    start, end = period_bounds(*period())
    now = dt.datetime.now(dt.UTC)
    cur.execute("SELECT setseed(0.42)")
    cur.execute(
        "CREATE TEMP TABLE tpl AS SELECT row_number() OVER (ORDER BY id) AS rn, id, filed_at "
        "FROM cases_case WHERE court_id = %s AND filed_at IS NOT NULL",
        [court_id],
    )
    cur.execute("SELECT count(*) FROM tpl")
    n_tpl = cur.fetchone()[0]
    cur.execute("SELECT pg_get_serial_sequence('cases_case', 'id')")
    case_seq = cur.fetchone()[0]
    cur.execute("SELECT pg_get_serial_sequence('teams_booking', 'id')")
    booking_seq = cur.fetchone()[0]
    cur.execute("SELECT count(*), COALESCE(max(id), 0) FROM nodes_nodeinstance")
    have, first_generated = cur.fetchone()
    case_sql = _copy_sql(
        cur,
        "cases_case",
        "map m JOIN cases_case t ON t.id = m.tpl_id",
        {
            "id": "m.new_id",
            "number": "'（' || m.year || '）京0102B' || t.type_code || m.k || '号'",
            "year": "m.year",
            "sequence": "1000000 + m.k",
            "closed_at": "CASE WHEN t.closed_at + m.delta < %(now)s THEN t.closed_at + m.delta END",
            "locked": "false",
            "lock_count": "0",
            "origin_id": "NULL",
        },
        "m.delta",
    )
    node_sql = _copy_sql(
        cur,
        "nodes_nodeinstance",
        "src t",
        {
            "status": "t.new_status",
            "completed_at": "t.new_completed_at",
            "completed_late": "t.new_late",
            "waived_reason": (
                f"CASE WHEN t.new_status = 'waived' THEN {_text_choice(WAIVE_REASONS, 't.u2')} "
                "ELSE '' END"
            ),
            "overdue_at": "CASE WHEN t.new_status IN ('overdue', 'locked') THEN t.due_at + t.delta END",
            "next_action_at": "CASE WHEN t.new_status = 'open' THEN t.next_action_at + t.delta END",
            "prompted_at": "CASE WHEN t.new_status <> 'waived' THEN t.prompt_at + t.delta END",
            "warned_at": (
                "CASE WHEN t.new_late OR t.new_status IN ('overdue', 'locked') "
                "THEN t.warn_at + t.delta END"
            ),
            "grace_until": "NULL",
            "round": "0",
            "closed_by_event_id": "NULL",
            "case_id": "t.new_id",
        },
        "t.delta",
    )
    # The template cases' node instances, each numbered among its case's instances of the
    # same definition (only the first may be live: one live instance per definition).
    cur.execute(
        """CREATE TEMP TABLE tpl_nodes AS
        SELECT n.*, row_number() OVER (PARTITION BY n.case_id, n.definition_id ORDER BY n.id) AS rn
        FROM nodes_nodeinstance n JOIN tpl ON tpl.id = n.case_id"""
    )
    cur.execute("CREATE INDEX ON tpl_nodes (case_id)")
    cur.execute("ANALYZE tpl_nodes")
    # A node's new status: u draws it (important nodes go overdue, and so lock, a quarter as
    # often as general ones); a definition's later instances on a case are done.
    node_src = """
        CREATE TEMP TABLE src AS
        SELECT d.*,
            CASE WHEN d.rn > 1 OR d.u < 0.74 THEN 'done'
                 WHEN d.u < 0.84 THEN 'open'
                 WHEN d.level = 'important' AND d.u < 0.85 THEN 'locked'
                 WHEN d.level <> 'important' AND d.u < 0.88 THEN 'overdue'
                 WHEN d.u < 0.88 THEN 'open'
                 ELSE 'waived' END AS new_status,
            d.rn = 1 AND d.u >= 0.62 AND d.u < 0.74 AS new_late,
            CASE WHEN d.rn > 1 OR d.u < 0.62 THEN LEAST(
                     d.opened_at + d.delta
                     + COALESCE(d.due_at - d.opened_at, interval '3 days') * d.u2, %(now)s)
                 WHEN d.u < 0.74 THEN LEAST(
                     COALESCE(d.due_at, d.opened_at + interval '3 days') + d.delta
                     + interval '10 days' * d.u2, %(now)s) END AS new_completed_at
        FROM (SELECT n.*, m.new_id, m.delta, random() AS u, random() AS u2
              FROM map m JOIN tpl_nodes n ON n.case_id = m.tpl_id
              WHERE n.opened_at + m.delta < %(now)s AND n.opened_at + m.delta >= %(start)s
              OFFSET 0) d
    """
    cur.execute(
        "SELECT array_agg(id ORDER BY id) FROM teams_courtroom WHERE court_id = %s", [court_id]
    )
    rooms = cur.fetchone()[0]
    params = {
        "now": now,
        "start": start,
        "end": end,
        "court_id": court_id,
        "rooms": rooms,
        "n_rooms": len(rooms),
    }
    stats = {"templates": n_tpl}

    def batch(k0: int, k1: int, lo: dt.datetime, hi: dt.datetime, node_limit: int) -> int:
        cur.execute("DROP TABLE IF EXISTS map, src")
        cur.execute(
            f"""CREATE TEMP TABLE map AS
            SELECT nextval('{case_seq}') AS new_id, k, t.id AS tpl_id,
                   f - t.filed_at AS delta,
                   extract(year FROM f AT TIME ZONE 'Asia/Shanghai')::int AS year
            FROM (SELECT k, %(lo)s + (%(hi)s - %(lo)s) * random() AS f
                  FROM generate_series(%(k0)s, %(k1)s - 1) k) g
            JOIN tpl t ON t.rn = k %% {n_tpl} + 1""",
            {**params, "lo": lo, "hi": hi, "k0": k0, "k1": k1},
        )
        cur.execute("ANALYZE map")
        cur.execute(case_sql, params)
        # The bulk import records hearings as events only and no suspensions: each of the
        # template's hearing_held events becomes a hearing (a quarter of them online) with a
        # courtroom booking; 6% of the cases get a suspension (公告, 鉴定 …) of 15 to 60 days
        # starting 5 to 45 days after filing, still running if its end has not come.
        cur.execute(
            f"""CREATE TEMP TABLE hb AS
            SELECT nextval('{booking_seq}') AS bid, m.new_id, e.at + m.delta AS at, random() AS u
            FROM map m JOIN cases_caseevent e ON e.case_id = m.tpl_id AND e.code = 'hearing_held'
            WHERE e.at + m.delta < %(now)s""",
            params,
        )
        cur.execute(
            """INSERT INTO teams_booking (id, starts_at, ends_at, purpose, court_id, courtroom_id)
            SELECT hb.bid, hb.at, hb.at + interval '2 hours', '开庭', %(court_id)s,
                   (%(rooms)s::bigint[])[1 + floor(hb.u * %(n_rooms)s)::int]
            FROM hb""",
            params,
        )
        cur.execute(
            """INSERT INTO cases_hearing (starts_at, ends_at, online, stream, public, status,
                                          booking_id, case_id)
            SELECT hb.at, hb.at + interval '2 hours', hb.u < 0.25, false, true, 'held',
                   hb.bid, hb.new_id
            FROM hb"""
        )
        cur.execute("DROP TABLE hb")
        cur.execute(
            f"""INSERT INTO cases_suspension (kind, started_at, ended_at, planned_end_at, case_id)
            SELECT {_text_choice(SUSPENSION_KINDS, "x.u")}, x.s,
                   CASE WHEN x.s + x.span < %(now)s THEN x.s + x.span END, x.s + x.span, x.new_id
            FROM (SELECT m.new_id, random() AS u,
                         c.filed_at + interval '1 day' * (5 + 40 * random()) AS s,
                         interval '1 day' * (15 + 45 * random()) AS span
                  FROM map m JOIN cases_case c ON c.id = m.new_id
                  WHERE random() < 0.06 OFFSET 0) x
            WHERE x.s < %(now)s""",
            params,
        )
        if not node_limit:
            return 0
        cur.execute(node_src, params)
        cur.execute(node_sql + " LIMIT %s", [node_limit])
        return cur.rowcount

    k = 1
    chunk = 50_000
    t0 = time.perf_counter()
    with_nodes_cases = 0
    while have < nodes:
        n_cases = chunk
        added = batch(k, k + n_cases, start, min(end, now), nodes - have)
        k += n_cases
        with_nodes_cases += n_cases
        have += added
        print(
            f"  {k - 1} generated cases, {have} node instances ({time.perf_counter() - t0:.0f} s)",
            flush=True,
        )
    cur.execute(
        "SELECT count(DISTINCT case_id) FROM nodes_nodeinstance WHERE id > %s", [first_generated]
    )
    with_nodes_cases = cur.fetchone()[0]
    # The locks: an open lock for a case's (first) locked node; a closed one, with the unlock's
    # reason, for a fifth of the late important nodes; numbered per case by time.
    cur.execute(
        f"""
        INSERT INTO nodes_caselock (court_id, sequence, locked_at, unlocked_at, unlock_reason,
                                    new_due_at, case_id, node_id)
        SELECT court_id, row_number() OVER (PARTITION BY case_id ORDER BY open_lock, locked_at, id),
               locked_at, unlocked_at, reason, new_due_at, case_id, id
        FROM (
            (SELECT DISTINCT ON (case_id) n.court_id, n.case_id, n.id, true AS open_lock,
                   n.overdue_at AS locked_at, NULL::timestamptz AS unlocked_at, '' AS reason,
                   NULL::timestamptz AS new_due_at
            FROM nodes_nodeinstance n WHERE n.status = 'locked' AND n.id > %(first)s
            ORDER BY case_id, id)
            UNION ALL
            (SELECT n.court_id, n.case_id, n.id, false, n.due_at,
                   n.due_at + (n.completed_at - n.due_at) / 2,
                   {_text_choice(UNLOCK_REASONS, "r.u")}, n.completed_at + interval '1 day'
            FROM nodes_nodeinstance n CROSS JOIN LATERAL (SELECT random() AS u, n.id AS x) r
            WHERE n.status = 'done' AND n.completed_late AND n.level = 'important'
              AND n.id > %(first)s AND n.due_at IS NOT NULL AND random() < 0.2)
        ) l""",
        {"first": first_generated},
    )
    stats["locks"] = cur.rowcount
    cur.execute(
        """UPDATE cases_case c SET lock_count = l.n, locked = l.open
        FROM (SELECT case_id, max(sequence) AS n, bool_or(unlocked_at IS NULL) AS open
              FROM nodes_caselock GROUP BY case_id) l
        WHERE c.id = l.case_id AND c.lock_count = 0"""
    )
    # Cases without node instances: the rest of the year's, and the two years before it.
    n_rest = max(year_cases - with_nodes_cases - n_tpl, 0)
    while n_rest > 0:
        n = min(chunk * 4, n_rest)
        batch(k, k + n, start, min(end, now), 0)
        k, n_rest = k + n, n_rest - n
        print(f"  {k - 1} generated cases (the year's, without nodes)", flush=True)
    before = start - dt.timedelta(days=730)
    left = before_cases
    while left > 0:
        n = min(chunk * 4, left)
        batch(k, k + n, before, start, 0)
        k, left = k + n, left - n
        print(f"  {k - 1} generated cases (the two years before)", flush=True)
    cur.execute("DROP TABLE IF EXISTS map, src, tpl, tpl_nodes")
    stats["generated_cases"] = k - 1
    stats["cases_with_nodes"] = with_nodes_cases
    return stats


def load(args) -> None:
    django_setup(URL)
    from django.db import connection

    from nodes.sweep import sweep_run

    with Timer() as t:
        court = load_base(scale=args.scale)
        import_real(court, args.real)
        swept = sweep_run()
        print(f"  sweep: {swept.overdue} overdue, {swept.locks} locks", flush=True)
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
    print(f"real data loaded in {t.seconds:.0f} s", flush=True)
    with Timer() as g, connection.cursor() as cur:
        stats = generate(
            cur,
            court_id=court.pk,
            nodes=args.nodes,
            year_cases=args.year_cases,
            before_cases=args.before_cases,
        )
    print(f"generated in {g.seconds:.0f} s: {stats}", flush=True)
    with Timer() as v, connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")
    print(f"VACUUM ANALYZE in {v.seconds:.0f} s", flush=True)
    # The generator writes past the services: the court-metrics rollups are rebuilt from the
    # raw rows, as after any such import (manage.py metrics_rebuild).
    from cases.rollups import rollup_rebuild

    if not REBUILD_ROLLUPS:
        return
    with Timer() as r:
        built = rollup_rebuild(court.pk)
    print(f"court-metrics rollups rebuilt in {r.seconds:.0f} s: {built}", flush=True)


# --- measurements, each in a fresh process -----------------------------------------------


def _django(url: str = URL) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "courtflow.settings")
    import django

    django.setup()


def _scope() -> dict:
    from assessment.apis import period_bounds
    from teams.models import Court

    start, end = period_bounds(*period())
    return {"court_id": Court.objects.get().pk, "start": start, "end": end}


class Counter:
    """Consumes text pieces as a response would (UTF-8), counting bytes, lines and a CRC."""

    def __init__(self) -> None:
        self.bytes = self.lines = self.crc = 0
        self.first_data_s: float | None = None
        self.t0 = time.perf_counter()

    def add(self, piece: str) -> None:
        data = piece.encode("utf-8")
        self.bytes += len(data)
        self.lines += data.count(b"\n")
        self.crc = zlib.crc32(data, self.crc)
        if self.first_data_s is None and self.lines > 1:
            self.first_data_s = time.perf_counter() - self.t0


def _finish(
    result: dict, seconds: float, cpu0: float, pg0: float, postmaster: int, busy0: float
) -> dict:
    result.update(
        seconds=seconds,
        cpu_machine_s=machine_busy() - busy0,
        cpu_python_s=own_cpu() - cpu0,
        cpu_postgres_s=postgres_seconds(postmaster) - pg0,
        peak_rss_mb=_status_kb("self", "VmHWM") / 1024,
    )
    return result


def export_pieces(path: str, scope: dict, limit: int | None = None):
    """The export's CSV text: ``app``, the application's path on PostgreSQL
    (``csv_batches(DETAIL_HEADER, node_instances_batches(...))``, one statement read through
    a server-side cursor in a transaction, since commit 7e83eca); ``python``, the path that
    was measured before it and that other databases still take
    (``csv_rows(DETAIL_HEADER, node_instances_detail(...))``: the ORM's server-side cursor,
    a lock lookup per 10,000 rows, each cell formatted and neutralised in Python)."""
    import itertools

    from assessment.node_stats import DETAIL_HEADER

    if path == "python":
        from assessment.node_stats import node_instances_detail
        from courtflow.exports import csv_rows

        rows = node_instances_detail(**scope)
        return csv_rows(DETAIL_HEADER, itertools.islice(rows, limit) if limit else rows)
    from assessment.node_stats import node_instances_batches
    from courtflow.exports import csv_batches

    batches = node_instances_batches(**scope)
    if limit:
        batches = itertools.islice(batches, -(-limit // 10_000))
    return csv_batches(DETAIL_HEADER, batches)


def child_export(path: str) -> dict:
    _django()
    from django.db import connection

    scope = _scope()
    with connection.cursor() as cur:
        postmaster = postmaster_pid(cur)
    rss_before = _status_kb("self", "VmRSS") / 1024
    counter = Counter()
    cpu0, pg0, busy0 = own_cpu(), postgres_seconds(postmaster), machine_busy()
    t0 = time.perf_counter()
    for piece in export_pieces(path, scope):
        counter.add(piece)
    seconds = time.perf_counter() - t0
    result = {
        "rows": counter.lines - 1,
        "bytes": counter.bytes,
        "crc": counter.crc,
        "first_data_s": counter.first_data_s,
        "rss_before_mb": rss_before,
    }
    return _finish(result, seconds, cpu0, pg0, postmaster, busy0)


def floor_sql() -> tuple[str, dict]:
    """The export's rows in one statement: its joins, the case's latest lock on the node
    joined, the times formatted and the codes labelled by PostgreSQL (no formula
    neutralising: the floor only reads and writes)."""
    from django.utils.translation import gettext as _

    from nodes.models import NodeInstance
    from nodes.vocab import Level

    params: dict = {"yes": str(_("yes"))}

    def label(column: str, choices, prefix: str) -> str:
        whens = []
        for i, (value, text) in enumerate(choices):
            params[f"{prefix}{i}"], params[f"{prefix}v{i}"] = value, str(text)
            whens.append(f"WHEN %({prefix}{i})s THEN %({prefix}v{i})s")
        return f"CASE {column} {' '.join(whens)} ELSE {column} END"

    def local(column: str) -> str:
        return f"to_char({column} AT TIME ZONE %(tz)s, 'YYYY-MM-DD HH24:MI')"

    sql = f"""
        SELECT c.number, d.name, tm.name, p.name, n.code, nd.name_zh,
               {label("n.level", Level.choices, "l")}, {label("n.status", NodeInstance.Status.choices, "s")},
               {local("n.opened_at")}, {local("n.due_at")}, {local("n.completed_at")},
               CASE WHEN n.completed_late THEN %(yes)s END, n.waived_reason,
               k.sequence, {local("k.locked_at")}, {local("k.unlocked_at")},
               k.unlock_reason
        FROM nodes_nodeinstance n
        JOIN cases_case c ON c.id = n.case_id
        JOIN teams_division d ON d.id = c.division_id
        LEFT JOIN teams_team tm ON tm.id = c.team_id
        LEFT JOIN teams_person p ON p.id = c.judge_id
        JOIN nodes_nodedefinition nd ON nd.id = n.definition_id
        LEFT JOIN (SELECT DISTINCT ON (node_id) node_id, sequence, locked_at, unlocked_at,
                          unlock_reason
                   FROM nodes_caselock ORDER BY node_id, sequence DESC) k ON k.node_id = n.id
        WHERE n.court_id = %(court_id)s AND n.opened_at >= %(start)s AND n.opened_at < %(end)s
        ORDER BY n.id"""
    return sql, params


def child_floor() -> dict:
    """psycopg2, one server-side cursor (in a transaction, so rows stream as they are
    produced), csv.writer: the least any Python export of these rows can cost."""
    _django()
    import psycopg2
    from django.conf import settings

    from assessment.node_stats import DETAIL_HEADER
    from courtflow.exports import safe_cell

    scope = _scope()
    sql, params = floor_sql()
    params.update(scope, tz=settings.TIME_ZONE)
    conn = psycopg2.connect(URL)
    postmaster = postmaster_pid(conn.cursor())
    rss_before = _status_kb("self", "VmRSS") / 1024
    counter = Counter()
    cpu0, pg0, busy0 = own_cpu(), postgres_seconds(postmaster), machine_busy()
    t0 = time.perf_counter()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([safe_cell(h) for h in DETAIL_HEADER])
    cur = conn.cursor(name="floor")
    cur.itersize = 10_000
    cur.execute(sql, params)
    while rows := cur.fetchmany(10_000):
        writer.writerows(rows)
        counter.add(buffer.getvalue())
        buffer.seek(0)
        buffer.truncate()
    counter.add(buffer.getvalue())
    seconds = time.perf_counter() - t0
    conn.rollback()
    conn.close()
    result = {
        "rows": counter.lines - 1,
        "bytes": counter.bytes,
        "crc": counter.crc,
        "first_data_s": counter.first_data_s,
        "rss_before_mb": rss_before,
    }
    return _finish(result, seconds, cpu0, pg0, postmaster, busy0)


def child_profile(limit: int, path: str) -> dict:
    """cProfile of the export's first ``limit`` rows, and where its SQL time goes."""
    import cProfile
    import pstats

    _django()
    from django.db import connection

    scope = _scope()
    timed: list[tuple[float, str]] = []

    def wrapper(execute, sql, params, many, context):
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timed.append((time.perf_counter() - t0, sql))

    counter = Counter()
    profiler = cProfile.Profile()
    t0 = time.perf_counter()
    with connection.execute_wrapper(wrapper):
        profiler.enable()
        for piece in export_pieces(path, scope, limit):
            counter.add(piece)
        profiler.disable()
    seconds = time.perf_counter() - t0
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(18)
    stats.sort_stats("cumulative").print_stats(25)
    print(out.getvalue())
    # The same rows without the profiler's overhead, by phase: the server-side cursor alone
    # (Django's iterator: WITH HOLD, so the first fetch waits for the whole result), the lock
    # lookups, the tuple building and the CSV text.
    return {
        "rows": counter.lines - 1,
        "seconds_profiled": seconds,
        "sql_statements": len(timed),
        "sql_s": sum(s for s, _q in timed),
        "slowest_sql": sorted(
            ((round(s, 3), re.sub(r"\s+", " ", q)[:160]) for s, q in timed), reverse=True
        )[:4],
    }


def child_phases(limit: int) -> dict:
    """The export's stages for its first ``limit`` rows, each timed on its own (no profiler):
    Django's server-side cursor alone, plus the lock lookups and tuples
    (node_instances_detail), plus the CSV text (csv_rows)."""
    import itertools

    _django()
    from assessment.node_stats import DETAIL_FIELDS, DETAIL_HEADER, node_instances_detail
    from courtflow.exports import csv_rows
    from nodes.models import NodeInstance

    scope = _scope()
    out = {}
    qs = (
        NodeInstance.objects.filter(
            court_id=scope["court_id"], opened_at__gte=scope["start"], opened_at__lt=scope["end"]
        )
        .order_by("id")
        .values_list("id", *DETAIL_FIELDS)
    )
    t0 = time.perf_counter()
    it = qs.iterator(chunk_size=10_000)
    next(it)
    out["cursor_first_row_s"] = time.perf_counter() - t0
    for _row in itertools.islice(it, limit - 1):
        pass
    out["cursor_s"] = time.perf_counter() - t0
    it.close()
    t0 = time.perf_counter()
    for _row in itertools.islice(node_instances_detail(**scope), limit):
        pass
    out["detail_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    counter = Counter()
    for piece in csv_rows(DETAIL_HEADER, itertools.islice(node_instances_detail(**scope), limit)):
        counter.add(piece)
    out["export_s"] = time.perf_counter() - t0
    out["rows"] = limit
    return out


METRICS_SQL = """
WITH c AS (
    SELECT c.id, c.{key} AS key, c.filed_at, c.closed_at, c.trial_limit_due_at
    FROM cases_case c WHERE c.court_id = %(court_id)s AND c.filed_at IS NOT NULL
), s AS (
    SELECT s.case_id,
           sum(extract(epoch FROM LEAST(COALESCE(s.ended_at, %(end)s), %(end)s) - s.started_at))
               AS seconds
    FROM cases_suspension s JOIN c ON c.id = s.case_id
    WHERE s.started_at < %(end)s GROUP BY s.case_id
), h AS (
    SELECT c.key, count(*) AS held, count(*) FILTER (WHERE h.online) AS online
    FROM cases_hearing h JOIN c ON c.id = h.case_id
    WHERE h.status = 'held' AND h.starts_at >= %(start)s AND h.starts_at < %(end)s
    GROUP BY c.key
), x AS (
    SELECT c.*, COALESCE(s.seconds, 0) AS suspended,
           c.filed_at < %(start)s AND (c.closed_at IS NULL OR c.closed_at >= %(start)s) AS at_start,
           c.filed_at < %(end)s AND (c.closed_at IS NULL OR c.closed_at >= %(end)s) AS at_end,
           c.closed_at >= %(start)s AND c.closed_at < %(end)s AS closed_in
    FROM c LEFT JOIN s ON s.case_id = c.id
)
SELECT x.key,
    count(*) FILTER (WHERE x.filed_at >= %(start)s AND x.filed_at < %(end)s) AS new,
    count(*) FILTER (WHERE x.closed_in) AS closed,
    count(*) FILTER (WHERE x.at_start) AS carried_over,
    count(*) FILTER (WHERE x.at_end) AS pending,
    count(*) FILTER (WHERE x.closed_in AND x.trial_limit_due_at IS NOT NULL) AS closed_with_limit,
    count(*) FILTER (WHERE x.closed_in AND x.closed_at <= x.trial_limit_due_at) AS closed_within_limit,
    count(*) FILTER (WHERE x.at_end AND x.filed_at < %(year_ago)s) AS pending_over_12,
    count(*) FILTER (WHERE x.at_end AND x.filed_at < %(two_years_ago)s) AS pending_over_24,
    count(*) FILTER (WHERE x.at_start AND x.filed_at < %(start_year_ago)s) AS backlog_at_start,
    count(*) FILTER (WHERE x.at_start AND x.filed_at < %(start_year_ago)s AND x.closed_in)
        AS backlog_cleared,
    max(h.held) AS hearings_held, max(h.online) AS hearings_online,
    avg(GREATEST(extract(epoch FROM x.closed_at - x.filed_at) - x.suspended, 0) / 86400)
        FILTER (WHERE x.closed_in) AS mean_days,
    percentile_cont(0.5) WITHIN GROUP (ORDER BY
        GREATEST(extract(epoch FROM x.closed_at - x.filed_at) - x.suspended, 0) / 86400)
        FILTER (WHERE x.closed_in) AS median_days,
    percentile_cont(0.5) WITHIN GROUP (ORDER BY
        GREATEST(extract(epoch FROM %(end)s - x.filed_at) - x.suspended, 0) / 86400)
        FILTER (WHERE x.at_end) AS pending_median_age
FROM x LEFT JOIN h ON h.key IS NOT DISTINCT FROM x.key
GROUP BY x.key
"""


def child_metrics(level: str, repeat: int) -> dict:
    import cProfile
    import pstats
    import statistics

    _django()
    from django.db import connection

    from assessment.metrics import court_metrics, months_before

    scope = _scope()
    key = {"court": "court_id", "division": "division_id"}[level]
    params = {
        **scope,
        "year_ago": months_before(scope["end"], 12),
        "two_years_ago": months_before(scope["end"], 24),
        "start_year_ago": months_before(scope["start"], 12),
    }
    timed: list[tuple[float, str]] = []

    def wrapper(execute, sql, p, many, context):
        t0 = time.perf_counter()
        try:
            return execute(sql, p, many, context)
        finally:
            timed.append((time.perf_counter() - t0, sql))

    with connection.cursor() as cur:
        postmaster = postmaster_pid(cur)
    app, floor, sql_s, pg = [], [], [], []
    rows = floor_rows = None
    for _i in range(repeat):
        timed.clear()
        pg0 = postgres_seconds(postmaster)
        with connection.execute_wrapper(wrapper), Timer() as t:
            rows = court_metrics(**scope, level=level)
        pg.append(postgres_seconds(postmaster) - pg0)
        app.append(t.seconds)
        sql_s.append(sum(s for s, _q in timed))
        with Timer() as f, connection.cursor() as cur:
            cur.execute(METRICS_SQL.format(key=key), params)
            names = [c.name for c in cur.description]
            floor_rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
        floor.append(f.seconds)
    statements = len(timed)
    slowest = sorted(((s, re.sub(r"\s+", " ", q)[:140]) for s, q in timed), reverse=True)[:4]
    # The suspensions' share in the raw computation (court_metrics_raw, the reference; before
    # the rollups court_metrics read them 5,000 case ids a statement, 14 s here), against one
    # plain statement reading every suspension of the court.
    from django.db.models import Q

    from assessment.metrics import _suspension_days
    from cases.models import Case, Suspension

    cases = Case.objects.filter(court_id=scope["court_id"], filed_at__isnull=False)
    closed_in = Q(closed_at__gte=scope["start"], closed_at__lt=scope["end"])
    pending_at_end = Q(filed_at__lt=scope["end"]) & (
        Q(closed_at__isnull=True) | Q(closed_at__gte=scope["end"])
    )
    ids = list(cases.filter(closed_in | pending_at_end).values_list("id", flat=True))
    with Timer() as susp:
        _suspension_days(court_id=scope["court_id"], until=scope["end"])
    with Timer() as susp_one:
        one = list(
            Suspension.objects.filter(
                case__court_id=scope["court_id"],
                case__filed_at__isnull=False,
                started_at__lt=scope["end"],
            ).values_list("case_id", "started_at", "ended_at")
        )
    profiler = cProfile.Profile()
    profiler.enable()
    court_metrics(**scope, level=level)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(22)
    print(out.getvalue())
    # The same figures both ways (court level: the one row; division level: the totals).
    check = {}
    for name in (
        "new",
        "closed",
        "carried_over",
        "pending",
        "closed_within_limit",
        "pending_over_12",
    ):
        check[name] = (sum(getattr(r, name) for r in rows), sum(r[name] for r in floor_rows))
    if level == "court":
        check["median_days"] = (float(rows[0].median_days), round(floor_rows[0]["median_days"], 1))
    return {
        "level": level,
        "units": len(rows),
        "app_s": statistics.median(app),
        "app_runs": app,
        "sql_s": statistics.median(sql_s),
        "postgres_cpu_s": statistics.median(pg),
        "statements": statements,
        "slowest_sql": [(round(s, 3), q) for s, q in slowest],
        "floor_s": statistics.median(floor),
        "floor_runs": floor,
        "check": check,
        "peak_rss_mb": _status_kb("self", "VmHWM") / 1024,
        "suspension_cases": len(ids),
        "suspended_seconds_s": susp.seconds,
        "suspensions_one_statement_s": susp_one.seconds,
        "suspensions": len(one),
    }


def child_data() -> dict:
    _django()
    from django.db import connection

    scope = _scope()
    out = {}
    with connection.cursor() as cur:
        for name, sql in [
            ("node_instances", "SELECT count(*) FROM nodes_nodeinstance"),
            (
                "in_period",
                "SELECT count(*) FROM nodes_nodeinstance WHERE court_id = %(court_id)s "
                "AND opened_at >= %(start)s AND opened_at < %(end)s",
            ),
            ("cases", "SELECT count(*) FROM cases_case"),
            (
                "cases_filed_in_period",
                "SELECT count(*) FROM cases_case WHERE filed_at >= %(start)s AND filed_at < %(end)s",
            ),
            ("lock_rows", "SELECT count(*) FROM nodes_caselock"),
            (
                "unlocked_lock_rows",
                "SELECT count(*) FROM nodes_caselock WHERE unlocked_at IS NOT NULL",
            ),
            ("suspensions", "SELECT count(*) FROM cases_suspension"),
            ("hearings", "SELECT count(*) FROM cases_hearing"),
            ("divisions", "SELECT count(*) FROM teams_division"),
            ("teams", "SELECT count(*) FROM teams_team"),
            ("nodeinstance_mb", "SELECT pg_total_relation_size('nodes_nodeinstance') / 1048576"),
            ("case_mb", "SELECT pg_total_relation_size('cases_case') / 1048576"),
        ]:
            cur.execute(sql, scope)
            out[name] = cur.fetchone()[0]
        cur.execute(
            "SELECT status, completed_late, count(*) FROM nodes_nodeinstance GROUP BY 1, 2 ORDER BY 3 DESC"
        )
        out["statuses"] = [list(r) for r in cur.fetchall()]
    out["period"] = [d.isoformat() for d in period()]
    return out


CHILDREN = {
    "data": lambda a: child_data(),
    "export": lambda a: child_export("app"),
    "export-python": lambda a: child_export("python"),
    "floor": lambda a: child_floor(),
    "profile": lambda a: child_profile(a.profile_rows, a.profile_path),
    "phases": lambda a: child_phases(a.profile_rows),
    "metrics-court": lambda a: child_metrics("court", a.repeat),
    "metrics-division": lambda a: child_metrics("division", a.repeat),
}


def run_child(mode: str, args) -> dict:
    """One measurement in a fresh Python process; its printed lines are passed on."""
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        mode,
        "--profile-rows",
        str(args.profile_rows),
        "--repeat",
        str(args.repeat),
        "--profile-path",
        args.profile_path,
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
    result = None
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            result = json.loads(line[7:])
        else:
            print(f"    {line}")
    if proc.returncode != 0 or result is None:
        print(proc.stderr)
        raise SystemExit(f"child {mode} failed ({proc.returncode})")
    return result


# --- over HTTP -------------------------------------------------------------------------


def http_export(workers: int = 1) -> dict:
    import http.client
    from http.cookies import SimpleCookie

    from teams.demo import DEMO_PASSWORD

    workdir = Path(tempfile.mkdtemp(prefix="courtflow-export-"))
    env = {
        **os.environ,
        "DATABASE_URL": URL,
        "DJANGO_SETTINGS_MODULE": "courtflow.settings",
        "COURTFLOW_ENV": "production",
        "COURTFLOW_VAR_DIR": str(workdir / "var"),
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_DEBUG": "false",
        "DJANGO_SECURE": "false",  # plain HTTP on the loopback; TLS ends at the proxy
        "DJANGO_ALLOWED_HOSTS": f"{HOST},localhost",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    with socket.socket() as s:
        s.bind((HOST, 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "courtflow.wsgi:application",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "3600",  # a sync worker streaming a long response does not heartbeat
            "--error-logfile",
            str(workdir / "gunicorn.log"),
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )

    def request(path, method="GET", cookies=None, body=""):
        conn = http.client.HTTPConnection(HOST, port, timeout=3600)
        headers = {"Host": f"{HOST}:{port}"}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body or None, headers=headers)
        return conn, conn.getresponse()

    def cookies_of(resp):
        jar = SimpleCookie()
        for header in resp.msg.get_all("Set-Cookie") or []:
            jar.load(header)
        return {k: m.value for k, m in jar.items()}

    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                conn, resp = request("/login/")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("gunicorn did not start") from None
                time.sleep(0.3)
        body = resp.read()
        conn.close()
        cookies = cookies_of(resp)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
        form = urllib.parse.urlencode(
            {"username": "trialmgr", "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token}
        )
        conn, resp = request("/login/", "POST", cookies, form)
        resp.read()
        conn.close()
        cookies.update(cookies_of(resp))
        if resp.status != 302:
            raise SystemExit(f"login failed: {resp.status}")
        worker = _children(server.pid)[0]
        start, end = period()
        path = f"/stats/nodes/instances.csv?start={start}&end={end}"
        hz = os.sysconf("SC_CLK_TCK")
        pm = _postmaster_from_ps()
        w0, pg0, c0, b0 = _ticks([worker]), postgres_seconds(pm), own_cpu(), machine_busy()
        rss_before = _status_kb(worker, "VmRSS") / 1024
        t0 = time.perf_counter()
        conn, resp = request(path, cookies=cookies)
        headers_s = time.perf_counter() - t0
        total = lines = crc = 0
        first_data = None
        while data := resp.read(1 << 16):
            total += len(data)
            lines += data.count(b"\n")
            crc = zlib.crc32(data, crc)
            if first_data is None and lines > 1:
                first_data = time.perf_counter() - t0
        seconds = time.perf_counter() - t0
        conn.close()
        result = {
            "status": resp.status,
            "rows": lines - 1,
            "bytes": total,
            "crc": crc,
            "headers_s": headers_s,
            "first_data_s": first_data,
            "seconds": seconds,
            "worker_rss_before_mb": rss_before,
            "worker_peak_rss_mb": _status_kb(worker, "VmHWM") / 1024,
            "cpu_worker_s": (_ticks([worker]) - w0) / hz,
            "cpu_postgres_s": postgres_seconds(pm) - pg0,
            "cpu_client_s": own_cpu() - c0,
            "cpu_machine_s": machine_busy() - b0,
        }
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(workdir, ignore_errors=True)
    return result


def _postmaster_from_ps() -> int:
    import psycopg2

    conn = psycopg2.connect(URL)
    try:
        return postmaster_pid(conn.cursor())
    finally:
        conn.close()


# --- report ----------------------------------------------------------------------------


def report(
    data: dict,
    export: dict,
    python_path: dict,
    floor: dict,
    http: dict | None,
    metrics: list[dict],
) -> None:
    mb = 1024 * 1024
    print("\n=== results ===")
    print(
        f"data: {data['node_instances']:,} node instances ({data['in_period']:,} opened in "
        f"{data['period'][0]} … {data['period'][1]}), {data['cases']:,} cases "
        f"({data['cases_filed_in_period']:,} filed in the year), {data['lock_rows']:,} lock rows "
        f"({data['unlocked_lock_rows']:,} unlocked), {data['suspensions']:,} suspensions, "
        f"{data['hearings']:,} hearings; node table {data['nodeinstance_mb']:,} MB, "
        f"case table {data['case_mb']:,} MB"
    )
    print(f"statuses: {data['statuses']}")

    def line(name: str, r: dict) -> None:
        rate = r["rows"] / r["seconds"]
        print(
            f"{name:34} {r['rows']:>11,} rows, {r['bytes'] / mb:8.1f} MB in {r['seconds']:7.1f} s"
            f" = {rate:9,.0f} rows/s, {r['bytes'] / mb / r['seconds']:5.1f} MB/s; first data row after "
            f"{r['first_data_s']:.1f} s; CPU python {r.get('cpu_python_s', r.get('cpu_worker_s', 0)):.1f} s, "
            f"postgres {r['cpu_postgres_s']:.1f} s, whole machine {r['cpu_machine_s']:.1f} s; peak RSS "
            f"{r.get('peak_rss_mb', r.get('worker_peak_rss_mb', 0)):.0f} MB"
        )

    line("export in-process (app)", export)
    line("export in-process (Python path)", python_path)
    line("floor (psycopg2 + csv.writer)", floor)
    if http:
        line("export over HTTP (gunicorn)", http)
        print(
            f"    HTTP status {http['status']}, headers after {http['headers_s']:.2f} s, client CPU "
            f"{http['cpu_client_s']:.1f} s, whole machine {http['cpu_machine_s']:.1f} CPU s"
        )
    rate = export["rows"] / export["seconds"]
    print(
        f"export ÷ floor: {export['seconds'] / floor['seconds']:.2f}x the floor's time (the Python "
        f"path: {python_path['seconds'] / floor['seconds']:.2f}x); outputs "
        f"{'identical' if len({export['crc'], python_path['crc'], floor['crc']}) == 1 else 'DIFFER'}"
        f" (CRC-32 {export['crc']:08x} / {python_path['crc']:08x} / {floor['crc']:08x})"
    )
    ok = "met" if rate >= EXPORT_TARGET else "NOT met"
    print(f"target ≥ {EXPORT_TARGET:,} rows/s: {rate:,.0f} rows/s, {ok}")
    peak = max(export["peak_rss_mb"], http["worker_peak_rss_mb"] if http else 0)
    print(
        f"target peak memory < {MEMORY_TARGET_MB} MB: {peak:.0f} MB, {'met' if peak < MEMORY_TARGET_MB else 'NOT met'}"
    )
    for m in metrics:
        print(
            f"court_metrics level={m['level']:9} ({m['units']} rows): {m['app_s']:6.2f} s (runs "
            f"{', '.join(f'{x:.2f}' for x in m['app_runs'])}), SQL {m['sql_s']:.2f} s in "
            f"{m['statements']} statements, PostgreSQL CPU {m['postgres_cpu_s']:.2f} s, peak RSS "
            f"{m['peak_rss_mb']:.0f} MB; one SQL statement "
            f"{m['floor_s']:.2f} s; ratio {m['app_s'] / m['floor_s']:.1f}x; target < {METRICS_TARGET_S} s: "
            f"{'met' if m['app_s'] < METRICS_TARGET_S else 'NOT met'}"
        )
        print(f"    same figures (app, SQL): {m['check']}")
        print(
            f"    suspensions as court_metrics_raw reads them (one statement, day spans): "
            f"{m['suspended_seconds_s']:.2f} s; every suspension of the court "
            f"({m['suspensions']:,}) in one statement: {m['suspensions_one_statement_s']:.2f} s"
        )
        for s, q in m["slowest_sql"]:
            print(f"    {s:7.3f} s  {q}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nodes", type=int, default=10_000_000)
    parser.add_argument("--year-cases", type=int, default=1_200_000)
    parser.add_argument("--before-cases", type=int, default=300_000)
    parser.add_argument("--real", type=int, default=20_000, help="Cases imported by the app.")
    parser.add_argument("--scale", type=float, default=0.3, help="The demo court's size.")
    parser.add_argument("--reuse", action="store_true", help="Measure the data already loaded.")
    parser.add_argument("--no-http", action="store_true")
    parser.add_argument("--profile-rows", type=int, default=500_000)
    parser.add_argument("--repeat", type=int, default=3, help="Runs of each court-metrics level.")
    parser.add_argument(
        "--profile-path",
        choices=["app", "python"],
        default="app",
        help="Which export path to profile (python: also time its stages).",
    )
    parser.add_argument("--drop", action="store_true", help="Drop the database at the end.")
    parser.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print("RESULT " + json.dumps(CHILDREN[args.child](args), default=str), flush=True)
        return
    print(f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, database {URL}", flush=True)
    if not args.reuse:
        load(args)
    else:
        _django()
    data = run_child("data", args)
    print(f"data: {data}", flush=True)
    print("export, in-process (the application's path) …", flush=True)
    export = run_child("export", args)
    print(f"  {export}", flush=True)
    print("export, in-process (the Python path) …", flush=True)
    python_path = run_child("export-python", args)
    print(f"  {python_path}", flush=True)
    print("floor, psycopg2 + csv.writer …", flush=True)
    floor = run_child("floor", args)
    print(f"  {floor}", flush=True)
    http = None
    if not args.no_http:
        print("export over HTTP …", flush=True)
        http = http_export()
        print(f"  {http}", flush=True)
    metrics = []
    for level in ("court", "division"):
        print(f"court metrics, level={level} …", flush=True)
        metrics.append(run_child(f"metrics-{level}", args))
        print(f"  {metrics[-1]}", flush=True)
    if args.profile_rows and args.profile_path == "python":
        print(f"Python path stages, first {args.profile_rows:,} rows …", flush=True)
        print(f"  {run_child('phases', args)}", flush=True)
    if args.profile_rows:
        print(f"profile of the export, first {args.profile_rows:,} rows …", flush=True)
        print(f"  {run_child('profile', args)}", flush=True)
    report(data, export, python_path, floor, http, metrics)
    if args.drop:
        from django.db import connections

        connections.close_all()
        admin = URL.rsplit("/", 1)[0] + "/postgres"
        name = URL.rsplit("/", 1)[1]
        subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True)
        print(f"dropped {name}")


if __name__ == "__main__":
    main()
