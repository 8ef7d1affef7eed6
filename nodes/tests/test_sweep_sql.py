"""The sweep's one-statement batch on PostgreSQL (nodes.sweep_sql) against the portable batch
(nodes.sweep): over fifty days of a court's cases, at every step each runs on the same state
and both must leave the same rows — instance states, case locks and next deadlines, lock
rows, sweep actions, notifications with their titles and recipients, audit events."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pytest
from django.db import transaction
from django.utils import timezone

from cases.demo import _parties
from cases.models import Case
from cases.services.bulk import ImportRow, case_import_bulk
from cases.services.locks import case_unlock
from courtflow.audit import AUDIT_COLUMNS
from courtflow.models import AuditEvent
from nodes.models import CaseLock, NodeInstance, Notification, SweepAction
from nodes.sweep import NOTIFICATION_COLUMNS, sweep_run
from nodes.sweep_sql import pg_format
from teams.models import Membership
from teams.roles import Position

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_pg_format_turns_named_fields_into_positions():
    assert (
        pg_format("%(number)s “%(node)s” %(due)s (%(seq)s) 100%%")
        == "%1$s “%2$s” %3$s (%4$s) 100%%"
    )


def _state() -> dict:
    def rows(qs, *fields):
        return sorted(qs.values_list(*fields), key=repr)

    return {
        "instances": rows(
            NodeInstance.objects.all(),
            "id",
            "status",
            "prompted_at",
            "warned_at",
            "overdue_at",
            "next_action_at",
            "completed_at",
        ),
        "cases": rows(Case.objects.all(), "id", "locked", "lock_count", "next_due_at"),
        "locks": rows(
            CaseLock.objects.all(),
            "case_id",
            "court_id",
            "sequence",
            "node_id",
            "locked_at",
            "unlocked_at",
            "unlock_reason",
        ),
        "actions": rows(
            SweepAction.objects.all(),
            "instance_id",
            "case_id",
            "court_id",
            "kind",
            "round",
            "at",
            "due_at",
        ),
        "notifications": rows(Notification.objects.all(), *NOTIFICATION_COLUMNS),
        "audit": rows(AuditEvent.objects.filter(action__in=_SWEEP_ACTIONS), *AUDIT_COLUMNS),
    }


_SWEEP_ACTIONS = [
    "node.prompt",
    "node.warning",
    "node.overdue",
    "node.lock",
    "node.lapse",
    "case.locked",
]


class _Rollback(Exception):
    pass


def _portable_outcome(at: dt.datetime) -> tuple[dict, dict]:
    """What the portable batch would leave, then rolled back."""
    seen = {}
    try:
        with transaction.atomic():
            result = sweep_run(at=at, portable=True, batch_size=100_000)
            seen["state"], seen["result"] = _state(), vars(result).copy()
            raise _Rollback
    except _Rollback:
        pass
    return seen["state"], seen["result"]


def test_the_one_statement_batch_writes_what_the_portable_batch_writes(world):
    rng = random.Random(5)
    now = timezone.now().replace(microsecond=0)
    procedures = ["civil_simple", "civil_ordinary", "civil_small_claims", "enforcement"]
    rows = []
    for i in range(48):
        proc = procedures[i % len(procedures)]
        filed = now - dt.timedelta(days=rng.randint(0, 20), minutes=rng.randint(0, 600))
        rows.append(
            ImportRow(
                procedure=proc,
                cause="民间借贷纠纷",
                parties=_parties(proc, rng),
                received_at=filed - dt.timedelta(hours=2),
                filed_at=filed,
                claim_amount=20000,
                # Served: the defendant's answer period (the party's) runs and lapses; with
                # the hearing set far ahead it is the case's earliest deadline when it does.
                events=[
                    ("complaint_copy_served", filed + dt.timedelta(hours=3), None, {}),
                    *(
                        [
                            ("process_disclosed", filed + dt.timedelta(hours=1), None, {}),
                            (
                                "hearing_scheduled",
                                filed + dt.timedelta(hours=4),
                                filed + dt.timedelta(days=40),
                                {},
                            ),
                        ]
                        if i % 2
                        else []
                    ),
                ]
                if proc.startswith("civil") and i % 3
                else [],
            )
        )
    case_import_bulk(actor=None, court=world.court, rows=rows, source="test")
    seen_kinds: Counter = Counter()
    unlocked = 0
    for step in range(100):  # every 12 hours for 50 days
        at = now + dt.timedelta(hours=12 * step, seconds=step)
        expected_state, expected_result = _portable_outcome(at)
        result = sweep_run(at=at, batch_size=100_000)
        assert _state() == expected_state, f"step {step} at {at}"
        assert vars(result) == expected_result
        seen_kinds.update(
            {
                "prompt": result.prompts,
                "warning": result.warnings,
                "overdue": result.overdue,
                "lock": result.locks,
                "lapse": result.lapsed,
                "cases_locked": result.cases_locked,
            }
        )
        # Unlock a few locked cases with a short grace, so later sweeps lock them again
        # (the second lock's numbering and title).
        if unlocked < 3:
            for case in Case.objects.filter(locked=True, lock_count=1).select_related(
                "division__head__user"
            )[: 3 - unlocked]:
                case_unlock(
                    actor=case.division.head.user,
                    case=case,
                    reason="补正后继续审理",
                    new_due_at=timezone.now() + dt.timedelta(hours=1),
                )
                unlocked += 1
    # The comparison covered every kind of action, not an empty sweep.
    assert all(seen_kinds[k] for k in ("prompt", "warning", "overdue", "lock", "lapse")), seen_kinds
    assert CaseLock.objects.filter(sequence=2).exists()
    assert Notification.objects.filter(kind="lock", title__startswith="锁定（第2次）").exists()
    assert Notification.objects.filter(kind="lock", title__startswith="锁定（第1次）").exists()
    assert Notification.objects.filter(kind="lock", send_sms=False).exists()  # already locked
    assistants = Membership.objects.filter(position=Position.ASSISTANT).values("person__user_id")
    assert Notification.objects.filter(
        recipient_id__in=assistants, kind__in=["prompt", "warning"]
    ).exists()
