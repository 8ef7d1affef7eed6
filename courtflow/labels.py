"""Readable names for recorded events and audit actions, in the user's language."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nodes.vocab import EVENTS

ACTIONS = {
    "case.registered": gettext_lazy("Registered"),
    "case.imported": gettext_lazy("Imported"),
    "case.docketed": gettext_lazy("Docketed (立案)"),
    "case.filed_after_mediation": gettext_lazy("Filed after failed mediation"),
    "case.triage_proposed": gettext_lazy("Triage proposed"),
    "case.triage_overridden": gettext_lazy("Triage decided"),
    "case.assigned": gettext_lazy("Assigned by random draw"),
    "case.clock_moved": gettext_lazy("审限 recomputed"),
    "case.locked": gettext_lazy("Case locked"),
    "case.unlocked": gettext_lazy("Case unlocked"),
    "case.converted": gettext_lazy("Procedure converted"),
    "case.suspension_ended": gettext_lazy("Suspension ended"),
    "case.supervision_flagged": gettext_lazy("Flagged as a 四类案件"),
    "case.supervision_action": gettext_lazy("Supervision recorded"),
    "case.hearing_scheduled": gettext_lazy("Hearing scheduled"),
    "case.hearing_held": gettext_lazy("Hearing held"),
    "case.hearing_cancelled": gettext_lazy("Hearing adjourned or cancelled"),
    "service.requested": gettext_lazy("Service requested"),
    "service.attempt": gettext_lazy("Service attempt recorded"),
    "node.prompt": gettext_lazy("Prompt (提示)"),
    "node.warning": gettext_lazy("Warning (预警)"),
    "node.overdue": gettext_lazy("Node overdue"),
    "node.lock": gettext_lazy("Node overdue, case locked"),
    "interference.recorded": gettext_lazy("Interference record (三个规定)"),
    "case.triage_confirmed": gettext_lazy("Triage confirmed"),
    "cases.imported": gettext_lazy("Cases imported"),
    "absence.recorded": gettext_lazy("Absence recorded"),
    "booking.created": gettext_lazy("Courtroom booked"),
    "booking.cancelled": gettext_lazy("Courtroom booking cancelled"),
    "calendar.day_set": gettext_lazy("Working-day calendar changed"),
    "calendar.imported": gettext_lazy("Working-day calendar imported"),
    "calendar.seeded": gettext_lazy("Working-day calendar seeded"),
    "catalog.loaded": gettext_lazy("Node catalog loaded"),
    "catalog.reactivated": gettext_lazy("Node catalog version reactivated"),
    "coefficient.changed": gettext_lazy("Coefficient changed"),
    "court.created": gettext_lazy("Court created"),
    "courtroom.created": gettext_lazy("Courtroom created"),
    "division.created": gettext_lazy("Division created"),
    "division.head_set": gettext_lazy("Division head appointed"),
    "membership.created": gettext_lazy("Joined a team"),
    "membership.ended": gettext_lazy("Left a team"),
    "node_setting.changed": gettext_lazy("Node setting changed"),
    "person.created": gettext_lazy("Person added"),
    "person.updated": gettext_lazy("Person updated"),
    "team.created": gettext_lazy("Team created"),
    "team.activated": gettext_lazy("Team activated"),
    "team.dissolved": gettext_lazy("Team dissolved"),
    "case.hearing_adjourned": gettext_lazy("Hearing adjourned"),
    "team_type.updated": gettext_lazy("Team type updated"),
    "auth.signed_in": gettext_lazy("Signed in"),
    "auth.sign_in_failed": gettext_lazy("Sign-in failed"),
    "auth.sign_in_paused": gettext_lazy("Sign-in paused after repeated failures"),
    "api_token.created": gettext_lazy("API token made"),
    "api_token.revoked": gettext_lazy("API token revoked"),
    "team_type.seat_set": gettext_lazy("Team type seat set"),
    "team_type.seat_removed": gettext_lazy("Team type seat removed"),
    "triage_rule.saved": gettext_lazy("Triage rule saved"),
    "workload_weight.changed": gettext_lazy("Workload weight changed"),
    "board_correction.requested": gettext_lazy("Correction of a disclosure board requested"),
    "board_correction.answered": gettext_lazy("Correction request answered"),
    "work_report.saved": gettext_lazy("Work report saved"),
    "work_report.submitted": gettext_lazy("Work report submitted"),
    "work_report.confirmed": gettext_lazy("Work report confirmed"),
    "work_report.returned": gettext_lazy("Work report returned for changes"),
    "quality_review.created": gettext_lazy("Quality review opened"),
    "quality_review.finding": gettext_lazy("Quality review finding"),
    "reversal.recorded": gettext_lazy("Changed or sent back on appeal (发改)"),
    "accountability.recorded": gettext_lazy("Accountability record"),
    "export.requested": gettext_lazy("Export requested"),
    "indicator.changed": gettext_lazy("Indicator changed"),
    "assessment_setting.changed": gettext_lazy("Assessment settings changed"),
}


def english() -> bool:
    return (translation.get_language() or "").startswith("en")


def event_label(code: str) -> str:
    pair = EVENTS.get(code)
    if pair is None:
        return code
    return pair[1] if english() else pair[0]


def action_label(code: str) -> str:
    """``case.event.hearing_held`` → "Hearing held"; ``approval.approved.unlock`` →
    "Approved: Unlock"; an unknown code is shown as it is."""
    from cases.models import Approval

    if code in ACTIONS:
        return str(ACTIONS[code])
    parts = code.split(".")
    if code.startswith("case.event.") and len(parts) == 3:
        return event_label(parts[2])
    if parts[0] == "approval" and len(parts) == 3:
        kind = dict(Approval.Kind.choices).get(parts[2], parts[2])
        verbs = {
            "requested": _("Requested: %(kind)s"),
            "approved": _("Approved: %(kind)s"),
            "rejected": _("Rejected: %(kind)s"),
            "withdrawn": _("Withdrawn: %(kind)s"),
        }
        if parts[1] in verbs:
            return verbs[parts[1]] % {"kind": kind}
    return code
