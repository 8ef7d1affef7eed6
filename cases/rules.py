"""What may be recorded on a case, by whom, in which stage, and what it moves.

Every event of the node vocabulary can be recorded (otherwise a node closing on it could
never close); this table adds the rules for the events that drive the lifecycle or must
come in order. An event not listed is recorded by the case's team in any stage that is not
archived."""

from __future__ import annotations

from dataclasses import dataclass, field

from teams.roles import Role

from .lifecycle import ClosureType, Family, Stage

TEAM = (Role.JUDGE, Role.ASSISTANT, Role.CLERK)
ENFORCEMENT_TEAM = (Role.JUDGE, Role.ASSISTANT, Role.BAILIFF)
JUDGE = (Role.JUDGE,)
SUPERVISORS = (Role.DIVISION_HEAD, Role.PRESIDENT, Role.VICE_PRESIDENT)
ACTIVE = (
    Stage.FILED,
    Stage.PRETRIAL,
    Stage.TRIAL,
    Stage.JUDGMENT,
    Stage.REVIEW,
    Stage.RULED,
    Stage.INVESTIGATING,
    Stage.DISPOSING,
    Stage.REFERRED,
    Stage.MEDIATING,
)
AFTER_CLOSING = (Stage.CLOSED, Stage.EFFECTIVE, Stage.APPEALED, Stage.HANDED_OVER)
OPEN_TO_EVENTS = (Stage.RECEIVED, *ACTIVE, Stage.SUSPENDED, *AFTER_CLOSING)


@dataclass(frozen=True)
class EventRule:
    roles: tuple[str, ...] | None = (
        None  # None: the case's team (by family), and registrars while filing
    )
    stages: tuple[str, ...] = OPEN_TO_EVENTS
    transition: str = ""
    requires_any: tuple[str, ...] = ()
    once: bool = False
    closure_types: tuple[str, ...] = ()
    families: tuple[str, ...] = ()
    # Recorded only by a service (registration, hearings, approvals, assignment), never directly.
    internal: bool = False
    payload_flags: tuple[str, ...] = field(default=())


