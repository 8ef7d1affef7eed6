"""Sweep benchmark (issue 5), on PostgreSQL with 100,000 pending cases and over 1,000,000
open node instances (imported through the bulk path, as a migrating court would).

1. Nothing due: the sweep's time at 100,000 and at 1,000,000 open instances (must stay flat,
   under 20 ms): the due query is an index range scan.
2. 1% of the instances due (about 10,000, mixed general and important, spread over the cases):
   disjoint groups, each handled one way, in the same run:
     a. a naive per-object loop (load each due instance, lock its case if important, save it,
        create its sweep action, notifications and audit row one by one), in autocommit and
        with a transaction per object;
     b. one hand-written SQL statement doing the same writes (the practical floor);
     c. the sweep (on PostgreSQL each batch is one statement, nodes.sweep_sql);
     d. the sweep's portable batch (the Python path SQLite uses), for comparison.
3. Queries per sweep batch (must be constant).

    .venv/bin/python bench/sweep_bench.py [--cases 100000]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import random
import statistics

from setup import Timer, django_setup, load_base

FLOOR_SQL = """
WITH due AS (
    SELECT n.id FROM nodes_nodeinstance n
    WHERE n.next_action_at <= %(at)s AND n.status = 'open' AND COALESCE(n.grace_until, n.due_at) <= %(at)s
    ORDER BY n.next_action_at FOR UPDATE SKIP LOCKED
), upd AS (
    UPDATE nodes_nodeinstance n
    SET status = CASE WHEN n.level = 'important' THEN 'locked' ELSE 'overdue' END,
        overdue_at = %(at)s, next_action_at = NULL
    FROM due WHERE n.id = due.id
    RETURNING n.id, n.case_id, n.court_id, n.level, n.round, n.code, COALESCE(n.grace_until, n.due_at) AS due_at
), newlocks AS (
    UPDATE cases_case c SET locked = true, lock_count = c.lock_count + 1
    WHERE c.id IN (SELECT case_id FROM upd WHERE level = 'important') AND NOT c.locked
    RETURNING c.id, c.court_id, c.lock_count, c.number
), lockrows AS (
    INSERT INTO nodes_caselock (case_id, court_id, sequence, node_id, locked_at, unlock_reason)
    SELECT nl.id, nl.court_id, nl.lock_count, f.node_id, %(at)s, ''
    FROM newlocks nl
    JOIN (SELECT DISTINCT ON (case_id) case_id, id AS node_id FROM upd WHERE level = 'important'
          ORDER BY case_id, id) f ON f.case_id = nl.id
    RETURNING case_id
), acts AS (
    INSERT INTO nodes_sweepaction (instance_id, case_id, court_id, kind, round, at, due_at)
    SELECT id, case_id, court_id, CASE WHEN level = 'important' THEN 'lock' ELSE 'overdue' END, round, %(at)s, due_at
    FROM upd
    RETURNING id
), recipients AS (
    SELECT u.id AS node_id, u.case_id, u.level, c.number, j.user_id
    FROM upd u JOIN cases_case c ON c.id = u.case_id JOIN teams_person j ON j.id = c.judge_id
    WHERE u.level = 'important'
    UNION ALL
    SELECT u.id, u.case_id, u.level, c.number, h.user_id
    FROM upd u JOIN cases_case c ON c.id = u.case_id JOIN teams_division d ON d.id = c.division_id
         JOIN teams_person h ON h.id = d.head_id
), notes AS (
    INSERT INTO nodes_notification (recipient_id, kind, case_id, node_id, title, body, created_at, send_email,
                                    send_sms, attempts, last_error)
    SELECT r.user_id, CASE WHEN r.level = 'important' THEN 'lock' ELSE 'overdue' END, r.case_id, r.node_id,
           'Overdue: ' || r.number, '', %(at)s, r.level = 'important', r.level = 'important', 0, ''
    FROM recipients r
    RETURNING id
), audit AS (
    INSERT INTO courtflow_auditevent (at, actor_name, action, source, court_id, object_type, object_id, object_repr,
                                      case_id, node_id, before, after, reason)
    SELECT %(at)s, '', 'node.' || CASE WHEN u.level = 'important' THEN 'lock' ELSE 'overdue' END, 'system',
           u.court_id, 'nodes.nodeinstance', u.id::text, c.number, u.case_id, u.id, NULL::jsonb,
           jsonb_build_object('due_at', u.due_at, 'round', u.round), ''
    FROM upd u JOIN cases_case c ON c.id = u.case_id
    UNION ALL
    SELECT %(at)s, '', 'case.locked', 'system', nl.court_id, 'cases.case', nl.id::text, nl.number, nl.id, NULL::bigint,
           NULL::jsonb, jsonb_build_object('sequence', nl.lock_count), ''
    FROM newlocks nl
    RETURNING id
)
SELECT (SELECT count(*) FROM upd), (SELECT count(*) FROM notes), (SELECT count(*) FROM audit)
"""


def naive_loop(at: dt.datetime, *, per_object_transaction: bool) -> int:
    """Per object: load it and its case, decide, save, and create every row one by one —
    in Django's default autocommit (each statement its own transaction), or with one
    transaction per object."""
    from django.db import transaction

    from cases.models import Case
    from courtflow.models import AuditEvent
    from nodes.models import CaseLock, NodeInstance, Notification, SweepAction

    ids = list(
        NodeInstance.objects.filter(next_action_at__lte=at, status="open")
        .order_by("next_action_at")
        .values_list("id", flat=True)
    )
    for pk in ids:
        with transaction.atomic() if per_object_transaction else contextlib.nullcontext():
            inst = NodeInstance.objects.get(pk=pk)
            case = Case.objects.select_related("judge", "division__head").get(pk=inst.case_id)
            kind = "lock" if inst.level == "important" else "overdue"
            inst.status = "locked" if kind == "lock" else "overdue"
            inst.overdue_at, inst.next_action_at = at, None
            inst.save()
            if kind == "lock" and not case.locked:
                case.locked, case.lock_count = True, case.lock_count + 1
                case.save(update_fields=["locked", "lock_count"])
                CaseLock.objects.create(
                    case=case,
                    court_id=case.court_id,
                    sequence=case.lock_count,
                    node=inst,
                    locked_at=at,
                )
                AuditEvent.objects.create(
                    action="case.locked",
                    source="system",
                    court_id=case.court_id,
                    object_type="cases.case",
                    object_id=str(case.pk),
                    object_repr=case.number,
                    case_id=case.pk,
                    after={"sequence": case.lock_count},
                )
            SweepAction.objects.create(
                instance=inst,
                case_id=case.pk,
                court_id=case.court_id,
                kind=kind,
                round=inst.round,
                at=at,
                due_at=inst.due_at,
            )
            recipients = {case.division.head.user_id}
            if kind == "lock":
                recipients.add(case.judge.user_id)
            for user_id in recipients:
                Notification.objects.create(
                    recipient_id=user_id,
                    kind=kind,
                    case=case,
                    node=inst,
                    title=f"Overdue: {case.number}",
                    created_at=at,
                    send_email=kind == "lock",
                    send_sms=kind == "lock",
                )
            AuditEvent.objects.create(
                action=f"node.{kind}",
                source="system",
                court_id=case.court_id,
                object_type="nodes.nodeinstance",
                object_id=str(inst.pk),
                object_repr=case.number,
                case_id=case.pk,
                node_id=inst.pk,
                after={"due_at": inst.due_at.isoformat(), "round": inst.round},
            )
    return len(ids)


def _commits(connection) -> int:
    """Transactions committed in this database so far (in autocommit, one per statement);
    read from the statistics collector, which publishes at most once a second."""
    import time

    time.sleep(1.5)
    with connection.cursor() as cur:
        cur.execute("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")
        return cur.fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--chunk", type=int, default=10_000)
    parser.add_argument(
        "--profile", action="store_true", help="Print where the sweep spends its time."
    )
    parser.add_argument("--batch-size", type=int, default=None, help="The sweep's batch size.")
    args = parser.parse_args()
    django_setup()
    court = load_base(scale=0.3)

    import cProfile
    import pstats

    from django.db import connection, transaction
    from django.db.models import F
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from cases.demo import _parties
    from cases.services.bulk import ImportRow, case_import_bulk
    from nodes.models import NodeInstance
    from nodes.sweep import BATCH_SIZE, sweep_run
    from nodes.tasks import notifications_deliver_soon

    def nothing_due_ms() -> float:
        sweep_run()  # warm
        times = []
        for _ in range(25):
            with Timer() as t:
                sweep_run()
            times.append(t.seconds * 1000)
        return statistics.median(times)

    now = timezone.now()
    rng = random.Random(11)
    flat: dict[int, float] = {}
    imported = 0
    procedures = ["civil_simple", "civil_ordinary", "civil_small_claims", "enforcement"]
    with Timer() as load:
        while imported < args.cases:
            n = min(args.chunk, args.cases - imported)
            rows = []
            for _i in range(n):
                proc = rng.choice(procedures)
                # Filed within the last 3 days: every node is open and due in the future.
                filed = now - dt.timedelta(hours=rng.uniform(1, 72))
                rows.append(
                    ImportRow(
                        procedure=proc,
                        cause="民间借贷纠纷",
                        parties=_parties(proc, rng),
                        received_at=filed - dt.timedelta(hours=1),
                        filed_at=filed,
                        assign=True,
                        claim_amount=20000,
                    )
                )
            case_import_bulk(actor=None, court=court, rows=rows, source="bench")
            imported += n
            with connection.cursor() as cur:  # what autovacuum does after a bulk load
                cur.execute("ANALYZE")
            open_count = NodeInstance.objects.filter(status="open").count()
            if imported in (args.chunk, args.cases):
                flat[open_count] = nothing_due_ms()
                print(
                    f"  {imported} cases, {open_count} open instances: nothing-due sweep {flat[open_count]:.2f} ms"
                )
    total_open = NodeInstance.objects.filter(status="open").count()
    print(
        f"data: {imported} cases, {total_open} open node instances, loaded in {load.seconds:.0f} s"
    )

    # 1% due, in five disjoint groups (by case), due at five earlier instants, one per method.
    with connection.cursor() as cur:
        cur.execute(
            "SELECT id, case_id FROM nodes_nodeinstance WHERE status = 'open' AND next_action_at IS NOT NULL"
        )
        candidates = cur.fetchall()
    sample = rng.sample(candidates, k=int(total_open * 0.01))
    groups: dict[int, list[int]] = {g: [] for g in range(5)}
    for node_id, case_id in sample:
        groups[case_id % 5].append(node_id)
    base = timezone.now()
    instants = {g: base - dt.timedelta(hours=5 - g) for g in groups}
    with transaction.atomic():
        for g, ids in groups.items():
            NodeInstance.objects.filter(pk__in=ids).update(
                due_at=instants[g],
                next_action_at=instants[g],
                prompted_at=F("prompt_at"),
                warned_at=F("warn_at"),
            )
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    half = dt.timedelta(minutes=30)

    commits_before = _commits(connection)
    with Timer() as naive:
        naive_n = naive_loop(instants[0] + half, per_object_transaction=False)
    naive_statements = (_commits(connection) - commits_before) / naive_n
    with Timer() as naive_tx:
        naive_tx_n = naive_loop(instants[1] + half, per_object_transaction=True)
    with Timer() as floor, transaction.atomic(), connection.cursor() as cur:
        cur.execute(FLOOR_SQL, {"at": instants[2] + half})
        floor_n = cur.fetchone()[0]
    # A worker keeps its broker connection: open it before timing.
    notifications_deliver_soon([])
    profiler = cProfile.Profile()
    with CaptureQueriesContext(connection) as queries, Timer() as sweep:
        if args.profile:
            profiler.enable()
        result = sweep_run(at=instants[3] + half, batch_size=args.batch_size or BATCH_SIZE)
        profiler.disable()
    with Timer() as portable:
        portable_result = sweep_run(
            at=instants[4] + half, batch_size=args.batch_size or BATCH_SIZE, portable=True
        )
    if args.profile:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
        for q in queries.captured_queries:
            print(f"  {float(q['time']) * 1000:8.1f} ms  {q['sql'][:110]}")
    sweep_n = result.overdue + result.locks
    naive_rate, naive_tx_rate = naive_n / naive.seconds, naive_tx_n / naive_tx.seconds
    floor_rate, sweep_rate = floor_n / floor.seconds, sweep_n / sweep.seconds
    portable_n = portable_result.overdue + portable_result.locks
    portable_rate = portable_n / portable.seconds
    print(f"1% due ({len(sample)} instances in five groups):")
    print(
        f"  naive loop, autocommit:               {naive_n:6} in {naive.seconds:7.2f} s = {naive_rate:7.0f}/s"
    )
    print(
        f"  naive loop, a transaction per object: {naive_tx_n:6} in {naive_tx.seconds:7.2f} s = "
        f"{naive_tx_rate:7.0f}/s"
    )
    print(
        f"  one hand-written SQL statement:       {floor_n:6} in {floor.seconds:7.2f} s = {floor_rate:7.0f}/s"
    )
    print(
        f"  the sweep:                            {sweep_n:6} in {sweep.seconds:7.2f} s = {sweep_rate:7.0f}/s"
    )
    print(
        f"  the sweep's portable batch:           {portable_n:6} in {portable.seconds:7.2f} s = "
        f"{portable_rate:7.0f}/s"
    )
    print(
        f"sweep vs the naive loop: {sweep_rate / naive_rate:.1f}x faster (target ≥ 50x); vs the loop with a "
        f"transaction per object: {sweep_rate / naive_tx_rate:.1f}x; vs one SQL statement: "
        f"{floor_rate / sweep_rate:.2f}x slower (target ≤ 2x); portable batch vs the naive loop: "
        f"{portable_rate / naive_rate:.1f}x"
    )
    print(f"naive loop, autocommit: {naive_statements:.1f} statements (round trips) per instance")
    print(
        f"queries per batch: {len(queries) / max(result.batches, 1):.1f} over {result.batches} batches"
    )
    print("nothing due: " + ", ".join(f"{k} open → {v:.2f} ms" for k, v in sorted(flat.items())))


if __name__ == "__main__":
    main()
