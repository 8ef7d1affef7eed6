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
