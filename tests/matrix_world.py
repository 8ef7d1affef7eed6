"""The world the access matrix runs in: the demo court of ``tests.world`` plus a second court,
with one case for each relation a user can have to a case, and the objects hanging off them.

Cases (keys of ``MatrixWorld.objects``):

- ``team``: civil division 1, in the team of the demo's ``judge`` and ``assistant``; a hearing
  booked to the demo's pool ``clerk``, a pending service request, a pending approval.
- ``div``: civil division 1, another team; locked by the sweep, with the judge's unlock request.
- ``xdiv``: civil division 2 of the same court; a hearing, a service request, an approval.
- ``xcourt``: a case of a second court (its own division, team, people); locked, with a
  hearing, a service request and an approval.

Every object is made through the services, as in production."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from cases import services
from cases.models import Approval, Case, Hearing, ServiceRequest
from cases.services.assignment import assignment_candidates, assignment_draw, weighted_pick
from cases.services.service_of_process import service_request_create
from cases.services.triage import triage_rules_default
from nodes.models import CaseLock
from nodes.sweep import sweep_run
from teams import services as team_services
from teams.demo import _Builder
from teams.models import Court, Courtroom, Division, Person, Team, TeamType
from teams.roles import Role
from tests.world import World, build_world

PARTIES = [
    {"name": "张三", "role": "plaintiff", "kind": "person"},
    {"name": "北京某某科技有限公司", "role": "defendant", "kind": "organisation"},
]
SECOND_COURT_CODE = "京0105"


@dataclass
class MatrixWorld:
    world: World
    second_court: Court
    users: dict[str, object] = field(default_factory=dict)  # matrix user key → User
    cases: dict[str, Case] = field(default_factory=dict)
    hearings: dict[str, Hearing] = field(default_factory=dict)
    approvals: dict[str, Approval] = field(default_factory=dict)
    service_requests: dict[str, ServiceRequest] = field(default_factory=dict)
    extra: dict[str, object] = field(default_factory=dict)  # teams, people, divisions …


def _draw_into(actor, case: Case, want) -> Case:
    """Assign ``case`` by the real random draw, with a seed that lands on a team ``want``
    accepts (the draw is a pure function of the seed, so this is still the service's draw)."""
    candidates, _excluded = assignment_candidates(case)
    for seed in range(10_000):
        if want(weighted_pick(seed, candidates)["team"]):
            assignment_draw(actor=actor, case=case, seed=seed)
            case.refresh_from_db()
            return case
    raise AssertionError("no seed lands the draw on the wanted team")


def _register(registrar, court, division, *, filed_days_ago: int = 0, cause: str = "民间借贷纠纷"):
    at = timezone.now() - dt.timedelta(days=filed_days_ago)
    return services.case_register(
        actor=registrar,
        court=court,
        procedure="civil_simple",
        cause=cause,
        parties=PARTIES,
        claim_amount="8000",
        division=division,
        received_at=at,
        filed_at=at,
    )


def _triage(head, case: Case, want, complexity: str = "complex") -> Case:
    # Complex cases go to the 专业化 teams, where the demo's judge sits.
    services.triage_decide(
        actor=head, case=case, complexity=complexity, reason="矩阵测试", draw=False
    )
    case.refresh_from_db()
    return _draw_into(head, case, want)


def _second_court() -> tuple[Court, dict[str, Person], Team, Division]:
    court = team_services.court_create(
        actor=None, code=SECOND_COURT_CODE, name="北京市朝阳区人民法院", level=Court.Level.BASIC
    )
    civil = team_services.division_create(
        actor=None, court=court, name="民事审判第一庭", kind=Division.Kind.CIVIL
    )
    filing = team_services.division_create(
        actor=None, court=court, name="立案庭", kind=Division.Kind.FILING
    )
    builder = _Builder(scale=0.05)
    people = {
        "x_president": builder.person(court, "x-president", "郑院长", Role.PRESIDENT, None),
        "x_divhead": builder.person(court, "x-divhead", "冯庭长", Role.DIVISION_HEAD, civil),
        "x_registrar": builder.person(court, "x-registrar", "冯立案", Role.REGISTRAR, filing),
        "x_sysadmin": builder.person(court, "x-sysadmin", "冯系统", Role.SYSADMIN, None),
        "x_service": builder.person(court, "x-service", "冯送达", Role.SERVICE_STAFF, None),
    }
    team_services.division_set_head(actor=None, division=civil, head=people["x_divhead"])
    team_type = TeamType.objects.get(court=court, kind=TeamType.Kind.CIVIL)
    team = builder.team(court, civil, team_type, "cy-ms", "朝阳民商事团队", 1)
    people["x_judge"] = Person.objects.get(user__username="cy-ms01-judge")
    for i in range(1, 3):
        team_services.courtroom_create(actor=None, court=court, name=f"第{i}法庭")
    triage_rules_default(court.pk)
    return court, people, team, civil


def _hearing(case: Case, clerk: Person, days: int) -> Hearing:
    starts = timezone.now() + dt.timedelta(days=days)
    starts = starts.replace(hour=9, minute=0, second=0, microsecond=0)
    return services.hearing_schedule(
        actor=case.judge.user,
        case=case,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        courtroom=Courtroom.objects.filter(court_id=case.court_id).order_by("id").first(),
        clerk=clerk,
    )


def _service_request(case: Case) -> ServiceRequest:
    return service_request_create(
        actor=case.judge.user,
        case=case,
        document="complaint_copy",
        party=case.parties.order_by("-id").first(),
    )


def _suspension(case: Case) -> Approval:
    return services.approval_request(
        actor=case.judge.user,
        case=case,
        kind=Approval.Kind.SUSPENSION,
        reason="等待鉴定结论",
        payload={"suspension_kind": "appraisal"},
    )


def build_matrix_world() -> MatrixWorld:
    world = build_world()
    court = world.court
    civil1 = world.judge.division
    civil2 = Division.objects.get(court=court, name="民事审判第二庭")
    my_team = world.judge.memberships.get(ended_on__isnull=True).team
    registrar = world.user("registrar")
    second, xpeople, xteam, xcivil = _second_court()
    mw = MatrixWorld(world=world, second_court=second)

    # The locked cases are filed long ago, so the sweep finds their important nodes overdue.
    div = _register(registrar, court, civil1, filed_days_ago=60, cause="买卖合同纠纷")
    div = _triage(world.user("divhead"), div, lambda t: t != my_team.pk)
    xcourt = _register(
        xpeople["x_registrar"].user, second, xcivil, filed_days_ago=60, cause="房屋租赁合同纠纷"
    )
    xcourt = _triage(xpeople["x_divhead"].user, xcourt, lambda t: t == xteam.pk)
    x_clerk = Person.objects.filter(court=second, role=Role.CLERK).first()
    mw.hearings["xcourt"] = _hearing(xcourt, x_clerk, 3)
    mw.service_requests["xcourt"] = _service_request(xcourt)
    sweep_run(at=timezone.now())
    team = _register(registrar, court, civil1, cause="民间借贷纠纷")
    team = _triage(world.user("divhead"), team, lambda t: t == my_team.pk)
    xdiv = _register(registrar, court, civil2, cause="物业服务合同纠纷")
    xdiv = _triage(civil2.head.user, xdiv, lambda t: True)
    for key, case in {"team": team, "div": div, "xdiv": xdiv, "xcourt": xcourt}.items():
        case.refresh_from_db()
        mw.cases[key] = case
    assert mw.cases["div"].locked and mw.cases["xcourt"].locked, "the sweep should lock them"
    assert not mw.cases["team"].locked and not mw.cases["xdiv"].locked

    pool = Person.objects.filter(court=court, role=Role.CLERK, memberships__isnull=True)
    mw.hearings["team"] = _hearing(team, world.clerk, 3)
    mw.hearings["xdiv"] = _hearing(xdiv, pool.exclude(pk=world.clerk.pk).first(), 4)
    mw.service_requests["team"] = _service_request(team)
    mw.service_requests["xdiv"] = _service_request(xdiv)
    mw.approvals["team"] = _suspension(team)
    mw.approvals["xdiv"] = _suspension(xdiv)
    mw.approvals["div"] = services.approval_request(
        actor=div.judge.user, case=div, kind=Approval.Kind.UNLOCK, reason="已公告送达"
    )
    mw.approvals["xcourt"] = services.approval_request(
        actor=xcourt.judge.user, case=xcourt, kind=Approval.Kind.UNLOCK, reason="已公告送达"
    )
    mw.extra["lock_div"] = CaseLock.objects.filter(case=div).first()
    mw.extra["lock_xcourt"] = CaseLock.objects.filter(case=xcourt).first()
    mw.extra["xteam"] = xteam
    mw.extra["xdivision"] = xcivil
    mw.extra["my_team"] = my_team

    named = {
        "judge": "judge",
        "assistant": "assistant",
        "clerk": "clerk",
        "registrar": "registrar",
        "divhead": "divhead",
        "president": "president",
        "vicepresident": "vicepresident",
        "trialmgr": "trialmgr",
        "mediator": "mediator",
        "service": "service",
        "sysadmin": "sysadmin",
    }
    for key, username in named.items():
        mw.users[key] = world.user(username)
    mw.users["judge_xdiv"] = xdiv.judge.user
    for key, person in xpeople.items():
        mw.users[key] = person.user
    return mw
