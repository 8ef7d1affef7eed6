"""Team types every new court starts with (courts edit their copies afterwards).

Templates and quotas come from the reform reports (司法改革案例选编（十）): 北京西城 (case 153)
for 速裁 1+2+1 (1200 a year), 专业化 civil 1+1 (220), criminal and administrative 1+1 (150),
执行 1+2+法警 (1100); 天津静海 (case 156) for the "1+1" judge-and-clerk 速裁 team, the 诉前
"1+N" team and 精审 teams. The reports give no quota for the 静海 teams, so those start
empty (not assessed by counts) until the court sets one.
"""

from __future__ import annotations

from .models import TeamType
from .roles import Position, StaffCategory

# kind: (name_zh, annual_quota, simple, complex, [(position, min, max)])
DEFAULT_TEAM_TYPES: dict[
    str, tuple[str, int | None, bool, bool, list[tuple[str, int, int | None]]]
] = {
    TeamType.Kind.SPEEDY: (
        "速裁团队",
        1200,
        True,
        False,
        [(Position.JUDGE, 1, 1), (Position.ASSISTANT, 2, 2), (Position.CLERK, 1, 1)],
    ),
    TeamType.Kind.CIVIL: (
        "民商事专业化团队",
        220,
        False,
        True,
        [(Position.JUDGE, 1, 1), (Position.ASSISTANT, 1, 1)],
    ),
    TeamType.Kind.CRIMINAL: (
        "刑事专业化团队",
        150,
        False,
        True,
        [(Position.JUDGE, 1, 1), (Position.ASSISTANT, 1, 1)],
    ),
    TeamType.Kind.ADMINISTRATIVE: (
        "行政专业化团队",
        150,
        False,
        True,
        [(Position.JUDGE, 1, 1), (Position.ASSISTANT, 1, 1)],
    ),
    TeamType.Kind.ENFORCEMENT: (
        "执行团队",
        1100,
        True,
        True,
        [(Position.JUDGE, 1, 1), (Position.ASSISTANT, 2, 2), (Position.BAILIFF, 1, 1)],
    ),
    TeamType.Kind.ONE_PLUS_ONE: (
        "“1+1”速裁团队",
        None,
        True,
        False,
        [(Position.JUDGE, 1, 1), (Position.CLERK, 1, 1)],
    ),
    TeamType.Kind.PRE_LITIGATION: (
        "诉前“1+N”团队",
        None,
        False,
        False,
        [(Position.JUDGE, 1, 1), (Position.MEDIATOR, 1, None)],
    ),
    TeamType.Kind.REFINED: (
        "精审团队",
        None,
        False,
        True,
        [(Position.JUDGE, 1, 1), (Position.ASSISTANT, 1, 2)],
    ),
}

# The staff category a seat is costed at when a template's coefficient sum is computed
# (what a fully staffed team of the type carries).
POSITION_CATEGORY: dict[str, str] = {
    Position.JUDGE: StaffCategory.JUDGE,
    Position.ASSISTANT: StaffCategory.ASSISTANT,
    Position.CLERK: StaffCategory.CONTRACT,
    Position.BAILIFF: StaffCategory.CONTRACT,
    Position.MEDIATOR: StaffCategory.MEDIATOR_OUTSOURCED,
}
