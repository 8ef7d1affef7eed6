"""Case benchmarks (issue 4), on PostgreSQL:

1. Registrations per second with 8 concurrent registrants (real parallel connections through
   the one-by-one registration service), and the count of duplicate 案号 (must be 0).
2. Opening node instances for 10,000 new cases: the bulk path (one computation, bulk inserts)
   against a one-by-one baseline (the per-case service path) in the same run.

    .venv/bin/python bench/cases_bench.py [--registrants 8] [--per-registrant 150] [--cases 10000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing

from setup import Timer, django_setup, load_base


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--registrants", type=int, default=8)
    parser.add_argument("--per-registrant", type=int, default=150)
    parser.add_argument("--cases", type=int, default=10000)
    args = parser.parse_args()
    django_setup()
    court = load_base()

    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.db.models import Count
    from django.utils import timezone

    from cases.demo import _parties
    from cases.models import Case
    from cases.services import case_register
    from cases.services.bulk import ImportRow, case_import_bulk
    from cases.services.common import open_nodes
    from nodes import engine
    from nodes.models import NodeInstance
    from nodes.selectors import calendar_load, node_settings_for

    registrar = get_user_model().objects.get(username="registrar")
    import random

    # Separate processes (each its own database connection and interpreter), released together.
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(args.registrants + 1)
    failures = ctx.Value("i", 0)

    def registrant(n: int) -> None:
        connection.close()  # never share the parent's connection
        rng = random.Random(n)
        barrier.wait()
        try:
            for _i in range(args.per_registrant):
                case_register(
                    actor=registrar,
                    court=court,
                    procedure="civil_simple",
                    cause="民间借贷纠纷",
                    parties=_parties("civil_simple", rng),
                    claim_amount="20000",
                )
        except BaseException:
            with failures.get_lock():
                failures.value += 1
            raise
        finally:
            connection.close()

    connection.close()
    procs = [ctx.Process(target=registrant, args=(i,)) for i in range(args.registrants)]
    for p in procs:
        p.start()
    barrier.wait()
    with Timer() as reg:
        for p in procs:
            p.join()
    errors = [p.exitcode for p in procs if p.exitcode] + (
        [failures.value] if failures.value else []
    )
    total = args.registrants * args.per_registrant
    duplicates = Case.objects.values("number").annotate(n=Count("id")).filter(n__gt=1).count()
    print(
        f"registrations: {total} by {args.registrants} concurrent registrant processes in {reg.seconds:.2f} s "
        f"= {total / reg.seconds:.1f}/s; errors {len(errors)}; duplicate 案号 {duplicates}"
    )

    # --- opening nodes: bulk against one by one ----------------------------------------
    now = timezone.now()
    rows = [
        ImportRow(
            procedure="civil_simple",
            cause="买卖合同纠纷",
            parties=_parties("civil_simple", random.Random(i)),
            received_at=now - dt.timedelta(hours=2),
            filed_at=now - dt.timedelta(hours=1),
            assign=False,
        )
        for i in range(2 * args.cases)
    ]
    imported = case_import_bulk(actor=None, court=court, rows=rows, source="bench")
    first, second = imported[: args.cases], imported[args.cases :]
    NodeInstance.objects.filter(case__in=imported).delete()

    cal = calendar_load()
    settings = {court.pk: node_settings_for(court.pk)}
    with Timer() as bulk:
        requests = [
            engine.OpenRequest(
                case_id=c.pk,
                court_id=c.court_id,
                procedure=c.procedure,
                version_id=c.catalog_version_id,
                event="case_filed",
                at=c.filed_at,
                scheduled_for=None,
                facts={},
                clock=engine.ClockState(),
            )
            for c in first
        ]
        NodeInstance.objects.bulk_create(
            engine.build_instances(requests, cal=cal, settings_by_court=settings), batch_size=2000
        )
    bulk_rows = NodeInstance.objects.filter(case__in=first).count()
    with Timer() as single:
        for c in second:
            with transaction.atomic():  # as the per-case service does
                open_nodes(c, "case_filed", at=c.filed_at)
    single_rows = NodeInstance.objects.filter(case__in=second).count()
    print(
        f"open nodes for {args.cases} cases: bulk {bulk.seconds:.2f} s ({bulk_rows} rows), one by one "
        f"{single.seconds:.2f} s ({single_rows} rows); bulk is {single.seconds / bulk.seconds:.1f}x faster"
    )


if __name__ == "__main__":
    main()
