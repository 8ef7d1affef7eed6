"""The role-access matrix (tests/access_matrix.py) as tests: every URL pattern of the project
is in the table (a new one fails ``test_every_url_pattern_is_in_the_matrix`` until someone
decides who may use it), and every row is one request by one user on one object, compared
with the table: the status, what the answer must and must not show, and that a refused write
changed nothing.

One world serves the whole module (built once, rolled back at the end); each row runs in its
own savepoint, so an accepted write is undone before the next row."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
import os
import re
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.contrib import admin
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from tests import access_matrix as m

RECORD = os.environ.get("ACCESS_MATRIX_RECORD")  # a file: write what happens, assert nothing


# --- the world -------------------------------------------------------------------------------


@dataclass
class Ctx:
    """What a row needs: the world, and the object a relation names for a kind."""

    mw: object
    objects: dict[str, dict[str, object]]
    markers: dict[str, list[str]]
    sessions: dict[str, str]

    def user(self, key: str):
        return self.mw.users[key]

    def obj(self, kind: str, relation: str):
        return self.objects[kind][relation]


def _build() -> Ctx:
    from assessment.exports import export_job_request, export_job_run
    from assessment.models import BoardCorrection
    from assessment.services import (
        board_correction_request,
        work_report_save,
        work_report_submit,
    )
    from courtflow.models import AuditEvent
    from nodes.models import Notification
    from teams.models import Membership, Person, TeamType
    from tests.matrix_world import build_matrix_world

    mw = build_matrix_world()
    world = mw.world
    court2 = mw.second_court
    today = timezone.localdate()
    jobs = {}
    for key, user, division in [
        ("divhead", mw.users["divhead"], world.divhead.division_id),
        ("xcourt", mw.users["x_president"], None),
    ]:
        job = export_job_request(
            actor=user,
            court_id=user.person.court_id,
            division_id=division,
            start=today - dt.timedelta(days=90),
            end=today,
            fmt="csv",
        )
        export_job_run(job.pk)
        jobs[key] = job
    # Work reports waiting for confirmation, and board correction requests (丰台), in both courts.
    reports, corrections = {}, {}
    for rel, username in [
        ("div", "ms04-judge"),
        ("xdiv", "js01-judge"),
        ("xcourt", "cy-ms01-judge"),
    ]:
        author = Person.objects.get(user__username=username).user
        report = work_report_save(
            actor=author, start=today.replace(day=1), end=today, summary="本月审结案件情况"
        )
        reports[rel] = work_report_submit(actor=author, report=report)
    for rel, author in [("court", world.user("judge")), ("xcourt", mw.users["x_judge"])]:
        corrections[rel] = board_correction_request(
            actor=author, board=BoardCorrection.Board.values[0], text="本团队结案数有误"
        )
    assistant = Person.objects.get(user__username="assistant")
    x_assistant = Person.objects.filter(court=court2, role="assistant").first()
    notes = {
        "own": Notification.objects.filter(recipient=mw.users["divhead"]).first(),
        "other": Notification.objects.filter(recipient=mw.users["x_divhead"]).first(),
    }
    assert notes["own"] and notes["other"], "the sweep should have told both division heads"
    org = {
        "division": {"court": world.judge.division, "xcourt": mw.extra["xdivision"]},
        "team": {"court": mw.extra["my_team"], "xcourt": mw.extra["xteam"]},
        "person": {"court": assistant, "xcourt": x_assistant},
        "membership": {
            "court": Membership.objects.get(person=assistant, ended_on__isnull=True),
            "xcourt": Membership.objects.get(person=x_assistant, ended_on__isnull=True),
        },
        "team_type": {
            "court": TeamType.objects.get(court=world.court, kind=TeamType.Kind.CIVIL),
            "xcourt": TeamType.objects.get(court=court2, kind=TeamType.Kind.CIVIL),
        },
        "user": {"court": world.user("judge"), "xcourt": mw.users["x_judge"]},
    }
    audit = {
        rel: AuditEvent.objects.filter(case_id=case.pk).order_by("id").first()
        for rel, case in mw.cases.items()
    }
    objects = {
        "case": mw.cases,
        "hearing": mw.hearings,
        "approval": mw.approvals,
        "service_request": mw.service_requests,
        "notification": notes,
        "job": jobs,
        "report": reports,
        "correction": corrections,
        "lock": {"div": mw.extra["lock_div"], "xcourt": mw.extra["lock_xcourt"]},
        "booking": {rel: h.booking for rel, h in mw.hearings.items()},
        "audit": audit,
        **org,
    }
    markers = {rel: [case.number] for rel, case in mw.cases.items()}
    markers["c1"] = [world.court.name, "ms04-judge", "精审团队01"]
    markers["c2"] = [court2.name, "cy-ms01-judge", "朝阳民商事团队01"]
    sessions = {}
    for key, user in mw.users.items():
        client = Client()
        client.force_login(user)
        sessions[key] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return Ctx(mw=mw, objects=objects, markers=markers, sessions=sessions)


@pytest.fixture(scope="module")
def ctx(django_db_setup, django_db_blocker, tmp_path_factory):
    """The matrix world, built once in a transaction that is rolled back after the module."""
    with django_db_blocker.unblock(), override_settings(EXPORT_DIR=tmp_path_factory.mktemp("ex")):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield _build()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


# --- one request -----------------------------------------------------------------------------


@functools.cache
def _fingerprint_sql() -> str:
    """Everything a write could change, in one statement: row counts, and counts of the
    states that flip (an approval decided, a hearing adjourned, a lock lifted, a notice read)."""
    from assessment.models import ExportJob
    from cases.models import (
        Approval,
        Case,
        Hearing,
        InterferenceRecord,
        ServiceAttempt,
        ServiceRequest,
        SupervisionAction,
    )
    from courtflow.models import AuditEvent
    from nodes.models import CaseLock, Notification
    from teams.models import Membership, Person, Team, TeamType

    def count(model, where: str = "") -> str:
        return f"(SELECT COUNT(*) FROM {model._meta.db_table}{' WHERE ' + where if where else ''})"

    parts = [
        count(AuditEvent),
        count(Approval),
        count(Approval, "status = 'pending'"),
        count(Hearing),
        count(Hearing, "status = 'scheduled'"),
        count(CaseLock, "unlocked_at IS NULL"),
        count(Case),
        count(Case, "locked"),
        count(Notification, "read_at IS NOT NULL"),
        count(ServiceRequest),
        count(ServiceAttempt),
        count(SupervisionAction),
        count(InterferenceRecord),
        count(ExportJob),
        count(Membership, "ended_on IS NULL"),
        count(Person),
        count(Team),
        f"(SELECT COALESCE(SUM(annual_quota), 0) FROM {TeamType._meta.db_table})",
    ]
    return "SELECT " + ", ".join(parts)


def _fingerprint() -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(_fingerprint_sql())
        return tuple(cursor.fetchone())


def _path(ctx: Ctx, ep: m.Endpoint, relation: str | None, user_key: str) -> str:
    path = "/" + ep.route
    for conv, name in re.findall(r"<(?:(\w+):)?(\w+)>", ep.route):
        token = f"<{conv}:{name}>" if conv else f"<{name}>"
        if name == "fmt":
            value = ep.fmt
        elif name == "role":
            role = ctx.user(user_key).person.role if user_key != "anonymous" else "judge"
            value = role if relation == "own" else ("judge" if role != "judge" else "president")
        elif name == "category":
            value = "assistant"
        else:
            value = str(ctx.obj(ep.kind, relation).pk)
        path = path.replace(token, value)
    return path + (("?" + ep.query) if ep.query else "")


def _text(resp) -> str:
    raw = b"".join(resp.streaming_content) if resp.streaming else resp.content
    if resp.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(raw), read_only=True)
        return "\n".join(
            " ".join("" if c is None else str(c) for c in row)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    text = raw.decode("utf-8", "replace")
    if resp.get("Content-Type", "").startswith("text/csv"):
        return "\n".join(" ".join(r) for r in csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    return text


def _request(client: Client, ep: m.Endpoint, path: str, body: dict | None):
    method = ep.method.lower()
    if method == "get":
        return client.get(path)
    if ep.route.startswith("api/"):
        return getattr(client, method)(
            path, json.dumps(body or {}), content_type="application/json"
        )
    return client.post(path, body or {})


def _seen(ctx: Ctx, text: str, tokens: tuple[str, ...]) -> set[str]:
    return {t for t in tokens if any(marker in text for marker in ctx.markers[t])}


def _client(ctx: Ctx, user: str) -> Client:
    """A fresh client holding only the user's session (made once, before the rows run)."""
    client = Client()
    if user != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = ctx.sessions[user]
    return client


