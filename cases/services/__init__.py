"""Every write to a case: atomic, refused on a locked case, permission-checked, audited."""

from cases.services.approvals import (
    approval_decide,
    approval_request,
    approval_withdraw,
    suspension_end,
)
from cases.services.assignment import assignment_draw, assignment_replay
from cases.services.events import case_event_record, gate_missing
from cases.services.hearings import hearing_adjourn, hearing_record_held, hearing_schedule
from cases.services.locks import case_unlock
from cases.services.registration import case_docket, case_register
from cases.services.service_of_process import service_attempt_record, service_request_create
from cases.services.supervision import interference_record_create, supervision_action_record
from cases.services.triage import triage_decide

__all__ = [
    "approval_decide",
    "approval_request",
    "approval_withdraw",
    "assignment_draw",
    "assignment_replay",
    "case_docket",
    "case_event_record",
    "case_register",
    "case_unlock",
    "gate_missing",
    "hearing_adjourn",
    "hearing_record_held",
    "hearing_schedule",
    "interference_record_create",
    "service_attempt_record",
    "service_request_create",
    "supervision_action_record",
    "suspension_end",
    "triage_decide",
]
