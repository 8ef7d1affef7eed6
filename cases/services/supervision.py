"""四类案件 (法发〔2021〕30号): flagging a case and telling the presidents at once, by text
message as 静海 does ("a 四类案件 entering litigation sends a text message to the presidents")."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import override

from cases.lifecycle import SupervisionCategory
from cases.models import Case
from courtflow.audit import audit_record
from courtflow.errors import InvalidInput
from nodes.models import Notification
from teams.models import Person
from teams.roles import Role


def supervised_case_flag(*, actor: Any, case: Case, category: Any, at: dt.datetime) -> None:
    """Set the case's 四类案件 category (inside the recording service's transaction) and tell the
    court's presidents by inbox and text message once the change has committed."""
    try:
        category = int(category)
    except (TypeError, ValueError):
        raise InvalidInput(
            _("The 四类案件 category is 1 to 4 (or 0 for none)."), field="category"
        ) from None
    if category not in (1, 2, 3, 4):
        raise InvalidInput(_("The 四类案件 category is 1 to 4 (or 0 for none)."), field="category")
    before = case.supervision_category
    if before != category or not case.president_supervised:
        case.supervision_category = category
        case.president_supervised = True
        case.save(update_fields=["supervision_category", "president_supervised"])
        audit_record(
            actor=actor,
            action="case.supervision_flagged",
            obj=case,
            case_id=case.pk,
            before={"category": before},
            after={"category": category},
        )
    supervised_case_announce(case=case, at=at)


def supervised_case_announce(*, case: Case, at: dt.datetime) -> list[Notification]:
    """Inbox and text message to every president and vice president of the case's court."""
    presidents = Person.objects.filter(
        court_id=case.court_id, is_active=True, role__in=[Role.PRESIDENT, Role.VICE_PRESIDENT]
    ).select_related("user")
    with override("zh-hans"):
        title = _("四类案件 entering litigation: %(number)s %(cause)s (%(category)s).") % {
            "number": case.number,
            "cause": case.cause,
            "category": SupervisionCategory(case.supervision_category).label,
        }
    notes = Notification.objects.bulk_create(
        Notification(
            recipient=p.user,
            kind=Notification.Kind.SUPERVISED,
            case=case,
            title=title[:200],
            created_at=at,
            send_sms=True,
        )
        for p in presidents
    )
    ids = [n.pk for n in notes]
    if ids:
        from nodes.tasks import notifications_deliver_soon

        transaction.on_commit(lambda: notifications_deliver_soon(ids))
    return notes


SUPERVISORS = (Role.PRESIDENT, Role.VICE_PRESIDENT, Role.DIVISION_HEAD)


@transaction.atomic
def supervision_action_record(*, actor: Any, case: Case, kind: str, text: str) -> Any:
    """Record a president's (or the division head's) supervision of a case — 督办, 约谈 or a
    note — in the case file; the judge hears of an urging or a talk in the inbox. A locked
    case refuses it like any other change (its unlock is the supervisor's door)."""
    from django.utils import timezone

    from cases.models import SupervisionAction
    from cases.services.common import case_for_update, ensure_unlocked, require_case_role

    case = case_for_update(case)
    ensure_unlocked(case)
    require_case_role(actor, case, SUPERVISORS)
    if kind not in SupervisionAction.Kind.values:
        raise InvalidInput(_("Choose urge, talk or note."), field="kind")
    text = (text or "").strip()
    if not text or len(text) > 2000:
        raise InvalidInput(
            _("Write what you ask or noted (at most 2000 characters)."), field="text"
        )
    now = timezone.now()
    action = SupervisionAction.objects.create(case=case, kind=kind, text=text, by=actor, at=now)
    audit_record(
        actor=actor,
        action="case.supervision_action",
        obj=case,
        case_id=case.pk,
        after={"kind": kind, "text": text},
    )
    if kind != SupervisionAction.Kind.NOTE and case.judge_id:
        with override("zh-hans"):
            title = _("%(kind)s: %(number)s — %(text)s") % {
                "kind": SupervisionAction.Kind(kind).label,
                "number": case.number,
                "text": text,
            }
        Notification.objects.create(
            recipient_id=case.judge.user_id,
            kind=Notification.Kind.SUPERVISED,
            case=case,
            title=title[:200],
            created_at=now,
        )
    return action


RECORD_FIELDS = ("kind", "intervener", "intervener_position", "description", "occurred_at")


@transaction.atomic
def interference_record_create(
    *,
    actor: Any,
    kind: str,
    intervener: str,
    description: str,
    occurred_at: dt.datetime,
    intervener_position: str = "",
    case: Case | None = None,
) -> Any:
    """Record an intervention under the 三个规定. Anyone working in the court records what
    happened to them; the presidents are told at once. Allowed on a locked case: it records
    something done to the court from outside and changes nothing in the case."""
    from django.utils import timezone

    from cases.models import InterferenceRecord
    from courtflow.errors import NotAllowed

    person = Person.objects.filter(user=actor, is_active=True).first()
    if person is None:
        raise NotAllowed(_("Only the court's staff record interference."), code="not_allowed")
    if case is not None and case.court_id != person.court_id:
        raise InvalidInput(_("That case is not in your court."), field="case")
    if kind not in InterferenceRecord.Kind.values:
        raise InvalidInput(_("Choose which of the three rules applies."), field="kind")
    intervener = (intervener or "").strip()
    description = (description or "").strip()
    if not intervener or len(intervener) > 100:
        raise InvalidInput(_("Name who intervened (at most 100 characters)."), field="intervener")
    if len(intervener_position or "") > 100:
        raise InvalidInput(_("At most 100 characters."), field="intervener_position")
    if not description or len(description) > 4000:
        raise InvalidInput(
            _("Describe what happened (at most 4000 characters)."), field="description"
        )
    now = timezone.now()
    if occurred_at is None or occurred_at > now:
        raise InvalidInput(_("When it happened cannot be in the future."), field="occurred_at")
    record = InterferenceRecord.objects.create(
        court_id=person.court_id,
        case=case,
        kind=kind,
        intervener=intervener,
        intervener_position=(intervener_position or "").strip(),
        description=description,
        occurred_at=occurred_at,
        recorded_by=actor,
        recorded_at=now,
    )
    audit_record(
        actor=actor,
        action="interference.recorded",
        obj=record,
        court_id=person.court_id,
        case_id=case.pk if case else None,
        after={f: getattr(record, f) for f in RECORD_FIELDS},
    )
    presidents = Person.objects.filter(
        court_id=person.court_id, is_active=True, role__in=[Role.PRESIDENT, Role.VICE_PRESIDENT]
    ).values_list("user_id", flat=True)
    with override("zh-hans"):
        title = _("三个规定 record: %(kind)s — %(who)s") % {
            "kind": InterferenceRecord.Kind(kind).label,
            "who": intervener,
        }
    Notification.objects.bulk_create(
        Notification(
            recipient_id=user_id,
            kind=Notification.Kind.SUPERVISED,
            case=case,
            title=title[:200],
            created_at=now,
        )
        for user_id in presidents
    )
    return record