RULES: dict[str, EventRule] = {
    "complaint_received": EventRule(internal=True),
    "case_filed": EventRule(
        roles=(Role.REGISTRAR,), stages=(Stage.RECEIVED,), transition="docket", once=True
    ),
    "filing_refused": EventRule(roles=(Role.REGISTRAR,), stages=(Stage.RECEIVED,), once=True),
    "case_assigned": EventRule(internal=True),
    "hearing_scheduled": EventRule(internal=True),
    "hearing_held": EventRule(internal=True),
    "hearing_adjourned": EventRule(internal=True),
    "extension_requested": EventRule(internal=True),
    "extension_decided": EventRule(internal=True),
    "suspension_started": EventRule(internal=True),
    "suspension_ended": EventRule(internal=True),
    "conversion_decided": EventRule(internal=True),
    "publication_service_started": EventRule(internal=True),
    "publication_service_ended": EventRule(internal=True),
    "trial_limit_reached": EventRule(internal=True),
    "judgment_pronounced": EventRule(
        roles=JUDGE,
        stages=(Stage.TRIAL,),
        transition="pronounce",
        once=True,
        families=(Family.FIRST_INSTANCE, Family.CRIMINAL, Family.SECOND_INSTANCE),
        payload_flags=("pronounced_in_court", "pronounced_later"),
    ),
    "judgment_served": EventRule(
        requires_any=(
            "judgment_pronounced",
            "retrial_decided",
            "objection_decided",
            "petition_decided",
            "case_closed",
            "preservation_ruled",
        )
    ),
    "mediation_document_served": EventRule(),
    "case_closed": EventRule(
        roles=JUDGE,
        stages=(Stage.PRETRIAL, Stage.TRIAL, Stage.JUDGMENT, Stage.RULED),
        transition="close",
        once=True,
        closure_types=(
            ClosureType.JUDGMENT,
            ClosureType.RULING,
            ClosureType.MEDIATION,
            ClosureType.WITHDRAWAL,
            ClosureType.DEEMED_WITHDRAWN,
            ClosureType.TRANSFER,
            ClosureType.REMAND,
            ClosureType.PRESERVATION_DONE,
        ),
    ),
    "retrial_decided": EventRule(
        roles=JUDGE,
        stages=(Stage.REVIEW,),
        transition="decide",
        once=True,
        closure_types=(ClosureType.RETRIAL_GRANTED, ClosureType.DISMISSED, ClosureType.WITHDRAWAL),
    ),
    "petition_decided": EventRule(
        roles=JUDGE,
        stages=(Stage.REVIEW,),
        transition="decide",
        once=True,
        closure_types=(ClosureType.RETRIAL_GRANTED, ClosureType.DISMISSED),
    ),
    "objection_decided": EventRule(
        roles=JUDGE,
        stages=(Stage.REVIEW,),
        transition="decide",
        once=True,
        closure_types=(ClosureType.RULING, ClosureType.DISMISSED),
    ),
    "preservation_ruled": EventRule(
        roles=JUDGE, stages=(Stage.REVIEW,), transition="rule", once=True
    ),
    "mediation_accepted": EventRule(
        roles=(Role.MEDIATOR, Role.JUDGE),
        stages=(Stage.REFERRED,),
        transition="accept_referral",
        once=True,
    ),
    "mediation_succeeded": EventRule(
        roles=(Role.MEDIATOR, Role.JUDGE),
        stages=(Stage.MEDIATING,),
        transition="close",
        once=True,
        closure_types=(ClosureType.SETTLED,),
    ),
    "mediation_failed": EventRule(
        roles=(Role.MEDIATOR, Role.JUDGE),
        stages=(Stage.MEDIATING,),
        transition="close",
        once=True,
        closure_types=(ClosureType.MEDIATION_FAILED,),
    ),
    "valuation_started": EventRule(
        roles=ENFORCEMENT_TEAM,
        stages=(Stage.INVESTIGATING, Stage.DISPOSING),
        transition="start_disposal",
    ),
    "sale_started": EventRule(
        roles=ENFORCEMENT_TEAM,
        stages=(Stage.INVESTIGATING, Stage.DISPOSING),
        transition="start_disposal",
        payload_flags=("movables", "real_estate"),
    ),
    "round_terminated": EventRule(
        roles=JUDGE,
        stages=(Stage.INVESTIGATING, Stage.DISPOSING),
        transition="terminate_round",
        once=True,
    ),
    "enforcement_completed": EventRule(
        roles=JUDGE,
        stages=(Stage.INVESTIGATING, Stage.DISPOSING),
        transition="close",
        once=True,
        closure_types=(ClosureType.ENFORCEMENT_COMPLETED, ClosureType.ENFORCEMENT_TERMINATED),
    ),
    "money_paid_out": EventRule(roles=ENFORCEMENT_TEAM, requires_any=("money_received",)),
    "judgment_effective": EventRule(
        stages=(Stage.CLOSED,),
        transition="make_effective",
        once=True,
        requires_any=("judgment_served", "mediation_document_served"),
    ),
    "appeal_received": EventRule(stages=(Stage.CLOSED,), requires_any=("judgment_served",)),
    "appeal_copy_served": EventRule(requires_any=("appeal_received",)),
    "appeal_transferred": EventRule(
        stages=(Stage.CLOSED,),
        transition="transfer_appeal",
        once=True,
        requires_any=("appeal_received", "protest_received"),
    ),
    "sentence_handed_over": EventRule(
        stages=(Stage.EFFECTIVE,), transition="hand_over", once=True, families=(Family.CRIMINAL,)
    ),
    "published_online": EventRule(requires_any=("judgment_effective",), once=True),
    "publication_exempted": EventRule(
        roles=SUPERVISORS, requires_any=("judgment_effective",), once=True
    ),
    "archived": EventRule(
        roles=(Role.CLERK, Role.ASSISTANT, Role.JUDGE),
        stages=AFTER_CLOSING,
        transition="archive",
        once=True,
    ),
    "defence_copy_served": EventRule(requires_any=("defence_received",)),
    "summons_served": EventRule(requires_any=("hearing_scheduled",)),
    "indictment_copy_served": EventRule(),
    "hearing_streamed": EventRule(requires_any=("hearing_held",)),
    "supervision_flagged": EventRule(roles=(*SUPERVISORS, Role.REGISTRAR)),
    "supervision_recorded": EventRule(roles=SUPERVISORS),
    "interference_recorded": EventRule(roles=(*TEAM, *SUPERVISORS, Role.REGISTRAR)),
    "property_seized": EventRule(
        roles=ENFORCEMENT_TEAM, payload_flags=("movables", "real_estate", "bank_deposit")
    ),
}


def rule_for(event: str) -> EventRule:
    return RULES.get(event, EventRule())


def family_roles(family: str) -> tuple[str, ...]:
    if family == Family.ENFORCEMENT:
        return (Role.JUDGE, Role.ASSISTANT, Role.BAILIFF, Role.CLERK)
    if family == Family.MEDIATION:
        return (Role.MEDIATOR, Role.JUDGE)
    return TEAM


def roles_for(event: str, case) -> tuple[str, ...]:
    """Who may record ``event`` on ``case``."""
    rule = rule_for(event)
    if rule.roles is not None:
        return rule.roles
    roles = family_roles(case.family)
    if case.stage in (Stage.RECEIVED, Stage.FILED):
        roles = (*roles, Role.REGISTRAR)
    return roles