def run_row(ctx: Ctx, row: m.Row) -> tuple[str, set[str] | None, object, str]:
    """(the status token, the checked markers the answer shows, the response, its text)."""
    ep = row.endpoint
    path = _path(ctx, ep, row.relation, row.user)
    body = ep.body(ctx, row.relation) if ep.body else None
    before = _fingerprint() if ep.method != "GET" else None
    resp = _request(_client(ctx, row.user), ep, path, body)
    token = str(resp.status_code)
    text = _text(resp) if resp.status_code == 200 else ""
    seen = _seen(ctx, text, ep.checks) if resp.status_code == 200 and ep.checks else None
    if before is not None and _fingerprint() != before:
        token += "w"
    return token, seen, resp, text


def check_row(ctx: Ctx, row: m.Row) -> str | None:
    """What is wrong with one row (None: it holds). The row's changes are rolled back."""
    with transaction.atomic():
        token, seen, resp, text = run_row(ctx, row)
        transaction.set_rollback(True)
    if RECORD:
        with open(RECORD, "a") as fh:
            shown = sorted(seen) if seen is not None else None
            fh.write(json.dumps([row.endpoint.key, row.user, row.relation, token, shown]) + "\n")
        return None
    if token != row.expected.status:
        detail = "" if resp.streaming else f" ({resp.content[:200].decode(errors='replace')})"
        return f"{row}: got {token}{detail}"
    if row.expected.sees is not None and seen is not None and seen != row.expected.sees:
        return f"{row}: shows {','.join(sorted(seen)) or '-'}"
    opened = resp.status_code == 200 and row.endpoint.names_case
    if opened and ctx.markers[row.relation][0] not in text:
        return f"{row}: the case number is not on it"  # whoever may open a case sees it
    return None


