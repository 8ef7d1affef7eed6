"""Pages under load (issue 6), on PostgreSQL with 100,000 cases, against gunicorn.

The judge's queue (GET /cases/), the case page (GET /cases/<id>/) and the Django admin's
case list (GET /admin/cases/case/) are each loaded by ``--users`` concurrent simulated users
for ``--seconds``, one kind after the other, in the same run, on the same data. Server time
is what gunicorn logs for each request (``%(D)s``: from the parsed request to the last byte
written); the figures are computed from its access log.

1. Data: the demo court, ``--cases`` realistic case histories (``cases.demo``) imported through
   the bulk path in chunks of 10,000, one deadline sweep (so overdue nodes and locks exist),
   then VACUUM ANALYZE (what autovacuum does after a bulk load).
2. gunicorn with production settings (``COURTFLOW_ENV=production``, DEBUG off, persistent
   database connections), bound to 127.0.0.1 on a free port; TLS is a proxy's job, so
   ``DJANGO_SECURE`` is off for the plain-HTTP loopback. One sync worker per core by
   default: the pages are CPU-bound (Python renders them), so more processes than cores
   time-slice the requests in progress, which lengthens each one's server time for little
   more throughput (a worker waiting for PostgreSQL lends its core); the requests beyond
   the workers wait in the listen backlog, which the client-side times show.
3. Each simulated user logs in through /login/ (a real session cookie) and then sends
   requests back to back (no think time), a new connection each time:
     queue: 20 distinct judges; page 1 mostly, sometimes pages 2-10 or a filter;
     case page: the same judges, random cases of their own team (any stage);
     admin list: 20 sessions of a superuser; page 1 mostly, sometimes pages 2-10 or the
     locked filter.
4. CPU time per page kind, from /proc: the gunicorn workers, every PostgreSQL process
   (the postmaster's tree, including the parallel workers a statement starts and ends),
   this client, and the rest of the machine (a warning says when that was not small).
5. Where the time goes: each page rendered in-process (Django's test client) with its
   queries captured: the count, the SQL time and the slowest statements.

    .venv/bin/python bench/pages_bench.py [--cases 100000] [--seconds 60] [--users 20]
        [--workers N] [--threads N] [--reuse] [--keep-log]
"""

from __future__ import annotations

import argparse
import http.client
import math
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

from setup import DEFAULT_URL, ROOT, Timer, django_setup, load_base

HOST = "127.0.0.1"
LOG_FORMAT = "%(s)s\t%(D)s\t%(m)s\t%(U)s\t%(q)s"
QUEUE_TARGET_MS = 100.0
ADMIN_RATIO_TARGET = 3.0


def _env(var_dir: Path) -> dict[str, str]:
    """The environment of the benchmark process and of gunicorn (the same secret key, so a
    session made by either is valid for both)."""
    return {
        "COURTFLOW_ENV": "production",
        "COURTFLOW_VAR_DIR": str(var_dir),
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_DEBUG": "false",
        "DJANGO_SECURE": "false",  # plain HTTP on the loopback; TLS ends at the proxy
        "DJANGO_ALLOWED_HOSTS": f"{HOST},localhost",
        "DJANGO_LOG_LEVEL": "WARNING",
    }


# --- data ------------------------------------------------------------------------------


