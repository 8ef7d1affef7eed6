"""Reads of cases: scoped lists with filters, a case's nodes and timeline, what the caller
may do now."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils import timezone

from cases.access import case_queryset_for_user
from cases.lifecycle import ACTIVE_STAGES, Stage
from cases.models import Approval, Case, CaseEvent, Hearing, Party, Suspension
from cases.rules import roles_for, rule_for
from nodes import engine
from nodes.models import NodeInstance
from nodes.vocab import EVENTS
from teams.access import person_for_user
from teams.roles import Role


def case_list_for_user(
    *,
    user: Any,
    stage: str | None = None,
    procedure: str | None = None,
    locked: bool | None = None,
    supervised: bool | None = None,
    q: str | None = None,
    open_only: bool = False,
    division_id: int | None = None,
    team_id: int | None = None,
) -> QuerySet[Case]:
    """Cases the user may see, filtered: locked first, then by the next deadline."""
    qs = case_queryset_for_user(user).select_related("division", "team", "judge")
    if stage:
        qs = qs.filter(stage=stage)
    if open_only:
        qs = qs.filter(stage__in=ACTIVE_STAGES)
    if procedure:
        qs = qs.filter(procedure=procedure)
    if locked is not None:
        qs = qs.filter(locked=locked)
    if supervised is not None:
        flagged = Q(supervision_category__gt=0) | Q(president_supervised=True)
        qs = qs.filter(flagged) if supervised else qs.exclude(flagged)
    if division_id:
        qs = qs.filter(division_id=division_id)
    if team_id:
        qs = qs.filter(team_id=team_id)
    if q:
        q = q.strip()[:60]
        qs = qs.filter(
            Q(number__icontains=q)
            | Exists(Party.objects.filter(case=OuterRef("pk"), name__icontains=q))
        )
    return qs.order_by("-locked", F("next_due_at").asc(nulls_last=True), "id")


def case_nodes(case: Case) -> QuerySet[NodeInstance]:
    return (
        NodeInstance.objects.filter(case=case)
        .select_related("definition")
        .order_by("opened_at", "id")
    )


def case_events(case: Case) -> QuerySet[CaseEvent]:
    return CaseEvent.objects.filter(case=case).select_related("recorded_by").order_by("at", "id")


DETAIL_RELATED = ("court", "division", "team", "judge", "catalog_version")


def _detail_prefetches() -> list:
    return [
        "parties",
        Prefetch("suspensions", queryset=Suspension.objects.order_by("started_at")),
        Prefetch("approvals", queryset=Approval.objects.filter(status=Approval.Status.PENDING)),
        Prefetch(
            "hearings",
            queryset=Hearing.objects.select_related("booking__courtroom", "booking__clerk"),
        ),
    ]


def case_detail(case: Case, *, fresh: bool = True) -> Case:
    """A case with parties, open suspension and pending approvals loaded: read again
    (``fresh``, after a change), or completed in place when ``case`` was just loaded with
    its ``DETAIL_RELATED`` joins (the case page's GET: one query fewer)."""
    if not fresh:
        prefetch_related_objects([case], *_detail_prefetches())
        return case
    return (
        Case.objects.filter(pk=case.pk)
        .select_related(*DETAIL_RELATED)
        .prefetch_related(*_detail_prefetches())
        .get()
    )


def trial_limit_days_left(case: Case) -> int | None:
    """Whole days until the 审限 runs out (negative when past); None without a running limit."""
    if case.trial_limit_due_at is None or case.stage not in ACTIVE_STAGES:
        return None
    return (timezone.localtime(case.trial_limit_due_at).date() - timezone.localdate()).days - 1


@dataclass
class Action:
    code: str
    label: str
    kind: str
    blocked_by: list[dict] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)


