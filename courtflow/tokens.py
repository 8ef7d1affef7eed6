"""API tokens for system-to-system clients: made, checked and revoked here.

The key is ``cf_`` followed by 43 URL-safe random characters; the database keeps its SHA-256
hash and its first 11 characters (to tell keys apart). The key is returned once, to the
caller of ``api_token_create``, and is never written to the audit trail or a log.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import audit_record
from .errors import Conflict, InvalidInput, NotAllowed
from .models import ApiToken

KEY_PREFIX = "cf_"
PREFIX_LENGTH = 11
# last_used_at is bookkeeping, not a change: written at most once a minute per token.
TOUCH_INTERVAL = dt.timedelta(minutes=1)


def api_token_hash(key: str) -> str:
    """The stored form of a key."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _may_manage(actor: Any, user: Any) -> bool:
    # None: a management command run by the operator.
    return actor is None or actor.is_superuser or actor.pk == user.pk


@transaction.atomic
def api_token_create(
    *, actor: Any, user: Any, name: str, days: int | None = None
) -> tuple[ApiToken, str]:
    """Make a token for ``user`` and return it with its key (shown once, stored as a hash).
    ``days`` bounds its life; without it the token lasts until revoked. Audited."""
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("Name the system that will use the token."), field="name")
    if days is not None and not 1 <= days <= 3660:
        raise InvalidInput(_("A token lasts 1 to 3660 days."), field="days")
    if not _may_manage(actor, user):
        raise NotAllowed(_("Only a system administrator makes tokens for other accounts."))
    if not user.is_active:
        raise InvalidInput(_("The account is disabled."), field="user")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=key[:PREFIX_LENGTH],
        key_hash=api_token_hash(key),
        created_at=now,
        expires_at=now + dt.timedelta(days=days) if days else None,
    )
    audit_record(
        actor=actor,
        action="api_token.created",
        obj=token,
        after={
            "user": user.get_username(),
            "name": token.name,
            "prefix": token.prefix,
            "expires_at": token.expires_at,
        },
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: Any, token: ApiToken, reason: str = "") -> ApiToken:
    """Revoke a token at once: its next request answers 401. Audited; revoking twice is
    refused (409)."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if not _may_manage(actor, token.user):
        raise NotAllowed(_("Only a system administrator revokes tokens of other accounts."))
    if token.revoked_at is not None:
        raise Conflict(_("The token is already revoked."), code="already_revoked")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action="api_token.revoked",
        obj=token,
        before={"revoked_at": None},
        after={"revoked_at": token.revoked_at},
        reason=reason,
    )
    return token


def api_token_authenticate(key: str) -> ApiToken:
    """The live token for ``key``, its user loaded; raises ``ApiTokenRefused`` with the
    reason (unknown, revoked, expired, disabled account). Notes the use, at most once a
    minute, so a busy client does not write on every request."""
    token = (
        ApiToken.objects.select_related("user", "user__person")
        .filter(key_hash=api_token_hash(key))
        .first()
        if key.startswith(KEY_PREFIX) and len(key) < 100
        else None
    )
    now = timezone.now()
    if token is None:
        raise ApiTokenRefused(_("The API token is not valid."))
    if token.revoked_at is not None:
        raise ApiTokenRefused(_("The API token has been revoked."))
    if token.expires_at is not None and token.expires_at <= now:
        raise ApiTokenRefused(_("The API token has expired."))
    if not token.user.is_active:
        raise ApiTokenRefused(_("The account is disabled."))
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_INTERVAL:
        # Conditional: of two requests in the same minute only one writes.
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - TOUCH_INTERVAL)
        ).update(last_used_at=now)
        token.last_used_at = now
    return token


class ApiTokenRefused(Exception):
    """The key names no live token; the message says why, in the user's language."""
