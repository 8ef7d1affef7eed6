"""Domain errors: one exception type with a stable machine-readable code.

Services raise these; the API handler turns them into ``{"code", "message", "detail"}``
with the right status, the HTML middleware into an error page, and admin and forms into
field or page messages. Messages are shown to users, so they are translated.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A refusal a user can understand. ``field`` names the input that caused it, if any."""

    status = 400
    default_code = "invalid"

    def __init__(
        self,
        message: Any,
        *,
        code: str | None = None,
        detail: dict[str, Any] | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(str(message))
        self.message = message
        self.code = code or self.default_code
        self.detail = detail or {}
        self.field = field

    def as_dict(self) -> dict[str, Any]:
        detail = dict(self.detail)
        if self.field and "field" not in detail:
            detail["field"] = self.field
        return {"code": self.code, "message": str(self.message), "detail": detail}


class InvalidInput(DomainError):
    """The input breaks a rule (400)."""

    status = 400
    default_code = "invalid"


class NotAllowed(DomainError):
    """The user may see the object but not do this (403)."""

    status = 403
    default_code = "not_allowed"


class NotVisible(DomainError):
    """The object does not exist or is outside the user's scope (404: existence never leaks)."""

    status = 404
    default_code = "not_found"


class Conflict(DomainError):
    """The object is in a state that refuses this (409): locked, wrong stage, already done."""

    status = 409
    default_code = "conflict"