def case_actions_for_user(*, user: Any, case: Case) -> list[Action]:
    """What the caller may do on this case now: events to record, forms to use, requests to
    file. A locked case offers nothing but an unlock request (and an unlock to approvers)."""
    from cases.services.events import gate_missing

    person = person_for_user(user)
    if person is None or not person.is_active or person.court_id != case.court_id:
        return []
    role = person.role
    recorded = set(CaseEvent.objects.filter(case=case).values_list("code", flat=True))
    actions: list[Action] = []
    if case.locked:
        if role in (Role.JUDGE, Role.ASSISTANT):
            actions.append(Action("request:unlock", "申请解锁", "request", fields=["reason"]))
        return actions
    team_member = case.team_id is not None and role in (
        Role.JUDGE,
        Role.ASSISTANT,
        Role.CLERK,
        Role.BAILIFF,
        Role.MEDIATOR,
    )
    relevant = engine.events_for_procedure(case.catalog_version_id, case.procedure)
    for code, (zh, _en) in EVENTS.items():
        rule = rule_for(code)
        if rule.internal or case.stage not in rule.stages:
            continue
        if rule.families:
            if case.family not in rule.families:
                continue
        elif code not in relevant:
            continue  # no node of this procedure opens or closes on it
        if role not in roles_for(code, case):
            continue
        if rule.once and code in recorded:
            continue
        if rule.requires_any and not (set(rule.requires_any) & recorded):
            continue
        blocked = gate_missing(case, rule.transition) if rule.transition else []
        fields = ["at"]
        if rule.closure_types:
            fields.append("closure_type")
        fields += list(rule.payload_flags)
        actions.append(Action(f"event:{code}", zh, "event", blocked_by=blocked, fields=fields))
    if (
        role == Role.DIVISION_HEAD
        and case.stage == Stage.FILED
        and hasattr(case, "triage")
        and not case.triage.decided
    ):
        actions.append(Action("triage", "繁简分流确认", "form", fields=["complexity", "reason"]))
    if role == Role.REGISTRAR and case.stage == Stage.RECEIVED:
        actions.append(Action("docket", "立案", "form", fields=["at"]))
    if team_member and case.stage in (Stage.PRETRIAL, Stage.TRIAL, Stage.REVIEW, Stage.JUDGMENT):
        actions.append(
            Action(
                "hearing:schedule",
                "排期开庭",
                "form",
                fields=["starts_at", "ends_at", "courtroom", "clerk", "online", "stream"],
            )
        )
    if team_member and case.stage in ACTIVE_STAGES:
        actions.append(
            Action("service:request", "申请集约送达", "form", fields=["document", "party"])
        )
    if role in (Role.JUDGE, Role.ASSISTANT) and case.stage in ACTIVE_STAGES:
        pending = set(
            case.approvals.filter(status=Approval.Status.PENDING).values_list("kind", flat=True)
        )
        kinds = (
            Approval.Kind.EXTENSION,
            Approval.Kind.SUSPENSION,
            Approval.Kind.CONVERSION,
            Approval.Kind.REASSIGNMENT,
        )
        actions.extend(
            Action(
                f"request:{kind}",
                str(Approval.Kind(kind).label),
                "request",
                fields=["reason", "payload"],
            )
            for kind in kinds
            if kind not in pending
        )
    if (
        role in (Role.JUDGE, Role.DIVISION_HEAD)
        and case.suspensions.filter(ended_at__isnull=True).exists()
    ):
        actions.append(
            Action("suspension:end", "结束审限扣除/中止", "form", fields=["at", "reason"])
        )
    return actions


def suspensions_open_without_end(
    *, court_id: int, division_id: int | None = None
) -> QuerySet[Suspension]:
    """Running suspensions with no planned end: the 审限 is stopped indefinitely (隐性超审限)."""
    qs = Suspension.objects.filter(
        case__court_id=court_id, ended_at__isnull=True, planned_end_at__isnull=True
    )
    if division_id is not None:
        qs = qs.filter(case__division_id=division_id)
    return qs.select_related("case", "case__team").order_by("started_at")


def cases_not_served_within(
    *, court_id: int, days: int = 15, division_id: int | None = None
) -> QuerySet[Case]:
    """Open cases filed more than ``days`` ago whose complaint copy (or indictment copy,
    enforcement notice) has not been served: 海淀's daily check."""
    cutoff = timezone.now() - timezone.timedelta(days=days)
    served = CaseEvent.objects.filter(
        case=OuterRef("pk"),
        code__in=[
            "complaint_copy_served",
            "indictment_copy_served",
            "enforcement_notice_sent",
            "acceptance_notice_sent",
        ],
    )
    qs = Case.objects.filter(
        court_id=court_id, filed_at__lt=cutoff, stage__in=ACTIVE_STAGES
    ).exclude(Exists(served))
    qs = qs.exclude(family__in=["mediation", "preservation"])
    if division_id is not None:
        qs = qs.filter(division_id=division_id)
    return qs.select_related("team", "judge").order_by("filed_at")


