"""The role-access matrix: who may open what, as one table per endpoint or page.

Read a table as: each line is a user (a role, and where that person sits), each column a
relation between that user and the object in the address, each cell the answer expected.
``tests/test_access_matrix.py`` makes one request per cell and compares.

Users (tests/matrix_world.py builds them; the demo court is 西城, the second court 朝阳):

    judge, assistant     the team of case ``team`` (民事审判第一庭, 民商事团队01)
    clerk                a pool clerk, booked to the hearing of case ``team``
    registrar            立案庭; sees cases still in filing only (none of the four)
    divhead              民事审判第一庭's 庭长
    president, vicepresident, trialmgr   the whole court (the trial manager read-only)
    mediator             诉前调解团队 (none of the four cases)
    service              集约送达中心: cases with a document in the service queue
    sysadmin             accounts only, no cases
    judge_xdiv           the judge of case ``xdiv`` (民事审判第二庭)
    x_president, x_divhead, x_judge, x_sysadmin   the same roles in the second court

Relations (columns):

    case:    team (the judge's own team) · div (same division, another team; locked, with an
             unlock request) · xdiv (another division of the court) · xcourt (another court;
             locked)
    hearing, service_request: team · xdiv · xcourt
    approval: team (a suspension) · div (an unlock) · xdiv · xcourt
    lock:    div · xcourt
    org (division, team, person, membership, team type, user): court (the user's court in
             court 1) · xcourt (court 2's)
    notification: own (the division head's) · other (court 2's division head's)
    job (a prepared export): divhead (requested by the civil-1 head) · xcourt (by court 2's
             president)
    role (``home/<role>/``): own · other
    report (a submitted work report): div (of a civil-1 judge, for the civil-1 head to confirm)
             · xdiv (of the ``xdiv`` judge) · xcourt
    correction (a board correction request): court (the demo judge's) · xcourt

Cells: the status code; a ``w`` after it means the request wrote something (a row, a state, an
audit event) and its absence that nothing changed. List tables have ``status`` and ``sees``:
the objects whose marker (a case number, or c1/c2: names only court 1 or court 2 has) must
appear, every other checked marker must not (``-``: none).

Rules the tables follow (docs/access.md says them in words): an object outside the user's
scope answers 404, whatever the role; inside the scope, a role that may not act answers 403
(a page: the refusal next to the form, or a redirect with the message) and changes nothing.

The tables are ``MATRIX`` at the bottom, one ``### <METHOD> /<route>`` section each (``= <key>``
reuses another section's table). To add an endpoint: add an ``Endpoint`` below (how to call
it) and its section (copy the nearest one and decide each cell); until then
``test_every_url_pattern_is_in_the_matrix`` fails, and an endpoint without a section has every
cell ``?``. docs/access.md says more.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone

USERS = [
    "judge",
    "assistant",
    "clerk",
    "registrar",
    "divhead",
    "president",
    "vicepresident",
    "trialmgr",
    "mediator",
    "service",
    "sysadmin",
    "judge_xdiv",
    "x_president",
    "x_divhead",
    "x_judge",
    "x_sysadmin",
]

CASE_RELATIONS = ("team", "div", "xdiv", "xcourt")
RELATIONS: dict[str, tuple[str, ...]] = {
    "case": CASE_RELATIONS,
    "audit": CASE_RELATIONS,
    "approval": CASE_RELATIONS,
    "hearing": ("team", "xdiv", "xcourt"),
    "booking": ("team", "xdiv", "xcourt"),
    "service_request": ("team", "xdiv", "xcourt"),
    "lock": ("div", "xcourt"),
    "division": ("court", "xcourt"),
    "team": ("court", "xcourt"),
    "person": ("court", "xcourt"),
    "membership": ("court", "xcourt"),
    "team_type": ("court", "xcourt"),
    "user": ("court", "xcourt"),
    "notification": ("own", "other"),
    "job": ("divhead", "xcourt"),
    "role": ("own", "other"),
    "report": ("div", "xdiv", "xcourt"),
    "correction": ("court", "xcourt"),
}
CASES = CASE_RELATIONS  # markers checked on lists of cases
COURTS = ("c1", "c2")  # markers checked on lists of organisation data


@dataclass(frozen=True)
class Cell:
    status: str
    sees: frozenset[str] | None = None


def _cell(text: str) -> Cell:
    """``404``; ``201w`` (accepted and written); ``200:team,div`` (shows those, no others)."""
    status, _, sees = text.partition(":")
    if not sees:
        return Cell(status)
    return Cell(status, frozenset() if sees == "-" else frozenset(sees.split(",")))


def table(lines: list[list[str]]) -> dict[str, dict[str, Cell]]:
    """One section: a header (relations, or ``status [sees]``), then one line per user."""
    header, body = lines[0], lines[1:]
    if header[0] == "status":
        return {
            row[0]: {"-": _cell(row[1] + (f":{row[2]}" if len(header) > 1 else ""))} for row in body
        }
    return {row[0]: {rel: _cell(v) for rel, v in zip(header, row[1:], strict=True)} for row in body}


def parse_matrix(text: str) -> dict[str, dict[str, dict[str, Cell]]]:
    """``### <METHOD> /<route> [fmt]`` starts a section; ``= <key>`` reuses another's table."""
    tables: dict[str, dict[str, dict[str, Cell]]] = {}
    for section in text.split("### ")[1:]:
        lines = [line.split("  #")[0].rstrip() for line in section.strip().splitlines()]
        head, *rest = [line for line in lines if line.strip()]
        if rest[0].startswith("= "):
            tables[head.strip()] = tables[rest[0][2:].strip()]
        else:
            tables[head.strip()] = table([line.split() for line in rest])
    return tables


def todo(kind: str | None = None) -> dict[str, dict[str, Cell]]:
    """A table not written yet: every cell ``?``, so every row fails and says what it got."""
    return {u: {r: Cell("?") for r in (RELATIONS[kind] if kind else ["-"])} for u in USERS}


def _soon(days: int = 5) -> str:
    return (timezone.now() + dt.timedelta(days=days)).isoformat()