# --- the rows: one test per endpoint, one request per cell -------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("ep", m.all_endpoints(), ids=lambda ep: ep.key)
def test_matrix(ctx, ep):
    problems = [p for row in m.rows_of(ep) if (p := check_row(ctx, row))]
    assert not problems, "rows of tests/access_matrix.py that do not hold:\n" + "\n".join(problems)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "ep", m.all_endpoints(), ids=lambda ep: f"{ep.method} /{ep.route} anonymous"
)
def test_anonymous_is_sent_to_sign_in_or_refused_with_the_error_body(ctx, ep):
    row = m.Row(ep, "anonymous", ep.relations[0] if ep.relations else None, m.Cell("-", None))
    with transaction.atomic():
        _token, _seen, resp, _text = run_row(ctx, row)
        transaction.set_rollback(True)
    if ep.route.startswith("api/"):
        assert resp.status_code in (401, 403), (row, resp.status_code)
        assert set(resp.json()) >= {"code", "message", "detail"}, resp.content
    elif ep.route.startswith("admin/"):
        assert resp.status_code == 302 and resp["Location"].startswith("/admin/login/")
    else:
        assert resp.status_code == 302 and resp["Location"].startswith("/login/"), (
            row,
            resp.status_code,
        )


# --- coverage: no URL pattern without its rows -----------------------------------------------


def _routes(resolver=None, prefix: str = ""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            yield from _routes(p, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def test_every_url_pattern_is_in_the_matrix():
    covered = {ep.route for ep in m.ENDPOINTS} | set(m.NOT_SCOPED)
    admin_models = {
        f"admin/{mo._meta.app_label}/{mo._meta.model_name}/" for mo in admin.site._registry
    }
    in_table = {
        key[len("GET /") :] for key in m.MATRIX if re.fullmatch(r"GET /admin/\w+/\w+/", key)
    }
    missing_models = sorted(admin_models - in_table)
    assert not missing_models, (
        f"admin models without rows in tests/access_matrix.py: {missing_models}"
    )
    missing = []
    for route in _routes():
        if route in covered:
            continue
        if route in m.ADMIN_GENERIC or route.startswith("admin/^(?P<app_label>"):
            continue  # the admin's own pages (the app index is a regex naming every app)
        if route.startswith("admin/") and any(route.startswith(mod) for mod in admin_models):
            continue
        missing.append(route)
    assert not missing, (
        "URL patterns with no row in tests/access_matrix.py (add who may use them): "
        + ", ".join(missing)
    )


def test_every_table_names_every_user_and_relation():
    keys = {ep.key for ep in m.all_endpoints()}
    assert not set(m.MATRIX) - keys, f"sections for no endpoint: {sorted(set(m.MATRIX) - keys)}"
    for ep in m.all_endpoints():
        table = ep.table
        assert set(table) == set(ep.users), (ep.key, sorted(set(table) ^ set(ep.users)))
        for user, cells in table.items():
            assert set(cells) == set(ep.relations or ["-"]), (ep.key, user, sorted(cells))
