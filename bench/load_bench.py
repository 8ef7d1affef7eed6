"""Load (issue 8): the judge's queue, the case page and the case list API under 20 concurrent
users for a minute each, on PostgreSQL with 100,000 cases behind gunicorn — and the same
minute again while a deadline sweep locks 1% of the open node instances.

The data, gunicorn and the simulated users are those of the pages benchmark
(bench/pages_bench.py: realistic case histories through the bulk path, production settings,
two sync workers, each user signed in through /login/ and sending requests back to back).
Server time comes from gunicorn's access log; client time (connect to last byte, so it
includes the wait in gunicorn's backlog) from the load generator.

Each page kind is measured twice, one after the other:
1. quiet: ``--seconds`` of load;
2. with a sweep: 1% of the open node instances (chosen at random among those without a
   grace period) are moved to a deadline one minute ago, as if that many fell due at once,
   and ``--sweep-after`` seconds into the same length of load ``manage.py sweep`` runs in
   its own process (the beat task runs the same service). Reported: the minute's figures,
   the sweep's duration and what it did, and the client-side p95 of the requests that
   started while it ran against those that did not.

    .venv/bin/python bench/load_bench.py [--cases 100000] [--seconds 60] [--users 20]
        [--workers 2] [--reuse]

The database is BENCH_DATABASE_URL (default postgres://…/courtflow_load, recreated unless
--reuse). Any non-200 answer fails the run.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pages_bench as pb
from setup import ROOT, django_setup, load_base

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/courtflow_load"


def api_url(user: pb.User) -> tuple[str, str]:
    r = user.rng.random()
    if r < 0.6:
        return "page 1", "/api/cases/"
    if r < 0.8:
        return "offset 50-500", f"/api/cases/?offset={50 * user.rng.randint(1, 10)}"
    if r < 0.9:
        return "locked=true", "/api/cases/?locked=true"
    return "open_only=true", "/api/cases/?open_only=true"


KINDS = {"queue": pb.queue_url, "case page": pb.case_url, "case list API": api_url}
PATHS = {"queue": "/cases/", "case list API": "/api/cases/"}


def classify(path: str) -> str | None:
    if path == "/api/cases/":
        return "case list API"
    return pb.classify(path)


@dataclass
class Sample:
    started: float
    status: int
    ms: float


@dataclass
class Run:
    kind: str
    with_sweep: bool
    seconds: float = 0.0
    server_ms: list[float] = field(default_factory=list)
    samples: list[Sample] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    sweep_window: tuple[float, float] | None = None
    sweep_output: str = ""
    due: int = 0


def run_load(port: int, users: list[pb.User], kind: str, seconds: float) -> tuple[float, list]:
    pick = KINDS[kind]
    barrier = threading.Barrier(len(users) + 1)
    deadline = [0.0]
    samples: list[list[Sample]] = [[] for _ in users]

    def loop(i: int, user: pb.User) -> None:
        barrier.wait()
        while time.perf_counter() < deadline[0]:
            _variant, url = pick(user)
            t0 = time.perf_counter()
            try:
                status, _msg, _body = pb.request(port, url, cookies=user.cookies)
            except OSError:
                status = 0
            samples[i].append(Sample(t0, status, (time.perf_counter() - t0) * 1000))

    threads = [threading.Thread(target=loop, args=(i, u), daemon=True) for i, u in enumerate(users)]
    for t in threads:
        t.start()
    deadline[0] = time.perf_counter() + seconds
    t0 = time.perf_counter()
    barrier.wait()
    for t in threads:
        t.join()
    return time.perf_counter() - t0, [s for per in samples for s in per]


def parse_log(path: Path, start: int, end: int, kind: str) -> tuple[list[float], dict]:
    with path.open("rb") as f:
        f.seek(start)
        chunk = f.read(end - start).decode()
    server, errors = [], {}
    for line in chunk.splitlines():
        status, micros, _method, url_path, _query = line.split("\t")
        if classify(url_path) != kind:
            errors[f"unexpected {url_path}"] = errors.get(f"unexpected {url_path}", 0) + 1
            continue
        server.append(int(micros) / 1000)
        if status != "200":
            errors[status] = errors.get(status, 0) + 1
    return server, errors


def make_due(fraction: float, rng: random.Random) -> tuple[int, object]:
    """Move ``fraction`` of the open node instances (no grace) to a deadline a minute ago,
    their prompt and warning already given, as the sweep benchmark does."""
    import datetime as dt

    from django.db import connection, transaction
    from django.db.models import F
    from django.utils import timezone

    from nodes.models import NodeInstance

    with connection.cursor() as cur:
        cur.execute(
            "SELECT id FROM nodes_nodeinstance WHERE status = 'open' AND grace_until IS NULL "
            "AND next_action_at IS NOT NULL"
        )
        ids = [r[0] for r in cur.fetchall()]
    total_open = NodeInstance.objects.filter(status="open").count()
    chosen = rng.sample(ids, k=min(len(ids), int(total_open * fraction)))
    at = timezone.now() - dt.timedelta(minutes=1)
    with transaction.atomic():
        for i in range(0, len(chosen), 10_000):
            NodeInstance.objects.filter(pk__in=chosen[i : i + 10_000]).update(
                due_at=at,
                next_action_at=at,
                prompted_at=F("prompt_at"),
                warned_at=F("warn_at"),
            )
    with connection.cursor() as cur:
        cur.execute("ANALYZE nodes_nodeinstance")
    connection.close()
    return len(chosen), at


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--chunk", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--sweep-after", type=float, default=10)
    parser.add_argument("--fraction", type=float, default=0.01)
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="courtflow-load-"))
    env = pb._env(workdir / "var")
    os.environ.update(env)
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    if args.reuse:
        os.environ["DATABASE_URL"] = url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "courtflow.settings")
        import django

        django.setup()
    else:
        django_setup(url)
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "courtflow.settings"}
    signal.signal(signal.SIGTERM, lambda *_a: sys.exit(143))
    server = None
    runs: list[Run] = []
    try:
        from django.core.management import call_command
        from django.db import connection

        from cases.models import Case
        from nodes.models import CaseLock, NodeInstance
        from teams.demo import DEMO_PASSWORD

        if not args.reuse:
            from nodes.sweep import sweep_run

            court = load_base()
            print(f"loading {args.cases} cases …", flush=True)
            _n, load_s = pb.load_cases(court, args.cases, args.chunk)
            sweep_run()
            with connection.cursor() as cur:
                cur.execute("VACUUM ANALYZE")
            print(f"loaded in {load_s:.0f} s")
        print(
            f"data: {Case.objects.count()} cases, {NodeInstance.objects.count()} node instances "
            f"({NodeInstance.objects.filter(status='open').count()} open), "
            f"{Case.objects.filter(locked=True).count()} locked cases, "
            f"{CaseLock.objects.count()} lock rows",
            flush=True,
        )
        call_command("collectstatic", interactive=False, verbosity=0)
        judges = pb.pick_judges(args.users)
        connection.close()
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        print(f"code at commit {commit or '?'}")
        server = pb.Server(env, workdir, args.workers, 1)
        server.wait_ready()
        print(f"gunicorn on {pb.HOST}:{server.port}: {args.workers} sync workers", flush=True)
        users = [
            pb.User(pb.login(server.port, j.username, DEMO_PASSWORD), j, random.Random(i))
            for i, j in enumerate(judges)
        ]
        rng = random.Random(8)
        for kind in KINDS:
            for with_sweep in (False, True):
                run = Run(kind, with_sweep)
                if args.warmup:
                    run_load(server.port, users, kind, args.warmup)
                sweeper: dict = {}
                if with_sweep:
                    run.due, _at = make_due(args.fraction, rng)

                    def sweep_later(out=sweeper) -> None:
                        time.sleep(args.sweep_after)
                        t0 = time.perf_counter()
                        proc = subprocess.run(
                            [sys.executable, "manage.py", "sweep", "--skip-checks"],
                            cwd=ROOT,
                            env=env,
                            capture_output=True,
                            text=True,
                        )
                        out["window"] = (t0, time.perf_counter())
                        out["output"] = (proc.stdout + proc.stderr).strip()
                        out["rc"] = proc.returncode

                    thread = threading.Thread(target=sweep_later, daemon=True)
                    thread.start()
                time.sleep(1)
                offset = server.log_offset()
                label = "with a sweep" if with_sweep else "quiet"
                print(f"{kind}, {label}: {args.users} users for {args.seconds:.0f} s …", flush=True)
                run.seconds, run.samples = run_load(server.port, users, kind, args.seconds)
                if with_sweep:
                    thread.join()
                    run.sweep_window = sweeper.get("window")
                    run.sweep_output = sweeper.get("output", "")
                    if sweeper.get("rc"):
                        run.errors["sweep failed"] = 1
                time.sleep(1)
                run.server_ms, log_errors = parse_log(
                    server.access_log, offset, server.log_offset(), kind
                )
                run.errors.update(log_errors)
                failed = sum(1 for s in run.samples if s.status != 200)
                if failed:
                    run.errors["client saw non-200"] = failed
                if len(run.samples) != len(run.server_ms):
                    run.errors["client/server count mismatch"] = abs(
                        len(run.samples) - len(run.server_ms)
                    )
                runs.append(run)
                report_one(run)
    finally:
        if server is not None:
            server.stop()
    report(runs, args)
    shutil.rmtree(workdir, ignore_errors=True)
    bad = {f"{r.kind} ({'sweep' if r.with_sweep else 'quiet'})": r.errors for r in runs if r.errors}
    if bad:
        print(f"FAILED: {bad}", file=sys.stderr)
        sys.exit(1)


def report_one(run: Run) -> None:
    p = pb.pct
    line = (
        f"  {len(run.server_ms)} requests, {len(run.server_ms) / run.seconds:.1f}/s, server p50 "
        f"{p(run.server_ms, 50):.1f} / p95 {p(run.server_ms, 95):.1f} / p99 "
        f"{p(run.server_ms, 99):.1f} ms, client p95 {p([s.ms for s in run.samples], 95):.0f} ms, "
        f"errors {sum(run.errors.values())}"
    )
    print(line, flush=True)
    if run.sweep_window:
        a, b = run.sweep_window
        inside = [s.ms for s in run.samples if a <= s.started < b]
        outside = [s.ms for s in run.samples if not a <= s.started < b]
        print(
            f"  sweep: {run.due} instances made due; ran {b - a:.1f} s: {run.sweep_output}\n"
            f"  client p95 of requests started during the sweep {p(inside, 95) if inside else 0:.0f} ms "
            f"({len(inside)}), the rest {p(outside, 95):.0f} ms ({len(outside)})",
            flush=True,
        )


def report(runs: list[Run], args) -> None:
    p = pb.pct
    print(
        f"\n{'page':14} {'sweep':>5} {'requests':>8} {'req/s':>6} {'p50':>6} {'p95':>6} {'p99':>6} "
        f"{'errors':>6} {'client p95':>10} {'in sweep':>9} {'sweep s':>7}"
    )
    for r in runs:
        inside = ""
        took = ""
        if r.sweep_window:
            a, b = r.sweep_window
            during = [s.ms for s in r.samples if a <= s.started < b]
            inside = f"{p(during, 95):.0f}" if during else "-"
            took = f"{b - a:.1f}"
        print(
            f"{r.kind:14} {'yes' if r.with_sweep else 'no':>5} {len(r.server_ms):8} "
            f"{len(r.server_ms) / r.seconds:6.1f} {p(r.server_ms, 50):6.1f} {p(r.server_ms, 95):6.1f} "
            f"{p(r.server_ms, 99):6.1f} {sum(r.errors.values()):6} "
            f"{p([s.ms for s in r.samples], 95):10.0f} {inside:>9} {took:>7}"
        )
    total = sum(len(r.server_ms) for r in runs)
    errors = sum(sum(r.errors.values()) for r in runs)
    print(f"\n{total} requests, {errors} errors; {args.users} users, {args.seconds:.0f} s each")
    med = statistics.median
    for kind in KINDS:
        quiet = next(r for r in runs if r.kind == kind and not r.with_sweep)
        swept = next(r for r in runs if r.kind == kind and r.with_sweep)
        print(
            f"{kind}: median server time {med(quiet.server_ms):.1f} ms quiet, "
            f"{med(swept.server_ms):.1f} ms in the minute with a sweep"
        )


if __name__ == "__main__":
    main()