def load_cases(court, count: int, chunk: int) -> tuple[int, float]:
    from django.db import connection

    from cases.demo import demo_case_rows
    from cases.services.bulk import case_import_bulk
    from teams.models import Division

    # Registration files every first-instance case (administrative ones too) with the first
    # civil division; a court's filing office spreads them, so the benchmark does too.
    civil = list(Division.objects.filter(court=court, kind=Division.Kind.CIVIL).order_by("id"))
    administrative = Division.objects.get(court=court, kind=Division.Kind.ADMINISTRATIVE)
    rng = random.Random(3)
    imported = 0
    with Timer() as t:
        while imported < count:
            n = min(chunk, count - imported)
            rows = demo_case_rows(count=n, seed=1000 + imported // chunk)
            for row in rows:
                if row.procedure.startswith("civil"):
                    row.division = rng.choice(civil)
                elif row.procedure.startswith("admin"):
                    row.division = administrative
            case_import_bulk(actor=None, court=court, rows=rows, source="bench")
            imported += n
            with connection.cursor() as cur:  # what autovacuum does after a bulk load
                cur.execute("ANALYZE")
            print(
                f"  imported {imported} cases ({time.perf_counter() - t.start:.0f} s)", flush=True
            )
    return imported, t.seconds


@dataclass
class Judge:
    username: str
    team_id: int
    case_ids: list[int]
    queue_pages: int


def pick_judges(n: int) -> list[Judge]:
    """``n`` distinct active judges whose current team has cases (the demo's "judge" first)."""
    from django.contrib.auth import get_user_model

    from cases.models import Case
    from cases.selectors import queue_cases
    from cases.views import QUEUE_PAGE_SIZE
    from teams.models import Membership, Person
    from teams.roles import Role

    seats = {
        m.person_id: m.team_id
        for m in Membership.objects.filter(ended_on__isnull=True, person__role=Role.JUDGE)
    }
    people = list(
        Person.objects.filter(role=Role.JUDGE, is_active=True, pk__in=list(seats))
        .select_related("user")
        .order_by("user__username")
    )
    people.sort(key=lambda p: p.user.username != "judge")
    judges = []
    user_model = get_user_model()
    for person in people:
        if len(judges) == n:
            break
        ids = list(Case.objects.filter(team_id=seats[person.pk]).values_list("id", flat=True))
        if not ids:
            continue
        user = user_model.objects.get(pk=person.user_id)
        in_queue = queue_cases(user=user).count()
        judges.append(
            Judge(
                username=person.user.username,
                team_id=seats[person.pk],
                case_ids=ids,
                queue_pages=max(1, math.ceil(in_queue / QUEUE_PAGE_SIZE)),
            )
        )
    if len(judges) < n:
        raise SystemExit(f"only {len(judges)} judges have cases; --users {n} needs {n}")
    return judges


# --- gunicorn --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, env: dict[str, str], workdir: Path, workers: int, threads: int) -> None:
        self.port = free_port()
        self.access_log = workdir / "access.log"
        self.error_log = workdir / "gunicorn.log"
        cmd = [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "courtflow.wsgi:application",
            "--bind",
            f"{HOST}:{self.port}",
            "--workers",
            str(workers),
            "--worker-class",
            "gthread" if threads > 1 else "sync",
            "--threads",
            str(threads),
            "--timeout",
            "120",
            "--access-logfile",
            str(self.access_log),
            "--access-logformat",
            LOG_FORMAT,
            "--error-logfile",
            str(self.error_log),
        ]
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"gunicorn exited early; see {self.error_log}")
            try:
                status, _h, _b = request(self.port, "/login/")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit("gunicorn did not answer in time")

    def log_offset(self) -> int:
        return self.access_log.stat().st_size if self.access_log.exists() else 0

    def worker_pids(self) -> list[int]:
        return children(self.proc.pid)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # graceful: the master stops its workers
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def request(
    port: int, path: str, *, method: str = "GET", cookies: dict | None = None, body: str = ""
) -> tuple[int, http.client.HTTPMessage, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        headers = {"Host": f"{HOST}:{port}"}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body or None, headers=headers)
        resp = conn.getresponse()
        return resp.status, resp.msg, resp.read()
    finally:
        conn.close()


def _set_cookies(msg: http.client.HTTPMessage) -> dict[str, str]:
    jar = SimpleCookie()
    for header in msg.get_all("Set-Cookie") or []:
        jar.load(header)
    return {k: m.value for k, m in jar.items()}


def login(port: int, username: str, password: str) -> dict[str, str]:
    """Sign in through the login form; returns the cookies of the new session."""
    status, msg, body = request(port, "/login/")
    cookies = _set_cookies(msg)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if status != 200 or token is None or "csrftoken" not in cookies:
        raise SystemExit(f"login page: {status}")
    form = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)}
    )
    status, msg, _body = request(port, "/login/", method="POST", cookies=cookies, body=form)
    cookies.update(_set_cookies(msg))
    if status != 302 or not cookies.get("sessionid"):
        raise SystemExit(f"login of {username} failed: {status}")
    return {"sessionid": cookies["sessionid"], "csrftoken": cookies["csrftoken"]}


