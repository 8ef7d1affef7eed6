"""The sweep: prompt (提示) and warn (预警) before a node's deadline; at the deadline report a
general node as overdue and lock (锁定) the case of an important one.

Set-based: each batch selects the due node instances in due-time order (FOR UPDATE SKIP
LOCKED on PostgreSQL, so sweeps running at once split the work and never act twice), locks
their cases the same way (a case busy in a service is left for the next round, so the sweep
never waits and never deadlocks), and handles the batch in one transaction with a constant
number of statements: state updates per kind, case locks, and bulk inserts of sweep actions,
notifications and audit events. A unique key per node instance × kind × round makes every
action happen once; a crash rolls the batch back whole and the next run does it. The cost
follows the number of due instances: the due query is an index range scan on next_action_at.
On SQLite (no SKIP LOCKED) it is correct with one sweeping worker.

On PostgreSQL a batch is one data-modifying statement (``nodes.sweep_sql``) making the same
decisions and writing the same rows as the portable batch below; a test holds the two to
each other row for row over fifty days of a court's cases (nodes/tests/test_sweep_sql.py).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Case as DbCase
from django.db.models import DateTimeField, F, Value, When
from django.db.models.functions import Coalesce, Least
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from cases.models import Case
from courtflow.audit import audit_insert_rows
from courtflow.bulk import insert_rows
from nodes.engine import next_due_refresh
from nodes.models import CaseLock, NodeInstance, Notification, SweepAction
from nodes.periods import deadline_text
from teams.models import Membership
from teams.roles import Position

log = logging.getLogger(__name__)
FAR = dt.datetime(9999, 12, 31, tzinfo=dt.UTC)
BATCH_SIZE = 1000


@dataclass(frozen=True)
class NewLock:
    case_id: int
    court_id: int
    sequence: int
    node_id: int


@dataclass
class SweepResult:
    batches: int = 0
    prompts: int = 0
    warnings: int = 0
    overdue: int = 0
    locks: int = 0
    cases_locked: int = 0
    lapsed: int = 0  # party-side periods that ran out
    skipped_busy: int = 0
    notifications: int = 0
    external: int = 0  # of which to email or text (delivered after commit)

    @property
    def acted(self) -> int:
        return self.prompts + self.warnings + self.overdue + self.locks + self.lapsed


def sweep_run(
    *,
    at: dt.datetime | None = None,
    court_ids: list[int] | None = None,
    batch_size: int = BATCH_SIZE,
    max_batches: int | None = None,
    portable: bool | None = None,
) -> SweepResult:
    """Act on every node instance whose prompt, warning or deadline time has come by ``at``
    (now by default), batch after batch, each batch in its own transaction.

    On PostgreSQL each batch is one statement (``nodes.sweep_sql``); elsewhere, or with
    ``portable=True`` (the tests compare the two), the portable batch below."""
    at = at or timezone.now()
    result = SweepResult()
    if portable is None:
        portable = connection.vendor != "postgresql"
    batch = _sweep_batch if portable else _sweep_batch_sql
    while max_batches is None or result.batches < max_batches:
        with transaction.atomic():
            picked, acted = batch(at=at, court_ids=court_ids, size=batch_size, result=result)
        if picked:
            result.batches += 1
        if picked < batch_size or not acted:
            break
    return result


def _sweep_batch_sql(
    *, at: dt.datetime, court_ids: list[int] | None, size: int, result: SweepResult
) -> tuple[int, int]:
    from nodes.sweep_sql import sweep_batch_sql

    picked, acted, counts = sweep_batch_sql(at=at, court_ids=court_ids, size=size)
    for name, value in counts.items():
        setattr(result, name, getattr(result, name) + value)
    if counts["external"]:
        from nodes.tasks import notifications_deliver_soon

        transaction.on_commit(lambda: notifications_deliver_soon(None))
    return picked, acted


def _due_rows(at: dt.datetime, court_ids: list[int] | None, size: int) -> list[dict]:
    qs = NodeInstance.objects.filter(next_action_at__lte=at, status=NodeInstance.Status.OPEN)
    if court_ids is not None:
        qs = qs.filter(court_id__in=court_ids)
    qs = qs.order_by("next_action_at")
    if connection.features.has_select_for_update_skip_locked:
        qs = qs.select_for_update(skip_locked=True, of=("self",))
    return list(
        qs.values(
            "id",
            "case_id",
            "court_id",
            "code",
            "level",
            "due_at",
            "grace_until",
            "prompt_at",
            "warn_at",
            "prompted_at",
            "warned_at",
            "round",
            "next_action_at",
            "definition__owner_role",
            "definition__name_zh",
            "definition__party_side",
        )[:size]
    )


def _lock_cases(case_ids: set[int]) -> dict[int, dict]:
    qs = Case.objects.filter(pk__in=case_ids)
    if connection.features.has_select_for_update_skip_locked:
        qs = qs.select_for_update(skip_locked=True, of=("self",))
    return {
        row["id"]: row
        for row in qs.values(
            "id",
            "number",
            "locked",
            "lock_count",
            "court_id",
            "team_id",
            "division_id",
            "judge__user_id",
            "division__head__user_id",
        )
    }


def _sweep_batch(
    *, at: dt.datetime, court_ids: list[int] | None, size: int, result: SweepResult
) -> tuple[int, int]:
    rows = _due_rows(at, court_ids, size)
    if not rows:
        return 0, 0
    cases = _lock_cases({r["case_id"] for r in rows})
    busy = [r for r in rows if r["case_id"] not in cases]
    rows = [r for r in rows if r["case_id"] in cases]
    result.skipped_busy += len(busy)
    prompts, warnings, overdue, locks, lapsed = [], [], [], [], []
    for r in rows:
        effective_due = r["grace_until"] or r["due_at"]
        if effective_due is not None and effective_due <= at:
            if r["definition__party_side"]:
                lapsed.append(r)  # the party's period ran out: nobody at court is late
            else:
                (locks if r["level"] == "important" else overdue).append(r)
        elif r["warn_at"] is not None and r["warn_at"] <= at and r["warned_at"] is None:
            warnings.append(r)
        elif r["prompt_at"] is not None and r["prompt_at"] <= at and r["prompted_at"] is None:
            prompts.append(r)
    ids = lambda group: [r["id"] for r in group]  # noqa: E731
    if prompts:
        NodeInstance.objects.filter(pk__in=ids(prompts)).update(prompted_at=at)
    if warnings:
        NodeInstance.objects.filter(pk__in=ids(warnings)).update(
            warned_at=at, prompted_at=Coalesce("prompted_at", Value(at))
        )
    if prompts or warnings:
        NodeInstance.objects.filter(pk__in=ids(prompts) + ids(warnings)).update(
            next_action_at=_next_action_sql()
        )
    if overdue:
        NodeInstance.objects.filter(pk__in=ids(overdue)).update(
            status=NodeInstance.Status.OVERDUE, overdue_at=at, next_action_at=None
        )
    if lapsed:
        NodeInstance.objects.filter(pk__in=ids(lapsed)).update(
            status=NodeInstance.Status.LAPSED, completed_at=at, next_action_at=None
        )
        next_due_refresh({r["case_id"] for r in lapsed})  # a lapsed node is no longer live
    new_locks: list[NewLock] = []
    if locks:
        NodeInstance.objects.filter(pk__in=ids(locks)).update(
            status=NodeInstance.Status.LOCKED, overdue_at=at, next_action_at=None
        )
        first_node: dict[int, dict] = {}  # the lock row names the earliest node (then lowest id)
        for r in sorted(locks, key=lambda r: (r["next_action_at"], r["id"])):
            first_node.setdefault(r["case_id"], r)
        to_lock = [cid for cid in first_node if not cases[cid]["locked"]]
        if to_lock:
            Case.objects.filter(pk__in=to_lock, locked=False).update(
                locked=True, lock_count=F("lock_count") + 1
            )
            for cid in to_lock:
                cases[cid]["lock_count"] += 1
                cases[cid]["locked"] = True
                new_locks.append(
                    NewLock(
                        cid, cases[cid]["court_id"], cases[cid]["lock_count"], first_node[cid]["id"]
                    )
                )
            insert_rows(
                CaseLock,
                ("case_id", "court_id", "sequence", "node_id", "locked_at", "unlock_reason"),
                (
                    (lock.case_id, lock.court_id, lock.sequence, lock.node_id, at, "")
                    for lock in new_locks
                ),
            )
    groups = (
        (SweepAction.Kind.PROMPT, prompts),
        (SweepAction.Kind.WARNING, warnings),
        (SweepAction.Kind.OVERDUE, overdue),
        (SweepAction.Kind.LOCK, locks),
        (SweepAction.Kind.LAPSE, lapsed),
    )
    acted = sum(len(g) for _kind, g in groups)
    insert_rows(
        SweepAction,
        ("instance_id", "case_id", "court_id", "kind", "round", "at", "due_at"),
        (
            (
                r["id"],
                r["case_id"],
                r["court_id"],
                kind,
                r["round"],
                at,
                r["grace_until"] or r["due_at"],
            )
            for kind, group in groups
            for r in group
        ),
    )
    note_count, external = _notify(prompts, warnings, overdue, locks, lapsed, cases, new_locks, at)
    audit_insert_rows(
        [
            {
                "at": at,
                "action": f"node.{kind}",
                "object_type": "nodes.nodeinstance",
                "object_id": r["id"],
                "object_repr": cases[r["case_id"]]["number"],
                "court_id": r["court_id"],
                "case_id": r["case_id"],
                "node_id": r["id"],
                "after": {"due_at": r["grace_until"] or r["due_at"], "round": r["round"]},
            }
            for kind, group in groups
            for r in group
        ]
        + [
            {
                "at": at,
                "action": "case.locked",
                "object_type": "cases.case",
                "object_id": lock.case_id,
                "object_repr": cases[lock.case_id]["number"],
                "court_id": lock.court_id,
                "case_id": lock.case_id,
                "node_id": lock.node_id,
                "after": {"sequence": lock.sequence, "at": at},
            }
            for lock in new_locks
        ]
    )
    if external:
        from nodes.tasks import notifications_deliver_soon

        transaction.on_commit(lambda: notifications_deliver_soon(None))
    result.prompts += len(prompts)
    result.warnings += len(warnings)
    result.overdue += len(overdue)
    result.locks += len(locks)
    result.lapsed += len(lapsed)
    result.cases_locked += len(new_locks)
    result.notifications += note_count
    result.external += external
    return len(rows) + len(busy), acted


def _next_action_sql():
    """LEAST(effective due, pending prompt, pending warning) as an expression both databases
    evaluate the same way (NULLs replaced by a far-future sentinel)."""
    pending_prompt = DbCase(
        When(prompted_at__isnull=True, then=F("prompt_at")),
        default=Value(None),
        output_field=DateTimeField(),
    )
    pending_warning = DbCase(
        When(warned_at__isnull=True, then=F("warn_at")),
        default=Value(None),
        output_field=DateTimeField(),
    )
    return Least(
        Coalesce("grace_until", "due_at", Value(FAR)),
        Coalesce(pending_prompt, Value(FAR)),
        Coalesce(pending_warning, Value(FAR)),
        output_field=DateTimeField(),
    )


# The columns the sweep writes for each notification (the rest keep their defaults).
NOTIFICATION_COLUMNS = (
    "recipient_id",
    "kind",
    "case_id",
    "node_id",
    "title",
    "body",
    "created_at",
    "send_email",
    "send_sms",
    "attempts",
    "last_error",
)


def _notify(prompts, warnings, overdue, locks, lapsed, cases, new_locks, at) -> tuple[int, int]:
    """Insert the notifications: the judge and, for assistant-owned nodes, the team's
    assistants hear of prompts, warnings and a party's period running out; an overdue general node is reported to the
    division head; a lock goes to the judge and the division head, a new lock also by email
    and text message. Returns (all, external)."""
    assistants: dict[int, list[int]] = defaultdict(list)
    teams = {
        cases[r["case_id"]]["team_id"]
        for r in prompts + warnings + lapsed
        if r["definition__owner_role"] == "assistant"
    }
    if teams:
        for team_id, user_id in Membership.objects.filter(
            team_id__in=teams, ended_on__isnull=True, position=Position.ASSISTANT
        ).values_list("team_id", "person__user_id"):
            assistants[team_id].append(user_id)
    locked_now = {lock.case_id: lock.sequence for lock in new_locks}
    rows = []
    external = 0
    deadlines: dict[dt.datetime, str] = {}  # many nodes share a deadline (24:00 of a day)
    with override("zh-hans"):  # stored text is in the default language; the inbox renders per user
        for kind, group in (
            (Notification.Kind.PROMPT, prompts),
            (Notification.Kind.WARNING, warnings),
            (Notification.Kind.OVERDUE, overdue),
            (Notification.Kind.LOCK, locks),
            (Notification.Kind.LAPSED, lapsed),
        ):
            for r in group:
                case = cases[r["case_id"]]
                fresh_lock = kind == Notification.Kind.LOCK and r["case_id"] in locked_now
                if kind == Notification.Kind.LOCK and not fresh_lock:
                    recipients = {
                        case["judge__user_id"]
                    }  # the case was already locked by another node
                elif kind == Notification.Kind.OVERDUE:
                    recipients = {case["division__head__user_id"]}  # reported to the division head
                elif kind == Notification.Kind.LOCK:
                    recipients = {case["judge__user_id"], case["division__head__user_id"]}
                else:
                    recipients = {case["judge__user_id"]}
                    if r["definition__owner_role"] == "assistant":
                        recipients.update(assistants.get(case["team_id"], []))
                due = r["grace_until"] or r["due_at"]
                title = _notification_title(
                    kind,
                    case["number"],
                    r["definition__name_zh"],
                    deadlines.get(due) or deadlines.setdefault(due, deadline_text(due)),
                    locked_now.get(r["case_id"]),
                    important=r["level"] == "important",
                )[:200]
                for user_id in recipients - {None}:
                    rows.append(
                        (
                            user_id,
                            kind,
                            r["case_id"],
                            r["id"],
                            title,
                            "",
                            at,
                            fresh_lock,
                            fresh_lock,
                            0,
                            "",
                        )
                    )
                    external += fresh_lock
    insert_rows(Notification, NOTIFICATION_COLUMNS, rows)
    return len(rows), external


def _notification_title(
    kind: str, number: str, node: str, due: str, sequence: int | None, *, important: bool
) -> str:
    if kind == Notification.Kind.PROMPT:
        return _("Prompt: %(number)s “%(node)s” is due %(due)s.") % {
            "number": number,
            "node": node,
            "due": due,
        }
    if kind == Notification.Kind.WARNING and important:
        return _(
            "Warning: %(number)s “%(node)s” must be done by %(due)s or the case will be locked."
        ) % {"number": number, "node": node, "due": due}
    if kind == Notification.Kind.WARNING:
        return _("Warning: %(number)s “%(node)s” must be done by %(due)s.") % {
            "number": number,
            "node": node,
            "due": due,
        }
    if kind == Notification.Kind.LAPSED:
        return _(
            "Period ended: %(number)s “%(node)s” ran out %(due)s without the party acting; the "
            "case can move on."
        ) % {"number": number, "node": node, "due": due}
    if kind == Notification.Kind.OVERDUE:
        return _("Overdue: %(number)s “%(node)s” was due %(due)s.") % {
            "number": number,
            "node": node,
            "due": due,
        }
    if sequence:
        return _("Locked (lock %(seq)s): %(number)s — “%(node)s” was due %(due)s.") % {
            "seq": sequence,
            "number": number,
            "node": node,
            "due": due,
        }
    return _("Also overdue on locked case %(number)s: “%(node)s” (due %(due)s).") % {
        "number": number,
        "node": node,
        "due": due,
    }
