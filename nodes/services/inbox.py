"""The in-app inbox: marking notifications read (the recipient only)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtflow.errors import NotVisible
from nodes.models import Notification


@transaction.atomic
def notifications_mark_read(*, user: Any, notification_id: str | int) -> int:
    """Mark one of the user's notifications (or ``"all"``) read; returns how many changed.
    Reading is the recipient's own business, so it is not an audited change."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if str(notification_id) != "all":
        try:
            pk = int(notification_id)
        except (TypeError, ValueError):
            raise NotVisible(_("Not found.")) from None
        if not Notification.objects.filter(recipient=user, pk=pk).exists():
            raise NotVisible(_("Not found."))
        qs = qs.filter(pk=pk)
    return qs.update(read_at=timezone.now())