# --- load ------------------------------------------------------------------------------


@dataclass
class Sample:
    variant: str
    status: int
    ms: float


@dataclass
class User:
    cookies: dict[str, str]
    judge: Judge | None
    rng: random.Random
    samples: list[Sample] = field(default_factory=list)


def queue_url(user: User) -> tuple[str, str]:
    r = user.rng.random()
    if r < 0.60:
        return "page 1", "/cases/"
    if r < 0.75 and user.judge.queue_pages > 1:
        last = min(10, user.judge.queue_pages)
        return "pages 2-10", f"/cases/?page={user.rng.randint(2, last)}"
    if r < 0.75:
        return "page 1", "/cases/"
    if r < 0.85:
        return "due=7", "/cases/?due=7"
    if r < 0.95:
        return "locked=yes", "/cases/?locked=yes"
    return "due=overdue", "/cases/?due=overdue"


def case_url(user: User) -> tuple[str, str]:
    return "case", f"/cases/{user.rng.choice(user.judge.case_ids)}/"


def admin_url(user: User) -> tuple[str, str]:
    r = user.rng.random()
    if r < 0.75:
        return "page 1", "/admin/cases/case/"
    if r < 0.90:
        return "pages 2-10", f"/admin/cases/case/?p={user.rng.randint(2, 10)}"
    return "locked=1", "/admin/cases/case/?locked__exact=1"


KINDS = {"queue": queue_url, "case page": case_url, "admin list": admin_url}


def classify(path: str) -> str | None:
    if path == "/cases/":
        return "queue"
    if re.fullmatch(r"/cases/\d+/", path):
        return "case page"
    if path == "/admin/cases/case/":
        return "admin list"
    return None


def run_load(port: int, users: list[User], kind: str, seconds: float) -> float:
    """Every user sends requests of ``kind`` back to back until the time is up."""
    pick = KINDS[kind]
    start = threading.Barrier(len(users) + 1)
    deadline = [0.0]

    def loop(user: User) -> None:
        start.wait()
        while time.perf_counter() < deadline[0]:
            variant, url = pick(user)
            t0 = time.perf_counter()
            try:
                status, _msg, _body = request(port, url, cookies=user.cookies)
            except OSError:
                status = 0
            user.samples.append(Sample(variant, status, (time.perf_counter() - t0) * 1000))

    threads = [threading.Thread(target=loop, args=(u,), daemon=True) for u in users]
    for t in threads:
        t.start()
    deadline[0] = time.perf_counter() + seconds
    t0 = time.perf_counter()
    start.wait()
    for t in threads:
        t.join()
    return time.perf_counter() - t0


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/<pid>/stat after the command name (state, ppid, …)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def children(ppid: int) -> list[int]:
    return [
        int(d.name)
        for d in Path("/proc").iterdir()
        if d.name.isdigit() and (fields := _stat(int(d.name))) and int(fields[1]) == ppid
    ]


def cpu_ticks(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        if fields := _stat(pid):
            total += int(fields[11]) + int(fields[12])  # utime + stime
    return total


def machine_busy() -> float:
    """Busy CPU seconds of the whole machine so far (every process, all cores)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def postmaster_pid() -> int:
    """PostgreSQL's main process (the parent of this process's backend); it runs here."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        backend = cur.fetchone()[0]
    fields = _stat(backend)
    if fields is None:
        raise SystemExit("PostgreSQL must run on this machine (its CPU time is measured)")
    return int(fields[1])


def postgres_ticks(postmaster: int) -> int:
    """CPU time of every PostgreSQL process: the postmaster, its live children (the
    connections' backends, background processes) and the children it has reaped, which
    include the parallel workers a query starts for the length of one statement."""
    fields = _stat(postmaster)
    own = sum(int(x) for x in fields[11:15])  # utime, stime, cutime, cstime
    return own + cpu_ticks(children(postmaster))


