"""Text messages. A backend is a class with ``send(phone, text)``; COURTFLOW_SMS_BACKEND names
it. The default only logs (courts plug in their SMS gateway)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger("courtflow.sms")


class LoggingSmsBackend:
    """Writes each message to the log instead of sending it."""

    sent: list[tuple[str, str]] = []  # the last messages, for tests and the demo

    def send(self, phone: str, text: str, *, name: str = "") -> None:
        log.info("SMS to %s %s: %s", name, phone or "(no number)", text)
        type(self).sent = [*type(self).sent[-99:], (phone, text)]


def sms_backend():
    return import_string(
        getattr(settings, "COURTFLOW_SMS_BACKEND", "courtflow.sms.LoggingSmsBackend")
    )()
