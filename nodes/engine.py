"""Node instances: opening them when an event is recorded, closing them when their closing
event arrives, waiving them when they no longer apply, and keeping the 审限 clock.

Called only by services, inside their transaction. Due dates come from the catalog period
and ``nodes.periods``; nodes on the 审限 clock move with suspensions and extensions.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from nodes.models import NodeDefinition, NodeInstance, NodeSetting
from nodes.periods import COURT_TZ, Calendar, Due, add_period, before, shift_days
from nodes.selectors import calendar_load
from nodes.vocab import Counting

LIVE = (NodeInstance.Status.OPEN, NodeInstance.Status.OVERDUE, NodeInstance.Status.LOCKED)
TRIAL_LIMIT_EVENT = "trial_limit_reached"

# Events that end a case: afterwards only the steps that follow a closing can still be owed.
CLOSING_EVENTS = frozenset(
    {
        "case_closed",
        "enforcement_completed",
        "round_terminated",
        "mediation_succeeded",
        "mediation_failed",
        "retrial_decided",
        "petition_decided",
        "objection_decided",
    }
)
# Nodes that can still be completed after a case is closed: service of the judgment, appeal,
# effect, publication, archiving, hand-over. Every other live node is waived at closing.
AFTER_CLOSING_EVENTS = frozenset(
    {
        "judgment_served",
        "mediation_document_served",
        "appeal_received",
        "appeal_copy_served",
        "appeal_defence_received",
        "appeal_fee_notice_served",
        "appeal_fee_paid",
        "appeal_transferred",
        "protest_received",
        "judgment_effective",
        "published_online",
        "publication_exempted",
        "archived",
        "fees_refunded",
        "sentence_handed_over",
        "community_correction_notified",
        "death_review_reported",
        "recording_checked",
        "hearing_streamed",
        "transcript_read",
        "process_disclosed",
        "money_paid_out",
        "post_termination_search_done",
        "confirmation_applied",
        "confirmation_decided",
        "supervision_recorded",
    }
)


def still_owed_after_closing(definition: NodeDefinition) -> bool:
    return bool(set(definition.closes_on) & AFTER_CLOSING_EVENTS)


# In-process cache of each catalog version's definitions by opening and closing event.
_by_version: dict[int, dict[str, list[NodeDefinition]]] = {}


def definitions_opening(version_id: int, event: str) -> list[NodeDefinition]:
    """Definitions of a catalog version that open on ``event`` (cached: versions never change)."""
    table = _by_version.get(version_id)
    if table is None:
        table = defaultdict(list)
        for node in NodeDefinition.objects.filter(version_id=version_id).order_by("line"):
            table[node.opens_on].append(node)
        _by_version[version_id] = table
    return table.get(event, [])


_events_by_procedure: dict[tuple[int, str], frozenset[str]] = {}


def events_for_procedure(version_id: int, procedure: str) -> frozenset[str]:
    """The events that open or complete a node of ``procedure`` in this catalog version: the
    steps that mean something for such a case (cached: versions never change)."""
    key = (version_id, procedure)
    found = _events_by_procedure.get(key)
    if found is None:
        events: set[str] = set()
        for opens_on, closes_on, procedures in NodeDefinition.objects.filter(
            version_id=version_id
        ).values_list("opens_on", "closes_on", "procedures"):
            if procedure in procedures:
                events.add(opens_on)
                events.update(closes_on)
        found = _events_by_procedure[key] = frozenset(events)
    return found


@dataclass
class Schedule:
    due_at: dt.datetime | None
    provisional: bool
    prompt_at: dt.datetime | None
    warn_at: dt.datetime | None


def leads(definition: NodeDefinition, setting: NodeSetting | None) -> tuple[int, int]:
    prompt = definition.prompt_lead_hours
    warning = definition.warning_lead_hours
    if setting is not None:
        prompt = setting.prompt_lead_hours if setting.prompt_lead_hours is not None else prompt
        warning = setting.warning_lead_hours if setting.warning_lead_hours is not None else warning
    return prompt, warning


def schedule_for(due: Due | None, prompt_h: int, warn_h: int) -> Schedule:
    if due is None:
        return Schedule(None, False, None, None)
    return Schedule(
        due_at=due.due_at,
        provisional=due.provisional,
        prompt_at=due.due_at - dt.timedelta(hours=prompt_h) if prompt_h else None,
        warn_at=due.due_at - dt.timedelta(hours=warn_h) if warn_h else None,
    )


def next_action(inst: NodeInstance) -> dt.datetime | None:
    """The earliest thing the sweep still has to do for this instance."""
    if inst.status != NodeInstance.Status.OPEN or inst.due_at is None:
        return None
    pending = [inst.grace_until or inst.due_at]
    if inst.prompt_at and not inst.prompted_at:
        pending.append(inst.prompt_at)
    if inst.warn_at and not inst.warned_at:
        pending.append(inst.warn_at)
    return min(pending)


# --- the 审限 clock -----------------------------------------------------------------


CLOCK_START_EVENTS = frozenset(
    {
        "case_filed",
        "appeal_materials_received",
        "retrial_application_received",
        "conversion_decided",
        "retrial_ordered",
        "remand_received",
    }
)


@dataclass(frozen=True)
class ClockState:
    """What the 审限 clock knows about a case: approved extensions and suspensions."""

    extension_months: int = 0
    extension_days: int = 0
    suspensions: tuple[tuple[dt.datetime, dt.datetime | None], ...] = ()

    def paused_since(self, anchor: dt.datetime) -> bool:
        """A suspension with no end is running (and did not end before ``anchor``)."""
        return any(end is None for _start, end in self.suspensions)

    def suspended_days(self, anchor: dt.datetime) -> int:
        """Calendar days of finished suspensions after ``anchor`` (扣除, 民诉法解释 art 243)."""
        days = 0
        for start, end in self.suspensions:
            if end is None or end <= anchor:
                continue
            begin = max(start, anchor)
            days += (end.astimezone(COURT_TZ).date() - begin.astimezone(COURT_TZ).date()).days
        return days


def is_clock_limit(definition: NodeDefinition) -> bool:
    """A forward node on the 审限 clock (a trial limit or a period that runs with it)."""
    return definition.on_trial_clock and definition.counting != Counting.BEFORE


def is_main_limit(definition: NodeDefinition) -> bool:
    """The case's 审限 itself: an important forward clock node opened when the clock starts.
    Approved extensions lengthen only these."""
    return (
        is_clock_limit(definition)
        and definition.level == "important"
        and definition.opens_on in CLOCK_START_EVENTS
    )


def clock_due(
    definition: NodeDefinition,
    anchor: dt.datetime,
    clock: ClockState,
    cal: Calendar,
    *,
    custody: bool,
) -> Due | None:
    """The due date of a forward node on the 审限 clock: its period from ``anchor``, lengthened
    by approved extensions (the 审限 itself only), with suspended days added to the last day,
    then rolled forward off a rest day (unless custody). None while a suspension runs."""
    if clock.paused_since(anchor):
        return None
    main = is_main_limit(definition)
    amount = definition.amount + (
        clock.extension_months if main and definition.unit == "months" else 0
    )
    shift = clock.suspended_days(anchor) + (clock.extension_days if main else 0)
    if not shift:
        return add_period(anchor, amount, definition.unit, cal, custody=custody, explain=False)
    raw = add_period(anchor, amount, definition.unit, cal, custody=True, explain=False)
    reason = ""  # node due dates carry no explanation text; the API's calculator does
    return shift_days(raw, shift, cal, custody=custody, reason=reason, explain=False)


def due_for(
    definition: NodeDefinition,
    *,
    anchor_at: dt.datetime,
    cal: Calendar,
    clock: ClockState | None = None,
    custody: bool = False,
) -> Due | None:
    """The due date of a definition counted from (or back from) ``anchor_at``."""
    if definition.counting == Counting.BEFORE:
        return before(anchor_at, definition.amount, definition.unit, explain=False)
    if is_clock_limit(definition) and clock is not None:
        return clock_due(
            definition,
            anchor_at,
            clock,
            cal,
            custody=custody or definition.counting == Counting.CUSTODY,
        )
    return add_period(
        anchor_at,
        definition.amount,
        definition.unit,
        cal,
        custody=custody or definition.counting == Counting.CUSTODY,
        explain=False,
    )


# --- opening and closing ------------------------------------------------------------


@dataclass
class OpenRequest:
    """One event on one case whose opening nodes should be created."""

    case_id: int
    court_id: int
    procedure: str
    version_id: int
    event: str
    at: dt.datetime
    scheduled_for: dt.datetime | None
    facts: dict
    clock: ClockState | None
    limit_due_at: dt.datetime | None = None
    event_id: int | None = None


def condition_holds(condition: str, facts: dict) -> bool:
    return not condition or bool(facts.get(condition))


def build_instances(
    requests: Iterable[OpenRequest],
    *,
    cal: Calendar | None = None,
    settings_by_court: dict[int, dict[str, NodeSetting]] | None = None,
    now: dt.datetime | None = None,
) -> list[NodeInstance]:
    """Unsaved node instances for many events at once (the caller bulk-inserts them)."""
    cal = cal or calendar_load()
    settings_by_court = settings_by_court or {}
    out: list[NodeInstance] = []
    for req in requests:
        court_settings = settings_by_court.get(req.court_id, {})
        for definition in definitions_opening(req.version_id, req.event):
            if req.procedure not in definition.procedures:
                continue
            if not condition_holds(definition.condition, req.facts):
                continue
            setting = court_settings.get(definition.code)
            if setting is not None and not setting.enabled:
                continue
            anchor = req.at
            if definition.counting == Counting.BEFORE:
                # Nodes on the 审限 clock count back from the limit; others from the date the event sets.
                anchor = req.limit_due_at if definition.on_trial_clock else req.scheduled_for
                if anchor is None:
                    continue
            due = due_for(
                definition,
                anchor_at=anchor,
                cal=cal,
                clock=req.clock,
                custody=req.facts.get("in_custody", False)
                and definition.counting == Counting.CUSTODY,
            )
            sched = schedule_for(due, *leads(definition, setting))
            inst = NodeInstance(
                case_id=req.case_id,
                definition=definition,
                court_id=req.court_id,
                code=definition.code,
                level=definition.level,
                gates=definition.gates,
                on_trial_clock=definition.on_trial_clock,
                status=NodeInstance.Status.OPEN,
                opened_at=now or req.at,
                anchor_at=anchor,
                due_at=sched.due_at,
                provisional=sched.provisional,
                prompt_at=sched.prompt_at,
                warn_at=sched.warn_at,
            )
            inst.next_action_at = next_action(inst)
            out.append(inst)
    return out


def close_for_event(
    case_id: int, event: str, at: dt.datetime, event_id: int | None = None
) -> list[NodeInstance]:
    """Complete every live node of the case that ``event`` closes. Returns them."""
    live = list(
        NodeInstance.objects.select_for_update()
        .filter(case_id=case_id, status__in=LIVE)
        .select_related("definition")
    )
    done = []
    for inst in live:
        if event not in inst.definition.closes_on:
            continue
        inst.completed_at = at
        inst.completed_late = inst.due_at is not None and at >= (inst.grace_until or inst.due_at)
        inst.status = NodeInstance.Status.DONE
        inst.closed_by_event_id = event_id
        inst.next_action_at = None
        done.append(inst)
    if done:
        NodeInstance.objects.bulk_update(
            done, ["completed_at", "completed_late", "status", "closed_by_event", "next_action_at"]
        )
        if any(is_main_limit(inst.definition) for inst in done):
            # The 审限 is met: the nodes counted back from it (extension requests …) no longer apply.
            waive(
                Q(on_trial_clock=True, definition__counting=Counting.BEFORE),
                case_id=case_id,
                reason=str(_("The trial time limit was met")),
            )
    return done


def waive(qs_filter: Q, *, case_id: int, reason: str) -> list[NodeInstance]:
    """Mark live nodes of a case matching ``qs_filter`` as no longer applicable."""
    rows = list(
        NodeInstance.objects.select_for_update().filter(qs_filter, case_id=case_id, status__in=LIVE)
    )
    for inst in rows:
        inst.status = NodeInstance.Status.WAIVED
        inst.waived_reason = reason[:200]
        inst.next_action_at = None
    if rows:
        NodeInstance.objects.bulk_update(rows, ["status", "waived_reason", "next_action_at"])
        next_due_refresh([case_id])
    return rows


def next_due_refresh(case_ids) -> int:
    """Set each case's ``next_due_at`` to the earliest deadline (grace first) among its live
    nodes, in one statement. Called by every service that opens, completes, moves or
    waives nodes, inside its transaction."""
    from django.db.models import OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from cases.models import Case

    earliest = (
        NodeInstance.objects.filter(case_id=OuterRef("pk"), status__in=LIVE)
        .annotate(deadline=Coalesce("grace_until", "due_at"))
        .filter(deadline__isnull=False)
        .order_by("deadline")
        .values("deadline")[:1]
    )
    return Case.objects.filter(pk__in=list(case_ids)).update(next_due_at=Subquery(earliest))