# --- the queues ------------------------------------------------------------------------

DUE_WINDOWS = {"overdue": 0, "3": 3, "7": 7, "30": 30}


def queue_cases(
    *,
    user: Any,
    q: str | None = None,
    procedure: str | None = None,
    stage: str | None = None,
    due: str | None = None,
    locked: bool | None = None,
    supervised: bool | None = None,
    now: Any = None,
) -> QuerySet[Case]:
    """The cases in the user's scope that still need work (open, or with a live node such as
    archiving after closure), most urgent first: by the next deadline, which
    ``Case.next_due_at`` keeps so that the order is an index scan, not a join over nodes."""
    now = now or timezone.now()
    qs = case_queryset_for_user(user).filter(
        Q(stage__in=ACTIVE_STAGES) | Q(next_due_at__isnull=False)
    )
    if procedure:
        qs = qs.filter(procedure=procedure)
    if stage:
        qs = qs.filter(stage=stage)
    if locked is not None:
        qs = qs.filter(locked=locked)
    if supervised:
        qs = qs.filter(Q(supervision_category__gt=0) | Q(president_supervised=True))
    if due in DUE_WINDOWS:
        qs = qs.filter(next_due_at__lt=now + timezone.timedelta(days=DUE_WINDOWS[due]))
    if q:
        q = q.strip()[:60]
        qs = qs.filter(
            Q(number__icontains=q)
            | Exists(Party.objects.filter(case=OuterRef("pk"), name__icontains=q))
        )
    return qs.select_related("team", "judge").order_by(F("next_due_at").asc(nulls_last=True), "id")


@dataclass
class QueueRow:
    case: Case
    next_node: NodeInstance | None
    badge: str | None  # locked, overdue, warning, prompt
    live_count: int


def queue_rows(cases: list[Case]) -> list[QueueRow]:
    """What the queue shows for each case on the page, in one query for all of them: the next
    live node and the strongest signal among its live nodes (锁 > 超期 > 预警 > 提示)."""
    live: dict[int, list[NodeInstance]] = {c.pk: [] for c in cases}
    for inst in NodeInstance.objects.filter(
        case_id__in=list(live), status__in=engine.LIVE
    ).select_related("definition"):
        live[inst.case_id].append(inst)
    rows = []
    for case in cases:
        nodes = live[case.pk]
        dated = [n for n in nodes if (n.grace_until or n.due_at) is not None]
        nxt = min(dated, key=lambda n: (n.grace_until or n.due_at, n.pk)) if dated else None
        if case.locked:
            badge = "locked"
        elif any(n.status == NodeInstance.Status.OVERDUE for n in nodes):
            badge = "overdue"
        elif any(n.warned_at for n in nodes):
            badge = "warning"
        elif any(n.prompted_at for n in nodes):
            badge = "prompt"
        else:
            badge = None
        rows.append(QueueRow(case=case, next_node=nxt, badge=badge, live_count=len(nodes)))
    return rows


def case_audit_timeline(case: Case, limit: int = 500):
    """The case's recorded changes, oldest first (全程留痕)."""
    from courtflow.models import AuditEvent

    return list(AuditEvent.objects.filter(case_id=case.pk).order_by("at", "id")[:limit])


def assistant_nodes(*, user: Any, now: Any = None) -> QuerySet[NodeInstance]:
    """Live nodes the catalog gives the assistant, on the assistant's team's cases."""
    from teams.models import Membership

    person = person_for_user(user)
    team_id = (
        Membership.objects.filter(person=person, ended_on__isnull=True)
        .values_list("team_id", flat=True)
        .first()
        if person
        else None
    )
    if team_id is None:
        return NodeInstance.objects.none()
    return (
        NodeInstance.objects.filter(
            case__team_id=team_id,
            status__in=engine.LIVE,
            definition__owner_role="assistant",
        )
        .select_related("case", "definition")
        .order_by(F("due_at").asc(nulls_last=True), "id")
    )