def _soon_local(days: int = 5) -> str:
    return timezone.localtime(timezone.now() + dt.timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


@dataclass(frozen=True)
class Endpoint:
    route: str  # the URL pattern as Django prints it (``get_resolver()``)
    method: str = "GET"
    kind: str | None = None  # what the id in the address is (a key of RELATIONS)
    fmt: str = ""  # for ``<fmt:fmt>``
    query: str = ""
    checks: tuple[str, ...] = ()  # markers whose presence a 200 answer is checked for
    names_case: bool = False  # a 200 must show the case's number
    body: Callable | None = field(default=None, compare=False)  # (ctx, relation) -> dict

    @property
    def table(self) -> dict[str, dict[str, Cell]]:
        """This endpoint's section of ``MATRIX`` (all ``?`` until someone writes it)."""
        return MATRIX.get(self.key) or todo(self.kind)

    @property
    def relations(self) -> tuple[str, ...] | None:
        return RELATIONS[self.kind] if self.kind else None

    @property
    def users(self) -> list[str]:
        return USERS

    @property
    def key(self) -> str:
        return f"{self.method} /{self.route}" + (f" [{self.fmt}]" if self.fmt else "")


@dataclass(frozen=True)
class Row:
    endpoint: Endpoint
    user: str
    relation: str | None
    expected: Cell

    def __str__(self) -> str:
        rel = f" {self.relation}" if self.relation and self.relation != "-" else ""
        return f"{self.endpoint.key} {self.user}{rel} -> {self.expected.status}"


# === Reads of one case, and what hangs off it ===============================================

ENDPOINTS: list[Endpoint] = [
    Endpoint("api/cases/<int:case_id>/", kind="case", names_case=True),
    Endpoint("api/cases/<int:case_id>/nodes/", kind="case"),
    Endpoint("api/cases/<int:case_id>/actions/", kind="case"),
    Endpoint("api/cases/<int:case_id>/assignments/replay/", kind="case"),
    Endpoint("cases/<int:case_id>/", kind="case", names_case=True),
    # Without ``?action=`` the form's address sends you to the case page.
    Endpoint("cases/<int:case_id>/act/", kind="case"),
]


# === Lists, pages and exports without an object in the address ================================

ENDPOINTS += [
    Endpoint("api/cases/", checks=CASES),
    Endpoint("cases/", checks=CASES),
]

# --- pages and lists -------------------------------------------------------------------------

ENDPOINTS += [
    Endpoint(""),
    Endpoint("home/<slug:role>/", kind="role", checks=CASES),
    Endpoint("nodes/catalog/", query="procedure=civil_simple&level=important"),
    Endpoint("nodes/inbox/", checks=CASES),
    Endpoint("nodes/calendar/"),
    Endpoint("cases/register/"),
    Endpoint("cases/interference/", checks=CASES),
    Endpoint("stats/", checks=COURTS),
    Endpoint("stats/nodes/", checks=CASES),
    Endpoint("stats/quotas/", checks=COURTS),
    Endpoint("stats/board/", checks=COURTS),
    Endpoint("stats/reports/"),
    Endpoint("stats/quality/", checks=CASES),
    Endpoint("stats/indicators/", checks=COURTS),
    Endpoint("stats/exports/"),
    Endpoint("api/teams/courts/", checks=COURTS),
    Endpoint("api/teams/divisions/", checks=COURTS),
    Endpoint("api/teams/people/", checks=COURTS),
    Endpoint("api/teams/teams/", checks=COURTS),
    Endpoint("api/teams/coefficients/", checks=COURTS),
    Endpoint("api/teams/team-types/", checks=COURTS),
    Endpoint("api/teams/clerk-pool/", checks=COURTS),
    Endpoint("api/teams/people/<int:person_id>/memberships/", kind="person"),
    Endpoint("api/teams/teams/<int:team_id>/", kind="team"),
    Endpoint("api/nodes/catalog/"),
    Endpoint("api/calendar/due/", query="anchor=2026-03-02T09:00:00%2B08:00&amount=15&unit=days"),
    Endpoint("api/supervision/daily/", checks=CASES),
    Endpoint("api/notifications/", checks=CASES),
    Endpoint("api/approvals/", checks=CASES),
    Endpoint("api/service-requests/", checks=CASES),
    Endpoint("api/stats/court-metrics/", checks=COURTS),
    Endpoint("api/stats/nodes/"),
]

# --- exports: the same scopes, down to the rows ----------------------------------------------

ENDPOINTS += [
    Endpoint("cases/exports/locks.csv", checks=CASES),
    Endpoint("cases/exports/locks.xlsx", checks=CASES),
    Endpoint("stats/court-metrics.csv", checks=COURTS),
    Endpoint("stats/court-metrics.xlsx", checks=COURTS),
    Endpoint("stats/exports/<int:job_id>/", kind="job", checks=CASES),
]
for _fmt in ("csv", "xlsx"):
    ENDPOINTS += [
        Endpoint("stats/audit.<fmt:fmt>", fmt=_fmt, checks=CASES),
        Endpoint("stats/nodes/export.<fmt:fmt>", fmt=_fmt, checks=CASES),
        Endpoint("stats/nodes/instances.<fmt:fmt>", fmt=_fmt, checks=CASES),
    ]


# === Writes: out of scope 404, a role that may not 403, and nothing written unless accepted ===


def _case(ctx, rel):
    return ctx.obj("case", rel)


def _party(ctx, rel):
    return _case(ctx, rel).parties.order_by("id").first().pk


PARTIES = [
    {"name": "王五", "role": "plaintiff", "kind": "person"},
    {"name": "赵六", "role": "defendant", "kind": "person"},
]

ENDPOINTS += [
    Endpoint(
        "api/cases/",
        method="POST",
        kind="division",
        body=lambda ctx, rel: {
            "procedure": "civil_simple",
            "cause": "借款合同纠纷",
            "parties": PARTIES,
            "division": ctx.obj("division", rel).pk,
        },
    ),
    Endpoint(
        "api/cases/<int:case_id>/actions/",
        method="POST",
        kind="case",
        body=lambda ctx, rel: {"action": "suspension:end", "reason": "鉴定结束"},
    ),
    Endpoint(
        "api/cases/<int:case_id>/unlock/",
        method="POST",
        kind="case",
        body=lambda ctx, rel: {"reason": "当事人已补正", "new_due_at": _soon()},
    ),
    Endpoint(
        "api/cases/<int:case_id>/hearings/",
        method="POST",
        kind="case",
        body=lambda ctx, rel: {"starts_at": _soon(20), "ends_at": _soon(20.1), "online": True},
    ),
    Endpoint("api/hearings/<int:hearing_id>/held/", method="POST", kind="hearing"),
    Endpoint(
        "api/hearings/<int:hearing_id>/adjourn/",
        method="POST",
        kind="hearing",
        body=lambda ctx, rel: {"reason": "当事人申请延期"},
    ),
    Endpoint(
        "api/approvals/",
        method="POST",
        kind="case",
        body=lambda ctx, rel: {
            "case": _case(ctx, rel).pk,
            "kind": "extension",
            "reason": "案情复杂",
            "payload": {"months": 1},
        },
    ),
    Endpoint(
        "api/approvals/<int:approval_id>/decide/",
        method="POST",
        kind="approval",
        body=lambda ctx, rel: {"approve": False, "reason": "理由不足"},
    ),
    Endpoint(
        "api/service-requests/",
        method="POST",
        kind="case",
        body=lambda ctx, rel: {
            "case": _case(ctx, rel).pk,
            "document": "judgment",
            "party": _party(ctx, rel),
        },
    ),
    Endpoint(
        "api/service-requests/<int:request_id>/attempts/",
        method="POST",
        kind="service_request",
        body=lambda ctx, rel: {"method": "in_person", "result": "not_found"},
    ),
    Endpoint(
        "api/notifications/<str:notification_id>/read/",
        method="POST",
        kind="notification",
    ),
    Endpoint(
        "api/teams/courts/",
        method="POST",
        body=lambda ctx, rel: {"code": "京0199", "name": "测试法院", "level": "basic"},
    ),
    Endpoint(
        "api/teams/people/",
        method="POST",
        kind="division",
        body=lambda ctx, rel: {
            "username": "matrix-new",
            "name": "新人",
            "role": "clerk",
            "division": ctx.obj("division", rel).pk,
        },
    ),
    Endpoint(
        "api/teams/people/<int:person_id>/move/",
        method="POST",
        kind="person",
        body=lambda ctx, rel: {
            "team": ctx.obj("team", rel).pk,
            "position": "assistant",
            "reason": "调整",
        },
    ),
    Endpoint(
        "api/teams/teams/",
        method="POST",
        kind="division",
        body=lambda ctx, rel: {
            "division": ctx.obj("division", rel).pk,
            "team_type": ctx.obj("team_type", rel).pk,
            "name": "矩阵团队",
        },
    ),
    Endpoint(
        "api/teams/teams/<int:team_id>/members/",
        method="POST",
        kind="team",
        body=lambda ctx, rel: {"person": ctx.obj("person", rel).pk, "position": "assistant"},
    ),
    Endpoint(
        "api/teams/memberships/<int:membership_id>/end/",
        method="POST",
        kind="membership",
        body=lambda ctx, rel: {"reason": "调离"},
    ),
    Endpoint(
        "api/teams/coefficients/<str:category>/",
        method="PUT",
        body=lambda ctx, rel: {"value": "0.55", "reason": "院务会决定"},
    ),
    Endpoint(
        "api/teams/team-types/<int:team_type_id>/",
        method="PATCH",
        kind="team_type",
        body=lambda ctx, rel: {"annual_quota": 321, "reason": "院务会决定"},
    ),
    # pages
    Endpoint("cases/register/", method="POST", body=lambda ctx, rel: {"cause": ""}),
    Endpoint(
        "cases/<int:case_id>/act/",
        method="POST",
        kind="case",
        body=lambda ctx, rel: {"action": "hearing:schedule"},
    ),
    Endpoint(
        "cases/<int:case_id>/unlock/",
        method="POST",
        kind="case",
        body=lambda ctx, rel: {"reason": "当事人已补正", "new_due_at": _soon_local()},
    ),
    Endpoint(
        "cases/<int:case_id>/supervise/",
        method="POST",
        kind="case",
        body=lambda ctx, rel: {"kind": "urge", "text": "请尽快推进"},
    ),
    Endpoint(
        "cases/approvals/<int:approval_id>/decide/",
        method="POST",
        kind="approval",
        body=lambda ctx, rel: {
            f"decide-{ctx.obj('approval', rel).pk}-decision": "reject",
            f"decide-{ctx.obj('approval', rel).pk}-reason": "理由不足",
        },
    ),
    Endpoint(
        "cases/hearings/<int:hearing_id>/",
        method="POST",
        kind="hearing",
        body=lambda ctx, rel: {"op": "adjourn", "reason": "当事人申请延期"},
    ),
    Endpoint(
        "cases/interference/",
        method="POST",
        kind="case",
        body=lambda ctx, rel: {
            "kind": "leader",
            "intervener": "某领导",
            "occurred_at": _soon_local(-1),
            "case_number": _case(ctx, rel).number,
            "description": "过问案件",
        },
    ),
    Endpoint(
        "nodes/inbox/",
        method="POST",
        kind="notification",
        body=lambda ctx, rel: {"id": ctx.obj("notification", rel).pk},
    ),
    Endpoint(
        "stats/exports/",
        method="POST",
        body=lambda ctx, rel: {"start": "2026-01-01", "end": "2026-03-31", "fmt": "csv"},
    ),
    Endpoint(
        "stats/board/",
        method="POST",
        kind="correction",
        body=lambda ctx, rel: {
            "correction": ctx.obj("correction", rel).pk,
            f"a{ctx.obj('correction', rel).pk}-answer": "已核对更正",
            "decision": "accept",
        },
    ),
    Endpoint(
        "stats/reports/",
        method="POST",
        kind="report",
        body=lambda ctx, rel: {"op": "confirm", "report": ctx.obj("report", rel).pk},
    ),
    Endpoint("stats/quality/", method="POST", body=lambda ctx, rel: {"which": "review"}),
]


# === The admin: the same scopes =================================================================

ADMIN_LIST_CHECKS: dict[str, tuple[str, ...]] = {
    "cases.case": CASES,
    "cases.approval": CASES,
    "nodes.caselock": CASES,
    "teams.booking": CASES,
    "courtflow.auditevent": CASES,
    "auth.user": COURTS,
    "teams.court": COURTS,
    "teams.division": COURTS,
    "teams.person": COURTS,
    "teams.team": COURTS,
    "teams.membership": COURTS,
}

# The admin's unlock action takes ids from the form: one outside the user's scope is not
# in the action's queryset, so nothing happens (the list answers with its usual redirect).
ADMIN_ACTIONS = [
    Endpoint(
        "admin/cases/case/",
        method="POST",
        kind="case",
        body=lambda ctx, rel: {
            "action": "unlock_selected",
            "_selected_action": [ctx.obj("case", rel).pk],
            "apply": "1",
            "reason": "当事人已补正",
            "new_due_at": _soon_local().replace("T", " "),
        },
    ),
]

# Change pages of scoped objects: out of scope 404 (not the admin's redirect, which would
# differ from a missing id only by its message).
ADMIN_CHANGE: list[Endpoint] = []
for _label, _kind in [
    ("cases.case", "case"),
    ("cases.approval", "approval"),
    ("nodes.caselock", "lock"),
    ("teams.booking", "booking"),
    ("courtflow.auditevent", "audit"),
    ("teams.person", "person"),
    ("teams.team", "team"),
    ("teams.division", "division"),
    ("teams.membership", "membership"),
    ("auth.user", "user"),
]:
    ADMIN_CHANGE.append(
        Endpoint(
            f"admin/{_label.replace('.', '/')}/<path:object_id>/change/",
            kind=_kind,
            checks=(),
        )
    )


# Addresses that are the same for everyone (no scoped data), with the reason.
NOT_SCOPED = {
    "login/": "the sign-in form",
    "logout/": "signs the caller out",
    "i18n/setlang/": "sets the caller's language",
    "api/schema/": "the API's description, the same for every signed-in user",
    "api/docs/": "the page that shows that description",
}
# The admin's own pages: the index lists only the models the user may see (the changelists
# below), and the rest hold no court data. ``admin/r/…`` (view on site) answers 404 for
# every object: no model has an address of its own.
ADMIN_GENERIC = {
    "admin/",
    "admin/login/",
    "admin/logout/",
    "admin/password_change/",
    "admin/password_change/done/",
    "admin/autocomplete/",
    "admin/jsi18n/",
    "admin/r/<int:content_type_id>/<path:object_id>/",
    "admin/r/<path:content_type_id>/<path:object_id>/",
    "admin/<app_label>/",
    "admin/(?P<url>.*)$",
}


def all_endpoints() -> list[Endpoint]:
    return [*ENDPOINTS, *ADMIN_ACTIONS, *ADMIN_CHANGE, *admin_list_endpoints()]


def rows_of(ep: Endpoint) -> list[Row]:
    return [
        Row(ep, user, rel if rel != "-" else None, cell)
        for user, cells in ep.table.items()
        for rel, cell in cells.items()
    ]


def admin_list_endpoints() -> list[Endpoint]:
    """One changelist per registered model (a model without a section: all ``?``)."""
    from django.contrib import admin

    labels = sorted(mo._meta.label_lower for mo in admin.site._registry)
    return [
        Endpoint(
            f"admin/{label.replace('.', '/')}/",
            checks=ADMIN_LIST_CHECKS.get(label, ()),
        )
        for label in labels
    ]


# === The matrix ==================================================================================

MATRIX = parse_matrix("""
### GET /api/cases/<int:case_id>/
                team   div    xdiv   xcourt
judge           200    404    404    404
assistant       200    404    404    404
clerk           200    404    404    404  # booked to the hearing of ``team``
registrar       404    404    404    404  # cases still in filing only
divhead         200    200    404    404
president       200    200    200    404
vicepresident   200    200    200    404
trialmgr        200    200    200    404
mediator        404    404    404    404
service         200    404    200    404  # cases with a document in the service queue
sysadmin        404    404    404    404  # accounts, no cases
judge_xdiv      404    404    200    404
x_president     404    404    404    200
x_divhead       404    404    404    200
x_judge         404    404    404    200
x_sysadmin      404    404    404    404

### GET /api/cases/<int:case_id>/nodes/
= GET /api/cases/<int:case_id>/

### GET /api/cases/<int:case_id>/actions/
= GET /api/cases/<int:case_id>/

### GET /api/cases/<int:case_id>/assignments/replay/
= GET /api/cases/<int:case_id>/

### GET /cases/<int:case_id>/
= GET /api/cases/<int:case_id>/

### GET /cases/<int:case_id>/act/
                team   div    xdiv   xcourt
judge           302    404    404    404
assistant       302    404    404    404
clerk           302    404    404    404
registrar       404    404    404    404
divhead         302    302    404    404
president       302    302    302    404
vicepresident   302    302    302    404
trialmgr        302    302    302    404
mediator        404    404    404    404
service         302    404    302    404
sysadmin        404    404    404    404
judge_xdiv      404    404    302    404
x_president     404    404    404    302
x_divhead       404    404    404    302
x_judge         404    404    404    302
x_sysadmin      404    404    404    404

### GET /api/cases/
                status sees
judge           200    team
assistant       200    team
clerk           200    team
registrar       200    -
divhead         200    div,team
president       200    div,team,xdiv
vicepresident   200    div,team,xdiv
trialmgr        200    div,team,xdiv
mediator        200    -
service         200    team,xdiv
sysadmin        200    -
judge_xdiv      200    xdiv
x_president     200    xcourt
x_divhead       200    xcourt
x_judge         200    xcourt
x_sysadmin      200    -

### GET /cases/
                status sees
judge           200    team
assistant       200    team
clerk           200    team
registrar       200    -
divhead         200    div,team
president       200    div,team,xdiv
vicepresident   200    div,team,xdiv
trialmgr        200    div,team,xdiv
mediator        200    -
service         200    team,xdiv
sysadmin        200    -
judge_xdiv      200    xdiv
x_president     200    xcourt
x_divhead       200    xcourt
x_judge         200    xcourt
x_sysadmin      200    -

### GET /
                status
judge           302
assistant       302
clerk           302
registrar       302
divhead         302
president       302
vicepresident   302
trialmgr        302
mediator        302
service         302
sysadmin        302
judge_xdiv      302
x_president     302
x_divhead       302
x_judge         302
x_sysadmin      302

### GET /home/<slug:role>/
                own          other
judge           200:-        404
assistant       200:-        404
clerk           200:team     404
registrar       200:-        404
divhead         200:div,team 404
president       200:-        404
vicepresident   200:-        404
trialmgr        200:-        404
mediator        200:-        404
service         200:-        404
sysadmin        200:-        404
judge_xdiv      200:-        404
x_president     200:-        404
x_divhead       200:xcourt   404
x_judge         200:-        404
x_sysadmin      200:-        404

### GET /nodes/catalog/
                status
judge           200
assistant       200
clerk           200
registrar       200
divhead         200
president       200
vicepresident   200
trialmgr        200
mediator        200
service         200
sysadmin        200
judge_xdiv      200
x_president     200
x_divhead       200
x_judge         200
x_sysadmin      200

### GET /nodes/inbox/
                status sees
judge           200    -
assistant       200    -
clerk           200    -
registrar       200    -
divhead         200    div
president       200    -
vicepresident   200    -
trialmgr        200    -
mediator        200    -
service         200    -
sysadmin        200    -
judge_xdiv      200    -
x_president     200    -
x_divhead       200    xcourt
x_judge         200    xcourt
x_sysadmin      200    -

### GET /nodes/calendar/
                status
judge           200
assistant       200
clerk           200
registrar       200
divhead         200
president       200
vicepresident   200
trialmgr        200
mediator        200
service         200
sysadmin        200
judge_xdiv      200
x_president     200
x_divhead       200
x_judge         200
x_sysadmin      200

### GET /cases/register/
                status
judge           404
assistant       404
clerk           404
registrar       200
divhead         404
president       404
vicepresident   404
trialmgr        404
mediator        404
service         404
sysadmin        404
judge_xdiv      404
x_president     404
x_divhead       404
x_judge         404
x_sysadmin      404

### GET /cases/interference/
                status sees
judge           200    -
assistant       200    -
clerk           200    -
registrar       200    -
divhead         200    -
president       200    -
vicepresident   200    -
trialmgr        200    -
mediator        200    -
service         200    -
sysadmin        200    -
judge_xdiv      200    -
x_president     200    -
x_divhead       200    -
x_judge         200    -
x_sysadmin      200    -

### GET /stats/
                status sees
judge           404    -
assistant       404    -
clerk           404    -
registrar       404    -
divhead         200    c1
president       200    c1
vicepresident   200    c1
trialmgr        200    c1
mediator        404    -
service         404    -
sysadmin        404    -
judge_xdiv      404    -
x_president     200    c2
x_divhead       200    c2
x_judge         404    -
x_sysadmin      404    -

### GET /stats/nodes/
                status sees
judge           404    -
assistant       404    -
clerk           404    -
registrar       404    -
divhead         200    -
president       200    -
vicepresident   200    -
trialmgr        200    -
mediator        404    -
service         404    -
sysadmin        404    -
judge_xdiv      404    -
x_president     200    -
x_divhead       200    -
x_judge         404    -
x_sysadmin      404    -

### GET /stats/quotas/
                status sees
judge           404    -
assistant       404    -
clerk           404    -
registrar       404    -
divhead         200    c1
president       200    c1
vicepresident   200    c1
trialmgr        200    c1
mediator        404    -
service         404    -
sysadmin        404    -
judge_xdiv      404    -
x_president     200    c2
x_divhead       200    c2
x_judge         404    -
x_sysadmin      404    -

### GET /stats/board/
                status sees
judge           200    c1
assistant       200    c1
clerk           200    c1
registrar       200    c1
divhead         200    c1
president       200    c1
vicepresident   200    c1
trialmgr        200    c1
mediator        200    c1
service         200    c1
sysadmin        200    c1
judge_xdiv      200    c1
x_president     200    c2
x_divhead       200    c2
x_judge         200    c2
x_sysadmin      200    c2

### GET /stats/reports/
                status
judge           200
assistant       200
clerk           200
registrar       200
divhead         200
president       200
vicepresident   200
trialmgr        200
mediator        200
service         200
sysadmin        200
judge_xdiv      200
x_president     200
x_divhead       200
x_judge         200
x_sysadmin      200

### GET /stats/quality/
                status sees
judge           404    -
assistant       404    -
clerk           404    -
registrar       404    -
divhead         200    -
president       200    -
vicepresident   200    -
trialmgr        200    -
mediator        404    -
service         404    -
sysadmin        404    -
judge_xdiv      404    -
x_president     200    -
x_divhead       200    -
x_judge         404    -
x_sysadmin      404    -

### GET /stats/indicators/
                status sees
judge           404    -
assistant       404    -
clerk           404    -
registrar       404    -
divhead         200    c1
president       200    c1
vicepresident   200    c1
trialmgr        200    c1
mediator        404    -
service         404    -
sysadmin        404    -
judge_xdiv      404    -
x_president     200    c2
x_divhead       200    c2
x_judge         404    -
x_sysadmin      404    -

### GET /stats/exports/
                status
judge           200
assistant       200
clerk           200
registrar       200
divhead         200
president       200
vicepresident   200
trialmgr        200
mediator        200
service         200
sysadmin        200
judge_xdiv      200
x_president     200
x_divhead       200
x_judge         200
x_sysadmin      200

### GET /api/teams/courts/
                status sees
judge           200    c1
assistant       200    c1
clerk           200    c1
registrar       200    c1
divhead         200    c1
president       200    c1
vicepresident   200    c1
trialmgr        200    c1
mediator        200    c1
service         200    c1
sysadmin        200    c1
judge_xdiv      200    c1
x_president     200    c2
x_divhead       200    c2
x_judge         200    c2
x_sysadmin      200    c2

### GET /api/teams/divisions/
                status sees
judge           200    -
assistant       200    -
clerk           200    -
registrar       200    -
divhead         200    -
president       200    -
vicepresident   200    -
trialmgr        200    -
mediator        200    -
service         200    -
sysadmin        200    -
judge_xdiv      200    -
x_president     200    -
x_divhead       200    -
x_judge         200    -
x_sysadmin      200    -

### GET /api/teams/people/
                status sees
judge           200    c1
assistant       200    c1
clerk           200    c1
registrar       200    c1
divhead         200    c1
president       200    c1
vicepresident   200    c1
trialmgr        200    c1
mediator        200    c1
service         200    c1
sysadmin        200    c1
judge_xdiv      200    c1
x_president     200    c2
x_divhead       200    c2
x_judge         200    c2
x_sysadmin      200    c2

### GET /api/teams/teams/
                status sees
judge           200    c1
assistant       200    c1
clerk           200    c1
registrar       200    c1
divhead         200    c1
president       200    c1
vicepresident   200    c1
trialmgr        200    c1
mediator        200    c1
service         200    c1
sysadmin        200    c1
judge_xdiv      200    c1
x_president     200    c2
x_divhead       200    c2
x_judge         200    c2
x_sysadmin      200    c2

### GET /api/teams/coefficients/
                status sees
judge           200    -
assistant       200    -
clerk           200    -
registrar       200    -
divhead         200    -
president       200    -
vicepresident   200    -
trialmgr        200    -
mediator        200    -
service         200    -
sysadmin        200    -
judge_xdiv      200    -
x_president     200    -
x_divhead       200    -
x_judge         200    -
x_sysadmin      200    -

### GET /api/teams/team-types/
                status sees
judge           200    -
assistant       200    -
clerk           200    -
registrar       200    -
divhead         200    -
president       200    -
vicepresident   200    -
trialmgr        200    -
mediator        200    -
service         200    -
sysadmin        200    -
judge_xdiv      200    -
x_president     200    -
x_divhead       200    -
x_judge         200    -
x_sysadmin      200    -

### GET /api/teams/clerk-pool/
                status sees
judge           200    -
assistant       200    -
clerk           200    -
registrar       200    -
divhead         200    -
president       200    -
vicepresident   200    -
trialmgr        200    -
mediator        200    -
service         200    -
sysadmin        200    -
judge_xdiv      200    -
x_president     200    -
x_divhead       200    -
x_judge         200    -
x_sysadmin      200    -

### GET /api/teams/people/<int:person_id>/memberships/
                court  xcourt
judge           200    404
assistant       200    404
clerk           200    404
registrar       200    404
divhead         200    404
president       200    404
vicepresident   200    404
trialmgr        200    404
mediator        200    404
service         200    404
sysadmin        200    404
judge_xdiv      200    404
x_president     404    200
x_divhead       404    200
x_judge         404    200
x_sysadmin      404    200

### GET /api/teams/teams/<int:team_id>/
                court  xcourt
judge           200    404
assistant       200    404
clerk           200    404
registrar       200    404
divhead         200    404
president       200    404
vicepresident   200    404
trialmgr        200    404
mediator        200    404
service         200    404
sysadmin        200    404
judge_xdiv      200    404
x_president     404    200
x_divhead       404    200
x_judge         404    200
x_sysadmin      404    200

### GET /api/nodes/catalog/
                status
judge           200
assistant       200
clerk           200
registrar       200
divhead         200
president       200
vicepresident   200
trialmgr        200
mediator        200
service         200
sysadmin        200
judge_xdiv      200
x_president     200
x_divhead       200
x_judge         200
x_sysadmin      200

### GET /api/calendar/due/
                status
judge           200
assistant       200
clerk           200
registrar       200
divhead         200
president       200
vicepresident   200
trialmgr        200
mediator        200
service         200
sysadmin        200
judge_xdiv      200
x_president     200
x_divhead       200
x_judge         200
x_sysadmin      200

### GET /api/supervision/daily/
                status sees
judge           403    -
assistant       403    -
clerk           403    -
registrar       403    -
divhead         200    div
president       200    div
vicepresident   200    div
trialmgr        200    div
mediator        403    -
service         403    -
sysadmin        403    -
judge_xdiv      403    -
x_president     200    xcourt
x_divhead       200    xcourt
x_judge         403    -
x_sysadmin      403    -

### GET /api/notifications/
                status sees
judge           200    -
assistant       200    -
clerk           200    -
registrar       200    -
divhead         200    div
president       200    -
vicepresident   200    -
trialmgr        200    -
mediator        200    -
service         200    -
sysadmin        200    -
judge_xdiv      200    -
x_president     200    -
x_divhead       200    xcourt
x_judge         200    xcourt
x_sysadmin      200    -

### GET /api/approvals/
                status sees
judge           200    team
assistant       200    -
clerk           200    -
registrar       200    -
divhead         200    div,team
president       200    -
vicepresident   200    -
trialmgr        200    -
mediator        200    -
service         200    -
sysadmin        200    -
judge_xdiv      200    xdiv
x_president     200    -
x_divhead       200    xcourt
x_judge         200    xcourt
x_sysadmin      200    -

### GET /api/service-requests/
                status sees
judge           200    team
assistant       200    team
clerk           200    team
registrar       200    -
divhead         200    team
president       200    team,xdiv
vicepresident   200    team,xdiv
trialmgr        200    team,xdiv
mediator        200    -
service         200    team,xdiv
sysadmin        200    -
judge_xdiv      200    xdiv
x_president     200    xcourt
x_divhead       200    xcourt
x_judge         200    xcourt
x_sysadmin      200    -

### GET /api/stats/court-metrics/
                status sees
judge           403    -
assistant       403    -
clerk           403    -
registrar       403    -
divhead         200    -
president       200    -
vicepresident   200    -
trialmgr        200    -
mediator        403    -
service         403    -
sysadmin        403    -
judge_xdiv      403    -
x_president     200    -
x_divhead       200    -
x_judge         403    -
x_sysadmin      403    -

### GET /api/stats/nodes/
                status
judge           403
assistant       403
clerk           403
registrar       403
divhead         200
president       200
vicepresident   200
trialmgr        200
mediator        403
service         403
sysadmin        403
judge_xdiv      403
x_president     200
x_divhead       200
x_judge         403
x_sysadmin      403

### GET /cases/exports/locks.csv
                status sees
judge           404    -
assistant       404    -
clerk           404    -
registrar       404    -
divhead         200    div
president       200    div
vicepresident   200    div
trialmgr        200    div
mediator        404    -
service         404    -
sysadmin        404    -
judge_xdiv      404    -
x_president     200    xcourt
x_divhead       200    xcourt
x_judge         404    -
x_sysadmin      404    -

### GET /cases/exports/locks.xlsx
                status sees
judge           404    -
assistant       404    -
clerk           404    -
registrar       404    -
divhead         200    div
president       200    div
vicepresident   200    div
trialmgr        200    div
mediator        404    -
service         404    -
sysadmin        404    -
judge_xdiv      404    -
x_president     200    xcourt
x_divhead       200    xcourt
x_judge         404    -
x_sysadmin      404    -

### GET /stats/court-metrics.csv
                status sees
judge           404    -
assistant       404    -
clerk           404    -
registrar       404    -
divhead         200    -
president       200    -
vicepresident   200    -
trialmgr        200    -
mediator        404    -
service         404    -
sysadmin        404    -
judge_xdiv      404    -
x_president     200    -
x_divhead       200    -
x_judge         404    -
x_sysadmin      404    -

### GET /stats/court-metrics.xlsx
                status sees
judge           404    -
assistant       404    -
clerk           404    -
registrar       404    -
divhead         200    -
president       200    -
vicepresident   200    -
trialmgr        200    -
mediator        404    -
service         404    -
sysadmin        404    -
judge_xdiv      404    -
x_president     200    -
x_divhead       200    -
x_judge         404    -
x_sysadmin      404    -

### GET /stats/exports/<int:job_id>/
                divhead      xcourt
judge           404          404
assistant       404          404
clerk           404          404
registrar       404          404
divhead         200:div,team 404
president       404          404
vicepresident   404          404
trialmgr        404          404
mediator        404          404
service         404          404
sysadmin        404          404
judge_xdiv      404          404
x_president     404          200:xcourt
x_divhead       404          404
x_judge         404          404
x_sysadmin      404          404

### GET /stats/audit.<fmt:fmt> [csv]
                status sees
judge           404    -
assistant       404    -
clerk           404    -
registrar       404    -
divhead         404    -
president       200    div,team,xdiv
vicepresident   200    div,team,xdiv
trialmgr        200    div,team,xdiv
mediator        404    -
service         404    -
sysadmin        404    -
judge_xdiv      404    -
x_president     200    xcourt
x_divhead       404    -
x_judge         404    -
x_sysadmin      404    -

### GET /stats/nodes/export.<fmt:fmt> [csv]
                status sees
judge           404    -
assistant       404    -
clerk           404    -
registrar       404    -
divhead         200    -
president       200    -
vicepresident   200    -
trialmgr        200    -
mediator        404    -
service         404    -
sysadmin        404    -
judge_xdiv      404    -
x_president     200    -
x_divhead       200    -
x_judge         404    -
x_sysadmin      404    -

### GET /stats/nodes/instances.<fmt:fmt> [csv]
                status sees
judge           404    -
assistant       404    -
clerk           404    -
registrar       404    -
divhead         200    div,team
president       200    div,team,xdiv
vicepresident   200    div,team,xdiv
trialmgr        200    div,team,xdiv
mediator        404    -
service         404    -
sysadmin        404    -
judge_xdiv      404    -
x_president     200    xcourt
x_divhead       200    xcourt
x_judge         404    -
x_sysadmin      404    -

### GET /stats/audit.<fmt:fmt> [xlsx]
= GET /stats/audit.<fmt:fmt> [csv]

### GET /stats/nodes/export.<fmt:fmt> [xlsx]
= GET /stats/nodes/export.<fmt:fmt> [csv]

### GET /stats/nodes/instances.<fmt:fmt> [xlsx]
= GET /stats/nodes/instances.<fmt:fmt> [csv]

### POST /api/cases/
                court  xcourt
judge           403    404
assistant       403    404
clerk           403    404
registrar       201w   404
divhead         403    404
president       403    404
vicepresident   403    404
trialmgr        403    404
mediator        403    404
service         403    404
sysadmin        403    404
judge_xdiv      403    404
x_president     404    403
x_divhead       404    403
x_judge         404    403
x_sysadmin      404    403

### POST /api/cases/<int:case_id>/actions/
                team   div    xdiv   xcourt
judge           409    404    404    404
assistant       403    404    404    404
clerk           403    404    404    404
registrar       404    404    404    404
divhead         409    409    404    404
president       403    409    403    404
vicepresident   403    409    403    404
trialmgr        403    409    403    404
mediator        404    404    404    404
service         403    404    403    404
sysadmin        404    404    404    404
judge_xdiv      404    404    409    404
x_president     404    404    404    409
x_divhead       404    404    404    409
x_judge         404    404    404    409
x_sysadmin      404    404    404    404

### POST /api/cases/<int:case_id>/unlock/
                team   div    xdiv   xcourt
judge           409    404    404    404
assistant       409    404    404    404
clerk           409    404    404    404
registrar       404    404    404    404
divhead         409    200w   404    404
president       409    403    409    404
vicepresident   409    403    409    404
trialmgr        409    403    409    404
mediator        404    404    404    404
service         409    404    409    404
sysadmin        404    404    404    404
judge_xdiv      404    404    409    404
x_president     404    404    404    403
x_divhead       404    404    404    200w
x_judge         404    404    404    403
x_sysadmin      404    404    404    404

### POST /api/cases/<int:case_id>/hearings/
                team   div    xdiv   xcourt
judge           409    404    404    404
assistant       409    404    404    404
clerk           409    404    404    404
registrar       404    404    404    404
divhead         403    409    404    404
president       403    409    403    404
vicepresident   403    409    403    404
trialmgr        403    409    403    404
mediator        404    404    404    404
service         403    404    403    404
sysadmin        404    404    404    404
judge_xdiv      404    404    409    404
x_president     404    404    404    409
x_divhead       404    404    404    409
x_judge         404    404    404    409
x_sysadmin      404    404    404    404

### POST /api/hearings/<int:hearing_id>/held/
                team   xdiv   xcourt
judge           400    404    404
assistant       400    404    404
clerk           400    404    404
registrar       404    404    404
divhead         403    404    404
president       403    403    404
vicepresident   403    403    404
trialmgr        403    403    404
mediator        404    404    404
service         403    403    404
sysadmin        404    404    404
judge_xdiv      404    400    404
x_president     404    404    409
x_divhead       404    404    409
x_judge         404    404    409
x_sysadmin      404    404    404

### POST /api/hearings/<int:hearing_id>/adjourn/
                team   xdiv   xcourt
judge           200w   404    404
assistant       200w   404    404
clerk           200w   404    404
registrar       404    404    404
divhead         403    404    404
president       403    403    404
vicepresident   403    403    404
trialmgr        403    403    404
mediator        404    404    404
service         403    403    404
sysadmin        404    404    404
judge_xdiv      404    200w   404
x_president     404    404    409
x_divhead       404    404    409
x_judge         404    404    409
x_sysadmin      404    404    404

### POST /api/approvals/
                team   div    xdiv   xcourt
judge           201w   404    404    404
assistant       201w   404    404    404
clerk           403    404    404    404
registrar       404    404    404    404
divhead         403    409    404    404
president       403    409    403    404
vicepresident   403    409    403    404
trialmgr        403    409    403    404
mediator        404    404    404    404
service         403    404    403    404
sysadmin        404    404    404    404
judge_xdiv      404    404    201w   404
x_president     404    404    404    409
x_divhead       404    404    404    409
x_judge         404    404    404    409
x_sysadmin      404    404    404    404

### POST /api/approvals/<int:approval_id>/decide/
                team   div    xdiv   xcourt
judge           403    404    404    404
assistant       403    404    404    404
clerk           403    404    404    404
registrar       404    404    404    404
divhead         200w   200w   404    404
president       403    403    403    404
vicepresident   403    403    403    404
trialmgr        403    403    403    404
mediator        404    404    404    404
service         403    404    403    404
sysadmin        404    404    404    404
judge_xdiv      404    404    403    404
x_president     404    404    404    403
x_divhead       404    404    404    200w
x_judge         404    404    404    403
x_sysadmin      404    404    404    404

### POST /api/service-requests/
                team   div    xdiv   xcourt
judge           201w   404    404    404
assistant       201w   404    404    404
clerk           201w   404    404    404
registrar       404    404    404    404
divhead         403    409    404    404
president       403    409    403    404
vicepresident   403    409    403    404
trialmgr        403    409    403    404
mediator        404    404    404    404
service         403    404    403    404
sysadmin        404    404    404    404
judge_xdiv      404    404    201w   404
x_president     404    404    404    409
x_divhead       404    404    404    409
x_judge         404    404    404    409
x_sysadmin      404    404    404    404

### POST /api/service-requests/<int:request_id>/attempts/
                team   xdiv   xcourt
judge           403    404    404
assistant       403    404    404
clerk           403    404    404
registrar       404    404    404
divhead         403    404    404
president       403    403    404
vicepresident   403    403    404
trialmgr        403    403    404
mediator        404    404    404
service         200w   200w   404
sysadmin        404    404    404
judge_xdiv      404    403    404
x_president     404    404    403
x_divhead       404    404    403
x_judge         404    404    403
x_sysadmin      404    404    404

### POST /api/notifications/<str:notification_id>/read/
                own    other
judge           404    404
assistant       404    404
clerk           404    404
registrar       404    404
divhead         204w   404
president       404    404
vicepresident   404    404
trialmgr        404    404
mediator        404    404
service         404    404
sysadmin        404    404
judge_xdiv      404    404
x_president     404    404
x_divhead       404    204w
x_judge         404    404
x_sysadmin      404    404

### POST /api/teams/courts/
                status
judge           403
assistant       403
clerk           403
registrar       403
divhead         403
president       403
vicepresident   403
trialmgr        403
mediator        403
service         403
sysadmin        403
judge_xdiv      403
x_president     403
x_divhead       403
x_judge         403
x_sysadmin      403

### POST /api/teams/people/
                court  xcourt
judge           403    404
assistant       403    404
clerk           403    404
registrar       403    404
divhead         403    404
president       403    404
vicepresident   403    404
trialmgr        403    404
mediator        403    404
service         403    404
sysadmin        201w   404
judge_xdiv      403    404
x_president     404    403
x_divhead       404    403
x_judge         404    403
x_sysadmin      404    201w

### POST /api/teams/people/<int:person_id>/move/
                court  xcourt
judge           403    404
assistant       403    404
clerk           403    404
registrar       403    404
divhead         400    404
president       400    404
vicepresident   400    404
trialmgr        403    404
mediator        403    404
service         403    404
sysadmin        400    404
judge_xdiv      403    404
x_president     404    400
x_divhead       404    400
x_judge         404    403
x_sysadmin      404    400

### POST /api/teams/teams/
                court  xcourt
judge           403    404
assistant       403    404
clerk           403    404
registrar       403    404
divhead         201w   404
president       201w   404
vicepresident   201w   404
trialmgr        403    404
mediator        403    404
service         403    404
sysadmin        201w   404
judge_xdiv      403    404
x_president     404    201w
x_divhead       404    201w
x_judge         404    403
x_sysadmin      404    201w

### POST /api/teams/teams/<int:team_id>/members/
                court  xcourt
judge           403    404
assistant       403    404
clerk           403    404
registrar       403    404
divhead         400    404
president       400    404
vicepresident   400    404
trialmgr        403    404
mediator        403    404
service         403    404
sysadmin        400    404
judge_xdiv      403    404
x_president     404    400
x_divhead       404    400
x_judge         404    403
x_sysadmin      404    400

### POST /api/teams/memberships/<int:membership_id>/end/
                court  xcourt
judge           403    404
assistant       403    404
clerk           403    404
registrar       403    404
divhead         200w   404
president       200w   404
vicepresident   200w   404
trialmgr        403    404
mediator        403    404
service         403    404
sysadmin        200w   404
judge_xdiv      403    404
x_president     404    200w
x_divhead       404    200w
x_judge         404    403
x_sysadmin      404    200w

### PUT /api/teams/coefficients/<str:category>/
                status
judge           403
assistant       403
clerk           403
registrar       403
divhead         403
president       200w
vicepresident   403
trialmgr        200w
mediator        403
service         403
sysadmin        403
judge_xdiv      403
x_president     200w
x_divhead       403
x_judge         403
x_sysadmin      403

### PATCH /api/teams/team-types/<int:team_type_id>/
                court  xcourt
judge           403    404
assistant       403    404
clerk           403    404
registrar       403    404
divhead         403    404
president       200w   404
vicepresident   403    404
trialmgr        200w   404
mediator        403    404
service         403    404
sysadmin        403    404
judge_xdiv      403    404
x_president     404    200w
x_divhead       404    403
x_judge         404    403
x_sysadmin      404    403

### POST /cases/register/
                status
judge           404
assistant       404
clerk           404
registrar       200
divhead         404
president       404
vicepresident   404
trialmgr        404
mediator        404
service         404
sysadmin        404
judge_xdiv      404
x_president     404
x_divhead       404
x_judge         404
x_sysadmin      404

### POST /cases/<int:case_id>/act/
                team   div    xdiv   xcourt
judge           400    404    404    404
assistant       400    404    404    404
clerk           400    404    404    404
registrar       404    404    404    404
divhead         302    302    404    404
president       302    302    302    404
vicepresident   302    302    302    404
trialmgr        302    302    302    404
mediator        404    404    404    404
service         302    404    302    404
sysadmin        404    404    404    404
judge_xdiv      404    404    400    404
x_president     404    404    404    302
x_divhead       404    404    404    302
x_judge         404    404    404    302
x_sysadmin      404    404    404    404

### POST /cases/<int:case_id>/unlock/
                team   div    xdiv   xcourt
judge           409    404    404    404
assistant       409    404    404    404
clerk           409    404    404    404
registrar       404    404    404    404
divhead         409    302w   404    404
president       409    403    409    404
vicepresident   409    403    409    404
trialmgr        409    403    409    404
mediator        404    404    404    404
service         409    404    409    404
sysadmin        404    404    404    404
judge_xdiv      404    404    409    404
x_president     404    404    404    403
x_divhead       404    404    404    302w
x_judge         404    404    404    403
x_sysadmin      404    404    404    404

### POST /cases/<int:case_id>/supervise/
                team   div    xdiv   xcourt
judge           403    404    404    404
assistant       403    404    404    404
clerk           403    404    404    404
registrar       404    404    404    404
divhead         302w   409    404    404
president       302w   409    302w   404
vicepresident   302w   409    302w   404
trialmgr        403    409    403    404
mediator        404    404    404    404
service         403    404    403    404
sysadmin        404    404    404    404
judge_xdiv      404    404    403    404
x_president     404    404    404    409
x_divhead       404    404    404    409
x_judge         404    404    404    409
x_sysadmin      404    404    404    404

### POST /cases/approvals/<int:approval_id>/decide/
                team   div    xdiv   xcourt
judge           403    404    404    404
assistant       403    404    404    404
clerk           403    404    404    404
registrar       404    404    404    404
divhead         302w   302w   404    404
president       403    403    403    404
vicepresident   403    403    403    404
trialmgr        403    403    403    404
mediator        404    404    404    404
service         403    404    403    404
sysadmin        404    404    404    404
judge_xdiv      404    404    403    404
x_president     404    404    404    403
x_divhead       404    404    404    302w
x_judge         404    404    404    403
x_sysadmin      404    404    404    404

### POST /cases/hearings/<int:hearing_id>/
                team   xdiv   xcourt
judge           302w   404    404
assistant       302w   404    404
clerk           302w   404    404
registrar       404    404    404
divhead         302    404    404
president       302    302    404
vicepresident   302    302    404
trialmgr        302    302    404
mediator        404    404    404
service         302    302    404
sysadmin        404    404    404
judge_xdiv      404    302w   404
x_president     404    404    302
x_divhead       404    404    302
x_judge         404    404    302
x_sysadmin      404    404    404

### POST /cases/interference/
                team   div    xdiv   xcourt
judge           302w   302w   302w   400
assistant       302w   302w   302w   400
clerk           302w   302w   302w   400
registrar       302w   302w   302w   400
divhead         302w   302w   302w   400
president       302w   302w   302w   400
vicepresident   302w   302w   302w   400
trialmgr        302w   302w   302w   400
mediator        302w   302w   302w   400
service         302w   302w   302w   400
sysadmin        302w   302w   302w   400
judge_xdiv      302w   302w   302w   400
x_president     400    400    400    302w
x_divhead       400    400    400    302w
x_judge         400    400    400    302w
x_sysadmin      400    400    400    302w

### POST /nodes/inbox/
                own    other
judge           302    302
assistant       302    302
clerk           302    302
registrar       302    302
divhead         302w   302
president       302    302
vicepresident   302    302
trialmgr        302    302
mediator        302    302
service         302    302
sysadmin        302    302
judge_xdiv      302    302
x_president     302    302
x_divhead       302    302w
x_judge         302    302
x_sysadmin      302    302

### POST /stats/exports/
                status
judge           404
assistant       404
clerk           404
registrar       404
divhead         302w
president       302w
vicepresident   302w
trialmgr        302w
mediator        404
service         404
sysadmin        404
judge_xdiv      404
x_president     302w
x_divhead       302w
x_judge         404
x_sysadmin      404

### POST /stats/board/
                court  xcourt
judge           403    404
assistant       403    404
clerk           403    404
registrar       403    404
divhead         403    404
president       403    404
vicepresident   403    404
trialmgr        302w   404
mediator        403    404
service         403    404
sysadmin        403    404
judge_xdiv      403    404
x_president     404    403
x_divhead       404    403
x_judge         404    403
x_sysadmin      404    403

### POST /stats/reports/
                div    xdiv   xcourt
judge           403    403    404
assistant       403    403    404
clerk           403    403    404
registrar       403    403    404
divhead         302w   403    404
president       403    403    404
vicepresident   403    403    404
trialmgr        403    403    404
mediator        403    403    404
service         403    403    404
sysadmin        403    403    404
judge_xdiv      403    403    404
x_president     404    404    403
x_divhead       404    404    302w
x_judge         404    404    403
x_sysadmin      404    404    403

### POST /stats/quality/
                status
judge           404
assistant       404
clerk           404
registrar       404
divhead         403
president       404
vicepresident   404
trialmgr        404
mediator        404
service         404
sysadmin        404
judge_xdiv      404
x_president     404
x_divhead       403
x_judge         404
x_sysadmin      404

### POST /admin/cases/case/
                team   div    xdiv   xcourt
judge           302    302    302    302
assistant       302    302    302    302
clerk           302    302    302    302
registrar       302    302    302    302
divhead         302    302w   302    302
president       302    302    302    302
vicepresident   302    302    302    302
trialmgr        200    200    200    200
mediator        302    302    302    302
service         302    302    302    302
sysadmin        403    403    403    403
judge_xdiv      302    302    302    302
x_president     302    302    302    302
x_divhead       302    302    302    302w
x_judge         302    302    302    302
x_sysadmin      403    403    403    403

### GET /admin/cases/case/<path:object_id>/change/
                team   div    xdiv   xcourt
judge           302    302    302    302
assistant       302    302    302    302
clerk           302    302    302    302
registrar       302    302    302    302
divhead         200    200    404    404
president       200    200    200    404
vicepresident   200    200    200    404
trialmgr        200    200    200    404
mediator        302    302    302    302
service         302    302    302    302
sysadmin        403    403    403    403
judge_xdiv      302    302    302    302
x_president     404    404    404    200
x_divhead       404    404    404    200
x_judge         302    302    302    302
x_sysadmin      403    403    403    403

### GET /admin/cases/approval/<path:object_id>/change/
                team   div    xdiv   xcourt
judge           302    302    302    302
assistant       302    302    302    302
clerk           302    302    302    302
registrar       302    302    302    302
divhead         200    200    404    404
president       200    200    200    404
vicepresident   200    200    200    404
trialmgr        403    403    403    403
mediator        302    302    302    302
service         302    302    302    302
sysadmin        403    403    403    403
judge_xdiv      302    302    302    302
x_president     404    404    404    200
x_divhead       404    404    404    200
x_judge         302    302    302    302
x_sysadmin      403    403    403    403

### GET /admin/nodes/caselock/<path:object_id>/change/
                div    xcourt
judge           302    302
assistant       302    302
clerk           302    302
registrar       302    302
divhead         200    404
president       200    404
vicepresident   200    404
trialmgr        200    404
mediator        302    302
service         302    302
sysadmin        403    403
judge_xdiv      302    302
x_president     404    200
x_divhead       404    200
x_judge         302    302
x_sysadmin      403    403

### GET /admin/teams/booking/<path:object_id>/change/
                team   xdiv   xcourt
judge           302    302    302
assistant       302    302    302
clerk           302    302    302
registrar       302    302    302
divhead         200    404    404
president       200    200    404
vicepresident   200    200    404
trialmgr        200    200    404
mediator        302    302    302
service         302    302    302
sysadmin        403    403    403
judge_xdiv      302    302    302
x_president     404    404    200
x_divhead       404    404    200
x_judge         302    302    302
x_sysadmin      403    403    403

### GET /admin/courtflow/auditevent/<path:object_id>/change/
                team   div    xdiv   xcourt
judge           302    302    302    302
assistant       302    302    302    302
clerk           302    302    302    302
registrar       302    302    302    302
divhead         403    403    403    403
president       200    200    200    404
vicepresident   200    200    200    404
trialmgr        200    200    200    404
mediator        302    302    302    302
service         302    302    302    302
sysadmin        403    403    403    403
judge_xdiv      302    302    302    302
x_president     404    404    404    200
x_divhead       403    403    403    403
x_judge         302    302    302    302
x_sysadmin      403    403    403    403

### GET /admin/teams/person/<path:object_id>/change/
                court  xcourt
judge           302    302
assistant       302    302
clerk           302    302
registrar       302    302
divhead         200    404
president       200    404
vicepresident   200    404
trialmgr        200    404
mediator        302    302
service         302    302
sysadmin        200    404
judge_xdiv      302    302
x_president     404    200
x_divhead       404    200
x_judge         302    302
x_sysadmin      404    200

### GET /admin/teams/team/<path:object_id>/change/
                court  xcourt
judge           302    302
assistant       302    302
clerk           302    302
registrar       302    302
divhead         200    404
president       200    404
vicepresident   200    404
trialmgr        200    404
mediator        302    302
service         302    302
sysadmin        200    404
judge_xdiv      302    302
x_president     404    200
x_divhead       404    200
x_judge         302    302
x_sysadmin      404    200

### GET /admin/teams/division/<path:object_id>/change/
                court  xcourt
judge           302    302
assistant       302    302
clerk           302    302
registrar       302    302
divhead         200    404
president       200    404
vicepresident   200    404
trialmgr        200    404
mediator        302    302
service         302    302
sysadmin        200    404
judge_xdiv      302    302
x_president     404    200
x_divhead       404    200
x_judge         302    302
x_sysadmin      404    200

### GET /admin/teams/membership/<path:object_id>/change/
                court  xcourt
judge           302    302
assistant       302    302
clerk           302    302
registrar       302    302
divhead         200    404
president       200    404
vicepresident   200    404
trialmgr        200    404
mediator        302    302
service         302    302
sysadmin        200    404
judge_xdiv      302    302
x_president     404    200
x_divhead       404    200
x_judge         302    302
x_sysadmin      404    200

### GET /admin/auth/user/<path:object_id>/change/
                court  xcourt
judge           302    302
assistant       302    302
clerk           302    302
registrar       302    302
divhead         403    403
president       403    403
vicepresident   403    403
trialmgr        403    403
mediator        302    302
service         302    302
sysadmin        200    404
judge_xdiv      302    302
x_president     403    403
x_divhead       403    403
x_judge         302    302
x_sysadmin      404    200

### GET /admin/assessment/assessmentsetting/
                status
judge           302
assistant       302
clerk           302
registrar       302
divhead         403
president       403
vicepresident   403
trialmgr        200
mediator        302
service         302
sysadmin        403
judge_xdiv      302
x_president     403
x_divhead       403
x_judge         302
x_sysadmin      403

### GET /admin/assessment/indicator/
= GET /admin/assessment/assessmentsetting/

### GET /admin/assessment/workloadweight/
                status
judge           302
assistant       302
clerk           302
registrar       302
divhead         403
president       200
vicepresident   403
trialmgr        200
mediator        302
service         302
sysadmin        403
judge_xdiv      302
x_president     200
x_divhead       403
x_judge         302
x_sysadmin      403

### GET /admin/auth/group/
                status
judge           302
assistant       302
clerk           302
registrar       302
divhead         403
president       403
vicepresident   403
trialmgr        403
mediator        302
service         302
sysadmin        403
judge_xdiv      302
x_president     403
x_divhead       403
x_judge         302
x_sysadmin      403

### GET /admin/auth/user/
                status sees
judge           302    -
assistant       302    -
clerk           302    -
registrar       302    -
divhead         403    -
president       403    -
vicepresident   403    -
trialmgr        403    -
mediator        302    -
service         302    -
sysadmin        200    c1
judge_xdiv      302    -
x_president     403    -
x_divhead       403    -
x_judge         302    -
x_sysadmin      200    c2

### GET /admin/cases/approval/
                status sees
judge           302    -
assistant       302    -
clerk           302    -
registrar       302    -
divhead         200    div,team
president       200    div,team,xdiv
vicepresident   200    div,team,xdiv
trialmgr        403    -
mediator        302    -
service         302    -
sysadmin        403    -
judge_xdiv      302    -
x_president     200    xcourt
x_divhead       200    xcourt
x_judge         302    -
x_sysadmin      403    -

### GET /admin/cases/case/
                status sees
judge           302    -
assistant       302    -
clerk           302    -
registrar       302    -
divhead         200    div,team
president       200    div,team,xdiv
vicepresident   200    div,team,xdiv
trialmgr        200    div,team,xdiv
mediator        302    -
service         302    -
sysadmin        403    -
judge_xdiv      302    -
x_president     200    xcourt
x_divhead       200    xcourt
x_judge         302    -
x_sysadmin      403    -

### GET /admin/cases/triagerule/
= GET /admin/assessment/assessmentsetting/

### GET /admin/courtflow/apitoken/
= GET /admin/auth/group/

### GET /admin/courtflow/auditevent/
                status sees
judge           302    -
assistant       302    -
clerk           302    -
registrar       302    -
divhead         403    -
president       200    div,team,xdiv
vicepresident   200    div,team,xdiv
trialmgr        200    div,team,xdiv
mediator        302    -
service         302    -
sysadmin        403    -
judge_xdiv      302    -
x_president     200    xcourt
x_divhead       403    -
x_judge         302    -
x_sysadmin      403    -

### GET /admin/django_celery_beat/clockedschedule/
= GET /admin/auth/group/

### GET /admin/django_celery_beat/crontabschedule/
= GET /admin/auth/group/

### GET /admin/django_celery_beat/intervalschedule/
= GET /admin/auth/group/

### GET /admin/django_celery_beat/periodictask/
= GET /admin/auth/group/

### GET /admin/django_celery_beat/solarschedule/
= GET /admin/auth/group/

### GET /admin/nodes/calendarday/
= GET /admin/assessment/assessmentsetting/

### GET /admin/nodes/caselock/
                status sees
judge           302    -
assistant       302    -
clerk           302    -
registrar       302    -
divhead         200    div
president       200    div
vicepresident   200    div
trialmgr        200    div
mediator        302    -
service         302    -
sysadmin        403    -
judge_xdiv      302    -
x_president     200    xcourt
x_divhead       200    xcourt
x_judge         302    -
x_sysadmin      403    -

### GET /admin/nodes/catalogversion/
= GET /admin/assessment/workloadweight/

### GET /admin/nodes/nodedefinition/
                status
judge           302
assistant       302
clerk           302
registrar       302
divhead         200
president       200
vicepresident   403
trialmgr        200
mediator        302
service         302
sysadmin        403
judge_xdiv      302
x_president     200
x_divhead       200
x_judge         302
x_sysadmin      403

### GET /admin/nodes/nodesetting/
= GET /admin/assessment/assessmentsetting/

### GET /admin/teams/booking/
                status sees
judge           302    -
assistant       302    -
clerk           302    -
registrar       302    -
divhead         200    team
president       200    team,xdiv
vicepresident   200    team,xdiv
trialmgr        200    team,xdiv
mediator        302    -
service         302    -
sysadmin        403    -
judge_xdiv      302    -
x_president     200    xcourt
x_divhead       200    xcourt
x_judge         302    -
x_sysadmin      403    -

### GET /admin/teams/court/
                status sees
judge           302    -
assistant       302    -
clerk           302    -
registrar       302    -
divhead         200    c1
president       200    c1
vicepresident   200    c1
trialmgr        200    c1
mediator        302    -
service         302    -
sysadmin        200    c1
judge_xdiv      302    -
x_president     200    c2
x_divhead       200    c2
x_judge         302    -
x_sysadmin      200    c2

### GET /admin/teams/courtroom/
                status
judge           302
assistant       302
clerk           302
registrar       302
divhead         200
president       200
vicepresident   200
trialmgr        200
mediator        302
service         302
sysadmin        200
judge_xdiv      302
x_president     200
x_divhead       200
x_judge         302
x_sysadmin      200

### GET /admin/teams/division/
= GET /admin/teams/court/

### GET /admin/teams/hrcoefficient/
= GET /admin/teams/courtroom/

### GET /admin/teams/membership/
= GET /admin/teams/court/

### GET /admin/teams/person/
= GET /admin/teams/court/

### GET /admin/teams/team/
= GET /admin/teams/court/

### GET /admin/teams/teamtype/
= GET /admin/teams/courtroom/

### GET /admin/teams/teamtypeseat/
= GET /admin/assessment/workloadweight/
""")
