"""Court metrics from the rollups (issue 7), on PostgreSQL with a province-sized year.

1. Data (unless ``--reuse``): a fresh ``courtflow_bench_metrics`` database, filled by the
   generator of ``bench/export_bench.py`` (``--real`` histories imported through the bulk
   path, one sweep, then copies spread over the year and ``--before-cases`` over the two
   years before it, with hearings and suspensions written in SQL). ``--nodes`` is small by
   default: node instances play no part in the metrics.
2. ``manage.py metrics_rebuild``'s work (``rollup_rebuild``), timed, since the generator
   writes past the services; then VACUUM ANALYZE.
3. For the year (the court's time), at each level: ``court_metrics`` (from the rollups),
   ``--repeat`` runs, and the direct aggregate statement over the raw rows
   (``export_bench.METRICS_SQL``) the same number of times, alternating; medians. The
   counts must agree; the statement's durations are fractional days, the rollups' whole
   days, so its median may differ by less than a day.

    .venv/bin/python bench/metrics_bench.py [--year-cases 1200000] [--before-cases 300000]
        [--real 5000] [--nodes 200000] [--repeat 5] [--reuse] [--drop]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import time

import export_bench
from setup import Timer

URL = "postgres://postgres@127.0.0.1:5432/courtflow_bench_metrics"
TARGET_S = 1.0
COUNTS = ("new", "closed", "carried_over", "pending", "closed_within_limit", "pending_over_12")


def rebuild() -> dict:
    from django.db import connection

    from cases.rollups import rollup_rebuild
    from teams.models import Court

    court = Court.objects.get()
    with Timer() as t:
        result = rollup_rebuild(court.pk)
    with Timer() as v, connection.cursor() as cur:
        cur.execute(
            "VACUUM ANALYZE cases_metricsflow, cases_metricsagesegment, cases_metricshearings, "
            "cases_metricscasefacts"
        )
    return {**result, "seconds": t.seconds, "vacuum_s": v.seconds}


def data() -> dict:
    from django.db import connection

    out = {}
    with connection.cursor() as cur:
        for name, sql in [
            ("cases", "SELECT count(*) FROM cases_case"),
            ("suspensions", "SELECT count(*) FROM cases_suspension"),
            ("hearings", "SELECT count(*) FROM cases_hearing WHERE status = 'held'"),
            ("divisions", "SELECT count(DISTINCT division_id) FROM cases_case"),
            ("teams", "SELECT count(DISTINCT team_id) FROM cases_case"),
            ("judges", "SELECT count(DISTINCT judge_id) FROM cases_case"),
            ("case_mb", "SELECT pg_total_relation_size('cases_case') / 1048576"),
        ]:
            cur.execute(sql)
            out[name] = cur.fetchone()[0]
        for table in ("metricsflow", "metricsagesegment", "metricshearings", "metricscasefacts"):
            cur.execute(
                f"SELECT count(*), pg_total_relation_size('cases_{table}') / 1048576 "
                f"FROM cases_{table}"
            )
            out[table] = cur.fetchone()
        cur.execute("SELECT level, count(*) FROM cases_metricsflow GROUP BY 1 ORDER BY 1")
        out["flow_rows_by_level"] = cur.fetchall()
    return out


def measure(level: str, repeat: int) -> dict:
    from django.db import connection

    from assessment.apis import period_bounds
    from assessment.metrics import court_metrics, months_before
    from teams.models import Court

    court = Court.objects.get()
    start, end = period_bounds(*export_bench.period())
    scope = {"court_id": court.pk, "start": start, "end": end}
    params = {
        **scope,
        "year_ago": months_before(end, 12),
        "two_years_ago": months_before(end, 24),
        "start_year_ago": months_before(start, 12),
    }
    key = {"court": "court_id", "division": "division_id", "team": "team_id", "judge": "judge_id"}
    app, direct, statements = [], [], 0
    rows = direct_rows = None
    for _ in range(repeat):
        connection.queries_log.clear()
        t0 = time.perf_counter()
        rows = court_metrics(**scope, level=level)
        app.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute(export_bench.METRICS_SQL.format(key=key[level]), params)
            names = [c.name for c in cur.description]
            direct_rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
        direct.append(time.perf_counter() - t0)
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        court_metrics(**scope, level=level)
    statements = len(queries)
    direct_rows = [r for r in direct_rows if r["key"] is not None]
    check = {
        name: (sum(getattr(r, name) for r in rows), sum(r[name] for r in direct_rows))
        for name in COUNTS
    }
    if level == "court":
        check["median_days"] = (str(rows[0].median_days), round(direct_rows[0]["median_days"], 1))
        check["pending_median_age"] = (
            str(rows[0].pending_median_age),
            round(direct_rows[0]["pending_median_age"], 1),
        )
    return {
        "level": level,
        "units": len(rows),
        "app_s": statistics.median(app),
        "app_runs": app,
        "direct_s": statistics.median(direct),
        "direct_runs": direct,
        "statements": statements,
        "check": check,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nodes", type=int, default=200_000)
    parser.add_argument("--year-cases", type=int, default=1_200_000)
    parser.add_argument("--before-cases", type=int, default=300_000)
    parser.add_argument("--real", type=int, default=5000, help="Cases imported by the app.")
    parser.add_argument("--scale", type=float, default=0.3, help="The demo court's size.")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="Measure the data already loaded.")
    parser.add_argument("--drop", action="store_true", help="Drop the database at the end.")
    args = parser.parse_args()
    export_bench.URL = URL
    export_bench.REBUILD_ROLLUPS = False  # rebuilt and timed below
    print(
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, database {URL}, load average "
        f"{os.getloadavg()}",
        flush=True,
    )
    if args.reuse:
        export_bench._django(URL)
    else:
        export_bench.load(args)
    built = rebuild()
    print(f"rollups rebuilt: {built}", flush=True)
    sizes = data()
    print(f"data: {sizes}", flush=True)
    results = []
    for level in ("court", "division", "team", "judge"):
        results.append(measure(level, args.repeat))
        print(f"  {results[-1]}", flush=True)
    print("\n=== results ===")
    print(f"load average at the end (1, 5, 15 min): {os.getloadavg()}")
    print(
        f"{sizes['cases']:,} cases ({sizes['case_mb']:,} MB), {sizes['suspensions']:,} "
        f"suspensions, {sizes['hearings']:,} hearings held; rollups: flow "
        f"{sizes['metricsflow'][0]:,} rows ({sizes['metricsflow'][1]} MB), age segments "
        f"{sizes['metricsagesegment'][0]:,} ({sizes['metricsagesegment'][1]} MB), hearing days "
        f"{sizes['metricshearings'][0]:,}, case facts {sizes['metricscasefacts'][0]:,} "
        f"({sizes['metricscasefacts'][1]} MB); flow rows by level {sizes['flow_rows_by_level']}"
    )
    print(
        f"rebuild: {built['seconds']:.1f} s for {built['cases']:,} cases "
        f"(+ VACUUM ANALYZE {built['vacuum_s']:.1f} s)"
    )
    for r in results:
        ok = "met" if r["app_s"] < TARGET_S else "NOT met"
        print(
            f"court_metrics level={r['level']:9} ({r['units']} rows): {r['app_s']:.3f} s median "
            f"(runs {', '.join(f'{x:.3f}' for x in r['app_runs'])}) in {r['statements']} "
            f"statements; direct aggregate {r['direct_s']:.2f} s "
            f"({r['direct_s'] / r['app_s']:.0f}x); target < {TARGET_S} s: {ok}"
        )
        print(f"    same figures (rollups, direct): {r['check']}")
    if args.drop:
        from django.db import connections

        connections.close_all()
        admin, name = URL.rsplit("/", 1)
        subprocess.run(["psql", admin + "/postgres", "-qc", f"DROP DATABASE {name}"], check=True)
        print(f"dropped {name}")


if __name__ == "__main__":
    main()
