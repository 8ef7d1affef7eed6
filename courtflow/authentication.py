"""API authentication for system-to-system clients: ``Authorization: Token <key>`` (or
``Bearer <key>``). The request then acts as the token's user, with that user's role and
scope; DRF does not ask for a CSRF token here, since no browser cookie is involved."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

KEYWORDS = ("token", "bearer")


class ApiTokenAuthentication(BaseAuthentication):
    """Reads the key from the Authorization header; no header means "try the session"."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        from .tokens import ApiTokenRefused, api_token_authenticate

        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower().decode("latin-1") not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("Send the header as: Authorization: Token <key>.")
            )
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("The API token is not valid.")) from None
        try:
            token = api_token_authenticate(key)
        except ApiTokenRefused as exc:
            raise exceptions.AuthenticationFailed(str(exc)) from None
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        # Makes DRF answer 401 (not 403) to a request without credentials.
        return 'Token realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """The token as an OpenAPI security scheme (``Bearer`` is accepted as well as ``Token``)."""

    target_class = "courtflow.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A key made with `manage.py api_token_create`; send "
            "`Authorization: Token <key>` or `Authorization: Bearer <key>`.",
        }
