"""海淀's daily supervision list (日管) for a division head, and the weekly and monthly digests.

Each section is a selector over the division's (or, for presidents, the court's) open cases:
cases not served within 15 days of filing, not heard within a month, about to exceed the
审限, judgments not published online in time, enforcement cases over their limits, locked
cases, unlock requests waiting, and suspensions running without an end (隐性超审限)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from cases.lifecycle import ACTIVE_STAGES, Family
from cases.models import Approval, Case, CaseEvent
from cases.selectors import cases_not_served_within, suspensions_open_without_end
from cases.services.locks import court_rules
from nodes.models import CaseLock, NodeInstance
from teams.models import Division

SECTION_LIMIT = 200


@dataclass
class Section:
    key: str
    title: str
    rows: list[dict] = field(default_factory=list)
    total: int = 0


def _case_row(case: Case, **extra) -> dict:
    return {
        "case": case.pk,
        "number": case.number,
        "cause": case.cause,
        "stage": case.stage,
        "team": getattr(case.team, "name", ""),
        "judge": getattr(case.judge, "name", ""),
        "filed_at": case.filed_at,
        "trial_limit_due_at": case.trial_limit_due_at,
        **extra,
    }


def _person_name(user) -> str:
    person = getattr(user, "person", None)
    return person.name if person else user.get_username()


def _scope(qs: QuerySet, court_id: int, division_id: int | None, prefix: str = "") -> QuerySet:
    qs = qs.filter(**{f"{prefix}court_id": court_id})
    if division_id is not None:
        qs = qs.filter(**{f"{prefix}division_id": division_id})
    return qs


def _section(key: str, title, qs: QuerySet, row) -> Section:
    items = list(qs[:SECTION_LIMIT])
    return Section(
        key=key,
        title=str(title),
        rows=[row(x) for x in items],
        total=qs.count() if len(items) == SECTION_LIMIT else len(items),
    )


def daily_list(
    *, court_id: int, division_id: int | None = None, now: dt.datetime | None = None
) -> list[Section]:
    """The division head's morning list (a president's, court-wide, when ``division_id`` is None)."""
    now = now or timezone.now()
    rules = court_rules(court_id)
    open_cases = _scope(
        Case.objects.filter(stage__in=ACTIVE_STAGES), court_id, division_id
    ).select_related("team", "judge")
    heard = CaseEvent.objects.filter(case=OuterRef("pk"), code="hearing_held")
    not_heard = (
        open_cases.filter(
            family__in=[Family.FIRST_INSTANCE, Family.CRIMINAL, Family.SECOND_INSTANCE],
            filed_at__lt=now - dt.timedelta(days=30),
        )
        .exclude(Exists(heard))
        .order_by("filed_at")
    )
    window = now + dt.timedelta(days=rules.upcoming_limit_days)
    near_limit = open_cases.filter(
        trial_limit_due_at__gte=now, trial_limit_due_at__lte=window, clock_paused=False
    ).order_by("trial_limit_due_at")
    late_online = (
        NodeInstance.objects.filter(
            code="PUB-JUDG-ONLINE", status__in=["open", "overdue", "locked"], due_at__lt=now
        )
        .filter(
            case__court_id=court_id, **({"case__division_id": division_id} if division_id else {})
        )
        .select_related("case", "case__team", "case__judge")
        .order_by("due_at")
    )
    enforcement_over = (
        NodeInstance.objects.filter(
            case__family=Family.ENFORCEMENT, status__in=["overdue", "locked"]
        )
        .filter(
            case__court_id=court_id, **({"case__division_id": division_id} if division_id else {})
        )
        .select_related("case", "case__team", "case__judge", "definition")
        .order_by("due_at")
    )
    pending_unlock = Approval.objects.filter(
        case=OuterRef("pk"), kind=Approval.Kind.UNLOCK, status=Approval.Status.PENDING
    )
    # Cases whose judge has asked for an unlock come first, then the longest locked.
    locked = (
        _scope(Case.objects.filter(locked=True), court_id, division_id)
        .annotate(unlock_requested=Exists(pending_unlock))
        .select_related("team", "judge")
        .order_by("-unlock_requested", "id")
    )
    open_locks = {
        lock.case_id: lock
        for lock in CaseLock.objects.filter(
            case__in=locked, unlocked_at__isnull=True
        ).select_related("node__definition")
    }
    requests_by_case = {
        a.case_id: a
        for a in Approval.objects.filter(
            case__in=locked, kind=Approval.Kind.UNLOCK, status=Approval.Status.PENDING
        ).select_related("requested_by__person")
    }

    def locked_row(case: Case) -> dict:
        lock = open_locks.get(case.pk)
        request = requests_by_case.get(case.pk)
        node = lock.node if lock and lock.node_id else None
        return _case_row(
            case,
            lock_sequence=lock.sequence if lock else None,
            locked_at=lock.locked_at if lock else None,
            lock_node=node.definition.name_zh if node else "",
            lock_node_en=node.definition.name_en if node else "",
            lock_due_at=node.due_at if node else None,
            request_reason=request.reason if request else "",
            requested_by=_person_name(request.requested_by) if request else "",
        )

    unlock_requests = (
        _scope(
            Approval.objects.filter(kind=Approval.Kind.UNLOCK, status=Approval.Status.PENDING),
            court_id,
            division_id,
            prefix="case__",
        )
        .select_related("case", "case__team", "case__judge", "requested_by")
        .order_by("requested_at")
    )
    return [
        _section(
            "not_served",
            _("Not served within 15 days of filing"),
            cases_not_served_within(court_id=court_id, division_id=division_id),
            _case_row,
        ),
        _section("not_heard", _("Not heard within a month of filing"), not_heard, _case_row),
        _section(
            "near_limit",
            _("审限 ends within %(n)s days") % {"n": rules.upcoming_limit_days},
            near_limit,
            _case_row,
        ),
        _section(
            "late_online",
            _("Judgments not published online in time"),
            late_online,
            lambda n: _case_row(n.case, node=n.code, due_at=n.due_at),
        ),
        _section(
            "enforcement_over",
            _("Enforcement cases over their limits"),
            enforcement_over,
            lambda n: _case_row(
                n.case, node=n.code, node_name=n.definition.name_zh, due_at=n.due_at
            ),
        ),
        _section(
            "locked",
            _("Locked cases"),
            locked,
            locked_row,
        ),
        _section(
            "unlock_requests",
            _("Unlock requests waiting"),
            unlock_requests,
            lambda a: _case_row(
                a.case, approval=a.pk, reason=a.reason, requested_at=a.requested_at
            ),
        ),
        _section(
            "open_suspensions",
            _("Suspensions running without an end (隐性超审限)"),
            suspensions_open_without_end(court_id=court_id, division_id=division_id),
            lambda s: _case_row(s.case, kind=s.kind, since=s.started_at),
        ),
    ]


def supervision_digest_send(*, period: str) -> int:
    """Email each division head a digest of the division's list (weekly or monthly)."""
    sent = 0
    heads = Division.objects.filter(
        is_active=True, head__isnull=False, head__is_active=True
    ).select_related("head__user", "court")
    for division in heads:
        email = division.head.user.email
        if not email:
            continue
        with override("zh-hans"):
            sections = daily_list(court_id=division.court_id, division_id=division.pk)
            label = (
                _("Weekly supervision digest")
                if period == "weekly"
                else _("Monthly supervision digest")
            )
            lines = [f"{division.court.name} {division.name} — {label}", ""]
            for section in sections:
                lines.append(f"{section.title}: {section.total}")
                lines.extend(
                    f"  {row['number']} {row['cause']} {row.get('judge', '')}"
                    for row in section.rows[:10]
                )
            send_mail(
                f"{label} · {division.name}", "\n".join(lines), settings.DEFAULT_FROM_EMAIL, [email]
            )
        sent += 1
    return sent
