"""Roles (the design's role table), the team seats each role may take, and what each role
may do, expressed as Django permissions held by one group per role."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    JUDGE = "judge", _("Judge")
    ASSISTANT = "assistant", _("Judge assistant")
    CLERK = "clerk", _("Clerk")
    REGISTRAR = "registrar", _("Registrar")
    DIVISION_HEAD = "division_head", _("Division head")
    PRESIDENT = "president", _("President")
    VICE_PRESIDENT = "vice_president", _("Vice president")
    TRIAL_MANAGER = "trial_manager", _("Trial manager")
    MEDIATOR = "mediator", _("Mediator")
    SERVICE_STAFF = "service_staff", _("Service staff")
    BAILIFF = "bailiff", _("Bailiff")
    SYSADMIN = "sysadmin", _("System administrator")


class Position(models.TextChoices):
    """A seat in a team. Which seats a team has comes from its type's staffing template."""

    JUDGE = "judge", _("Judge")
    ASSISTANT = "assistant", _("Judge assistant")
    CLERK = "clerk", _("Clerk")
    BAILIFF = "bailiff", _("Bailiff")
    MEDIATOR = "mediator", _("Mediator")


# Who may sit in which seat. A division head or president who still hears cases (员额法官)
# takes a judge's seat; the 丰台 coefficient of 庭长 (0.5) then reflects the lighter load.
POSITION_ROLES: dict[str, frozenset[str]] = {
    Position.JUDGE: frozenset(
        {Role.JUDGE, Role.DIVISION_HEAD, Role.PRESIDENT, Role.VICE_PRESIDENT}
    ),
    Position.ASSISTANT: frozenset({Role.ASSISTANT}),
    Position.CLERK: frozenset({Role.CLERK}),
    Position.BAILIFF: frozenset({Role.BAILIFF}),
    Position.MEDIATOR: frozenset({Role.MEDIATOR}),
}


class StaffCategory(models.TextChoices):
    """Human-resource categories of the 丰台 method; each has a coefficient per court."""

    JUDGE = "judge", _("Quota judge (员额法官)")
    ASSISTANT = "assistant", _("Judge assistant (法官助理)")
    DIVISION_HEAD = "division_head", _("Division head (庭长)")
    CONTRACT = "contract", _("Contract staff (一般聘任制人员)")
    SPEEDY_CONTRACT = "speedy_contract", _("Speedy-track contract staff (速裁聘用制人员)")
    MEDIATOR_OUTSOURCED = (
        "mediator_outsourced",
        _("People's mediator or outsourced (人民调解员和外包)"),
    )
    NOT_COUNTED = "not_counted", _("Not counted in team workload")


# 丰台's published coefficients (reform case 155). The text lists seven roles for six
# numbers; reading mediators and outsourced staff as sharing 0.1 is an interpretation.
DEFAULT_COEFFICIENTS: dict[str, str] = {
    StaffCategory.JUDGE: "1.00",
    StaffCategory.ASSISTANT: "0.60",
    StaffCategory.DIVISION_HEAD: "0.50",
    StaffCategory.CONTRACT: "0.40",
    StaffCategory.SPEEDY_CONTRACT: "0.20",
    StaffCategory.MEDIATOR_OUTSOURCED: "0.10",
    StaffCategory.NOT_COUNTED: "0.00",
}

# The category a new person gets from their role unless someone sets another.
ROLE_DEFAULT_CATEGORY: dict[str, str] = {
    Role.JUDGE: StaffCategory.JUDGE,
    Role.ASSISTANT: StaffCategory.ASSISTANT,
    Role.CLERK: StaffCategory.CONTRACT,
    Role.REGISTRAR: StaffCategory.CONTRACT,
    Role.DIVISION_HEAD: StaffCategory.DIVISION_HEAD,
    Role.PRESIDENT: StaffCategory.NOT_COUNTED,
    Role.VICE_PRESIDENT: StaffCategory.NOT_COUNTED,
    Role.TRIAL_MANAGER: StaffCategory.NOT_COUNTED,
    Role.MEDIATOR: StaffCategory.MEDIATOR_OUTSOURCED,
    Role.SERVICE_STAFF: StaffCategory.MEDIATOR_OUTSOURCED,
    Role.BAILIFF: StaffCategory.CONTRACT,
    Role.SYSADMIN: StaffCategory.NOT_COUNTED,
}

# Roles that work inside the Django admin (scoped to their court there as everywhere).
STAFF_ROLES = frozenset(
    {Role.DIVISION_HEAD, Role.PRESIDENT, Role.VICE_PRESIDENT, Role.TRIAL_MANAGER, Role.SYSADMIN}
)

# Permissions per role, as "app_label.codename". Later apps add theirs to this table, so
# the role decides the groups and the groups decide the permissions, in one place.
_VIEW_ORG = [
    "teams.view_court",
    "teams.view_division",
    "teams.view_person",
    "teams.view_team",
    "teams.view_teamtype",
    "teams.view_membership",
    "teams.view_hrcoefficient",
    "teams.view_courtroom",
]
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.JUDGE: [*_VIEW_ORG],
    Role.ASSISTANT: [*_VIEW_ORG],
    Role.CLERK: [*_VIEW_ORG, "teams.view_booking"],
    Role.REGISTRAR: [*_VIEW_ORG, "cases.register_case", "cases.view_case"],
    Role.DIVISION_HEAD: [
        *_VIEW_ORG,
        "cases.view_case",
        "cases.triage_case",
        "cases.supervise_case",
        "cases.view_approval",
        "nodes.view_nodedefinition",
        "teams.view_booking",
        "teams.manage_division_teams",
    ],
    Role.PRESIDENT: [
        *_VIEW_ORG,
        "cases.view_case",
        "cases.supervise_case",
        "cases.view_approval",
        "nodes.view_nodedefinition",
        "nodes.view_catalogversion",
        "teams.view_booking",
        "teams.manage_court_teams",
        "teams.manage_coefficients",
        "teams.manage_team_types",
        "assessment.view_workloadweight",
        "assessment.manage_workload_weights",
        "courtflow.view_auditevent",
    ],
    Role.VICE_PRESIDENT: [
        *_VIEW_ORG,
        "cases.view_case",
        "cases.supervise_case",
        "cases.view_approval",
        "teams.view_booking",
        "teams.manage_court_teams",
        "courtflow.view_auditevent",
    ],
    Role.TRIAL_MANAGER: [
        *_VIEW_ORG,
        "cases.view_case",
        "cases.view_triagerule",
        "cases.add_triagerule",
        "cases.change_triagerule",
        "teams.view_booking",
        "teams.manage_coefficients",
        "teams.manage_team_types",
        "assessment.view_workloadweight",
        "assessment.manage_workload_weights",
        "assessment.view_indicator",
        "assessment.manage_indicators",
        "assessment.view_assessmentsetting",
        "courtflow.view_auditevent",
        "nodes.view_calendarday",
        "nodes.manage_calendar",
        "nodes.view_catalogversion",
        "nodes.view_nodedefinition",
        "nodes.manage_catalog",
        "nodes.view_nodesetting",
    ],
    Role.MEDIATOR: [*_VIEW_ORG],
    Role.SERVICE_STAFF: [*_VIEW_ORG],
    Role.BAILIFF: [*_VIEW_ORG],
    Role.SYSADMIN: [
        *_VIEW_ORG,
        "auth.view_user",
        "teams.manage_people",
        "teams.manage_court_teams",
    ],
}


def group_name(role: str) -> str:
    return f"role:{role}"
