"""A demo court shaped like 北京市西城区人民法院 (reform case 153), built through the services.

Idempotent: every object has a natural key (court code, division name, team name, user
name), and anything that exists is left as it is. ``scale=1`` gives 西城's published team
counts (17 速裁, 101 专业化, 19 执行 teams, 40 pool clerks); the default is a tenth.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from . import services
from .models import Court, Courtroom, Division, Membership, Person, Team, TeamType
from .roles import Position, Role

DEMO_PASSWORD = "courtflow-demo"  # noqa: S105 -- printed by `make run` and in the README, demo only
COURT_CODE = "京0102"
COURT_NAME = "北京市西城区人民法院"
DEMO_START = dt.date(2026, 1, 1)

SURNAMES = "王李张刘陈杨黄赵周吴徐孙马胡朱郭何罗高林郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严欧莫孔向常汤康易乔赖文施洪辛柯庄"
GIVEN = "伟芳娜敏静丽强磊洋艳勇军杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉健宁晨悦琳雪梅欣怡宇浩然博文思远婷颖鑫斌凯帆瑶佳琪子涵嘉睿志诚亮"

# The people whose logins `make run` prints: (username, name, role, division key).
NAMED_USERS = [
    ("judge", "王立新", Role.JUDGE, "civil1"),
    ("assistant", "李晓雯", Role.ASSISTANT, "civil1"),
    ("clerk", "张书言", Role.CLERK, "clerks"),
    ("registrar", "赵立安", Role.REGISTRAR, "filing"),
    ("divhead", "陈庭长", Role.DIVISION_HEAD, "civil1"),
    ("president", "周院长", Role.PRESIDENT, None),
    ("vicepresident", "吴副院长", Role.VICE_PRESIDENT, None),
    ("trialmgr", "孙审管", Role.TRIAL_MANAGER, "management"),
    ("mediator", "马调解", Role.MEDIATOR, "mediation"),
    ("service", "胡送达", Role.SERVICE_STAFF, "service"),
    ("bailiff", "郭法警", Role.BAILIFF, "enforcement"),
    ("sysadmin", "何系统", Role.SYSADMIN, "management"),
]

# key: (name, kind)
DIVISIONS = {
    "filing": ("立案庭", Division.Kind.FILING),
    "civil1": ("民事审判第一庭", Division.Kind.CIVIL),
    "civil2": ("民事审判第二庭", Division.Kind.CIVIL),
    "civil3": ("民事审判第三庭", Division.Kind.CIVIL),
    "criminal": ("刑事审判庭", Division.Kind.CRIMINAL),
    "administrative": ("行政审判庭", Division.Kind.ADMINISTRATIVE),
    "enforcement": ("执行局", Division.Kind.ENFORCEMENT),
    "mediation": ("诉调对接中心", Division.Kind.MEDIATION),
    "management": ("审判管理办公室", Division.Kind.TRIAL_MANAGEMENT),
    "clerks": ("书记员管理办公室", Division.Kind.CLERK_OFFICE),
    "service": ("集约送达中心", Division.Kind.SERVICE_CENTER),
}
TRIAL_DIVISIONS = ["civil1", "civil2", "civil3", "criminal", "administrative", "enforcement"]

# 西城's published team counts at scale 1; the split of the 101 专业化 teams across civil,
# criminal and administrative work is not published, so it is an assumption.
FULL_COUNTS = {
    TeamType.Kind.SPEEDY: 17,
    TeamType.Kind.CIVIL: 70,
    TeamType.Kind.CRIMINAL: 16,
    TeamType.Kind.ADMINISTRATIVE: 15,
    TeamType.Kind.ENFORCEMENT: 19,
}
POOL_CLERKS_FULL = 40
TEAM_CODES = {
    TeamType.Kind.SPEEDY: ("sc", "速裁团队"),
    TeamType.Kind.CIVIL: ("ms", "民商事团队"),
    TeamType.Kind.CRIMINAL: ("xs", "刑事团队"),
    TeamType.Kind.ADMINISTRATIVE: ("xz", "行政团队"),
    TeamType.Kind.ENFORCEMENT: ("zx", "执行团队"),
    TeamType.Kind.ONE_PLUS_ONE: ("yy", "“1+1”速裁团队"),
    TeamType.Kind.PRE_LITIGATION: ("sq", "诉前调解团队"),
    TeamType.Kind.REFINED: ("js", "精审团队"),
}
POSITION_ROLE = {
    Position.JUDGE: Role.JUDGE,
    Position.ASSISTANT: Role.ASSISTANT,
    Position.CLERK: Role.CLERK,
    Position.BAILIFF: Role.BAILIFF,
    Position.MEDIATOR: Role.MEDIATOR,
}
POSITION_CODE = {
    Position.JUDGE: "judge",
    Position.ASSISTANT: "asst",
    Position.CLERK: "clerk",
    Position.BAILIFF: "bailiff",
    Position.MEDIATOR: "med",
}


@dataclass
class DemoResult:
    court: Court
    created_people: int
    created_teams: int


def _name(seed: int) -> str:
    surname = SURNAMES[seed % len(SURNAMES)]
    given = GIVEN[(seed * 7) % len(GIVEN)] + (
        GIVEN[(seed * 13 + 3) % len(GIVEN)] if seed % 3 else ""
    )
    return surname + given


class _Builder:
    def __init__(self, scale: float) -> None:
        self.scale = scale
        self.created_people = 0
        self.created_teams = 0
        self.password_hash = make_password(DEMO_PASSWORD)

    def person(
        self, court: Court, username: str, name: str, role: str, division: Division | None
    ) -> Person:
        existing = Person.objects.filter(user__username=username).first()
        if existing is not None:
            return existing
        self.created_people += 1
        return services.person_create(
            actor=None,
            court=court,
            username=username,
            name=name,
            role=role,
            division=division,
            password_hash=self.password_hash,
        )

    def seat(self, team: Team, person: Person, position: str) -> None:
        if Membership.objects.filter(person=person, ended_on__isnull=True).exists():
            return
        services.membership_create(
            actor=None, team=team, person=person, position=position, started_on=DEMO_START
        )

    def team(
        self,
        court: Court,
        division: Division,
        team_type: TeamType,
        code: str,
        label: str,
        n: int,
        fill: dict[str, Person] | None = None,
    ) -> Team:
        name = f"{label}{n:02d}"
        team = Team.objects.filter(court=court, name=name).first()
        if team is None:
            team = services.team_create(
                actor=None, division=division, team_type=team_type, name=name
            )
            self.created_teams += 1
        fill = fill or {}
        for seat in team_type.seats.all():
            for i in range(1, seat.min_count + 1):
                key = f"{seat.position}{i}"
                if key in fill:
                    person = fill[key]
                else:
                    username = f"{code}{n:02d}-{POSITION_CODE[seat.position]}{i if seat.min_count > 1 else ''}"
                    seed = sum(ord(ch) for ch in username) * 31 + n
                    person = self.person(
                        court, username, _name(seed), POSITION_ROLE[seat.position], division
                    )
                self.seat(team, person, seat.position)
        return team

    def build(self) -> DemoResult:
        court = Court.objects.filter(code=COURT_CODE).first()
        if court is None:
            court = services.court_create(
                actor=None, code=COURT_CODE, name=COURT_NAME, level=Court.Level.BASIC
            )
        divisions: dict[str, Division] = {}
        for key, (name, kind) in DIVISIONS.items():
            division = Division.objects.filter(court=court, name=name).first()
            divisions[key] = division or services.division_create(
                actor=None, court=court, name=name, kind=kind
            )

        named: dict[str, Person] = {}
        for username, name, role, div_key in NAMED_USERS:
            named[username] = self.person(
                court, username, name, role, divisions.get(div_key) if div_key else None
            )

        heads = {"civil1": named["divhead"]}
        for i, key in enumerate(
            [*TRIAL_DIVISIONS, "filing", "mediation", "clerks", "service", "management"]
        ):
            if key in heads:
                continue
            heads[key] = self.person(
                court, f"head-{key}", _name(1000 + i), Role.DIVISION_HEAD, divisions[key]
            )
        for key, head in heads.items():
            if divisions[key].head_id is None:
                services.division_set_head(actor=None, division=divisions[key], head=head)

        types = {t.kind: t for t in TeamType.objects.filter(court=court).prefetch_related("seats")}

        def count(kind: str) -> int:
            return max(1, round(FULL_COUNTS[kind] * self.scale))

        civil_keys = ["civil1", "civil2", "civil3"]
        for n in range(1, count(TeamType.Kind.SPEEDY) + 1):
            code, label = TEAM_CODES[TeamType.Kind.SPEEDY]
            self.team(
                court,
                divisions[civil_keys[(n - 1) % 3]],
                types[TeamType.Kind.SPEEDY],
                code,
                label,
                n,
            )
        for n in range(1, count(TeamType.Kind.CIVIL) + 1):
            code, label = TEAM_CODES[TeamType.Kind.CIVIL]
            fill = {"judge1": named["judge"], "assistant1": named["assistant"]} if n == 1 else None
            self.team(
                court,
                divisions[civil_keys[(n - 1) % 3]],
                types[TeamType.Kind.CIVIL],
                code,
                label,
                n,
                fill,
            )
        for kind, div_key in [
            (TeamType.Kind.CRIMINAL, "criminal"),
            (TeamType.Kind.ADMINISTRATIVE, "administrative"),
            (TeamType.Kind.ENFORCEMENT, "enforcement"),
        ]:
            code, label = TEAM_CODES[kind]
            for n in range(1, count(kind) + 1):
                fill = (
                    {"bailiff1": named["bailiff"]}
                    if kind == TeamType.Kind.ENFORCEMENT and n == 1
                    else None
                )
                self.team(court, divisions[div_key], types[kind], code, label, n, fill)
        # A speedy team for the criminal division's summary and fast-track cases.
        self.team(
            court, divisions["criminal"], types[TeamType.Kind.SPEEDY], "xc", "刑事速裁团队", 1
        )
        # 静海: a "1+1" speedy team in every civil division, a 精审 team, a 诉前 "1+N" team.
        code, label = TEAM_CODES[TeamType.Kind.ONE_PLUS_ONE]
        for n, key in enumerate(civil_keys, start=1):
            self.team(court, divisions[key], types[TeamType.Kind.ONE_PLUS_ONE], code, label, n)
        code, label = TEAM_CODES[TeamType.Kind.REFINED]
        self.team(court, divisions["civil2"], types[TeamType.Kind.REFINED], code, label, 1)
        code, label = TEAM_CODES[TeamType.Kind.PRE_LITIGATION]
        sq = self.team(
            court,
            divisions["mediation"],
            types[TeamType.Kind.PRE_LITIGATION],
            code,
            label,
            1,
            {"mediator1": named["mediator"]},
        )
        for i in range(2, 4):  # the "N" of 1+N: more mediators than the template's minimum
            person = self.person(
                court, f"sq01-med{i}", _name(2000 + i), Role.MEDIATOR, divisions["mediation"]
            )
            self.seat(sq, person, Position.MEDIATOR)

        for i in range(1, max(2, round(POOL_CLERKS_FULL * self.scale)) + 1):
            self.person(
                court, f"pool-clerk{i:02d}", _name(3000 + i), Role.CLERK, divisions["clerks"]
            )
        for i in range(1, 4):
            self.person(
                court, f"service{i:02d}", _name(4000 + i), Role.SERVICE_STAFF, divisions["service"]
            )
        for i in range(1, max(4, round(30 * self.scale)) + 1):
            name = f"第{i}法庭"
            if not Courtroom.objects.filter(court=court, name=name).exists():
                services.courtroom_create(
                    actor=None, court=court, name=name, supports_streaming=i % 4 != 0
                )
        return DemoResult(
            court=court, created_people=self.created_people, created_teams=self.created_teams
        )


@transaction.atomic
def demo_org_build(*, scale: float = 0.1) -> DemoResult:
    """Create (or complete) the demo court's organisation at ``scale`` of 西城's size."""
    return _Builder(scale).build()
