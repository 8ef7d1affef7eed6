"""Delivering notifications by email and text message, after the change that made them has
committed. At least once: a notification is marked sent only after sending; a failure is
recorded and retried later, and never blocks the sweep or the service that created it."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from courtflow.sms import sms_backend
from nodes.models import Notification

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 10


def notifications_deliver(*, ids: list[int] | None = None, limit: int = 500) -> tuple[int, int]:
    """Send what is pending (these ids, or the oldest pending). Returns (sent, failed)."""
    sent = failed = 0
    with transaction.atomic():
        qs = Notification.objects.filter(attempts__lt=MAX_ATTEMPTS).filter(
            Q(send_email=True, emailed_at__isnull=True) | Q(send_sms=True, texted_at__isnull=True)
        )
        if ids is not None:
            qs = qs.filter(pk__in=ids)
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True, of=("self",))
        pending = list(
            qs.select_related("recipient", "recipient__person").order_by("created_at")[:limit]
        )
        backend = sms_backend()
        for note in pending:
            try:
                if note.send_email and note.emailed_at is None:
                    if note.recipient.email:
                        send_mail(
                            note.title,
                            note.body or note.title,
                            settings.DEFAULT_FROM_EMAIL,
                            [note.recipient.email],
                            fail_silently=False,
                        )
                    note.emailed_at = timezone.now()
                if note.send_sms and note.texted_at is None:
                    person = getattr(note.recipient, "person", None)
                    backend.send(
                        getattr(person, "phone", "") or "",
                        note.title,
                        name=getattr(person, "name", "") or note.recipient.get_username(),
                    )
                    note.texted_at = timezone.now()
                note.last_error = ""
                sent += 1
            except Exception as exc:
                note.attempts += 1
                note.last_error = f"{type(exc).__name__}: {exc}"[:300]
                failed += 1
                log.warning("notification %s not delivered: %s", note.pk, note.last_error)
            note.save(update_fields=["emailed_at", "texted_at", "attempts", "last_error"])
    return sent, failed