# --- figures ---------------------------------------------------------------------------


def pct(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    s = sorted(values)
    return s[max(0, math.ceil(p / 100 * len(s)) - 1)]


@dataclass
class Figures:
    kind: str
    seconds: float
    count: int
    non_200: dict[str, int]
    server_ms: list[float]
    client_ms: list[float]
    variants: dict[str, list[float]]
    cpu: dict[str, float]

    @property
    def throughput(self) -> float:
        return self.count / self.seconds


def parse_log(path: Path, start: int, end: int, kind: str) -> tuple[list, dict, dict]:
    with path.open("rb") as f:
        f.seek(start)
        chunk = f.read(end - start).decode()
    server, non_200, variants = [], defaultdict(int), defaultdict(list)
    for line in chunk.splitlines():
        status, micros, _method, url_path, query = line.split("\t")
        if classify(url_path) != kind:
            non_200[f"unexpected {url_path}"] += 1
            continue
        ms = int(micros) / 1000
        server.append(ms)
        if status != "200":
            non_200[status] += 1
        variants[variant_of(kind, query)].append(ms)
    return server, dict(non_200), dict(variants)


def variant_of(kind: str, query: str) -> str:
    if kind == "case page":
        return "case"
    if not query:
        return "page 1"
    if query.startswith(("page=", "p=")):
        return "pages 2-10"
    return query.replace("locked__exact", "locked")


# --- where the time goes ---------------------------------------------------------------


def breakdown(judge: Judge, admin_username: str, samples: int) -> list[tuple]:
    """Each page in-process (Django's test client, no HTTP), its statements timed: per page,
    the median of ``samples`` requests of (ms, statements, SQL ms) and the three statements
    taking the most time per request on average (SQL ms includes the driver's round trip)."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    rng = random.Random(5)
    user_model = get_user_model()
    pages = [
        ("queue page 1", judge.username, ["/cases/"]),
        ("queue ?due=7", judge.username, ["/cases/?due=7"]),
        ("queue ?locked=yes", judge.username, ["/cases/?locked=yes"]),
        ("case page", judge.username, [f"/cases/{i}/" for i in rng.sample(judge.case_ids, 10)]),
        ("admin list page 1", admin_username, ["/admin/cases/case/"]),
    ]
    out = []
    for label, username, urls in pages:
        client = Client(HTTP_HOST=HOST)
        client.force_login(user_model.objects.get(username=username))
        runs, slowest = [], {}
        for i in range(samples):
            url = urls[i % len(urls)]
            if i < len(urls):
                assert client.get(url).status_code == 200, url  # warm
            timed: list[tuple[float, str]] = []

            def wrapper(execute, sql, params, many, context, timed=timed):
                t0 = time.perf_counter()
                try:
                    return execute(sql, params, many, context)
                finally:
                    timed.append(((time.perf_counter() - t0) * 1000, sql))

            with connection.execute_wrapper(wrapper), Timer() as t:
                resp = client.get(url)
            assert resp.status_code == 200, url
            runs.append((t.seconds * 1000, len(timed), sum(ms for ms, _sql in timed)))
            for ms, sql in timed:
                key = re.sub(r"\s+", " ", sql)[:150]
                slowest[key] = slowest.get(key, 0.0) + ms / samples
        top = sorted(((ms, sql) for sql, ms in slowest.items()), reverse=True)[:3]
        out.append(
            (
                label,
                statistics.median(r[0] for r in runs),
                statistics.median(r[1] for r in runs),
                statistics.median(r[2] for r in runs),
                top,
            )
        )
    return out


# --- main ------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--chunk", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=60, help="Load per page kind.")
    parser.add_argument("--warmup", type=float, default=5, help="Unmeasured load before each.")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 2,
        help="gunicorn worker processes (default: one per core).",
    )
    parser.add_argument("--threads", type=int, default=1, help="Threads per worker (gthread).")
    parser.add_argument("--keep-log", action="store_true", help="Keep the access log.")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="Measure the data a previous run left in the database (no reload; --cases ignored).",
    )
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="courtflow-pages-"))
    env = _env(workdir / "var")
    os.environ.update(env)
    if args.reuse:
        url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
        os.environ["DATABASE_URL"] = url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "courtflow.settings")
        import django

        django.setup()
    else:
        url = django_setup()
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "courtflow.settings"}
    # A plain kill of this script still stops gunicorn (through the finally below).
    signal.signal(signal.SIGTERM, lambda *_a: sys.exit(143))
    server = None
    try:
        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.db import connection

        from cases.models import Case
        from nodes.models import CaseLock, NodeInstance
        from teams.demo import DEMO_PASSWORD

        if not args.reuse:
            from nodes.sweep import sweep_run

            court = load_base()
            print(f"loading {args.cases} cases …", flush=True)
            _n, load_s = load_cases(court, args.cases, args.chunk)
            with Timer() as sweep_t:
                swept = sweep_run()
            with connection.cursor() as cur:
                cur.execute("VACUUM ANALYZE")
            print(
                f"loaded in {load_s:.0f} s; the sweep took {sweep_t.seconds:.1f} s "
                f"({swept.overdue} overdue, {swept.locks} locks)"
            )
        print(
            f"data: {Case.objects.count()} cases, {NodeInstance.objects.count()} node instances "
            f"({NodeInstance.objects.filter(status='overdue').count()} overdue), "
            f"{Case.objects.filter(locked=True).count()} locked cases, "
            f"{CaseLock.objects.count()} lock rows"
        )
        call_command("collectstatic", interactive=False, verbosity=0)
        admin_password = secrets.token_urlsafe(16)
        admin, _created = get_user_model().objects.get_or_create(
            username="benchadmin",
            defaults={
                "email": "benchadmin@example.invalid",
                "is_staff": True,
                "is_superuser": True,
            },
        )
        admin.set_password(admin_password)
        admin.save()
        judges = pick_judges(args.users)
        sizes = [len(j.case_ids) for j in judges]
        pages = [j.queue_pages for j in judges]
        print(
            f"{len(judges)} judges; their teams hold {min(sizes)}-{max(sizes)} cases "
            f"(median {statistics.median(sizes):.0f}); queues of {min(pages)}-{max(pages)} pages"
        )
        postmaster = postmaster_pid()
        connection.close()

        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        print(f"code at commit {commit or '?'}")
        server = Server(env, workdir, args.workers, args.threads)
        server.wait_ready()
        kind_label = f"{args.threads} threads each" if args.threads > 1 else "sync"
        print(f"gunicorn on {HOST}:{server.port}: {args.workers} workers ({kind_label})")
        judge_users = [
            User(login(server.port, j.username, DEMO_PASSWORD), j, random.Random(i))
            for i, j in enumerate(judges)
        ]
        admin_users = [
            User(login(server.port, "benchadmin", admin_password), None, random.Random(100 + i))
            for i in range(args.users)
        ]
        workers = server.worker_pids()

        results: dict[str, Figures] = {}
        for kind, users in [
            ("queue", judge_users),
            ("case page", judge_users),
            ("admin list", admin_users),
        ]:
            if args.warmup:
                run_load(server.port, users, kind, args.warmup)
            time.sleep(1)
            for u in users:
                u.samples.clear()
            connection.close()
            offset = server.log_offset()
            ticks = (cpu_ticks(workers), postgres_ticks(postmaster), os.times(), machine_busy())
            print(f"{kind}: {args.users} users for {args.seconds:.0f} s …", flush=True)
            elapsed = run_load(server.port, users, kind, args.seconds)
            after = os.times()
            busy = machine_busy()
            hz = os.sysconf("SC_CLK_TCK")
            cpu = {
                "gunicorn": (cpu_ticks(workers) - ticks[0]) / hz,
                "postgres": (postgres_ticks(postmaster) - ticks[1]) / hz,
                "client": (after.user + after.system) - (ticks[2].user + ticks[2].system),
            }
            cpu["other"] = busy - ticks[3] - sum(cpu.values())
            if cpu["other"] > 0.1 * (os.cpu_count() or 1) * elapsed:
                print(
                    f"  warning: other processes used {cpu['other']:.1f} CPU s during the run "
                    "(the machine was not quiet)"
                )
            time.sleep(1)  # the last access-log lines are written just after the responses
            server_ms, non_200, variants = parse_log(
                server.access_log, offset, server.log_offset(), kind
            )
            client = [s for u in users for s in u.samples]
            results[kind] = Figures(
                kind=kind,
                seconds=elapsed,
                count=len(server_ms),
                non_200=non_200,
                server_ms=server_ms,
                client_ms=[s.ms for s in client],
                variants=variants,
                cpu=cpu,
            )
            if len(client) != len(server_ms):
                non_200["client/server count mismatch"] = abs(len(client) - len(server_ms))
            failed = sum(1 for s in client if s.status != 200)
            if failed:
                non_200["client saw non-200"] = failed
    finally:
        if server is not None:
            server.stop()

    report(results, args)
    print("\nwhere the time goes (one process, no load; medians of 30 requests):")
    for label, ms, n, sql, slowest in breakdown(judges[0], "benchadmin", samples=30):
        print(f"  {label:18} {ms:6.1f} ms, {n:4.0f} statements, SQL {sql:5.1f} ms; most time:")
        for q_ms, q_sql in slowest:
            print(f"      {q_ms:6.1f} ms  {q_sql}")
    if args.keep_log:
        print(f"access log: {server.access_log}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    bad = {k: f.non_200 for k, f in results.items() if f.non_200}
    if bad:
        print(f"FAILED: non-200 responses: {bad}", file=sys.stderr)
        sys.exit(1)


def report(results: dict[str, Figures], args) -> None:
    print(
        f"\n{'page':12} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
        f"{'non-200':>7} {'client p95':>10}   CPU s: gunicorn / postgres / client / other"
    )
    for f in results.values():
        bad = sum(f.non_200.values())
        print(
            f"{f.kind:12} {f.count:8} {f.throughput:7.1f} {pct(f.server_ms, 50):7.1f} "
            f"{pct(f.server_ms, 95):7.1f} {pct(f.server_ms, 99):7.1f} {bad:7} "
            f"{pct(f.client_ms, 95):10.1f}   "
            f"{f.cpu['gunicorn']:.1f} / {f.cpu['postgres']:.1f} / {f.cpu['client']:.1f} / "
            f"{f.cpu['other']:.1f}"
        )
    for f in results.values():
        per = ", ".join(
            f"{v} {len(ms)} × p95 {pct(ms, 95):.1f}" for v, ms in sorted(f.variants.items())
        )
        cpu_ms = (f.cpu["gunicorn"] + f.cpu["postgres"]) * 1000 / max(f.count, 1)
        print(
            f"  {f.kind}: {per}; CPU per request {cpu_ms:.1f} ms "
            f"({f.cpu['gunicorn'] * 1000 / max(f.count, 1):.1f} Python, "
            f"{f.cpu['postgres'] * 1000 / max(f.count, 1):.1f} PostgreSQL)"
        )
    queue, case, admin = results["queue"], results["case page"], results["admin list"]
    q95, c95, a95 = (pct(x.server_ms, 95) for x in (queue, case, admin))
    print(
        f"\nqueue p95 {q95:.1f} ms (target < {QUEUE_TARGET_MS:.0f}: "
        f"{'met' if q95 < QUEUE_TARGET_MS else 'NOT met'}); case page p95 {c95:.1f} ms "
        f"(target < {QUEUE_TARGET_MS:.0f}: {'met' if c95 < QUEUE_TARGET_MS else 'NOT met'})"
    )
    ratio = a95 / q95
    print(
        f"admin list p95 ÷ queue p95 = {a95:.1f} / {q95:.1f} = {ratio:.2f}× (target ≥ "
        f"{ADMIN_RATIO_TARGET:.0f}×: {'met' if ratio >= ADMIN_RATIO_TARGET else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
