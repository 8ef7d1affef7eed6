"""Sign-in throttling against password guessing, and the audit of sign-ins.

Failed sign-ins are counted per user name and per client address over a sliding window
(settings.COURTFLOW_SIGNIN_*). While either count is at its limit, sign-in with that name or
from that address is refused before any password is checked, with the same message whether
the account exists or not. Failures are kept in ``SignInFailure`` for the window only; the
audit trail records each failure, each lock-out and each successful sign-in.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from courtflow.audit import audit_record

from .models import Person, SignInFailure

OBJECT_TYPE = "auth.signin"


def client_address(request: HttpRequest | None) -> str | None:
    """The client's address: the one the trusted proxy appended to X-Forwarded-For (the last
    entry; earlier ones are whatever the client sent) when behind a proxy, else REMOTE_ADDR."""
    if request is None:
        return None
    address = request.META.get("REMOTE_ADDR") or None
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.split(",")[-1].strip()
        address = last or address
    if address is not None:
        try:
            validate_ipv46_address(address)
        except ValidationError:
            return None
    return address


def _window() -> dt.timedelta:
    return dt.timedelta(seconds=settings.COURTFLOW_SIGNIN_WINDOW_SECONDS)


def signin_wait_seconds(
    *, username: str, address: str | None, now: dt.datetime | None = None
) -> int:
    """Seconds until sign-in with this name from this address is possible again; 0 if it
    is possible now. Reads only; the caller refuses the attempt when it is positive."""
    now = now or timezone.now()
    since = now - _window()
    recent = SignInFailure.objects.filter(at__gt=since)
    waits = [0.0]
    checks = [(Q(username=username.lower()), settings.COURTFLOW_SIGNIN_MAX_FAILURES)]
    if address:
        checks.append((Q(address=address), settings.COURTFLOW_SIGNIN_MAX_FAILURES_PER_ADDRESS))
    for condition, limit in checks:
        failures = list(
            recent.filter(condition).order_by("-at").values_list("at", flat=True)[:limit]
        )
        if len(failures) >= limit:
            # The window slides: sign-in opens again when the oldest of the last `limit`
            # failures leaves it.
            waits.append((failures[-1] + _window() - now).total_seconds())
    return max(0, math.ceil(max(waits)))


def _court_of(username: str) -> int | None:
    return Person.objects.filter(user__username=username).values_list("court_id", flat=True).first()


@transaction.atomic
def signin_failure_record(*, username: str, address: str | None) -> int:
    """Record a failed sign-in (wrong name or password) and audit it; audit a lock-out when
    this failure reaches a limit. Returns the seconds of the pause it starts (0 if none)."""
    now = timezone.now()
    name = username.strip()[:150]
    # Expired failures are no longer needed: the audit trail keeps the record.
    SignInFailure.objects.filter(at__lte=now - _window()).delete()
    SignInFailure.objects.create(at=now, username=name.lower(), address=address)
    court_id = _court_of(name)
    common: dict[str, Any] = {
        "actor": None,
        "object_type": OBJECT_TYPE,
        "object_id": name[:64],
        "object_repr": name,
        "court_id": court_id,
    }
    audit_record(action="auth.sign_in_failed", after={"address": address}, **common)
    wait = signin_wait_seconds(username=name, address=address, now=now)
    if wait:
        audit_record(
            action="auth.sign_in_paused",
            after={"address": address, "seconds": wait},
            **common,
        )
    return wait


@transaction.atomic
def signin_success_record(*, user: Any, address: str | None) -> None:
    """Audit a successful sign-in and clear the name's failures (the address's stay)."""
    SignInFailure.objects.filter(username=user.get_username().lower()).delete()
    audit_record(
        actor=user,
        action="auth.signed_in",
        object_type=OBJECT_TYPE,
        object_id=user.get_username()[:64],
        object_repr=user.get_username(),
        court_id=_court_of(user.get_username()),
        after={"address": address},
    )


def wait_minutes(seconds: int) -> int:
    """The pause in whole minutes, rounded up, for the message."""
    return max(1, math.ceil(seconds / 60))
